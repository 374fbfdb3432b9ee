import io

from django.core.management import call_command
from openpyxl import load_workbook

from cascade.lib.pseudonyms import pseudonym
from cascade.audit.models import AuditEntry


def workbook_text(path):
    book = load_workbook(path, read_only=True)
    return "\n".join(str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row)


def test_a_pseudonymised_export_holds_no_name_or_contact_and_is_audited(network, tmp_path):
    path = tmp_path / "evaluators.xlsx"
    out = io.StringIO()
    call_command("export", str(path), "--pseudonymise", stdout=out)
    assert "pseudonyms, without names or contacts" in out.getvalue() and "holds names" not in out.getvalue()
    text = workbook_text(path)
    for secret in ("Gulnara", "Aigul", "gulnara@example.org", "700 111", "aigul"):
        assert secret not in text
    assert pseudonym("person", "aigul") in text
    assert AuditEntry.objects.filter(action="cascade.export.pseudonymised").exists()


def test_pseudonyms_are_the_same_in_two_exports(network, tmp_path):
    for name in ("a.xlsx", "b.xlsx"):
        call_command("export", str(tmp_path / name), "--pseudonymise", stdout=io.StringIO())
    assert workbook_text(tmp_path / "a.xlsx") == workbook_text(tmp_path / "b.xlsx")


def test_a_named_export_is_audited_too(network, tmp_path):
    call_command("export", str(tmp_path / "named.xlsx"), stdout=io.StringIO())
    assert AuditEntry.objects.filter(action="cascade.export.written").exists()
