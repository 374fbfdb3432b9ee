"""Locust users of the load test: staff browsing, trainers reporting step-downs, donors downloading reports.

Run it through ``benchmarks/run_load.py``, which prepares the database (the demo network
and the accounts, ``benchmarks/load_prepare.py``), starts the server on loopback and
runs Locust headless for a bounded time. By hand, against a server prepared that way:

    LOAD_FIXTURE=/tmp/cascade-load/fixture.json locust -f benchmarks/load.py --headless \\
        --host http://127.0.0.1:8765 --users 50 --spawn-rate 10 --run-time 2m

Every request is named by its page (``PAGES``), not by its address, so Locust's
statistics give one row per page whatever training, person or filter was asked for.
A response is a failure when its status is not the expected one, or when it is not
the page or file it should be (a form sent back with errors, a report that is not a
PDF): a load test that counts refused forms as successes would measure nothing.

Staff sign in as on a server: password, then the current code of their authenticator
(each staff account has its own TOTP device; the code is computed with django_otp's
TOTP from the key in the fixture). Trainers and donors sign in with a password only,
as the product asks of them.
"""

import itertools
import json
import os
import random
import re
import time
from binascii import unhexlify
from urllib.parse import urlencode

from locust import HttpUser, between, events, task

#: The names under which requests are counted, one a page (the rows of the results table).
PAGES = (
    "sign-in", "two-step code",
    "dashboard", "dashboard filtered", "trainings", "trainings filtered", "people", "people search",
    "training", "person",
    "report: start", "report: when", "report: check field", "report: manual", "report: sessions",
    "report: people", "report: save", "report: saved",
    "donor report pdf", "donor report xlsx", "donor report docx",
)

#: Seconds a donor waits for her report job before the wait counts as a failure.
REPORT_DEADLINE = 120
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FORMATS = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _wait():
    """Think time between a user's tasks, seconds: LOAD_WAIT="min-max" (default 0.5-2)."""
    low, _sep, high = os.environ.get("LOAD_WAIT", "0.5-2").partition("-")
    return between(float(low), float(high or low))


_fixture = None


def fixture() -> dict:
    global _fixture
    if _fixture is None:
        with open(os.environ["LOAD_FIXTURE"]) as handle:
            _fixture = json.load(handle)
    return _fixture


_accounts = {}


def next_account(kind: str) -> dict:
    """Each Locust user signs in with an account of its own (a TOTP code serves one sign-in)."""
    if kind not in _accounts:
        _accounts[kind] = itertools.cycle(fixture()[kind])
    return next(_accounts[kind])


def totp_code(hex_key: str) -> str:
    from django_otp.oath import TOTP

    return f"{TOTP(unhexlify(hex_key), step=30, t0=0, digits=6).token():06d}"


class CascadeUser(HttpUser):
    abstract = True
    wait_time = _wait()
    kind = ""

    def on_start(self):
        self.account = next_account(self.kind)
        self.sign_in()

    def csrf(self, page_text: str = "") -> str:
        found = CSRF.search(page_text or "")
        return found.group(1) if found else self.client.cookies.get("csrftoken", "")

    def sign_in(self):
        page = self.client.get("/accounts/login/", name="sign-in")
        with self.client.post("/accounts/login/", name="sign-in", catch_response=True, data={
            "username": self.account["username"], "password": fixture()["password"], "next": "/",
            "csrfmiddlewaretoken": self.csrf(page.text),
        }) as response:
            if "/accounts/login/" in response.url:
                response.failure("sign-in refused")
                return
            if self.kind == "staff":
                if "/accounts/two-factor/" not in response.url:
                    response.failure("staff were not asked for the second factor (is CASCADE_DEMO set?)")
                    return
                self.second_factor(response)

    def second_factor(self, page):
        for attempt in range(2):
            with self.client.post(page.url, name="two-step code", catch_response=True, data={
                "token": totp_code(self.account["totp_key"]), "csrfmiddlewaretoken": self.csrf(page.text),
            }) as response:
                if "/accounts/two-factor/" not in response.url:
                    return
                if attempt == 0:  # a code used this half-minute already: the next one
                    response.success()
                    time.sleep(31 - time.time() % 30)
                else:
                    response.failure("two-step code refused")

    def page(self, url: str, name: str, params: dict | None = None, expect: str = ""):
        """GET a page; a failure unless it answers 200 with ``expect`` in its text."""
        if params:
            url = f"{url}?{urlencode(params)}"
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
            elif expect and expect not in response.text:
                response.failure(f"the page does not hold {expect!r} (at {response.url})")
            return response


class StaffUser(CascadeUser):
    """Network admins and a partner's staff: the dashboard with filters, lists, records."""

    weight = 3
    kind = "staff"

    @task(4)
    def dashboard(self):
        self.page("/", "dashboard")

    @task(4)
    def dashboard_filtered(self):
        self.page("/", "dashboard filtered", random.choice(self.account["filters"]))

    @task(3)
    def trainings(self):
        self.page("/trainings/", "trainings")

    @task(2)
    def trainings_filtered(self):
        params = dict(random.choice(self.account["filters"]))
        params.update(random.choice([{}, {"kind": "step-down"}, {"page": "2"}]))
        self.page("/trainings/", "trainings filtered", params)

    @task(2)
    def people(self):
        self.page("/people/", "people")

    @task(1)
    def people_search(self):
        self.page("/people/", "people search", {"q": random.choice("aeinou")})

    @task(4)
    def training(self):
        if self.account["trainings"]:
            self.page(f"/trainings/{random.choice(self.account['trainings'])}/", "training")

    @task(3)
    def person(self):
        if self.account["people"]:
            self.page(f"/people/{random.choice(self.account['people'])}/", "person")


class TrainerUser(CascadeUser):
    """A trainer reports a step-down she led on the phone report, step by step (writes)."""

    weight = 1
    kind = "trainers"

    def step(self, step: str, page, data: dict, following: str):
        """POST one step; the server answers with the next step's page, or the same with errors."""
        data = {**data, "csrfmiddlewaretoken": self.csrf(page.text)}
        with self.client.post(f"/report/{step}/", data=data, name=f"report: {step}",
                              catch_response=True) as response:
            if response.status_code != 200 or following not in response.url:
                response.failure(f"step {step} did not lead to {following} (at {response.url}, "
                                 f"status {response.status_code})")
                return None
            return response

    @task
    def report_step_down(self):
        me = self.account
        page = self.page("/report/", "report: start", expect='name="when-city"')
        if not page.ok:
            return
        city = f"Load {random.randrange(10**6)}"
        when = {"when-trainer": me["person"], "when-source_training": me["source_training"],
                "when-start_date": me["start_date"], "when-end_date": "", "when-country": me["country"],
                "when-city": city}
        # the phone page checks a field as it is typed (htmx)
        self.client.post("/report/when/check/", data={**when, "csrfmiddlewaretoken": self.csrf(page.text)},
                         headers={"HX-Request": "true", "HX-Trigger-Name": "when-city"},
                         name="report: check field")
        page = self.step("when", page, when, "/report/manual/")
        if page is None:
            return
        if me["manual"]:
            page = self.step("manual", page, {"manual-manual": me["manual"], "manual-language": "ru"},
                             "/report/sessions/")
            if page is None:
                return
            page = self.step("sessions", page, {"sessions-sessions": me["sessions"]}, "/report/people/")
        else:
            page = self.step("manual", page, {"manual-manual": "", "manual-language": "ru"}, "/report/people/")
        if page is None:
            return
        women, men = random.randint(5, 20), random.randint(0, 5)
        page = self.step("people", page, {"people-women": women, "people-men": men, "people-other": 0,
                                          "people-women_names": "", "people-men_names": "",
                                          "people-other_names": ""}, "/report/review/")
        if page is None:
            return
        with self.client.post("/report/review/", name="report: save", catch_response=True,
                              data={"csrfmiddlewaretoken": self.csrf(page.text)}, allow_redirects=False) as saved:
            if saved.status_code != 302 or "/report/saved/" not in saved.headers.get("Location", ""):
                saved.failure(f"the step-down was not saved (status {saved.status_code})")
                return
        self.page(saved.headers["Location"], "report: saved", expect=city)


class DonorUser(CascadeUser):
    """A donor reads the dashboard and downloads the donor report for filters she chose."""

    weight = 1
    kind = "donors"

    @task(2)
    def dashboard(self):
        self.page("/", "dashboard filtered", random.choice(self.account["filters"]))

    @task(1)
    def report_pdf(self):
        self.report("pdf")

    @task(1)
    def report_xlsx(self):
        self.report("xlsx")

    @task(1)
    def report_docx(self):
        self.report("docx")

    def report(self, fmt: str):
        """As on the dashboard: the form starts a background job (a worker runs), its page is polled
        until the job is done, then the file is downloaded. With no worker the link is a download."""
        params = random.choice(self.account["filters"])
        query = urlencode(params)
        page = self.client.get(f"/?{query}", name="dashboard filtered")
        if "data-report-job" not in page.text:
            return self.direct_report(fmt, query)
        with self.client.post(f"/stories/report.{fmt}?{query}", data={"csrfmiddlewaretoken": self.csrf(page.text)},
                              name=f"donor report {fmt}: start the job", allow_redirects=False,
                              catch_response=True) as started:
            job = started.headers.get("Location", "")
            if started.status_code != 302 or "/jobs/" not in job:
                started.failure(f"no job started: status {started.status_code}")
                return
        deadline = time.monotonic() + REPORT_DEADLINE
        while True:
            with self.client.get(f"{job}progress/", name="job progress", catch_response=True) as progress:
                if 'data-state="failed"' in progress.text:
                    progress.failure("the report job failed")
                    return
                if 'data-state="done"' in progress.text:
                    break
                if time.monotonic() > deadline:
                    progress.failure(f"the report job was not done in {REPORT_DEADLINE} s")
                    return
            time.sleep(1)  # the page polls every second
        self.check_file(self.client.get(f"{job}result/", name=f"donor report {fmt}: download",
                                        catch_response=True), fmt)

    def direct_report(self, fmt: str, query: str):
        self.check_file(self.client.get(f"/stories/report.{fmt}?{query}", name=f"donor report {fmt}",
                                        catch_response=True), fmt)

    @staticmethod
    def check_file(response, fmt: str):
        with response:
            kind = response.headers.get("Content-Type", "")
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
            elif not kind.startswith(FORMATS[fmt]) or len(response.content) < 500:
                response.failure(f"not a {fmt} file: {kind} at {response.url}")


@events.test_start.add_listener
def _read_fixture(environment, **_kwargs):
    fixture()  # a missing LOAD_FIXTURE stops the run before any user starts
