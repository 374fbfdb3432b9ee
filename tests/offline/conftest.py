"""The small network the recorded exports in tests/offline/data/ name: trainer-aigul, the
manual ltc with two sessions, in Kyrgyzstan; and a local HTTP server answering as
KoboToolbox's API v2 and ODK Central's OData do."""

import datetime
import http.server
import json
import threading
from pathlib import Path

import pytest

from cascade.curriculum.models import Manual, ManualSession
from cascade.trainings.models import Participation

DATA = Path(__file__).parent / "data"


@pytest.fixture
def network(create_person, create_training, create_organization):
    host = create_organization(key="rc-naryn", name="Resource Centre Naryn", country_id="KG")
    aigul = create_person(key="trainer-aigul", full_name="Aigul Bekova", country_id="KG", organization=host)
    institute = create_training(key="institute-2025", start_date=datetime.date(2025, 6, 1),
                                end_date=datetime.date(2025, 6, 5), country_id="KG")
    Participation.objects.create(training=institute, person=aigul, role="participant", completed=True)
    manual = Manual.objects.create(key="ltc", title={"en": "Leading to Choices", "ru": "Лидерство и выбор"})
    for number in (1, 2):
        ManualSession.objects.create(manual=manual, number=number, title={"en": f"Session {number}"})
    return {"aigul": aigul, "institute": institute, "manual": manual, "host": host}


class Recorded(http.server.BaseHTTPRequestHandler):
    """Answers from the recorded JSON files; ``routes``: (method, path with query) -> (file, needed header)."""

    routes: dict = {}
    files: dict = {}
    seen: list = []

    def _answer(self):
        self.seen.append((self.command, self.path, self.headers.get("Authorization", "")))
        route = self.routes.get((self.command, self.path))
        if route is None:
            self.send_response(404)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"detail": "Not found."}')
            return
        body, needed, kind = route
        if needed and self.headers.get("Authorization") != needed:
            self.send_response(401)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"detail": "Invalid token."}')
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        self._answer()

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._answer()

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    """A local server on a random port; ``add(method, path, file or bytes, auth)`` records an answer."""
    handler = type("Handler", (Recorded,), {"routes": {}, "seen": []})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()

    def add(method, path, answer, auth="", kind="application/json"):
        if isinstance(answer, str):
            answer = (DATA / answer).read_text(encoding="utf-8").replace("{base}", base).encode()
        handler.routes[(method, path)] = (answer, auth, kind)

    add.base, add.seen = base, handler.seen
    yield add
    httpd.shutdown()
    httpd.server_close()


def load(name: str, base: str = "http://kobo.invalid") -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8").replace("{base}", base))
