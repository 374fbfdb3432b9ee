"""The staff app asks cascade.access: donors read aggregates, never names; strangers are sent to sign in."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(client, network):
    response = client.get(reverse("web:dashboard"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_donor_sees_no_count_of_people_on_a_dashboard_of_two_trainings(client, erin, network):
    client.force_login(erin)
    response = client.get(reverse("web:dashboard"))
    figures = response.context["figures"]
    assert figures.withheld
    assert all(figures.headline[name].suppressed for name in ("trained", "trainers", "reach"))
    # trainings are events, not people: counted as they are
    assert figures.headline["institutes"].value == 1 and figures.headline["step_downs"].value == 1
    assert "Too few trainings match these filters" in response.content.decode()


def test_staff_see_every_count_of_a_dashboard_of_two_trainings(admin_client, network):
    figures = admin_client.get(reverse("web:dashboard")).context["figures"]
    assert not figures.withheld and figures.headline["reach"].value == 17


def test_a_donor_is_shown_no_link_to_lists_of_people(client, erin, network):
    client.force_login(erin)
    page = client.get(reverse("web:dashboard")).content.decode()
    assert "/people/?" not in page


@pytest.mark.parametrize("name", ["people", "report"])
def test_a_donor_cannot_open_pages_with_names(client, erin, network, name):
    client.force_login(erin)
    assert client.get(reverse(f"web:{name}")).status_code == 403


def test_a_donor_cannot_open_a_person(client, erin, network):
    client.force_login(erin)
    assert client.get(reverse("web:person", args=[network["aigul"].pk])).status_code == 403


def test_a_donor_sees_a_training_without_its_participants(client, erin, network):
    client.force_login(erin)
    page = client.get(reverse("web:training", args=[network["institute"].pk])).content.decode()
    assert "Shymkent institute 2019" in page
    assert "Aigul Nurova" not in page and "Dana Seitova" not in page


def test_search_does_not_return_people_to_a_donor(client, erin, network):
    client.force_login(erin)
    page = client.get(reverse("web:search"), {"q": "Aigul"}).content.decode()
    assert "Aigul Nurova" not in page


def test_partner_staff_see_only_their_organisations_trainings(client, network, create_organization,
                                                            create_training):
    from django.contrib.auth import get_user_model

    from cascade.accounts.models import Role

    other = create_organization(key="bir-duino", name="Bir Duino", country_id="KG")
    osh = create_training(host=other, country_id="KG", title={"en": "Osh institute"})
    pat = get_user_model().objects.create_user("pat", password="a-long-pass-phrase")
    Role.objects.create(user=pat, kind=Role.Kind.PARTNER_STAFF, organization=network["swrc"])
    client.force_login(pat)
    listed = [t.pk for t in client.get(reverse("web:trainings")).context["page"]]
    assert network["institute"].pk in listed and osh.pk not in listed
    assert client.get(reverse("web:training", args=[osh.pk])).status_code == 404


def test_a_donor_sees_no_photo_of_a_person_even_with_consent_only_photos_of_no_one(
        client, erin, network, settings, tmp_path):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from cascade.access import operator
    from cascade.photos.services import upload_photo

    settings.MEDIA_ROOT = tmp_path
    picture = io.BytesIO()
    Image.new("RGB", (8, 8)).save(picture, "JPEG")
    training = network["institute"]
    consented = upload_photo(training=training, upload=SimpleUploadedFile("a.jpg", picture.getvalue()),
                             shows_people=True, consent_recorded=True, actor=operator())
    room = upload_photo(training=training, upload=SimpleUploadedFile("b.jpg", picture.getvalue()),
                        shows_people=False, actor=operator())
    client.force_login(erin)
    assert client.get(reverse("web:photo", args=[consented.pk])).status_code in (403, 404)
    assert client.get(reverse("web:photo", args=[room.pk])).status_code == 200
    page = client.get(reverse("web:training", args=[training.pk])).content.decode()
    assert reverse("web:photo_thumb", args=[consented.pk]) not in page


def test_a_donor_sees_one_trainings_people_as_a_range_and_no_split_to_subtract(client, erin, network):
    """12 women and 3 men at a village step-down: a donor reads "10–19 people", no women or men."""
    step_down = network["step_down"]
    client.force_login(erin)
    page = client.get(reverse("web:training", args=[step_down.pk])).content.decode()
    assert "10–19" in page
    assert "Women:" not in page and "Men:" not in page and ">15<" not in page
    # The cascade tree, which shows every training's own head-counts, is for staff and trainers.
    assert client.get(reverse("metrics:training-tree", args=[network["institute"].key])).status_code == 403


def test_staff_see_the_exact_head_counts(admin_client, network):
    page = admin_client.get(reverse("web:training", args=[network["step_down"].pk])).content.decode()
    assert "Men: 3" in page and "Women: 12" in page


def test_partner_staff_open_the_step_downs_their_institutes_grew_without_the_people_in_them(
        client, network, create_person):
    from django.contrib.auth import get_user_model

    from cascade.accounts.models import Role
    from cascade.trainings.models import Participation

    pupil = create_person(full_name="Saule Steplearner")
    Participation.objects.create(training=network["step_down"], person=pupil, role="participant")
    pat = get_user_model().objects.create_user("pat", password="a-long-pass-phrase")
    Role.objects.create(user=pat, kind=Role.Kind.PARTNER_STAFF, organization=network["swrc"])
    client.force_login(pat)
    listed = client.get(reverse("web:trainings"), {"partner": "swrc", "figure": "step-downs"})
    assert [t.pk for t in listed.context["page"]] == [network["step_down"].pk]
    page = client.get(reverse("web:training", args=[network["step_down"].pk]))
    assert page.status_code == 200 and not page.context["can_edit"]
    assert "Saule Steplearner" not in page.content.decode()
    assert "Aigul Nurova" not in page.content.decode()  # she led it; SWRC sees her as its institute's participant
    tree = client.get(reverse("metrics:training-tree", args=[network["institute"].key])).content.decode()
    assert "Step-down in Sayram" in tree and "Saule Steplearner" not in tree
    assert client.get(reverse("web:training_edit", args=[network["step_down"].pk])).status_code in (403, 404)
