"""The engine's cache: generations over the whole network, and the figures read from them.

Generations are the expensive part of every figure (passes over all
participations); they are rebuilt on the next read after any change to trainings
or participations (see :func:`cascade.metrics.engine.invalidate`). The figures
themselves (utilisation and fidelity cost most once generations are known) are
kept per filter set, and only count while nothing they read has been written.
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
        indexes = [models.Index(fields=["hop", "organization_id"], name="partner_cascade_hop")]


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

    class Meta:
        default_permissions = ()


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
