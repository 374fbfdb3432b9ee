"""The demo network reproduces the source story, counted with plain ORM queries."""

import datetime

import pytest

from cascade.curriculum.models import Edition, Manual
from cascade.indicators.models import IndicatorObservation
from cascade.network.models import Membership, Organization, Person
from cascade.trainings.models import Participation, Training, TrainingSession

CENTRAL_ASIA = "143"


@pytest.fixture
def demo(demo_network, db):
    """The demo network, built once for the module (tests/conftest.py)."""
    return demo_network


def institutes():
    return Training.objects.filter(kind="institute")


def step_downs():
    return Training.objects.filter(kind="step-down")


def test_sixteen_institutes_were_held_in_central_asia_from_2014_to_january_2019(demo):
    held = institutes().filter(
        country__region_id=CENTRAL_ASIA,
        start_date__gte=datetime.date(2014, 1, 1), end_date__lte=datetime.date(2019, 1, 31),
    )
    assert held.count() == 16 == institutes().count()
    assert set(held.values_list("country", flat=True)) == {"KZ", "KG"}


def test_the_sixteenth_is_the_three_day_shymkent_training_of_january_2019(demo):
    last = institutes().order_by("start_date").last()
    assert (last.key, last.city, last.days) == ("shymkent-2019", "Shymkent", 3)
    assert (last.start_date.year, last.start_date.month) == (2019, 1)
    assert last.host.key == "swrc"
    assert "osce" in last.co_organisers.values_list("key", flat=True)
    assert set(last.title) >= {"en", "ru", "kk"} and last.language == "ru"
    assert set(last.manuals.values_list("key", flat=True)) == {"leading-to-choices", "leading-to-action"}
    countries = last.participations.filter(role="participant").values_list("person__country", flat=True)
    assert set(countries) == {"KZ", "GE"}


def test_a_facilitator_from_georgia_presents_coalitions_and_networks_in_shymkent(demo):
    session = TrainingSession.objects.get(training__key="shymkent-2019", title__en="Creating coalitions and networks")
    (guest,) = session.facilitators.all()
    assert guest.country_id == "GE"
    assert Participation.objects.filter(training__key="shymkent-2019", person=guest, role="facilitator").exists()


def test_the_shymkent_agenda_has_the_story_sessions_and_the_gender_roleplay(demo):
    agenda = TrainingSession.objects.filter(training__key="shymkent-2019")
    titles = " ".join(agenda.values_list("title__en", flat=True)).lower()
    for topic in ("ethical politics", "negotiation", "coalitions", "networking"):
        assert topic in titles
    roleplay = agenda.get(manual_session__kind="roleplay")
    assert roleplay.manual_session.title["en"] == "How important is gender?"


def test_more_than_350_distinct_people_took_part_in_institutes_as_participants(demo):
    participants = Participation.objects.filter(training__kind="institute", role="participant")
    distinct = participants.values("person").distinct().count()
    assert distinct > 350
    assert participants.count() > distinct, "a few people came to two institutes and count once"
    women = participants.filter(person__gender="woman").values("person").distinct().count()
    assert women > 0.85 * distinct


def test_more_than_65_step_downs_were_led_by_institute_participants_after_their_institute(demo):
    first = step_downs().filter(source_training__kind="institute")
    assert first.count() > 65
    for training in first.select_related("source_training"):
        leaders = training.participations.filter(role="facilitator").values("person")
        assert leaders.exists()
        assert Participation.objects.filter(
            training=training.source_training, role="participant", person__in=leaders
        ).count() == leaders.count()
        assert training.start_date > training.source_training.end_date
        assert training.country_id in ("KZ", "KG") and training.women_count > training.men_count


def test_not_every_institute_participant_leads_a_step_down(demo):
    trained = Person.objects.filter(participations__training__kind="institute", participations__role="participant")
    leaders = trained.filter(participations__training__kind="step-down", participations__role="facilitator")
    share = leaders.distinct().count() / trained.distinct().count()
    assert 0.4 < share < 0.8


def test_second_and_third_generation_step_downs_exist(demo):
    def led_by_participants_of(trainings):
        people = Participation.objects.filter(training__in=trainings, role="participant").values("person")
        return step_downs().filter(participations__role="facilitator", participations__person__in=people).distinct()

    second = led_by_participants_of(step_downs().filter(source_training__kind="institute"))
    third = led_by_participants_of(second)
    assert second.exists() and third.exists()
    assert not third.filter(pk__in=second).exists()


def test_some_step_downs_record_the_manual_sessions_they_delivered(demo):
    with_sessions = step_downs().filter(sessions__manual_session__isnull=False).distinct().count()
    assert 0 < with_sessions < step_downs().count() / 2 + 10


def test_the_manuals_have_their_sessions_parts_and_editions_in_more_than_20_languages(demo):
    choices = Manual.objects.get(key="leading-to-choices")
    action = Manual.objects.get(key="leading-to-action")
    assert (choices.year, choices.isbn, choices.sessions.count()) == (2001, "0-9710922-0-6", 12)
    assert action.year == 2011 and action.sessions.count() == 10
    assert [action.sessions.filter(part=part).count() for part in ("I", "II")] == [3, 7]
    assert action.sessions.get(number=1).part_title["en"] == "Politics and Power: Where Do I Fit In?"
    languages = set(Edition.objects.values_list("language", flat=True))
    assert len(languages) > 20 and {"ru", "ky"} <= languages
    assert set(choices.editions.filter(language="ar").values_list("variant", flat=True)) == {"Maghrebi", "Shami"}


def test_swrc_is_in_shymkent_with_gulnara_karakulova_as_president(demo):
    swrc = Organization.objects.get(key="swrc")
    assert (swrc.kind, swrc.country_id, swrc.city) == ("partner", "KZ", "Shymkent")
    membership = Membership.objects.get(person__full_name="Gulnara Karakulova")
    assert membership.organization == swrc and membership.title == {"en": "President", "ru": "Президент"}
    assert Organization.objects.get(key="bir-duino").country_id == "KG"
    assert Organization.objects.get(key="osce").kind == "co-organiser"


def test_the_kazakh_senate_figure_has_its_source(demo):
    senate = IndicatorObservation.objects.get(country="KZ", chamber="upper", date__year=2019)
    assert senate.value == 6 and senate.unit == "%"
    assert senate.source_name == "Inter-Parliamentary Union" and senate.source_url.startswith("https://")
    assert IndicatorObservation.objects.get(country="KG", unit="seats").value == 30


def test_invented_people_have_reserved_addresses_and_fictional_surnames(demo):
    invented = Person.objects.exclude(key="gulnara-karakulova")
    assert all(key.startswith("p-") for key in invented.values_list("key", flat=True))
    emails = [p.email for p in invented if p.email]
    assert emails and all(email.endswith("@example.org") for email in emails)
    phones = [p.phone for p in invented if p.phone]
    assert phones and all(" 000 000 " in phone for phone in phones)
    assert not invented.filter(full_name__icontains="Karakulova").exists()


def snapshot() -> dict:
    """Everything the demo writes, by keys rather than ids, which differ between loads."""
    return {
        "organisations": list(Organization.objects.order_by("key").values_list(
            "key", "name", "kind", "country", "city")),
        "people": [(p.key, p.full_name, p.gender, p.country_id, p.city, p.email, p.phone, p.languages,
                    p.organization.key if p.organization else None)
                   for p in Person.objects.select_related("organization").order_by("key")],
        "memberships": list(Membership.objects.order_by("person__key").values_list(
            "person__key", "organization__key", "title")),
        "trainings": list(Training.objects.order_by("key").values_list(
            "key", "kind", "title", "start_date", "end_date", "country", "city", "host__key", "language",
            "source_training__key", "women_count", "men_count", "other_count")),
        "participations": list(Participation.objects.order_by("training__key", "person__key", "role").values_list(
            "training__key", "person__key", "role", "completed")),
        "sessions": list(TrainingSession.objects.order_by("training__key", "order").values_list(
            "training__key", "order", "date", "title", "manual_session__manual__key", "manual_session__number",
            "facilitators__key")),
        "co_organisers": list(Training.objects.order_by("key", "co_organisers__key").values_list(
            "key", "co_organisers__key")),
        "manuals": list(Training.objects.order_by("key", "manuals__key").values_list("key", "manuals__key")),
        "editions": list(Edition.objects.order_by("manual__key", "language", "variant").values_list(
            "manual__key", "language", "variant")),
        "indicators": list(IndicatorObservation.objects.order_by("country", "chamber", "date", "unit").values_list(
            "country", "chamber", "date", "value", "unit", "source_name")),
    }
