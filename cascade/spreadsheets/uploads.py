"""Workbooks waiting to be imported, kept in private files between the check and the import.

The admin's import page saves the upload here; its check and its import (background
jobs, which a ``cascade worker`` may run in another process) read it from here; and
``cascade import --background`` copies its file here, so that the worker reads what
the operator named even when it cannot see her folders. The folder is in Cascade's
data folder (not the system's temporary folder, which a service may keep private
to itself), mode 0700; files are 0600. They hold names and e-mails, so they are
deleted after every outcome, and one never confirmed is deleted after an hour
(``cascade clean-imports`` too).
"""

import os
import shutil
import tempfile
import time
import zipfile
from pathlib import Path

from django.conf import settings

#: Waiting uploads are named so in the upload folder.
UPLOAD_PREFIX = "cascade-import-"
#: An upload not confirmed within this many seconds is abandoned: it holds names and e-mails, so it goes.
UPLOAD_MAX_AGE = 60 * 60


def upload_folder() -> Path:
    folder = Path(getattr(settings, "IMPORT_UPLOADS_DIR", None) or settings.DATA_DIR / "imports")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _private_file(suffix: str) -> tuple[int, Path]:
    handle, name = tempfile.mkstemp(prefix=UPLOAD_PREFIX, suffix=suffix.lower(), dir=upload_folder())
    os.fchmod(handle, 0o600)  # mkstemp's own mode, said once more so that it holds by construction
    return handle, Path(name)


def save_upload(upload, csv_as_sheet: bool = False) -> Path:
    """Write an uploaded file to a private file (mode 0600) and return its path.

    Abandoned uploads of earlier checks are removed first. ``csv_as_sheet``: a .csv file
    is kept in a .zip under its own name, which names its sheet (a workbook's import).
    """
    remove_abandoned_uploads()
    single_csv = csv_as_sheet and Path(upload.name).suffix.lower() == ".csv"
    handle, path = _private_file(".zip" if single_csv else Path(upload.name).suffix)
    try:
        with os.fdopen(handle, "wb") as out:
            if single_csv:  # its name is its sheet's: kept in a .zip, since the waiting file's name is ours
                with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive, \
                        archive.open(Path(upload.name).name, "w") as member:
                    for chunk in upload.chunks():
                        member.write(chunk)
            else:
                for chunk in upload.chunks():
                    out.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def save_copy(source, csv_as_sheet: bool = False) -> Path:
    """Copy a workbook, .zip or folder of .csv files the operator named into a private file.

    A folder becomes a .zip of its .csv files (the importer reads both alike); with
    ``csv_as_sheet``, so does a single .csv file, keeping the name that names its sheet.
    """
    source = Path(source)
    remove_abandoned_uploads()
    single_csv = csv_as_sheet and source.suffix.lower() == ".csv"
    handle, path = _private_file(".zip" if source.is_dir() or single_csv else source.suffix)
    try:
        with os.fdopen(handle, "wb") as out:
            if single_csv:  # its name is its sheet's: kept in a .zip, since the copy's name is ours
                with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
                    archive.write(source, source.name)
            elif source.is_dir():
                with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
                    for member in sorted(source.iterdir()):
                        if member.suffix.lower() == ".csv" and member.is_file():
                            archive.write(member, member.name)
            else:
                with source.open("rb") as data:
                    shutil.copyfileobj(data, out)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def upload_named(name: str) -> Path | None:
    """The waiting upload of this file name (as a job's parameters keep it), if it is still there."""
    path = upload_folder() / Path(name).name
    return path if is_upload(path) else None


def keep_waiting(path: Path) -> None:
    """Its hour of waiting for confirmation starts now (after a check that took its time)."""
    try:
        os.utime(path)
    except FileNotFoundError:
        pass


def is_upload(path: Path) -> bool:
    """Whether ``path`` is a waiting upload of ours (and not any other file a session might name)."""
    return path.parent == upload_folder() and path.name.startswith(UPLOAD_PREFIX) and path.is_file()


def remove_abandoned_uploads(max_age: float = UPLOAD_MAX_AGE) -> int:
    """Delete waiting uploads older than ``max_age`` seconds; returns how many were deleted."""
    oldest = time.time() - max_age
    removed = 0
    for path in upload_folder().glob(f"{UPLOAD_PREFIX}*"):
        try:
            if path.is_file() and path.stat().st_mtime < oldest:
                path.unlink()
                removed += 1
        except FileNotFoundError:  # another worker removed it first
            continue
    return removed
