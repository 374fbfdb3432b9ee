"""The figures page, drill-down lists and cascade trees, for staff, other users and visitors."""

import pytest
from django.urls import reverse


@pytest.fixture(autouse=True)
def _second_factor_not_enforced(settings):
    """These tests are about the pages; cascade.accounts' own tests cover the second factor."""
    settings.DEMO_MODE = True


@pytest.fixture
def staff(client, alice):
    """A client signed in as alice, the network admin (tests/conftest.py)."""
    client.force_login(alice)
    return client


@pytest.fixture
def outsider(client, nora):
    """A client signed in as nora, who has no role."""
    client.force_login(nora)
    return client


@pytest.fixture
def cascade_network(institute, step_down, create_person):
    aigul = create_person(full_name="Aigul Trainer", key="aigul")
    bota = create_person(full_name="Bota Trainee", key="bota")
    dana = create_person(full_name="Dana Third", key="dana")
    inst = institute(start=0, end=2, participants=[aigul], key="shymkent-2019")
    first = step_down(start=10, facilitators=[aigul], participants=[bota], women_count=9, key="sd-1")
    second = step_down(start=20, facilitators=[bota], participants=[dana], key="sd-2")
    loose = step_down(start=1, facilitators=[dana], country_id="GE", key="sd-loose")
    return {"institute": inst, "first": first, "second": second, "loose": loose}


def test_a_trainers_tree_shows_her_step_downs_their_trainees_and_what_they_led(staff, cascade_network):
    page = staff.get(reverse("metrics:person-tree", args=["aigul"])).content.decode()
    assert "Training sd-1" in page and "Bota Trainee" in page
    assert "Training sd-2" in page and "Dana Third" in page
    assert "Training sd-loose" not in page


def test_a_trainings_tree_shows_the_step_downs_that_grew_from_it(staff, cascade_network):
    page = staff.get(reverse("metrics:training-tree", args=["shymkent-2019"])).content.decode()
    assert page.index("Training sd-1") < page.index("Training sd-2")
    assert "generation 3" in page


def test_the_step_downs_behind_a_figure_are_listed_for_the_filter(staff, cascade_network):
    page = staff.get(reverse("metrics:drilldown", args=["step-downs"]) + "?region=143").content.decode()
    assert "Training sd-1" in page and "Training sd-2" in page
    assert "Training sd-loose" not in page


def test_the_people_of_one_generation_are_listed(staff, cascade_network):
    page = staff.get(reverse("metrics:drilldown", args=["people"]) + "?generation=2").content.decode()
    assert "Bota Trainee" in page and "Aigul Trainer" not in page


def test_the_figures_page_links_every_count_to_its_list(staff, cascade_network):
    page = staff.get(reverse("metrics:figures") + "?country=KZ").content.decode()
    assert reverse("metrics:drilldown", args=["step-downs"]) + "?country=KZ" in page


def test_a_bad_filter_is_named_on_the_page(staff, cascade_network):
    response = staff.get(reverse("metrics:figures") + "?region=Atlantis")
    assert response.status_code == 400
    assert "region: “Atlantis”" in response.content.decode()


@pytest.mark.parametrize("url", [
    reverse("metrics:figures"), reverse("metrics:drilldown", args=["people"]),
    reverse("metrics:person-tree", args=["aigul"]),
])
def test_users_who_may_not_see_people_or_figures_are_refused(outsider, cascade_network, url):
    assert outsider.get(url).status_code == 403


def test_a_training_hidden_from_the_reader_is_not_found(client, carol, cascade_network):
    client.force_login(carol)  # staff of a partner that neither hosted nor co-organised sd-1
    assert client.get(reverse("metrics:training-tree", args=["sd-1"])).status_code == 404


@pytest.mark.parametrize("url", [
    reverse("metrics:training-tree", args=["sd-1"]), reverse("metrics:drilldown", args=["institutes"]),
])
def test_donors_read_aggregates_not_the_trees_and_lists_behind_them(client, erin, cascade_network, url):
    client.force_login(erin)
    assert client.get(url).status_code == 403


def test_visitors_are_sent_to_sign_in(client, cascade_network):
    response = client.get(reverse("metrics:training-tree", args=["sd-1"]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_an_unknown_figure_is_not_found(staff):
    assert staff.get(reverse("metrics:drilldown", args=["nonsense"])).status_code == 404
