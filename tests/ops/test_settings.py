"""Settings Cascade cannot run with end in one clear line, and keys are never silently replaced.

Each case starts the `cascade` command in a fresh process, as an operator would.
"""

import os
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECRETS = ("SECRET_KEY", "CASCADE_FERNET_KEYS", "CASCADE_LOOKUP_KEY", "CASCADE_PSEUDONYM_KEY", "DATABASE_URL")


def cascade(data_dir, *args, read_only=False, **env):
    environment = {k: v for k, v in os.environ.items() if k not in SECRETS}
    environment.update(CASCADE_DATA_DIR=str(data_dir), PYTHONPATH=str(ROOT), **env)
    command = [sys.executable, "-m", "cascade", *args]
    if read_only:
        # Root may write into any folder, but not into a read-only mount: the child gets
        # one of its own (a private mount namespace), as a service user gets a 0555 folder.
        command = ["unshare", "-m", "sh", "-c", 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" '
                   '&& exec "$@"', str(data_dir), *command]
    return subprocess.run(command, capture_output=True, text=True,
                          env=environment, cwd=tempfile.gettempdir(), timeout=120)


def mode(path) -> int:
    return stat.S_IMODE(Path(path).stat().st_mode)


def one_line_error(result) -> str:
    assert result.returncode != 0 and result.stdout == ""
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_the_first_run_on_an_empty_data_folder_makes_private_keys(tmp_path):
    data = tmp_path / "var"
    assert cascade(data, "check").returncode == 0
    assert mode(data) == 0o700
    for name in ("secret_key", "fernet_keys", "lookup_key", "pseudonym_key"):
        assert mode(data / name) == 0o600, name


def test_a_missing_key_file_is_an_error_once_data_exists_and_no_new_key_is_made(tmp_path):
    data = tmp_path / "var"
    assert cascade(data, "check").returncode == 0
    (data / "cascade.sqlite3").write_bytes(b"SQLite format 3\0" + bytes(100))
    (data / "fernet_keys").unlink()
    line = one_line_error(cascade(data, "check"))
    assert "fernet_keys is missing" in line and "CASCADE_FERNET_KEYS" in line
    assert not (data / "fernet_keys").exists()


def test_a_key_given_in_the_environment_needs_no_file(tmp_path):
    data = tmp_path / "var"
    assert cascade(data, "check").returncode == 0
    key = (data / "lookup_key").read_text()
    (data / "lookup_key").unlink()
    assert cascade(data, "check", CASCADE_LOOKUP_KEY=key).returncode == 0
    assert not (data / "lookup_key").exists()


@pytest.mark.parametrize("url", ["postgres://cascade@db.example:port/cascade", "nonsense", "mysqlx://host/db"])
def test_a_malformed_database_url_is_one_line_that_shows_the_expected_form(tmp_path, url):
    line = one_line_error(cascade(tmp_path, "check", DATABASE_URL=url))
    assert "DATABASE_URL" in line and "postgres://USER:PASSWORD@HOST:5432/NAME" in line
    assert "db.example" not in line, "the address may hold a password: it is not repeated"


def test_a_data_folder_this_user_cannot_write_is_one_line(tmp_path):
    data = tmp_path / "var"
    data.mkdir()
    if os.getuid() == 0:
        result = cascade(data, "check", read_only=True)
    else:
        data.chmod(0o555)
        result = cascade(data, "check")
        data.chmod(0o700)
    line = one_line_error(result)
    assert f"The data directory {data} cannot be written" in line
    assert not any(data.iterdir())
