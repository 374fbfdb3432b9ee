from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _, gettext_lazy

from cascade.access import operator
from cascade.offline import servers, services


class Command(BaseCommand):
    help = "Import step-down reports collected offline with ODK Collect or KoboCollect."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        from_file = actions.add_parser("import", help=gettext_lazy("Import a KoboToolbox data export (API v2 JSON)."))
        from_file.add_argument("path", help=gettext_lazy("The .json export; attached photos beside it."))
        pull = actions.add_parser("pull", help=gettext_lazy("Fetch the submissions of a form from its server "
                                                            "and import them."))
        pull.add_argument("--kobo", default="", help=gettext_lazy("KoboToolbox address, e.g. https://kf.kobotoolbox.org "
                                                                  "(token in KOBO_TOKEN)."))
        pull.add_argument("--asset", default="", help=gettext_lazy("The form's asset UID in KoboToolbox."))
        pull.add_argument("--odk", default="", help=gettext_lazy(
            "ODK Central address (ODK_CENTRAL_EMAIL and ODK_CENTRAL_PASSWORD, or ODK_CENTRAL_TOKEN)."))
        pull.add_argument("--project", default="", help=gettext_lazy("The project number in ODK Central."))
        pull.add_argument("--form", default="", help=gettext_lazy("The form ID in ODK Central."))

    def handle(self, *args, action, **options):
        try:
            if action == "import":
                path = Path(options["path"])
                if not path.is_file():
                    raise CommandError(_("%(path)s does not exist.") % {"path": path})
                records, photos = servers.read_export(path), servers.photos_beside(path)
            elif options["kobo"]:
                if not options["asset"]:
                    raise CommandError(_("Give the form's asset UID with --asset."))
                records = servers.kobo_records(options["kobo"], options["asset"])
                photos = servers.kobo_photo(servers.kobo_headers())
            elif options["odk"]:
                if not options["project"] or not options["form"]:
                    raise CommandError(_("Give the project number with --project and the form ID with --form."))
                headers = servers.odk_headers(options["odk"])
                records = servers.odk_records(options["odk"], options["project"], options["form"], headers)
                photos = servers.odk_photo(options["odk"], options["project"], options["form"], headers)
            else:
                raise CommandError(_("Say where to pull from: --kobo URL --asset UID, or --odk URL --project N "
                                     "--form ID."))
        except (ValueError, servers.ServerError) as error:
            raise CommandError(str(error)) from None
        outcome = services.import_records(operator(), records, photos)
        self.stdout.write(_("Step-downs created: %(n)s; updated: %(u)s; unchanged: %(same)s; refused: %(r)s.") % {
            "n": len(outcome.created), "u": len(outcome.updated), "same": len(outcome.unchanged),
            "r": len(outcome.refused)})
        for root, reason in outcome.refused:
            self.stdout.write(_("Refused %(submission)s: %(reason)s") % {"submission": root, "reason": reason})
        if outcome.refused:
            raise SystemExit(1)
