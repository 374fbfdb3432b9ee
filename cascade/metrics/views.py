"""Pages for staff: the figures, the list behind each figure, and cascade trees.

Every page asks cascade.access what the reader may see; names appear only for
readers who may see people.
"""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _, gettext_lazy

from cascade import access
from cascade.audit import services as audit
from cascade.metrics import engine, trees
from cascade.metrics.filters import FILTER_NAMES, FilterError, Filters
FIGURE_TITLES = {
    "institutes": gettext_lazy("Institutes"),
    "step-downs": gettext_lazy("Step-down trainings"),
    "unlinked-step-downs": gettext_lazy("Unlinked step-down trainings"),
    "trainings": gettext_lazy("Trainings"),
    "people-trained-at-institutes": gettext_lazy("People trained at institutes"),
    "trainers": gettext_lazy("Institute trainees who went on to lead a step-down"),
    "people": gettext_lazy("People reached by name"),
}


def _filters(request) -> tuple[Filters, str | None]:
    try:
        return Filters.parse(**{name: request.GET.get(name) for name in FILTER_NAMES}), None
    except FilterError as error:
        return Filters(), str(error)


FILTER_LABELS = {
    "region": gettext_lazy("Region (M49 code or name)"), "country": gettext_lazy("Country (ISO code)"),
    "partner": gettext_lazy("Partner (key)"), "manual": gettext_lazy("Manual (key)"),
    "since": gettext_lazy("Starting on or after"), "until": gettext_lazy("Starting on or before"),
}


def _filter_context(request, filters: Filters) -> dict:
    return {
        "filter_fields": [{"name": n, "label": FILTER_LABELS[n], "value": request.GET.get(n, "")} for n in FILTER_NAMES],
        "qs": urlencode(filters.as_dict()),
    }


def _generation(request):
    value = request.GET.get("generation")
    if value in (None, ""):
        return None
    if value == "unlinked" or value.isdigit():
        return value if value == "unlinked" else int(value)
    raise Http404(_("Unknown generation."))


@login_required
def figures(request):
    if not access.exact_figures(request.user):
        raise PermissionDenied
    filters, error = _filters(request)
    return render(request, "metrics/figures.html", {
        "figures": None if error else engine.figures(filters), "error": error, **_filter_context(request, filters),
    }, status=400 if error else 200)


@login_required
def drilldown(request, figure: str):
    if not access.exact_figures(request.user):  # lists behind figures: one training, one count
        raise PermissionDenied
    if figure not in FIGURE_TITLES:
        raise Http404(_("Unknown figure."))
    filters, error = _filters(request)
    generation = _generation(request)
    people = figure in engine.PEOPLE_FIGURES
    if people and not access.can_see_people(request.user):
        raise PermissionDenied
    if error:
        items = []
    elif people:
        items = engine.people_behind(figure, filters, generation) & access.visible_people(request.user)
        items = items.select_related("country", "organization", "place").order_by("full_name", "pk")
    else:
        items = engine.trainings_behind(figure, filters, generation) & access.visible_trainings(request.user)
        items = items.select_related("country", "host", "place").order_by("start_date", "key")
    page = Paginator(items, 100).get_page(request.GET.get("page"))
    generations = engine.generations_of([t.pk for t in page]) if not people and not error else {}
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "metrics/drilldown.html", {
        "title": FIGURE_TITLES[figure], "figure": figure, "people": people, "page": page,
        "generations": generations, "generation": generation, "error": error,
        "query": query.urlencode(), **_filter_context(request, filters),
    }, status=400 if error else 200)


@login_required
def training_tree(request, key: str):
    if not access.exact_figures(request.user):  # a tree shows each training's own head-counts
        raise PermissionDenied
    visible = access.visible_trainings(request.user)
    training = get_object_or_404(visible, key=key)
    with_people = access.can_see_people(request.user)
    tree = trees.training_tree(training, visible=visible, with_people=with_people,
                               named=access.people_trainings(request.user))
    return render(request, "metrics/tree.html", {"tree": tree, "root": training, "with_people": with_people})


@login_required
def person_tree(request, key: str):
    if not access.can_see_people(request.user):
        raise PermissionDenied
    person = get_object_or_404(access.visible_people(request.user), key=key)
    audit.log("cascade.person.viewed", request.user, person, via="cascade tree")
    tree = trees.person_tree(person, visible=access.visible_trainings(request.user),
                             named=access.people_trainings(request.user))
    return render(request, "metrics/tree.html", {"tree": tree, "person": person, "with_people": True})
