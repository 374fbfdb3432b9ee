"""What a story or report needs from the cascade engine, in one adapter.

Stories never count anything themselves: every figure comes from
``cascade.metrics.engine``; this module only chooses the filters.
"""

from __future__ import annotations

from cascade.metrics import engine
from cascade.metrics.filters import Filters
from cascade.trainings.models import Training


def story_figures(training: Training) -> dict:
    """The institute's place in its region, and the region's cumulative figures by its date.

    Activists: people trained at the region's institutes up to and including this one.
    Step-downs: the first-generation step-downs those activists went on to lead,
    wherever they held them (a cohort's figure: "they have gone on to hold ...").
    """
    place = engine.ordinal(training) if training.kind == Training.Kind.INSTITUTE else None
    region = training.country.region_id
    scope = Filters.parse(region=region, until=training.start_date) if region else Filters.parse(
        country=training.country_id, until=training.start_date)
    totals = engine.figures(scope)
    activists = engine.people_behind("people-trained-at-institutes", scope)
    led = engine.trainings_behind("trainings", Filters(), generation=2).filter(
        participations__role="facilitator", participations__person__in=activists,
    ).distinct()
    return {
        "ordinal": place["ordinal"] if place else None,
        "of": place["of"] if place else None,
        "first_year": place["first_year"] if place else None,
        "region": region,
        "region_name": place["region"]["name"] if place and place["region"] else None,
        "country": training.country_id,
        "as_of": training.start_date.isoformat(),
        "institutes": totals["institutes"],
        "activists": totals["people_trained_at_institutes"],
        "step_downs": led.count(),
    }
