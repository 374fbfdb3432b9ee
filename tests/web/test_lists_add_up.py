"""The list behind every number of the dashboard states how it makes the number, and lists exactly those rows."""

import pytest
from django.urls import reverse


pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_network, db):
    """The demo network, built once for the module (tests/conftest.py)."""
    return demo_network


def every_number(figures):
    """(name, Figure) for every number on the dashboard that links to a list."""
    found = [(f"headline {k}", v) for k, v in figures.headline.items() if k != "generations"]
    for row in figures.generations:
        found += [(f"generation {row['generation']} {k}", row[k]) for k in ("trainings", "people", "headcount", "reach")]
    if figures.unlinked:
        found += [(f"unlinked {k}", v) for k, v in figures.unlinked.items()]
    for row in figures.per_year:
        found += [(f"{row['year']} {k}", row[k]) for k in ("institutes", "step_downs")]
    for row in figures.gender:
        found += [(f"{row['gender']} {k}", row[k]) for k in ("named", "headcount", "total")]
    for row in figures.countries:
        found += [(f"{row['code']} {k}", row[k]) for k in ("institutes", "step_downs", "people", "headcount")]
    return [(name, figure) for name, figure in found if figure.value]


def check_adds_up(client, name, figure):
    response = client.get(figure.url)
    explained, listed = response.context["explained"], response.context["page"].paginator.count
    assert explained, f"{name}: {figure.url} states nothing"
    if "named" in explained:  # a list of people
        assert explained["number"] == figure.value, name
        assert listed == explained["named"] == explained["visible"], name
        if explained.get("trainings_url"):
            behind = client.get(explained["trainings_url"])
            assert behind.context["explained"]["headcount"] == explained["headcount"], name
            assert behind.context["page"].paginator.count == explained["trainings"], name
        return explained
    totals = explained["totals"]
    assert listed == totals["trainings"] == explained["visible"], name
    if figure.of == "trainings":
        assert totals["trainings"] == figure.value, name
    else:
        assert explained["headcount"] == figure.value, name
        if response.context["headcounts"] and response.context["page"].paginator.num_pages == 1:
            # the list's own column of head-counts adds up to the number, row by row
            assert sum(t.headcount_shown for t in response.context["page"]) == figure.value, name
    return explained


@pytest.mark.parametrize("filters", [{}, {"country": "KG"}, {"partner": "swrc", "since": "2016-01-01"}])
def test_every_dashboard_number_opens_a_list_that_adds_up_to_it(client, alice, demo, filters):
    client.force_login(alice)
    figures = client.get(reverse("web:dashboard"), filters).context["figures"]
    numbers = every_number(figures)
    assert len(numbers) > 15
    for name, figure in numbers:
        check_adds_up(client, name, figure)


def test_the_women_reached_are_named_women_and_the_head_counts_of_the_trainings_that_had_women(client, alice, demo):
    client.force_login(alice)
    figures = client.get(reverse("web:dashboard")).context["figures"]
    women = next(row for row in figures.gender if row["gender"] == "woman")
    page = client.get(women["total"].url)
    text = " ".join(page.content.decode().split())
    explained = page.context["explained"]
    assert explained["named"] == women["named"].value and explained["headcount"] == women["headcount"].value
    assert (f"{women['total'].value:,} women = {explained['named']:,} named women, listed here, "
            f"+ {explained['headcount']:,} women not named, in the head-counts of") in text


def test_the_people_of_a_country_row_are_told_why_they_count_there(client, alice, demo):
    client.force_login(alice)
    figures = client.get(reverse("web:dashboard")).context["figures"]
    kg = next(row for row in figures.countries if row["code"] == "KG")
    text = " ".join(client.get(kg["people"].url).content.decode().split())
    assert f"This number counts {kg['people'].value} named people, listed here." in text
    assert "in the country of her first training within these filters" in text


def test_a_headcount_list_names_what_it_adds_up(client, alice, demo):
    client.force_login(alice)
    figures = client.get(reverse("web:dashboard")).context["figures"]
    kg = next(row for row in figures.countries if row["code"] == "KG")
    text = " ".join(client.get(kg["headcount"].url).content.decode().split())
    trainings = client.get(kg["headcount"].url).context["explained"]["totals"]["trainings"]
    assert f"{kg['headcount'].value:,} people not named = the head-counts of these {trainings} trainings" in text


def test_a_partner_staff_member_is_told_how_many_of_the_rows_her_role_opens(client, demo, bob):
    client.force_login(bob)
    page = client.get(reverse("web:trainings"), {"figure": "step-downs"})
    explained = page.context["explained"]
    assert explained["visible"] == page.context["page"].paginator.count < explained["totals"]["trainings"]
    assert "Your role opens" in page.content.decode()


def test_a_donor_is_told_the_trainings_but_no_sum_of_head_counts(client, demo, erin):
    client.force_login(erin)
    page = client.get(reverse("web:trainings"), {"figure": "trainings", "counts": "all", "country": "KG"})
    html = page.content.decode()
    assert "This list counts" in html and "people not named" not in html


@pytest.mark.parametrize("page", ["web:dashboard", "web:trainings"])
def test_an_invalid_filter_shows_no_figures_and_no_report_links(client, alice, demo, page):
    client.force_login(alice)
    response = client.get(reverse(page), {"since": "2019-01-01", "until": "2018-01-01"})
    html = response.content.decode()
    assert response.status_code == (400 if page == "web:dashboard" else 200)
    assert "The end of the period is before its start." in html
    assert "are not valid" in html
    assert reverse("stories:report", args=["pdf"]) not in html
    assert 'class="stat"' not in html and "data-figure" not in html
    if page == "web:trainings":
        assert response.context["page"].paginator.count == 0
