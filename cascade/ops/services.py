"""Operations on the whole database: key rotation, backup, restore."""

import base64
import contextlib
import datetime
import gzip
import json
import sqlite3
import tempfile
import uuid
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import connection, connections, transaction
from django.db.models import FileField
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cascade.jobs.progress import Progress

from cascade.lib import crypto
from cascade.lib.fields import EncryptedTextField
from cascade.ops.files import file_to_write, private_open


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
# them, read from one moment of the database while the server runs (on SQLite a copy
# made with the online backup API, on PostgreSQL a read-only repeatable-read
# transaction; neither makes writers wait), plus the photo files, gzipped and encrypted with the newest CASCADE_FERNET_KEYS key.
# Portable means a backup of the laptop's SQLite can be restored into PostgreSQL.
# Encrypted because the rows hold names, and contacts after decryption.

FORMAT = "cascade-backup-1"
# The phases of a backup (a terminal's bar, a job's page): tables one by one, photo files one by one.
TABLES = gettext_lazy("Reading the tables")
FILES = gettext_lazy("Reading the photo files")
WRITING = gettext_lazy("Encrypting and writing the backup")
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


def _media_names(models, using: str) -> list[str]:
    return [name for model in models for field in model._meta.concrete_fields if isinstance(field, FileField)
            for name in model._base_manager.using(using).exclude(**{field.name: ""})
            .values_list(field.name, flat=True) if name]


def _media_files(models, using: str, progress: Progress) -> dict[str, str]:
    names = _media_names(models, using)
    progress.phase(FILES, total=len(names))
    files = {}
    for name in names:
        if default_storage.exists(name):
            with default_storage.open(name, "rb") as handle:
                files[name] = base64.b64encode(handle.read()).decode()
        progress.advance()
    return files


def _referenced_files(models) -> set[str]:
    return {name for model in models for field in model._meta.concrete_fields if isinstance(field, FileField)
            for name in model._base_manager.values_list(field.name, flat=True) if name}


def _rows(models, using: str, progress: Progress) -> tuple[dict[str, int], list]:
    progress.phase(TABLES, total=len(models))
    rows, data = {}, []
    for model in models:
        objects = list(model._base_manager.using(using).order_by("pk"))
        rows[model._meta.label_lower] = len(objects)
        data.extend(json.loads(serializers.serialize(
            "json", objects, use_natural_foreign_keys=True, cls=_ExactJSONEncoder)))
        progress.advance()
    return rows, data


@contextlib.contextmanager
def _sqlite_snapshot():
    """A private copy of the SQLite database, made with SQLite's online backup API.

    The copy is made in one step by a connection of its own, under a read lock; in WAL
    mode a reader does not stop writers, so step-down reports, sign-ins and uploads go
    on while it is made and while the rows are read from the copy. (A transaction on
    the live database would hold the write lock for the whole backup: writes start
    IMMEDIATE on SQLite.) Yields the alias of a connection to the copy, deleted afterwards.
    """
    with tempfile.TemporaryDirectory(prefix="cascade-backup-") as folder:
        copy = Path(folder) / "snapshot.sqlite3"
        source = sqlite3.connect(**{**connection.get_connection_params(), "check_same_thread": True})
        target = sqlite3.connect(copy)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
        with _own_connection(NAME=str(copy), OPTIONS={"timeout": 30}) as alias:
            yield alias


@contextlib.contextmanager
def _own_connection(**settings):
    """A connection of this thread only, to the same database (or ``settings``' one), closed afterwards.

    Not a configured database: nothing else can pick it up. The backup reads through one, so
    the default connection stays free for the backup's progress (a job's page reads it)."""
    alias = f"cascade-backup-{uuid.uuid4().hex}"
    connections[alias] = type(connections[connection.alias])({**connection.settings_dict, **settings}, alias)
    try:
        yield alias
    finally:
        connections[alias].close()
        del connections[alias]


@contextlib.contextmanager
def _snapshot():
    """One moment of the database to read from, without holding up the people writing to it.

    A caller already inside a transaction (a test, a larger operation) reads its own view.
    """
    if connection.in_atomic_block:
        yield connection.alias
    elif connection.vendor == "sqlite":
        with _sqlite_snapshot() as alias:
            yield alias
    else:
        with _own_connection() as alias, transaction.atomic(using=alias):
            if connection.vendor == "postgresql":
                # A snapshot that takes no lock a writer waits for.
                with connections[alias].cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            yield alias


def check_target(path) -> Path:
    """The backup file to write, or a clear error naming what is wrong with the path."""
    return file_to_write(
        path, BackupError,
        _("%(path)s is a folder: give the name of the backup file to write, for example %(example)s."),
        "cascade.backup",
        _("The folder %(folder)s does not exist: create it first, or write the backup somewhere else."))


def backup(path, progress: Progress | None = None) -> dict[str, int]:
    """Write every table and the photo files to ``path``, encrypted; returns rows per model."""
    progress = progress or Progress()
    path = check_target(path)
    models = backed_up_models()
    with _snapshot() as using:
        rows, data = _rows(models, using, progress)
        media = _media_files(models, using, progress)
    progress.phase(WRITING)
    payload = json.dumps({"format": FORMAT, "database": data, "media": media}).encode()
    token = crypto.fernet().encrypt(gzip.compress(payload))
    try:
        with private_open(path) as out:
            out.write(token)
    except OSError as error:
        raise BackupError(_("The backup cannot be written to %(path)s: %(reason)s.")
                          % {"path": path, "reason": error.strerror or error}) from None
    return rows


def write_backup(path, actor, progress: Progress | None = None) -> dict[str, int]:
    """``backup`` for an actor who may (the operator, or a network admin), with its trace in the audit log."""
    from cascade.access import require
    from cascade.audit import services as audit

    require("ops.backup", actor)
    rows = backup(path, progress)
    audit.log("cascade.backup.written", actor, None, file=str(path), rows=sum(rows.values()))
    return rows


def _backup_file(path) -> Path:
    """The backup file to read, or a clear error naming what is wrong with the path."""
    path = Path(path)
    if path.is_dir():
        raise BackupError(_("%(path)s is a folder; restore reads one backup file written by "
                            "`cascade backup`.") % {"path": path})
    if not path.is_file():
        raise BackupError(_("There is no backup file at %(path)s.") % {"path": path})
    return path


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

    path = _backup_file(path)

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
    from cascade.metrics import signals as figures_kept

    # the engine's kept tables come back as they were, consistent with the rest: no hook recomputes them
    with transaction.atomic(), disable_auditlog(), connection.constraint_checks_disabled():
        with figures_kept.paused():
            # What migrations load (regions, countries) and caches: the backup has its own rows.
            for model in reversed(models):
                model._base_manager.all().delete()
            for item in serializers.deserialize("json", json.dumps(payload["database"]),
                                                handle_forward_references=True):
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
