"""The story editor and the indicator chart, as staff and outsiders see them."""

import pytest
from django.contrib.auth import get_user_model

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


@pytest.fixture
def drafted(create_training, create_person):
    training = create_training(key="shymkent-2019", facilitators=[create_person(full_name="Saule Mysalova")])
    StoryDraft.objects.create(training=training, language="en", text="Shymkent\n\nSaule Mysalova facilitated.")
    return training


def a_user_with_role(username, **role):
    from cascade.accounts.models import Role

    user = get_user_model().objects.create_user(username, password="a long test password")
    Role.objects.create(user=user, **role)
    return user


@pytest.mark.parametrize("path", ["/stories/shymkent-2019/en/", "/stories/shymkent-2019/en/export.pdf",
                                  "/stories/shymkent-2019/en/export.html", "/stories/shymkent-2019/en/export.docx"])
def test_a_donor_never_opens_a_story_draft_nor_its_exports(client, drafted, path):
    client.force_login(a_user_with_role("erin", kind="donor"))
    response = client.get(path)
    assert response.status_code in (403, 404)
    assert b"Mysalova" not in response.content


def test_a_donor_cannot_write_a_draft_either(client, drafted):
    client.force_login(a_user_with_role("erin", kind="donor"))
    assert client.post("/stories/shymkent-2019/en/", {"text": "Mine\n\nText"}).status_code == 403
    assert "Mysalova" in StoryDraft.objects.get().text


def test_staff_of_another_partner_do_not_open_the_draft(client, drafted, create_organization):
    client.force_login(a_user_with_role("carol", kind="partner-staff", organization=create_organization()))
    assert client.get("/stories/shymkent-2019/en/export.html").status_code == 404


def test_who_reads_story_drafts_is_decided_in_access(drafted, create_organization):
    from cascade.access import visible_stories

    drafts = StoryDraft.objects.all()
    assert list(visible_stories(a_user_with_role("erin", kind="donor"))) == []
    assert list(visible_stories(get_user_model().objects.create_superuser("root", "r@example.org", "x"))) == list(drafts)
    host = drafted.host or create_organization()
    drafted.host = host
    drafted.save()
    assert list(visible_stories(a_user_with_role("bob", kind="partner-staff", organization=host))) == list(drafts)
