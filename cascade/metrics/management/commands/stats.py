"""``cascade stats [--json] [--by year] [--region 143] [--partner swrc] ...``: the headline figures.

A filter that names nothing ends the command with status 2 (a usage error, as argparse's own)
and a message naming the filter, never with figures for the whole network.
"""

import json

from cascade.lib.commands import BaseCommand, CommandError
from django.utils.formats import number_format
from django.utils.translation import gettext as _, gettext_lazy

from cascade.metrics import engine
from cascade.metrics.filters import FilterError, Filters, add_filter_arguments


class Command(BaseCommand):
    help = gettext_lazy("Print the cascade figures for the network or part of it.")

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help=_("print JSON"))
        parser.add_argument("--by", choices=engine.BREAKDOWNS,
                            help=_("one row per year, gender, country, partner or generation"))
        add_filter_arguments(parser)

    def handle(self, *args, **options):
        try:
            filters = Filters.from_options(options)
        except FilterError as error:
            raise CommandError(str(error), returncode=2) from None
        if options["by"]:
            breakdown = engine.breakdown(filters, options["by"])
            if options["json"]:
                self.stdout.write(json.dumps(breakdown, ensure_ascii=False))
            else:
                self.stdout.write(render_breakdown(breakdown))
            return
        figures = engine.figures(filters)
        if options["json"]:
            self.stdout.write(json.dumps(figures, ensure_ascii=False))
            return
        self.stdout.write(render_summary(figures))


def _n(value) -> str:
    return "—" if value is None else number_format(value, force_grouping=True)


def render_summary(figures: engine.Figures) -> str:
    """A plain-text summary a programme officer can read in a terminal."""
    lines = []
    if figures["filters"]:
        lines.append(_("Filter: %s") % ", ".join(f"{k}={v}" for k, v in figures["filters"].items()))
    lines += [
        _("Institutes: %s") % _n(figures["institutes"]),
    ]
    lines += [f"  {row['name']} ({row['region'] or '—'}): {_n(row['institutes'])}" for row in figures["institutes_by_region"]]
    utilisation = figures["trainer_utilisation"]
    lines += [
        _("Step-down trainings: %(n)s (unlinked: %(u)s)") % {"n": _n(figures["step_downs"]), "u": _n(figures["unlinked_step_downs"])},
        _("People trained at institutes: %s") % _n(figures["people_trained_at_institutes"]),
        _("Trainer utilisation: %(share)s (%(trainers)s trained others)") % {
            "share": "—" if utilisation is None else f"{_n(round(utilisation * 100, 1))} %",
            "trainers": _n(figures["trainers"]),
        },
        _("Median days to first step-down: %s") % _n(figures["median_days_to_first_step_down"]),
        _("Total reach: %s") % _n(figures["total_reach"]),
        "",
        _("Generation  Trainings  People  Head-count  Reach  Fidelity"),
    ]
    for row in figures["generations"]:
        fidelity = "—" if row["mean_fidelity"] is None else f"{_n(round(row['mean_fidelity'] * 100))} %"
        lines.append(f"{row['generation']:>10}  {_n(row['trainings']):>9}  {_n(row['people']):>6}"
                     f"  {_n(row['headcount']):>10}  {_n(row['reach']):>5}  {fidelity:>8}")
    loose = figures["unlinked"]
    lines.append(f"{_('unlinked'):>10}  {_n(loose['trainings']):>9}  {_n(loose['people']):>6}"
                 f"  {_n(loose['headcount']):>10}  {_n(loose['reach']):>5}")
    return "\n".join(lines)


def render_breakdown(breakdown: engine.Breakdown) -> str:
    """The rows of ``cascade stats --by``, and their total, as a plain-text table."""
    headings = {"year": _("Year"), "gender": _("Gender"), "country": _("Country"), "partner": _("Partner"),
                "generation": _("Generation")}
    lines = []
    if breakdown["filters"]:
        lines.append(_("Filter: %s") % ", ".join(f"{k}={v}" for k, v in breakdown["filters"].items()))
    columns = [_("Institutes"), _("Step-downs"), _("Women"), _("Men"), _("Other"), _("Reach")]
    lines.append("  ".join([f"{headings[breakdown['by']]:<12}", *(f"{c:>10}" for c in columns)]))
    keys = ("institutes", "step_downs", "women", "men", "other", "reach")
    total = {**breakdown["total"], "value": _("total")}
    for row in [*breakdown["rows"], total]:
        value = _("unlinked") if row["value"] == "unlinked" else str(row["value"])
        lines.append("  ".join([f"{value:<12}", *(f"{_n(row[k]):>10}" for k in keys)]))
    if breakdown["by"] in ("gender", "partner"):
        lines.append(_("These rows overlap: a training can count in more than one of them."))
    return "\n".join(lines)
