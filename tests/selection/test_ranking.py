"""The fair ranking: pure functions, no database."""

import datetime
import itertools

from hypothesis import assume, given, settings, strategies as st

from cascade.selection.ranking import (
    BY_RANK,
    FOR_MINIMUM,
    OVER_MAXIMUM,
    OVERRIDE_IN,
    OVERRIDE_OUT,
    Applicant,
    Criterion,
    Override,
    Quota,
    Score,
    propose,
    rank,
    reviewer_totals,
    standardise,
    weighted_total,
)

T0 = datetime.datetime(2026, 1, 1, 9, 0)
CRITERIA = [Criterion("experience", 2.0), Criterion("dedication", 1.0)]


def applicants(*ids, countries=None):
    countries = countries or {}
    return [
        Applicant(i, T0 + datetime.timedelta(minutes=n), {"country": countries.get(i, "KZ")})
        for n, i in enumerate(ids)
    ]


def scores_of(reviewer, table):
    """``table`` is ``{applicant: (experience, dedication)}``."""
    return [
        Score(app, reviewer, crit.id, value)
        for app, values in table.items()
        for crit, value in zip(CRITERIA, values)
    ]


def order(rows):
    return [row.id for row in rows]


def test_the_weighted_total_puts_each_criterion_on_its_scale_and_weighs_it():
    assert weighted_total({"experience": 5, "dedication": 1}, CRITERIA) == 100 * 2 / 3
    assert weighted_total({"experience": 1, "dedication": 1}, CRITERIA) == 0
    assert weighted_total({"experience": 3, "dedication": 3}, CRITERIA) == 50


def test_an_unscored_criterion_is_left_out_rather_than_counted_as_zero():
    assert weighted_total({"dedication": 5}, CRITERIA) == 100
    assert weighted_total({}, CRITERIA) is None


def test_a_severe_reviewer_does_not_sink_an_applicant():
    # Ana is read by a generous reviewer, Bota by a severe one: both are each
    # reviewer's best. Raw totals would put every generous reviewer's applicant first.
    generous = scores_of("g", {"ana": (5, 5), "dina": (4, 4), "erke": (4, 3)})
    severe = scores_of("s", {"bota": (3, 3), "gulya": (1, 2), "zhanna": (2, 1)})
    rows = rank(applicants("ana", "bota", "dina", "erke", "gulya", "zhanna"), generous + severe, CRITERIA)
    by_id = {row.id: row for row in rows}
    assert by_id["bota"].mean_raw < by_id["erke"].mean_raw  # raw totals would rank her below
    assert by_id["bota"].rank < by_id["dina"].rank  # standardised, she is among the best
    assert {by_id["ana"].rank, by_id["bota"].rank} == {1, 2}


def test_a_severe_reviewer_shared_with_others_is_corrected_for_everyone():
    # Both reviewers read the same three applicants and agree on the order; the severe
    # one's scores are two points lower. Standardised, the two agree exactly.
    generous = scores_of("g", {"a": (5, 5), "b": (4, 4), "c": (3, 3)})
    severe = scores_of("s", {"a": (3, 3), "b": (2, 2), "c": (1, 1)})
    rows = rank(applicants("a", "b", "c"), generous + severe, CRITERIA)
    assert order(rows) == ["a", "b", "c"]
    for row in rows:
        assert abs(row.z_scores["g"] - row.z_scores["s"]) < 1e-9
        assert row.spread < 1e-9 and not row.disputed


def test_a_reviewer_with_one_applicant_is_measured_against_the_pool():
    totals = {("a", "r1"): 80.0, ("b", "r1"): 40.0, ("c", "r2"): 80.0}
    z, pool_mean, pool_sd = standardise(totals)
    assert z[("c", "r2")] == (80.0 - pool_mean) / pool_sd
    assert z[("c", "r2")] > 0


def test_a_reviewer_who_gives_everyone_the_same_total_is_measured_against_the_pool():
    totals = {("a", "flat"): 50.0, ("b", "flat"): 50.0, ("a", "r"): 100.0, ("b", "r"): 0.0}
    z, pool_mean, pool_sd = standardise(totals)
    assert z[("a", "flat")] == z[("b", "flat")] == 0.0  # 50 is the pool's mean
    assert z[("a", "r")] == 1.0 and z[("b", "r")] == -1.0


def test_when_all_totals_are_equal_nobody_gets_a_division_by_zero():
    z, _mean, sd = standardise({("a", "r"): 60.0, ("b", "r"): 60.0})
    assert sd == 0 and set(z.values()) == {0.0}


def test_reviewers_who_disagree_mark_the_applicant_as_disputed():
    r1 = scores_of("r1", {"a": (5, 5), "b": (1, 1), "c": (3, 3)})
    r2 = scores_of("r2", {"a": (1, 1), "b": (5, 5), "c": (3, 3)})
    by_id = {row.id: row for row in rank(applicants("a", "b", "c"), r1 + r2, CRITERIA)}
    assert by_id["a"].disputed and by_id["b"].disputed
    assert not by_id["c"].disputed


def test_ties_go_to_the_earlier_submission_then_the_lower_number():
    same = scores_of("r", {3: (3, 3), 1: (3, 3), 2: (3, 3)})
    people = [Applicant(3, T0), Applicant(1, T0 + datetime.timedelta(hours=1)), Applicant(2, T0)]
    assert order(rank(people, same, CRITERIA)) == [2, 3, 1]


def test_applicants_nobody_scored_come_last_and_are_not_proposed():
    rows = rank(applicants("a", "b"), scores_of("r", {"b": (2, 2)}), CRITERIA)
    assert order(rows) == ["b", "a"] and rows[1].adjusted is None
    proposal = propose(rows, applicants("a", "b"), places=2)
    assert proposal.selected == ["b"]


def _ranked(ids, countries):
    """Applicants ranked in the order given (strictly decreasing scores)."""
    people = applicants(*ids, countries=countries)
    scores = [Score(i, "r", c.id, max(1, 5 - n * 0.25)) for n, i in enumerate(ids) for c in CRITERIA]
    return rank(people, scores, CRITERIA), people


def test_a_minimum_quota_brings_in_the_best_ranked_applicant_of_that_country():
    ids = ["kz1", "kz2", "kz3", "ge1", "ge2"]
    rows, people = _ranked(ids, {"ge1": "GE", "ge2": "GE"})
    proposal = propose(rows, people, places=3, quotas=[Quota("country", "GE", minimum=1)])
    assert proposal.selected == ["ge1", "kz1", "kz2"]
    assert proposal.reasons["ge1"][0] == FOR_MINIMUM
    assert proposal.moved_in == ["ge1"] and proposal.moved_out == ["kz3"]


def test_a_maximum_quota_is_never_exceeded_and_says_why():
    ids = ["kz1", "kz2", "kz3", "ge1"]
    rows, people = _ranked(ids, {"ge1": "GE"})
    proposal = propose(rows, people, places=3, quotas=[Quota("country", "KZ", maximum=2)])
    assert proposal.selected == ["kz1", "kz2", "ge1"]
    assert proposal.reasons["kz3"][0] == OVER_MAXIMUM


def test_an_unmeetable_minimum_is_reported():
    rows, people = _ranked(["kz1", "kz2"], {})
    proposal = propose(rows, people, places=2, quotas=[Quota("country", "TJ", minimum=1)])
    assert proposal.selected == ["kz1", "kz2"]
    assert [q.value for q in proposal.unmet_minimums] == ["TJ"]


def test_overrides_include_and_exclude_with_their_reason():
    rows, people = _ranked(["a", "b", "c", "d"], {})
    overrides = [Override("d", True, "facilitator of the next step-down"), Override("a", False, "withdrew by phone")]
    proposal = propose(rows, people, places=2, overrides=overrides)
    assert proposal.selected == ["d", "b"]
    assert proposal.reasons["d"] == (OVERRIDE_IN, overrides[0])
    assert proposal.reasons["a"][0] == OVERRIDE_OUT
    assert proposal.reasons["b"][0] == BY_RANK


# --- Properties ------------------------------------------------------------------

countries = st.sampled_from(["KZ", "KG", "GE", "TJ"])


@st.composite
def calls(draw):
    size = draw(st.integers(min_value=1, max_value=12))
    ids = list(range(1, size + 1))
    people = [
        Applicant(i, T0 + datetime.timedelta(minutes=draw(st.integers(0, 3))), {"country": draw(countries)})
        for i in ids
    ]
    reviewers = draw(st.lists(st.sampled_from(["r1", "r2", "r3"]), min_size=1, max_size=3, unique=True))
    scores = []
    for i, reviewer in itertools.product(ids, reviewers):
        if draw(st.booleans()):
            for criterion in CRITERIA:
                scores.append(Score(i, reviewer, criterion.id, draw(st.integers(1, 5))))
    quotas = []
    for country in draw(st.lists(countries, max_size=3, unique=True)):
        low = draw(st.integers(0, 2))
        high = draw(st.one_of(st.none(), st.integers(low, low + 3)))
        quotas.append(Quota("country", country, low, high))
    places = draw(st.integers(1, size))
    return people, scores, quotas, places


@settings(max_examples=150, deadline=None)
@given(calls())
def test_quotas_hold_and_places_are_never_exceeded(case):
    people, scores, quotas, places = case
    rows = rank(people, scores, CRITERIA)
    proposal = propose(rows, people, places, quotas)
    by_id = {p.id: p for p in people}
    assert len(proposal.selected) <= places
    assert len(set(proposal.selected)) == len(proposal.selected)
    for quota in quotas:
        chosen = sum(1 for s in proposal.selected if quota.matches(by_id[s]))
        if quota.maximum is not None:
            assert chosen <= quota.maximum
        if quota not in proposal.unmet_minimums:
            assert chosen >= quota.minimum


@settings(max_examples=100, deadline=None)
@given(calls(), st.randoms())
def test_the_ranking_does_not_depend_on_the_order_of_the_input(case, random):
    people, scores, quotas, places = case
    shuffled_people, shuffled_scores = list(people), list(scores)
    random.shuffle(shuffled_people)
    random.shuffle(shuffled_scores)
    first = rank(people, scores, CRITERIA)
    second = rank(shuffled_people, shuffled_scores, CRITERIA)
    assert order(first) == order(second)
    assert propose(first, people, places, quotas).selected == propose(second, shuffled_people, places, quotas).selected


@settings(max_examples=100, deadline=None)
@given(calls(), st.integers(-2, 2))
def test_a_reviewer_who_shifts_all_her_scores_keeps_her_standardised_scores(case, shift):
    people, scores, _quotas, _places = case
    wide = [Criterion(c.id, c.weight, -1, 7) for c in CRITERIA]
    shifted = [Score(s.applicant, s.reviewer, s.criterion, s.value + shift if s.reviewer == "r1" else s.value)
               for s in scores]
    hers = [t for (app, rev), t in reviewer_totals(scores, wide).items() if rev == "r1"]
    assume(len(hers) > 1 and max(hers) - min(hers) > 1e-6)  # her severity can be estimated
    before = {row.id: row.z_scores.get("r1") for row in rank(people, scores, wide)}
    after = {row.id: row.z_scores.get("r1") for row in rank(people, shifted, wide)}
    assert before.keys() == after.keys()
    for key, value in before.items():
        assert (value is None and after[key] is None) or abs(value - after[key]) < 1e-6
