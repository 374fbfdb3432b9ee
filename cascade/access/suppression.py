"""Small-cell suppression for figures that donors and the public see.

A count from 1 to 4 is shown as "<5" (primary suppression): in a small community
it can point at a person. Zeros stay visible: "no men came" names nobody.
Because tables show row and column totals, one hidden cell in a row or column can
be worked out by subtraction; secondary suppression hides a further cell (shown
as "*") in every row and column whose sum would pin a "<5" to one value (one
hidden cell, or two "<5" adding up to 8), repeated until none does. Staff (``exact_figures(user)``) see
exact figures; everyone else sees ``suppress_table``'s output.
"""

from dataclasses import dataclass

THRESHOLD = 5
SMALL = "<5"
HIDDEN = "*"


def is_small(count: int) -> bool:
    return 0 < count < THRESHOLD


def show_count(count: int, exact: bool = False):
    """One figure on its own (no totals around it to subtract from)."""
    return count if exact or not is_small(count) else SMALL


@dataclass
class Table:
    """Counts with their row and column totals; a cell is an int, "<5" or "*"."""

    cells: list[list]
    row_totals: list
    column_totals: list
    total: object


def suppress_table(counts: list[list[int]], exact: bool = False) -> Table:
    """``counts`` without totals; the totals are computed here, then everything is suppressed together."""
    rows, cols = len(counts), len(counts[0]) if counts else 0
    grid = [list(row) + [sum(row)] for row in counts]
    grid.append([sum(grid[r][c] for r in range(rows)) for c in range(cols + 1)])
    hidden = {} if exact else _suppress(grid)
    shown = [[hidden.get((r, c), grid[r][c]) for c in range(cols + 1)] for r in range(rows + 1)]
    return Table(cells=[row[:-1] for row in shown[:-1]], row_totals=[row[-1] for row in shown[:-1]],
                 column_totals=shown[-1][:-1], total=shown[-1][-1])


def suppress_counts(counts: dict, exact: bool = False) -> dict:
    """A breakdown and its total (``{"women": 12, "men": 3}`` -> adds ``"total"``), suppressed."""
    keys = list(counts)
    table = suppress_table([[counts[k] for k in keys]], exact=exact)
    return {**dict(zip(keys, table.cells[0])), "total": table.row_totals[0]}


def _lines(rows: int, cols: int):
    """Each row and column of the grid with its total as the last entry."""
    for r in range(rows):
        yield [(r, c) for c in range(cols)]
    for c in range(cols):
        yield [(r, c) for r in range(rows)]


def _suppress(grid) -> dict:
    rows, cols = len(grid), len(grid[0])
    hidden = {(r, c): SMALL for r in range(rows) for c in range(cols) if is_small(grid[r][c])}
    lines = list(_lines(rows, cols))
    while True:
        bounds = _reader_bounds(grid, lines, hidden)
        if not any(hidden[cell] == SMALL and high - low < 1 for cell, (low, high) in bounds.items()):
            return hidden
        # Some "<5" can be worked out: hide one more cell in a line that pins a hidden entry.
        pinned = {cell for cell, (low, high) in bounds.items() if high - low < 1}
        open_lines = [line for line in lines if pinned & set(line) and any(c not in hidden for c in line)]
        if not open_lines:  # cannot happen in a table with totals, but never give a count away
            return {**hidden, **{(r, c): HIDDEN for r in range(rows) for c in range(cols)
                                 if (r, c) not in hidden and grid[r][c]}}
        line = min(open_lines, key=lambda line: sum(cell in hidden for cell in line))
        hidden[_partner(grid, line, hidden)] = HIDDEN


def _reader_bounds(grid, lines, hidden) -> dict:
    """What a reader can narrow each hidden entry down to by adding and subtracting.

    Starts from "1 to 4" for "<5" and "any count" for "*", then tightens every entry
    with every row and column sum until nothing changes.
    """
    bounds = {cell: ((1, THRESHOLD - 1) if mark == SMALL else (0, float("inf")))
              for cell, mark in hidden.items()}

    def known(cell):
        return bounds.get(cell) or (grid[cell[0]][cell[1]],) * 2

    changed = True
    while changed:
        changed = False
        for line in lines:
            *cells, total = line
            for target in line:
                if target not in bounds:
                    continue
                others = [known(cell) for cell in cells if cell != target]
                low_sum, high_sum = sum(b[0] for b in others), sum(b[1] for b in others)
                if target == total:
                    low, high = low_sum, high_sum
                else:
                    total_low, total_high = known(total)
                    low, high = total_low - high_sum, total_high - low_sum
                old = bounds[target]
                new = (max(old[0], low), min(old[1], high))
                if new != old:
                    bounds[target] = new
                    changed = True
    return bounds


def _partner(grid, line, hidden):
    """The cell to hide beside an exposed one: the smallest non-zero, inner cells before totals."""
    total = line[-1]
    candidates = [cell for cell in line if cell not in hidden]
    if not candidates:
        return None
    return min(candidates, key=lambda cell: (grid[cell[0]][cell[1]] == 0, cell == total,
                                             grid[cell[0]][cell[1]]))
