"""Keep figures current: a save or delete of anything a figure reads makes it stale.

Generations read trainings and participations, so those writes call
``engine.invalidate()`` (generations are recomputed on the next read). The other
figures also read agenda items, a training's manual list, manual sessions, and
countries and regions (the region filter, institutes by region); those writes
call ``engine.invalidate_figures()``, which drops the kept figures but keeps the
generations. A training's co-organisers (and deleted organisations, which leave
co-organiser lists without a signal) decide partners' cascades, which are dropped
with the generations, so they call ``engine.invalidate()``. Session facilitators
and people's own records feed no figure, so they need no hook.

Writes that bypass Django (raw SQL, ``bulk_create``, ``QuerySet.update``) must call
``engine.invalidate()``.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from cascade.curriculum.models import Manual, ManualSession
from cascade.network.models import Country, Organization, Region
from cascade.trainings.models import Participation, Training, TrainingSession

# whose writes can move a generation
GENERATION_INPUTS = (Training, Participation)
# whose writes change figures but no generation
FIGURE_INPUTS = (TrainingSession, ManualSession, Country, Region)
M2M_CHANGES = ("post_add", "post_remove", "post_clear")


def _stale(sender, **kwargs):
    from cascade.metrics.engine import invalidate

    invalidate()


def _figures_stale(sender, **kwargs):
    from cascade.metrics.engine import invalidate_figures

    invalidate_figures()


def _manual_list_changed(sender, action, **kwargs):
    if action in M2M_CHANGES:
        _figures_stale(sender)


def _co_organisers_changed(sender, action, **kwargs):
    if action in M2M_CHANGES:
        _stale(sender)


def connect() -> None:
    for model in GENERATION_INPUTS:
        post_save.connect(_stale, sender=model, dispatch_uid=f"metrics-save-{model.__name__}")
        post_delete.connect(_stale, sender=model, dispatch_uid=f"metrics-delete-{model.__name__}")
    for model in FIGURE_INPUTS:
        post_save.connect(_figures_stale, sender=model, dispatch_uid=f"metrics-save-{model.__name__}")
        post_delete.connect(_figures_stale, sender=model, dispatch_uid=f"metrics-delete-{model.__name__}")
    # A training's manuals, changed from either side (training.manuals / manual.trainings).
    m2m_changed.connect(_manual_list_changed, sender=Training.manuals.through, dispatch_uid="metrics-m2m-manuals")
    # Deleting a manual takes its rows off trainings' manual lists without an m2m signal.
    post_delete.connect(_figures_stale, sender=Manual, dispatch_uid="metrics-delete-Manual")
    # A training's co-organisers, from either side, and organisations deleted: partners' cascades.
    m2m_changed.connect(_co_organisers_changed, sender=Training.co_organisers.through,
                        dispatch_uid="metrics-m2m-co-organisers")
    post_delete.connect(_stale, sender=Organization, dispatch_uid="metrics-delete-Organization")
