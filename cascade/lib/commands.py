"""A management command base whose help text may be translated (``gettext_lazy``).

argparse needs a plain string for a parser's description; the text is resolved
when the parser is built, in the language active then.
"""

from django.core.management.base import BaseCommand as DjangoBaseCommand
from django.core.management.base import CommandError  # noqa: F401  (one import for commands)


class BaseCommand(DjangoBaseCommand):
    def create_parser(self, prog_name, subcommand, **kwargs):
        self.help = str(self.help)
        return super().create_parser(prog_name, subcommand, **kwargs)
