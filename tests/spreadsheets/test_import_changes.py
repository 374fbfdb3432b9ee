"""What an import changes: rows to create, to change (each field old → new), unchanged; only the first two written."""

import io
import re

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cascade.access import operator
from cascade.jobs.models import Job
from cascade.network.models import Membership, Person
from cascade.spreadsheets import importer, services
from cascade.spreadsheets.compare import SAMPLE
from cascade.trainings.models import Participation, Training

from .conftest import HEADERS, all_counts, linked_sheets, small_network
from .test_admin_page import zipped

pytestmark = pytest.mark.django_db

WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


def whole_network():
    return {**small_network(), **linked_sheets()}


def writes_of(queries) -> list[str]:
    return [query["sql"] for query in queries if WRITES.match(query["sql"])]


def changes(result, sheet, action):
    return [(row.key, row.fields) for row in result.changes.samples[sheet][action]]


def test_re_importing_an_unchanged_workbook_writes_nothing_and_leaves_the_figures_alone(write_csv, monkeypatch):
    path = write_csv(whole_network())
    assert importer.import_workbook(path).ok
    before = all_counts()
    stale = []
    monkeypatch.setattr(importer, "_figures_are_stale", lambda: stale.append(True))

    with CaptureQueriesContext(connection) as queries:
        result = importer.import_workbook(path)

    assert result.ok, result.errors
    assert writes_of(queries.captured_queries) == []
    assert stale == []  # no recompute of the figures is scheduled
    assert all_counts() == before
    assert {sheet: counts["created"] + counts["changed"] for sheet, counts in result.counts.items()} == dict.fromkeys(
        ["organizations", "people", "manuals", "trainings", "memberships", "manual_sessions", "editions", "sessions",
         "participants"], 0)
    assert result.counts["people"] == {"created": 0, "changed": 0, "unchanged": 3}
    assert result.counts["participants"] == {"created": 0, "changed": 0, "unchanged": 4}
    assert "people: 0 rows created, 0 changed, 3 unchanged" in result.summary()


def test_a_check_reports_each_changed_field_old_to_new_and_the_import_writes_only_those_rows(write_csv, monkeypatch):
    assert importer.import_workbook(write_csv(whole_network())).ok
    sheets = whole_network()
    sheets["people"][1][4] = "Almaty"  # p-aigul moves
    sheets["people"][2][5] = "swrc"  # p-nino joins SWRC
    sheets["trainings"][2][4] = "2019-03-03"  # sd-1 gets an end date
    sheets["participants"][1][3] = "no"  # inst-2019 / p-aigul: yes -> no
    sheets["memberships"][1][2] = "Director"
    sheets["sessions"][3][6] = "p-aigul"  # sd-1's first session: p-nino no longer facilitates
    sheets["people"].append(["p-dana", "Dana New", "woman", "KZ", "", "", "", ""])
    path = write_csv(sheets, folder="second")

    check = importer.import_workbook(path, dry_run=True)

    assert check.ok, check.errors
    assert check.counts["people"] == {"created": 1, "changed": 2, "unchanged": 1}
    assert changes(check, "people", "changed") == [
        ("p-aigul", [("city", "Shymkent", "Almaty")]),
        ("p-nino", [("organization", "", "swrc")]),
    ]
    assert changes(check, "people", "created")[0][0] == "p-dana"
    assert ("full_name", "", "Dana New") in changes(check, "people", "created")[0][1]
    assert changes(check, "trainings", "changed") == [("sd-1", [("end_date", "", "2019-03-03")])]
    assert changes(check, "participants", "changed") == [
        ("inst-2019 / p-aigul / participant", [("completed", "yes", "no")])]
    assert changes(check, "memberships", "changed") == [
        ("p-aigul / swrc", [("title", "en: President; ru: Президент", "en: Director; ru: Президент")])]
    assert changes(check, "sessions", "changed") == [("sd-1 / 1", [("facilitators", "p-aigul; p-nino", "p-aigul")])]
    assert check.counts["organizations"] == {"created": 0, "changed": 0, "unchanged": 2}

    unchanged_before = Person.objects.get(key="p-arman")
    with CaptureQueriesContext(connection) as queries:
        done = importer.import_workbook(path)

    assert done.ok and done.counts == check.counts
    assert Person.objects.get(key="p-aigul").city == "Almaty"
    assert Person.objects.get(key="p-nino").organization.key == "swrc"
    assert Participation.objects.get(person__key="p-aigul", training__key="inst-2019").completed is False
    assert Membership.objects.get(person__key="p-aigul").title == {"en": "Director", "ru": "Президент"}
    assert Training.objects.get(key="sd-1").end_date.isoformat() == "2019-03-03"
    written = " ".join(writes_of(queries.captured_queries))
    assert "network_organization" not in written.lower().replace('"', "")  # unchanged sheets: not a statement
    assert Person.objects.get(key="p-arman").city == unchanged_before.city


def test_a_check_shows_the_first_rows_and_the_downloadable_file_lists_every_row(
        client, alice, write_csv, worker_running, run_jobs, upload_folder):
    sheets = small_network()
    sheets["people"] += [[f"p-{i:02}", f"Person {i}", "", "KZ", "", "", "", ""] for i in range(45)]
    client.force_login(alice)

    response = client.post("/import/", {"file": zipped(write_csv(sheets))})
    check = Job.objects.get(kind="spreadsheet-check")
    assert response.url == reverse("jobs:detail", args=[check.pk])
    run_jobs()
    page = client.get(response.url).content.decode()

    assert "people: 48 rows to create, 0 to change, 0 unchanged" in page
    assert f"48 rows to create (the first {SAMPLE}; the file has them all)" in page
    assert page.count("<td>p-") == SAMPLE  # the first rows of the people sheet, by key
    assert 'action="/import/confirm/"' in page
    download = client.get(reverse("jobs:result", args=[check.pk]))
    assert download.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)), read_only=True)
    rows = list(book["people"].iter_rows(values_only=True))
    assert rows[0] == ("row", "key", "change", "column", "before", "after")
    assert len(rows) == 1 + 48 and {row[2] for row in rows[1:]} == {"create"}
    assert rows[1][:3] == (2, "p-aigul", "create") and "full_name: Aigul Testova" in rows[1][5]
    assert len(list(book["participants"].iter_rows())) == 1 + 4


def test_partner_staff_import_their_partners_trainings_and_are_refused_others_row_by_row(
        client, bob, carol, partners, write_csv, worker_running, run_jobs, upload_folder):
    # Bir Duino's training and participant, already in Cascade
    other = Training.objects.create(key="bd-2020", title={"en": "Bishkek institute"}, kind="institute",
                                    start_date="2020-05-01", country_id="KG", host=partners["birduino"])
    stranger = Person.objects.create(key="p-kg", full_name="Aizada Secret", email="aizada@example.org")
    Participation.objects.create(training=other, person=stranger, role="participant", completed=True)
    sheets = {
        "people": [HEADERS["people"],
                   ["p-new", "New Person", "woman", "KZ", "", "swrc", "", ""],
                   ["p-kg", "Aizada Renamed", "woman", "KG", "", "", "", ""]],
        "trainings": [HEADERS["trainings"],
                      ["swrc-2021", "Shymkent 2021", "institute", "2021-02-01", "2021-02-03", "KZ", "Shymkent",
                       "swrc", "", "ru", "", "", "", "", ""],
                      ["bd-2020", "Bishkek institute, renamed", "institute", "2020-05-01", "", "KG", "",
                       "bir-duino", "", "", "", "", "", "", ""],
                      ["bd-2021", "Someone else's", "institute", "2021-06-01", "", "KG", "",
                       "bir-duino", "", "", "", "", "", "", ""]],
        "participants": [HEADERS["participants"],
                         ["swrc-2021", "p-new", "participant", "yes"],
                         ["bd-2020", "p-new", "participant", "yes"]],
    }
    client.force_login(bob)

    client.post("/import/", {"file": zipped(write_csv(sheets))})
    run_jobs()
    check = Job.objects.get(kind="spreadsheet-check")
    page = client.get(reverse("jobs:detail", args=[check.pk])).content.decode()

    assert check.result["error_count"] == 4
    errors = {(e["sheet"], e["row"], e["column"]): e["message"] for e in check.result["errors"]}
    assert errors[("people", 3, None)].startswith("This person is not among the people you see")
    assert errors[("trainings", 3, None)].startswith("This training is not one of Shymkent Women's Resource Center's")
    assert errors[("trainings", 4, None)].startswith("Host or co-organise this training as Shymkent Women's")
    assert errors[("participants", 3, "training")].startswith("This training is not one of")
    assert "Aizada Secret" not in page and "aizada@example.org" not in page  # her details stay hidden
    assert 'action="/import/confirm/"' not in page and not check.result_file
    assert not Training.objects.filter(key__in=["swrc-2021", "bd-2021"]).exists()

    # Her own partner's rows alone import, and the result links to the training created.
    for name, keep in (("people", 2), ("trainings", 2), ("participants", 2)):
        sheets[name] = sheets[name][:keep]
    client.post("/import/", {"file": zipped(write_csv(sheets, folder="own"))})
    run_jobs()
    check = Job.objects.filter(kind="spreadsheet-check").latest("created_at")
    assert check.result["ok"], check.result["errors"]
    confirmed = client.post("/import/confirm/", {"job": str(check.pk)})
    run_jobs()
    imported = Job.objects.get(kind="spreadsheet-import")
    assert imported.state == Job.State.DONE, imported.error
    created = Training.objects.get(key="swrc-2021")
    page = client.get(confirmed.url).content.decode()
    assert f'href="/trainings/{created.pk}/"' in page and 'href="/trainings/"' in page
    assert Participation.objects.filter(training=created, person__key="p-new").exists()

    # Carol, of Bir Duino, may not change SWRC's new training
    client.force_login(carol)
    client.post("/import/", {"file": zipped(write_csv({"trainings": sheets["trainings"]}, folder="carol"))})
    run_jobs()
    refused = Job.objects.filter(kind="spreadsheet-check", owner=carol).get()
    assert refused.result["error_count"] == 1


def test_the_staff_page_links_the_template_and_the_format_and_imports_with_run_jobs(
        client, alice, write_csv, worker_running, run_jobs, upload_folder):
    client.force_login(alice)
    page = client.get("/import/").content.decode()
    assert 'href="/import/template/"' in page and 'href="/import/format/"' in page
    template = client.get("/import/template/")
    book = openpyxl.load_workbook(io.BytesIO(template.content), read_only=True)
    assert "participants" in book.sheetnames
    assert "source_training" in client.get("/import/format/").content.decode()

    client.post("/import/", {"file": zipped(write_csv(small_network()))})
    run_jobs()
    check = Job.objects.get(kind="spreadsheet-check")
    client.post("/import/confirm/", {"job": str(check.pk)})
    run_jobs()
    assert Job.objects.get(kind="spreadsheet-import").state == Job.State.DONE
    assert Training.objects.count() == 2

    # the same file again: nothing to write, and the pages say so
    client.post("/import/", {"file": zipped(write_csv(small_network(), folder="again"))})
    run_jobs()
    again = Job.objects.filter(kind="spreadsheet-check").latest("created_at")
    page = client.get(reverse("jobs:detail", args=[again.pk])).content.decode()
    assert "Nothing would change" in page and "people: 0 rows to create, 0 to change, 3 unchanged" in page


def test_without_a_worker_the_staff_page_checks_and_imports_in_the_request(client, bob, write_csv, upload_folder):
    sheets = {"trainings": [HEADERS["trainings"], ["swrc-2022", "Shymkent 2022", "institute", "2022-02-01", "",
                                                    "KZ", "", "swrc", "", "", "", "", "", "", ""]]}
    client.force_login(bob)

    check_page = client.post("/import/", {"file": zipped(write_csv(sheets))}, follow=True).content.decode()
    assert "trainings: 1 row to create, 0 to change, 0 unchanged" in check_page
    check = Job.objects.get(kind="spreadsheet-check")
    imported_page = client.post("/import/confirm/", {"job": str(check.pk)}, follow=True).content.decode()

    assert "Imported network.zip." in imported_page
    assert Training.objects.filter(key="swrc-2022", host__key="swrc").exists()


def test_the_command_line_import_of_an_unchanged_workbook_says_so(write_csv):
    path = write_csv(small_network())
    services.import_workbook(path, operator())
    again = services.import_workbook(path, operator(), dry_run=True)
    assert not again.changes.any
    assert again.summary()[0] == "organizations: 0 rows to create, 0 to change, 2 unchanged"


def test_the_command_lists_the_changed_fields_of_a_dry_run(write_csv):
    from django.core.management import call_command

    call_command("import", str(write_csv(small_network())), stdout=io.StringIO())
    sheets = small_network()
    sheets["people"][1][4] = "Almaty"
    out = io.StringIO()

    call_command("import", str(write_csv(sheets, folder="second")), "--dry-run", stdout=out)

    assert "people: 0 rows to create, 1 to change, 2 unchanged" in out.getvalue()
    assert "  people, row 2 (p-aigul): city: Shymkent → Almaty" in out.getvalue()


def test_an_e_mail_is_compared_as_an_address_and_a_new_one_shows_the_old_one(write_csv):
    assert importer.import_workbook(write_csv(small_network())).ok
    sheets = small_network()
    sheets["people"][1][6] = "Aigul@Example.org "  # the same address
    sheets["people"][3][6] = "arman@example.org"  # p-arman had none
    check = importer.import_workbook(write_csv(sheets, folder="second"), dry_run=True)
    assert changes(check, "people", "changed") == [("p-arman", [("email", "", "arman@example.org")])]

    sheets["people"][1][6] = "aigul.new@example.org"
    check = importer.import_workbook(write_csv(sheets, folder="third"), dry_run=True)
    assert changes(check, "people", "changed")[0] == (
        "p-aigul", [("email", "aigul@example.org", "aigul.new@example.org")])
