"""Workflows behind ``cascade demo``: load the demo once, keep a login that always works."""

import os
import secrets
from dataclasses import dataclass

from auditlog.context import disable_auditlog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from cascade.audit import services as audit
from cascade.audit.models import AuditEntry
from cascade.curriculum.models import Manual
from cascade.indicators.models import IndicatorObservation
from cascade.network.models import Organization, Person, Place
from cascade.trainings.models import Training

from .network import DEMO_SEED, build_demo_network

DEMO_USERNAME = "demo"
LOGIN_FILE = "demo-login.txt"
LOADED = "cascade.demo.loaded"


@dataclass
class DemoLogin:
    username: str
    password: str
    path: os.PathLike


def load_demo_if_empty(seed: int = DEMO_SEED) -> dict[str, int] | None:
    """Load the demo network unless the database already holds trainings (demo or real)."""
    if Training.objects.exists():
        return None
    loaded = build_demo_network(seed)
    audit.log(LOADED, seed=seed, **loaded)
    return loaded


def is_demo_database() -> bool:
    """Whether this database was filled by the demo: only then may a printed login open it."""
    return AuditEntry.objects.filter(action=LOADED).exists()


@transaction.atomic
def wipe_network() -> None:
    """Delete every training, person, organisation, place, manual and indicator: for demo databases only.

    One audit entry records the wipe; the change history goes with the data (it
    would only keep the names of people who are gone).
    """
    from auditlog.models import LogEntry

    deleted = {}
    from cascade.curriculum.models import Edition

    from cascade.photos.models import Photo

    for edition in Edition.objects.exclude(file=""):
        edition.file.delete(save=False)  # the files go with their rows
    for photo in Photo.objects.all():
        photo.delete_files()
    with disable_auditlog():
        for model in (Training, Person, Organization, Place, Manual, IndicatorObservation):
            deleted[model._meta.label_lower] = model.objects.all().delete()[0]
        LogEntry.objects.all().delete()
    audit.log("cascade.demo.wiped", **deleted)


def ensure_demo_login() -> DemoLogin:
    """The demo staff account, with the password kept in DATA_DIR so every run prints the same one.

    The password is set again on each run, so the printed login always works,
    even on a new database or after someone changed it.
    """
    path = settings.DATA_DIR / LOGIN_FILE
    password = _read_password(path)
    if password is None:
        password = secrets.token_urlsafe(12)
        _write_private(path, f"username: {DEMO_USERNAME}\npassword: {password}\n")
    user, _created = get_user_model().objects.get_or_create(username=DEMO_USERNAME)
    if not (user.is_staff and user.is_superuser and user.is_active and user.check_password(password)):
        user.is_staff = user.is_superuser = user.is_active = True
        user.set_password(password)
        user.save()
    return DemoLogin(DEMO_USERNAME, password, path)


def _read_password(path) -> str | None:
    try:
        lines = path.read_text().splitlines()
    except FileNotFoundError:
        return None
    for line in lines:
        name, _sep, value = line.partition(":")
        if name.strip() == "password" and value.strip():
            return value.strip()
    return None


def _write_private(path, text: str) -> None:
    """Write a file only its owner can read (0600), whatever the umask."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.chmod(path, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(text)
