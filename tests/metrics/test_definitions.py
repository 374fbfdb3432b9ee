"""Small hand-made networks, one per definition in docs/metrics.md."""

from django.db import connection

from cascade.metrics import engine
from cascade.metrics.filters import Filters
from cascade.trainings.models import Participation

from .conftest import day


def generation(training):
    return engine.generations_of([training.id])[training.id]


def row(figures, generation):
    return figures["generations"][generation - 1]


def test_an_institute_is_generation_one(institute):
    assert generation(institute()) == 1


def test_a_person_in_two_institutes_is_counted_once(institute, create_person):
    aigul = create_person()
    institute(start=0, end=2, participants=[aigul])
    institute(start=30, end=32, participants=[aigul])
    figures = engine.figures()
    assert figures["people_trained_at_institutes"] == 1
    assert row(figures, 1)["people"] == 1
    assert figures["total_reach"] == 1


def test_a_step_down_co_led_by_trainers_of_generations_one_and_two_is_generation_two(
    institute, step_down, create_person
):
    first, second = create_person(), create_person()
    institute(start=0, end=2, participants=[first])
    earlier = step_down(start=10, facilitators=[first], participants=[second])
    co_led = step_down(start=20, facilitators=[first, second])
    assert generation(earlier) == 2
    assert generation(co_led) == 2


def test_a_step_down_led_only_by_a_second_generation_trainer_is_generation_three(
    institute, step_down, create_person
):
    first, second = create_person(), create_person()
    institute(start=0, end=2, participants=[first])
    step_down(start=10, facilitators=[first], participants=[second])
    assert generation(step_down(start=20, facilitators=[second])) == 3


def test_a_cycle_of_trainers_training_each_other_ends_and_follows_the_dates(
    institute, step_down, create_person, takes_part
):
    aigul, bota = create_person(), create_person()
    institute(start=0, end=2, participants=[aigul])
    one = step_down(start=10, facilitators=[aigul], participants=[bota])
    two = step_down(start=20, facilitators=[bota], participants=[aigul])
    three = step_down(start=30, facilitators=[aigul])
    assert [generation(t) for t in (one, two, three)] == [2, 3, 2]
    assert engine.person_generations([aigul.id, bota.id]) == {aigul.id: 1, bota.id: 2}


def test_step_downs_naming_each_other_as_source_are_unlinked_and_do_not_loop(step_down):
    one, two = step_down(start=10), step_down(start=20)
    one.source_training = two
    one.save()
    two.source_training = one
    two.save()
    assert engine.generations_of([one.id, two.id]) == {one.id: None, two.id: None}
    assert engine.figures()["unlinked_step_downs"] == 2


def test_a_trainer_whose_only_training_came_after_her_step_down_leaves_it_unlinked(
    institute, step_down, create_person
):
    aigul = create_person()
    early = step_down(start=5, facilitators=[aigul], women_count=12)
    institute(start=10, end=12, participants=[aigul])
    assert generation(early) is None
    figures = engine.figures()
    assert figures["unlinked_step_downs"] == 1
    assert figures["unlinked"] == {"trainings": 1, "people": 0, "headcount": 12, "reach": 12}
    assert figures["total_reach"] == 1


def test_a_step_down_may_start_on_the_day_its_source_ends(institute, step_down, create_person):
    aigul = create_person()
    institute(start=0, end=2, participants=[aigul])
    assert generation(step_down(start=2, facilitators=[aigul])) == 2


def test_an_institute_without_an_end_date_ends_on_its_start_date(institute, step_down, create_person):
    aigul = create_person()
    institute(start=3, participants=[aigul])
    assert generation(step_down(start=3, facilitators=[aigul])) == 2


def test_a_training_not_completed_is_no_source(institute, step_down, create_person, takes_part):
    aigul = create_person()
    takes_part(aigul, institute(start=0, end=2), completed=False)
    assert generation(step_down(start=10, facilitators=[aigul])) is None
    assert engine.figures()["people_trained_at_institutes"] == 1


def test_head_count_only_step_downs_add_their_head_counts_to_their_generation(
    institute, step_down, create_person
):
    aigul = create_person()
    institute(start=0, end=2, participants=[aigul])
    step_down(start=10, facilitators=[aigul], women_count=14, men_count=5, other_count=1)
    step_down(start=20, facilitators=[aigul], women_count=7)
    figures = engine.figures()
    assert row(figures, 2) == {
        "generation": 2, "trainings": 2, "people": 0, "headcount": 27, "reach": 27, "mean_fidelity": None,
    }
    assert figures["total_reach"] == 1 + 27


def test_an_explicit_source_overrides_dates(institute, step_down, create_person):
    aigul = create_person()
    later = institute(start=50, end=52)
    assert generation(step_down(start=10, facilitators=[aigul], source_training=later)) == 2


def test_an_explicit_source_is_the_only_source(institute, step_down, create_person):
    aigul, bota = create_person(), create_person()
    institute(start=0, end=2, participants=[aigul])
    second = step_down(start=10, facilitators=[aigul], participants=[bota])
    assert generation(step_down(start=20, facilitators=[aigul], source_training=second)) == 3


def test_a_person_takes_the_smallest_generation_of_her_trainings(institute, step_down, create_person):
    aigul, bota = create_person(), create_person()
    institute(start=0, end=2, participants=[aigul])
    step_down(start=10, facilitators=[aigul], participants=[bota])
    institute(start=40, end=42, participants=[bota])
    figures = engine.figures()
    assert [(r["generation"], r["people"]) for r in figures["generations"]] == [(1, 2), (2, 0)]


def test_trainer_utilisation_is_the_share_of_institute_trainees_who_later_ran_a_step_down(
    institute, step_down, create_person, takes_part
):
    people = [create_person() for _ in range(4)]
    institute(start=0, end=2, participants=people)
    step_down(start=12, facilitators=[people[0]])
    step_down(start=40, facilitators=[people[0]])
    step_down(start=32, facilitators=[people[1]])
    figures = engine.figures()
    assert figures["trainers"] == 2
    assert figures["trainer_utilisation"] == 0.5
    assert figures["median_days_to_first_step_down"] == 20  # 10 and 30 days after day 2


def test_a_step_down_before_the_institute_does_not_count_as_later(
    institute, step_down, create_person
):
    aigul = create_person()
    institute(start=10, end=12, participants=[aigul])
    step_down(start=5, facilitators=[aigul])
    figures = engine.figures()
    assert (figures["trainers"], figures["trainer_utilisation"]) == (0, 0.0)
    assert figures["median_days_to_first_step_down"] is None


def test_fidelity_is_the_share_of_the_manuals_sessions_delivered(
    institute, step_down, create_person, create_manual
):
    from cascade.trainings.models import TrainingSession

    manual = create_manual(sessions=4)
    aigul = create_person()
    institute(start=0, end=2, participants=[aigul])
    half = step_down(start=10, facilitators=[aigul], manuals=[manual])
    for session in manual.sessions.all()[:2]:
        TrainingSession.objects.create(training=half, manual_session=session)
    whole = step_down(start=20, facilitators=[aigul])
    for session in manual.sessions.all():
        TrainingSession.objects.create(training=whole, manual_session=session)
    step_down(start=30, facilitators=[aigul], manuals=[manual])  # records no sessions: left out
    assert row(engine.figures(), 2)["mean_fidelity"] == 0.75


def test_a_filter_does_not_change_a_generation(institute, step_down, create_person):
    aigul, bota = create_person(), create_person()
    institute(start=0, end=2, participants=[aigul], country_id="GE")
    step_down(start=10, facilitators=[aigul], participants=[bota], country_id="KG")
    figures = engine.figures(Filters.parse(country="KG"))
    assert (figures["institutes"], figures["step_downs"]) == (0, 1)
    assert [(r["generation"], r["trainings"], r["people"]) for r in figures["generations"]] == [(1, 0, 0), (2, 1, 1)]
    assert figures["people_trained_at_institutes"] == 0


def test_filters_by_region_partner_manual_and_dates(
    institute, step_down, create_person, create_organization, create_manual
):
    swrc = create_organization(key="swrc")
    manual = create_manual(key="ltc")
    people = [create_person() for _ in range(3)]
    institute(start=0, end=2, host=swrc, participants=people[:1], manuals=[manual])
    institute(start=100, end=102, country_id="GE", participants=people[1:])
    step_down(start=10, host=swrc, facilitators=people[:1], country_id="KG")

    def counts(**raw):
        figures = engine.figures(Filters.parse(**raw))
        return figures["institutes"], figures["step_downs"], figures["people_trained_at_institutes"]

    assert counts(region="143") == (1, 1, 1)
    assert counts(region="central asia") == (1, 1, 1)
    assert counts(region="145") == (1, 0, 2)
    assert counts(partner="swrc") == (1, 1, 1)
    assert counts(manual="ltc") == (1, 0, 1)
    assert counts(since="2019-01-05") == (1, 1, 2)
    assert counts(until="2019-01-05") == (1, 0, 1)
    assert counts(since="2019-01-01", until="2019-01-01") == (1, 0, 1)


def test_a_partners_utilisation_counts_step_downs_hosted_by_anyone(
    institute, step_down, create_person, create_organization
):
    swrc, other = create_organization(key="swrc-2"), create_organization()
    aigul = create_person()
    institute(start=0, end=2, host=swrc, participants=[aigul])
    step_down(start=10, host=other, facilitators=[aigul])
    assert engine.figures(Filters.parse(partner="swrc-2"))["trainer_utilisation"] == 1.0


def test_figures_change_as_soon_as_a_participation_is_saved(institute, step_down, create_person, takes_part):
    aigul = create_person()
    start = institute(start=0, end=2)
    sd = step_down(start=10, facilitators=[aigul])
    assert generation(sd) is None
    takes_part(aigul, start)
    assert generation(sd) == 2
    Participation.objects.filter(person=aigul, role="participant").delete()
    assert generation(sd) is None


def test_raw_sql_writes_show_after_invalidate(institute, step_down, create_person):
    from cascade.metrics import tables as T

    aigul = create_person()
    start = institute(start=0, end=2)
    sd = step_down(start=10, facilitators=[aigul])
    assert generation(sd) is None
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {T.PARTICIPATION} (training_id, person_id, role, completed) VALUES (%s, %s, %s, %s)",
            [start.id, aigul.id, "participant", True],
        )
    assert generation(sd) is None  # stale until told
    engine.invalidate()
    assert generation(sd) == 2


def test_drill_downs_list_exactly_the_trainings_and_people_behind_each_figure(
    institute, step_down, create_person
):
    aigul, bota = create_person(), create_person()
    inst = institute(start=0, end=2, participants=[aigul])
    linked = step_down(start=10, facilitators=[aigul], participants=[bota])
    loose = step_down(start=5, facilitators=[bota])
    assert set(engine.trainings_behind("institutes")) == {inst}
    assert set(engine.trainings_behind("step-downs")) == {linked, loose}
    assert set(engine.trainings_behind("unlinked-step-downs")) == {loose}
    assert set(engine.trainings_behind("trainings", generation=2)) == {linked}
    assert set(engine.people_behind("people", generation=2)) == {bota}
    assert set(engine.people_behind("people-trained-at-institutes")) == {aigul}
    assert set(engine.people_behind("trainers")) == {aigul}


def test_the_ordinal_counts_the_regions_institutes_by_date_then_key(institute):
    institute(start=-1500, key="a-2014", country_id="KG")
    institute(start=0, key="b", country_id="GE")  # Western Asia: not counted
    institute(start=0, key="a")
    shymkent = institute(start=0, key="c")
    assert engine.ordinal(shymkent) == {
        "training": "c", "ordinal": 3, "of": 3, "region": {"code": "143", "name": "Central Asia"},
        "country": "KZ", "first_year": 2014, "planned": False,
    }


# --- A partner's cascade --------------------------------------------------------------


def in_cascade(partner_key):
    return set(engine.trainings_behind("trainings", Filters.parse(partner=partner_key)).values_list("id", flat=True))


def test_a_partners_cascade_holds_the_step_downs_its_institutes_grew_at_any_depth(
    institute, step_down, create_person, create_organization
):
    swrc = create_organization(key="swrc")
    first, second = create_person(), create_person()
    start = institute(start=0, end=2, host=swrc, participants=[first])
    child = step_down(start=10, facilitators=[first], participants=[second])
    grandchild = step_down(start=20, facilitators=[second])
    assert in_cascade("swrc") == {start.id, child.id, grandchild.id}
    figures = engine.figures(Filters.parse(partner="swrc"))
    assert (figures["institutes"], figures["step_downs"], figures["total_reach"]) == (1, 2, 2)


def test_an_institute_a_partner_only_co_organised_is_in_its_cascade(
    institute, step_down, create_person, create_organization
):
    host, swrc = create_organization(key="osce"), create_organization(key="swrc")
    aigul = create_person()
    start = institute(start=0, end=2, host=host, participants=[aigul])
    start.co_organisers.add(swrc)
    grown = step_down(start=10, facilitators=[aigul])
    assert in_cascade("swrc") == in_cascade("osce") == {start.id, grown.id}


def test_a_step_down_grown_from_two_partners_institutes_is_in_both_cascades(
    institute, step_down, create_person, create_organization
):
    swrc, bir_duino = create_organization(key="swrc"), create_organization(key="bir-duino")
    aigul, bakyt = create_person(), create_person()
    institute(start=0, end=2, host=swrc, participants=[aigul])
    institute(start=5, end=6, host=bir_duino, participants=[bakyt])
    co_led = step_down(start=10, facilitators=[aigul, bakyt])
    assert co_led.id in in_cascade("swrc") & in_cascade("bir-duino")
    assert engine.figures(Filters.parse(partner="swrc"))["step_downs"] == 1
    assert engine.figures(Filters.parse(partner="bir-duino"))["step_downs"] == 1


def test_an_unlinked_step_down_is_in_no_partners_cascade_even_when_the_partner_hosted_it(
    institute, step_down, create_person, create_organization
):
    swrc = create_organization(key="swrc")
    institute(start=0, end=2, host=swrc)
    hosted = step_down(start=10, host=swrc, facilitators=[create_person()])
    assert hosted.id not in in_cascade("swrc")
    assert engine.figures(Filters.parse(partner="swrc"))["unlinked_step_downs"] == 0


def test_a_step_down_grown_from_another_partners_institute_is_not_in_this_cascade(
    institute, step_down, create_person, create_organization
):
    swrc, bir_duino = create_organization(key="swrc"), create_organization(key="bir-duino")
    aigul = create_person()
    institute(start=0, end=2, host=bir_duino, participants=[aigul])
    elsewhere = step_down(start=10, host=swrc, facilitators=[aigul])
    assert elsewhere.id not in in_cascade("swrc")
    assert elsewhere.id in in_cascade("bir-duino")


def test_a_partners_cascade_follows_an_explicit_source_whatever_the_dates(
    institute, step_down, create_organization
):
    swrc = create_organization(key="swrc")
    start = institute(start=30, end=32, host=swrc)
    named = step_down(start=10, source_training=start)
    assert named.id in in_cascade("swrc")


def test_a_partners_cascade_changes_as_soon_as_a_co_organiser_is_added_or_removed(
    institute, step_down, create_person, create_organization
):
    swrc = create_organization(key="swrc")
    aigul = create_person()
    start = institute(start=0, end=2, participants=[aigul])
    grown = step_down(start=10, facilitators=[aigul])
    assert engine.figures(Filters.parse(partner="swrc"))["step_downs"] == 0
    start.co_organisers.add(swrc)
    assert engine.figures(Filters.parse(partner="swrc"))["step_downs"] == 1
    assert in_cascade("swrc") == {start.id, grown.id}
    swrc.co_organised_trainings.remove(start)
    assert engine.figures(Filters.parse(partner="swrc"))["step_downs"] == 0
