"""Lists people can work with: every column sorts, pages above and below, a download of exactly the rows.

A download holds the rows of every page of the list, in its sort, with its columns and the values
the page shows: ranges for donors, never a name for them, and text a spreadsheet would run written
as text.
"""

import csv
import html
import datetime
import io
import re

import openpyxl
import pytest
from django.urls import reverse

from cascade.audit.models import AuditEntry
from cascade.network.models import Person

pytestmark = pytest.mark.django_db

LISTS = ["web:trainings", "web:people", "web:partners"]


@pytest.fixture
def demo(demo_network, db):
    """The demo network, built once for the module (tests/conftest.py)."""
    return demo_network


def read_csv(response) -> list[list[str]]:
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte-order mark, for Excel"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def read_xlsx(response) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def first_column_of_every_page(client, url, params) -> list[str]:
    """The link texts of the first column, page after page, as a reader pages through the list."""
    found, number = [], 1
    while True:
        response = client.get(url, {**params, "page": number})
        found += [str(row) for row in response.context["page"]]
        if not response.context["page"].has_next():
            return found
        number += 1


def cell_texts(page: str) -> list[list[str]]:
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [[html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)] for r in rows]


# --- Sorting ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", LISTS)
def test_every_column_sorts_both_ways_and_an_unknown_key_is_ignored(client, alice, demo, name):
    client.force_login(alice)
    url = reverse(name)
    plain = client.get(url)
    headers = plain.context["listing"].headers
    assert [h for h in headers if h["sortable"]] == headers, "every column of the page sorts"
    for header in headers:
        for sort in (header["key"], "-" + header["key"]):
            response = client.get(url, {"sort": sort})
            assert response.status_code == 200, sort
            listing = response.context["listing"]
            assert (listing.sort, listing.descending) == (header["key"], sort.startswith("-"))
            active = next(h for h in listing.headers if h["active"])
            assert active["aria"] == ("descending" if sort.startswith("-") else "ascending")
            assert f'aria-sort="{active["aria"]}"' in response.content.decode()
    for junk in ("no-such-column", "-", "--name", "pk", "title;drop"):
        response = client.get(url, {"sort": junk})
        assert response.status_code == 200
        assert [str(r) for r in response.context["page"]] == [str(r) for r in plain.context["page"]]


def test_sorting_follows_the_column_and_keeps_the_filters(client, alice, demo):
    client.force_login(alice)
    url = reverse("web:trainings")
    response = client.get(url, {"country": "KG", "sort": "-people"})
    rows = list(response.context["page"])
    reach = [t.reach_shown for t in rows if t.status == "held"]
    assert reach == sorted(reach, reverse=True)
    dates = [t.start_date for t in client.get(url, {"country": "KG", "sort": "dates"}).context["page"]]
    assert dates == sorted(dates)
    # the header links, the pages and the downloads keep the filters and the sort
    headers = response.context["listing"].headers
    assert all("country=KG" in h["url"] for h in headers)
    people = next(h for h in headers if h["key"] == "people")
    assert "sort=people" in people["url"]  # a second click turns the order round
    assert "sort=-people" in response.context["listing"].csv_url
    assert 'name="sort" value="-people"' in response.content.decode()  # the filter form keeps it


def test_a_donor_sorts_people_by_range_only(client, erin, demo):
    """Sorted by people, a reader of ranges sees the trainings of one range in the tie-breaker's
    order, so the order tells no more than the ranges."""
    client.force_login(erin)
    url = reverse("web:trainings")
    rows = [t for t in first_column_rows(client, url, {"sort": "-people", "kind": "step-down"}) if t.status == "held"]
    by_range = {}
    for training in rows:
        by_range.setdefault(training.reach_shown, []).append(training)
    for same in by_range.values():
        keys = [t.key for t in same]
        assert keys == sorted(keys), "within a range: the tie-breaker, not the exact count"


def first_column_rows(client, url, params):
    found, number = [], 1
    while True:
        response = client.get(url, {**params, "page": number})
        found += list(response.context["page"])
        if not response.context["page"].has_next():
            return found
        number += 1


# --- Pages -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", LISTS)
def test_the_pages_are_linked_above_and_below_the_list(client, alice, demo, name):
    client.force_login(alice)
    response = client.get(reverse(name), {"page": 2} if name == "web:trainings" else {})
    html = response.content.decode()
    assert html.count('class="pager"') == 2
    table = html.index("<table")
    assert html.index('class="pager"') < table < html.rindex('class="pager"')
    if response.context["page"].has_next():
        assert html.count('rel="next"') == 2


# --- Downloads: exactly the rows of every page --------------------------------------------------


@pytest.mark.parametrize("name,params", [
    ("web:trainings", {"country": "KG", "sort": "-people"}),
    ("web:trainings", {}),
    ("web:people", {"sort": "-place"}),
    ("web:partners", {"kind": "all", "sort": "-hosted"}),
])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_download_holds_the_rows_of_every_page_in_the_pages_order(client, alice, demo, name, params, fmt):
    client.force_login(alice)
    url = reverse(name)
    shown = first_column_of_every_page(client, url, params)
    response = client.get(url, {**params, "format": fmt})
    assert response.status_code == 200
    assert re.fullmatch(rf'attachment; filename="cascade-{name[4:]}-\d{{4}}-\d\d-\d\d\.{fmt}"',
                        response["Content-Disposition"])
    rows = read_csv(response) if fmt == "csv" else read_xlsx(response)
    header, body = rows[0], rows[1:]
    columns = client.get(url, params).context["listing"].columns
    labels = [str(c.heading or c.label) for c in columns if c.shown]
    assert [h for h in header if h in labels] == labels, "the page's columns, in its order"
    if name == "web:partners":
        assert [r[0] for r in body] == [o.name_in() for o in first_column_rows(client, url, params)]
    else:
        assert [r[0] for r in body] == shown
    assert len(body) == client.get(url, params).context["listing"].count


def test_the_download_writes_the_values_the_page_shows(client, alice, demo):
    client.force_login(alice)
    url = reverse("web:trainings")
    params = {"country": "KG"}
    page = cell_texts(client.get(url, params).content.decode())
    rows = read_csv(client.get(url, {**params, "format": "csv"}))[1:]
    for shown, written in zip(page, rows):
        assert shown[0] == written[0] and shown[3] == written[4] and shown[4] == written[5]
        assert shown[5].replace(",", "") == (written[6] or "–")
    book = read_xlsx(client.get(url, {**params, "format": "xlsx"}))
    assert isinstance(book[1][2], datetime.datetime), "dates are dates to a spreadsheet"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_donor_downloads_the_ranges_she_reads_and_no_name(client, erin, demo, fmt):
    client.force_login(erin)
    url = reverse("web:trainings")
    rows = first_column_rows(client, url, {})
    response = client.get(url, {"format": fmt})
    body = (read_csv(response) if fmt == "csv" else read_xlsx(response))[1:]
    people = [r[6] for r in body]
    assert [("" if fmt == "csv" else None) if t.status != "held" else
            (t.reach_shown if isinstance(t.reach_shown, str) or fmt == "xlsx" else str(t.reach_shown))
            for t in rows] == people
    assert not any(isinstance(v, int) and 0 < v < 5 for v in people)
    assert all(isinstance(v, str) for v in people if v), "ranges, never a count"
    text = response.content.decode("utf-8", "replace") if fmt == "csv" else str(body)
    for person in Person.objects.exclude(full_name=""):
        assert person.full_name not in text
    # the people list is not hers, neither page nor file
    assert client.get(reverse("web:people"), {"format": fmt}).status_code == 403


def test_a_trainer_reads_her_people_but_takes_no_list_of_them_away(client, demo, dave):
    client.force_login(dave)
    page = client.get(reverse("web:people"))
    assert page.status_code == 200 and "data-downloads" not in page.content.decode()
    assert client.get(reverse("web:people"), {"format": "csv"}).status_code == 403
    assert client.get(reverse("web:trainings"), {"format": "csv"}).status_code == 200


def test_headers_are_in_the_pages_language_and_a_right_to_left_sheet_reads_right_to_left(client, alice, demo):
    client.force_login(alice)
    response = client.get(reverse("web:trainings"), {"format": "xlsx"}, HTTP_ACCEPT_LANGUAGE="ar")
    client.cookies.load({"django_language": "ar"})
    response = client.get("/trainings/", {"format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    from django.utils import translation

    with translation.override("ar"):
        from django.utils.translation import gettext

        assert sheet["A1"].value == gettext("Training")
    assert sheet.sheet_view.rightToLeft


def test_every_download_is_audited_without_a_name(client, alice, demo):
    client.force_login(alice)
    client.get(reverse("web:people"), {"q": "Aigul", "sort": "-name", "format": "csv"})
    entry = AuditEntry.objects.get(action="cascade.lists.downloaded")
    assert entry.details["list"] == "people" and entry.details["format"] == "csv"
    assert entry.details["filters"] == {"q": "(searched)", "sort": "-name"}
    assert "Aigul" not in str(entry.details) and entry.user == alice
