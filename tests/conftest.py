"""Shared fixtures: small factories with sensible defaults (call them with overrides), and the personas.

The personas of the permission matrix are defined here once, for every test folder:
alice (network admin), bob (staff of SWRC, partner A), carol (staff of Bir Duino,
partner B), dave (a trainer, linked to his own person record), erin (a donor viewer)
and nora (signed in, with no role). Anonymous visitors are a plain client.
"""

import datetime
import functools
import itertools

import pytest

from cascade.curriculum.models import Manual, ManualSession
from cascade.network.models import Organization, Person
from cascade.trainings.models import Participation, Training

_counter = itertools.count(1)

#: The day the suite runs on. Calls, deadlines and institutes in the tests are dated around
#: January 2027, and planned and held trainings depend on today: the clock starts on this
#: day for the whole run (and keeps ticking), so the suite passes whenever it is run.
SUITE_TODAY = datetime.datetime(2026, 12, 2, 9, 0, tzinfo=datetime.UTC)


def pytest_configure(config):
    import time_machine

    config._cascade_clock = time_machine.travel(SUITE_TODAY, tick=True)
    config._cascade_clock.start()


def pytest_unconfigure(config):
    clock = getattr(config, "_cascade_clock", None)
    if clock is not None:
        clock.stop()


def _is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return bool(
        (marker and (marker.kwargs.get("transaction") or marker.kwargs.get("serialized_rollback")))
        or {"transactional_db", "live_server"} & set(request.fixturenames)
    )


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Put regions and countries back for tests that flush the database.

    A transactional test empties every table when it ends, including the countries
    that a migration loaded; the next such test would find none.
    """
    if _is_transactional(request):
        request.getfixturevalue("transactional_db")
        from cascade.network.models import Country, Region
        from cascade.network.regions import load_regions

        if not Country.objects.exists():
            load_regions(Region, Country)
    yield


@pytest.fixture(autouse=True)
def _quick_argon2(settings):
    """Passwords are hashed with Argon2 at its smallest cost (tests/hashers.py); a test or a folder
    that sets PASSWORD_HASHERS itself (MD5) still does so after this."""
    from tests.hashers import quick

    settings.PASSWORD_HASHERS = quick(settings.PASSWORD_HASHERS)


@pytest.fixture(autouse=True)
def _erasure_register(settings, tmp_path_factory):
    """Each test keeps its own register of erasures, so one test's erasures never reach another's restore."""
    settings.ERASURES_FILE = tmp_path_factory.mktemp("register") / "erasures.jsonl"


def _key(prefix: str) -> str:
    return f"{prefix}-{next(_counter)}"


@pytest.fixture
def create_organization(db):
    def create(**kwargs):
        kwargs.setdefault("key", _key("org"))
        kwargs.setdefault("name", f"Organisation {kwargs['key']}")
        kwargs.setdefault("country_id", "KZ")
        return Organization.objects.create(**kwargs)

    return create


@pytest.fixture
def create_person(db):
    def create(**kwargs):
        kwargs.setdefault("key", _key("person"))
        kwargs.setdefault("full_name", f"Person {kwargs['key']}")
        kwargs.setdefault("gender", Person.Gender.WOMAN)
        kwargs.setdefault("country_id", "KZ")
        return Person.objects.create(**kwargs)

    return create


@pytest.fixture
def create_manual(db):
    def create(sessions: int = 0, **kwargs):
        kwargs.setdefault("key", _key("manual"))
        kwargs.setdefault("title", {"en": f"Manual {kwargs['key']}"})
        manual = Manual.objects.create(**kwargs)
        for number in range(1, sessions + 1):
            ManualSession.objects.create(manual=manual, number=number, title={"en": f"Session {number}"})
        return manual

    return create


@pytest.fixture
def create_training(db):
    """``create_training(kind="step-down", start_date=..., participants=[p], facilitators=[q])``."""

    def create(participants=(), facilitators=(), manuals=(), **kwargs):
        kwargs.setdefault("key", _key("training"))
        kwargs.setdefault("kind", Training.Kind.INSTITUTE)
        kwargs.setdefault("title", {"en": f"Training {kwargs['key']}"})
        kwargs.setdefault("start_date", datetime.date(2019, 1, 10))
        kwargs.setdefault("country_id", "KZ")
        training = Training.objects.create(**kwargs)
        for person in participants:
            Participation.objects.create(training=training, person=person, role="participant")
        for person in facilitators:
            Participation.objects.create(training=training, person=person, role="facilitator")
        if manuals:
            training.manuals.set(manuals)
        return training

    return create


# --- Personas ---------------------------------------------------------------------

PASSWORD = "a long test password"
PERSONAS = ("alice", "bob", "carol", "dave", "erin", "nora")


@functools.lru_cache(maxsize=4)
def _password_hash(hashers: tuple) -> str:
    """One hash of PASSWORD per hasher setting: Argon2 at the product's cost takes about a second."""
    from django.contrib.auth.hashers import make_password

    return make_password(PASSWORD)


def make_user(username, kind=None, *, superuser=False, **role):
    """A user who signs in with PASSWORD, with a ``Role`` of ``kind`` (or none)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from cascade.accounts.models import Role

    user = get_user_model().objects.create(
        username=username, email=f"{username}@example.org", is_superuser=superuser, is_staff=superuser,
        password=_password_hash(tuple(settings.PASSWORD_HASHERS)))
    if kind:
        Role.objects.create(user=user, kind=kind, **role)
    return user


def make_partners() -> dict:
    """Partner A (SWRC, Kazakhstan) and partner B (Bir Duino, Kyrgyzstan), made once."""
    swrc, _ = Organization.objects.get_or_create(key="swrc", defaults={
        "name": "Shymkent Women's Resource Center", "short_name": "SWRC", "country_id": "KZ"})
    birduino, _ = Organization.objects.get_or_create(key="bir-duino", defaults={
        "name": "Bir Duino", "country_id": "KG"})
    return {"swrc": swrc, "birduino": birduino}


def make_persona(name: str, *, partners: dict, trainer_person=None):
    """One persona by name; ``dave`` needs the person record he trains as."""
    from cascade.accounts.models import Role

    if name == "alice":
        return make_user("alice", Role.Kind.NETWORK_ADMIN, superuser=True)
    if name == "bob":  # a partner admin: he manages partner A's users too
        return make_user("bob", Role.Kind.PARTNER_STAFF, organization=partners["swrc"], can_manage_users=True)
    if name == "carol":
        return make_user("carol", Role.Kind.PARTNER_STAFF, organization=partners["birduino"])
    if name == "dave":
        return make_user("dave", Role.Kind.TRAINER, person=trainer_person)
    if name == "erin":
        return make_user("erin", Role.Kind.DONOR)
    if name == "nora":
        return make_user("nora")
    raise ValueError(f"No persona is called {name}.")


@pytest.fixture
def create_user(db):
    """``create_user("rita", Role.Kind.TRAINER, person=p)``: a user who signs in with PASSWORD."""
    return make_user


@pytest.fixture
def partners(db):
    return make_partners()


@pytest.fixture
def trainer_person(partners, create_person):
    """The person record dave trains as (a folder may override it with one of its network)."""
    return create_person(key="dana", full_name="Dana Steptrainer", organization=partners["swrc"])


@pytest.fixture
def alice(db):
    return make_persona("alice", partners={})


@pytest.fixture
def bob(partners):
    return make_persona("bob", partners=partners)


@pytest.fixture
def carol(partners):
    return make_persona("carol", partners=partners)


@pytest.fixture
def dave(trainer_person):
    return make_persona("dave", partners={}, trainer_person=trainer_person)


@pytest.fixture
def erin(db):
    return make_persona("erin", partners={})


@pytest.fixture
def nora(db):
    return make_persona("nora", partners={})


@pytest.fixture
def personas(alice, bob, carol, dave, erin, nora):
    """Every persona by name; the anonymous visitor is ``None``."""
    return {"alice": alice, "bob": bob, "carol": carol, "dave": dave, "erin": erin, "nora": nora}


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path_factory):
    """Uploads and generated files of a test never land in the checkout's var/media."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _static_files_not_collected(settings, tmp_path_factory):
    """Pages name the plain static files, as on a fresh checkout, whatever `cascade demo` or
    `cascade serve` collected into the checkout's var/static (the browser tests' server
    finds assets by their plain names)."""
    settings.STATIC_ROOT = tmp_path_factory.mktemp("static")


@pytest.fixture(autouse=True)
def _english_unless_a_test_asks():
    """Each test starts in the default language: one that switches to Kyrgyz (a page,
    a command with --lang) must not leave the next test's messages in Kyrgyz."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _force_login_passes_two_step_sign_in(monkeypatch):
    """``client.force_login(user)`` is a completed sign-in, second factor included."""
    from cascade.accounts.testing import patch_client

    patch_client(monkeypatch)


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium through Playwright, one for the whole run (two sync Playwrights cannot coexist).

    A missing browser fails the test, never skips it: `apt-get install -y chromium`.
    """
    import os
    import shutil

    executable = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not (os.path.exists(executable) or shutil.which(executable)):
        pytest.fail(f"Chromium is not installed at {executable}: run `apt-get install -y chromium`.")
    from playwright.sync_api import sync_playwright

    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update"]
    # While Playwright's sync API runs its event loop in this thread, the tests' ORM calls
    # (plain synchronous code) must be allowed; the setting goes when the browser does.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=args, headless=True)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def fixed_today():
    """Today is 2 December 2026 for the test (planned and held trainings depend on the day)."""
    import datetime

    import time_machine

    with time_machine.travel(datetime.datetime(2026, 12, 2, 12, 0, tzinfo=datetime.UTC), tick=False):
        yield datetime.date(2026, 12, 2)


@pytest.fixture(autouse=True)
def _job_results_in_a_temporary_folder(settings, tmp_path_factory):
    """Each test keeps the result files of its background jobs, and the uploads waiting to be imported, apart."""
    settings.JOB_RESULTS_DIR = tmp_path_factory.mktemp("jobs")
    settings.IMPORT_UPLOADS_DIR = tmp_path_factory.mktemp("imports")


@pytest.fixture
def run_jobs(db):
    """Run the background jobs waiting in the queue, as ``cascade worker`` would; returns how many ran."""
    from cascade.jobs.worker import drain

    return drain


@pytest.fixture
def worker_running(db):
    """A ``cascade worker`` that counts as alive (its heartbeat is fresh) while jobs are run by ``run_jobs``."""
    from django.utils import timezone

    from cascade.jobs import heartbeat
    from cascade.metrics import deferred

    heartbeat.beat("test-worker", timezone.now())
    deferred.forget_workers()  # a process looks at heartbeats every few seconds: look now
    yield "test-worker"
    heartbeat.stopped("test-worker")
    deferred.forget_workers()


@pytest.fixture(scope="module")
def demo_network(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo network built once for a module, in a transaction rolled back after it.

    Each test still runs in a savepoint of its own inside it (the ``db`` fixture), so whatever a
    test writes is gone for the next one. Only for modules whose every database test reads the
    demo network (a test of the same module that does not ask for it would find it there too),
    and none of them transactional. Its library files go to a folder of the module's own, which a
    test does not see (MEDIA_ROOT is each test's own folder): a test that opens them builds its own."""
    from django.db import transaction
    from django.test import override_settings

    from cascade.demo.network import build_demo_network

    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("demo-media")):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_demo_network()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
