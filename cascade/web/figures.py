"""The dashboard's figures, asked of the cascade engine (cascade.metrics.engine).

A thin adapter: the engine computes every figure and
``cascade.access.suppression.figures_for`` releases them to one reader (small cells
hidden across the whole page); this module adds what the pages draw around them
(the list behind each figure, bar lengths).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cascade import access
from cascade.access import suppression
from cascade.metrics import engine
from cascade.metrics.filters import Filters
from cascade.trainings.models import Training

INSTITUTE, STEP_DOWN = Training.Kind.INSTITUTE.value, Training.Kind.STEP_DOWN.value


@dataclass
class Figure:
    """A number as a page shows it: for readers without exact figures a small cell is
    ``value=None`` with ``label`` "<5", or "*" where it would give a small one away."""

    value: int | float | None
    url: str = ""
    label: str = ""
    of: str = "people"  # what is counted: "people", or "trainings" and "generations" (shown as they are)

    @property
    def suppressed(self) -> bool:
        return self.value is None


def _shown(count, url="", of="people") -> Figure:
    """A figure as cascade.access.suppression released it: an int, or "<5" / "*" without a link."""
    if isinstance(count, str):
        return Figure(None, "", count, of)
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


def filter_trainings(queryset, filters: Filters):
    """Trainings of ``queryset`` inside ``filters`` (the engine's own selection)."""
    if filters.is_empty:
        return queryset
    return queryset.filter(pk__in=engine.trainings_behind("trainings", filters))


def trainings_behind(user, figure: str, filters: Filters, generation=None):
    """The trainings counted in a figure, narrowed to those the user may open."""
    if figure not in engine.TRAINING_FIGURES:
        figure = "trainings"
    return access.visible_trainings(user).filter(pk__in=engine.trainings_behind(figure, filters, generation))


def people_behind(user, figure: str, filters: Filters, generation=None):
    """The people counted in a figure, narrowed to those the user may see by name."""
    if figure not in engine.PEOPLE_FIGURES:
        figure = "people"
    return access.visible_people(user).filter(pk__in=engine.people_behind(figure, filters, generation))


def training_generations(trainings) -> dict[int, int | None]:
    return engine.generations_of(trainings.values_list("pk", flat=True))


def hosted_directly(organization):
    """The engine's count of what an organisation hosted or co-organised itself (trainings, not people)."""
    return engine.hosted_directly(organization.pk)


def institute_ordinal(training):
    """The engine's "16th institute in Central Asia since 2014", or None for a step-down."""
    if training.kind != INSTITUTE:
        return None
    return engine.ordinal(training)


def compute(user, filters: Filters, link) -> Dashboard:
    """Every figure of the dashboard within ``filters``; ``link(list, **params)`` builds the URL behind one.

    The numbers come from ``cascade.access.suppression.figures_for``, already suppressed
    for this reader across the whole page; this function only adds links and bar lengths.
    """
    if not access.can_see_people(user):
        people_link = link

        def link(page, /, **params):  # no list of people for readers who may not see names
            return "" if page == "people" else people_link(page, **params)

    data = suppression.figures_for(user, filters)
    h = data.headline
    headline = {
        "institutes": _shown(h["institutes"], link("trainings", figure="institutes"), of="trainings"),
        "step_downs": _shown(h["step_downs"], link("trainings", figure="step-downs"), of="trainings"),
        "trained": _shown(h["trained"], link("people", figure="people-trained-at-institutes")),
        "trainers": _shown(h["trainers"], link("people", figure="trainers")),
        "reach": _shown(h["reach"], link("people", figure="people")),
        "generations": _shown(h["generations"], "#generations", of="generations"),
    }
    dashboard = Dashboard(headline=headline, utilisation=h["utilisation"], median_days=h["median_days"],
                          trainers_url=link("people", figure="trainers"), withheld=data.withheld,
                          exact=data.exact)
    for row in data.generations:
        number = row["generation"]
        generation_trainings = link("trainings", figure="trainings", generation=number)
        dashboard.generations.append({
            "generation": number,
            "trainings": _shown(row["trainings"], generation_trainings, of="trainings"),
            "people": _shown(row["people"], link("people", figure="people", generation=number)),
            # Head-counts and reach come from the generation's trainings: their list is behind both.
            "headcount": _shown(row["headcount"], generation_trainings),
            "reach": _shown(row["reach"], generation_trainings),
            "fidelity": row["mean_fidelity"],
            "pct": row["pct"],
        })
    if data.unlinked:
        unlinked = link("trainings", figure="unlinked-step-downs")
        dashboard.unlinked = {"trainings": _shown(data.unlinked["trainings"], unlinked, of="trainings"),
                              "reach": _shown(data.unlinked["reach"], unlinked)}
    for row in data.per_year:
        dashboard.per_year.append({
            "year": row["year"],
            "institutes": _shown(row["institutes"], link("trainings", kind=INSTITUTE, year=row["year"]), of="trainings"),
            "step_downs": _shown(row["step_downs"], link("trainings", kind=STEP_DOWN, year=row["year"]), of="trainings"),
            "institutes_pct": row["institutes_pct"], "step_downs_pct": row["step_downs_pct"],
        })
    for row in data.gender:
        gender = row["gender"]
        dashboard.gender.append({
            "gender": gender,
            "named": _shown(row["named"], link("people", figure="people", gender=gender)),
            # Reach by gender comes from the filtered trainings' named people and head-counts.
            "headcount": _shown(row["headcount"], link("trainings", figure="trainings")),
            "total": _shown(row["total"], link("trainings", figure="trainings")),
            "pct": row["pct"],
        })
    for row in data.countries:
        code = row["country"]
        dashboard.countries.append({
            "code": code,
            "institutes": _shown(row["institutes"], link("trainings", kind=INSTITUTE, country=code), of="trainings"),
            "step_downs": _shown(row["step_downs"], link("trainings", kind=STEP_DOWN, country=code), of="trainings"),
            "people": _shown(row["people"], link("people", figure="people", country=code)),
            "headcount": _shown(row["headcount"], link("trainings", country=code)),
        })
    return dashboard


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
