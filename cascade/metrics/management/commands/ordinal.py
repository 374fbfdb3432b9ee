"""``cascade ordinal TRAINING_KEY [--json]``: "the 16th such event in Central Asia since 2014"."""

import json

from cascade.lib.commands import BaseCommand, CommandError
from django.utils.translation import get_language, gettext as _, gettext_lazy

from cascade.lib.numbers import suffix
from cascade.metrics import engine
from cascade.trainings.models import Training


class Command(BaseCommand):
    help = gettext_lazy("Print an institute's position among its region's institutes, and the region's first year.")

    def add_arguments(self, parser):
        parser.add_argument("training", help=_("key of the institute"))
        parser.add_argument("--json", action="store_true", help=_("print JSON"))

    def handle(self, *args, **options):
        training = Training.objects.select_related("country__region").filter(key=options["training"]).first()
        if training is None:
            raise CommandError(_("No training has the key “%s”.") % options["training"])
        try:
            result = engine.ordinal(training)
        except ValueError as error:
            raise CommandError(str(error)) from None
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        self.stdout.write(sentence(result))


def sentence(result: dict) -> str:
    """The result as one sentence in the active language.

    Kazakh and Kyrgyz say "the 16th of 16" with the possessive ending on the number
    (16-сы, 2-сі, 10-ы; 3-ү, 10-у), which depends on the number as read aloud, so the
    number comes already ended (``nth``) and no ending is glued in the translation.
    """
    place = result["region"]["name"] if result["region"] else result["country"]
    nth = suffix(result["ordinal"], get_language(), "possessive")
    if result["planned"]:
        return _("Planned: it will be institute %(ordinal)d in %(place)s since %(year)d") % {
            "ordinal": result["ordinal"], "place": place, "year": result["first_year"]}
    return _("Institute %(nth)s of %(of)d in %(place)s since %(year)d") % {
        "nth": nth, "of": result["of"], "place": place, "year": result["first_year"]}
