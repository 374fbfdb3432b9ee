"""The donor report and a story's files as background jobs: the same file as the direct download."""

import datetime
import io
import re
import shutil
import subprocess

import openpyxl
import pytest
from django.urls import reverse

from cascade.audit.models import AuditEntry
from cascade.jobs.models import Job
from cascade.stories.models import StoryDraft


@pytest.fixture
def network(create_training, create_person):
    """An institute of six women with two step-downs: the men reached (3) are a small count."""
    women = [create_person() for _ in range(6)]
    institute = create_training(key="almaty-2016", participants=women, start_date=datetime.date(2016, 3, 1),
                                city="Almaty")
    create_training(kind="step-down", source_training=institute, facilitators=women[:2],
                    start_date=datetime.date(2016, 5, 1), women_count=12, men_count=3)
    create_training(kind="step-down", source_training=institute, facilitators=women[2:3],
                    start_date=datetime.date(2017, 5, 1), women_count=9, men_count=0)
    return institute


def body(response) -> bytes:
    return b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content


def words(data: bytes) -> str:
    """What a reader sees in a report: every cell of an XLSX, the paragraphs and cells of a DOCX,
    the text of a PDF (the files themselves differ in their timestamps)."""
    if data.startswith(b"%PDF"):
        if not shutil.which("pdftotext"):
            pytest.fail("pdftotext is missing: `make pdftotext` (apt-get install poppler-utils).")
        return subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True,
                              check=True).stdout.decode()
    try:
        book = openpyxl.load_workbook(io.BytesIO(data))
    except Exception:  # noqa: BLE001  (not a workbook: a Word file)
        import docx

        document = docx.Document(io.BytesIO(data))
        return "\n".join([p.text for p in document.paragraphs]
                         + [cell.text for table in document.tables for row in table.rows for cell in row.cells])
    return "\n".join(f"{sheet.title}!{cell.coordinate}={cell.value!r}"
                     for sheet in book for row in sheet.iter_rows() for cell in row if cell.value is not None)


def started_job(response) -> Job:
    assert response.status_code == 302, response.content[:300]
    match = re.fullmatch(r"/jobs/([0-9a-f-]{36})/", response["Location"])
    assert match, response["Location"]
    return Job.objects.get(pk=match.group(1))


def test_the_dashboard_offers_the_report_as_a_job_when_a_worker_runs(client, network, alice, worker_running):
    client.force_login(alice)
    page = client.get("/?country=KZ").content.decode()
    assert "data-report-job" in page and 'method="post"' in page
    assert 'formaction="/stories/report.pdf?country=KZ"' in page
    assert 'href="/stories/report.pdf?country=KZ" download' not in page


def test_without_a_worker_the_dashboard_links_the_files_as_before(client, network, alice):
    client.force_login(alice)
    page = client.get("/?country=KZ").content.decode()
    assert 'href="/stories/report.pdf?country=KZ" download' in page
    assert "data-report-job" not in page


@pytest.mark.parametrize("fmt", ["xlsx", "docx", "pdf"])
def test_a_donors_report_job_makes_the_file_her_link_gives(client, network, erin, worker_running, run_jobs, fmt):
    client.force_login(erin)
    query = "country=KZ&since=2016-01-10"
    direct = client.get(f"/stories/report.{fmt}?{query}")
    assert direct.status_code == 200
    job = started_job(client.post(f"/stories/report.{fmt}?{query}"))
    assert (job.kind, job.owner, job.state) == ("donor-report", erin, Job.State.QUEUED)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "Donor report" in page and "Kazakhstan" in page  # what it covers, in its title

    assert run_jobs() == 1
    job.refresh_from_db()
    assert job.state == Job.State.DONE, job.error
    assert job.phase == "Writing the file"
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert reverse("jobs:result", args=[job.pk]) in page
    download = client.get(reverse("jobs:result", args=[job.pk]))
    assert download["Content-Type"] == direct["Content-Type"]
    assert download["Content-Disposition"].split("filename=")[1].strip('"') == \
        direct["Content-Disposition"].split("filename=")[1].strip('"')
    made = words(body(download))
    assert made == words(direct.content)
    assert "<5" in made  # suppressed for her as in her link: the 3 men reached
    assert AuditEntry.objects.filter(action="cascade.report.exported", user=erin).count() == 2


def test_the_job_reads_the_filters_as_the_reader_would_and_in_her_language(client, network, alice, worker_running,
                                                                          run_jobs):
    client.force_login(alice)
    client.cookies["django_language"] = "ru"
    job = started_job(client.post("/stories/report.docx?since=2016-01-01", HTTP_ACCEPT_LANGUAGE="ru"))
    assert job.params == {"query": {"since": "2016-01-01"}, "format": "docx", "language": "ru"}
    run_jobs()
    job.refresh_from_db()
    assert job.state == Job.State.DONE, job.error
    direct = client.get("/stories/report.docx?since=2016-01-01", HTTP_ACCEPT_LANGUAGE="ru")
    made = words(body(client.get(reverse("jobs:result", args=[job.pk]))))
    assert made == words(direct.content)
    assert "Report to donors" not in made  # in Russian, as her page


def test_a_donors_report_job_is_seen_by_her_and_the_network_admin_only(client, network, alice, bob, carol, erin,
                                                                       worker_running, run_jobs):
    client.force_login(erin)
    job = started_job(client.post("/stories/report.xlsx"))
    run_jobs()
    for user, status in ((erin, 200), (alice, 200), (bob, 404), (carol, 404)):
        client.force_login(user)
        assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == status, user.username
        assert client.get(reverse("jobs:result", args=[job.pk])).status_code == status, user.username


def test_filters_that_are_not_valid_start_no_job_and_say_why(client, network, bob):
    client.force_login(bob)
    response = client.post("/stories/report.pdf?since=2019-01-01&until=2018-01-01")
    assert response.status_code == 400
    assert "The report's filters are not valid" in response.content.decode()
    assert not Job.objects.exists()
    assert client.get("/stories/report.pdf?since=2019-01-01&until=2018-01-01").status_code == 400


def test_someone_without_a_role_starts_no_report_job(client, network, nora):
    client.force_login(nora)
    assert client.post("/stories/report.xlsx").status_code == 403
    client.logout()
    assert client.post("/stories/report.xlsx").status_code == 302  # to sign in
    assert not Job.objects.exists()


def test_a_report_job_whose_filter_went_away_fails_with_its_reason(client, create_organization, network, alice,
                                                                   run_jobs):
    partner = create_organization(key="gone-partner", kind="partner")
    network.host = partner
    network.save()
    client.force_login(alice)
    job = started_job(client.post("/stories/report.pdf?partner=gone-partner"))
    network.host = None
    network.save()
    partner.delete()
    run_jobs()
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert "The report's filters are not valid" in job.error and "Partner" in job.error


# --- A story's DOCX and PDF --------------------------------------------------------------


@pytest.fixture
def draft(network, alice):
    from cascade.stories import services

    return services.generate_draft(network, "en", alice)


def test_the_story_page_offers_jobs_for_docx_and_pdf_when_a_worker_runs(client, draft, alice, worker_running):
    client.force_login(alice)
    page = client.get("/stories/almaty-2016/en/").content.decode()
    assert 'formaction="/stories/almaty-2016/en/export.pdf"' in page
    assert 'formaction="/stories/almaty-2016/en/export.docx"' in page
    assert 'href="/stories/almaty-2016/en/export.html"' in page  # read in place: no job


def test_without_a_worker_the_story_page_links_its_files(client, draft, alice):
    client.force_login(alice)
    page = client.get("/stories/almaty-2016/en/").content.decode()
    assert 'href="/stories/almaty-2016/en/export.pdf"' in page and "formaction" not in page


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_a_story_export_job_makes_the_file_of_the_link(client, draft, alice, worker_running, run_jobs, fmt):
    client.force_login(alice)
    job = started_job(client.post(f"/stories/almaty-2016/en/export.{fmt}"))
    assert job.kind == "story-export"
    run_jobs()
    job.refresh_from_db()
    assert job.state == Job.State.DONE, job.error
    download = client.get(reverse("jobs:result", args=[job.pk]))
    direct = client.get(f"/stories/almaty-2016/en/export.{fmt}")
    assert download["Content-Disposition"].endswith(f'almaty-2016-en.{fmt}"')
    assert words(body(download)) == words(direct.content)
    assert "Almaty" in words(direct.content)


def test_a_story_export_job_is_refused_to_who_may_not_read_the_draft(client, draft, erin, carol, run_jobs):
    for user in (erin, carol):  # a donor; staff of another partner
        client.force_login(user)
        assert client.post("/stories/almaty-2016/en/export.pdf").status_code in (403, 404)
    assert not Job.objects.exists()


def test_a_story_export_job_fails_when_its_reader_lost_the_draft(client, draft, bob, alice, run_jobs):
    client.force_login(alice)
    job = started_job(client.post("/stories/almaty-2016/en/export.pdf"))
    StoryDraft.objects.all().delete()
    run_jobs()
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and "no longer exists" in job.error
    assert not job.result_file
