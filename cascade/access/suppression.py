"""Small-cell suppression for figures that donors and the public see.

A count of people from 1 to 4 is shown as "<5" (primary suppression): in a small
community it can point at a person. Zeros stay visible: "no men came" names nobody.

Suppression is decided for everything one reader sees at once, not table by table.
A page or a report is a :class:`Release`: its counts are variables, and every sum
that ties them together is an equation, within a table (a row and its total) and
across tables (the headline reach is the sum of the generations' reach; the named
people by gender add up to the named people by generation). Secondary suppression
then hides further counts (shown as "*") until no "<5" can be pinned to one value
by adding and subtracting any numbers the reader was shown, the way statistical
offices protect linked tables (tau-argus, sdcTable); such a count is then shown as a
range ("130–139") wherever that still pins no "<5". Staff (``exact_figures(user)``)
see exact figures.

Only counts of people are suppressed: what each figure counts is declared in
``COUNTS``; counts of no one (trainings, generations) are released exactly. Every
hidden figure carries its reason (``reason``, ``why``, ``with_reasons``) to the page,
the donor report and the API.

The reader's side of the audit is interval propagation over every equation (what
chains of sums and differences give), tightened until nothing changes; it does not
model inequalities (a country's named people are at least its share of the
network's), which narrow nothing to one value in the tables we publish.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

THRESHOLD = 5
SMALL = "<5"
HIDDEN = "*"

# --- What each figure counts: declared here, once ----------------------------------------

PEOPLE, TRAININGS, GENERATIONS, COUNTRIES, PARTNERS = "people", "trainings", "generations", "countries", "partners"
#: Every figure a page, report or the API releases, by what it counts. Counts of people are
#: suppressed when small (and hidden or shown as a range where they would give a small one
#: away); the others count no one and are shown exactly: four generations, or one training in
#: a generation, name nobody (a generation of one training can hold forty people). They are
#: part of no sum of people, so they cannot pin a hidden count; where one training's people
#: would show, the counts of people are withheld instead (``MIN_TRAININGS``, ``band``).
COUNTS = {
    **dict.fromkeys(("trained", "trainers", "reach", "people", "headcount", "named", "total", "participants",
                     "gender_total", "women", "men", "other"), PEOPLE),
    **dict.fromkeys(("institutes", "step_downs", "trainings"), TRAININGS),
    "generations": GENERATIONS, "countries": COUNTRIES, "partners": PARTNERS,
}


def counts_of(figure: str) -> str:
    """What ``figure`` counts; a figure not declared in ``COUNTS`` is a count of people (closed by default)."""
    return COUNTS.get(figure, PEOPLE)


def counts_people(figure: str) -> bool:
    return counts_of(figure) == PEOPLE


class Range(str):
    """A count of people shown as a range ("130–139") rather than "*": secondary suppression
    that keeps most of the figure, used where the audit finds it pins no "<5"."""

    low: int
    high: int

    def __new__(cls, low: int, high: int):
        from django.utils.formats import number_format
        from django.utils.translation import gettext as _

        text = super().__new__(cls, _("%(low)s–%(high)s") % {"low": number_format(low), "high": number_format(high)})
        text.low, text.high = low, high
        return text


# --- Why a figure is hidden: a reason for every hidden count -------------------------------

SMALL_CELL, COMPLEMENT, AS_RANGE, FEW_TRAININGS = "small", "complement", "range", "few-trainings"


def reasons() -> dict:
    """Each reason's code and its short text in the active language (pages, reports, the API)."""
    from django.utils.translation import gettext as _

    return {
        SMALL_CELL: _("fewer than 5 people: hidden to protect them"),
        COMPLEMENT: _("hidden so that a small figure cannot be worked out from it"),
        AS_RANGE: _("a range, so that a small figure cannot be worked out from it"),
        FEW_TRAININGS: _("hidden: too few trainings to count people without pointing at someone"),
    }


def reason(value, withheld: bool = False) -> str | None:
    """Why a released figure is not shown exactly (a code of :func:`reasons`), or None if it is."""
    if isinstance(value, Range):
        return AS_RANGE
    if value == SMALL:
        return SMALL_CELL
    if value == HIDDEN:
        return FEW_TRAININGS if withheld else COMPLEMENT
    return None


def why(value, withheld: bool = False) -> str:
    """The short text that goes next to a hidden figure, or "" for a shown one."""
    code = reason(value, withheld)
    return reasons()[code] if code else ""


def with_reasons(row: dict, withheld: bool = False) -> dict:
    """``row`` with a ``<figure>_reason`` code beside each figure that is hidden (JSON of the API)."""
    return {**row, **{f"{key}_reason": code for key, value in row.items()
                      if (code := reason(value, withheld)) and counts_people(key)}}


# Interval propagation converges in a few passes on our tables; a page that would need
# more is treated as unsafe and every non-zero count is hidden (fail closed).
MAX_PASSES = 500


def is_small(count: int) -> bool:
    return 0 < count < THRESHOLD


def show_count(count: int, exact: bool = False):
    """One figure on its own, with no sum anywhere around it to subtract from."""
    return count if exact or not is_small(count) else SMALL


class Release:
    """Every count one reader is shown at once, and the sums that tie them together.

    ``count(key, value)`` adds a shown count; ``hidden_sum(key, value)`` a figure the
    reader can work out but is not shown (the named people of all generations);
    ``equal(total, parts)`` says that ``total`` is the sum of ``parts``; ``event`` adds a
    count of trainings (events, not people: never small-suppressed, but part of no sum
    of people). Using one key in two tables makes them one figure, as the reader sees
    it. ``shown(key)`` is the figure after suppression: an int, "<5" or "*".
    """

    def __init__(self, exact: bool = False):
        self.exact = exact
        self.values: dict = {}
        self.protected: set = set()  # counts of people, shown unless suppressed
        self.equations: list[tuple[object, tuple]] = []
        self.inequalities: list[tuple[tuple, tuple]] = []  # sum of the first <= sum of the second
        self.fixed: set = set()  # figures the reader reads elsewhere (another page): known, never hidden here
        self._hidden: dict | None = None
        # The figures were read in several queries; a write that lands between two of them
        # can leave a sum that does not add up. Such a release is read again, or withheld.
        self.inconsistent = False

    def count(self, key, value: int):
        self._add(key, value)
        self.protected.add(key)
        return key

    def known(self, key, value: int):
        """A figure the reader sees on another page: known to her, and not this page's to hide."""
        self._add(key, value)
        self.fixed.add(key)
        return key

    def hidden_sum(self, key, value: int):
        self._add(key, value)
        return key

    def equal(self, total, parts) -> None:
        parts = tuple(parts)
        if self.values[total] != sum(self.values[p] for p in parts):
            self.inconsistent = True
        self.equations.append((total, parts))
        self._hidden = None

    def at_most(self, smaller, larger) -> None:
        """The sum of ``smaller`` is at most the sum of ``larger`` (one country's people and all people)."""
        smaller, larger = tuple(smaller), tuple(larger)
        if sum(self.values[k] for k in smaller) > sum(self.values[k] for k in larger):
            self.inconsistent = True
        self.inequalities.append((smaller, larger))
        self._hidden = None

    def _add(self, key, value):
        value = int(value or 0)
        if key in self.values and self.values[key] != value:
            self.inconsistent = True
            return
        self.values[key] = value
        self._hidden = None

    def shown(self, key):
        if self.exact or key not in self.protected:
            return self.values[key]
        if self._hidden is None:
            self._hidden = self._suppress()
        return self._hidden.get(key, self.values[key])

    def table(self, prefix, counts: list[list[int]], row_keys=None, column_keys=None, total_key=None):
        """A table with its row and column totals, its keys ``(prefix, r, c)`` unless named.

        ``row_keys``/``column_keys``/``total_key`` name the totals so that other tables
        can share them; the returned table reads its figures through :meth:`shown`.
        """
        rows, cols = len(counts), len(counts[0]) if counts else 0
        cell = [[self.count((prefix, r, c), counts[r][c]) for c in range(cols)] for r in range(rows)]
        row_keys = row_keys or [(prefix, r, "total") for r in range(rows)]
        column_keys = column_keys or [(prefix, "total", c) for c in range(cols)]
        total_key = total_key or (prefix, "total", "total")
        for r in range(rows):
            self.count(row_keys[r], sum(counts[r]))
            self.equal(row_keys[r], cell[r])
        for c in range(cols):
            self.count(column_keys[c], sum(counts[r][c] for r in range(rows)))
            self.equal(column_keys[c], [cell[r][c] for r in range(rows)])
        self.count(total_key, sum(map(sum, counts)))
        self.equal(total_key, row_keys)
        return _KeyTable(self, cell, row_keys, column_keys, total_key)

    # --- deciding what to hide ------------------------------------------------------

    def _suppress(self) -> dict:
        hidden = {key: SMALL for key in self.protected if is_small(self.values[key])}
        for key in list(hidden):
            hidden.update({alias: SMALL for alias in self._aliases(key)})
        if not hidden:
            return hidden
        while True:
            bounds = self.reader_bounds(hidden)
            if bounds is None:
                return self._everything_hidden(hidden)
            narrow = {key for key in hidden if _narrow(bounds[key])}
            pinned = self._pinned(hidden, bounds)
            audit = self.reader_bounds
            if not pinned:
                audit = self.solver_bounds
                # Subtraction chains leave every "<5" open; check what combining all sums gives.
                exact_bounds = self.solver_bounds(hidden)
                narrow = {key for key in hidden if _narrow(exact_bounds[key])}
                pinned = self._pinned(hidden, exact_bounds)
                if not pinned:
                    return self._as_ranges(hidden)
            choice = self._partner(narrow, pinned, hidden, audit)
            if choice is None:
                return self._everything_hidden(hidden)
            hidden = choice

    def _as_ranges(self, hidden) -> dict:
        """Each "*" shown as a range instead where the audit finds that pins no "<5".

        A complementary count is hidden only so that a sum cannot be subtracted down to a
        small one; a range ("130–139") usually leaves that small one open just as well and
        loses far less. All of them as their ten at once if that is safe; else one by one,
        the largest first (they lose most as "*"): its ten, else its hundred, else it stays
        "*". Counts equal by definition take the same range.
        """
        stars = sorted((k for k, mark in hidden.items() if mark == HIDDEN), key=lambda k: (-self.values[k], repr(k)))
        if not stars:
            return hidden
        trial = {**hidden, **{k: Range(*_ranges(self.values[k])[0]) for k in stars}}
        if self._safe(trial):
            return trial
        for key in stars:
            if hidden[key] != HIDDEN:
                continue
            group = {key} | {alias for alias in self._aliases(key) if hidden.get(alias) == HIDDEN}
            for low, high in _ranges(self.values[key]):
                trial = {**hidden, **{k: Range(low, high) for k in group}}
                if self._safe(trial):
                    hidden = trial
                    break
        return hidden

    def _safe(self, hidden) -> bool:
        """No "<5" of ``hidden`` is pinned by subtraction chains nor by all sums at once."""
        bounds = self.reader_bounds(hidden)
        if bounds is None or self._pinned(hidden, bounds):
            return False
        small = [key for key, mark in hidden.items() if mark == SMALL]
        return not self._pinned(hidden, self.solver_bounds(hidden, small))

    def _pinned(self, hidden, bounds) -> set:
        return {key for key, mark in hidden.items() if mark == SMALL and _narrow(bounds[key])}

    def _everything_hidden(self, hidden) -> dict:
        return {**{key: HIDDEN for key in self.protected if self.values[key]}, **{
            key: mark for key, mark in hidden.items() if mark == SMALL}}

    def _aliases(self, key) -> set:
        """Counts equal to ``key`` by definition (a one-part sum): hidden together or not at all."""
        found, todo = set(), [key]
        while todo:
            current = todo.pop()
            for total, parts in self.equations:
                if len(parts) == 1 and current in (total, parts[0]):
                    for other in (total, parts[0]):
                        if other not in found and other != key:
                            found.add(other)
                            todo.append(other)
        return found

    def _partner(self, narrow, pinned, hidden, audit):
        """The hidden set with one more count hidden, in a sum that pins a hidden count.

        Each candidate is tried: the one leaving fewest "<5" pinned wins, then inner cells
        before totals, then the smallest count (the least information lost).
        """
        totals = {total for total, _parts in self.equations}
        candidates = set()
        relations = [(total, *parts) for total, parts in self.equations]
        if audit == self.solver_bounds:  # sums only tie what subtraction reaches; the solver uses both
            relations += [(*smaller, *larger) for smaller, larger in self.inequalities]
        for members in relations:
            if narrow & set(members):
                candidates.update(key for key in members if key in self.protected and key not in hidden
                                  and self.values[key])
        best = None
        for key in sorted(candidates, key=repr):
            trial = {**hidden, key: HIDDEN, **{alias: HIDDEN for alias in self._aliases(key)
                                              if alias not in hidden}}
            bounds = audit(trial)
            if bounds is None:
                left = still_narrow = len(trial)
            else:
                left = len(self._pinned(trial, bounds))
                still_narrow = sum(_narrow(bounds[k]) for k in trial)
            rank = (left, still_narrow, key in totals, self.values[key])
            if best is None or rank < best[0]:
                best = (rank, trial)
        return best[1] if best else None

    def reader_bounds(self, hidden: dict) -> dict | None:
        """What a reader can narrow each unknown down to by adding and subtracting shown figures.

        "<5" starts as 1 to 4, "*" and unshown sums as any count; every equation then
        tightens every unknown in it, until nothing changes. None if that does not settle.
        """
        unknown = {key: _limits(mark, float("inf")) for key, mark in hidden.items()}
        for key in self.values:
            if key not in self.protected and key not in self.fixed:
                unknown[key] = (0, float("inf"))

        def known(key):
            return unknown.get(key) or (self.values[key],) * 2

        for _pass in range(MAX_PASSES):
            changed = False
            for total, parts in self.equations:
                for target in (total, *parts):
                    if target not in unknown:
                        continue
                    if target == total:
                        low = sum(known(p)[0] for p in parts)
                        high = sum(known(p)[1] for p in parts)
                    else:
                        others = list(parts)
                        others.remove(target)
                        total_low, total_high = known(total)
                        low = total_low - sum(known(p)[1] for p in others)
                        high = total_high - sum(known(p)[0] for p in others)
                    old = unknown[target]
                    new = (max(old[0], low), min(old[1], high))
                    if new != old:
                        unknown[target] = new
                        changed = True
            if not changed:
                return unknown
        return None

    def solver_bounds(self, hidden: dict, targets=None) -> dict:
        """The reader's best bounds by linear programming over every sum at once (SciPy's HiGHS).

        Exact for any combination of the equations a reader could add or subtract, with
        "<5" as 1 to 4 and every count at least 0; whole-number reasoning on top of it
        is :func:`_narrow`'s rounding. ``targets``: the hidden counts to bound (all of them by default).
        """
        import numpy
        from scipy.optimize import linprog

        unknown = [key for key in self.values if key in hidden or (key not in self.protected and key not in self.fixed)]
        index = {key: i for i, key in enumerate(unknown)}

        def constraints(sums):
            """Each ``plus - minus`` as a row over the unknown counts, the shown ones moved right."""
            matrix, right = [], []
            for plus, minus in sums:
                row, constant = numpy.zeros(len(unknown)), 0.0
                for key, sign in (*((k, 1.0) for k in plus), *((k, -1.0) for k in minus)):
                    if key in index:
                        row[index[key]] += sign
                    else:
                        constant -= sign * self.values[key]
                if row.any():
                    matrix.append(row)
                    right.append(constant)
            return matrix, right

        # total - parts = 0; smaller - larger <= 0
        rows, rhs = constraints(((total,), parts) for total, parts in self.equations)
        upper, upper_rhs = constraints(self.inequalities)
        limits = [_limits(hidden.get(key), None) for key in unknown]
        found = {}
        for key in (hidden if targets is None else targets):
            objective = numpy.zeros(len(unknown))
            objective[index[key]] = 1.0
            ends = []
            for sign in (1.0, -1.0):
                answer = linprog(sign * objective, A_eq=numpy.array(rows) if rows else None,
                                 b_eq=numpy.array(rhs) if rows else None,
                                 A_ub=numpy.array(upper) if upper else None,
                                 b_ub=numpy.array(upper_rhs) if upper else None, bounds=limits, method="highs")
                if answer.status == 3:  # unbounded
                    ends.append(float("inf") if sign < 0 else 0.0)
                elif answer.status != 0:  # cannot happen for true figures; never guess
                    ends.append(self.values[key])
                else:
                    ends.append(sign * answer.fun)
            found[key] = (ends[0], ends[1])
        return found


def _limits(mark, unbounded):
    """What the reader knows of a count shown as ``mark``: "<5" is 1 to 4, a range its ends."""
    if mark == SMALL:
        return (1, THRESHOLD - 1)
    if isinstance(mark, Range):
        return (mark.low, mark.high)
    return (0, unbounded)


def _ranges(value: int) -> list[tuple[int, int]]:
    """The ranges a complementary count may be shown as, narrowest first: its ten, then its hundred
    (never reaching below 5, so a range is never read as a small count)."""
    found = []
    for width in (10, 100):
        start = value - value % width
        limits = (max(THRESHOLD, start), start + width - 1)
        if limits not in found:
            found.append(limits)
    return found


def _narrow(bound) -> bool:
    """Whole counts: a reader who knows 3.2 to 4 knows 4."""
    low, high = bound
    if math.isinf(high):
        return False
    return math.floor(high + 1e-6) - math.ceil(low - 1e-6) < 1


class _KeyTable:
    """The keys of one table of a release, read back through suppression."""

    def __init__(self, release, cells, row_keys, column_keys, total_key):
        self.release = release
        self.keys, self.row_keys, self.column_keys, self.total_key = cells, row_keys, column_keys, total_key

    @property
    def cells(self):
        return [[self.release.shown(k) for k in row] for row in self.keys]

    @property
    def row_totals(self):
        return [self.release.shown(k) for k in self.row_keys]

    @property
    def column_totals(self):
        return [self.release.shown(k) for k in self.column_keys]

    @property
    def total(self):
        return self.release.shown(self.total_key)


@dataclass
class Table:
    """Counts with their row and column totals; a cell is an int, "<5" or "*"."""

    cells: list[list]
    row_totals: list
    column_totals: list
    total: object


def suppress_table(counts: list[list[int]], exact: bool = False) -> Table:
    """One table on its own: ``counts`` without totals; totals are computed and suppressed with it."""
    release = Release(exact)
    table = release.table("t", counts)
    return Table(cells=table.cells, row_totals=table.row_totals, column_totals=table.column_totals,
                 total=table.total)


def suppress_counts(counts: dict, exact: bool = False) -> dict:
    """A breakdown and its total (``{"women": 12, "men": 3}`` -> adds ``"total"``), suppressed."""
    keys = list(counts)
    table = suppress_table([[counts[k] for k in keys]], exact=exact)
    return {**dict(zip(keys, table.cells[0])), "total": table.row_totals[0]}


# --- Every figure of a filter, for one reader -------------------------------------------

# A filter that selects fewer trainings than this shows readers without exact figures
# no count of people at all: one training's people are not a statistic.
MIN_TRAININGS = 3
# A single training's people, for readers without exact figures: a range, never a count.
BANDS = ((5, 9), (10, 19), (20, 49), (50, 99), (100, 199), (200, 499))


def band(count: int, exact: bool = False):
    """One training's count as a reader may see it: exact for staff, else "<5", "10–19", "500+"."""
    from django.utils.formats import number_format
    from django.utils.translation import gettext as _

    if exact or not count:
        return count
    if is_small(count):
        return SMALL
    for low, high in BANDS:
        if low <= count <= high:
            return _("%(low)s–%(high)s") % {"low": number_format(low), "high": number_format(high)}
    return _("%(low)s or more") % {"low": number_format(BANDS[-1][1] + 1)}


def band_order(count):
    """A database expression of ``count`` that sorts as :func:`band` shows it: by range, never within
    one, so a list sorted by people tells a reader of ranges nothing the ranges do not."""
    from django.db.models import Case, IntegerField, Value, When
    from django.db.models.lookups import Exact, LessThan

    whens = [When(Exact(count, 0), then=Value(0)), When(LessThan(count, THRESHOLD), then=Value(1))]
    whens += [When(LessThan(count, high + 1), then=Value(low)) for low, high in BANDS]
    return Case(*whens, default=Value(BANDS[-1][1] + 1), output_field=IntegerField())


def training_reach(user, trainings) -> dict[int, object]:
    """People each training reached (named participants and head-counts), as ``user`` may see it."""
    from cascade import access
    from cascade.metrics import engine

    trainings = list(trainings)
    named = engine.named_participants(t.pk for t in trainings)
    exact = access.exact_figures(user)
    return {t.pk: band(named[t.pk] + t.headcount, exact) for t in trainings}


@dataclass
class Released:
    """Every figure of one filter as one reader sees it: ints, "<5" or "*" (see :class:`Release`).

    ``withheld``: the filter selects too few trainings for readers without exact figures,
    and every count of people is hidden. Bar lengths (``*_pct``) are computed from shown
    figures only, so a bar never draws a hidden count.
    """

    exact: bool
    withheld: bool
    headline: dict
    generations: list
    unlinked: dict | None
    gender: list
    gender_total: object
    per_year: list
    countries: list
    institutes: list


def figures_for(user, filters) -> Released:
    """The one way a page, chart, list or download gets its figures for ``user``."""
    from cascade import access

    return release(filters, exact=access.exact_figures(user))


#: How often a release whose sums do not add up (a write landed between its reads) is read again.
READ_AGAIN = 3


def release(filters, exact: bool = False) -> Released:
    """Every figure of ``filters`` from the engine, suppressed together for one reader.

    Staff (``exact``) get the engine's numbers. Everyone else gets one :class:`Release`
    covering the headline, the generations, reach by gender, the countries and the
    institutes, with every sum between them, so that no "<5" on the page or in the
    report can be worked out from the rest of it. The figures come from several
    queries: if a write lands between them and the sums no longer add up, they are read
    again; if they still do not, every count of people is withheld (never a page error,
    never a figure suppressed against sums the reader does not see).
    """
    for attempt in range(READ_AGAIN):
        released = _release(filters, exact, last=attempt == READ_AGAIN - 1)
        if released is not None:
            return released
    raise AssertionError("the last attempt always returns")


def _release(filters, exact: bool, last: bool) -> Released | None:
    from cascade.metrics import engine

    data = engine.figures(filters)
    parts = engine.breakdowns(filters)
    institutes = list(engine.trainings_behind("institutes", filters).select_related("country", "host")
                      .order_by("start_date", "key"))
    named_at = engine.named_participants(t.pk for t in institutes)
    trainings_count = data["institutes"] + data["step_downs"]
    withheld = not exact and 0 < trainings_count < MIN_TRAININGS

    r = Release(exact)
    generations = data["generations"]
    for row in generations:
        g = row["generation"]
        r.count(("gen", g, "people"), row["people"])
        r.count(("gen", g, "headcount"), row["headcount"])
        r.count(("gen", g, "reach"), row["reach"])
        r.equal(("gen", g, "reach"), [("gen", g, "people"), ("gen", g, "headcount")])
    loose = data["unlinked"]
    for name in ("people", "headcount", "reach"):
        r.count(("unlinked", name), loose[name])
    r.equal(("unlinked", "reach"), [("unlinked", "people"), ("unlinked", "headcount")])
    gens = [row["generation"] for row in generations]
    r.count("reach", data["total_reach"])
    r.equal("reach", [("gen", g, "reach") for g in gens])
    # The named people and head-counts of the whole selection: not printed, but a reader adds them up.
    r.hidden_sum("named", sum(row["people"] for row in generations) + loose["people"])
    r.equal("named", [("gen", g, "people") for g in gens] + [("unlinked", "people")])
    r.hidden_sum("headcount", sum(row["headcount"] for row in generations) + loose["headcount"])
    r.equal("headcount", [("gen", g, "headcount") for g in gens] + [("unlinked", "headcount")])
    # People trained at institutes are the first generation's people, by definition.
    trained = ("gen", 1, "people") if gens and generations[0]["people"] == data["people_trained_at_institutes"] \
        else r.count("trained", data["people_trained_at_institutes"])
    r.count("trainers", data["trainers"])

    genders = (("woman", "women"), ("man", "men"), ("other", "other"))
    for gender, plural in genders:
        r.count(("gender", gender, "named"), parts["named_by_gender"][gender])
        r.count(("gender", gender, "headcount"), parts["headcount_by_gender"][plural])
        r.count(("gender", gender, "total"),
                parts["named_by_gender"][gender] + parts["headcount_by_gender"][plural])
        r.equal(("gender", gender, "total"), [("gender", gender, "named"), ("gender", gender, "headcount")])
    r.equal("named", [("gender", g, "named") for g, _p in genders])
    r.equal("headcount", [("gender", g, "headcount") for g, _p in genders])
    r.count("gender_total", sum(r.values[("gender", g, "total")] for g, _p in genders))
    r.equal("gender_total", [("gender", g, "total") for g, _p in genders])
    r.equal("gender_total", ["named", "headcount"])

    for row in parts["per_country"]:
        r.count(("country", row["country"], "people"), row["people"])
        r.count(("country", row["country"], "headcount"), row["headcount"])
    if parts["per_country"]:
        r.equal("headcount", [("country", row["country"], "headcount") for row in parts["per_country"]])
        # each person is counted in the country of her first training: the countries add up
        r.equal("named", [("country", row["country"], "people") for row in parts["per_country"]])
    for training in institutes:
        r.count(("institute", training.pk), named_at[training.pk])
    # What a reader knows without a sum: a part is at most its whole, and people counted in
    # several countries or institutes are counted at least once in the whole.
    r.at_most(["trainers"], [trained])
    countries = [("country", row["country"], "people") for row in parts["per_country"]]
    institute_keys = [("institute", t.pk) for t in institutes]
    for key in countries:
        r.at_most([key], ["named"])
    if countries:
        r.at_most(["named"], countries)
    for key in institute_keys:
        r.at_most([key], [trained])
    if institute_keys:
        r.at_most([trained], institute_keys)

    if filters.partner_id and not exact:
        _beside_the_wider_view(r, filters, trained)

    if r.inconsistent and not exact:
        if not last:
            return None
        withheld = True
    if withheld:
        r._hidden = {key: HIDDEN for key in r.protected if r.values[key]}
    shown = r.shown
    both_shown = isinstance(shown("trainers"), int) and isinstance(shown(trained), int)
    headline = {
        "institutes": data["institutes"], "step_downs": data["step_downs"],
        "trained": shown(trained), "trainers": shown("trainers"), "reach": shown("reach"),
        "generations": len(generations),
        # a share of two counts gives the hidden one away: only when both are shown
        "utilisation": data["trainer_utilisation"] if both_shown else None,
        # a median of fewer than five trainers describes one of them: only when their count is shown
        "median_days": data["median_days_to_first_step_down"] if isinstance(shown("trainers"), int) else None,
    }
    top = max([v for v in (shown(("gen", g, "reach")) for g in gens) if isinstance(v, int)] or [0]) or 1
    released_generations = [{
        "generation": row["generation"], "trainings": row["trainings"],
        "people": shown(("gen", row["generation"], "people")),
        "headcount": shown(("gen", row["generation"], "headcount")),
        "reach": shown(("gen", row["generation"], "reach")),
        "mean_fidelity": row["mean_fidelity"],
        "pct": _pct(shown(("gen", row["generation"], "reach")), top),
    } for row in generations]
    unlinked = {"trainings": loose["trainings"], "people": shown(("unlinked", "people")),
                "headcount": shown(("unlinked", "headcount")), "reach": shown(("unlinked", "reach"))} \
        if loose["trainings"] else None
    top = max([v for v in (shown(("gender", g, "total")) for g, _p in genders) if isinstance(v, int)] or [0]) or 1
    gender = [{"gender": g, "named": shown(("gender", g, "named")), "headcount": shown(("gender", g, "headcount")),
               "total": shown(("gender", g, "total")), "pct": _pct(shown(("gender", g, "total")), top)}
              for g, _p in genders]
    top = max([max(row["institutes"], row["step_downs"]) for row in parts["per_year"]] or [0]) or 1
    per_year = [{**row, "institutes_pct": _pct(row["institutes"], top), "step_downs_pct": _pct(row["step_downs"], top)}
                for row in parts["per_year"]]
    countries = [{**row, "people": shown(("country", row["country"], "people")),
                  "headcount": shown(("country", row["country"], "headcount"))} for row in parts["per_country"]]
    return Released(
        exact=exact, withheld=withheld, headline=headline, generations=released_generations, unlinked=unlinked,
        gender=gender, gender_total=shown("gender_total"), per_year=per_year, countries=countries,
        institutes=[{"training": t, "participants": shown(("institute", t.pk))} for t in institutes])


def _beside_the_wider_view(r: Release, filters, trained) -> None:
    """A partner's cascade can be nearly the whole network, and the reader can open the same
    page without the partner: each count that exceeds this page's by 1 to 4 there would give
    a few people away by subtraction. The wider page's counts join this release as known
    figures, each with the difference as a count to protect, so that such a count is hidden.
    Differences below zero (a person counted at a lower generation in the wider view) are
    not a subtraction a reader can use for a count of people, and are left out."""
    import dataclasses

    wide = release(dataclasses.replace(filters, partner=None, partner_id=None), exact=True)
    values = {"reach": wide.headline["reach"], "trainers": wide.headline["trainers"], trained: wide.headline["trained"]}
    for row in wide.generations:
        values.update({("gen", row["generation"], name): row[name] for name in ("people", "headcount", "reach")})
    if wide.unlinked:
        values.update({("unlinked", name): wide.unlinked[name] for name in ("people", "headcount", "reach")})
    for row in wide.gender:
        values.update({("gender", row["gender"], name): row[name] for name in ("named", "headcount", "total")})
    for row in wide.countries:
        values.update({("country", row["country"], name): row[name] for name in ("people", "headcount")})
    for key, value in values.items():
        if key in r.protected and value - r.values[key] >= 0:
            r.known(("wider", key), value)
            r.count(("beyond", key), value - r.values[key])
            r.equal(("wider", key), [key, ("beyond", key)])


def _pct(value, top) -> int:
    return round(100 * value / top) if isinstance(value, int) else 0


def coarsen(filters):
    """``filters`` with its period widened to whole quarters, for readers without exact figures.

    Two periods a day apart would otherwise differ by one training, and subtracting one
    page from the other would give that training's exact counts. ``since`` moves back to
    the first day of its quarter and ``until`` forward to the last day of its quarter.
    """
    import dataclasses
    import datetime

    changes = {}
    if filters.since:
        month = 3 * ((filters.since.month - 1) // 3) + 1
        changes["since"] = datetime.date(filters.since.year, month, 1)
    if filters.until:
        month = 3 * ((filters.until.month - 1) // 3) + 3
        following = datetime.date(filters.until.year + (month == 12), month % 12 + 1, 1)
        changes["until"] = following - datetime.timedelta(days=1)
    return dataclasses.replace(filters, **changes)


def filters_for(user, filters):
    """The filters a page may apply for ``user``: as given for staff, periods in whole quarters otherwise."""
    from cascade import access

    return filters if access.exact_figures(user) else coarsen(filters)
