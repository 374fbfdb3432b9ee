"""Table names for the engine's SQL, taken from the models so a rename cannot drift."""

from cascade.curriculum.models import ManualSession
from cascade.metrics.models import (
    Affected, AffectedPerson, AffectedSource, CacheState, FiguresMemo, PartnerCascade, PartnerCascadeComputed,
    PartnerPerson, Pending, PersonGeneration, Trainee, TrainingGeneration, UnlinkedStepDown,
)
from cascade.network.models import Country, Person, Region
from cascade.trainings.models import Participation, Training, TrainingSession

TRAINING = Training._meta.db_table
TRAINING_MANUALS = Training.manuals.through._meta.db_table
PARTICIPATION = Participation._meta.db_table
SESSION = TrainingSession._meta.db_table
MANUAL_SESSION = ManualSession._meta.db_table
COUNTRY = Country._meta.db_table
REGION = Region._meta.db_table
PERSON = Person._meta.db_table
TRAINING_GEN = TrainingGeneration._meta.db_table
PERSON_GEN = PersonGeneration._meta.db_table
CASCADE = PartnerCascade._meta.db_table
CASCADE_COMPUTED = PartnerCascadeComputed._meta.db_table
CO_ORGANISERS = Training.co_organisers.through._meta.db_table
STATE = CacheState._meta.db_table
MEMO = FiguresMemo._meta.db_table
PENDING = Pending._meta.db_table
AFFECTED = Affected._meta.db_table
AFFECTED_SOURCE = AffectedSource._meta.db_table
AFFECTED_PERSON = AffectedPerson._meta.db_table
TRAINEE = Trainee._meta.db_table
UNLINKED = UnlinkedStepDown._meta.db_table
PARTNER_PERSON = PartnerPerson._meta.db_table
