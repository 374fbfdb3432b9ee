"""Where a trainer trained: the trainings a step-down she leads may name as its source.

Who may see these for a given trainer is decided in cascade.access
(``report_sources``); this module only knows the domain.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from cascade.trainings.models import Participation, Training


def completed_by(person, before=None):
    """The trainings ``person`` completed as a participant, newest first (by last day), and
    only those that ended on or before ``before`` when it is given: the source rule of
    docs/metrics.md lets a step-down start on the day its source ends."""
    trainings = Training.objects.filter(
        participations__person=person, participations__role=Participation.Role.PARTICIPANT,
        participations__completed=True,
    ).annotate(last=Coalesce("end_date", "start_date"))
    if before is not None:
        trainings = trainings.filter(last__lte=before)
    return trainings.order_by(F("last").desc(), "-start_date", "key")


def preferred(trainings):
    """The source to pre-select: the newest of those of the earliest generation.

    Without a named source, the source rule follows every training the trainer
    completed and keeps the earliest generation; naming this one therefore leaves
    the step-down's generation what it would have been, while linking it to the
    training where she trained (most often her newest institute)."""
    from cascade.metrics.engine import generations_of

    trainings = list(trainings)
    generations = generations_of([t.pk for t in trainings])
    linked = [t for t in trainings if isinstance(generations.get(t.pk), int)]
    if not linked:
        return trainings[0] if trainings else None
    earliest = min(generations[t.pk] for t in linked)
    return next(t for t in linked if generations[t.pk] == earliest)


def check_source(trainer, source_training, start_date) -> None:
    """A step-down's named source must be a training its trainer completed by its first day."""
    if source_training is None:
        return
    if not Participation.objects.filter(training=source_training, person=trainer, completed=True,
                                        role=Participation.Role.PARTICIPANT).exists():
        raise ValidationError({"source_training": _(
            "%(trainer)s did not complete “%(training)s” as a participant.")
            % {"trainer": trainer, "training": source_training}})
    if source_training.last_day > start_date:
        raise ValidationError({"source_training": _(
            "“%(training)s” ended after this training began: choose one the trainer had finished by then.")
            % {"training": source_training}})
