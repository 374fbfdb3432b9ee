"""`cascade serve`: its arguments, its refusal of an unmigrated database, and one real, bounded run."""

import gzip
import os
import re
import signal
import socket
import stat
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import pytest

from cascade.ops.management.commands.serve import MAX_DEFAULT_WORKERS, default_workers, parse_bind
from tests.ops.test_settings import ROOT, SECRETS, cascade, one_line_error


@pytest.mark.parametrize("value", ["127.0.0.1:8000", "0.0.0.0:80", "localhost:65535", "[::1]:8000",
                                   "cascade.example.org:8443", "unix:/run/cascade/cascade.sock"])
def test_it_takes_host_and_port_ipv6_in_brackets_or_a_unix_socket(value):
    assert parse_bind(value) == value


@pytest.mark.parametrize("value, reason", [
    ("8000", "HOST:PORT"), ("127.0.0.1", "HOST:PORT"), ("127.0.0.1:http", "HOST:PORT"),
    ("::1:8000", "HOST:PORT"), ("127.0.0.1:0", "between 1 and 65535"),
    ("127.0.0.1:70000", "between 1 and 65535"), ("unix:cascade.sock", "unix:/absolute/path.sock"),
])
def test_it_refuses_a_bind_address_it_cannot_read_and_says_why(value, reason):
    with pytest.raises(ValueError, match=re.escape(reason)):
        parse_bind(value)


def test_workers_default_to_two_per_core_plus_one_at_most_eight(monkeypatch):
    monkeypatch.delenv("CASCADE_WORKERS", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert default_workers() == 5
    monkeypatch.setattr(os, "cpu_count", lambda: 32)
    assert default_workers() == MAX_DEFAULT_WORKERS == 8
    monkeypatch.setenv("CASCADE_WORKERS", "3")
    assert default_workers() == 3


def test_it_refuses_an_unmigrated_database_in_one_line_naming_cascade_migrate(tmp_path):
    line = one_line_error(cascade(tmp_path / "var", "serve", "--bind", "127.0.0.1:1", "--workers", "1"))
    assert "not up to date" in line and "`cascade migrate`" in line


def test_it_refuses_a_bad_bind_address_in_one_line(tmp_path):
    line = one_line_error(cascade(tmp_path / "var", "serve", "--bind", "localhost"))
    assert "--bind localhost" in line and "HOST:PORT" in line


def test_it_refuses_zero_workers(tmp_path):
    result = cascade(tmp_path / "var", "serve", "--workers", "0")
    assert result.returncode == 2 and "--workers" in result.stderr


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str):
    """(status, headers, body) of a GET, error statuses included."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def wait_for(url: str, server: subprocess.Popen, seconds: float = 90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"cascade serve ended with status {server.returncode}")
        try:
            return fetch(url)
        except (urllib.error.URLError, ConnectionError, socket.timeout):
            time.sleep(0.3)
    pytest.fail(f"cascade serve did not answer {url} within {seconds} s")


def collect_all_but_the_stylesheet_compressed(static_root, settings):
    """Collect into ``static_root`` as `cascade serve` will, and give every file but the stylesheet a
    current gzip copy (level 1, made here in a blink): serve's own collectstatic then compresses the
    stylesheet alone, at its best ratio and with the collected files' permissions. Compressing the
    ~700 other assets with brotli took most of this test's time; which copies are compressed again
    is tests/ops/test_static_files.py's subject, not serving's."""
    from django.core.management import call_command

    settings.STATIC_ROOT = static_root
    settings.STATIC_COMPRESS = False
    call_command("collectstatic", interactive=False, verbosity=0)
    skipped = tuple(f".{extension}" for extension in settings.WHITENOISE_SKIP_COMPRESS_EXTENSIONS)
    for path in static_root.rglob("*"):
        if path.is_file() and not path.name.endswith(skipped) and not (
                path.parent.name == "web" and path.name.startswith("cascade.") and path.suffix == ".css"):
            with gzip.open(f"{path}.gz", "wb", compresslevel=1) as copy:
                copy.write(path.read_bytes())


def test_it_serves_health_the_sign_in_page_and_hashed_static_files_then_stops(tmp_path, settings):
    data = tmp_path / "var"
    assert cascade(data, "migrate", "--noinput", "-v0").returncode == 0
    collect_all_but_the_stylesheet_compressed(data / "static", settings)
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if k not in SECRETS}
    environment.update(CASCADE_DATA_DIR=str(data), PYTHONPATH=str(ROOT))
    server = subprocess.Popen(
        [sys.executable, "-m", "cascade", "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        env=environment, cwd=tempfile.gettempdir(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        status, headers, body = wait_for(f"{base}/healthz", server)
        assert status == 503 and '"worker": {"ok": false' in body and '"database": {"ok": true}' in body
        assert headers["Cache-Control"] == "no-store"
        # A worker's heartbeat, written by the server's clock (the tests' own is moved).
        with sqlite3.connect(data / "cascade.sqlite3") as db:
            db.execute("INSERT INTO jobs_workerheartbeat (worker_id, host, pid, started_at, seen_at) "
                       "VALUES ('w1', 'here', 1, datetime('now'), strftime('%Y-%m-%d %H:%M:%f', 'now'))")
        status, _headers, body = fetch(f"{base}/healthz")
        assert status == 200 and '"status": "ok"' in body

        status, headers, page = fetch(f"{base}/accounts/login/?next=/")
        assert status == 200 and 'name="password"' in page
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        stylesheet = re.search(r'href="(/static/web/cascade\.[0-9a-f]{12}\.css)"', page)
        assert stylesheet, "the sign-in page names the stylesheet by its hashed name"
        status, headers, css = fetch(base + stylesheet[1])
        assert status == 200 and css
        assert headers["Cache-Control"] == "max-age=31536000, public, immutable"
        compressed = data / "static" / (stylesheet[1].removeprefix("/static/") + ".gz")
        assert stat.S_IMODE(compressed.stat().st_mode) == 0o644  # as every collected file
        with gzip.open(compressed) as copy:  # compressed by serve's collectstatic, from this very file
            assert copy.read().decode() == css
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            output, _ = server.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            output, _ = server.communicate()
    assert server.returncode == 0, output
    # The access log: one line a request, on stdout, without the query string.
    assert re.search(r'"GET /accounts/login/ HTTP/1.1" 200 \d+', output), output
    assert "next=" not in output
    assert "Shutting down" in output
