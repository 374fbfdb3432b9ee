"""Every URL the project serves, walked as every persona.

Patterns come from the URL configuration itself, so a new page is walked as soon
as it exists; a pattern missing from EXPECTED fails the test, so whoever adds a
page decides who may open it. Every 200 is searched for names the persona may
not see: another partner's participants, or any person at all for donors and the public.
"""

import io

import pytest
from django.contrib.admin.sites import site
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image

from cascade import access
from cascade.network.models import Person

PERSONAS = ["alice", "bob", "carol", "dave", "erin", "anonymous"]
STAFF = {"alice", "bob", "carol"}
SIGNED_IN = STAFF | {"dave", "erin"}
EVERYONE = SIGNED_IN | {"anonymous"}
PEOPLE = STAFF | {"dave"}  # roles that may see people at all
ANY = "any"  # the outcome is not asserted (a form that only answers POST, a language switch)

# pattern -> (personas allowed, path parameters by name of a fixture object or a literal)
EXPECTED = {
    # Accounts: open to all; the second-factor pages need a signed-in user.
    "accounts/login/": (ANY, {}),
    "accounts/logout/": (ANY, {}),
    "accounts/two-factor/": (ANY, {}),
    "accounts/two-factor/setup/": (ANY, {}),
    "accounts/two-factor/manage/": (SIGNED_IN, {}),  # without a device: sent to enrol
    # Spreadsheet import writes network-wide by key: network admins, and staff given its permissions.
    "admin/import/": ({"alice"}, {}),
    "admin/import/confirm/": (ANY, {}),
    # Staff app.
    "": (SIGNED_IN, {}),
    "trainings/": (SIGNED_IN, {}),
    "trainings/new/": (ANY, {}),
    "trainings/<int:pk>/": ({"alice", "carol", "erin"}, {"pk": "bishkek"}),
    "trainings/<int:pk>/edit/": ({"alice", "carol"}, {"pk": "bishkek"}),
    "trainings/<int:pk>/photos/new/": ({"alice", "carol"}, {"pk": "bishkek"}),
    "photos/<int:pk>/": ({"alice", "carol"}, {"pk": "bishkek_photo"}),
    "photos/<int:pk>/thumbnail/": ({"alice", "carol"}, {"pk": "bishkek_photo"}),
    "people/": (PEOPLE, {"__query__": "q=a"}),
    "people/<int:pk>/": ({"alice", "carol"}, {"pk": "nurjan"}),
    "partners/": (SIGNED_IN, {}),
    "partners/<int:pk>/": (SIGNED_IN, {"pk": "birduino"}),
    "countries/<str:code>/": (SIGNED_IN, {"code": "KZ"}),
    "library/": (SIGNED_IN, {}),
    "library/editions/<int:pk>/download/": (ANY, {"pk": 999999}),
    "library/<str:key>/": (ANY, {"key": "no-such-manual"}),
    # Search for a letter every name holds: whatever it returns goes through the leak check.
    "search/": (SIGNED_IN, {"__query__": "q=a"}),
    "language/": (ANY, {}),
    "report/": (ANY, {}),
    "report/review/": (ANY, {}),
    "report/saved/<int:pk>/": (ANY, {"pk": 999999}),
    "report/<str:step>/": (ANY, {"step": "training"}),
    "report/<str:step>/check/": (ANY, {"step": "training"}),
    "accounts/login/#web": (ANY, {}),
    "help/": (EVERYONE, {}),
    # Cascade figures (metrics): aggregates for every signed-in role; trees and drill-downs name people.
    # Exact figures and the lists behind them: staff and trainers; donors read the dashboard.
    "cascade/": (PEOPLE, {}),
    "cascade/training/<str:key>/": ({"alice", "carol", "erin"}, {"key": "bishkek-2019"}),
    "cascade/person/<str:key>/": ({"alice", "bob", "dave"}, {"key": "dana"}),
    "cascade/<slug:figure>/": (ANY, {"figure": "people"}),
    # Stories: the context chart is public data; the editor is for staff.
    "stories/^indicators/(?P<country>[A-Za-z]{2})\\.svg$": (ANY, {"__path__": "/stories/indicators/KZ.svg"}),
    # The donor report: figures only, small counts hidden, for every signed-in role.
    "stories/report.<str:fmt>": (SIGNED_IN, {"fmt": "xlsx"}),
    "stories/<slug:key>/<str:lang>/": (ANY, {"key": "no-such-story", "lang": "en"}),
    "stories/<slug:key>/<str:lang>/export.<str:fmt>": (ANY, {"key": "no-such-story", "lang": "en", "fmt": "pdf"}),
    # Calls for applications: the form, confirmation and certificate check are public.
    "calls/apply/<slug:slug>/": (ANY, {"slug": "no-such-call"}),
    "calls/apply/<slug:slug>/<str:token>/": (ANY, {"slug": "no-such-call", "token": "x"}),
    "calls/confirm/<str:token>/": (ANY, {"token": "x"}),
    "calls/verify/": (EVERYONE, {}),
    "calls/verify/<str:code>/": (ANY, {"code": "x"}),
    # ... the rest is staff work on applicants' data.
    "calls/": (SIGNED_IN, {}),
    "calls/new/": (STAFF, {}),
    "calls/<int:pk>/": (ANY, {"pk": 999999}),
    "calls/<int:pk>/questions/": (ANY, {"pk": 999999}),
    "calls/<int:pk>/criteria/": (ANY, {"pk": 999999}),
    "calls/<int:pk>/quotas/": (ANY, {"pk": 999999}),
    "calls/<int:pk>/<str:part>/<int:part_pk>/delete/": (ANY, {"pk": 999999, "part": "question", "part_pk": 1}),
    "calls/<int:pk>/publish/": (ANY, {"pk": 999999}),
    "calls/<int:pk>/close/": (ANY, {"pk": 999999}),
    "calls/<int:pk>/reviewers/": (ANY, {"pk": 999999}),
    "calls/<int:pk>/applications/": (ANY, {"pk": 999999}),
    "calls/<int:pk>/applications/<int:app_pk>/": (ANY, {"pk": 999999, "app_pk": 1}),
    "calls/<int:pk>/applications/<int:app_pk>/files/<int:file_pk>/": (ANY, {"pk": 999999, "app_pk": 1, "file_pk": 1}),
    "calls/<int:pk>/applications/<int:app_pk>/override/": (ANY, {"pk": 999999, "app_pk": 1}),
    "calls/<int:pk>/applications/<int:app_pk>/decide/": (ANY, {"pk": 999999, "app_pk": 1}),
    "calls/<int:pk>/review/": (ANY, {"pk": 999999}),
    "calls/<int:pk>/review/<int:app_pk>/": (ANY, {"pk": 999999, "app_pk": 1}),
    "calls/<int:pk>/ranking/": (ANY, {"pk": 999999}),
    "calls/<int:pk>/attendance/": (ANY, {"pk": 999999}),
    "calls/<int:pk>/certificates/": (ANY, {"pk": 999999}),
    "calls/<int:pk>/certificates/<str:code>.pdf": (ANY, {"pk": 999999, "code": "x"}),
    "accounts/logout/#web": (ANY, {}),
}


def walk(resolver=None, prefix="", namespace=""):
    """(pattern string, namespace) for every URL pattern, included ones too."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if entry.namespace else namespace
            yield from walk(entry, prefix + str(entry.pattern), inner.strip(":"))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), namespace, entry


def key_of(pattern, namespace, seen):
    """Patterns repeat across namespaces only for the web app's interim sign-in pages."""
    if pattern in seen:
        return f"{pattern}#{namespace}"
    seen.add(pattern)
    return pattern


def fill(pattern, parameters, objects):
    if "__path__" in parameters:
        return parameters["__path__"]
    path = pattern
    query = parameters.get("__query__", "")
    for name, value in parameters.items():
        if name == "__query__":
            continue
        if isinstance(value, str) and value in objects:
            value = objects[value].pk if name.endswith("pk") else objects[value].key
        for converter in ("int", "str", "slug", "path", ""):
            token = f"<{converter}:{name}>" if converter else f"<{name}>"
            path = path.replace(token, str(value))
    return "/" + path + (f"?{query}" if query else "")


def signed_in(user):
    client = Client()
    if user is None:
        return client
    client.force_login(user)
    if access.needs_two_factor(user):
        device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    return client


def denied(response) -> bool:
    if response.status_code in (403, 404, 405):
        return True
    location = response.headers.get("Location", "")
    return response.status_code == 302 and ("/accounts/login/" in location or "/admin/login/" in location)


@pytest.fixture
def objects(network, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from cascade.photos.services import upload_photo

    picture = io.BytesIO()
    Image.new("RGB", (8, 8)).save(picture, "JPEG")
    photo = upload_photo(training=network["bishkek"], upload=SimpleUploadedFile("p.jpg", picture.getvalue()),
                         people=[network["nurjan"]], actor=access.operator())
    return {**network, "bishkek_photo": photo}


def leaked_names(user, content: str) -> list[str]:
    visible = set(access.visible_people(user).values_list("pk", flat=True))
    hidden = Person.objects.exclude(pk__in=visible)
    secrets = [p.full_name for p in hidden] + [p.email for p in hidden if p.email]
    return [secret for secret in secrets if secret and secret in content]


def test_every_url_pattern_has_an_expectation():
    seen, missing = set(), []
    for pattern, namespace, _entry in walk():
        if namespace == "admin":
            continue  # the admin site is scoped centrally and walked below
        if key_of(pattern, namespace, seen) not in EXPECTED:
            missing.append(f"{pattern} ({namespace})")
    assert not missing, "Decide who may open these pages, in tests/access/test_personas.py: " + ", ".join(missing)


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_opens_only_what_her_role_allows_and_nothing_leaks(persona, personas, objects):
    user = personas.get(persona)
    client = signed_in(user)
    seen, wrong = set(), []
    for pattern, namespace, _entry in walk():
        if namespace == "admin":
            continue
        allowed, parameters = EXPECTED[key_of(pattern, namespace, seen)]
        response = client.get(fill(pattern, parameters, objects))
        if allowed != ANY:
            if persona in allowed and (denied(response) or response.status_code >= 400):
                wrong.append(f"{pattern}: {persona} was refused ({response.status_code})")
            if persona not in allowed and not denied(response):
                wrong.append(f"{pattern}: {persona} got {response.status_code}, expected a refusal")
        if response.status_code == 200 and not getattr(response, "streaming", False):
            leaks = leaked_names(user, response.content.decode(errors="replace"))
            if leaks:
                wrong.append(f"{pattern}: {persona} saw {leaks}")
    assert not wrong, "\n".join(wrong)


ADMIN_ALLOWED = {"alice", "bob", "carol"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_admin_site_is_scoped_for_every_persona(persona, personas, objects):
    """Every registered model's list and change pages, as each persona."""
    user = personas.get(persona)
    client = signed_in(user)
    wrong = []
    for model, model_admin in site._registry.items():
        meta = model._meta
        pages = [f"/admin/{meta.app_label}/{meta.model_name}/"]
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            pages.append(f"/admin/{meta.app_label}/{meta.model_name}/{first.pk}/change/")
        for page in pages:
            response = client.get(page)
            if persona not in ADMIN_ALLOWED and not denied(response):
                wrong.append(f"{page}: {persona} got {response.status_code}")
            if response.status_code == 200:
                leaks = leaked_names(user, response.content.decode(errors="replace"))
                if leaks:
                    wrong.append(f"{page}: {persona} saw {leaks}")
    assert not wrong, "\n".join(wrong)


def test_partner_staff_admin_lists_only_their_organisations_people(personas, objects):
    content = signed_in(personas["bob"]).get("/admin/network/person/").content.decode()
    assert "Aigul Swrcparticipant" in content and "Nurjan Birduinoparticipant" not in content


def test_partner_staff_cannot_open_another_partners_training_in_the_admin(personas, objects):
    response = signed_in(personas["bob"]).get(f"/admin/trainings/training/{objects['bishkek'].pk}/change/")
    assert response.status_code in (302, 403, 404)
