"""The donor report from the dashboard: the dashboard's filters, small counts hidden, logged."""

import io

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cascade.audit.models import AuditEntry


def cells(response):
    workbook = load_workbook(io.BytesIO(response.content))
    return [str(cell.value) for sheet in workbook for row in sheet.iter_rows() for cell in row
            if cell.value is not None]


def test_the_dashboard_links_the_report_with_its_filters(admin_client, network):
    page = admin_client.get(reverse("web:dashboard"), {"country": "KZ"}).content.decode()
    assert reverse("stories:report", args=["xlsx"]) + "?country=KZ" in page


def test_a_donor_downloads_the_report_with_small_counts_hidden(client, erin, network):
    client.force_login(erin)
    response = client.get(reverse("stories:report", args=["xlsx"]), {"region": "143"})
    assert response.status_code == 200
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="cascade-report_region-143_{today}.xlsx"'
    values = cells(response)
    # two trainings are too few to count their people for a donor: every such count is hidden
    assert "*" in values and "3" not in values and "15" not in values
    assert not any("Aigul" in value or "Dana" in value for value in values)
    entry = AuditEntry.objects.get(action="cascade.report.exported")
    assert entry.username == "erin" and entry.details == {"format": "xlsx", "filters": {"region": "143"}}


def test_the_report_comes_as_docx_and_pdf(admin_client, network):
    docx = admin_client.get(reverse("stories:report", args=["docx"]))
    pdf = admin_client.get(reverse("stories:report", args=["pdf"]))
    assert docx.content[:2] == b"PK" and pdf.content[:5] == b"%PDF-"


def test_a_period_that_ends_before_it_starts_is_refused_by_name(admin_client, network):
    response = admin_client.get(reverse("stories:report", args=["pdf"]),
                                {"since": "2019-12-31", "until": "2019-01-01"})
    assert response.status_code == 400
    assert "Until: The end of the period is before its start." in response.content.decode()
    assert not AuditEntry.objects.filter(action="cascade.report.exported").exists()


def test_an_unknown_format_is_not_found_and_strangers_sign_in_first(client, admin_client, network):
    assert admin_client.get(reverse("stories:report", args=["csv"])).status_code == 404
    client.logout()
    response = client.get(reverse("stories:report", args=["pdf"]))
    assert response.status_code == 302 and "/accounts/" in response["Location"]
