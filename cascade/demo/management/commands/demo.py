"""``cascade demo``: from an empty checkout to the demo network in a browser, in one command."""

import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from cascade.lib.commands import BaseCommand, CommandError
from django.utils.formats import number_format
from django.utils.translation import gettext as _, gettext_lazy

from cascade.demo import services
from cascade.demo.network import DEMO_SEED

DEFAULT_ADDRPORT = "127.0.0.1:8000"


class Command(BaseCommand):
    help = gettext_lazy(
        "Prepare the database, load the demo network if there are no trainings yet, "
        "print the demo login and serve the site."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true",
                            help=gettext_lazy("Do everything but start the web server."))
        parser.add_argument("--reset", action="store_true",
                            help=gettext_lazy("Delete all trainings, people, organisations, manuals and "
                                              "indicators first, then load the demo again."))
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive",
                            help=gettext_lazy("Do not ask for confirmation of --reset."))
        parser.add_argument("--addrport", default=DEFAULT_ADDRPORT,
                            help=gettext_lazy("Address and port to serve on (default %(default)s)."))
        parser.add_argument("--no-worker", action="store_true",
                            help=gettext_lazy("Do not start a background worker beside the web server "
                                              "(imports and reports then wait, and figures are computed on each page)."))
        parser.add_argument("--seed", type=int, default=DEMO_SEED, help=gettext_lazy("Random seed of the demo."))

    def handle(self, *args, no_serve, no_worker, reset, interactive, addrport, seed, verbosity, **options):
        quiet = max(verbosity - 1, 0)
        call_command("migrate", interactive=False, verbosity=quiet, stdout=self.stdout)
        if reset:
            self.confirm_reset(interactive)
            services.wipe_network()
        loaded = services.load_demo_if_empty(seed)
        if loaded is None:
            self.stdout.write(_("The database already has trainings; the demo network was not loaded."))
        else:
            self.stdout.write(self.style.SUCCESS(_("Loaded the demo network:")))
            for label, key in ((_("institutes"), "institutes"), (_("step-down trainings"), "step_downs"),
                               (_("people"), "people"), (_("organisations"), "organisations")):
                self.stdout.write(f"  {label}: {number_format(loaded[key])}")
        # The demo serves on this computer only: no compressed copies (half a minute on two cores).
        compress, settings.STATIC_COMPRESS = getattr(settings, "STATIC_COMPRESS", True), False
        try:
            call_command("collectstatic", interactive=False, verbosity=0)
        finally:
            settings.STATIC_COMPRESS = compress
        demo = services.is_demo_database()
        if demo:
            self.print_login(services.ensure_demo_login(), addrport)
        else:
            self.stdout.write(self.style.WARNING(_(
                "This database holds trainings that are not the demo's, so no demo login was made; "
                "create an account with 'cascade createsuperuser'.")))
        if not no_serve:
            # The demo's visitors have no authenticator app: offer the second factor, do not require it.
            settings.DEMO_MODE = settings.DEMO_MODE or demo
            worker = None if no_worker else self.start_worker(demo)
            try:
                call_command("runserver", addrport, "--insecure", use_reloader=False)
            finally:
                if worker is not None:
                    worker.terminate()
                    try:
                        worker.wait(timeout=10)
                    except subprocess.TimeoutExpired:
                        worker.kill()

    def start_worker(self, demo: bool):
        """``cascade worker`` beside the development server: jobs show their progress as in production."""
        environment = {**os.environ, **({"CASCADE_DEMO": "1"} if demo else {})}
        self.stdout.write(_("Background jobs: a worker runs beside the server (stop both with Ctrl+C)."))
        return subprocess.Popen([sys.executable, "-m", "cascade", "worker", "--verbosity", "0"], env=environment)

    def confirm_reset(self, interactive: bool) -> None:
        if not interactive:
            return
        answer = input(_("This deletes every training, person and organisation in the database. "
                         "Type 'yes' to go on: "))
        if answer.strip().lower() != "yes":
            raise CommandError(_("Nothing was deleted."))

    def print_login(self, login, addrport: str) -> None:
        host = addrport if ":" in addrport else f"127.0.0.1:{addrport}"
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(_("Demo staff login")))
        self.stdout.write(f"  {_('address')}:  http://{host}/")
        self.stdout.write(f"  {_('admin')}:    http://{host}/admin/")
        self.stdout.write(f"  {_('username')}: {login.username}")
        self.stdout.write(f"  {_('password')}: {login.password}")
        self.stdout.write(_("  (saved in %(path)s)") % {"path": login.path})
        self.stdout.write("")
