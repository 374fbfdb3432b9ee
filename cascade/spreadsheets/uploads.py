"""Workbooks uploaded to the admin's import page, kept in private files between preview and import.

They hold names and e-mails, so they are written 0600, deleted after every outcome, and
an upload never confirmed is deleted after an hour (``cascade clean-imports`` too).
"""

import os
import tempfile
import time
from pathlib import Path

#: Uploads waiting between preview and confirmation are named so in the temporary folder.
UPLOAD_PREFIX = "cascade-import-"
#: An upload not confirmed within this many seconds is abandoned: it holds names and e-mails, so it goes.
UPLOAD_MAX_AGE = 60 * 60


def upload_folder() -> Path:
    return Path(tempfile.gettempdir())


def save_upload(upload) -> Path:
    """Write an uploaded file to a private temporary file (mode 0600) and return its path.

    Abandoned uploads of earlier previews are removed first.
    """
    remove_abandoned_uploads()
    handle, name = tempfile.mkstemp(prefix=UPLOAD_PREFIX, suffix=Path(upload.name).suffix.lower(),
                                    dir=upload_folder())
    os.fchmod(handle, 0o600)  # mkstemp's own mode, said once more so that it holds by construction
    try:
        with os.fdopen(handle, "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


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
