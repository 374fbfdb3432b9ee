"""The lists of calls and of a call's applications sort by every column and download as CSV and XLSX."""

import pytest
from django.urls import reverse

from cascade.audit.models import AuditEntry
from tests.web.test_lists import read_csv, read_xlsx

pytestmark = pytest.mark.django_db


# --- Calls and their applications ----------------------------------------------------------------


def test_calls_and_applications_sort_and_download(client, submitted, people):
    call, application = submitted
    client.force_login(people["bob"])
    for name, args in (("selection:call-list", []), ("selection:application-list", [call.pk])):
        url = reverse(name, args=args)
        for header in client.get(url).context["listing"].headers:
            for sort in (header["key"], "-" + header["key"]):
                assert client.get(url, {"sort": sort}).status_code == 200, (name, sort)
    url = reverse("selection:application-list", args=[call.pk])
    rows = read_csv(client.get(url, {"format": "csv"}))
    assert rows[1][:2] == [str(application.pk), "Aigerim Nurlanova"]
    assert read_xlsx(client.get(url, {"format": "xlsx"}))[1][1] == "Aigerim Nurlanova"
    entry = AuditEntry.objects.filter(action="cascade.lists.downloaded").last()
    assert entry.object_id == str(call.pk) and "Aigerim" not in str(entry.details)
    # a reviewer reads applications on the review pages, not this list; a donor not at all
    for who in ("rita", "erin", "carol"):
        client.force_login(people[who])
        assert client.get(url, {"format": "csv"}).status_code in (403, 404), who
    client.force_login(people["erin"])
    assert client.get(reverse("selection:call-list"), {"format": "csv"}).status_code == 200
