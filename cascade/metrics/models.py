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


class CacheState(models.Model):
    """One row: writes bump ``version``; the cache is fresh when ``computed_version`` equals it.

    ``figures_version`` is bumped by writes that change figures but no generation
    (agenda items, manual lists): kept figures go, the generations stay.
    """

    version = models.BigIntegerField(default=1)
    computed_version = models.BigIntegerField(default=0)
    figures_version = models.BigIntegerField(default=0)
    computed_on = models.DateField(null=True)  # the day generations were computed: see engine._held_since

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

    class Meta:
        default_permissions = ()
