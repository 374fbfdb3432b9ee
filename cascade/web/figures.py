"""The dashboard's figures, asked of the cascade engine (cascade.metrics.engine).

A thin adapter: the engine computes every figure and
``cascade.access.suppression.figures_for`` releases them to one reader (small cells
hidden across the whole page); this module adds what the pages draw around them
(the list behind each figure, bar lengths).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse

from cascade import access
from cascade.access import suppression
from cascade.metrics import engine
from cascade.metrics.filters import Filters
from cascade.network.models import Person
from cascade.trainings.models import Training

INSTITUTE, STEP_DOWN = Training.Kind.INSTITUTE.value, Training.Kind.STEP_DOWN.value


@dataclass
class Figure:
    """A number as a page shows it: for readers without exact figures a small cell is
    ``value=None`` with ``label`` "<5", or "*" or a range ("130–139") where it would give a
    small one away, and ``why`` says which."""

    value: int | float | None
    url: str = ""
    label: str = ""
    of: str = "people"  # what is counted (suppression.COUNTS): only counts of people are ever hidden
    reason: str = ""  # suppression.reason's code: "small", "complement", "range", "few-trainings"
    why: str = ""  # the same, as a short text in the page's language

    @property
    def suppressed(self) -> bool:
        return self.value is None


def _released(count, url="", figure="people", withheld=False) -> Figure:
    """A figure as cascade.access.suppression released it: an int, or "<5" / "*" / a range without
    a link. ``figure`` names what it counts (declared in ``suppression.COUNTS``)."""
    of = suppression.counts_of(figure)
    if isinstance(count, str):
        return Figure(None, "", count, of, suppression.reason(count, withheld) or "",
                      suppression.why(count, withheld))
    return Figure(count, url, of=of)


@dataclass
class Dashboard:
    headline: dict[str, Figure]
    utilisation: float | None = None
    median_days: float | None = None
    trainers_url: str = ""  # the list behind utilisation and the median: who went on to train
    per_year: list[dict] = field(default_factory=list)
    generations: list[dict] = field(default_factory=list)
    unlinked: dict | None = None
    gender: list[dict] = field(default_factory=list)
    countries: list[dict] = field(default_factory=list)
    withheld: bool = False  # too few trainings selected to show this reader any count of people
    exact: bool = True
    # a worker is recomputing after a write: these are the last figures, as of that time
    being_updated: bool = False
    as_of: datetime.datetime | None = None


def trainings_behind(user, filters: Filters, figure: str = "trainings", generation=None, kind: str = "",
                     year: int | None = None, counts: str = "", explain: bool = True):
    """The trainings counted in a figure that the user may open, and how the list makes the figure.

    ``kind`` and ``year`` narrow to one cell of the table per year or country; ``counts``
    ("all" or a gender) to the trainings behind a head-count. The statement counts every
    training the figure counts, and says how many of them this reader may open.
    """
    if figure not in engine.TRAINING_FIGURES:
        figure = "trainings"
    behind = engine.trainings_behind(figure, filters, generation)
    if kind:
        behind = behind.filter(kind=kind)
    if year is not None:
        behind = behind.filter(start_date__year=year)
    if counts in ("all", *engine.HEADCOUNT_FIELDS):
        behind = engine.with_headcounts(behind, counts)
    else:
        counts = ""
    trainings = access.visible_trainings(user).filter(pk__in=behind)
    return trainings, explain_trainings(user, behind, trainings, counts) if explain else None


def people_behind(user, filters: Filters, figure: str = "people", generation=None, group=None, gender: str = "",
                  add_headcounts: bool = False, explain: bool = True):
    """The people counted in a figure whom the user may see by name, and how the list makes the figure.

    ``gender`` narrows to one gender ("other" includes "not stated", as the figures do);
    ``group`` (("country", "KG") or ("year", 2019)) to one row of a breakdown; with
    ``add_headcounts`` the figure is a reach: these people plus the head-counts (of that
    gender) of the same trainings, whose list is linked.
    """
    if figure not in engine.PEOPLE_FIGURES:
        figure = "people"
    behind = engine.people_behind(figure, filters, generation, group)
    if gender:
        behind = behind.filter(gender__in=[Person.Gender.OTHER, Person.Gender.NOT_STATED]
                               if gender == Person.Gender.OTHER else [gender])
    people = access.visible_people(user).filter(pk__in=behind)
    if not explain:
        return people, None
    headcounts, url = None, ""
    if add_headcounts and figure == "people" and group is None:
        counts = gender if gender in engine.HEADCOUNT_FIELDS else "all"
        headcounts = engine.with_headcounts(engine.trainings_behind("trainings", filters, generation), counts)
        params = {**filters.as_dict(), "figure": "trainings", "counts": counts}
        if generation is not None:
            params["generation"] = generation
        url = reverse("web:trainings") + "?" + urlencode(params)
    return people, explain_people(behind, people, headcounts, url,
                                  gender if gender in engine.HEADCOUNT_FIELDS else "", group[0] if group else "")


def training_generations(trainings) -> dict[int, int | None]:
    return engine.generations_of(trainings.values_list("pk", flat=True))


def hosted_directly(organization):
    """The engine's count of what an organisation hosted or co-organised itself (trainings, not people)."""
    return engine.hosted_directly(organization.pk)


def institute_ordinal(training):
    """The engine's "16th institute in Central Asia since 2014" (for a planned one, the number it
    will have), or None for a step-down or a cancelled institute."""
    if training.kind != INSTITUTE or training.cancelled:
        return None
    return engine.ordinal(training)


def upcoming(user, filters: Filters, limit: int | None = 20):
    """The planned trainings inside ``filters`` this reader may open, soonest first (never counted)."""
    trainings = access.visible_trainings(user).filter(pk__in=engine.upcoming(filters))
    if limit is None:
        return trainings
    return trainings.select_related("country", "place").order_by("start_date", "key")[:limit]


def _freshness() -> dict:
    from cascade.metrics import deferred

    status = deferred.status()
    return {"being_updated": status["being_updated"], "as_of": status["as_of"]}


def compute(user, filters: Filters, link) -> Dashboard:
    """Every figure of the dashboard within ``filters``; ``link(list, **params)`` builds the URL behind one.

    The numbers come from ``cascade.access.suppression.figures_for``, already suppressed
    for this reader across the whole page; this function only adds links and bar lengths.
    """
    if not access.can_see_people(user):
        people_link = link

        def link(page, /, **params):  # no list of people for readers who may not see names
            return "" if page == "people" else people_link(page, **params)

    def reach_link(counts="all", **params):
        """Named people plus head-counts: the people listed with the trainings whose head-counts
        add up the rest; for readers who see no names, those trainings alone."""
        gender = {} if counts == "all" else {"gender": counts}
        return (link("people", figure="people", add="headcounts", **gender, **params)
                or link("trainings", figure="trainings", counts=counts, **params))

    data = suppression.figures_for(user, filters)

    def _shown(count, url="", figure="people"):
        return _released(count, url, figure, data.withheld)

    h = data.headline
    headline = {
        "institutes": _shown(h["institutes"], link("trainings", figure="institutes"), "institutes"),
        "step_downs": _shown(h["step_downs"], link("trainings", figure="step-downs"), "step_downs"),
        "trained": _shown(h["trained"], link("people", figure="people-trained-at-institutes"), "trained"),
        "trainers": _shown(h["trainers"], link("people", figure="trainers"), "trainers"),
        "reach": _shown(h["reach"], reach_link(generation="linked"), "reach"),
        "generations": _shown(h["generations"], "#generations", "generations"),
    }
    dashboard = Dashboard(headline=headline, utilisation=h["utilisation"], median_days=h["median_days"],
                          trainers_url=link("people", figure="trainers"), withheld=data.withheld,
                          exact=data.exact, **_freshness())
    for row in data.generations:
        number = row["generation"]
        generation_trainings = link("trainings", figure="trainings", generation=number)
        dashboard.generations.append({
            "generation": number,
            "trainings": _shown(row["trainings"], generation_trainings, "trainings"),
            "people": _shown(row["people"], link("people", figure="people", generation=number)),
            "headcount": _shown(row["headcount"], link("trainings", figure="trainings", generation=number,
                                                         counts="all")),
            "reach": _shown(row["reach"], reach_link(generation=number)),
            "fidelity": row["mean_fidelity"],
            "pct": row["pct"],
        })
    if data.unlinked:
        unlinked = link("trainings", figure="unlinked-step-downs")
        dashboard.unlinked = {"trainings": _shown(data.unlinked["trainings"], unlinked, "trainings"),
                              "reach": _shown(data.unlinked["reach"], reach_link(generation="unlinked"))}
    for row in data.per_year:
        dashboard.per_year.append({
            "year": row["year"],
            "institutes": _shown(row["institutes"], link("trainings", kind=INSTITUTE, year=row["year"]), "trainings"),
            "step_downs": _shown(row["step_downs"], link("trainings", kind=STEP_DOWN, year=row["year"]), "trainings"),
            "institutes_pct": row["institutes_pct"], "step_downs_pct": row["step_downs_pct"],
        })
    for row in data.gender:
        gender = row["gender"]
        dashboard.gender.append({
            "gender": gender,
            "named": _shown(row["named"], link("people", figure="people", gender=gender)),
            "headcount": _shown(row["headcount"], link("trainings", figure="trainings", counts=gender)),
            "total": _shown(row["total"], reach_link(counts=gender)),
            "pct": row["pct"],
        })
    for row in data.countries:
        code = row["country"]
        dashboard.countries.append({
            "code": code,
            "institutes": _shown(row["institutes"], link("trainings", kind=INSTITUTE, country=code), "trainings"),
            "step_downs": _shown(row["step_downs"], link("trainings", kind=STEP_DOWN, country=code), "trainings"),
            # each person counts in the country of her first training in the filters
            "people": _shown(row["people"], link("people", figure="people", by="country", value=code)),
            "headcount": _shown(row["headcount"], link("trainings", country=code, counts="all")),
        })
    return dashboard


# --- How the list behind a number makes it -----------------------------------------

GENDER_COLUMNS = {"woman": "women", "man": "men", "other": "other"}


def explain_trainings(user, behind, visible, counts: str = "") -> dict:
    """How a list of trainings makes its number: ``behind`` is every training the number counts,
    ``visible`` those this reader may open. Head-counts are stated to readers of exact figures
    only (for others a sum of small head-counts would undo their suppression)."""
    totals = engine.list_totals(behind)
    headcount = totals[GENDER_COLUMNS[counts]] if counts in GENDER_COLUMNS else totals["headcount"]
    return {"totals": totals, "visible": visible.count(), "counts": counts if counts else "",
            "headcount": headcount, "exact": access.exact_figures(user)}


def explain_people(behind, visible, headcounts=None, headcounts_url: str = "", gender: str = "",
                   by: str = "") -> dict:
    """How a list of people makes its number: the named people it counts (``behind``; ``visible``
    those this reader may see) and, for a reach, the head-counts of ``headcounts`` (trainings)."""
    named = behind.count()
    found = {"named": named, "visible": visible.count(), "gender": gender, "number": named, "by": by}
    if headcounts is not None:
        totals = engine.list_totals(headcounts)
        found["headcount"] = totals[GENDER_COLUMNS[gender]] if gender in GENDER_COLUMNS else totals["headcount"]
        found["trainings"] = totals["trainings"]
        found["trainings_url"] = headcounts_url
        found["number"] = named + found["headcount"]
    return found


def cascade_tree(user, person, depth: int = 6) -> list[dict]:
    """Who ``person`` trained, and whom they trained in turn: nested step-downs she facilitated.

    Each node: the step-down, its named participants the user may see, their head-count,
    and the children grown from those participants. Cycles are cut.
    """
    trainings = access.visible_trainings(user)
    people = access.visible_people(user)
    named = access.people_trainings(user)  # a partner's staff see its cascade's step-downs, not their people
    seen: set[int] = set()

    def branch(trainer_id, level):
        if level > depth:
            return []
        nodes = []
        given = trainings.filter(kind=STEP_DOWN, participations__person_id=trainer_id,
                                 participations__role="facilitator").distinct().order_by("start_date")
        for training in given:
            if training.pk in seen:
                continue
            seen.add(training.pk)
            trainees = people.filter(participations__training__in=named.filter(pk=training.pk),
                                     participations__role="participant").distinct()
            nodes.append({
                "training": training,
                "trainees": [{"person": p, "children": branch(p.pk, level + 1)} for p in trainees],
                "headcount": training.headcount,
            })
        return nodes

    return branch(person.pk, 1)
