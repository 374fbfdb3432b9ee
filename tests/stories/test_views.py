"""The story editor and the indicator chart, as staff and outsiders see them."""

import pytest

from cascade.stories.models import StoryDraft


@pytest.fixture(autouse=True)
def _second_factor_not_enforced(settings):
    """These tests are about the pages; cascade.accounts' own tests cover the second factor."""
    settings.DEMO_MODE = True


@pytest.fixture
def staff(alice):
    """alice, the network admin (tests/conftest.py)."""
    return alice


def test_staff_open_a_story_written_from_the_data_and_save_edits(client, staff, create_training):
    training = create_training(key="osh-2015", country_id="KG", city="Osh")
    client.force_login(staff)
    page = client.get(f"/stories/{training.key}/en/")
    assert page.status_code == 200
    assert "a one-day training in Osh, Kyrgyzstan" in page.content.decode()
    saved = client.post(f"/stories/{training.key}/en/", {"text": "Title\n\nEdited."})
    assert saved.status_code == 302
    assert StoryDraft.objects.get(training=training, language="en").text == "Title\n\nEdited.\n"
    pdf = client.get(f"/stories/{training.key}/en/export.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_an_outsider_is_sent_to_sign_in_and_no_draft_is_written(client, create_training):
    training = create_training(key="osh-2016")
    response = client.get(f"/stories/{training.key}/en/")
    assert response.status_code == 302 and "/accounts/" in response["Location"]
    assert not StoryDraft.objects.exists()


def test_the_indicator_chart_is_an_svg(client, db):
    response = client.get("/stories/indicators/KZ.svg")
    assert response["Content-Type"].startswith("image/svg+xml")
    assert response.content.startswith(b"<svg")
