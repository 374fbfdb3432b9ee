"""The engine's recompute after a write, as a background job (see cascade.metrics.deferred)."""

from django.utils.translation import gettext as _, gettext_lazy

from cascade.jobs.kinds import register
from cascade.metrics import engine
from cascade.metrics.deferred import RECOMPUTE


@register(RECOMPUTE, rule=None, label=gettext_lazy("Updating the figures"), single=True)
def recompute(job, progress, actor):
    progress.phase(_("Generations"))
    engine.refresh(with_cascades=True)
    filter_sets = engine.kept_filter_sets(job.params.get("keys", []))
    progress.phase(_("Figures"), total=len(filter_sets))
    for filters in filter_sets:
        engine.figures(filters)
        progress.advance()
    engine.figures_updated()
    return {"message": _("The figures are up to date.")}
