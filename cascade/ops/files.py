"""Files that hold people's data are readable by the user that runs Cascade alone.

New files are 0600 and new folders 0700 because settings sets the umask to 077, and
uploads follow FILE_UPLOAD_PERMISSIONS. An install made before that may still have a
world-readable database: it is tightened when Cascade starts.
"""

import os
import stat
from pathlib import Path

from django.conf import settings

PRIVATE_FILE = 0o600


def private_open(path, mode: str = "wb"):
    """Open a new file for writing that only this user can read, whatever the umask."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    os.chmod(path, PRIVATE_FILE)  # an existing file keeps its mode through O_CREAT
    return os.fdopen(descriptor, mode)


def tighten_database_files() -> None:
    """Make the SQLite database and its WAL files 0600 if others could read them."""
    database = getattr(settings, "SQLITE_FILE", None)
    if database is None:
        return
    for path in (Path(database), Path(f"{database}-wal"), Path(f"{database}-shm")):
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
            if mode & 0o077:
                path.chmod(mode & 0o700)
        except (FileNotFoundError, PermissionError):
            continue


def file_to_write(path, error, is_folder: str, example: str, no_folder: str) -> Path:
    """``path`` as a file a command may write, or ``error`` raised with the message that says what is wrong:
    ``is_folder`` (with ``path`` and ``example``, a file of that name in it) when it names a folder,
    ``no_folder`` (with ``folder``) when its folder does not exist. Said before any work starts."""
    path = Path(path)
    if path.is_dir():
        raise error(is_folder % {"path": path, "example": path / example})
    if not path.parent.is_dir():
        raise error(no_folder % {"folder": path.parent})
    return path
