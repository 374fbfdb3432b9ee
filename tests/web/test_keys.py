"""Each thing's key (the name imports and the API use) is shown on its page, copyable,
to those who may see the thing, and to no one else."""

import re

import pytest

pytestmark = pytest.mark.django_db


def _key_on(page: str):
    found = re.search(r'<code class="key-value"[^>]*>([^<]+)</code>', page)
    return found and found.group(1)


def _page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    return response.status_code, response.content.decode()


def test_a_training_page_shows_its_key_with_a_copy_button(client, network, alice):
    status, page = _page(client, alice, f"/trainings/{network['institute'].pk}/")
    assert status == 200 and _key_on(page) == network["institute"].key
    assert 'data-copy-key="%s"' % network["institute"].key in page
    assert 'aria-live="polite"' in page and 'data-copied="Copied"' in page


def test_the_copy_button_waits_for_a_script(client, network, alice):
    """Without a script the key is selectable text; the button appears only where it works."""
    _status, page = _page(client, alice, f"/trainings/{network['institute'].pk}/")
    assert re.search(r'<button[^>]*data-copy-key[^>]*\bhidden\b', page)


def test_a_donor_sees_a_trainings_key_but_no_persons(client, network, erin):
    status, page = _page(client, erin, f"/trainings/{network['institute'].pk}/")
    assert status == 200 and _key_on(page) == network["institute"].key
    assert network["aigul"].key not in page
    status, page = _page(client, erin, f"/people/{network['aigul'].pk}/")
    assert status in (403, 404) and network["aigul"].key not in page


def test_a_person_page_shows_her_key_to_those_who_see_her(client, network, alice):
    status, page = _page(client, alice, f"/people/{network['aigul'].pk}/")
    assert status == 200 and _key_on(page) == network["aigul"].key


@pytest.mark.parametrize("url, key", [
    (lambda n: f"/partners/{n['swrc'].pk}/", lambda n: n["swrc"].key),
    (lambda n: f"/library/{n['manual'].key}/", lambda n: n["manual"].key),
    (lambda n: "/countries/KZ/", lambda n: "KZ"),
    (lambda n: f"/trainings/{n['institute'].pk}/edit/", lambda n: n["institute"].key),
])
def test_partner_manual_country_pages_and_the_edit_form_show_the_key(client, network, alice, url, key):
    status, page = _page(client, alice, url(network))
    assert status == 200 and _key_on(page) == key(network)


def test_a_new_training_has_no_key_to_show_yet(client, alice):
    _status, page = _page(client, alice, "/trainings/new/")
    assert "key-value" not in page


def test_the_key_reads_left_to_right_in_arabic(client, network, alice):
    from cascade.web.models import Preference

    Preference.objects.create(user=alice, language="ar")
    _status, page = _page(client, alice, f"/trainings/{network['institute'].pk}/")
    assert re.search(r'<code class="key-value" translate="no" dir="ltr">', page)
