"""One head-count rule in the phone report and the staff form, and step-downs linked to where
the trainer trained."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cascade.metrics import engine
from cascade.metrics.filters import Filters
from cascade.network.models import Person
from cascade.trainings import headcounts
from cascade.trainings.models import Training

from .test_workflows import _report, _training_post

pytestmark = pytest.mark.django_db


def _people(women, men, other="0", women_names="", men_names="", other_names=""):
    return {"people-women": str(women), "people-men": str(men), "people-other": str(other),
            "people-women_names": women_names, "people-men_names": men_names,
            "people-other_names": other_names}


def test_a_report_of_18_women_2_men_and_2_named_women_stores_16_and_2_unnamed_20_people_in_all(
        admin_client, network):
    reach_before = engine.figures(Filters())["total_reach"]
    _report(admin_client, network, people=_people(18, 2, women_names="Gulmira Sadykova\nAsel Tokhtarova"))
    training = Training.objects.get(city="Lenger")
    named = training.participations.filter(role="participant")
    assert sorted(named.values_list("person__full_name", "person__gender")) == [
        ("Asel Tokhtarova", "woman"), ("Gulmira Sadykova", "woman")]
    assert (training.women_count, training.men_count, training.other_count) == (16, 2, 0)
    assert named.count() + training.headcount == 20
    assert headcounts.attended(training) == {"women": 18, "men": 2, "other": 0}
    assert engine.figures(Filters())["total_reach"] == reach_before + 20


def test_the_saved_page_shows_who_attended_and_how_many_were_named(admin_client, network):
    response = _report(admin_client, network, people=_people(18, 2, women_names="Gulmira Sadykova\nAsel Tokhtarova"))
    page = admin_client.get(response["Location"]).content.decode()
    for figure, value in [("women", 18), ("men", 2), ("named", 2), ("unnamed", 18), ("reach", 20)]:
        assert f'data-saved="{figure}">{value}<' in page


def test_names_beyond_the_number_who_attended_are_refused_at_that_gender(admin_client, network):
    admin_client.get(reverse("web:report"))
    response = admin_client.post(reverse("web:report_step", args=["people"]),
                                 _people(1, 2, women_names="Gulmira Sadykova\nAsel Tokhtarova"))
    assert response.status_code == 200
    assert response.context["form"].errors["women"] == [
        "Women named: 2; women who attended: 1. Raise the number of women or take a name off."]
    assert "men" not in response.context["form"].errors


def test_names_whose_gender_is_not_stated_count_among_others(admin_client, network):
    _report(admin_client, network, people=_people(3, 0, other=1, other_names="Sam Kim"))
    training = Training.objects.get(city="Lenger")
    assert (training.women_count, training.men_count, training.other_count) == (3, 0, 0)
    assert Person.objects.get(full_name="Sam Kim").gender == Person.Gender.NOT_STATED


def test_a_name_of_unstated_gender_needs_an_other_in_the_counts(admin_client, network):
    admin_client.get(reverse("web:report"))
    response = admin_client.post(reverse("web:report_step", args=["people"]), _people(3, 0, other_names="Sam Kim"))
    assert "other" in response.context["form"].errors


def test_the_service_refuses_more_names_than_attendees_and_writes_nothing(alice, network):
    from cascade.web import services

    before = (Training.objects.count(), Person.objects.count())
    with pytest.raises(ValidationError) as refused:
        services.report_step_down(alice, trainer=network["aigul"], start_date=datetime.date(2019, 4, 20),
                                  country=network["aigul"].country, city="Lenger", women=0, men=1,
                                  names=[("Asel Tokhtarova", "woman")])
    assert list(refused.value.message_dict) == ["women"]
    assert (Training.objects.count(), Person.objects.count()) == before


def test_the_rule_keeps_the_unnamed_remainder_per_gender():
    named = headcounts.count_named(["woman", "woman", "man", "not stated", "other"])
    assert named == {"women": 2, "men": 1, "other": 2}
    assert headcounts.unnamed({"women": 18, "men": 2, "other": 2}, named) == {"women": 16, "men": 1, "other": 0}


# --- The staff form: the same question, in the same words --------------------------------


def test_the_staff_form_asks_who_attended_and_stores_the_unnamed_remainder(admin_client, network):
    admin_client.post(reverse("web:training_new"), _training_post(**{
        "women": "10", "men": "3", "people-0-person": network["dana"].pk, "people-1-new_name": "Zarina Abdieva",
        "people-2-new_name": "Nino Beridze", "people-2-role": "facilitator"}))
    training = Training.objects.get(city="Almaty")
    # Dana and Zarina are named participants; Nino facilitated, so she did not attend.
    assert (training.women_count, training.men_count, training.other_count) == (8, 3, 0)
    form = admin_client.get(reverse("web:training_edit", args=[training.pk])).context["form"]
    # No other or unstated person went unnamed: that box stays empty ("everyone named").
    assert (form["women"].value(), form["men"].value(), form["other"].value()) == (10, 3, None)


def test_a_training_with_no_head_count_takes_a_named_person_without_a_number(admin_client, network):
    """A planned institute's registrants, say: the numbers stay empty, so adding a name needs none."""
    admin_client.post(reverse("web:training_new"), _training_post(**{"people-0-person": network["dana"].pk}))
    training = Training.objects.get(city="Almaty")
    form = admin_client.get(reverse("web:training_edit", args=[training.pk])).context["form"]
    assert (form["women"].value(), form["men"].value(), form["other"].value()) == (None, None, None)


def test_the_staff_form_refuses_more_named_women_than_attended(admin_client, network):
    response = admin_client.post(reverse("web:training_new"), _training_post(**{
        "women": "1", "people-0-person": network["dana"].pk, "people-1-new_name": "Zarina Abdieva"}))
    assert response.status_code == 200
    assert response.context["form"].errors["women"] == [
        "Women named: 2; women who attended: 1. Raise the number of women or take a name off."]
    assert not Training.objects.filter(city="Almaty").exists()
    assert not Person.objects.filter(full_name="Zarina Abdieva").exists()


def test_the_staff_form_and_the_phone_report_ask_in_the_same_words(admin_client, network):
    report = admin_client.get(reverse("web:report_step", args=["people"]))
    staff = admin_client.get(reverse("web:training_new"))
    labels = [(group, str(report.context["form"].fields[group].label)) for group in headcounts.GROUPS]
    assert labels == [(group, str(staff.context["form"].fields[group].label)) for group in headcounts.GROUPS]
    assert [label for _group, label in labels] == ["Women", "Men", "Others or not stated"]
    for page in (report, staff):
        assert "Everyone who attended, by gender, named or not." in page.content.decode()
    assert "not named below" not in staff.content.decode()


# --- Where the trainer trained --------------------------------------------------------------


@pytest.fixture
def trained(create_training, trainer_person, create_person):
    """Dave's person took part in three institutes and completed two; a step-down of hers is of
    generation 2; another institute she attended ends in the future."""
    early = create_training(title={"en": "Almaty 2018"}, start_date=datetime.date(2018, 5, 1),
                            end_date=datetime.date(2018, 5, 3), participants=[trainer_person])
    late = create_training(title={"en": "Shymkent 2019"}, start_date=datetime.date(2019, 1, 10),
                           end_date=datetime.date(2019, 1, 12), participants=[trainer_person])
    dropped = create_training(title={"en": "Bishkek 2019"}, start_date=datetime.date(2019, 6, 1))
    dropped.participations.create(person=trainer_person, role="participant", completed=False)
    later = create_training(title={"en": "Tashkent 2099"}, start_date=datetime.date(2099, 6, 1),
                            participants=[trainer_person])
    return {"early": early, "late": late, "dropped": dropped, "later": later}


def test_a_trainer_is_offered_her_completed_trainings_newest_first_with_the_newest_chosen(
        client, dave, trained):
    client.force_login(dave)
    client.get(reverse("web:report"))
    form = client.get(reverse("web:report_step", args=["when"])).context["form"]
    assert list(form.fields["source_training"].queryset) == [trained["late"], trained["early"]]
    assert form["source_training"].value() == trained["late"].pk


def test_the_offer_follows_the_date_of_the_step_down(client, dave, trainer_person, trained):
    client.force_login(dave)
    client.get(reverse("web:report"))
    response = client.post(reverse("web:report_step", args=["when"]), {
        "when-trainer": trainer_person.pk, "when-source_training": trained["late"].pk,
        "when-start_date": "2018-09-01", "when-country": "KZ", "when-city": "Lenger"})
    form = response.context["form"]
    assert list(form.fields["source_training"].queryset) == [trained["early"]]
    assert form.errors["source_training"] == [
        "Choose one of the trainings this trainer completed by the date of this one, or leave it empty."]


def test_a_reported_step_down_appears_under_the_training_where_she_trained(client, dave, trainer_person, trained):
    client.force_login(dave)
    client.get(reverse("web:report"))
    for step, data in [
        ("when", {"when-trainer": trainer_person.pk, "when-source_training": trained["late"].pk,
                  "when-start_date": "2019-04-20", "when-country": "KZ", "when-city": "Lenger"}),
        ("manual", {"manual-manual": ""}),
        ("people", _people(5, 1)),
    ]:
        assert client.post(reverse("web:report_step", args=[step]), data).status_code == 302
    client.post(reverse("web:report_review"), {})
    step_down = Training.objects.get(city="Lenger")
    assert step_down.source_training == trained["late"]
    assert engine.generations_of([step_down.pk])[step_down.pk] == 2


def test_the_service_refuses_a_source_the_trainer_did_not_complete(alice, trainer_person, trained):
    from cascade.web import services

    with pytest.raises(ValidationError) as refused:
        services.report_step_down(alice, trainer=trainer_person, start_date=datetime.date(2019, 8, 1),
                                  country=trainer_person.country, city="Lenger", women=3,
                                  source_training=trained["dropped"])
    assert list(refused.value.message_dict) == ["source_training"]
    assert not Training.objects.filter(city="Lenger").exists()


def test_the_pre_selected_source_keeps_the_generation_the_source_rule_gives(
        trainer_person, trained, create_training, create_person, alice):
    """She also completed a generation-2 step-down after her institutes: the newest of her
    generation-1 trainings is pre-selected, so naming it changes no generation."""
    from cascade.access import report_sources
    from cascade.trainings.sources import preferred

    other_trainer = create_person(full_name="Other Trainer")
    trained["late"].participations.create(person=other_trainer, role="participant")
    create_training(kind="step-down", title={"en": "Step-down in Sayram"}, start_date=datetime.date(2019, 3, 1),
                    facilitators=[other_trainer], participants=[trainer_person])
    choices = report_sources(alice, trainer_person, before=datetime.date(2019, 12, 1))
    assert [t.title["en"] for t in choices] == ["Step-down in Sayram", "Shymkent 2019", "Almaty 2018"]
    assert preferred(choices) == trained["late"]


def test_where_a_trainer_trained_is_shown_only_to_who_may_report_for_her(personas, trainer_person, trained):
    from cascade.access import report_sources

    assert list(report_sources(personas["dave"], trainer_person)) == [
        trained["later"], trained["late"], trained["early"]]
    for name in ("erin", "nora"):
        assert not report_sources(personas[name], trainer_person).exists()


def test_choosing_a_trainer_swaps_in_where_she_trained_with_the_newest_chosen(admin_client, trainer_person, trained):
    admin_client.get(reverse("web:report"))
    assert not admin_client.get(reverse("web:report_step", args=["when"])).context[
        "form"].fields["source_training"].queryset.exists()
    response = admin_client.post(reverse("web:report_check", args=["when"]), {
        "when-trainer": trainer_person.pk, "when-start_date": "2019-04-20"},
        HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER_NAME="when-trainer")
    page = response.content.decode()
    assert 'id="id_when-source_training"' in page and 'hx-swap-oob="true"' in page
    assert f'<option value="{trained["late"].pk}" selected>' in page
    assert f'value="{trained["later"].pk}"' not in page and f'value="{trained["dropped"].pk}"' not in page
    assert page.index("Shymkent 2019") < page.index("Almaty 2018")


def test_typing_another_field_swaps_nothing_in(admin_client, trainer_person, trained):
    admin_client.get(reverse("web:report"))
    response = admin_client.post(reverse("web:report_check", args=["when"]), {
        "when-trainer": trainer_person.pk, "when-city": "Lenger"},
        HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER_NAME="when-city")
    assert response.content.decode().strip() == ""


def test_typing_one_name_too_many_says_so_under_the_names(admin_client, network):
    admin_client.get(reverse("web:report"))
    response = admin_client.post(reverse("web:report_check", args=["people"]),
                                 _people(0, 1, men_names="Arman Tulegenov\nErlan Sadykov"),
                                 HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER_NAME="people-men_names")
    assert "Men named: 2; men who attended: 1." in response.content.decode()


def test_a_reported_step_down_is_taken_in_by_itself_and_counted_on_the_next_dashboard(
        admin_client, network, monkeypatch):
    before = admin_client.get(reverse("web:dashboard")).context["figures"].headline["step_downs"].value
    recomputed = []
    compute = engine._compute_generations
    monkeypatch.setattr(engine, "_compute_generations", lambda *a, **k: recomputed.append(a) or compute(*a, **k))
    _report(admin_client, network, people=_people(3, 1, women_names="Gulmira Sadykova"))
    dashboard = admin_client.get(reverse("web:dashboard")).context["figures"]
    assert dashboard.headline["step_downs"].value == before + 1
    training = Training.objects.get(city="Lenger")
    assert engine.generations_of([training.pk]) == {training.pk: 2}  # grown from the institute it names
    assert not recomputed, "a report through the pages is taken in without recomputing every generation"
