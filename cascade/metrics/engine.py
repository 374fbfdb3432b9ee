"""The cascade engine: every figure about how far training travelled, from one module.

Pages, reports, the API and ``cascade stats`` all ask this module; nothing else
counts trainings, generations or reach. The definitions are in docs/metrics.md.

Public API:

- ``figures(filters=None) -> Figures``: the headline figures and one row per generation
- ``ordinal(training) -> Ordinal``: "the 16th institute in Central Asia since 2014"
  (for a planned institute: the one it will be)
- ``upcoming(filters=None)``: the planned trainings a filter selects, counted in no figure
- ``generations_of(training_ids) -> {id: generation or None}``
- ``person_generations(person_ids) -> {id: generation or None}``
- ``trainings_behind(figure, filters, generation) / people_behind(...)``: the
  querysets behind each figure (drill-down)
- ``breakdown(filters, by) -> Breakdown``: rows by year, gender, country, partner or generation
- ``breakdowns(filters) -> Breakdowns``: reach by gender, trainings per year, figures per country
- ``named_participants(training_ids) -> {id: count}``: named participants of each training
- ``cascade_of(organization_id) -> QuerySet[Training]``: an organisation's cascade
- ``hosted_directly(organization_id) -> Hosted``: what an organisation hosted or co-organised
  itself (the ``partner`` filter selects its whole cascade)
- ``record(changes)``: note what a write to trainings or participations can change (the signals)
- ``agenda_changed(training_ids, manual_ids)`` / ``counts_changed(training_id)``: keep the fidelity
  parts / head-count of a training after an agenda, manual or head-count write (the signals)
- ``invalidate()``: have the next read recompute everything, after writes that send no Django signals
- ``invalidate_figures()``: drop the kept figures after writes that change figures but nothing kept
- ``refresh(force=False)``: take in the writes since the last read (done on every read)

Generations are computed over the whole network in passes of set-based SQL (one
INSERT ... SELECT per generation) and kept in tables with the parts every figure sums
(head-counts, fidelity, each trainee's first step-down); after that, each write is taken
in by itself, recomputing only the trainings reachable from it through sources. A filter
only chooses which kept rows are counted. The figures computed from them are kept too,
per filter set, until the next write.
"""

import datetime
import hashlib
import json
from dataclasses import asdict
from typing import TypedDict

from django.db import OperationalError, connection, transaction
from django.db.models import F, Min, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext, gettext as _

from cascade.metrics import deferred, tables as T
from cascade.metrics.filters import FilterError, Filters, held_sql
from cascade.metrics.models import CacheState, FiguresMemo, PartnerCascadeComputed, Pending
from cascade.network.models import Person, Region
from cascade.trainings.models import Training, today

INSTITUTE, STEP_DOWN = Training.Kind.INSTITUTE.value, Training.Kind.STEP_DOWN.value
PARTICIPANT, FACILITATOR = "participant", "facilitator"

__all__ = [
    "Figures", "FilterError", "Filters", "Ordinal", "figures", "generations_of", "invalidate",
    "invalidate_figures", "ordinal", "people_behind", "person_generations", "refresh", "trainings_behind",
    "Breakdowns", "breakdowns", "named_participants", "upcoming", "BREAKDOWNS", "Breakdown", "BreakdownRow",
    "breakdown", "ListTotals", "list_totals", "with_headcounts", "headcount_of", "Hosted", "cascade_of", "hosted_directly",
    "record", "agenda_changed", "counts_changed",
]


class GenerationRow(TypedDict):
    generation: int
    trainings: int
    people: int
    headcount: int
    reach: int
    mean_fidelity: float | None


class UnlinkedRow(TypedDict):
    trainings: int
    people: int
    headcount: int
    reach: int


class RegionRow(TypedDict):
    region: str | None
    name: str
    institutes: int


class Figures(TypedDict):
    institutes: int
    step_downs: int
    unlinked_step_downs: int
    people_trained_at_institutes: int
    trainers: int
    trainer_utilisation: float | None
    median_days_to_first_step_down: float | int | None
    total_reach: int
    generations: list[GenerationRow]
    unlinked: UnlinkedRow
    institutes_by_region: list[RegionRow]
    filters: dict


class Ordinal(TypedDict):
    training: str
    ordinal: int
    of: int
    region: dict | None
    country: str
    first_year: int
    planned: bool  # a planned institute: the number it will have once held


# --- SQL building blocks -------------------------------------------------------------


def _last_day(alias: str) -> str:
    return f"COALESCE({alias}.end_date, {alias}.start_date)"


def _days_between(later: str, earlier: str) -> str:
    if connection.vendor == "sqlite":
        return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"
    return f"({later} - {earlier})"


def _filtered(filters: Filters, alias: str = "t") -> tuple[str, list]:
    if filters.partner_id:
        _ensure_cascade(filters.partner_id)
    return filters.sql(alias)


# Trainings first, then their participations: a filter (or kind) narrows the trainings, and
# SQLite would otherwise walk all participations; CROSS JOIN fixes that order on SQLite.
_FILTERED_PARTICIPATIONS = f"{T.TRAINING} t CROSS JOIN {T.PARTICIPATION} p"


def _trainings_sql(filters: Filters, where: str = "1=1") -> tuple[str, list]:
    """Ids of the filtered trainings (alias t, its generation x.generation or NULL) meeting ``where``."""
    cond, params = _filtered(filters)
    return (
        f"SELECT t.id FROM {T.TRAINING} t LEFT JOIN {T.TRAINING_GEN} x ON x.training_id = t.id"
        f" WHERE {cond} AND {where}",
        params,
    )


def _people_generation_sql(filters: Filters) -> tuple[str, list]:
    """(person_id, gen) for each person who took part as a participant in a filtered training.

    ``gen`` is the smallest generation among those trainings; NULL when all are unlinked.
    """
    if filters.is_empty:
        return f"SELECT person_id, generation AS gen FROM {T.PERSON_GEN}", []
    if filters.only_partner:
        _filtered(filters)
        return (f"SELECT person_id, generation AS gen FROM {T.PARTNER_PERSON} WHERE organization_id = %s",
                [filters.partner_id])
    cond, params = _filtered(filters)
    return (
        f"SELECT p.person_id, MIN(x.generation) AS gen FROM {_FILTERED_PARTICIPATIONS}"
        f" LEFT JOIN {T.TRAINING_GEN} x ON x.training_id = p.training_id"
        f" WHERE p.training_id = t.id AND p.role = '{PARTICIPANT}' AND {cond} GROUP BY p.person_id",
        params,
    )


def _institute_trainees_sql(filters: Filters) -> tuple[str, list]:
    """(person_id, institute_end, first_step_down): participants of filtered institutes, the last
    day of their first one, and the start of the first step-down they facilitated (any in the
    network) on or after it, or NULL. From the kept trainee rows: a person's first step-down
    after an institute can only be later for a later institute, so the smallest of each is hers."""
    mins = "r.person_id, MIN(r.institute_end) AS institute_end, MIN(r.first_step_down) AS first_step_down"
    if filters.is_empty:  # every kept row is of a held institute
        return f"SELECT {mins} FROM {T.TRAINEE} r GROUP BY r.person_id", []
    if filters.only_partner:  # a cascade's institutes are its trainings at hop 0
        _filtered(filters)
        return (f"SELECT {mins} FROM {T.CASCADE} c CROSS JOIN {T.TRAINEE} r WHERE c.organization_id = %s"
                f" AND c.hop = 0 AND r.institute_id = c.training_id GROUP BY r.person_id", [filters.partner_id])
    cond, params = _filtered(filters)
    return (
        f"SELECT {mins} FROM {T.TRAINEE} r CROSS JOIN {T.TRAINING} t WHERE t.id = r.institute_id AND {cond}"
        f" GROUP BY r.person_id",
        params,
    )


def _utilisation_with(filters: Filters) -> tuple[str, list]:
    """A WITH clause naming ``trainees`` (see above) and ``trainers`` (person_id, days):
    trainees who later facilitated a step-down (any in the network), with the days from
    the end of her first filtered institute to the start of her first step-down on or after it.
    """
    trainees, params = _institute_trainees_sql(filters)
    return (
        f"WITH trainees AS MATERIALIZED ({trainees}), trainers AS MATERIALIZED (SELECT person_id,"
        f" {_days_between('first_step_down', 'institute_end')} AS days FROM trainees"
        f" WHERE first_step_down IS NOT NULL) ",
        params,
    )


def _fidelity_sql(filters: Filters) -> tuple[str, list]:
    """(generation, mean fidelity) over filtered linked step-downs (generation 2 or more) that
    record sessions, from the parts kept in their generation rows (see :func:`_keep_fidelity`)."""
    mean = "AVG(1.0 * x.delivered / x.total)"
    cond, params = _filtered(filters)
    return (
        f"SELECT x.generation, {mean} FROM {T.TRAINING} t JOIN {T.TRAINING_GEN} x ON x.training_id = t.id"
        f" WHERE x.generation > 1 AND x.total > 0 AND {cond} GROUP BY x.generation",
        params,
    )


def _scan(filters: Filters) -> str:
    """A hint for reading every training of a filter with no date, place or manual in it: SQLite
    would walk the (kind, start date) index for "held" and fetch each row out of order, four
    times slower than reading the table in order. PostgreSQL chooses well by itself."""
    broad = not (filters.region or filters.country or filters.manual_id or filters.since or filters.until)
    return _not_indexed() if broad else ""


def _not_indexed() -> str:
    """SQLite's hint to read a table in order instead of through an index (see :func:`_scan`)."""
    return " NOT INDEXED" if connection.vendor == "sqlite" else ""


def _rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        _tune(cursor)
        cursor.execute(sql, params)
        return cursor.fetchall()


def _tune(cursor, recompute: bool = False) -> None:
    """SQLite's default page cache (2 MB) makes every figure re-read the file; 64 MB holds
    the hot tables of a large network. Harmless to repeat. A recompute on PostgreSQL sorts
    and hashes every participation: 64 MB of working memory for its transaction only, instead
    of the default 4 MB, keeps that off the disk."""
    if connection.vendor == "sqlite":
        cursor.execute("PRAGMA cache_size = -65536")
    elif recompute:
        cursor.execute("SET LOCAL work_mem = '64MB'")


# --- the generation cache ------------------------------------------------------------


def invalidate() -> None:
    """Mark every figure stale and have the next read recompute every generation: for writes
    that send no Django signals (raw SQL, ``bulk_create``, ``QuerySet.update``), which nobody
    described. Writes through the ORM are described by the signals instead (:func:`record`)."""
    if not CacheState.objects.filter(pk=1).update(version=F("version") + 1, needs_full=True):
        _start_state()
    deferred.after_write()


def record(changes) -> None:
    """Note writes to trainings and participations, each ``(kind, training_id, person_id, since)``
    as in :class:`~cascade.metrics.models.Pending`: the next read takes them in, recomputing
    only what they can change (see :func:`_take_in`). The signals call it."""
    rows = [Pending(kind=kind, training_id=training_id, person_id=person_id, since=since)
            for kind, training_id, person_id, since in changes]
    if not rows:
        return
    Pending.objects.bulk_create(rows)
    if not CacheState.objects.filter(pk=1).update(version=F("version") + 1):
        _start_state()
    deferred.after_write()


def invalidate_figures() -> None:
    """Mark kept figures stale but keep the generations: for writes to what figures read and
    generations do not (agenda items, manual lists and sessions, countries and regions), so
    such an edit costs the next read its figures, not a recomputation of every generation.
    Agenda and manual writes that bypass the signals must call :func:`invalidate` instead."""
    if not CacheState.objects.filter(pk=1).update(figures_version=F("figures_version") + 1):
        _start_state()
    deferred.after_write()


def agenda_changed(training_ids=(), manual_ids=()) -> None:
    """Keep the fidelity rows of these trainings, and of every training using these manuals
    (listed on it or delivered), then mark kept figures stale. The signals call it."""
    training_ids, manual_ids = [int(pk) for pk in training_ids], [int(pk) for pk in manual_ids]
    if training_ids or manual_ids:
        in_list = ", ".join(["%s"] * len(manual_ids))
        using = (f" OR id IN (SELECT training_id FROM {T.TRAINING_MANUALS} WHERE manual_id IN ({in_list}))"
                 f" OR id IN (SELECT ts.training_id FROM {T.SESSION} ts JOIN {T.MANUAL_SESSION} ms"
                 f" ON ms.id = ts.manual_session_id WHERE ms.manual_id IN ({in_list}))") if manual_ids else ""
        ids = f"SELECT id FROM {T.TRAINING} WHERE id IN ({', '.join(['%s'] * len(training_ids)) or 'NULL'}){using}"
        with connection.cursor() as cursor:
            _keep_fidelity(cursor, ids, [*training_ids, *manual_ids, *manual_ids])
    invalidate_figures()


def _start_state() -> CacheState:
    """The state row, created stale if missing; kept figures from before it cannot be trusted."""
    state, created = CacheState.objects.get_or_create(pk=1, defaults={"version": 1, "computed_version": 0})
    if created:
        FiguresMemo.objects.all().delete()
    return state


def refresh(force: bool = False, with_cascades: bool = False) -> bool:
    """Bring generations up to date with the writes since they were last computed.

    Writes described by the signals are taken in one by one (:func:`_take_in`: only what
    they can change is recomputed); ``force``, a write nobody described (:func:`invalidate`)
    or more writes than following them is worth recompute every generation.
    ``with_cascades`` (the worker's recompute) also recomputes, in the same transaction, the
    partners' cascades that were asked for, instead of dropping them, on a full recompute:
    pages read meanwhile (and what partner staff may open) never find a cascade missing.
    Returns False when a page's read left the recompute to the worker (``deferred``): the
    generations are then the last ones, and pages say so.
    """
    state = CacheState.objects.filter(pk=1).values_list("version", "computed_version", "computed_on").first()
    if state and state[0] == state[1] and not force and not _held_since(state[2]):
        return True
    if not force and state and state[1] > 0 and deferred.deferring():
        deferred.schedule()
        deferred.served_late()
        return False
    with transaction.atomic():
        current, created = CacheState.objects.select_for_update().get_or_create(
            pk=1, defaults={"version": 1, "computed_version": 0}
        )
        if created:
            FiguresMemo.objects.all().delete()
        if current.version == current.computed_version and not force and not _held_since(current.computed_on):
            return True
        with connection.cursor() as cursor:
            _tune(cursor, recompute=True)
            taken = False
            if not (force or current.needs_full or current.computed_version == 0):
                taken = _take_in(cursor, _held_changes(current.computed_on))
            if not taken:
                # with a worker running, pages rely on kept cascades at every moment (whoever recomputes)
                _compute_generations(cursor, with_cascades or deferred.workers_running())
        bump = {"figures_version": F("figures_version") + 1} if force else {}
        CacheState.objects.filter(pk=1).update(computed_version=current.version, computed_on=today(),
                                               computed_at=timezone.now(), needs_full=False, **bump)
    return True


def figures_updated() -> None:
    """The worker has recomputed what readers asked for: pages' "as of" moves to now."""
    CacheState.objects.filter(pk=1).update(computed_at=timezone.now())


def _held_since(computed_on) -> bool:
    """Whether a planned training became held since generations were computed on ``computed_on``:
    time alone turns planned into held, with no write to announce it. Checked once a day."""
    day = today()
    if computed_on == day:
        return False
    if computed_on is not None and not _held_changes(computed_on):
        CacheState.objects.filter(pk=1, computed_on=computed_on).update(computed_on=day)
        return False
    return True


def _held_changes(computed_on) -> list[tuple]:
    """The trainings that time alone made held (or, with a clock set back, planned again) since
    ``computed_on``, as writes to take in."""
    day = today()
    if computed_on is None or computed_on == day:
        return []
    low, high = sorted((computed_on, day))  # a clock set back (tests, restores) works too
    return [("training", pk, None, start) for pk, start in Training.objects.filter(
        cancelled=False, start_date__gt=low, start_date__lte=high).values_list("pk", "start_date")]


#: Trainings an incremental refresh may place again before a full recompute is cheaper.
INCREMENTAL_LIMIT = 20_000
#: Writes waiting to be taken in beyond which a full recompute is cheaper (an import without bulk writes).
PENDING_LIMIT = 5_000


def _take_in(cursor, extra: list[tuple]) -> bool:
    """Take in the writes noted in :class:`Pending` (and ``extra``, as noted rows): recompute the
    generations, people's generations, trainee rows and partners' cascades of what they can
    change, and nothing else. Returns False, having changed nothing, when a full recompute is
    cheaper (too many writes, or too much reachable from them).

    What can change (the affected trainings): each written training; the step-downs that had
    or have it as an implicit source (through a participant, starting on or after ``since``);
    a facilitator's step-down; and every training reachable from those through sources
    (explicit sources whatever the training's status, so one cancelled still reaches them). A training not reachable from a write keeps every source path it had, so
    its generation and its cascades stand. The affected ones are placed again as a full
    recompute places everything (institutes first, then pass by pass from the smallest
    generation, here including sources outside them), so the result is the same.

    The work tables are small and the network's are large: every join starts from the work
    table (CROSS JOIN keeps that order on SQLite, which has no statistics for them).
    """
    if extra:
        Pending.objects.bulk_create([Pending(kind=k, training_id=t, person_id=p, since=d) for k, t, p, d in extra])
    cursor.execute(f"SELECT COUNT(*), MAX(id) FROM {T.PENDING}")
    count, last = cursor.fetchone()
    if not count:
        return True
    if count > PENDING_LIMIT:
        return False
    A, AS, AP, P = T.AFFECTED, T.AFFECTED_SOURCE, T.AFFECTED_PERSON, T.PENDING
    _analyse(cursor, P)
    for table in (A, AS, AP):
        cursor.execute(f"DELETE FROM {table}")
    mine = f"q.id <= {int(last)}"
    since = "(q.since IS NULL OR s.start_date >= q.since)"
    facilitated = (f"CROSS JOIN {T.PARTICIPATION} f CROSS JOIN {T.TRAINING} s WHERE f.role = '{FACILITATOR}'"
                   f" AND s.id = f.training_id AND s.kind = '{STEP_DOWN}'")
    for seeds in (
        # the written trainings themselves (a deleted one too: its kept rows go)
        f"SELECT q.training_id AS training_id FROM {P} q WHERE {mine} AND q.kind IN ('training', 'facilitator', 'self')"
        f" AND q.training_id IS NOT NULL",
        # step-downs a written training's participants facilitated after it
        f"SELECT s.id AS training_id FROM {P} q CROSS JOIN {T.PARTICIPATION} p {facilitated}"
        f" AND p.training_id = q.training_id AND p.role = '{PARTICIPANT}' AND f.person_id = p.person_id"
        f" AND {mine} AND q.kind = 'training' AND {since}",
        # step-downs facilitated after a training by someone whose part in it as participant changed
        f"SELECT s.id AS training_id FROM {P} q {facilitated} AND f.person_id = q.person_id"
        f" AND {mine} AND q.kind = 'participant' AND {since}",
    ):
        cursor.execute(f"INSERT INTO {A} (training_id, round) SELECT DISTINCT seed.training_id, 0"
                       f" FROM ({seeds}) seed WHERE true ON CONFLICT (training_id) DO NOTHING")
    for people in (
        f"SELECT q.person_id AS person_id FROM {P} q WHERE {mine} AND q.person_id IS NOT NULL",
        f"SELECT p.person_id AS person_id FROM {P} q CROSS JOIN {T.PARTICIPATION} p"
        f" WHERE p.training_id = q.training_id AND {mine} AND q.kind = 'training'",
    ):
        cursor.execute(f"INSERT INTO {AP} (person_id) SELECT DISTINCT found.person_id FROM ({people}) found"
                       f" WHERE true ON CONFLICT (person_id) DO NOTHING")
    _analyse(cursor, A, AP)

    # everything reachable through sources, round by round
    reached = 0
    while True:
        cursor.execute(
            f"INSERT INTO {A} (training_id, round) SELECT DISTINCT nxt.training_id, %s FROM ("
            f" SELECT s.id AS training_id FROM {A} a CROSS JOIN {T.TRAINING} s"
            f" WHERE s.source_training_id = a.training_id AND a.round = %s"
            f" UNION"
            f" SELECT s.id AS training_id FROM {A} a CROSS JOIN {T.TRAINING} t CROSS JOIN {T.PARTICIPATION} p"
            f" {facilitated} AND t.id = a.training_id AND {held_sql('t')} AND p.training_id = t.id"
            f" AND p.role = '{PARTICIPANT}' AND p.completed = %s AND f.person_id = p.person_id"
            f" AND s.source_training_id IS NULL AND s.start_date >= {_last_day('t')} AND a.round = %s"
            f") nxt WHERE true ON CONFLICT (training_id) DO NOTHING",
            [reached + 1, reached, True, reached],
        )
        cursor.execute(f"SELECT COUNT(*) FROM {A} WHERE round = %s", [reached + 1])
        if not cursor.fetchone()[0]:
            break
        reached += 1
        _analyse(cursor, A)
        cursor.execute(f"SELECT COUNT(*) FROM {A}")
        if cursor.fetchone()[0] > INCREMENTAL_LIMIT:
            for table in (A, AS, AP):
                cursor.execute(f"DELETE FROM {table}")
            return False

    # every source of each affected held step-down, by the source rule
    cursor.execute(
        f"INSERT INTO {AS} (training_id, source_id)"
        f" SELECT s.id, s.source_training_id FROM {A} a CROSS JOIN {T.TRAINING} s WHERE s.id = a.training_id"
        f" AND s.kind = '{STEP_DOWN}' AND {held_sql('s')} AND s.source_training_id IS NOT NULL"
        f" UNION"
        f" SELECT s.id, p.training_id FROM {A} a CROSS JOIN {T.TRAINING} s CROSS JOIN {T.PARTICIPATION} f"
        f" CROSS JOIN {T.PARTICIPATION} p CROSS JOIN {T.TRAINING} t"
        f" WHERE s.id = a.training_id AND s.kind = '{STEP_DOWN}' AND {held_sql('s')} AND s.source_training_id IS NULL"
        f" AND f.training_id = s.id AND f.role = '{FACILITATOR}'"
        f" AND p.person_id = f.person_id AND p.role = '{PARTICIPANT}' AND p.completed = %s"
        f" AND t.id = p.training_id AND {held_sql('t')} AND {_last_day('t')} <= s.start_date",
        [True],
    )
    _analyse(cursor, AS)

    # generations: institutes first, then pass by pass (sources outside the affected ones keep theirs)
    cursor.execute(f"DELETE FROM {T.TRAINING_GEN} WHERE training_id IN (SELECT training_id FROM {A})")
    cursor.execute(
        f"INSERT INTO {T.TRAINING_GEN} (training_id, generation) SELECT t.id, 1 FROM {A} a"
        f" CROSS JOIN {T.TRAINING} t WHERE t.id = a.training_id AND t.kind = '{INSTITUTE}' AND {held_sql('t')}"
    )
    _place_by_passes(cursor, T.TRAINING_GEN, "generation", first=1)
    cursor.execute(f"UPDATE {T.TRAINING_GEN} SET headcount = (SELECT {_headcount('t')} FROM {T.TRAINING} t"
                   f" WHERE t.id = {T.TRAINING_GEN}.training_id) WHERE training_id IN (SELECT training_id FROM {A})")
    _keep_fidelity(cursor, f"SELECT training_id FROM {A}")
    cursor.execute(f"DELETE FROM {T.UNLINKED} WHERE training_id IN (SELECT training_id FROM {A})")
    _keep_unlinked(cursor, A)

    # people's generations and trainee rows, for everyone in an affected training or whose part changed
    cursor.execute(
        f"INSERT INTO {AP} (person_id) SELECT DISTINCT p.person_id FROM {A} a CROSS JOIN {T.PARTICIPATION} p"
        f" WHERE p.training_id = a.training_id AND p.role = '{PARTICIPANT}' ON CONFLICT (person_id) DO NOTHING"
    )
    _analyse(cursor, AP)
    cursor.execute(f"DELETE FROM {T.PERSON_GEN} WHERE person_id IN (SELECT person_id FROM {AP})")
    _person_generations(cursor, AP)
    cursor.execute(f"DELETE FROM {T.TRAINEE} WHERE person_id IN (SELECT person_id FROM {AP})")
    _keep_trainees(cursor, AP)

    # partners' cascades that were asked for: the same passes, from each partner's institutes
    cursor.execute(f"DELETE FROM {T.CASCADE} WHERE training_id IN (SELECT training_id FROM {A})")
    cursor.execute(
        f"INSERT INTO {T.CASCADE} (organization_id, training_id, hop) SELECT o.organization_id, t.id, 0"
        f" FROM {A} a CROSS JOIN {T.TRAINING} t CROSS JOIN {T.CASCADE_COMPUTED} o"
        f" WHERE t.id = a.training_id AND t.kind = '{INSTITUTE}' AND {held_sql('t')}"
        f" AND (t.host_id = o.organization_id OR EXISTS (SELECT 1 FROM {T.CO_ORGANISERS} co"
        f" WHERE co.training_id = t.id AND co.organization_id = o.organization_id))"
    )
    _place_by_passes(cursor, T.CASCADE, "hop", first=0, per="organization_id")
    cursor.execute(f"DELETE FROM {T.PARTNER_PERSON} WHERE person_id IN (SELECT person_id FROM {AP})")
    _partner_people(cursor, "1=1", AP)

    for table in (A, AS, AP):
        cursor.execute(f"DELETE FROM {table}")
    cursor.execute(f"DELETE FROM {P} WHERE id <= %s", [last])
    return True


def _headcount(alias: str) -> str:
    return f"({alias}.women_count + {alias}.men_count + {alias}.other_count)"


def counts_changed(training_id: int) -> None:
    """A training's head-counts changed and nothing its generation depends on: its kept row
    takes the new head-count, and kept figures go (the signals call it)."""
    with connection.cursor() as cursor:
        for table in (T.TRAINING_GEN, T.UNLINKED):
            cursor.execute(f"UPDATE {table} SET headcount = (SELECT {_headcount('t')} FROM {T.TRAINING} t"
                           f" WHERE t.id = %s) WHERE training_id = %s", [training_id, training_id])
    invalidate_figures()


def _analyse(cursor, *tables) -> None:
    """Tell the planner how many rows a work table holds now. Without statistics SQLite takes
    every table for a large one and scans the network's tables to build Bloom filters, and
    PostgreSQL may hash whole tables: a few hundred microseconds here save seconds there."""
    for table in tables:
        cursor.execute(f"ANALYZE {table}")


def _place_by_passes(cursor, table: str, column: str, first: int, per: str | None = None) -> None:
    """Place the affected step-downs in ``table`` (generations, or cascades ``per`` organisation),
    pass by pass from the smallest ``column``: each pass gives n+1 to those not yet placed with
    a source at n, inside or outside the affected ones; passes go on to the largest n there is."""
    key = f"{per}, " if per else ""
    same = f" AND y.{per} = c.{per}" if per else ""
    # the largest n a source of theirs has now (affected ones placed at the first n included)
    cursor.execute(f"SELECT MAX(c.{column}) FROM {T.AFFECTED_SOURCE} e CROSS JOIN {table} c"
                   f" WHERE c.training_id = e.source_id")
    top = cursor.fetchone()[0]
    n = first
    while top is not None and n <= top:
        cursor.execute(
            f"INSERT INTO {table} ({key}training_id, {column}) SELECT DISTINCT {'c.' + per + ', ' if per else ''}"
            f"e.training_id, %s FROM {T.AFFECTED_SOURCE} e CROSS JOIN {table} c WHERE c.training_id = e.source_id"
            f" AND c.{column} = %s AND NOT EXISTS (SELECT 1 FROM {table} y WHERE y.training_id = e.training_id{same})",
            [n + 1, n],
        )
        if n == top:
            cursor.execute(f"SELECT 1 FROM {T.AFFECTED} a CROSS JOIN {table} c WHERE c.training_id = a.training_id"
                           f" AND c.{column} = %s", [n + 1])
            if cursor.fetchone():
                top = n + 1
        n += 1


def _partner_people(cursor, where: str, people: str | None = None) -> None:
    """Partner-person rows of the cascades asked for (``where`` on cascade ``c``), of everyone or
    of those in the work table ``people``: each participant's smallest generation in the cascade
    (every training in a cascade has one)."""
    chosen = (f"{people} w CROSS JOIN {T.PARTICIPATION} p CROSS JOIN {T.CASCADE} c" if people
              else f"{T.CASCADE} c CROSS JOIN {T.PARTICIPATION} p")
    cursor.execute(
        f"INSERT INTO {T.PARTNER_PERSON} (organization_id, person_id, generation)"
        f" SELECT c.organization_id, p.person_id, MIN(x.generation) FROM {chosen}"
        f" JOIN {T.TRAINING_GEN} x ON x.training_id = c.training_id"
        f" WHERE p.training_id = c.training_id AND p.role = '{PARTICIPANT}' AND {where}"
        f"{' AND p.person_id = w.person_id' if people else ''} GROUP BY c.organization_id, p.person_id"
    )


def _keep_unlinked(cursor, affected: str | None = None) -> None:
    """The held step-downs without a generation (of every training, or of those in the work
    table ``affected``), with their head-counts."""
    chosen = f"{affected} a CROSS JOIN {T.TRAINING} t" if affected else f"{T.TRAINING} t{_not_indexed()}"
    cursor.execute(
        f"INSERT INTO {T.UNLINKED} (training_id, headcount) SELECT t.id, {_headcount('t')} FROM {chosen}"
        f" WHERE t.kind = '{STEP_DOWN}' AND {held_sql('t')}{' AND t.id = a.training_id' if affected else ''}"
        f" AND NOT EXISTS (SELECT 1 FROM {T.TRAINING_GEN} x WHERE x.training_id = t.id)"
    )


def _person_generations(cursor, people: str | None = None) -> None:
    """Each person's generation (of everyone, or of those in the work table ``people``): the
    smallest among the held trainings she took part in as a participant; NULL when all are unlinked."""
    # everyone's: trainings in order, then their participations (read from the index alone), so
    # nothing is fetched at random; a few people's: their participations, then those trainings
    chosen = (f"{people} w CROSS JOIN {T.PARTICIPATION} p CROSS JOIN {T.TRAINING} t" if people
              else f"{T.TRAINING} t{_not_indexed()} CROSS JOIN {T.PARTICIPATION} p")
    cursor.execute(
        f"INSERT INTO {T.PERSON_GEN} (person_id, generation)"
        f" SELECT p.person_id, MIN(x.generation) FROM {chosen}"
        f" LEFT JOIN {T.TRAINING_GEN} x ON x.training_id = t.id"
        f" WHERE t.id = p.training_id AND p.role = '{PARTICIPANT}' AND {held_sql('t')}"
        f"{' AND p.person_id = w.person_id' if people else ''} GROUP BY p.person_id"
    )


def _keep_trainees(cursor, people: str | None = None) -> None:
    """Trainee rows (of everyone, or of those in the work table ``people``): each participation
    in a held institute, its last day, and the first held step-down the person facilitated on or
    after it. The same rows on both databases, asked in the shape each answers fastest:
    PostgreSQL hashes one join of every facilitation (0.7 s against 1.9 s for the whole
    benchmark network), SQLite looks each person's up through the (person, role) index
    (1.5 s against 2.2 s)."""
    chosen = f"{people} w CROSS JOIN {T.PARTICIPATION} p" if people else f"{T.PARTICIPATION} p"
    last, whose = _last_day('t'), " AND p.person_id = w.person_id" if people else ""
    step_down = (f"s.id = f.training_id AND s.kind = '{STEP_DOWN}' AND {held_sql('s')}"
                 f" AND s.start_date >= {last}")
    if connection.vendor == "postgresql":
        cursor.execute(
            f"INSERT INTO {T.TRAINEE} (person_id, institute_id, institute_end, first_step_down)"
            f" SELECT p.person_id, t.id, {last}, MIN(s.start_date) FROM {chosen}"
            f" JOIN {T.TRAINING} t ON t.id = p.training_id"
            f" LEFT JOIN {T.PARTICIPATION} f ON f.person_id = p.person_id AND f.role = '{FACILITATOR}'"
            f" LEFT JOIN {T.TRAINING} s ON {step_down}"
            f" WHERE p.role = '{PARTICIPANT}' AND t.kind = '{INSTITUTE}' AND {held_sql('t')}{whose}"
            f" GROUP BY p.person_id, t.id"
        )
        return
    cursor.execute(
        f"INSERT INTO {T.TRAINEE} (person_id, institute_id, institute_end, first_step_down)"
        f" SELECT p.person_id, t.id, {last}, (SELECT MIN(s.start_date) FROM {T.PARTICIPATION} f"
        f" JOIN {T.TRAINING} s ON {step_down} WHERE f.person_id = p.person_id AND f.role = '{FACILITATOR}')"
        f" FROM {chosen} JOIN {T.TRAINING} t ON t.id = p.training_id"
        f" WHERE p.role = '{PARTICIPANT}' AND t.kind = '{INSTITUTE}' AND {held_sql('t')}{whose}"
    )


def _keep_fidelity(cursor, ids_sql: str | None = None, params=()) -> None:
    """Keep the fidelity parts in the generation rows of the trainings ``ids_sql`` selects (every
    training with an agenda when None): distinct manual sessions delivered, and the sessions in
    the manuals used (listed on it, or whose sessions it delivered); both 0 without an agenda."""
    params = list(params)
    chosen = f" WHERE training_id IN ({ids_sql})" if ids_sql else ""
    if ids_sql:  # a training whose agenda is gone keeps no parts
        cursor.execute(f"UPDATE {T.TRAINING_GEN} SET delivered = 0, total = 0{chosen}", params)
    cursor.execute(
        f"WITH rec AS (SELECT DISTINCT training_id AS id FROM {T.SESSION}{chosen}),"
        f" used AS (SELECT tm.training_id, tm.manual_id FROM {T.TRAINING_MANUALS} tm JOIN rec ON rec.id = tm.training_id"
        f" UNION SELECT ts.training_id, ms.manual_id FROM {T.SESSION} ts JOIN rec ON rec.id = ts.training_id"
        f" JOIN {T.MANUAL_SESSION} ms ON ms.id = ts.manual_session_id),"
        f" sizes AS (SELECT u.training_id, COUNT(*) AS n FROM used u"
        f" JOIN {T.MANUAL_SESSION} ms ON ms.manual_id = u.manual_id GROUP BY u.training_id),"
        f" done AS (SELECT ts.training_id, COUNT(DISTINCT ts.manual_session_id) AS n FROM {T.SESSION} ts"
        f" JOIN rec ON rec.id = ts.training_id GROUP BY ts.training_id)"
        f" UPDATE {T.TRAINING_GEN} SET delivered = parts.delivered, total = parts.total FROM ("
        f"SELECT rec.id, COALESCE(done.n, 0) AS delivered, COALESCE(sizes.n, 0) AS total FROM rec"
        f" LEFT JOIN sizes ON sizes.training_id = rec.id LEFT JOIN done ON done.training_id = rec.id) parts"
        f" WHERE {T.TRAINING_GEN}.training_id = parts.id",
        params,
    )


def _compute_generations(cursor, with_cascades: bool = False) -> None:
    """Fill the cache in passes: institutes are 1; each pass gives g+1 to the step-downs
    not yet placed that have a source of generation g. Passes run in increasing g, so a
    step-down is placed by its smallest-generation source; each pass only places new
    rows, so cycles cannot loop; the loop ends when a pass places nothing. Only held
    trainings take part: a planned or cancelled one has no generation and trains nobody.
    The trainee and fidelity rows are built again with them, and every noted write is taken in.
    """
    cursor.execute(f"SELECT MAX(id) FROM {T.PENDING}")
    last = cursor.fetchone()[0]
    step = (
        # ready: each person who completed, as participant, a training of generation g,
        # with the earliest last day among those trainings (one row per person, however
        # many such trainings she took: that is what keeps each pass cheap)
        f"WITH ready AS (SELECT p.person_id, MIN({_last_day('t')}) AS trained_by"
        f" FROM {T.TRAINING_GEN} x JOIN {T.TRAINING} t ON t.id = x.training_id"
        f" JOIN {T.PARTICIPATION} p ON p.training_id = x.training_id"
        f" AND p.role = '{PARTICIPANT}' AND p.completed = %s"
        f" WHERE x.generation = %s GROUP BY p.person_id)"
        f" INSERT INTO {T.TRAINING_GEN} (training_id, generation, headcount)"
        f" SELECT DISTINCT cand.id, %s, {_headcount('st')} FROM ("
        # explicit source: only that training counts, whatever the dates
        f" SELECT s.id FROM {T.TRAINING_GEN} x JOIN {T.TRAINING} s ON s.source_training_id = x.training_id"
        f" WHERE x.generation = %s"
        f" UNION"
        # otherwise: a facilitator was ready on or before the step-down's first day
        f" SELECT f.training_id FROM ready r"
        f" JOIN {T.PARTICIPATION} f ON f.person_id = r.person_id AND f.role = '{FACILITATOR}'"
        f" JOIN {T.TRAINING} s ON s.id = f.training_id AND s.source_training_id IS NULL"
        f" AND s.start_date >= r.trained_by"
        f") cand JOIN {T.TRAINING} st ON st.id = cand.id"
        f" WHERE st.kind = '{STEP_DOWN}' AND {held_sql('st')}"
        f" AND NOT EXISTS (SELECT 1 FROM {T.TRAINING_GEN} y WHERE y.training_id = cand.id)"
    )
    cursor.execute(f"DELETE FROM {T.TRAINING_GEN}")
    cursor.execute(f"DELETE FROM {T.PERSON_GEN}")
    cursor.execute(
        f"INSERT INTO {T.TRAINING_GEN} (training_id, generation, headcount)"
        f" SELECT id, 1, {_headcount('t')} FROM {T.TRAINING} t WHERE kind = '{INSTITUTE}' AND {held_sql('t')}"
    )
    generation = 1
    while True:
        cursor.execute(step, [True, generation, generation + 1, generation])
        # rowcount is not reported for a statement that starts with WITH on SQLite
        cursor.execute(f"SELECT COUNT(*) FROM {T.TRAINING_GEN} WHERE generation = %s", [generation + 1])
        if not cursor.fetchone()[0]:
            break
        generation += 1
    cursor.execute(f"DELETE FROM {T.UNLINKED}")
    _keep_unlinked(cursor)
    _person_generations(cursor)
    cursor.execute(f"DELETE FROM {T.TRAINEE}")
    _keep_trainees(cursor)
    _keep_fidelity(cursor)
    if last is not None:
        cursor.execute(f"DELETE FROM {T.PENDING} WHERE id <= %s", [last])
    # partners' cascades follow the same sources: computed again when next asked, or now
    if with_cascades:
        asked = list(PartnerCascadeComputed.objects.values_list("organization_id", flat=True))
        for table in (T.CASCADE, T.PARTNER_PERSON):
            cursor.execute(f"DELETE FROM {table} WHERE organization_id NOT IN"
                           f" (SELECT organization_id FROM {T.CASCADE_COMPUTED})")
        for organization_id in asked:
            _compute_cascade(cursor, organization_id)
        return
    for table in (T.CASCADE_COMPUTED, T.CASCADE, T.PARTNER_PERSON):
        cursor.execute(f"DELETE FROM {table}")


def _ensure_cascade(organization_id: int) -> None:
    """Compute an organisation's cascade if it was not since the generations were.

    One organisation at a time, when first asked: every cascade at once costs several times
    the generations on a large network (a step-down is in many partners' cascades), and
    most reads after a write are of the whole network.
    """
    if PartnerCascadeComputed.objects.filter(organization_id=organization_id).exists():
        return
    with transaction.atomic():
        CacheState.objects.select_for_update().filter(pk=1).first()  # one writer at a time
        if PartnerCascadeComputed.objects.filter(organization_id=organization_id).exists():
            return
        with connection.cursor() as cursor:
            _tune(cursor, recompute=True)
            _compute_cascade(cursor, organization_id)
        PartnerCascadeComputed.objects.create(organization_id=organization_id)


def _compute_cascade(cursor, organization_id: int) -> None:
    """Fill one organisation's rows of the cascade table: its institutes (hosted or
    co-organised) at hop 0, then, pass by pass, the step-downs that have a source added in
    the pass before.

    Only held trainings are in a cascade, as only they have a generation: a planned one
    trains nobody yet, and a step-down whose only source is planned is unlinked.
    The source rule is the generations' (an explicit source, or a facilitator who completed
    the source as participant by the step-down's first day), but every source counts, not
    only the smallest-generation one, so a step-down is in the cascade of every organisation
    it descends from. Each pass only adds new rows, so cycles end.
    """
    cursor.execute(f"DELETE FROM {T.CASCADE} WHERE organization_id = %s", [organization_id])
    cursor.execute(
        f"INSERT INTO {T.CASCADE} (organization_id, training_id, hop)"
        f" SELECT %s, id, 0 FROM {T.TRAINING} i WHERE kind = '{INSTITUTE}' AND {held_sql('i')} AND (host_id = %s"
        f" OR id IN (SELECT training_id FROM {T.CO_ORGANISERS} WHERE organization_id = %s))",
        [organization_id] * 3,
    )
    step = (
        # ready: each person who completed as participant a training added in the last pass,
        # with the earliest last day among those trainings
        f"WITH ready AS (SELECT p.person_id, MIN({_last_day('t')}) AS trained_by"
        f" FROM {T.CASCADE} c JOIN {T.TRAINING} t ON t.id = c.training_id"
        f" JOIN {T.PARTICIPATION} p ON p.training_id = c.training_id"
        f" AND p.role = '{PARTICIPANT}' AND p.completed = %s"
        f" WHERE c.hop = %s AND c.organization_id = %s GROUP BY p.person_id)"
        f" INSERT INTO {T.CASCADE} (organization_id, training_id, hop)"
        f" SELECT DISTINCT %s, cand.id, %s FROM ("
        f" SELECT s.id FROM {T.CASCADE} c"
        f" JOIN {T.TRAINING} s ON s.source_training_id = c.training_id"
        f" WHERE c.hop = %s AND c.organization_id = %s"
        f" UNION"
        f" SELECT f.training_id AS id FROM ready r"
        f" JOIN {T.PARTICIPATION} f ON f.person_id = r.person_id AND f.role = '{FACILITATOR}'"
        f" JOIN {T.TRAINING} s ON s.id = f.training_id AND s.source_training_id IS NULL"
        f" AND s.start_date >= r.trained_by"
        f") cand JOIN {T.TRAINING} st ON st.id = cand.id"
        f" WHERE st.kind = '{STEP_DOWN}' AND {held_sql('st')} AND NOT EXISTS (SELECT 1 FROM {T.CASCADE} y"
        f" WHERE y.organization_id = %s AND y.training_id = cand.id)"
    )
    hop = 0
    while True:
        cursor.execute(step, [True, hop, organization_id, organization_id, hop + 1, hop, organization_id,
                              organization_id])
        cursor.execute(f"SELECT COUNT(*) FROM {T.CASCADE} WHERE hop = %s AND organization_id = %s",
                       [hop + 1, organization_id])
        if not cursor.fetchone()[0]:
            break
        hop += 1
    cursor.execute(f"DELETE FROM {T.PARTNER_PERSON} WHERE organization_id = %s", [organization_id])
    _partner_people(cursor, f"c.organization_id = {int(organization_id)}")


# --- figures -------------------------------------------------------------------------


def figures(filters: Filters | None = None) -> Figures:
    """Every headline figure for the network, or the part of it that ``filters`` selects.

    Kept per filter set until the next write: dashboards and reports ask the same
    figures far more often than anything changes, and computing them reads every
    participation. A kept copy is one query. After a write, a page's read with a worker
    running gets the last kept copy while the worker recomputes (``deferred``).
    """
    filters = filters or Filters()
    key = _memo_key(filters)
    stamp, kept = _memo_lookup(key)
    if kept is None and deferred.deferring():
        last, computed_at = _memo_last(key)
        fresh = refresh()
        if not fresh or last is not None:
            deferred.schedule(key)
            if last is not None:
                deferred.served_late(computed_at)
                return _localised(last)
            # never asked before: from the last generations, not kept
            return _localised(json.loads(json.dumps(_compute_figures(filters))))
    if kept is None:
        # The stamp was read before computing: a write meanwhile moves the current
        # version on, so figures computed across it are kept where no read looks.
        refresh()
        kept = json.loads(json.dumps(_compute_figures(filters)))
        if stamp is not None:
            _memo_store(key, stamp, kept, filters)
    return _localised(kept)


def _memo_last(key: str) -> tuple[dict | None, datetime.datetime | None]:
    """The figures last kept for ``key``, whatever write came since, and when they were computed."""
    kept, computed_at = FiguresMemo.objects.filter(pk=key).values_list("figures", "computed_at").first() or (None, None)
    return (json.loads(kept) if isinstance(kept, (str, bytes)) else kept), computed_at


#: Filter sets whose kept figures the worker recomputes after a write (the most recent ones).
RECOMPUTED_FILTER_SETS = 20
#: Kept figures not computed for this many days are dropped when the worker next recomputes.
KEPT_FOR_DAYS = 30


def kept_filter_sets(keys=()) -> list[Filters]:
    """The filter sets the worker recomputes: the whole network, those readers asked for
    (``keys``), and the most recently computed others; long-unasked ones are dropped."""
    FiguresMemo.objects.filter(computed_at__lt=timezone.now() - datetime.timedelta(days=KEPT_FOR_DAYS)).delete()
    FiguresMemo.objects.filter(computed_at__isnull=True).delete()
    asked = list(FiguresMemo.objects.filter(pk__in=list(keys)).values_list("filters", flat=True))
    recent = list(FiguresMemo.objects.exclude(pk__in=list(keys)).order_by("-computed_at")
                  .values_list("filters", flat=True)[:RECOMPUTED_FILTER_SETS])
    found, seen = [Filters()], {_memo_key(Filters())}
    for values in [*asked, *recent]:
        try:
            filters = Filters.parse(**(values or {}))
        except FilterError:  # a partner or manual deleted since: nobody can ask for it again
            continue
        if _memo_key(filters) not in seen:
            seen.add(_memo_key(filters))
            found.append(filters)
    return found


def _memo_key(filters: Filters) -> str:
    """One key per filter set, however it was given (region by name or code, ids included)."""
    values = {
        name: value.isoformat() if isinstance(value, datetime.date) else value
        for name, value in asdict(filters).items() if value is not None
    }
    values["held_by"] = today().isoformat()  # tomorrow a planned training may be held
    return hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()


def _memo_lookup(key: str) -> tuple[tuple[int, int] | None, dict | None]:
    """The current (version, figures_version) and the figures kept for ``key`` at it, in one query."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT s.version, s.figures_version, m.figures FROM {T.STATE} s LEFT JOIN {T.MEMO} m"
            f" ON m.filters_key = %s AND m.version = s.version AND m.figures_version = s.figures_version"
            f" WHERE s.id = 1",
            [key],
        )
        row = cursor.fetchone()
    if row is None:
        return None, None
    version, figures_version, kept = row
    if isinstance(kept, (str, bytes)):
        kept = json.loads(kept)
    return (version, figures_version), kept


def _memo_store(key: str, stamp: tuple[int, int], kept: dict, filters: Filters) -> None:
    """Keep figures computed at ``stamp`` in the filter set's one row (its last figures).

    Best effort: a database locked by a long import must not fail a read that only
    wanted to save the next one some time.
    """
    version, figures_version = stamp
    try:
        with transaction.atomic():
            FiguresMemo.objects.bulk_create(
                [FiguresMemo(filters_key=key, version=version, figures_version=figures_version, figures=kept,
                             filters=filters.as_dict(), computed_at=timezone.now())],
                update_conflicts=True, unique_fields=["filters_key"],
                update_fields=["version", "figures_version", "figures", "filters", "computed_at"],
            )
    except OperationalError:
        pass


def _localised(kept: dict) -> Figures:
    """Region names are kept as stored and translated on each read, so one kept copy serves every language."""
    def name(row) -> str:
        if not row["region"]:
            return _("no region")
        return gettext(row["name"]) if row["name"] else ""

    regions = [RegionRow(region=row["region"], name=name(row), institutes=row["institutes"])
               for row in kept["institutes_by_region"]]
    return Figures(**{**kept, "institutes_by_region": regions})


def _compute_figures(filters: Filters) -> Figures:
    """The figures from the database, generations assumed fresh; names untranslated (see _localised)."""
    cond, params = _filtered(filters)

    by_generation: dict[int | None, dict] = {}
    institutes = step_downs = 0
    # grouping by generation only: grouping by kind too makes SQLite walk the (kind, start_date)
    # index and fetch every row out of order, five times slower than one pass over the table
    rows, fidelity = _trainings_by_generation(filters)
    for generation, count, institutes_here, headcount in rows:
        by_generation[generation] = {"trainings": count, "people": 0, "headcount": int(headcount or 0)}
        institutes += int(institutes_here)
        step_downs += count - int(institutes_here)

    people_sql, people_params = _people_generation_sql(filters)
    for generation, count in _rows(f"SELECT gen, COUNT(*) FROM ({people_sql}) pg GROUP BY gen", people_params):
        by_generation.setdefault(generation, {"trainings": 0, "people": 0, "headcount": 0})["people"] = count

    generations: list[GenerationRow] = []
    deepest = max((g for g in by_generation if g is not None), default=0)
    for generation in range(1, deepest + 1):
        row = by_generation.get(generation, {"trainings": 0, "people": 0, "headcount": 0})
        mean = fidelity.get(generation)
        generations.append(GenerationRow(
            generation=generation, trainings=row["trainings"], people=row["people"],
            headcount=row["headcount"], reach=row["people"] + row["headcount"],
            mean_fidelity=None if mean is None else round(mean, 4),
        ))
    loose = by_generation.get(None, {"trainings": 0, "people": 0, "headcount": 0})

    with_clause, with_params = _utilisation_with(filters)
    # the median: the middle one of n sorted days, or the mean of the middle two
    n = "(SELECT COUNT(*) FROM trainers)"
    trained, trainers, median = _rows(
        f"{with_clause} SELECT (SELECT COUNT(*) FROM trainees), {n}, (SELECT AVG(days) FROM (SELECT days"
        f" FROM trainers ORDER BY days LIMIT 2 - {n} %% 2 OFFSET ({n} - 1) / 2) m)",
        with_params,
    )[0]

    return Figures(
        institutes=institutes,
        step_downs=step_downs,
        unlinked_step_downs=loose["trainings"],
        people_trained_at_institutes=trained,
        trainers=trainers,
        trainer_utilisation=round(trainers / trained, 4) if trained else None,
        median_days_to_first_step_down=_number(median),
        total_reach=sum(row["reach"] for row in generations),
        generations=generations,
        unlinked=UnlinkedRow(
            trainings=loose["trainings"], people=loose["people"], headcount=loose["headcount"],
            reach=loose["people"] + loose["headcount"],
        ),
        institutes_by_region=_institutes_by_region(filters),
        filters=filters.as_dict(),
    )


def _trainings_by_generation(filters: Filters) -> tuple[list[tuple], dict]:
    """(generation or None, trainings, institutes, head-count) of the filtered trainings, and the
    mean fidelity of each generation's step-downs that record sessions.

    The whole network's are one read of the kept rows (institutes are exactly generation 1, and
    the unlinked step-downs are kept apart); a filter's read the trainings it selects."""
    if filters.is_empty or filters.only_partner:
        rows, fidelity = [], {}
        # a partner's: the kept rows of its cascade, each of a training with a generation
        chosen, params = ((f"{T.CASCADE} c CROSS JOIN {T.TRAINING_GEN} x WHERE c.organization_id = %s"
                           f" AND x.training_id = c.training_id", [filters.partner_id])
                          if filters.only_partner else (f"{T.TRAINING_GEN} x", []))
        if filters.only_partner:
            _filtered(filters)
        for generation, count, headcount, mean in _rows(
                f"SELECT x.generation, COUNT(*), SUM(x.headcount), AVG(CASE WHEN x.generation > 1 AND x.total > 0"
                f" THEN 1.0 * x.delivered / x.total END) FROM {chosen} GROUP BY x.generation", params):
            rows.append((generation, count, count if generation == 1 else 0, int(headcount or 0)))
            if mean is not None:
                fidelity[generation] = float(mean)
        loose, headcount = (0, 0) if filters.only_partner else \
            _rows(f"SELECT COUNT(*), SUM(headcount) FROM {T.UNLINKED}", [])[0]
        if loose:
            rows.append((None, loose, 0, int(headcount or 0)))
        return rows, fidelity
    cond, params = _filtered(filters)
    # grouping by generation only: grouping by kind too makes SQLite walk the (kind, start_date)
    # index and fetch every row out of order, five times slower than one pass over the table
    rows = _rows(
        f"SELECT x.generation, COUNT(*), SUM(CASE WHEN t.kind = '{INSTITUTE}' THEN 1 ELSE 0 END),"
        f" SUM({_headcount('t')}) FROM {T.TRAINING} t{_scan(filters)} LEFT JOIN {T.TRAINING_GEN} x"
        f" ON x.training_id = t.id WHERE {cond} GROUP BY x.generation",
        params,
    )
    fidelity_sql, fidelity_params = _fidelity_sql(filters)
    return rows, {generation: float(mean) for generation, mean in _rows(fidelity_sql, fidelity_params)}


def _number(value) -> int | float | None:
    if value is None:
        return None
    value = float(value)
    return int(value) if value.is_integer() else value


def _institutes_by_region(filters: Filters) -> list[RegionRow]:
    cond, params = _filtered(filters)
    if filters.partner_id:  # a cascade's institutes are its trainings at hop 0: a short list to start from
        cond = (f"t.id IN (SELECT training_id FROM {T.CASCADE} WHERE organization_id = %s AND hop = 0)"
                f" AND {cond}")
        params = [filters.partner_id, *params]
    counts = _rows(
        f"SELECT c.region_id, COUNT(*) FROM {T.TRAINING} t JOIN {T.COUNTRY} c ON c.code = t.country_id"
        f" WHERE t.kind = '{INSTITUTE}' AND {cond} GROUP BY c.region_id",
        params,
    )
    # the stored (English) names: translated on each read, see _localised
    names = dict(Region.objects.filter(code__in=[c for c, _n in counts]).values_list("code", "name"))
    rows = [RegionRow(region=code, name=names.get(code, ""), institutes=n) for code, n in counts]
    return sorted(rows, key=lambda row: (-row["institutes"], row["region"] or ""))


# --- single trainings and people -----------------------------------------------------


def generations_of(training_ids) -> dict[int, int | None]:
    """Generation of each training (None: unlinked step-down)."""
    refresh()
    ids = list(training_ids)
    found = dict(
        Training.objects.filter(pk__in=ids).annotate(
            gen=RawSQL(f"SELECT generation FROM {T.TRAINING_GEN} WHERE training_id = {T.TRAINING}.id", [])
        ).values_list("pk", "gen")
    )
    return {pk: found.get(pk) for pk in ids}


def person_generations(person_ids) -> dict[int, int | None]:
    """Generation of each person (None: took part only in unlinked trainings, or never as participant)."""
    refresh()
    ids = list(person_ids)
    rows = _rows(
        f"SELECT person_id, generation FROM {T.PERSON_GEN} WHERE person_id IN ({', '.join(['%s'] * len(ids))})",
        ids,
    ) if ids else []
    found = dict(rows)
    return {pk: found.get(pk) for pk in ids}


def ordinal(training: Training) -> Ordinal:
    """Position of an institute among its region's held institutes by start date (then key).

    Institutes in a country without a region are numbered within their country. A
    planned institute is numbered as it *will* be (``planned`` is true): after every
    held one and the planned ones before it, as if all were held; ``of`` then counts
    those too. Planned institutes never move a held one's number or its ``of``.
    A cancelled institute has no number.
    """
    if training.kind != INSTITUTE:
        raise ValueError(_("%(key)s is a step-down; only institutes are numbered.") % {"key": training.key})
    if training.cancelled:
        raise ValueError(_("%(key)s was cancelled; only held and planned institutes are numbered.")
                         % {"key": training.key})
    planned = training.is_planned
    region = training.country.region
    scope = Training.objects.filter(kind=INSTITUTE)
    scope = scope.filter(country__region=region) if region else scope.filter(country=training.country)
    held = scope.held()
    up_to_it = Q(start_date__lt=training.start_date) | Q(start_date=training.start_date, key__lte=training.key)
    counted = (held | scope.planned().filter(up_to_it)) if planned else held
    earlier = counted.filter(
        Q(start_date__lt=training.start_date) | Q(start_date=training.start_date, key__lt=training.key)
    ).count()
    return Ordinal(
        training=training.key,
        ordinal=earlier + 1,
        of=counted.count(),
        region={"code": region.code, "name": str(region)} if region else None,
        country=training.country_id,
        first_year=counted.aggregate(first=Min("start_date"))["first"].year,
        planned=planned,
    )


def upcoming(filters: Filters | None = None):
    """The planned trainings inside ``filters`` (region, country, partner, manual, dates), soonest
    first: shown as "upcoming", never counted. Selected by the same filter as the figures, with
    "planned" in place of "held"."""
    filters = filters or Filters()
    cond, params = filters.sql("t", planned=True)
    return Training.objects.filter(pk__in=RawSQL(f"SELECT t.id FROM {T.TRAINING} t WHERE {cond}", params)) \
        .order_by("start_date", "key")


# --- drill-down: the trainings and people behind each figure -------------------------

TRAINING_FIGURES = ("institutes", "step-downs", "unlinked-step-downs", "trainings")
PEOPLE_FIGURES = ("people-trained-at-institutes", "trainers", "people")


def _generation_condition(column: str, generation: int | str | None) -> str:
    if generation is None:
        return "1=1"
    if generation == "unlinked":
        return f"{column} IS NULL"
    if generation == "linked":  # every generation: the people and trainings of the total reach
        return f"{column} IS NOT NULL"
    return f"{column} = {int(generation)}"


def trainings_behind(figure: str, filters: Filters | None = None, generation=None):
    """The trainings counted in ``figure`` (one of TRAINING_FIGURES); for "trainings",
    ``generation`` (a number or "unlinked") narrows to one row of the generation table."""
    filters = filters or Filters()
    refresh()
    where = {
        "institutes": f"t.kind = '{INSTITUTE}'",
        "step-downs": f"t.kind = '{STEP_DOWN}'",
        "unlinked-step-downs": f"t.kind = '{STEP_DOWN}' AND x.generation IS NULL",
        "trainings": _generation_condition("x.generation", generation),
    }[figure]
    sql, params = _trainings_sql(filters, where)
    return Training.objects.filter(pk__in=RawSQL(sql, params))


def people_behind(figure: str, filters: Filters | None = None, generation=None, group=None):
    """The people counted in ``figure`` (one of PEOPLE_FIGURES); for "people", ``generation``
    (a number, "linked" or "unlinked") narrows to the people of one generation row, and
    ``group`` (("year", 2019) or ("country", "KG")) to those counted in one row of
    :func:`breakdown` (the year or country of their first filtered training)."""
    filters = filters or Filters()
    refresh()
    if figure == "people-trained-at-institutes":
        sql, params = _institute_trainees_sql(filters)
    elif figure == "trainers":
        with_clause, params = _utilisation_with(filters)
        sql = f"{with_clause} SELECT person_id FROM trainers"
    elif figure == "people":
        inner, params = _people_generation_sql(filters)
        sql = f"SELECT * FROM ({inner}) pg WHERE {_generation_condition('pg.gen', generation)}"
        if group is not None:
            by, value = group
            if by not in ("year", "country"):
                raise KeyError(by)
            grouped, more = _people_in_groups_sql(filters, by)
            sql += f" AND pg.person_id IN (SELECT person_id FROM ({grouped}) g WHERE g.grp = %s)"
            params = [*params, *more, int(value) if by == "year" else str(value)]
    else:
        raise KeyError(figure)
    return Person.objects.filter(pk__in=RawSQL(f"SELECT person_id FROM ({sql}) ids", params))


# --- Breakdowns of a filter's figures (by year, gender, country, partner, generation) --

BREAKDOWNS = ("year", "gender", "country", "partner", "generation")
GENDERS = ("woman", "man", "other")  # a named person's gender "not stated" is counted with other
_PLURAL = {"woman": "women", "man": "men", "other": "other"}


class BreakdownRow(TypedDict):
    value: int | str | None  # the year, gender, country code, partner key, generation or "unlinked"
    institutes: int
    step_downs: int
    women: int  # named women and the women of the head-counts
    men: int
    other: int
    reach: int  # women + men + other


class Breakdown(TypedDict):
    by: str
    rows: list[BreakdownRow]
    total: BreakdownRow  # the whole selection, unlinked step-downs and their people included
    filters: dict


class Breakdowns(TypedDict):
    named_by_gender: dict[str, int]  # woman, man, other ("not stated" counted with other)
    headcount_by_gender: dict[str, int]  # women, men, other: unnamed head-counts
    per_year: list[dict]  # {"year", "institutes", "step_downs"}, years without trainings as zeros
    per_country: list[dict]  # {"country", "institutes", "step_downs", "people", "headcount"}


class _Cell:
    """One group's counts: trainings by kind, named people and head-counts by gender."""

    def __init__(self):
        self.institutes = self.step_downs = 0
        self.named = dict.fromkeys(GENDERS, 0)
        self.headcount = dict.fromkeys(GENDERS, 0)

    def row(self, value) -> BreakdownRow:
        people = {_PLURAL[g]: self.named[g] + self.headcount[g] for g in GENDERS}
        return BreakdownRow(value=value, institutes=self.institutes, step_downs=self.step_downs,
                            **people, reach=sum(people.values()))


def _year_of(column: str) -> str:
    if connection.vendor == "sqlite":
        return f"CAST(strftime('%%Y', {column}) AS INTEGER)"
    return f"CAST(EXTRACT(YEAR FROM {column}) AS INTEGER)"


def _group_of(by: str) -> str:
    """The SQL value of a training's group (alias t, its generation x.generation)."""
    return {"year": _year_of("t.start_date"), "country": "t.country_id", "generation": "x.generation",
            "all": "'all'"}[by]


def _first_trainings_sql(filters: Filters) -> tuple[str, list]:
    """(person_id, training_id): each person in the filter and the first filtered training she took
    part in as a participant (earliest start, then key). Her year and country are that training's:
    each person is counted in one row, so rows by year or by country add up to the whole."""
    cond, params = _filtered(filters)
    return (
        f"SELECT person_id, training_id FROM (SELECT p.person_id, p.training_id, ROW_NUMBER() OVER"
        f" (PARTITION BY p.person_id ORDER BY t.start_date, t.key) AS rn FROM {_FILTERED_PARTICIPATIONS}"
        f" WHERE p.training_id = t.id AND p.role = '{PARTICIPANT}' AND {cond}) ranked WHERE rn = 1",
        params,
    )


def _people_in_groups_sql(filters: Filters, by: str) -> tuple[str, list]:
    """(person_id, grp): each person in the filter once, with the group she is counted in."""
    if by == "generation":
        inner, params = _people_generation_sql(filters)
        return f"SELECT person_id, gen AS grp FROM ({inner}) pg", params
    inner, params = _first_trainings_sql(filters)
    return (
        f"SELECT ft.person_id, {_group_of(by)} AS grp FROM ({inner}) ft JOIN {T.TRAINING} t ON t.id = ft.training_id"
        f" LEFT JOIN {T.TRAINING_GEN} x ON x.training_id = t.id",
        params,
    )


def _cells(filters: Filters, by: str) -> dict:
    """Counts per group of ``by`` (year, country, generation, or "all" for one group): a
    training is in the group of its start year, country or generation; a person in that of
    her first filtered training (by generation: her smallest, as in :func:`figures`)."""
    refresh()
    cond, params = _filtered(filters)
    cells: dict = {}
    for group, kind, count, women, men, other in _rows(
        f"SELECT {_group_of(by)}, t.kind, COUNT(*), SUM(t.women_count), SUM(t.men_count), SUM(t.other_count)"
        f" FROM {T.TRAINING} t{_scan(filters)} LEFT JOIN {T.TRAINING_GEN} x ON x.training_id = t.id WHERE {cond}"
        f" GROUP BY 1, 2",
        params,
    ):
        cell = cells.setdefault(group, _Cell())
        if kind == INSTITUTE:
            cell.institutes += count
        else:
            cell.step_downs += count
        for gender, n in zip(GENDERS, (women, men, other)):
            cell.headcount[gender] += int(n or 0)
    people_sql, people_params = _people_in_groups_sql(filters, by)
    for group, gender, count in _rows(
        f"SELECT g.grp, pe.gender, COUNT(*) FROM ({people_sql}) g JOIN {T.PERSON} pe ON pe.id = g.person_id"
        f" GROUP BY 1, 2",
        people_params,
    ):
        cells.setdefault(group, _Cell()).named[gender if gender in GENDERS else "other"] += count
    return cells


def _sum(cells) -> _Cell:
    total = _Cell()
    for cell in cells:
        total.institutes += cell.institutes
        total.step_downs += cell.step_downs
        for gender in GENDERS:
            total.named[gender] += cell.named[gender]
            total.headcount[gender] += cell.headcount[gender]
    return total


def _year_rows(cells: dict) -> list[BreakdownRow]:
    """From the first year with a training to the last, years without one as zeros."""
    years = [y for y in cells if y is not None]
    return [cells.get(y, _Cell()).row(y) for y in range(min(years), max(years) + 1)] if years else []


def _by_gender(filters: Filters, total: _Cell) -> list[BreakdownRow]:
    """One row per gender: its people, and the trainings that reached any of them (by name or head-count)."""
    cond, params = _filtered(filters)
    rows = []
    for gender in GENDERS:
        genders = ("other", "not stated") if gender == "other" else (gender,)
        kinds = dict(_rows(
            f"SELECT t.kind, COUNT(*) FROM {T.TRAINING} t WHERE {cond} AND (t.{_PLURAL[gender]}_count > 0"
            f" OR t.id IN (SELECT p.training_id FROM {T.PARTICIPATION} p JOIN {T.PERSON} pe ON pe.id = p.person_id"
            f" WHERE p.role = '{PARTICIPANT}' AND pe.gender IN ({', '.join(['%s'] * len(genders))})))"
            f" GROUP BY t.kind",
            [*params, *genders],
        ))
        people = dict.fromkeys(_PLURAL.values(), 0)
        people[_PLURAL[gender]] = total.named[gender] + total.headcount[gender]
        rows.append(BreakdownRow(value=gender, institutes=kinds.get(INSTITUTE, 0),
                                 step_downs=kinds.get(STEP_DOWN, 0), **people, reach=people[_PLURAL[gender]]))
    return rows


def _by_partner(filters: Filters) -> list[BreakdownRow]:
    """One row per partner whose part of the selection holds a training: the partner filter's figures.

    Partners' rows are not additive: a training can be in more than one partner's part."""
    from cascade.network.models import Organization

    partners = Organization.objects.filter(kind=Organization.Kind.PARTNER)
    if filters.partner:
        partners = partners.filter(key=filters.partner)
    rows = []
    for key in partners.order_by("key").values_list("key", flat=True):
        cell = _cells(Filters.parse(**{**filters.as_dict(), "partner": key}), "all").get("all")
        if cell and cell.institutes + cell.step_downs:
            rows.append(cell.row(key))
    return rows


def breakdown(filters: Filters | None = None, by: str = "year") -> Breakdown:
    """The filter's trainings and people reached, one row per year, gender, country, partner or generation.

    Each row: institutes, step-downs, and the people reached (named people and head-counts)
    as women, men and other. A person is counted once, in the row of her first filtered
    training (by generation: her smallest generation, as in :func:`figures`), so the rows
    by year, country and generation add up to ``total``. Years run from the first to the
    last with a training, with zeros between; unlinked step-downs and their people are the
    generation row "unlinked". Rows by gender count the trainings that reached any person
    of that gender; rows by partner are each partner's part of the selection, which may
    overlap. The definitions are in docs/metrics.md.
    """
    if by not in BREAKDOWNS:
        raise ValueError(_("by: “%(value)s” is not one of %(choices)s.") % {
            "value": by, "choices": ", ".join(BREAKDOWNS)})
    filters = filters or Filters()
    if by in ("gender", "partner"):
        total = _cells(filters, "all").get("all", _Cell())
        rows = _by_gender(filters, total) if by == "gender" else _by_partner(filters)
    else:
        cells = _cells(filters, by)
        total = _sum(cells.values())  # each training and each person is in exactly one group
        if by == "year":
            rows = _year_rows(cells)
        elif by == "generation":
            deepest = max((g for g in cells if g is not None), default=0)
            rows = [cells.get(g, _Cell()).row(g) for g in range(1, deepest + 1)]
            if None in cells:
                rows.append(cells[None].row("unlinked"))
        else:
            rows = [cells[code].row(code) for code in sorted(cells)]
    return Breakdown(by=by, rows=rows, total=total.row(None), filters=filters.as_dict())


def breakdowns(filters: Filters | None = None) -> Breakdowns:
    """Reach by gender, trainings per year and figures per country, for the dashboard and the
    donor report, from the same counts as :func:`breakdown` (one implementation).

    Their sums are the headline's: the named people by gender, and by country, add up to the
    people of every generation and the unlinked step-downs, and the head-counts by gender (or
    by country) to the generations' head-counts. A person is in the country of her first
    filtered training.
    """
    filters = filters or Filters()
    countries = _cells(filters, "country")
    total = _sum(countries.values())  # each training and each person is in exactly one country
    return Breakdowns(
        named_by_gender=dict(total.named),
        headcount_by_gender={_PLURAL[g]: total.headcount[g] for g in GENDERS},
        per_year=[{"year": row["value"], "institutes": row["institutes"], "step_downs": row["step_downs"]}
                  for row in _year_rows(_cells(filters, "year"))],
        per_country=[{"country": code, "institutes": cell.institutes, "step_downs": cell.step_downs,
                      "people": sum(cell.named.values()), "headcount": sum(cell.headcount.values())}
                     for code, cell in sorted(countries.items())],
    )


class ListTotals(TypedDict):
    trainings: int
    institutes: int
    step_downs: int
    women: int  # head-counts (people not named) of these trainings
    men: int
    other: int
    headcount: int


HEADCOUNT_FIELDS = {"woman": "women_count", "man": "men_count", "other": "other_count"}


def with_headcounts(trainings, counts: str = "all"):
    """The trainings of ``trainings`` behind a head-count: those whose head-count (``counts``:
    "all", or "woman", "man", "other") is not zero."""
    if counts in HEADCOUNT_FIELDS:
        return trainings.filter(**{f"{HEADCOUNT_FIELDS[counts]}__gt": 0})
    return trainings.filter(Q(women_count__gt=0) | Q(men_count__gt=0) | Q(other_count__gt=0))


def headcount_of(training, counts: str = "all") -> int:
    """One training's part of a head-count (``counts`` as in :func:`with_headcounts`): the
    column of the list behind that head-count, which adds up to it."""
    fields = [HEADCOUNT_FIELDS[counts]] if counts in HEADCOUNT_FIELDS else HEADCOUNT_FIELDS.values()
    return sum(getattr(training, name) or 0 for name in fields)


def list_totals(trainings) -> ListTotals:
    """What a list of trainings (a queryset) adds up to: its trainings by kind and their head-counts.

    The list behind a number states with these how it makes the number."""
    from django.db.models import Count, Sum

    found = trainings.order_by().aggregate(
        trainings=Count("id"), institutes=Count("id", filter=Q(kind=INSTITUTE)),
        step_downs=Count("id", filter=Q(kind=STEP_DOWN)),
        women=Sum("women_count"), men=Sum("men_count"), other=Sum("other_count"))
    found = {key: int(value or 0) for key, value in found.items()}
    return ListTotals(**found, headcount=found["women"] + found["men"] + found["other"])


def cascade_of(organization_id: int):
    """The trainings in an organisation's cascade (the ``partner`` filter's selection), as a
    queryset; ``cascade.access`` opens their records to the partner's staff."""
    refresh()
    _ensure_cascade(organization_id)
    return Training.objects.filter(
        pk__in=RawSQL(f"SELECT training_id FROM {T.CASCADE} WHERE organization_id = %s", [organization_id]))


class Hosted(TypedDict):
    institutes_hosted: int
    institutes_co_organised: int  # co-organised, hosted by someone else
    step_downs_hosted: int
    step_downs_co_organised: int


def hosted_directly(organization_id: int) -> Hosted:
    """What an organisation hosted or co-organised itself, apart from its cascade (see
    docs/metrics.md): a partner's page shows both, so the cascade is not mistaken for its own work."""
    from django.db.models import Count

    own = Training.objects.filter(host_id=organization_id)
    co = Training.objects.filter(co_organisers__id=organization_id).exclude(host_id=organization_id)
    hosted = dict(own.values("kind").annotate(n=Count("id")).values_list("kind", "n"))
    co_organised = dict(co.values("kind").annotate(n=Count("id", distinct=True)).values_list("kind", "n"))
    return Hosted(
        institutes_hosted=hosted.get(INSTITUTE, 0), institutes_co_organised=co_organised.get(INSTITUTE, 0),
        step_downs_hosted=hosted.get(STEP_DOWN, 0), step_downs_co_organised=co_organised.get(STEP_DOWN, 0),
    )


def named_participants(training_ids) -> dict[int, int]:
    """Named participants of each training (people recorded by name, facilitators apart)."""
    from django.db.models import Count

    from cascade.trainings.models import Participation

    ids = list(training_ids)
    found = dict(Participation.objects.filter(training_id__in=ids, role=PARTICIPANT)
                 .values("training_id").annotate(n=Count("id")).values_list("training_id", "n"))
    return {pk: found.get(pk, 0) for pk in ids}
