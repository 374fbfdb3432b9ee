"""Operations on the whole database: key rotation, backup, restore."""

import base64
import datetime
import gzip
import json

from django.apps import apps
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import FileField
from django.utils.translation import gettext as _

from cascade.lib import crypto
from cascade.lib.fields import EncryptedTextField


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


# --- Backup and restore ------------------------------------------------------------
#
# One portable file for SQLite and PostgreSQL alike: the rows as Django serialises
# them, read inside one transaction (a consistent snapshot while the server runs),
# plus the photo files, gzipped and encrypted with the newest CASCADE_FERNET_KEYS key.
# Portable means a backup of the laptop's SQLite can be restored into PostgreSQL.
# Encrypted because the rows hold names, and contacts after decryption.

FORMAT = "cascade-backup-1"
# Recreated by `migrate` (and referred to by natural key), or not worth keeping.
SKIPPED = {"contenttypes.contenttype", "auth.permission", "sessions.session"}


# A database with rows in any of these is not empty: restore will not overwrite it.
CONTENT = ["auth.User", "network.Organization", "network.Person", "trainings.Training"]


class BackupError(Exception):
    pass


def backed_up_models():
    models = [m for m in apps.get_models() if m._meta.label_lower not in SKIPPED
              and not m._meta.proxy and m._meta.managed]
    return serializers.sort_dependencies([(None, models)], allow_cycles=True)


def _snapshot(outermost: bool):
    """Make the transaction see one moment of the database (SQLite's read transaction already does)."""
    if outermost and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")


def _media_files(models) -> dict[str, str]:
    files = {}
    for model in models:
        for field in model._meta.concrete_fields:
            if isinstance(field, FileField):
                for name in model._base_manager.exclude(**{field.name: ""}).values_list(field.name, flat=True):
                    if name and default_storage.exists(name):
                        with default_storage.open(name, "rb") as handle:
                            files[name] = base64.b64encode(handle.read()).decode()
    return files


def _referenced_files(models) -> set[str]:
    return {name for model in models for field in model._meta.concrete_fields if isinstance(field, FileField)
            for name in model._base_manager.values_list(field.name, flat=True) if name}


def backup(path) -> dict[str, int]:
    models = backed_up_models()
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        _snapshot(outermost)
        rows = {}
        data = []
        for model in models:
            objects = list(model._base_manager.order_by("pk"))
            rows[model._meta.label_lower] = len(objects)
            data.extend(json.loads(serializers.serialize(
                "json", objects, use_natural_foreign_keys=True, cls=_ExactJSONEncoder)))
        media = _media_files(models)
    payload = json.dumps({"format": FORMAT, "database": data, "media": media}).encode()
    with open(path, "wb") as out:
        out.write(crypto.fernet().encrypt(gzip.compress(payload)))
    return rows


def _read(path) -> dict:
    from cryptography.fernet import InvalidToken

    with open(path, "rb") as handle:
        token = handle.read()
    try:
        payload = json.loads(gzip.decompress(crypto.fernet().decrypt(token)))
    except InvalidToken:
        raise BackupError("This file cannot be decrypted with the keys in CASCADE_FERNET_KEYS "
                          "(or it is not a Cascade backup).") from None
    if payload.get("format") != FORMAT:
        raise BackupError(f"This is not a {FORMAT} file.")
    return payload


class _ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder cuts times to milliseconds; a backup keeps every microsecond."""

    def default(self, o):
        if isinstance(o, datetime.datetime):
            return o.isoformat()
        if isinstance(o, datetime.time):
            return o.isoformat()
        return super().default(o)


class Restored(dict):
    """Rows restored per model, and how many people erased since the backup were erased again
    (None: no register of erasures was found, see ``cascade.access.erasure``)."""

    erasures_reapplied: int | None = None


def restore(path) -> Restored:
    """Load a backup into an empty, migrated database; nothing is written if anything fails.

    People erased after the backup was made come back with it: the register of erasures,
    kept outside the database, erases them again in the same transaction."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise BackupError(_("This database is not ready for a restore: run `cascade migrate` first, "
                            "then restore into it."))
    payload = _read(path)
    models = backed_up_models()
    occupied = [label for label in CONTENT if apps.get_model(label)._base_manager.exists()]
    if occupied:
        raise BackupError("Restore goes into an empty database (run `cascade migrate` on a new one); "
                          f"this one already holds rows in: {', '.join(occupied)}.")
    from auditlog.context import disable_auditlog

    from cascade.access import erasure

    counts = Restored()
    with transaction.atomic(), disable_auditlog(), connection.constraint_checks_disabled():
        # What migrations load (regions, countries) and caches: the backup has its own rows.
        for model in reversed(models):
            model._base_manager.all().delete()
        for item in serializers.deserialize("json", json.dumps(payload["database"]), handle_forward_references=True):
            item.save()
            label = item.object._meta.label_lower
            counts[label] = counts.get(label, 0) + 1
        connection.check_constraints()
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
        counts.erasures_reapplied = erasure.reapply()
    kept = _referenced_files(models)  # not the photos of people erased again
    for name, content in payload["media"].items():
        if name in kept and not default_storage.exists(name):
            default_storage.save(name, ContentFile(base64.b64decode(content)))
    return counts
