"""The spreadsheet workflows that the commands, the admin page and its background jobs call.

Each takes its actor and checks it (``access.require``): network admins (and the
operator at the command line) import for the whole network, partner staff only
their partner's rows (``access.import_scope``: other rows are refused, each with
its reason); a named export is for admins and partner staff, each within what she
may see. ``importer`` and ``exporter`` do the work and trust their caller.
"""

from collections.abc import Iterator
from pathlib import Path

from django.utils.translation import gettext as _

from cascade.access import import_scope, is_operator, require
from cascade.audit import services as audit
from cascade.ops.files import file_to_write
from cascade.spreadsheets import exporter, importer
from cascade.spreadsheets.exporter import write_template  # noqa: F401  (no data: an empty workbook)
from cascade.spreadsheets.importer import ImportResult, Problem  # noqa: F401


def import_workbook(path, actor, dry_run: bool = False, progress=None, changes_to=None,
                    include_hidden: bool = False) -> ImportResult:
    """Check (and unless ``dry_run``, import) the workbook, folder or zip at ``path``; all or nothing.

    ``progress`` (a :class:`cascade.jobs.progress.Progress`) hears how far it is: a job's page, a terminal.
    ``changes_to()`` names the .xlsx that lists every row to create, change or leave alone.
    Hidden sheets and rows are left out (and listed as warnings) unless ``include_hidden``.
    """
    require("spreadsheets.import", actor)
    result = importer.import_workbook(path, dry_run=dry_run, progress=progress, scope=import_scope(actor),
                                      changes_to=changes_to, include_hidden=include_hidden, actor=actor)
    if not dry_run:
        _log_import(actor, result)
    return result


def import_in_steps(path, actor, dry_run: bool = False, include_hidden: bool = False
                    ) -> tuple[Iterator[str], ImportResult]:
    """The same import as lines of progress (the admin's page when no worker runs); complete once they end."""
    require("spreadsheets.import", actor)
    steps, result = importer.import_in_steps(path, dry_run=dry_run, scope=import_scope(actor),
                                             include_hidden=include_hidden, actor=actor)

    def logged():
        yield from steps
        if not dry_run:
            _log_import(actor, result)

    return logged(), result


def _log_import(actor, result: ImportResult) -> None:
    if result.ok:
        audit.log("cascade.spreadsheet.imported", actor, None,
                  counts={sheet: dict(counts) for sheet, counts in result.counts.items()})


def export_workbook(path, actor, pseudonymise: bool = False, progress=None) -> dict[str, int]:
    """Everything ``actor`` may see (everything for the operator, who holds the database anyway)."""
    require("spreadsheets.export", actor)
    return exporter.export_workbook(path, user=None if is_operator(actor) else actor, pseudonymise=pseudonymise,
                                    progress=progress)


def check_export_target(path) -> Path:
    """The workbook to write, or a clear error naming what is wrong with the path (said before any work)."""
    return file_to_write(
        path, ExportError,
        _("%(path)s is a folder: give the name of the workbook to write, for example %(example)s."),
        "cascade-export.xlsx",
        _("The folder %(folder)s does not exist: create it first, or write the workbook somewhere else."))


class ExportError(ValueError):
    pass
