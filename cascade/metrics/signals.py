"""Keep figures current: a save or delete of anything a figure reads makes it stale.

Generations read trainings and participations. Their writes are described to the
engine (``engine.record``): which training or person changed, and from which day
on it can matter, so the next read recomputes only what the write can change. A
training saved with only its title, head-counts, country or place changed moves no
generation, so it only drops the kept figures. A training's co-organisers decide
partners' cascades: a change is described the same way. Deleted organisations leave
co-organiser lists without a signal, so they call ``engine.invalidate()`` (a full
recompute).

The other figures also read agenda items, a training's manual list, manual
sessions, and countries and regions. Agenda and manual writes keep each training's
fidelity row (``engine.agenda_changed``); those and country and region writes drop
the kept figures but keep the generations. Session facilitators and people's own
records feed no figure, so they need no hook.

Writes that bypass Django (raw SQL, ``bulk_create``, ``QuerySet.update``) must call
``engine.invalidate()``.
"""

import contextvars
import functools
from contextlib import contextmanager

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from cascade.curriculum.models import Manual, ManualSession
from cascade.network.models import Country, Organization, Region
from cascade.trainings.models import Participation, Training, TrainingSession

# whose writes change figures but no generation
FIGURE_INPUTS = (Country, Region)
M2M_CHANGES = ("post_add", "post_remove", "post_clear")
# what a training's generation, its sources, its cascades and its trainees' rows depend on
GENERATION_FIELDS = ("kind", "start_date", "end_date", "cancelled", "source_training_id", "host_id")
PARTICIPATION_FIELDS = ("training_id", "person_id", "role", "completed")


_paused: contextvars.ContextVar[bool] = contextvars.ContextVar("cascade_metrics_paused", default=False)


@contextmanager
def paused():
    """Writes that bring the engine's own kept tables along with them (a restore writes every
    table as it was backed up, the kept ones included) change nothing kept: no hook runs."""
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)


def _hook(handler):
    @functools.wraps(handler)
    def run(*args, **kwargs):
        if not _paused.get():
            handler(*args, **kwargs)
    return run


def _engine():
    from cascade.metrics import engine

    return engine


def _remember(sender, instance, fields, **kwargs):
    """Keep the row as stored before a save: what a write changes is judged against it."""
    instance._metrics_before = None
    if instance.pk is not None and not kwargs.get("raw"):
        instance._metrics_before = sender.objects.filter(pk=instance.pk).values(*fields).first()


@_hook
def _training_before(sender, instance, **kwargs):
    _remember(sender, instance, GENERATION_FIELDS, **kwargs)


@_hook
def _training_saved(sender, instance, created, **kwargs):
    before = getattr(instance, "_metrics_before", None)
    if not created and before and all(before[name] == getattr(instance, name) for name in GENERATION_FIELDS):
        _engine().counts_changed(instance.pk)  # title, head-counts, country, place: figures, not generations
        return
    days = [day for day in (instance.last_day, before and (before["end_date"] or before["start_date"])) if day]
    _engine().record([("training", instance.pk, None, min(days) if days else None)])


@_hook
def _training_deleted(sender, instance, **kwargs):
    """Before the delete: its step-downs lose their explicit source, which sends no signal."""
    grown = Training.objects.filter(source_training_id=instance.pk).values_list("pk", flat=True)
    _engine().record([("training", instance.pk, None, None), *(("self", pk, None, None) for pk in grown)])


def _parts(values: dict | None, instance) -> list[tuple]:
    """What one participation, as ``values``, takes part in: the writes to note for it. A
    participant's training is the one the saved participation holds (no query) unless it moved."""
    if not values:
        return []
    if values["role"] == Participation.Role.PARTICIPANT:
        training = (instance.training if values["training_id"] == instance.training_id else
                    Training.objects.filter(pk=values["training_id"]).only("start_date", "end_date").first())
        return [("participant", values["training_id"], values["person_id"], training and training.last_day)]
    if values["role"] == Participation.Role.FACILITATOR:
        return [("facilitator", values["training_id"], values["person_id"], None)]
    return []


@_hook
def _participation_before(sender, instance, **kwargs):
    _remember(sender, instance, PARTICIPATION_FIELDS, **kwargs)


@_hook
def _participation_saved(sender, instance, created, **kwargs):
    before = getattr(instance, "_metrics_before", None)
    now = {name: getattr(instance, name) for name in PARTICIPATION_FIELDS}
    if before == now:
        return
    _engine().record([*_parts(before, instance), *_parts(now, instance)])


@_hook
def _participation_deleted(sender, instance, **kwargs):
    """Before the delete, while its training is still there to give its last day."""
    _engine().record(_parts({name: getattr(instance, name) for name in PARTICIPATION_FIELDS}, instance))


@_hook
def _figures_stale(sender, **kwargs):
    _engine().invalidate_figures()


@_hook
def _agenda_written(sender, instance, **kwargs):
    before = getattr(instance, "_metrics_before", None) or {}
    _engine().agenda_changed(training_ids={instance.training_id, before.get("training_id")} - {None})


@_hook
def _agenda_before(sender, instance, **kwargs):
    _remember(sender, instance, ("training_id",), **kwargs)


@_hook
def _manual_session_written(sender, instance, **kwargs):
    _engine().agenda_changed(manual_ids=[instance.manual_id])


def _m2m_trainings(instance, action, reverse, pk_set, related: str) -> list | None:
    """The trainings whose many-to-many list changed (from either side; ``related`` names the
    reverse accessor), or None before the change is made."""
    if action == "pre_clear":
        instance._metrics_cleared = list(
            getattr(instance, related).values_list("pk", flat=True) if reverse else [instance.pk])
    if action not in M2M_CHANGES:
        return None
    if not reverse:
        return [instance.pk]
    if action == "post_clear":
        return getattr(instance, "_metrics_cleared", [])
    return list(pk_set or [])


@_hook
def _manual_list_changed(sender, instance, action, reverse, pk_set, **kwargs):
    trainings = _m2m_trainings(instance, action, reverse, pk_set, "trainings")
    if trainings is not None:
        _engine().agenda_changed(training_ids=trainings)


@_hook
def _manual_deleting(sender, instance, **kwargs):
    """A deleted manual leaves the manual lists of its trainings without an m2m signal."""
    instance._metrics_trainings = list(instance.trainings.values_list("pk", flat=True))


@_hook
def _manual_deleted(sender, instance, **kwargs):
    _engine().agenda_changed(training_ids=getattr(instance, "_metrics_trainings", []))


@_hook
def _co_organisers_changed(sender, instance, action, reverse, pk_set, **kwargs):
    trainings = _m2m_trainings(instance, action, reverse, pk_set, "co_organised_trainings")
    if trainings is not None:
        _engine().record([("self", pk, None, None) for pk in trainings])


@_hook
def _organisation_deleted(sender, **kwargs):
    _engine().invalidate()


def connect() -> None:
    pre_save.connect(_training_before, sender=Training, dispatch_uid="metrics-before-Training")
    post_save.connect(_training_saved, sender=Training, dispatch_uid="metrics-save-Training")
    pre_delete.connect(_training_deleted, sender=Training, dispatch_uid="metrics-delete-Training")
    pre_save.connect(_participation_before, sender=Participation, dispatch_uid="metrics-before-Participation")
    post_save.connect(_participation_saved, sender=Participation, dispatch_uid="metrics-save-Participation")
    pre_delete.connect(_participation_deleted, sender=Participation, dispatch_uid="metrics-delete-Participation")
    # agenda items keep their training's fidelity row; manual sessions, every training using the manual
    pre_save.connect(_agenda_before, sender=TrainingSession, dispatch_uid="metrics-before-TrainingSession")
    post_save.connect(_agenda_written, sender=TrainingSession, dispatch_uid="metrics-save-TrainingSession")
    post_delete.connect(_agenda_written, sender=TrainingSession, dispatch_uid="metrics-delete-TrainingSession")
    post_save.connect(_manual_session_written, sender=ManualSession, dispatch_uid="metrics-save-ManualSession")
    post_delete.connect(_manual_session_written, sender=ManualSession, dispatch_uid="metrics-delete-ManualSession")
    for model in FIGURE_INPUTS:
        post_save.connect(_figures_stale, sender=model, dispatch_uid=f"metrics-save-{model.__name__}")
        post_delete.connect(_figures_stale, sender=model, dispatch_uid=f"metrics-delete-{model.__name__}")
    # A training's manuals, changed from either side (training.manuals / manual.trainings).
    m2m_changed.connect(_manual_list_changed, sender=Training.manuals.through, dispatch_uid="metrics-m2m-manuals")
    # Deleting a manual takes its rows off trainings' manual lists without an m2m signal.
    pre_delete.connect(_manual_deleting, sender=Manual, dispatch_uid="metrics-deleting-Manual")
    post_delete.connect(_manual_deleted, sender=Manual, dispatch_uid="metrics-delete-Manual")
    # A training's co-organisers, from either side, and organisations deleted: partners' cascades.
    m2m_changed.connect(_co_organisers_changed, sender=Training.co_organisers.through,
                        dispatch_uid="metrics-m2m-co-organisers")
    post_delete.connect(_organisation_deleted, sender=Organization, dispatch_uid="metrics-delete-Organization")
