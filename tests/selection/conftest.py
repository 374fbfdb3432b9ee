"""A call of SWRC's for the 2027 Shymkent institute, and the people around it.

The personas come from tests/conftest.py: alice (network admin), bob (SWRC staff: runs
the call), carol (Bir Duino staff: sees nothing), erin (donor). Here: rita and ruslan,
SWRC's trainers who review, and timur, Bir Duino's trainer.
"""

import datetime
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.utils import timezone

from cascade.accounts.models import Role
from cascade.network.models import Country
from cascade.selection import services
from cascade.selection.models import Criterion, Question


@pytest.fixture(autouse=True)
def _fresh_rate_limit(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DEMO_MODE = True  # the second factor is tested by the accounts app
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def people(partners, create_person, create_user, alice, bob, carol, erin):
    """The personas, with Rita and Ruslan who train for SWRC and Timur who trains for Bir Duino."""
    def trainer(username, partner):
        person = create_person(full_name=f"{username.title()} Trainer", organization=partners[partner])
        return create_user(username, Role.Kind.TRAINER, person=person)

    return {
        "alice": alice, "bob": bob, "carol": carol,
        "rita": trainer("rita", "swrc"),
        "ruslan": trainer("ruslan", "swrc"),
        "timur": trainer("timur", "birduino"),
        "erin": erin,
    }


@pytest.fixture
def create_call(partners, people):
    """``create_call(places=2, questions=True)``: an open call with a two-line rubric."""

    def create(places=2, questions=True, status="open", **fields):
        call = services.create_call(
            people["bob"],
            title={"en": "Leadership institute, Shymkent 2027", "ru": "Институт лидерства, Шымкент 2027"},
            host=partners["swrc"], country=Country.objects.get(code="KZ"), city="Shymkent",
            start_date=fields.pop("start_date", datetime.date(2027, 1, 20)),
            end_date=fields.pop("end_date", datetime.date(2027, 1, 22)),
            deadline=fields.pop("deadline", timezone.now() + datetime.timedelta(days=30)),
            places=places, languages=fields.pop("languages", ["ru", "kk", "en"]),
            eligible_countries=fields.pop("eligible_countries", ["KZ", "KG", "GE"]),
            **fields,
        )
        Criterion.objects.create(call=call, order=1, name={"en": "Experience", "ru": "Опыт"}, weight=2,
                                 anchor_low={"en": "No activism yet"}, anchor_high={"en": "Years of leading a group"})
        Criterion.objects.create(call=call, order=2, name={"en": "Plan for step-down trainings", "ru": "План"},
                                 weight=1)
        if questions:
            Question.objects.create(call=call, order=1, kind="long text",
                                    label={"en": "Your experience", "ru": "Ваш опыт"})
            Question.objects.create(call=call, order=2, kind="number", label={"en": "Years", "ru": "Лет"},
                                    min_value=0, max_value=80)
            Question.objects.create(call=call, order=3, kind="choice", label={"en": "Sector", "ru": "Сектор"},
                                    choices=[{"value": "ngo", "label": {"en": "NGO", "ru": "НКО"}},
                                             {"value": "gov", "label": {"en": "Government", "ru": "Госслужба"}}])
            Question.objects.create(call=call, order=4, kind="file", label={"en": "Letter", "ru": "Письмо"},
                                    required=False)
        call.status = status
        call.save()
        call.reviewers.set([people["rita"], people["ruslan"]])
        return call

    return create


@pytest.fixture
def submitted(create_call, people):
    """An open call and one application submitted to it: ``(call, application)``."""
    call = create_call()
    application = services.save_application(call, {
        "full_name": "Aigerim Nurlanova", "email": "aigerim@example.org", "phone": "",
        "country": Country.objects.get(code="KZ"), "gender": "woman", "consent_data": True,
        "consent_verification": True,
    }, language="ru", submit=True)
    return call, application


@pytest.fixture
def answers():
    """The public form's POST data for a complete application (``answers(call, full_name=...)``)."""

    def make(call, **overrides):
        questions = {q.kind: q.field_name for q in call.questions.all()}
        data = {
            "full_name": "Aigerim Nurlanova", "email": "aigerim@example.org", "phone": "+7 701 555 1234",
            "country": "KZ", "gender": "woman", "consent_data": "on", "consent_verification": "on",
            questions.get("long text", "x"): "Ten years in a women's crisis centre.",
            questions.get("number", "y"): "10", questions.get("choice", "z"): "ngo",
        }
        data.update(overrides)
        return {k: v for k, v in data.items() if v is not None}

    return make


# --- The browser: ``chromium`` (Debian's, through Playwright) comes from tests/conftest.py ---------


@pytest.fixture
def signed_in(chromium, live_server):
    """``signed_in(user)``: a desktop page signed in through the sign-in form; ``language="ru"``
    has the browser ask for that language, ``width=360`` makes it a phone.

    A user signs in through the form once a test; her next pages (another language, another
    width) are new browsers with her session's cookies, which still land on the home page."""
    contexts = []
    sessions = {}  # username: the cookies of her first sign-in

    def open_as(user, password="a long test password", *, language=None, width=1280):
        languages = {"locale": language, "extra_http_headers": {"Accept-Language": language}} if language else {}
        context = chromium.new_context(viewport={"width": width, "height": 900}, base_url=live_server.url,
                                       is_mobile=width < 500, storage_state=sessions.get(user.username),
                                       **languages)
        contexts.append(context)
        page = context.new_page()
        if user.username in sessions:
            page.goto("/")
            assert urlsplit(page.url).path == "/", f"{user.username}'s session took her to {page.url}"
            return page
        page.goto("/accounts/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", password)
        page.locator("input[name=password]").press("Enter")
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        sessions[user.username] = context.storage_state()
        return page

    yield open_as
    for context in contexts:
        context.close()


@pytest.fixture
def phone(chromium, live_server):
    """A phone-sized page in Russian, signed in as nobody."""
    context = chromium.new_context(viewport={"width": 360, "height": 740}, locale="ru-RU",
                                   base_url=live_server.url, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()
