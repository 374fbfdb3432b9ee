"""Error pages (400, 403, 404, 500, CSRF) and the admin for users whose role has none.

With DEBUG off, as in production: each page is in the app's layout and the user's language,
with a way home; a signed-in donor or trainer who opens /admin/ is refused once, not sent
round between the admin's sign-in and the app's.
"""

import re

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import Client, override_settings
from django.urls import path

from cascade import urls as root_urls

pytestmark = [pytest.mark.django_db]


def _boom(request):
    raise RuntimeError("the database went away")


def _refused(request):
    raise PermissionDenied("Only the partner's staff may see this partner's reports.")


def _refused_silently(request):
    raise PermissionDenied


urlpatterns = [
    path("test-boom/", _boom),
    path("test-refused/", _refused),
    path("test-refused-silently/", _refused_silently),
    *root_urls.urlpatterns,
]
handler400 = root_urls.handler400
handler403 = root_urls.handler403
handler404 = root_urls.handler404
handler500 = root_urls.handler500


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__


def _in(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _signed_in(client, user, language="en"):
    from cascade.web.models import Preference

    client.force_login(user)
    Preference.objects.update_or_create(user=user, defaults={"language": language})
    return client


# --- The admin, for roles without it ---------------------------------------------------------


@pytest.mark.parametrize("persona", ["dave", "erin", "nora"])
@pytest.mark.parametrize("url", ["/admin/", "/admin/network/person/", "/admin/login/", "/admin/import/",
                                 "/admin/no-such-page/"])
def test_the_admin_refuses_a_role_without_it_once_and_never_loops(client, personas, persona, url):
    client.force_login(personas[persona])
    response = client.get(url, follow=True)  # a loop would raise RedirectCycleError or exceed the limit
    assert response.status_code == 403
    assert len(response.redirect_chain) == 0, response.redirect_chain
    if persona != "nora":  # nora has the no-role page instead (cascade.access.middleware)
        assert "your role does not include it" in response.content.decode()
        assert 'href="/"' in response.content.decode() or 'href="/help/"' in response.content.decode()


def test_anonymous_visitors_still_go_to_sign_in_and_come_back(client):
    response = client.get("/admin/network/person/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/accounts/login/?next=%2Fadmin%2Fnetwork%2Fperson%2F"


def test_network_admins_and_partner_staff_still_open_the_admin(client, alice, bob):
    client.force_login(alice)
    assert client.get("/admin/").status_code == 200
    client.force_login(bob)
    assert client.get("/admin/").status_code == 200


# --- The error pages -------------------------------------------------------------------------


def test_404_is_in_the_layout_with_navigation_and_a_way_home(client, dave):
    response = _signed_in(client, dave).get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert 'class="side"' in page and "Page not found" in page
    assert 'href="/"' in page and 'href="/help/"' in page
    assert "cascade.css" in page


def test_404_for_the_public_has_a_way_to_sign_in(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode() and 'href="/"' in response.content.decode()


def test_404_does_not_repeat_what_the_database_was_asked(client, alice):
    response = _signed_in(client, alice).get("/people/999999/")
    assert response.status_code == 404
    assert "matches the given query" not in response.content.decode()


@pytest.mark.parametrize("language, rtl", [("ka", False), ("ru", False), ("ar", True), ("fa", True)])
def test_error_pages_speak_the_users_language(client, erin, language, rtl):
    response = _signed_in(client, erin, language).get("/no-such-page/")
    page = response.content.decode()
    assert f'lang="{language}"' in page
    assert ('dir="rtl"' in page) is rtl
    from django.utils import translation

    with translation.override(language):
        assert translation.gettext("Help") in page  # the navigation and footer in her language


def test_a_views_reason_is_shown_on_the_403_page(client, alice):
    page = _signed_in(client, alice).get("/test-refused/").content.decode()
    assert "Only the partner&#x27;s staff may see this partner&#x27;s reports." in page
    assert "You may not open this page" in page


def test_a_403_without_a_reason_shows_none(client, alice):
    response = _signed_in(client, alice).get("/test-refused-silently/")
    assert response.status_code == 403 and "error-reason" not in response.content.decode()


def test_500_is_self_contained_styled_and_in_the_users_language(alice):
    client = Client(raise_request_exception=False)
    _in(client, "ar")
    response = client.get("/test-boom/")
    page = response.content.decode()
    assert response.status_code == 500
    assert 'lang="ar"' in page and 'dir="rtl"' in page and "cascade.css" in page
    assert 'href="/"' in page
    assert "the database went away" not in page


def test_500_page_renders_without_a_request_or_database(django_assert_num_queries, rf):
    from cascade.web.errors import server_error

    with django_assert_num_queries(0):
        response = server_error(rf.get("/"))
    assert response.status_code == 500 and b"Something went wrong" in response.content


def test_a_form_without_its_csrf_token_gets_the_styled_page(erin):
    client = Client(enforce_csrf_checks=True)
    client.force_login(erin)
    response = client.post("/language/", {"language": "ru"})
    page = response.content.decode()
    assert response.status_code == 403
    assert "The form has expired" in page and "cascade.css" in page
    assert "CSRF" not in re.sub(r"<[^>]+>", "", page)  # no technical reason for the user


def test_400_is_styled(client, rf):
    from cascade.web.errors import bad_request

    request = rf.get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    response = bad_request(request)
    assert response.status_code == 400 and b"cascade.css" in response.content


# --- The admin's index -----------------------------------------------------------------------


def test_the_admin_index_names_each_app_once_and_in_words(client, alice):
    from django.contrib.admin.sites import site

    page = _signed_in(client, alice).get("/admin/").content.decode()
    names = re.findall(r'<caption>\s*<a[^>]*class="section"[^>]*>([^<]+)</a>', page)
    assert names, "the index shows its apps"
    assert len(names) == len(set(names)), names
    from django.apps import AppConfig, apps

    for label in {m._meta.app_label for m in site._registry}:  # each named on purpose, not label.title()
        config = type(apps.get_app_config(label))
        assert any("verbose_name" in vars(cls) for cls in config.__mro__ if cls is not AppConfig), label
    assert not [name for name in names if "_" in name]
    for raw in ("Axes", "Otp_Static", "Otp_Totp", "Django_Tasks_Database", "Tasks Database Backend"):
        assert raw not in names
    assert names[0] == "Network"  # the network's data first, the logs after


def test_the_admin_index_is_in_the_users_language(client, alice):
    from django.apps import apps
    from django.utils import translation

    page = _signed_in(client, alice, "ru").get("/admin/").content.decode()
    with translation.override("ru"):
        assert str(apps.get_app_config("network").verbose_name) in page
