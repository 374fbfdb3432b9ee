"""The dashboard's figures, asked of the cascade engine (cascade.metrics.engine).

A thin adapter: the engine computes every figure; this module turns its answers
into what the pages draw (bar lengths, the list behind each figure) and hides
small cells from users who may not see exact figures. The charts by year, by
gender and by country group the engine's own drill-down querysets, so they count
exactly what the headline counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear

from cascade import access
from cascade.access import suppression
from cascade.metrics import engine
from cascade.metrics.filters import Filters
from cascade.trainings.models import Participation, Training

INSTITUTE, STEP_DOWN = Training.Kind.INSTITUTE.value, Training.Kind.STEP_DOWN.value


@dataclass
class Figure:
    """A number as a page shows it: for readers without exact figures a small cell is
    ``value=None`` with ``label`` "<5", or "*" where it would give a small one away."""

    value: int | float | None
    url: str = ""
    label: str = ""

    @property
    def suppressed(self) -> bool:
        return self.value is None


def _shown(count, url="") -> Figure:
    """A cell as cascade.access.suppression left it."""
    if isinstance(count, str):
        return Figure(None, "", count)
    return Figure(count, url)


def _table(rows: list[list[int]], exact: bool):
    return suppression.suppress_table(rows, exact=exact) if rows else None


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


def institute_ordinal(training):
    """The engine's "16th institute in Central Asia since 2014", or None for a step-down."""
    if training.kind != INSTITUTE:
        return None
    return engine.ordinal(training)


def compute(user, filters: Filters, link) -> Dashboard:
    """Every figure of the dashboard within ``filters``; ``link(list, **params)`` builds the URL behind one."""
    exact = access.exact_figures(user)

    def fig(value, url=""):
        return _shown(suppression.show_count(value, exact=exact) if isinstance(value, int) else value, url)

    if not access.can_see_people(user):
        people_link = link

        def link(page, /, **params):  # no list of people for readers who may not see names
            return "" if page == "people" else people_link(page, **params)

    data = engine.figures(filters)
    headline = {
        "institutes": fig(data["institutes"], link("trainings", figure="institutes")),
        "step_downs": fig(data["step_downs"], link("trainings", figure="step-downs")),
        "trained": fig(data["people_trained_at_institutes"],
                       link("people", figure="people-trained-at-institutes")),
        "trainers": fig(data["trainers"], link("people", figure="trainers")),
        "reach": fig(data["total_reach"], link("people", figure="people")),
        "generations": fig(len(data["generations"]), "#generations"),
    }
    dashboard = Dashboard(headline=headline, utilisation=data["trainer_utilisation"],
                          median_days=data["median_days_to_first_step_down"],
                          trainers_url=link("people", figure="trainers"))

    top = max([row["reach"] for row in data["generations"]] or [0]) or 1
    table = _table([[row["people"], row["headcount"]] for row in data["generations"]], exact)
    for index, row in enumerate(data["generations"]):
        number = row["generation"]
        people, headcount = table.cells[index]
        reach = table.row_totals[index]
        generation_trainings = link("trainings", figure="trainings", generation=number)
        dashboard.generations.append({
            "generation": number,
            "trainings": fig(row["trainings"], generation_trainings),
            "people": _shown(people, link("people", figure="people", generation=number)),
            # Head-counts and reach come from the generation's trainings: their list is behind both.
            "headcount": _shown(headcount, generation_trainings),
            "reach": _shown(reach, generation_trainings),
            "fidelity": row["mean_fidelity"],
            "pct": round(100 * row["reach"] / top) if isinstance(reach, int) else 0,
        })
    unlinked = data["unlinked"]
    if unlinked["trainings"]:
        dashboard.unlinked = {
            "trainings": fig(unlinked["trainings"], link("trainings", figure="unlinked-step-downs")),
            "reach": fig(unlinked["reach"], link("trainings", figure="unlinked-step-downs")),
        }

    trainings = engine.trainings_behind("trainings", filters)
    years = (trainings.annotate(year=ExtractYear("start_date")).values("year")
             .annotate(institutes=Count("id", filter=Q(kind=INSTITUTE)),
                       step_downs=Count("id", filter=Q(kind=STEP_DOWN)))
             .order_by("year"))
    top = max([max(row["institutes"], row["step_downs"]) for row in years] or [0]) or 1
    table = _table([[row["institutes"], row["step_downs"]] for row in years], exact)
    for index, row in enumerate(years):
        institutes, step_downs = table.cells[index]
        dashboard.per_year.append({
            "year": row["year"],
            "institutes": _shown(institutes, link("trainings", kind=INSTITUTE, year=row["year"])),
            "step_downs": _shown(step_downs, link("trainings", kind=STEP_DOWN, year=row["year"])),
            "institutes_pct": round(100 * row["institutes"] / top),
            "step_downs_pct": round(100 * row["step_downs"] / top),
        })

    named = engine.people_behind("people", filters)
    by_gender = dict(named.values_list("gender").annotate(n=Count("id")).values_list("gender", "n"))
    counts = trainings.aggregate(women=Sum("women_count"), men=Sum("men_count"), other=Sum("other_count"))
    rows = [
        ("woman", by_gender.get("woman", 0), counts["women"] or 0),
        ("man", by_gender.get("man", 0), counts["men"] or 0),
        ("other", by_gender.get("other", 0) + by_gender.get("not stated", 0), counts["other"] or 0),
    ]
    top = max([n + c for _g, n, c in rows] or [0]) or 1
    table = _table([[n, c] for _g, n, c in rows], exact)
    for index, (gender, named_count, headcount) in enumerate(rows):
        total = table.row_totals[index]
        dashboard.gender.append({
            "gender": gender,
            "named": _shown(table.cells[index][0], link("people", figure="people", gender=gender)),
            # Reach by gender comes from the filtered trainings' named people and head-counts.
            "headcount": _shown(table.cells[index][1], link("trainings", figure="trainings")),
            "total": _shown(total, link("trainings", figure="trainings")),
            "pct": round(100 * (named_count + headcount) / top) if isinstance(total, int) else 0,
        })

    by_country = (trainings.values("country_id")
                  .annotate(institutes=Count("id", filter=Q(kind=INSTITUTE)),
                            step_downs=Count("id", filter=Q(kind=STEP_DOWN)),
                            headcount=Sum("women_count") + Sum("men_count") + Sum("other_count"))
                  .order_by("country_id"))
    # The engine's "people" figure per country: distinct participants of the filtered
    # trainings held there (one join; the list behind each cell is the same set).
    people_by_country = dict(
        Participation.objects.filter(training__in=trainings, role=Participation.Role.PARTICIPANT)
        .values("training__country_id").annotate(n=Count("person_id", distinct=True))
        .values_list("training__country_id", "n"))
    by_country = list(by_country)
    table = _table([[people_by_country.get(row["country_id"], 0), row["headcount"] or 0] for row in by_country],
                   exact)
    for index, row in enumerate(by_country):
        code = row["country_id"]
        people, headcount = table.cells[index]
        dashboard.countries.append({
            "code": code,
            "institutes": fig(row["institutes"], link("trainings", kind=INSTITUTE, country=code)),
            "step_downs": fig(row["step_downs"], link("trainings", kind=STEP_DOWN, country=code)),
            "people": _shown(people, link("people", figure="people", country=code)),
            "headcount": _shown(headcount, link("trainings", country=code)),
        })
    return dashboard


def cascade_tree(user, person, depth: int = 6) -> list[dict]:
    """Who ``person`` trained, and whom they trained in turn: nested step-downs she facilitated.

    Each node: the step-down, its named participants the user may see, their head-count,
    and the children grown from those participants. Cycles are cut.
    """
    trainings = access.visible_trainings(user)
    people = access.visible_people(user)
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
            trainees = people.filter(participations__training=training,
                                     participations__role="participant").distinct()
            nodes.append({
                "training": training,
                "trainees": [{"person": p, "children": branch(p.pk, level + 1)} for p in trainees],
                "headcount": training.headcount,
            })
        return nodes

    return branch(person.pk, 1)
