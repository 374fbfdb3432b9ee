"""The engine's cache: generations computed over the whole network, kept until a write.

Generations are the expensive part of every figure (passes over all
participations); everything else is a cheap query on top of them. The cache is
rebuilt on the next read after any change to trainings or participations
(see :func:`cascade.metrics.engine.invalidate`).
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
    """One row: writes bump ``version``; the cache is fresh when ``computed_version`` equals it."""

    version = models.BigIntegerField(default=1)
    computed_version = models.BigIntegerField(default=0)

    class Meta:
        default_permissions = ()
