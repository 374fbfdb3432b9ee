"""``cascade serve``: the production web server, gunicorn, in front of Cascade.

Gunicorn's own application class runs it (a master process and N worker processes);
nothing of the server is ours but its options. Before it starts: the static files are
collected (hashed, compressed names for WhiteNoise) and the database must be migrated,
or it refuses in one line. Each request goes to the access log on stdout, without its
query string (a search for a name would otherwise write the name into the log).
"""

import os
import re

from django.core.management import call_command
from django.db import DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from gunicorn.app.base import BaseApplication

from cascade.lib.commands import BaseCommand, CommandError

DEFAULT_BIND = "127.0.0.1:8000"
#: Each worker holds the whole application (some 150 MB): more than this seldom helps one machine.
MAX_DEFAULT_WORKERS = 8
# Who, when, what path, the answer, its size and the time it took; no query string, referrer or browser.
ACCESS_LOG_FORMAT = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'

_HOST_PORT = re.compile(r"^(?P<host>\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.\-]+):(?P<port>\d+)$")


def parse_bind(value: str) -> str:
    """``HOST:PORT`` (IPv6 in brackets) or ``unix:/path/to/socket``, checked; returned as gunicorn reads it."""
    if value.startswith("unix:"):
        if not value[len("unix:"):].startswith("/"):
            raise ValueError(_("a Unix socket is written unix:/absolute/path.sock"))
        return value
    match = _HOST_PORT.match(value)
    if match is None:
        raise ValueError(_("write it as HOST:PORT, for example 127.0.0.1:8000, [::1]:8000 or "
                           "unix:/run/cascade/cascade.sock"))
    if not 1 <= int(match["port"]) <= 65535:
        raise ValueError(_("the port must be between 1 and 65535"))
    return value


def default_workers() -> int:
    """``CASCADE_WORKERS`` if set, otherwise gunicorn's advice (2 per core, plus 1), at most 8."""
    if os.environ.get("CASCADE_WORKERS"):
        return int(os.environ["CASCADE_WORKERS"])
    return min(2 * (os.cpu_count() or 1) + 1, MAX_DEFAULT_WORKERS)


def unapplied_migrations(database: str = "default") -> list[str]:
    connection = connections[database]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


class Server(BaseApplication):
    """Gunicorn's application class, given its settings here instead of a file or its own command line."""

    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from cascade.wsgi import application

        return application


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = gettext_lazy("Serve Cascade with gunicorn (the production web server): collect the static "
                        "files, check that the database is migrated, then serve until stopped.")
    requires_system_checks = []  # checked in handle, once, with the database's state

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("CASCADE_BIND", DEFAULT_BIND),
                            help=gettext_lazy("HOST:PORT or unix:/path.sock to listen on (default "
                                              "%(default)s, or CASCADE_BIND)."))
        parser.add_argument("--workers", type=_positive, default=None,
                            help=gettext_lazy("Worker processes (default CASCADE_WORKERS, or 2 per core "
                                              "plus 1, at most 8)."))
        parser.add_argument("--timeout", type=_positive, default=int(os.environ.get("CASCADE_TIMEOUT", 120)),
                            help=gettext_lazy("Seconds a request may take before its worker is restarted "
                                              "(default %(default)s, or CASCADE_TIMEOUT)."))
        parser.add_argument("--max-requests", type=int, default=1000,
                            help=gettext_lazy("Restart a worker after this many requests, 0 never "
                                              "(default %(default)s)."))
        parser.add_argument("--no-collectstatic", action="store_false", dest="collectstatic",
                            help=gettext_lazy("Do not collect the static files first (they were collected "
                                              "at installation)."))

    def handle(self, *args, bind, workers, timeout, max_requests, collectstatic, verbosity, **options):
        try:
            bind = parse_bind(bind)
        except ValueError as error:
            raise CommandError(_("--bind %(value)s: %(reason)s.") % {"value": bind, "reason": error}) from None
        self.check(display_num_errors=False)
        try:
            pending = unapplied_migrations()
        except DatabaseError as error:
            raise CommandError(_("The database cannot be reached: %(reason)s") % {
                "reason": str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__}) from None
        if pending:
            raise CommandError(_("The database is not up to date (%(count)d migrations not applied, the "
                                 "first %(first)s): run `cascade migrate`, then start again.")
                               % {"count": len(pending), "first": pending[0]})
        if collectstatic:
            call_command("collectstatic", interactive=False, verbosity=0)
        # The workers are forked from this process: none may share its database connection.
        connections.close_all()
        workers = workers or default_workers()
        if verbosity:
            self.stdout.write(_("Serving Cascade on %(bind)s with %(workers)d workers.") % {
                "bind": bind, "workers": workers})
            self.stdout.flush()
        Server({
            "bind": [bind],
            "workers": workers,
            "worker_class": "sync",
            "timeout": timeout,
            "graceful_timeout": 30,
            "max_requests": max_requests,
            "max_requests_jitter": max_requests // 10,
            "accesslog": "-",
            "access_log_format": ACCESS_LOG_FORMAT,
            "errorlog": "-",
            "loglevel": "info",
            "proc_name": "cascade",
            "control_socket_disable": True,  # no socket in the service user's home
        }).run()
