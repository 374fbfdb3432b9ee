"""``cascade story TRAINING_KEY --lang en [--format text|html|docx|pdf] [--output FILE]``."""

from pathlib import Path

from cascade.lib.commands import BaseCommand, CommandError
from django.utils.translation import gettext as _, gettext_lazy

from cascade.metrics.filters import FilterError
from cascade.stories import services


class Command(BaseCommand):
    help = gettext_lazy("Write the story of a training from the data, in one of the story languages.")

    def add_arguments(self, parser):
        parser.add_argument("training", help=gettext_lazy("The training's key, such as shymkent-2019."))
        parser.add_argument("--lang", default="en", choices=services.STORY_LANGUAGES)
        parser.add_argument("--format", default="text", choices=tuple(services.FORMATS))
        parser.add_argument("--output", type=Path, help=gettext_lazy("Write to this file (needed for docx and pdf)."))

    def handle(self, *args, training, lang, format, output, **options):
        if format in ("docx", "pdf") and output is None:
            raise CommandError(_("--output FILE is needed for the %(format)s format.") % {"format": format})
        try:
            found = services.find_training(training)
            text, _facts = services.write(found, lang)
            data = services.export(found, text, lang, format)
        except (services.StoryError, FilterError) as error:
            raise CommandError(str(error))
        if output is None:
            self.stdout.write(data.decode("utf-8"), ending="")
            return
        output.write_bytes(data)
        self.stderr.write(_("Wrote %(file)s.") % {"file": output})
