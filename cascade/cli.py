"""The ``cascade`` command: Django's management commands plus the project's own.

``cascade demo``, ``cascade import``, ``cascade stats --json`` and the rest are
management commands in the domain apps; this entry point only sets up Django.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cascade.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        settings.INSTALLED_APPS  # loads the settings: a setting Cascade cannot use is one line, not a traceback
    except ImproperlyConfigured as error:
        sys.exit(f"cascade: {error}")
    from cascade.audit import actor

    token = actor.at_command_line()  # the audit log names the account that ran an export or an erasure
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["cascade", *(sys.argv[1:] if argv is None else argv)])
    finally:
        actor.done(token)


if __name__ == "__main__":
    main()
