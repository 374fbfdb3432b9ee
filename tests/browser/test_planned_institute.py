"""A planned institute, as staff see it in a browser: upcoming on the dashboard, counted nowhere,
and its page says which institute it will be."""

import datetime

import pytest

from .conftest import sign_in
from .test_staff_app import figure

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def institutes(transactional_db):
    """Shymkent 2019 (held, one participant) and next year's Shymkent institute (planned, two registered)."""
    from cascade.network.models import Person
    from cascade.trainings.models import Participation, Training

    held = Training.objects.create(key="shymkent-2019", kind="institute", title={"en": "Shymkent institute 2019"},
                                   start_date=datetime.date(2019, 1, 10), end_date=datetime.date(2019, 1, 12),
                                   country_id="KZ", city="Shymkent")
    first = datetime.date.today() + datetime.timedelta(days=150)
    planned = Training.objects.create(key="shymkent-next", kind="institute", title={"en": "Shymkent institute next"},
                                      start_date=first, end_date=first + datetime.timedelta(days=2),
                                      country_id="KZ", city="Shymkent")
    for n, training in enumerate([held, planned, planned]):
        person = Person.objects.create(key=f"p{n}", full_name=f"Activist {n}", gender="woman", country_id="KZ")
        Participation.objects.create(training=training, person=person, completed=training is held)
    return held, planned


def test_a_planned_institute_is_upcoming_counts_nowhere_and_says_which_it_will_be(page, site, institutes, axe_source):
    held, planned = institutes
    sign_in(page, site.url)
    assert figure(page, "institutes") == 1
    assert figure(page, "trained") == 1
    upcoming = page.locator("#upcoming")
    assert "Shymkent institute next" in upcoming.text_content()

    upcoming.get_by_role("link", name="Shymkent institute next").click()
    page.wait_for_url(f"{site.url}/trainings/{planned.pk}/")
    assert page.text_content("[data-status=planned]").strip() == "planned"
    assert "Planned: it will be institute no. 2 in Central Asia since 2019." in page.text_content("#status")
    page.add_script_tag(content=axe_source)
    violations = page.evaluate("axe.run(document, {resultTypes: ['violations']})")["violations"]
    assert [v["id"] for v in violations if v["impact"] in ("serious", "critical")] == []

    page.goto(f"{site.url}/trainings/{held.pk}/")
    assert "Institute no. 1 of 1 in Central Asia since 2019." in page.text_content(".lead")
    assert page.outside == []
