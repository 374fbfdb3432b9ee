"""Keep figures current: any saved or deleted training or participation makes them stale.

Sessions and manuals only feed fidelity, which is never cached, so they need no hook.
Writes that bypass Django (raw SQL, ``QuerySet.update``) must call ``engine.invalidate()``.
"""

from django.db.models.signals import post_delete, post_save

from cascade.trainings.models import Participation, Training


def _stale(sender, **kwargs):
    from cascade.metrics.engine import invalidate

    invalidate()


def connect() -> None:
    for model in (Training, Participation):
        post_save.connect(_stale, sender=model, dispatch_uid=f"metrics-save-{model.__name__}")
        post_delete.connect(_stale, sender=model, dispatch_uid=f"metrics-delete-{model.__name__}")
