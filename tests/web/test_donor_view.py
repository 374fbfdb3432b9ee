"""What a donor reads: counts of no one exactly, counts of people hidden when small, and why.

A donor (erin) and staff (alice) read the same small cascade: an institute of twelve
women and step-downs growing three more generations, the last of which reached two women.
"""

import datetime

import pytest
from django.test import Client

from cascade.access.suppression import reasons
from tests.access.test_personas import text_of


@pytest.fixture
def cascade_of_four(create_training, create_person):
    from cascade.trainings.models import Training

    people = [create_person() for _ in range(12)]
    source = institute = create_training(key="inst", participants=people)
    for generation in range(2, 5):
        source = create_training(key=f"sd{generation}", kind=Training.Kind.STEP_DOWN, source_training=source,
                                 facilitators=[people[generation]], women_count=2 if generation == 4 else 20,
                                 start_date=datetime.date(2019, 1, 10) + datetime.timedelta(days=30 * generation))
    return institute


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_donor_reads_four_generations_and_each_generations_trainings_exactly(cascade_of_four, erin):
    page = signed_in(erin).get("/")
    figures = page.context["figures"]
    assert figures.headline["generations"].value == 4 and not figures.headline["generations"].suppressed
    assert [row["trainings"].value for row in figures.generations] == [1, 1, 1, 1]
    assert figures.headline["generations"].of == "generations"
    assert figures.generations[0]["trainings"].of == "trainings"
    import lxml.html

    [card] = lxml.html.fromstring(page.content.decode()).xpath("//*[@data-figure='generations']")
    [figure] = card.xpath(".//*[@data-counts]")
    assert figure.get("data-counts") == "generations" and figure.text_content() == "4"
    assert not card.xpath(".//*[contains(@class, 'why')]")


def test_a_donor_reads_why_a_small_count_of_people_is_hidden(cascade_of_four, erin):
    page = signed_in(erin).get("/")
    fourth = page.context["figures"].generations[3]["reach"]
    assert fourth.suppressed and fourth.label == "<5" and fourth.reason == "small"
    text = page.content.decode()
    assert 'data-reason="small"' in text and reasons()["small"] in text
    # the reason is words on the page, not only a mark or a colour
    assert '<small class="why">fewer than 5 people: hidden to protect them</small>' in text


def test_staff_read_the_same_small_count_exactly_with_no_reason(cascade_of_four, alice):
    page = signed_in(alice).get("/")
    assert page.context["figures"].generations[3]["reach"].value == 2
    assert 'class="why"' not in page.content.decode()


@pytest.mark.parametrize("fmt", ["xlsx", "docx", "pdf"])
def test_the_donor_report_says_why_each_hidden_figure_is_hidden(cascade_of_four, erin, fmt):
    response = signed_in(erin).get(f"/stories/report.{fmt}")
    assert response.status_code == 200
    text = " ".join(text_of(response).split())
    assert "generation 4, reach: <5 — fewer than 5 people: hidden to protect them" in text


def test_the_api_gives_a_reason_beside_each_hidden_figure_keeping_its_keys(cascade_of_four, erin):
    data = signed_in(erin).get("/api/v1/figures").json()
    fourth = data["generations"][3]
    assert fourth["reach"] == "<5" and fourth["reach_reason"] == "small"
    assert fourth["trainings"] == 1 and "trainings_reason" not in fourth
    assert data["headline"]["generations"] == 4 and "generations_reason" not in data["headline"]
    assert data["reasons"]["small"] == "fewer than 5 people: hidden to protect them"
    assert {"suppressed", "withheld", "headline", "generations", "gender", "gender_total", "per_year", "countries",
            "institutes"} <= set(data)


# --- Photos: "not public" where they exist, "no photos yet" where there are none ------------

def test_a_donor_reads_that_photos_are_not_public_where_they_exist(cascade_of_four, erin, alice):
    from cascade.photos.models import Photo

    Photo.objects.create(training=cascade_of_four, image="photos/a.jpg", shows_people=True)
    donor = signed_in(erin).get(f"/trainings/{cascade_of_four.pk}/").content.decode()
    assert "The photos of this training are not public." in donor and "No photos yet." not in donor
    staff = signed_in(alice).get(f"/trainings/{cascade_of_four.pk}/").content.decode()
    assert "not public" not in staff and "No photos yet." not in staff and 'class="gallery"' in staff


def test_where_there_are_no_photos_everyone_reads_no_photos_yet(cascade_of_four, erin, alice):
    for user in (erin, alice):
        text = signed_in(user).get(f"/trainings/{cascade_of_four.pk}/").content.decode()
        assert "No photos yet." in text and "not public" not in text


def test_a_donor_told_of_the_photos_she_may_not_see_beside_those_she_may(cascade_of_four, erin):
    from cascade.photos.models import Photo

    Photo.objects.create(training=cascade_of_four, image="photos/a.jpg", shows_people=True)
    Photo.objects.create(training=cascade_of_four, image="photos/b.jpg", shows_people=False)
    text = signed_in(erin).get(f"/trainings/{cascade_of_four.pk}/").content.decode()
    assert 'class="gallery"' in text and "Other photos of this training are not public." in text


def test_the_api_breakdown_gives_reasons_too(cascade_of_four, erin):
    data = signed_in(erin).get("/api/v1/figures/breakdown", {"by": "generation"}).json()
    fourth = next(row for row in data["rows"] if row["value"] == 4)
    assert fourth["women"] == "<5" and fourth["women_reason"] == "small"
    assert "institutes_reason" not in fourth and "reasons" in data


def test_too_few_trainings_say_so_beside_each_hidden_count(create_training, create_person, erin):
    from cascade.trainings.models import Training

    institute = create_training(participants=[create_person() for _ in range(8)])
    create_training(kind=Training.Kind.STEP_DOWN, source_training=institute, women_count=30,
                    start_date=datetime.date(2019, 3, 1))
    page = signed_in(erin).get("/")
    figures = page.context["figures"]
    assert figures.withheld and figures.headline["reach"].reason == "few-trainings"
    assert figures.headline["institutes"].value == 1 and figures.headline["generations"].value == 2
    assert reasons()["few-trainings"] in page.content.decode()
