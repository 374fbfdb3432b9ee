"""Small-cell suppression, checked against an attacker who subtracts.

The attacker knows every shown number, that "<5" is 1 to 4 and that "*" is some
count; she tries every assignment of the hidden cells that fits the totals. A
small cell is safe when more than one value fits.
"""

import itertools
import random

import pytest

from cascade.access.suppression import HIDDEN, SMALL, Range, Release, show_count, suppress_counts, suppress_table


def complementary(value) -> bool:
    """Hidden so that a small count beside it cannot be worked out: "*", or a range."""
    return value == HIDDEN or isinstance(value, Range)


def grid_of(table):
    rows = [list(cells) + [total] for cells, total in zip(table.cells, table.row_totals)]
    return rows + [list(table.column_totals) + [table.total]]


def feasible_values(table, bound):
    """For each hidden position, the set of values consistent with everything shown."""
    grid = grid_of(table)
    rows, cols = len(grid), len(grid[0])

    def options(value):
        if value == SMALL:
            return range(1, 5)
        if value == HIDDEN:
            return range(0, bound + 1)
        if isinstance(value, Range):
            return range(value.low, value.high + 1)
        return (value,)

    def row_assignments(r):
        for values in itertools.product(*(options(v) for v in grid[r])):
            if sum(values[:-1]) == values[-1]:
                yield values

    found = {}
    per_row = [list(row_assignments(r)) for r in range(rows)]
    for choice in itertools.product(*per_row):
        if all(sum(choice[r][c] for r in range(rows - 1)) == choice[rows - 1][c] for c in range(cols)):
            for r in range(rows):
                for c in range(cols):
                    if isinstance(grid[r][c], str):
                        found.setdefault((r, c), set()).add(choice[r][c])
    return found


def assert_no_small_cell_recoverable(counts):
    table = suppress_table(counts)
    grid = grid_of(table)
    truth = [list(row) + [sum(row)] for row in counts]
    truth.append([sum(col) for col in zip(*truth)])
    feasible = feasible_values(table, bound=truth[-1][-1])
    for (r, c), values in feasible.items():
        assert truth[r][c] in values
        if 0 < truth[r][c] < 5:
            assert grid[r][c] == SMALL
            assert len(values) > 1, f"cell {(r, c)} = {truth[r][c]} recoverable from {grid}"
    for r, row in enumerate(truth):
        for c, value in enumerate(row):
            if 0 < value < 5:
                assert grid[r][c] == SMALL


def test_a_lone_small_cell_is_shown_as_less_than_five():
    assert show_count(3) == "<5" and show_count(0) == 0 and show_count(5) == 5


def test_staff_see_exact_figures():
    table = suppress_table([[3, 10], [12, 15]], exact=True)
    assert table.cells == [[3, 10], [12, 15]] and table.total == 40


def test_a_small_cell_beside_its_row_total_is_not_left_alone():
    # women 12, men 3, total 15: subtracting 12 from 15 would give the 3 men away.
    shown = suppress_counts({"women": 12, "men": 3})
    assert shown["men"] == SMALL
    assert complementary(shown["women"]) or complementary(shown["total"])


def test_secondary_suppression_protects_rows_and_columns():
    table = suppress_table([[3, 10], [12, 15]])
    assert table.cells[0][0] == SMALL
    assert sum(isinstance(cell, str) for cell in table.cells[0] + [table.row_totals[0]]) >= 2
    assert_no_small_cell_recoverable([[3, 10], [12, 15]])


@pytest.mark.parametrize("counts", [
    [[3, 10], [12, 15]],
    [[2, 0], [9, 8]],
    [[1, 20, 30], [25, 30, 40]],
    [[4, 4, 30], [30, 30, 30], [30, 30, 2]],
    [[12, 3]],
    [[1], [7]],
    [[0, 0, 1], [5, 6, 7]],
])
def test_no_small_cell_can_be_recovered_by_subtraction(counts):
    assert_no_small_cell_recoverable(counts)


def test_no_small_cell_can_be_recovered_in_random_small_tables():
    generator = random.Random(5)
    for _ in range(40):
        rows, cols = generator.randint(1, 3), generator.randint(1, 3)
        counts = [[generator.choice([0, 1, 2, 3, 4, 5, 6, 9, 12]) for _ in range(cols)] for _ in range(rows)]
        assert_no_small_cell_recoverable(counts)


def test_tables_without_small_cells_are_shown_whole():
    table = suppress_table([[5, 10], [0, 7]])
    assert table.cells == [[5, 10], [0, 7]] and table.row_totals == [15, 7] and table.total == 22


# --- Figures of one page suppressed together ---------------------------------------------

def recoverable(release):
    """Every "<5" of ``release`` that an attacker pins to one value, trying every assignment
    of the hidden figures that fits all of the release's sums. The attacker does not know
    how large a hidden total is: she tries well beyond the largest figure."""
    shown = {key: release.shown(key) for key in release.values}
    unknown = [key for key, value in shown.items() if isinstance(value, str) or key not in release.protected]
    bound = 2 * max(release.values.values()) + 5
    ranges = [range(1, 5) if shown[key] == SMALL else range(shown[key].low, shown[key].high + 1)
              if isinstance(shown[key], Range) else range(0, bound + 1) for key in unknown]
    found = {key: set() for key in unknown}
    for values in itertools.product(*ranges):
        known = {**shown, **dict(zip(unknown, values))}
        if all(known[total] == sum(known[p] for p in parts) for total, parts in release.equations) and all(
                sum(known[k] for k in small) <= sum(known[k] for k in large) for small, large in release.inequalities):
            for key, value in zip(unknown, values):
                found[key].add(value)
    return {key: values for key, values in found.items() if shown[key] == SMALL and len(values) == 1}


def a_page_of_named_women_and_generations(exact=False):
    """28 named women (no men), 25 of them trained at institutes, 3 in generation 2."""
    release = Release(exact)
    release.count(("gen", 1), 25)
    release.count(("gen", 2), 3)
    release.hidden_sum("named", 28)
    release.equal("named", [("gen", 1), ("gen", 2)])
    for gender, value in (("women", 28), ("men", 0), ("other", 0)):
        release.count(gender, value)
    release.equal("named", ["women", "men", "other"])
    return release


def test_a_hidden_generation_cannot_be_worked_out_from_the_named_women_of_another_table():
    release = a_page_of_named_women_and_generations()
    assert release.shown(("gen", 2)) == SMALL
    assert recoverable(release) == {}
    assert complementary(release.shown("women")) or complementary(release.shown(("gen", 1)))


def test_the_same_tables_suppressed_one_by_one_give_the_generation_away():
    """The attack the page-wide release prevents: each table alone hides nothing to subtract."""
    generations = suppress_table([[25], [3]])
    genders = suppress_table([[28], [0], [0]])
    assert genders.cells == [[28], [0], [0]] and generations.cells[1] == [SMALL]
    assert complementary(generations.cells[0][0]) or generations.column_totals == [28]


def test_a_share_or_bound_that_pins_a_small_count_is_checked_too():
    release = Release()
    release.count("trained", 6)
    release.count("country a", 6)
    release.count("country b", 2)
    release.hidden_sum("named", 8)
    release.equal("named", ["trained", "country b"])
    for country in ("country a", "country b"):
        release.at_most([country], ["named"])
    release.at_most(["named"], ["country a", "country b"])
    assert release.shown("country b") == SMALL
    assert recoverable(release) == {}


def test_staff_see_every_figure_of_a_page_exactly():
    release = a_page_of_named_women_and_generations(exact=True)
    assert release.shown(("gen", 2)) == 3 and release.shown("women") == 28


def test_periods_are_widened_to_whole_quarters():
    import datetime

    from cascade.access.suppression import coarsen
    from cascade.metrics.filters import Filters

    widened = coarsen(Filters(since=datetime.date(2019, 2, 14), until=datetime.date(2019, 1, 11)))
    assert widened.since == datetime.date(2019, 1, 1) and widened.until == datetime.date(2019, 3, 31)
    december = coarsen(Filters(until=datetime.date(2018, 11, 2)))
    assert december.until == datetime.date(2018, 12, 31) and december.since is None


@pytest.mark.parametrize("count, shown", [(0, 0), (3, "<5"), (5, "5–9"), (15, "10–19"), (499, "200–499"),
                                          (1200, "500 or more")])
def test_one_trainings_people_are_a_range_for_readers_without_exact_figures(count, shown):
    from cascade.access.suppression import band

    assert band(count) == shown and band(count, exact=True) == count


def test_the_attacker_finds_a_small_cell_hidden_without_secondary_suppression():
    release = a_page_of_named_women_and_generations()
    release._hidden = {("gen", 2): SMALL}  # primary suppression only
    assert recoverable(release) == {("gen", 2): {3}}


def test_no_small_count_can_be_recovered_from_random_linked_tables():
    """Two tables of one page that share their total (named people by generation and by gender)."""
    generator = random.Random(11)
    for _ in range(30):
        generations = [generator.choice([0, 1, 2, 3, 5, 6]) for _ in range(2)]
        women = generator.randint(0, sum(generations))
        release = Release()
        for number, value in enumerate(generations, start=1):
            release.count(("gen", number), value)
        release.count("named", sum(generations))
        release.equal("named", [("gen", 1), ("gen", 2)])
        release.count("women", women)
        release.count("men", sum(generations) - women)
        release.equal("named", ["women", "men"])
        truth = dict(release.values)
        assert recoverable(release) == {}, (truth, {key: release.shown(key) for key in truth})
        assert all(release.shown(key) == SMALL for key, value in truth.items() if 0 < value < 5)


# Figures read while someone writes: the sums of one release come from several queries.

@pytest.fixture
def two_trainings(create_training, create_person):
    from cascade.trainings.models import Training

    women = [create_person(key=f"w{n}") for n in range(12)]
    institute = create_training(key="inst", participants=women)
    create_training(key="sd", kind=Training.Kind.STEP_DOWN, source_training=institute, facilitators=women[:1],
                    women_count=20, men_count=7)
    create_training(key="sd2", kind=Training.Kind.STEP_DOWN, source_training=institute, facilitators=women[1:2],
                    women_count=9, men_count=6)


def _breakdowns_that_miss_a_write(monkeypatch, times):
    """The gender breakdown read just after a step-down of one man was saved, ``times`` times."""
    from cascade.metrics import engine

    original, calls = engine.breakdowns, []

    def breakdowns(filters):
        parts = original(filters)
        calls.append(1)
        if len(calls) <= times:
            parts["headcount_by_gender"]["men"] += 1
        return parts

    monkeypatch.setattr(engine, "breakdowns", breakdowns)
    return calls


def test_figures_whose_sums_were_split_by_a_write_are_read_again(two_trainings, monkeypatch):
    from cascade.access.suppression import release
    from cascade.metrics.filters import Filters

    calls = _breakdowns_that_miss_a_write(monkeypatch, times=1)
    released = release(Filters(), exact=False)
    assert len(calls) == 2 and not released.withheld
    assert released.headline["reach"] == 12 + 20 + 7 + 9 + 6


def test_figures_that_never_add_up_are_withheld_never_an_error(two_trainings, monkeypatch):
    from cascade.access.suppression import READ_AGAIN, release
    from cascade.metrics.filters import Filters

    calls = _breakdowns_that_miss_a_write(monkeypatch, times=99)
    released = release(Filters(), exact=False)
    assert len(calls) == READ_AGAIN and released.withheld
    assert released.headline["reach"] == HIDDEN and all(row["total"] in (HIDDEN, 0) for row in released.gender)


def test_a_partners_count_a_few_short_of_the_whole_networks_is_hidden_from_donors(
        create_organization, create_person, create_training):
    """A partner's cascade can be nearly the whole network: the page without the partner
    would otherwise give away, by subtraction, the few people outside it."""
    import datetime

    from cascade.access.suppression import release
    from cascade.metrics.filters import Filters

    a, b = create_organization(key="partner-a"), create_organization(key="partner-b")
    day = datetime.date(2019, 1, 10)
    first = create_training(host=a, start_date=day, participants=[create_person() for _ in range(10)])
    for n in range(3):
        create_training(kind="step-down", source_training=first, women_count=20,
                        start_date=day + datetime.timedelta(days=10 + n))
    create_training(host=b, start_date=day, participants=[create_person() for _ in range(2)])

    whole, partner = release(Filters(), exact=False), release(Filters.parse(partner="partner-a"), exact=False)
    exact = release(Filters.parse(partner="partner-a"), exact=True)
    assert (whole.headline["trained"], exact.headline["trained"]) == (12, 10)
    assert not isinstance(partner.headline["trained"], int)
    assert not isinstance(partner.generations[0]["people"], int)
    for wide, narrow in ((whole.headline["reach"], partner.headline["reach"]),
                         (whole.generations[0]["reach"], partner.generations[0]["reach"])):
        if isinstance(wide, int) and isinstance(narrow, int):
            assert not 1 <= wide - narrow <= 4


# --- What each figure counts, and secondary suppression only where it protects a small cell ----

def test_counts_of_no_one_are_declared_apart_from_counts_of_people():
    from cascade.access.suppression import COUNTS, counts_people

    for figure in ("generations", "trainings", "institutes", "step_downs", "countries", "partners"):
        assert not counts_people(figure), figure
    for figure in ("reach", "trained", "trainers", "people", "headcount", "women", "men", "participants"):
        assert counts_people(figure), figure
    assert counts_people("a figure nobody declared")  # closed by default
    assert set(COUNTS.values()) == {"people", "trainings", "generations", "countries", "partners"}


def test_a_small_not_stated_beside_figures_with_no_shown_total_hides_nothing_else():
    """Women 139, men 139, not stated 2, and no total on the page: only the 2 is hidden."""
    release = Release()
    for gender, value in (("women", 139), ("men", 139), ("other", 2)):
        release.count(gender, value)
    assert [release.shown(g) for g in ("women", "men", "other")] == [139, 139, SMALL]


def test_with_the_total_shown_exactly_one_complementary_cell_is_hidden_and_as_a_range():
    """Total minus women minus men would give the 2 away: one more cell, the least lost."""
    shown = suppress_counts({"women": 139, "men": 139, "other": 2})
    assert shown["other"] == SMALL and shown["total"] == 280
    assert sorted(map(complementary, (shown["women"], shown["men"]))) == [False, True]
    ranged = shown["women"] if complementary(shown["women"]) else shown["men"]
    assert isinstance(ranged, Range) and (ranged.low, ranged.high) == (130, 139) and ranged == "130–139"
    assert_no_small_cell_recoverable([[139, 139, 2]])


def test_a_range_that_would_pin_the_small_cell_is_widened():
    """Men 130 shown as 130–139 beside a total of 271 and women 140 would pin the 1 not stated."""
    shown = suppress_counts({"women": 140, "men": 130, "other": 1})
    ranged = [value for value in (shown["women"], shown["men"]) if complementary(value)]
    assert len(ranged) == 1
    assert_no_small_cell_recoverable([[140, 130, 1]])


def test_each_hidden_figure_says_why():
    from cascade.access.suppression import reason, with_reasons, why

    assert reason(SMALL) == "small" and reason(HIDDEN) == "complement" and reason(12) is None
    assert reason(HIDDEN, withheld=True) == "few-trainings" and reason(Range(130, 139)) == "range"
    assert why(SMALL) == "fewer than 5 people: hidden to protect them" and why(4000) == ""
    row = with_reasons({"generation": 3, "trainings": 2, "people": SMALL, "reach": Range(10, 19)})
    assert row["people_reason"] == "small" and row["reach_reason"] == "range"
    assert "trainings_reason" not in row and row["people"] == SMALL


def test_counts_of_no_one_are_shown_exactly_to_donors(create_training, create_person):
    """Four generations and one training in a generation are shown as they are; its people are not."""
    import datetime

    from cascade.access.suppression import release
    from cascade.metrics.filters import Filters
    from cascade.trainings.models import Training

    people = [create_person() for _ in range(12)]
    source = create_training(key="inst", participants=people)
    for generation in range(2, 5):
        source = create_training(key=f"sd{generation}", kind=Training.Kind.STEP_DOWN, source_training=source,
                                 facilitators=[people[generation]], women_count=2 if generation == 4 else 20,
                                 start_date=datetime.date(2019, 1, 10) + datetime.timedelta(days=30 * generation))
    released = release(Filters(), exact=False)
    assert released.headline["generations"] == 4 and released.headline["institutes"] == 1
    assert [row["trainings"] for row in released.generations] == [1, 1, 1, 1]
    assert released.generations[3]["reach"] == SMALL
    assert released.generations[0]["people"] in (12, SMALL) or complementary(released.generations[0]["people"])
