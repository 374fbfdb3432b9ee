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
- ``invalidate()``: mark figures stale after writes that send no Django signals
- ``invalidate_figures()``: the same for writes that change figures but no generation
- ``refresh(force=False)``: recompute the generation cache if stale (done on every read)

Generations are computed over the whole network, in passes of set-based SQL
(one INSERT ... SELECT per generation), and cached in two tables until the next
write; a filter only chooses which trainings and people are counted. The figures
computed from them are kept too, per filter set, until the next write.
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
from cascade.metrics.models import CacheState, FiguresMemo, PartnerCascadeComputed
from cascade.network.models import Person, Region
from cascade.trainings.models import Training, today

INSTITUTE, STEP_DOWN = Training.Kind.INSTITUTE.value, Training.Kind.STEP_DOWN.value
PARTICIPANT, FACILITATOR = "participant", "facilitator"

__all__ = [
    "Figures", "FilterError", "Filters", "Ordinal", "figures", "generations_of", "invalidate",
    "invalidate_figures", "ordinal", "people_behind", "person_generations", "refresh", "trainings_behind",
    "Breakdowns", "breakdowns", "named_participants", "upcoming", "BREAKDOWNS", "Breakdown", "BreakdownRow",
    "breakdown", "ListTotals", "list_totals", "with_headcounts", "headcount_of", "Hosted", "cascade_of", "hosted_directly",
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
    cond, params = _filtered(filters)
    return (
        f"SELECT p.person_id, MIN(x.generation) AS gen FROM {_FILTERED_PARTICIPATIONS}"
        f" LEFT JOIN {T.TRAINING_GEN} x ON x.training_id = p.training_id"
        f" WHERE p.training_id = t.id AND p.role = '{PARTICIPANT}' AND {cond} GROUP BY p.person_id",
        params,
    )


def _institute_trainees_sql(filters: Filters) -> tuple[str, list]:
    """(person_id, institute_end): participants of filtered institutes and the end of their first one."""
    cond, params = _filtered(filters)
    return (
        f"SELECT p.person_id, MIN({_last_day('t')}) AS institute_end FROM {_FILTERED_PARTICIPATIONS}"
        f" WHERE p.training_id = t.id AND p.role = '{PARTICIPANT}' AND t.kind = '{INSTITUTE}' AND {cond}"
        f" GROUP BY p.person_id",
        params,
    )


def _utilisation_with(filters: Filters) -> tuple[str, list]:
    """A WITH clause naming ``trainees`` (see above) and ``trainers`` (person_id, days):
    trainees who later facilitated a step-down (any in the network), with the days from
    the end of her first filtered institute to the start of her first step-down on or after it.
    """
    trainees, params = _institute_trainees_sql(filters)
    first = (
        f"SELECT i.person_id, i.institute_end, MIN(s.start_date) AS first_step_down"
        f" FROM trainees i JOIN {T.PARTICIPATION} f"
        f" ON f.person_id = i.person_id AND f.role = '{FACILITATOR}'"
        f" JOIN {T.TRAINING} s ON s.id = f.training_id AND s.kind = '{STEP_DOWN}'"
        f" AND s.start_date >= i.institute_end AND {held_sql('s')} GROUP BY i.person_id, i.institute_end"
    )
    return (
        f"WITH trainees AS ({trainees}), trainers AS (SELECT person_id,"
        f" {_days_between('first_step_down', 'institute_end')} AS days FROM ({first}) ft) ",
        params,
    )


def _fidelity_sql(filters: Filters) -> tuple[str, list]:
    """(generation, mean fidelity) over filtered linked step-downs that record sessions.

    The manuals a training used are those listed on it plus those whose sessions it
    delivered; fidelity = distinct manual sessions delivered / sessions in those manuals.
    """
    cond, params = _filtered(filters)
    recorded = (
        f"SELECT t.id, x.generation FROM {T.TRAINING} t JOIN {T.TRAINING_GEN} x ON x.training_id = t.id"
        f" WHERE t.kind = '{STEP_DOWN}' AND {cond}"
        f" AND t.id IN (SELECT training_id FROM {T.SESSION})"
    )
    used = (
        f"SELECT tm.training_id, tm.manual_id FROM {T.TRAINING_MANUALS} tm JOIN rec ON rec.id = tm.training_id"
        f" UNION SELECT ts.training_id, ms.manual_id FROM {T.SESSION} ts JOIN rec ON rec.id = ts.training_id"
        f" JOIN {T.MANUAL_SESSION} ms ON ms.id = ts.manual_session_id"
    )
    return (
        f"WITH rec AS ({recorded}), used AS ({used}),"
        f" total AS (SELECT u.training_id, COUNT(*) AS n FROM used u"
        f" JOIN {T.MANUAL_SESSION} ms ON ms.manual_id = u.manual_id GROUP BY u.training_id),"
        f" done AS (SELECT ts.training_id, COUNT(DISTINCT ts.manual_session_id) AS n FROM {T.SESSION} ts"
        f" JOIN rec ON rec.id = ts.training_id GROUP BY ts.training_id)"
        f" SELECT rec.generation, AVG(1.0 * COALESCE(done.n, 0) / total.n) FROM rec"
        f" JOIN total ON total.training_id = rec.id LEFT JOIN done ON done.training_id = rec.id"
        f" GROUP BY rec.generation",
        params,
    )


def _rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        _tune(cursor)
        cursor.execute(sql, params)
        return cursor.fetchall()


def _tune(cursor) -> None:
    """SQLite's default page cache (2 MB) makes every figure re-read the file; 64 MB holds
    the hot tables of a large network. Harmless to repeat; PostgreSQL needs nothing."""
    if connection.vendor == "sqlite":
        cursor.execute("PRAGMA cache_size = -65536")


# --- the generation cache ------------------------------------------------------------


def invalidate() -> None:
    """Mark every figure stale, generations included. Signals call it on saves of trainings and
    participations; importers and scripts writing without signals (raw SQL, bulk) must too."""
    if not CacheState.objects.filter(pk=1).update(version=F("version") + 1):
        _start_state()
    deferred.after_write()


def invalidate_figures() -> None:
    """Mark kept figures stale but keep the generations: for writes to what figures read and
    generations do not (agenda items, manual lists and sessions, countries and regions), so
    such an edit costs the next read its figures, not a recomputation of every generation."""
    if not CacheState.objects.filter(pk=1).update(figures_version=F("figures_version") + 1):
        _start_state()
    deferred.after_write()


def _start_state() -> CacheState:
    """The state row, created stale if missing; kept figures from before it cannot be trusted."""
    state, created = CacheState.objects.get_or_create(pk=1, defaults={"version": 1, "computed_version": 0})
    if created:
        FiguresMemo.objects.all().delete()
    return state


def refresh(force: bool = False, with_cascades: bool = False) -> bool:
    """Recompute generations when a write happened since the last computation.

    ``force`` recomputes anyway and drops the kept figures: for after writes nobody announced.
    ``with_cascades`` (the worker's recompute) also recomputes, in the same transaction, the
    partners' cascades that were asked for, instead of dropping them: pages read meanwhile
    (and what partner staff may open) never find a cascade missing.
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
        # with a worker running, pages rely on kept cascades at every moment (whoever recomputes)
        _compute_generations(with_cascades or deferred.workers_running())
        bump = {"figures_version": F("figures_version") + 1} if force else {}
        CacheState.objects.filter(pk=1).update(computed_version=current.version, computed_on=today(),
                                               computed_at=timezone.now(), **bump)
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
    low, high = sorted((computed_on or day, day))  # a clock set back (tests, restores) works too
    if computed_on is not None and not Training.objects.filter(
            cancelled=False, start_date__gt=low, start_date__lte=high).exists():
        CacheState.objects.filter(pk=1, computed_on=computed_on).update(computed_on=day)
        return False
    return True


def _compute_generations(with_cascades: bool = False) -> None:
    """Fill the cache in passes: institutes are 1; each pass gives g+1 to the step-downs
    not yet placed that have a source of generation g. Passes run in increasing g, so a
    step-down is placed by its smallest-generation source; each pass only places new
    rows, so cycles cannot loop; the loop ends when a pass places nothing. Only held
    trainings take part: a planned or cancelled one has no generation and trains nobody.
    """
    step = (
        # ready: each person who completed, as participant, a training of generation g,
        # with the earliest last day among those trainings (one row per person, however
        # many such trainings she took: that is what keeps each pass cheap)
        f"WITH ready AS (SELECT p.person_id, MIN({_last_day('t')}) AS trained_by"
        f" FROM {T.TRAINING_GEN} x JOIN {T.TRAINING} t ON t.id = x.training_id"
        f" JOIN {T.PARTICIPATION} p ON p.training_id = x.training_id"
        f" AND p.role = '{PARTICIPANT}' AND p.completed = %s"
        f" WHERE x.generation = %s GROUP BY p.person_id)"
        f" INSERT INTO {T.TRAINING_GEN} (training_id, generation)"
        f" SELECT DISTINCT cand.id, %s FROM ("
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
    with connection.cursor() as cursor:
        _tune(cursor)
        cursor.execute(f"DELETE FROM {T.TRAINING_GEN}")
        cursor.execute(f"DELETE FROM {T.PERSON_GEN}")
        cursor.execute(
            f"INSERT INTO {T.TRAINING_GEN} (training_id, generation)"
            f" SELECT id, 1 FROM {T.TRAINING} t WHERE kind = '{INSTITUTE}' AND {held_sql('t')}"
        )
        generation = 1
        while True:
            cursor.execute(step, [True, generation, generation + 1, generation])
            # rowcount is not reported for a statement that starts with WITH on SQLite
            cursor.execute(f"SELECT COUNT(*) FROM {T.TRAINING_GEN} WHERE generation = %s", [generation + 1])
            if not cursor.fetchone()[0]:
                break
            generation += 1
        cursor.execute(
            f"INSERT INTO {T.PERSON_GEN} (person_id, generation)"
            f" SELECT p.person_id, MIN(x.generation) FROM {T.PARTICIPATION} p"
            f" JOIN {T.TRAINING} t ON t.id = p.training_id"
            f" LEFT JOIN {T.TRAINING_GEN} x ON x.training_id = p.training_id"
            f" WHERE p.role = '{PARTICIPANT}' AND {held_sql('t')} GROUP BY p.person_id"
        )
        # partners' cascades follow the same sources: computed again when next asked, or now
        if with_cascades:
            asked = list(PartnerCascadeComputed.objects.values_list("organization_id", flat=True))
            cursor.execute(f"DELETE FROM {T.CASCADE} WHERE organization_id NOT IN"
                           f" (SELECT organization_id FROM {T.CASCADE_COMPUTED})")
            for organization_id in asked:
                _compute_cascade(cursor, organization_id)
            return
        cursor.execute(f"DELETE FROM {T.CASCADE_COMPUTED}")
        cursor.execute(f"DELETE FROM {T.CASCADE}")


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
            _tune(cursor)
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
    for generation, count, institutes_here, headcount in _rows(
        f"SELECT x.generation, COUNT(*), SUM(CASE WHEN t.kind = '{INSTITUTE}' THEN 1 ELSE 0 END),"
        f" SUM(t.women_count + t.men_count + t.other_count)"
        f" FROM {T.TRAINING} t LEFT JOIN {T.TRAINING_GEN} x ON x.training_id = t.id"
        f" WHERE {cond} GROUP BY x.generation",
        params,
    ):
        by_generation[generation] = {"trainings": count, "people": 0, "headcount": int(headcount or 0)}
        institutes += int(institutes_here)
        step_downs += count - int(institutes_here)

    people_sql, people_params = _people_generation_sql(filters)
    for generation, count in _rows(f"SELECT gen, COUNT(*) FROM ({people_sql}) pg GROUP BY gen", people_params):
        by_generation.setdefault(generation, {"trainings": 0, "people": 0, "headcount": 0})["people"] = count

    fidelity_sql, fidelity_params = _fidelity_sql(filters)
    fidelity = {generation: float(mean) for generation, mean in _rows(fidelity_sql, fidelity_params)}

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
    trained, trainers, median = _rows(
        f"{with_clause} SELECT (SELECT COUNT(*) FROM trainees), (SELECT COUNT(*) FROM trainers),"
        f" (SELECT AVG(days) FROM (SELECT days, ROW_NUMBER() OVER (ORDER BY days) AS rn,"
        f" COUNT(*) OVER () AS n FROM trainers) m WHERE rn IN ((n + 1) / 2, (n + 2) / 2))",
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


def _number(value) -> int | float | None:
    if value is None:
        return None
    value = float(value)
    return int(value) if value.is_integer() else value


def _institutes_by_region(filters: Filters) -> list[RegionRow]:
    cond, params = _filtered(filters)
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
        f" FROM {T.TRAINING} t LEFT JOIN {T.TRAINING_GEN} x ON x.training_id = t.id WHERE {cond} GROUP BY 1, 2",
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
