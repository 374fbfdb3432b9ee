"""A call's page shows its key (the slug in its form's link), copyable."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_calls_page_shows_its_key(client, create_call, people):
    call = create_call()
    client.force_login(people["bob"])
    page = client.get(f"/calls/{call.pk}/").content.decode()
    assert f'<code class="key-value" translate="no" dir="ltr">{call.slug}</code>' in page
    assert f'data-copy-key="{call.slug}"' in page
