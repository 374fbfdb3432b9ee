import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cascade.access import operator
from cascade.access.services import erase_person
from cascade.network.models import Person


class Command(BaseCommand):
    help = _("Erase a person's name, contacts and photos; her trainings keep their counts.")

    def add_arguments(self, parser):
        parser.add_argument("person_key", help=_("The person's key, as in the spreadsheets."))
        parser.add_argument("--reason", default="", help=_("Why, for the audit log (e.g. 'her request of 3 May')."))
        parser.add_argument("--yes", action="store_true", help=_("Do not ask for confirmation."))

    def handle(self, *args, person_key, reason, yes, **options):
        person = Person.objects.filter(key=person_key).first()
        if person is None:
            raise CommandError(_("No person has the key “%(key)s”.") % {"key": person_key})
        if person.erased_at:
            raise CommandError(_("“%(key)s” was already erased.") % {"key": person_key})
        if not yes:
            if not sys.stdin.isatty():
                raise CommandError(_("Nothing erased: confirm with --yes when no one is at the keyboard."))
            if input(_("Erase %(name)s for good? Type yes: ") % {"name": person}) != "yes":
                raise CommandError(_("Nothing erased."))
        summary = erase_person(person, operator(), reason=reason or "command line")
        self.stdout.write(_("Erased. Photos removed: %(photos)d; participations kept, anonymised: %(kept)d. "
                            "Her record's key is now %(key)s.")
                          % {"photos": summary["photos_removed"], "kept": summary["participations_kept"],
                             "key": summary["key"]})
