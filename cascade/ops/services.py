"""Operations on the whole database: key rotation, backup, restore."""

from django.apps import apps
from django.db import transaction

from cascade.access.fields import EncryptedTextField


def encrypted_fields():
    for model in apps.get_models():
        fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if fields:
            yield model, fields


@transaction.atomic
def rotate_keys() -> dict[str, int]:
    """Re-encrypt every encrypted value with the newest key; returns rows per model.

    Reading decrypts with any listed key; ``update()`` writes with the newest one.
    Once this has run, older keys can be removed from CASCADE_FERNET_KEYS.
    """
    done = {}
    for model, fields in encrypted_fields():
        names = [f.name for f in fields]
        count = 0
        for row in model._base_manager.values("pk", *names).iterator():
            values = {name: row[name] for name in names if row[name]}
            if values:
                model._base_manager.filter(pk=row["pk"]).update(**values)
                count += 1
        done[model._meta.label] = count
    return done
