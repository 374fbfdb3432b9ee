"""Playwright driving Debian's Chromium against pytest-django's live server.

A missing browser FAILS these tests (it never skips them): CI installs Chromium
(`apt-get install chromium`: `make test` installs it when run as root) and axe-core
(`npm ci` in `make test`, from the npm registry).
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls of the
# tests themselves are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update"]
ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "a-long-pass-phrase"


# ``chromium`` (one Playwright for the whole run) is in tests/conftest.py, shared with tests/selection.


@pytest.fixture
def axe_source():
    if not AXE.exists():
        pytest.fail(f"axe-core is missing at {AXE}: run `npm ci` at the repository root.")
    return AXE.read_text()


@pytest.fixture
def site(live_server, settings, transactional_db, request):
    """The live server in demo mode (second factor offered, not enforced) with a signed-up admin.

    Passwords are hashed with MD5, as in tests/selection: these tests sign in and sign up dozens
    of times. A module that sets ``REAL_PASSWORD_HASHING = True`` (test_invitations.py) keeps
    Argon2 (at the suite's quick cost, tests/hashers.py)."""
    from django.contrib.auth import get_user_model

    settings.DEMO_MODE = True
    if not getattr(request.module, "REAL_PASSWORD_HASHING", False):
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    get_user_model().objects.create_superuser("alice", "alice@example.org", PASSWORD)
    return live_server


@pytest.fixture
def page(chromium, site):
    """A desktop page; requests anywhere but the live server are recorded in ``page.outside``."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.outside = []
    page.on("request", lambda request: None if request.url.startswith((site.url, "data:"))
            else page.outside.append(request.url))
    yield page
    context.close()


def sign_in(page, url, username="alice", password=PASSWORD):
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/")


@pytest.fixture
def swrc_network(transactional_db, partners, bob):
    """SWRC with bob (its staff), 30 of its activists, three of whom facilitated last year, and a manual."""
    import datetime

    from cascade.curriculum.models import Manual, ManualSession
    from cascade.network.models import Person
    from cascade.trainings.models import Participation, Training

    manual = Manual.objects.create(key="choices", title={"en": "Leading to Choices", "ru": "Путь к выбору"})
    for number, title in enumerate(["Communication", "Negotiation", "Coalitions"], start=1):
        ManualSession.objects.create(manual=manual, number=number, title={"en": title, "ru": title})
    people = [Person.objects.create(key=f"swrc-{n:02d}", full_name=f"Activist {n:02d}", gender="woman",
                                    country_id="KZ", organization=partners["swrc"]) for n in range(30)]
    earlier = Training.objects.create(key="swrc-2025", kind="institute", title={"en": "SWRC 2025"},
                                      start_date=datetime.date(2025, 5, 1), country_id="KZ", host=partners["swrc"])
    for person in people[27:]:
        Participation.objects.create(training=earlier, person=person, role="facilitator")
    return {"partners": partners, "manual": manual, "people": people}
