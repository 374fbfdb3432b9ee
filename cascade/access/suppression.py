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
offices protect linked tables (tau-argus, sdcTable). Staff (``exact_figures(user)``)
see exact figures.

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
        self._hidden: dict | None = None

    def count(self, key, value: int):
        self._add(key, value)
        self.protected.add(key)
        return key

    def hidden_sum(self, key, value: int):
        self._add(key, value)
        return key

    def equal(self, total, parts) -> None:
        parts = tuple(parts)
        if self.values[total] != sum(self.values[p] for p in parts):
            raise ValueError(f"{total!r} is not the sum of {parts!r}")
        self.equations.append((total, parts))
        self._hidden = None

    def _add(self, key, value):
        value = int(value or 0)
        if key in self.values and self.values[key] != value:
            raise ValueError(f"{key!r} is {self.values[key]} and {value} at once")
        self.values[key] = value
        self._hidden = None

    def shown(self, key):
        if self.exact or key not in self.protected:
            return self.values[key]
        if self._hidden is None:
            self._hidden = self._suppress()
        return self._hidden.get(key, self.values[key])

    def hides_anything(self) -> bool:
        return any(isinstance(self.shown(key), str) for key in self.protected)

    def table(self, prefix, counts: list[list[int]], row_keys=None, column_keys=None, total_key=None):
        """A table with its row and column totals, its keys ``(prefix, r, c)`` unless named.

        ``row_keys``/``column_keys``/``total_key`` name the totals so that other tables
        can share them; the returned :class:`Table` is filled lazily on :meth:`shown`.
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
            if not pinned:
                # Subtraction chains leave every "<5" open; check what combining all sums gives.
                exact_bounds = self.solver_bounds(hidden)
                narrow = {key for key in hidden if _narrow(exact_bounds[key])}
                pinned = self._pinned(hidden, exact_bounds)
                if not pinned:
                    return hidden
            choice = self._partner(narrow, pinned, hidden)
            if choice is None:
                return self._everything_hidden(hidden)
            hidden = choice

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

    def _partner(self, narrow, pinned, hidden):
        """The hidden set with one more count hidden, in a sum that pins a hidden count.

        Each candidate is tried: the one leaving fewest "<5" pinned wins, then inner cells
        before totals, then the smallest count (the least information lost).
        """
        totals = {total for total, _parts in self.equations}
        candidates = set()
        for total, parts in self.equations:
            members = (total, *parts)
            if narrow & set(members):
                candidates.update(key for key in members if key in self.protected and key not in hidden
                                  and self.values[key])
        best = None
        for key in sorted(candidates, key=repr):
            trial = {**hidden, key: HIDDEN, **{alias: HIDDEN for alias in self._aliases(key)
                                              if alias not in hidden}}
            bounds = self.reader_bounds(trial)
            left = len(pinned) + 1 if bounds is None else len(self._pinned(trial, bounds))
            rank = (left, key in totals, self.values[key])
            if best is None or rank < best[0]:
                best = (rank, trial)
        return best[1] if best else None

    def reader_bounds(self, hidden: dict) -> dict | None:
        """What a reader can narrow each unknown down to by adding and subtracting shown figures.

        "<5" starts as 1 to 4, "*" and unshown sums as any count; every equation then
        tightens every unknown in it, until nothing changes. None if that does not settle.
        """
        unknown = {key: ((1, THRESHOLD - 1) if mark == SMALL else (0, float("inf")))
                   for key, mark in hidden.items()}
        for key in self.values:
            if key not in self.protected:
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

    def solver_bounds(self, hidden: dict) -> dict:
        """The reader's best bounds by linear programming over every sum at once (SciPy's HiGHS).

        Exact for any combination of the equations a reader could add or subtract, with
        "<5" as 1 to 4 and every count at least 0; whole-number reasoning on top of it
        is :func:`_narrow`'s rounding.
        """
        import numpy
        from scipy.optimize import linprog

        unknown = [key for key in self.values if key in hidden or key not in self.protected]
        index = {key: i for i, key in enumerate(unknown)}
        rows, rhs = [], []
        for total, parts in self.equations:
            row, constant = numpy.zeros(len(unknown)), 0.0
            for key, sign in ((total, 1.0), *((part, -1.0) for part in parts)):
                if key in index:
                    row[index[key]] += sign
                else:
                    constant -= sign * self.values[key]
            if row.any():
                rows.append(row)
                rhs.append(constant)
        limits = [((1, THRESHOLD - 1) if hidden.get(key) == SMALL else (0, None)) for key in unknown]
        found = {}
        for key in hidden:
            objective = numpy.zeros(len(unknown))
            objective[index[key]] = 1.0
            ends = []
            for sign in (1.0, -1.0):
                answer = linprog(sign * objective, A_eq=numpy.array(rows) if rows else None,
                                 b_eq=numpy.array(rhs) if rows else None, bounds=limits, method="highs")
                if answer.status == 3:  # unbounded
                    ends.append(float("inf") if sign < 0 else 0.0)
                elif answer.status != 0:  # cannot happen for true figures; never guess
                    ends.append(self.values[key])
                else:
                    ends.append(sign * answer.fun)
            found[key] = (ends[0], ends[1])
        return found


def _narrow(bound) -> bool:
    """Whole counts: a reader who knows 3.2 to 4 knows 4."""
    low, high = bound
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
