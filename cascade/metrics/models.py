"""The engine's cache: generations over the whole network, the parts every figure sums, and
the figures read from them.

Generations are the expensive part of every figure (passes over all participations):
they are computed in full once, then each write to trainings or participations is noted
(:class:`Pending`) and taken in by itself on the next read, recomputing only what it can
change (see :func:`cascade.metrics.engine.refresh`). Head-counts, fidelity parts and each
trainee's first step-down are kept beside them, so a figure sums rows instead of
following every trainee and agenda item. The figures themselves are kept per filter set,
and only count while nothing they read has been written.
"""

from django.db import models


class RowIdField(models.BigIntegerField):
    """A bigint key that SQLite stores as its rowid ("integer primary key"), so joins on it
    are direct lookups instead of a trip through a separate index."""

    def db_type(self, connection):
        return "integer" if connection.vendor == "sqlite" else super().db_type(connection)


class TrainingGeneration(models.Model):
    """A linked training and its generation; an unlinked step-down has no row."""

    training_id = RowIdField(primary_key=True)
    generation = models.PositiveIntegerField(db_index=True)
    # its head-count (women + men + other not named), kept here so the whole network's rows by
    # generation are one read of this table (the engine keeps it with every save of the training)
    headcount = models.PositiveIntegerField(db_default=0)
    # a step-down's fidelity is delivered / total: distinct manual sessions delivered, and the
    # sessions in the manuals it used (listed on it, or whose sessions it delivered); total is 0
    # for a training with no agenda. Kept with every agenda and manual write.
    delivered = models.PositiveIntegerField(db_default=0)
    total = models.PositiveIntegerField(db_default=0)

    class Meta:
        default_permissions = ()


class UnlinkedStepDown(models.Model):
    """A held step-down with no generation (no source path to an institute), and its head-count:
    with the generation rows, every held training is in one kept table, so the whole network's
    figures by generation never read the trainings themselves."""

    training_id = RowIdField(primary_key=True)
    headcount = models.PositiveIntegerField(db_default=0)

    class Meta:
        default_permissions = ()


class PersonGeneration(models.Model):
    """A person who took part as a participant; no generation when all her trainings are unlinked."""

    person_id = RowIdField(primary_key=True)
    generation = models.PositiveIntegerField(null=True, db_index=True)

    class Meta:
        default_permissions = ()


class PartnerCascade(models.Model):
    """A training in an organisation's cascade: an institute it hosted or co-organised, or a
    step-down that descends from one through sources (any depth). A training may be in several
    organisations' cascades, and an unlinked step-down is in none. Computed for one organisation
    the first time its cascade is asked after the generations were, and dropped with them.
    """

    organization_id = models.BigIntegerField()
    training_id = models.BigIntegerField()
    hop = models.PositiveIntegerField()  # source steps from the organisation's nearest institute

    class Meta:
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["organization_id", "training_id"], name="partner_cascade_unique"),
        ]
        indexes = [models.Index(fields=["hop", "organization_id"], name="partner_cascade_hop"),
                   models.Index(fields=["training_id"], name="partner_cascade_training")]


class PartnerPerson(models.Model):
    """A person who took part as a participant in a training of an organisation's cascade, and
    her smallest generation there: kept with the cascade, so a partner's people by generation
    are one read of its rows instead of following every participation of its cascade."""

    organization_id = models.BigIntegerField()
    person_id = models.BigIntegerField(db_index=True)
    generation = models.PositiveIntegerField()

    class Meta:
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["organization_id", "person_id"], name="partner_person_unique"),
        ]


class PartnerCascadeComputed(models.Model):
    """An organisation whose cascade rows are current (they go with every recomputation of generations)."""

    organization_id = RowIdField(primary_key=True)

    class Meta:
        default_permissions = ()


class CacheState(models.Model):
    """One row: writes bump ``version``; the cache is fresh when ``computed_version`` equals it.

    ``figures_version`` is bumped by writes that change figures but no generation
    (agenda items, manual lists): kept figures go, the generations stay.
    """

    version = models.BigIntegerField(default=1)
    computed_version = models.BigIntegerField(default=0)
    figures_version = models.BigIntegerField(default=0)
    computed_on = models.DateField(null=True)  # the day generations were computed: see engine._held_since
    computed_at = models.DateTimeField(null=True)  # when: pages say "as of" while the next recompute runs
    # a write nobody described (raw SQL, bulk writes: engine.invalidate) needs a full recompute;
    # writes through the ORM are described in Pending and taken in one by one
    needs_full = models.BooleanField(default=True)

    class Meta:
        default_permissions = ()


class Pending(models.Model):
    """A write to trainings or participations that the kept generations have not taken in yet,
    and what it can change (see ``engine._take_in``):

    - ``training``: a training's dates, kind, status, source or host changed (or it was added
      or deleted): itself, the step-downs it is a source of (implicitly: those starting on or
      after ``since``), and everyone who took part in it;
    - ``participant``: a person's part as participant in a training changed: the step-downs she
      facilitated starting on or after ``since`` (that training's last day), and herself;
    - ``facilitator``: a person's part as facilitator changed: that training, and herself;
    - ``self``: only that training's own sources changed (co-organisers, a deleted source).
    """

    kind = models.CharField(max_length=12)
    training_id = models.BigIntegerField(null=True)
    person_id = models.BigIntegerField(null=True)
    since = models.DateField(null=True)

    class Meta:
        default_permissions = ()


class Affected(models.Model):
    """Work rows of one incremental refresh: the trainings whose generation may have changed
    (the written ones and everything reachable from them through sources, ``round`` steps on)."""

    training_id = RowIdField(primary_key=True)
    round = models.PositiveIntegerField()

    class Meta:
        default_permissions = ()


class AffectedSource(models.Model):
    """Work rows of one incremental refresh: every source of each affected held step-down."""

    training_id = models.BigIntegerField()
    source_id = models.BigIntegerField(db_index=True)

    class Meta:
        default_permissions = ()


class AffectedPerson(models.Model):
    """Work rows of one incremental refresh: the people whose generation or trainee rows may have changed."""

    person_id = RowIdField(primary_key=True)

    class Meta:
        default_permissions = ()


class Trainee(models.Model):
    """A person's part as participant in one held institute: its last day, and the first held
    step-down she facilitated on or after it. Trainer utilisation and the days to a first
    step-down of any filter set are sums and medians over these rows (docs/metrics.md)."""

    person_id = models.BigIntegerField()
    institute_id = models.BigIntegerField(db_index=True)
    institute_end = models.DateField()
    first_step_down = models.DateField(null=True)

    class Meta:
        default_permissions = ()
        constraints = [models.UniqueConstraint(fields=["person_id", "institute_id"], name="trainee_unique")]
        # a person's rows in order with everything figures read: their sums read no table row
        indexes = [models.Index(fields=["person_id", "institute_end", "first_step_down"], name="trainee_person")]


class FiguresMemo(models.Model):
    """The figures for one filter set, as computed at (``version``, ``figures_version``).

    A row counts only while both equal the current ones in :class:`CacheState`, so a
    write never has to find the rows it makes stale; stale rows are dropped when the
    next figures are kept.
    """

    filters_key = models.CharField(max_length=64, primary_key=True)  # sha256 of the canonical filters
    version = models.BigIntegerField()
    figures_version = models.BigIntegerField()
    figures = models.JSONField()
    # the filter set itself and when its figures were computed: a worker recomputes kept figures after a
    # write, and pages meanwhile show these, marked with their time (cascade.metrics.deferred)
    filters = models.JSONField(default=dict)
    computed_at = models.DateTimeField(null=True)

    class Meta:
        default_permissions = ()
