"""Every URL the project serves, walked with real objects as every persona.

The walk reads the URL configuration itself (``get_resolver()``), so a page is walked
as soon as it exists, and a pattern without a row in PAGES (or, for the admin, a model
without a row in ADMIN_MODELS) fails the test: whoever adds a page decides who may open
it. Each row names real objects of the world (tests/access/world.py: the demo network
and one of everything else, partner A's and partner B's) and the outcome for each
persona, in the order of OUTCOME_ORDER:

    200, 403, 404, 405, 410   that status code exactly
    NO                        refused: 403 or 404, and nothing of the object shown
    LOGIN                     sent to /accounts/login/?next=<the page>
    ADMIN                     sent to the admin's sign-in (/admin/login/?next=<the page>)
    AWAY                      the admin's refusal: 403, 404, or "does not exist" back to /admin/
    ->/path/                  redirected exactly there ({name} is the pk of a world object)
    JOB                       a background job started: redirected to its page (/jobs/<its id>/)

Form posts are walked too: a refused one must change nothing. Every answer is then
read for what the persona may not see: donors, users without a role and the public
must find no person's or applicant's name, e-mail or phone anywhere (pages, SVG
charts, spreadsheets read with openpyxl, Word files with python-docx, PDFs with
poppler's pdftotext), and no raw count from 1 to 4 among the figures of a page; staff
must find no one outside their scope. Last, adjacent dashboard views (one day more,
one country or partner less) must not give a small count of people away by subtraction.
"""

from __future__ import annotations

import datetime
import html
import io
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass, field

import pytest
from django.contrib.admin.sites import site
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from cascade import access
from cascade.network.models import Person
from tests.conftest import PERSONAS

from .world import build_world

pytestmark = pytest.mark.django_db  # each test in a savepoint inside the world's transaction

OUTCOME_ORDER = (*PERSONAS, "anonymous")  # alice bob carol dave erin nora anonymous
NAMELESS = {"erin", "nora", "anonymous"}  # may see no person at all


# --- The table --------------------------------------------------------------------------


@dataclass
class Case:
    """One request of a pattern: its parameters (world objects by name, or literals) and outcomes."""

    params: dict
    outcomes: str
    method: str = "GET"
    data: dict = field(default_factory=dict)
    query: str = ""
    fresh: bool = False  # a request that signs out: made with a client of its own
    shows: tuple = ()  # people or applicants this page shows to whoever has its link (their own link, or consent)


def get(outcomes, query="", shows=(), **params):
    return Case(params, outcomes, query=query, shows=shows)


def post(outcomes, data=None, fresh=False, query="", **params):
    return Case(params, outcomes, method="POST", data=data or {}, fresh=fresh, query=query)


SIGNED_IN = "200 200 200 200 200 NO LOGIN"  # every role; not a user without one
STAFF_ONLY = "200 200 200 200 NO NO LOGIN"  # roles that see people (admins, partner staff, trainers)
EVERYONE = "200 200 200 200 200 200 200"
API_ROLES = "200 200 200 200 200 NO 401"  # the API: every role; 401 without a session or token
API_READ_ONLY = "405 405 405 405 405 NO 401"
MANAGERS = "200 200 403 403 403 NO LOGIN"  # the users' page: network admins and partner admins (bob)

# Outcomes in the order: alice bob carol dave erin nora anonymous.
# nora (signed in, no role) gets the no-role page (403, NO) everywhere but sign-in, help and the public pages.
PAGES = {
    # --- Health, for load balancers and monitors: no login, no personal data ------------------
    # 503 in the walk: no `cascade worker` runs here (tests/ops/test_health.py has the 200).
    "healthz": [get("503 503 503 503 503 503 503"), post("405 405 405 405 405 405 405")],
    # --- Sign-in -------------------------------------------------------------------------
    "accounts/login/": [get("->/ ->/ ->/ ->/ ->/ ->/ 200")],
    "accounts/logout/": [get("405 405 405 405 405 405 405"),
                         post("->/ ->/ ->/ ->/ ->/ ->/ ->/", fresh=True)],
    # Those who use a second factor have one (force_login enrolled it); the others are asked to enrol.
    "accounts/two-factor/": [get("200 200 200 ->/accounts/two-factor/setup/?next=/ "
                                 "->/accounts/two-factor/setup/?next=/ ->/accounts/two-factor/setup/?next=/ LOGIN")],
    "accounts/two-factor/setup/": [get("200 200 200 200 200 200 LOGIN")],
    # Her second factor: new backup codes or a new phone (with the password); no device: enrol first.
    # --- Users and invitations: network admins; bob is partner A's partner admin, carol is not ------
    "accounts/users/": [get(MANAGERS)],
    "accounts/users/invite/": [get(MANAGERS), post("400 400 403 403 403 NO LOGIN"),
                               # bob may not make an admin (the form offers him no such role); alice may, but
                               # this e-mail has an invitation waiting already
                               post("400 400 403 403 403 NO LOGIN", data={
                                   "email": "invitee-a@example.com", "language": "en", "kind": "network-admin"})],
    # dave trains as a person of no organisation: not partner A's, so bob does not manage him
    "accounts/users/<int:pk>/": [get("200 200 403 403 403 NO LOGIN", pk="bob"),  # bob: his own, read only
                                 get("200 NO 403 403 403 NO LOGIN", pk="dave"),
                                 get("200 NO 403 403 403 NO LOGIN", pk="carol"),
                                 post("400 NO 403 403 403 NO LOGIN", pk="dave"),
                                 post("400 403 403 403 403 NO LOGIN", pk="bob")],  # nobody changes her own role
    "accounts/users/<int:pk>/active/": [
        get("405 405 405 405 405 405 LOGIN", pk="dave"),
        post("->/accounts/users/{dave}/ NO 403 403 403 NO LOGIN", pk="dave", data={"active": "1"}),
        post("->/accounts/users/{bob}/ 403 403 403 403 NO LOGIN", pk="bob", data={"active": "0"})],
    "accounts/invitations/<int:pk>/": [get(MANAGERS, pk="invitation_a"),
                                       get("200 NO 403 403 403 NO LOGIN", pk="invitation_b"),
                                       post("400 400 403 403 403 NO LOGIN", pk="invitation_a")],
    "accounts/invitations/<int:pk>/resend/": [
        get("405 405 405 405 405 405 LOGIN", pk="invitation_a"),
        post("->/accounts/invitations/{invitation_a}/ " * 2 + "403 403 403 NO LOGIN", pk="invitation_a"),
        post("->/accounts/invitations/{invitation_b}/ NO 403 403 403 NO LOGIN", pk="invitation_b")],
    "accounts/invitations/<int:pk>/revoke/": [
        get("405 405 405 405 405 405 LOGIN", pk="invitation_a"),
        post("->/accounts/invitations/{invitation_a}/ " * 2 + "403 403 403 NO LOGIN", pk="invitation_a"),
        post("->/accounts/invitations/{invitation_b}/ NO 403 403 403 NO LOGIN", pk="invitation_b")],
    # The invitee's link: open to anyone who has it; a signed-in user is asked to sign out first.
    "accounts/invitation/<str:token>/": [get(EVERYONE, token="invitation_link"),
                                         get("404 404 404 404 404 404 404", token="not-a-token"),
                                         post("200 200 200 200 200 200 400", token="invitation_link")],
    "accounts/two-factor/manage/": [get("200 200 200 ->/accounts/two-factor/setup/?next=/ "
                                        "->/accounts/two-factor/setup/?next=/ ->/accounts/two-factor/setup/?next=/ LOGIN")],
    # --- The spreadsheet import writes every partner's data: network admins only ----------------
    "admin/import/": [get("200 403 403 403 403 NO ADMIN"),
                      post("200 403 403 403 403 NO ADMIN", data={"file": lambda: workbook_upload()})],
    "admin/import/confirm/": [get("405 405 405 403 403 NO ADMIN"),
                              post("->/admin/import/ 403 403 403 403 NO ADMIN")],
    # --- The staff app's import: network admins, and partner staff for their own partner's rows ---
    # (no worker in the walk: the check runs in the request, then her job's page)
    "import/": [get("200 200 200 403 403 NO LOGIN"),
                post("JOB JOB JOB 403 403 NO LOGIN", data={"file": lambda: workbook_upload()})],
    "import/confirm/": [get("405 405 405 405 405 NO LOGIN"),
                        post("404 404 404 403 403 NO LOGIN", data={"job": "not-a-job"})],
    "import/template/": [get("200 200 200 403 403 NO LOGIN")],
    "import/format/": [get("200 200 200 403 403 NO LOGIN")],
    # --- Staff app ---------------------------------------------------------------------------
    "": [get(SIGNED_IN), get(SIGNED_IN, query="country=KZ&since=2016-01-01")],
    # Every list downloads (?format=csv|xlsx) as its page reads: the same rows, ranges and scope.
    "trainings/": [get(SIGNED_IN), get(SIGNED_IN, query="figure=step-downs&country=KG"),
                   get(SIGNED_IN, query="format=csv&sort=-people"), get(SIGNED_IN, query="format=xlsx&sort=host")],
    "trainings/new/": [get(STAFF_ONLY), post(STAFF_ONLY, data={"title_en": ""})],  # the form, with its errors
    # Search-as-you-type of the training form: people the user sees, for roles that see people.
    "trainings/people-search/": [get(STAFF_ONLY, query="q=a"), get(STAFF_ONLY, query="q=Shymkent")],
    # The city box's list: the places of a country named in the page's language (no personal data).
    "places/": [get(STAFF_ONLY, query="country=KZ"), get(STAFF_ONLY, query="country=")],
    "trainings/<int:pk>/": [
        get("200 200 NO  NO  200 NO LOGIN", pk="institute_a"),
        get("200 NO  200 NO  200 NO LOGIN", pk="institute_b"),
        get("200 200 NO  200 200 NO LOGIN", pk="step_down_a"),
        get("200 NO  200 NO  200 NO LOGIN", pk="step_down_b"),
    ],
    "trainings/<int:pk>/edit/": [
        get("200 200 NO  NO  NO NO LOGIN", pk="institute_a"),
        get("200 NO  200 NO  NO NO LOGIN", pk="institute_b"),
        get("200 200 NO  200 NO NO LOGIN", pk="step_down_a"),
        post("200 NO  200 NO  NO NO LOGIN", pk="institute_b"),  # an empty form: its errors, nothing saved
    ],
    "trainings/<int:pk>/photos/new/": [
        get("200 200 NO  NO  NO NO LOGIN", pk="institute_a"),
        get("200 NO  200 NO  NO NO LOGIN", pk="institute_b"),
        get("200 200 NO  200 NO NO LOGIN", pk="step_down_a"),
        post("200 NO  200 NO  NO NO LOGIN", pk="institute_b"),
    ],
    # A photo of people is for staff of the training; a photo of no one may go to donors too.
    "photos/<int:pk>/": [
        get("200 200 NO  NO  NO  NO LOGIN", pk="photo_a"),
        get("200 NO  200 NO  NO  NO LOGIN", pk="photo_b"),
        get("200 200 NO  NO  200 NO LOGIN", pk="flipchart"),
    ],
    "photos/<int:pk>/thumbnail/": [
        get("200 200 NO  NO  NO  NO LOGIN", pk="photo_a"),
        get("200 NO  200 NO  NO  NO LOGIN", pk="photo_b"),
        get("200 200 NO  NO  200 NO LOGIN", pk="flipchart"),
    ],
    # Search for a letter every name holds: whatever comes back goes through the leak check.
    # The list of people downloads for those who export people: trainers read it, not take it away.
    "people/": [get(STAFF_ONLY, query="q=a"), get(STAFF_ONLY, query="q=a&sort=-place"),
                get("200 200 200 403 NO NO LOGIN", query="q=a&format=csv"),
                get("200 200 200 403 NO NO LOGIN", query="format=xlsx")],
    "people/<int:pk>/": [
        get("200 200 NO  NO  NO NO LOGIN", pk="participant_a"),
        get("200 NO  200 NO  NO NO LOGIN", pk="participant_b"),
        get("200 200 NO  200 NO NO LOGIN", pk="trainee_a"),
        get("200 NO  200 NO  NO NO LOGIN", pk="trainee_b"),
    ],
    "partners/": [get(SIGNED_IN), get(SIGNED_IN, query="kind=co-organiser"),
                  get(SIGNED_IN, query="kind=all&format=csv&sort=-hosted"), get(SIGNED_IN, query="format=xlsx")],
    "partners/<int:pk>/": [get(SIGNED_IN, pk="swrc"), get(SIGNED_IN, pk="birduino"), get(SIGNED_IN, pk="osce")],
    "countries/<str:code>/": [get(SIGNED_IN, code="KZ"), get(SIGNED_IN, code="KG")],
    "library/": [get(SIGNED_IN)],
    "library/editions/<int:pk>/download/": [
        get(SIGNED_IN, pk="edition_file"),
        get("->https://example.org/ltc-uz.pdf " * 5 + "NO LOGIN", pk="edition_link"),
        get("404 404 404 404 404 NO LOGIN", pk="edition_none"),
    ],
    "library/<str:key>/": [get(SIGNED_IN, key="leading-to-choices"),
                           get("404 404 404 404 404 NO LOGIN", key="no-such-manual")],
    "search/": [get(SIGNED_IN, query="q=a"), get(SIGNED_IN, query="q=Shymkent")],
    "language/": [get("405 405 405 405 405 405 405"),
                  post("->/ ->/ ->/ ->/ ->/ ->/ ->/", data={"language": "en", "next": "/"})],
    "help/": [get(EVERYONE)],
    # The step-down report (a wizard): for those who lead trainings and see their people.
    "report/": [get("->/report/when/ " * 4 + "NO NO LOGIN")],
    "report/review/": [get("->/report/when/ " * 4 + "NO NO LOGIN"),
                       post("->/report/when/ " * 4 + "NO NO LOGIN")],
    "report/saved/<int:pk>/": [
        get("200 200 NO  200 NO NO LOGIN", pk="step_down_a"),
        get("200 NO  200 NO  NO NO LOGIN", pk="step_down_b"),
    ],
    "report/<str:step>/": [get(STAFF_ONLY, step="when"), get(STAFF_ONLY, step="people"),
                           post(STAFF_ONLY, step="when", data={"when-city": "Sayram"}),
                           get("404 404 404 404 NO NO LOGIN", step="no-such-step")],
    "report/<str:step>/check/": [get("405 405 405 405 405 NO LOGIN", step="when"),
                                 post(STAFF_ONLY, data={"when-city": "Sayram"}, step="when")],
    # --- Figures: exact figures and the lists and trees behind them are for staff and trainers ---
    "cascade/": [get(STAFF_ONLY), get(STAFF_ONLY, query="country=KG")],
    "cascade/training/<str:key>/": [
        get("200 200 NO  NO  NO NO LOGIN", key="institute_a"),
        get("200 NO  200 NO  NO NO LOGIN", key="institute_b"),
    ],
    "cascade/person/<str:key>/": [
        get("200 200 NO  200 NO NO LOGIN", key="dave_person"),
        get("200 NO  200 NO  NO NO LOGIN", key="participant_b"),
    ],
    "cascade/<slug:figure>/": [get(STAFF_ONLY, figure="institutes"), get(STAFF_ONLY, figure="people"),
                               get("404 404 404 404 NO NO LOGIN", figure="no-such-figure")],
    # --- Stories: the context chart is public data; drafts are for the training's staff ----------
    "stories/^indicators/(?P<country>[A-Za-z]{2})\\.svg$": [get(EVERYONE, country="KZ")],
    # The donor report: figures only, small counts hidden, for every role.
    # Posted (the dashboard's buttons when a worker runs), it starts a job that makes the same file.
    "stories/report.<str:fmt>": [get(SIGNED_IN, fmt="xlsx"), get(SIGNED_IN, fmt="docx"),
                                 get(SIGNED_IN, fmt="pdf"), get(SIGNED_IN, fmt="xlsx", query="since=2018-01-01"),
                                 get("404 404 404 404 404 NO LOGIN", fmt="exe"),
                                 post("JOB JOB JOB JOB JOB NO LOGIN", fmt="pdf", query="since=2018-01-01"),
                                 post("JOB JOB JOB JOB JOB NO LOGIN", fmt="xlsx"),
                                 post("404 404 404 404 404 NO LOGIN", fmt="exe")],
    "stories/<slug:key>/<str:lang>/": [
        get("200 200 NO  NO  NO NO LOGIN", key="institute_a", lang="en"),
        get("200 NO  200 NO  NO NO LOGIN", key="institute_b", lang="en"),
        post("->/stories/bishkek-2018/en/ NO ->/stories/bishkek-2018/en/ NO NO NO LOGIN",
             key="institute_b", lang="en", data={"regenerate": "1"}),
    ],
    "stories/<slug:key>/<str:lang>/export.<str:fmt>": [
        get("200 200 NO  NO  NO NO LOGIN", key="institute_a", lang="en", fmt=fmt) for fmt in ("pdf", "docx", "html")
    ] + [get("200 NO  200 NO  NO NO LOGIN", key="institute_b", lang="en", fmt="pdf"),
         # posted (the story's page when a worker runs): a job that makes the DOCX or PDF
         post("JOB JOB NO  NO  NO NO LOGIN", key="institute_a", lang="en", fmt="docx"),
         post("JOB NO  JOB NO  NO NO LOGIN", key="institute_b", lang="en", fmt="pdf"),
         post("404 404 NO  NO  NO NO LOGIN", key="institute_a", lang="en", fmt="html")],
    # --- Calls: the form, the confirmation of a place and the certificate check are public -------
    "calls/apply/<slug:slug>/": [get(EVERYONE, slug="call_a"),
                                 get("410 410 410 410 410 410 410", slug="call_a_draft"),
                                 get("404 404 404 404 404 404 404", slug="no-such-call")],
    # A draft's link is the applicant's own: it shows her what she typed.
    "calls/apply/<slug:slug>/<str:token>/": [get(EVERYONE, slug="call_a", token="draft_application",
                                                 shows=("draft_application",)),
                                             get("404 404 404 404 404 404 404", slug="call_a", token="x")],
    "calls/confirm/<str:token>/": [get(EVERYONE, token="accepted", shows=("accepted",)),
                                   get("404 404 404 404 404 404 404", token="x")],
    "calls/verify/": [get(EVERYONE)],
    "calls/verify/<str:code>/": [get(EVERYONE, code="certificate"),
                                 get(EVERYONE, code="public_certificate", shows=("public_holder",)),
                                 get("404 404 404 404 404 404 404", code="XXXX-XXXX")],
    # ... the rest is staff work on applicants' data: the call's partner runs it, its reviewers review.
    "calls/": [get(SIGNED_IN), get(SIGNED_IN, query="sort=-status"), get(SIGNED_IN, query="format=csv"),
               get(SIGNED_IN, query="format=xlsx")],
    "calls/new/": [get("200 200 200 NO NO NO LOGIN"), post("200 200 200 NO NO NO LOGIN")],
    "calls/<int:pk>/": [
        get("200 200 NO  200 NO NO LOGIN", pk="call_a"),
        get("200 NO  200 NO  NO NO LOGIN", pk="call_b"),
    ],
    "calls/<int:pk>/questions/": [
        get("405 405 405 405 405 NO LOGIN", pk="call_a"),
        post("->/calls/{call_a}/ ->/calls/{call_a}/ NO NO NO NO LOGIN", pk="call_a"),
        post("->/calls/{call_b}/ NO ->/calls/{call_b}/ NO NO NO LOGIN", pk="call_b"),
    ],
    "calls/<int:pk>/criteria/": [post("->/calls/{call_a}/ ->/calls/{call_a}/ NO NO NO NO LOGIN", pk="call_a"),
                                 post("->/calls/{call_b}/ NO ->/calls/{call_b}/ NO NO NO LOGIN", pk="call_b")],
    "calls/<int:pk>/quotas/": [post("->/calls/{call_a}/ ->/calls/{call_a}/ NO NO NO NO LOGIN", pk="call_a"),
                               post("->/calls/{call_b}/ NO ->/calls/{call_b}/ NO NO NO LOGIN", pk="call_b")],
    "calls/<int:pk>/<str:part>/<int:part_pk>/delete/": [
        get("405 405 405 405 405 NO LOGIN", pk="call_a", part="question", part_pk="question_a"),
        post("->/calls/{call_a}/ ->/calls/{call_a}/ NO NO NO NO LOGIN", pk="call_a", part="question",
             part_pk="question_a"),
    ],
    # Editing: everything until someone applies, then the texts (call B has an application: locked).
    "calls/<int:pk>/edit/": [get("200 200 NO NO NO NO LOGIN", pk="call_a"),
                             post("200 NO 200 NO NO NO LOGIN", pk="call_b")],  # no title: asked again
    # Publish, close, reopen: the page (or a post without "confirm") asks first; "confirm" does it.
    "calls/<int:pk>/publish/": [
        get("200 200 NO NO NO NO LOGIN", pk="call_a_draft"),
        post("200 200 NO NO NO NO LOGIN", pk="call_a_draft"),
        post("->/calls/{call_a_draft}/ ->/calls/{call_a_draft}/ NO NO NO NO LOGIN", pk="call_a_draft",
             data={"confirm": "1"})],
    "calls/<int:pk>/close/": [
        get("200 NO 200 NO NO NO LOGIN", pk="call_b"),
        post("200 200 NO NO NO NO LOGIN", pk="call_a_draft"),
        post("->/calls/{call_b}/ NO ->/calls/{call_b}/ NO NO NO LOGIN", pk="call_b", data={"confirm": "1"})],
    "calls/<int:pk>/reopen/": [
        get("200 200 NO NO NO NO LOGIN", pk="call_a"),
        post("->/calls/{call_b}/ NO ->/calls/{call_b}/ NO NO NO LOGIN", pk="call_b",  # open: refused, told why
             data={"confirm": "1", "deadline": "2026-12-31T18:00"})],
    "calls/<int:pk>/reviewers/": [get("200 200 NO NO NO NO LOGIN", pk="call_a"),
                                  get("200 NO 200 NO NO NO LOGIN", pk="call_b"),
                                  post("200 NO 200 NO NO NO LOGIN", pk="call_b")],  # nothing chosen: asked again
    "calls/<int:pk>/applications/": [get("200 200 NO NO NO NO LOGIN", pk="call_a"),
                                     get("200 NO 200 NO NO NO LOGIN", pk="call_b"),
                                     get("200 200 NO NO NO NO LOGIN", pk="call_a", query="sort=-name"),
                                     get("200 200 NO NO NO NO LOGIN", pk="call_a", query="format=csv"),
                                     get("200 NO 200 NO NO NO LOGIN", pk="call_b", query="format=xlsx")],
    "calls/<int:pk>/applications/<int:app_pk>/": [
        get("200 200 NO NO NO NO LOGIN", pk="call_a", app_pk="application_a"),
        get("200 NO 200 NO NO NO LOGIN", pk="call_b", app_pk="application_b"),
        get("404 404 NO NO NO NO LOGIN", pk="call_a", app_pk="application_b"),  # not this call's
        post("200 NO 200 NO NO NO LOGIN", pk="call_b", app_pk="application_b", data={"erase": "1"}),  # unconfirmed
    ],
    "calls/<int:pk>/applications/<int:app_pk>/files/<int:file_pk>/": [
        get("200 200 NO 200 NO NO LOGIN", pk="call_a", app_pk="application_a", file_pk="application_file")],
    "calls/<int:pk>/applications/<int:app_pk>/override/": [
        post("->/calls/{call_a}/ranking/ ->/calls/{call_a}/ranking/ NO NO NO NO LOGIN",
             pk="call_a", app_pk="application_a"),
        post("->/calls/{call_b}/ranking/ NO ->/calls/{call_b}/ranking/ NO NO NO LOGIN",
             pk="call_b", app_pk="application_b")],
    "calls/<int:pk>/applications/<int:app_pk>/decide/": [
        post("->/calls/{call_a}/ranking/ ->/calls/{call_a}/ranking/ NO NO NO NO LOGIN",
             pk="call_a", app_pk="application_a")],
    # Reviewing is for the reviewers named on the call (dave on call A), not even for its runners.
    "calls/<int:pk>/review/": [get("NO NO NO 200 NO NO LOGIN", pk="call_a"),
                               get("NO NO NO NO  NO NO LOGIN", pk="call_b")],
    "calls/<int:pk>/review/<int:app_pk>/": [
        get("NO NO NO 200 NO NO LOGIN", pk="call_a", app_pk="application_a"),
        # A draft of a review, nothing scored yet: saved, back to the review.
        post("NO NO NO ->/calls/{call_a}/review/{application_a}/ NO NO LOGIN", pk="call_a",
             app_pk="application_a", data={"save_draft": "1"})],
    "calls/<int:pk>/ranking/": [get("200 200 NO NO NO NO LOGIN", pk="call_a"),
                                get("200 NO 200 NO NO NO LOGIN", pk="call_b"),
                                post("200 NO 200 NO NO NO LOGIN", pk="call_b", data={"apply_proposal": "1"}),
                                post("->/calls/{call_b}/ranking/ NO ->/calls/{call_b}/ranking/ NO NO NO LOGIN",
                                     pk="call_b", data={"apply_proposal": "1", "confirm": "1"})],
    # Draft decisions go out only from here, after the page has said who will be written to.
    "calls/<int:pk>/decisions/send/": [
        get("200 200 NO NO NO NO LOGIN", pk="call_a"),
        post("200 NO 200 NO NO NO LOGIN", pk="call_b"),
        post("->/calls/{call_b}/ranking/ NO ->/calls/{call_b}/ranking/ NO NO NO LOGIN", pk="call_b",
             data={"confirm": "1"})],
    "calls/<int:pk>/attendance/": [get("200 200 NO NO NO NO LOGIN", pk="call_a"),
                                   get("200 NO 200 NO NO NO LOGIN", pk="call_b"),
                                   post("->/calls/{call_b}/attendance/ NO ->/calls/{call_b}/attendance/ NO NO NO LOGIN",
                                        pk="call_b", data={"date": "2027-01-20"})],
    "calls/<int:pk>/certificates/": [
        get("405 405 405 405 405 NO LOGIN", pk="call_a"),
        post("->/calls/{call_a}/attendance/ ->/calls/{call_a}/attendance/ NO NO NO NO LOGIN", pk="call_a")],
    "calls/<int:pk>/certificates/<str:code>.pdf": [
        get("200 200 NO NO NO NO LOGIN", pk="call_a", code="certificate")],
    # --- Background jobs: each user's own, and every job for the network admin ------------------
    "jobs/": [get(SIGNED_IN)],
    "jobs/<uuid:pk>/": [get("200 200 NO NO NO NO LOGIN", pk="job_bob"),
                        get("200 NO NO NO 200 NO LOGIN", pk="job_erin")],
    "jobs/<uuid:pk>/progress/": [get("200 200 NO NO NO NO LOGIN", pk="job_bob"),
                                 get("200 NO NO NO 200 NO LOGIN", pk="job_erin")],
    # the world's jobs keep no file (tests/jobs downloads one): who may not see the job gets NO too
    "jobs/<uuid:pk>/result/": [get("404 404 NO NO NO NO LOGIN", pk="job_bob"),
                               get("404 NO NO NO 404 NO LOGIN", pk="job_erin")],
    # --- The REST API (docs/api.md): a signed-in browser's session here (the tokens' walk is below) ---
    # Anyone without a session or a token: 401; a signed-in user without a role: the no-role page.
    "api/v1/schema/": [get(API_ROLES)],
    "api/v1/docs/": [get(API_ROLES)],
    "api/v1/figures": [get(API_ROLES), get(API_ROLES, query="country=KZ&since=2016-01-01"),
                       get("400 400 400 400 400 NO 401", query="country=XX"), post(API_READ_ONLY)],
    # donors get suppressed rows, only of breakdowns whose rows add up (not by gender or partner)
    "api/v1/figures/breakdown": [get(API_ROLES, query="by=year"), get("200 200 200 200 400 NO 401", query="by=gender"),
                                 get("400 400 400 400 400 NO 401", query="by=weekday")],
    "api/v1/trainings": [get(API_ROLES), get(API_ROLES, query="country=KG&modified_since=2000-01-01"),
                         get("400 400 400 400 400 NO 401", query="modified_since=soon")],
    "api/v1/trainings/<str:key>": [
        get("200 200 NO  NO  200 NO 401", key="institute_a"),
        get("200 NO  200 NO  200 NO 401", key="institute_b"),
        get("200 200 NO  200 200 NO 401", key="step_down_a"),
    ],
    # a tree shows each training's own head-counts: staff only, as the page
    "api/v1/trainings/<str:key>/tree": [
        get("200 200 NO  NO  403 NO 401", key="institute_a"),
        get("200 200 NO  200 403 NO 401", key="step_down_a"),
    ],
    "api/v1/people": [get("200 200 200 200 403 NO 401")],
    "api/v1/manuals": [get(API_ROLES)],
    # an empty report: its errors for who may report, nothing saved
    "api/v1/step-downs": [get("405 405 405 405 405 NO 401"), post("400 400 400 400 403 NO 401")],
    "api/v1/imports": [get("405 405 405 405 405 NO 401"),
                       post("202 202 202 403 403 NO 401", data={"file": lambda: workbook_upload(),
                                                                "dry_run": "true"})],
    "api/v1/jobs/<uuid:pk>": [get("200 200 NO NO NO NO 401", pk="job_bob"),
                              get("200 NO NO NO 200 NO 401", pk="job_erin")],
    # --- API tokens in the staff app: her own; every token for the network admin ----------------------
    "tokens/": [get(SIGNED_IN), post(SIGNED_IN, data={"days": "30", "scope": "read"}),
                post("400 400 400 400 400 NO LOGIN", data={"days": "0"})],
    "tokens/<int:pk>/revoke/": [get("405 405 405 405 405 NO LOGIN", pk="token_bob"),
                                post("->/tokens/ ->/tokens/ 404 404 404 NO LOGIN", pk="token_bob"),
                                post("->/tokens/ 404 404 404 ->/tokens/ NO LOGIN", pk="token_erin")],
}

def workbook_upload():
    """A workbook whose one organisation has no name: the preview lists the error and keeps nothing."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("organizations.csv", "key,name,kind,country,city\nnew-partner,,partner,KZ,Shymkent\n")
    return SimpleUploadedFile("network.zip", data.getvalue(), content_type="application/zip")


# The admin: network admins everywhere; partner staff view and change their own objects of the
# models they work on ("edit"), view reference data ("view"), and nothing else ("none"); every
# other role is refused (403), and the public sent to sign in. Objects: partner A's and partner
# B's (None where a model has no partner: its first row stands for it). Last, the actions the admin offers nobody.
ADMIN_MODELS = {
    "trainings.training": ("edit", "institute_a", "institute_b"),
    "trainings.participation": ("edit", "participation_a", "participation_b"),
    "network.person": ("edit", "participant_a", "participant_b"),
    "photos.photo": ("edit", "photo_a", "photo_b", "add"),  # photos come in through the staff app's upload
    "network.organization": ("view", "swrc", "birduino"),
    "network.region": ("view", None, None),
    "network.country": ("view", None, None),
    "network.place": ("edit", None, None),  # staff add a village the gazetteer lacks
    "curriculum.manual": ("view", None, None),
    "curriculum.manualsession": ("view", None, None),
    "curriculum.edition": ("view", None, None),
    "indicators.indicatorobservation": ("view", None, None),
    "audit.auditentry": ("none", None, None, "add delete"),  # the logs are read, never written by hand
    "auditlog.logentry": ("none", None, None, "add delete"),
    "axes.accessattempt": ("none", None, None, "add"),
    "axes.accesslog": ("none", None, None, "add"),
    "axes.accessfailurelog": ("none", None, None, "add"),
    "accounts.role": ("none", None, None),
    "accounts.invitation": ("none", "invitation_a", None, "add delete"),  # made on the users' page
    "selection.call": ("none", "call_a", "call_b"),
    "selection.application": ("none", "application_a", "application_b"),
    "selection.certificate": ("none", "certificate", None),
    "selection.emailtemplate": ("none", None, None),
    "auth.group": ("none", None, None),
    "auth.user": ("none", "bob", "carol"),
    "otp_totp.totpdevice": ("none", None, None),
    "otp_static.staticdevice": ("none", None, None),
    # the queue behind background jobs (ids only; the jobs' pages show them to their owners)
    "django_tasks_database.dbtaskresult": ("none", None, None, "add delete"),
}

# Rows that trainings point at (protected keys): deleting one shows what keeps it, and deletes nothing.
KEPT_BY_TRAININGS = {"network.region", "network.organization", "curriculum.manual", "curriculum.manualsession",
                     "network.place"}  # (the first place is an organisation's city)

ADMIN_SITE_PAGES = {
    "admin/": [get("200 200 200 403 403 NO ADMIN")],
    # A role without the admin is refused at once (sending her to sign in again would loop).
    "admin/login/": [get("->/accounts/login/?next=%2Fadmin%2F " * 3 + "403 403 NO ->/accounts/login/?next=%2Fadmin%2F")],
    "admin/logout/": [get("405 405 405 403 403 NO ->/admin/")],
    "admin/password_change/": [get("200 200 200 403 403 NO ADMIN")],
    "admin/password_change/done/": [get("200 200 200 403 403 NO ADMIN")],
    "admin/autocomplete/": [get("403 403 403 403 403 NO ADMIN")],
    "admin/jsi18n/": [get("200 200 200 403 403 NO ADMIN")],
    "admin/r/<path:content_type_id>/<path:object_id>/": [get("404 404 404 403 403 NO ADMIN",
                                                             content_type_id=0, object_id="1")],
    "admin/(?P<url>.*)$": [get("404 404 404 403 403 NO ADMIN", url="no-such-page/")],
}
# Each app's index: partner staff see those of the apps they work in.
ADMIN_APPS_FOR_PARTNER_STAFF = {"network", "trainings", "photos", "curriculum", "indicators"}


# --- The world, once for this module --------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo network and one of everything, in a transaction rolled back after the module."""
    media = tmp_path_factory.mktemp("walk-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            objects = build_world()
            objects["media"] = media
            yield objects
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, world):
    """The world's photos and files stay where it put them (this replaces tests/conftest.py's)."""
    settings.MEDIA_ROOT = world["media"]


# --- Walking ---------------------------------------------------------------------------------


def walk(resolver=None, prefix="", namespace=""):
    """(pattern, namespace) for every URL pattern, included ones too."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if entry.namespace else namespace
            yield from walk(entry, prefix + str(entry.pattern), inner.strip(":"))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), namespace


def admin_model(pattern: str):
    """The model label of an admin page's pattern ("admin/network/person/add/" -> network.person)."""
    parts = pattern.split("/")
    return f"{parts[1]}.{parts[2]}" if len(parts) > 3 and parts[1] and not parts[1].startswith(("^", "<")) else None


def value_of(name, value, world):
    """A world object's pk, or its slug, token, code or key where the pattern names one."""
    if not (isinstance(value, str) and value in world):
        return value
    attribute = name if name in ("slug", "token", "code", "key") else "pk"
    return getattr(world[value], attribute)


def path_of(pattern: str, case: Case, world) -> str:
    path = pattern
    if "(?P<" in pattern:  # a re_path: its named groups become parameters
        path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: f"<{m.group(1)}>", pattern)
        path = path.replace("^", "").replace("$", "").replace("\\.", ".")
    for name, value in case.params.items():
        value = value_of(name, value, world)
        path = re.sub(rf"<(?:\w+:)?{name}>", str(value), path)
    assert "<" not in path, f"{pattern}: no value for {path}"
    return "/" + path + (f"?{case.query}" if case.query else "")


def expected_of(case: Case, persona: str, world) -> str:
    tokens = case.outcomes.split()
    assert len(tokens) == len(OUTCOME_ORDER), f"{case}: one outcome per persona ({len(OUTCOME_ORDER)})"
    token = tokens[OUTCOME_ORDER.index(persona)]
    return re.sub(r"\{(\w+)\}", lambda m: str(world[m.group(1)].pk), token)


def matches(expected: str, response) -> bool:
    location = response.headers.get("Location", "")
    if expected == "NO":
        return response.status_code in (403, 404)
    if expected == "AWAY":  # the admin's refusals: forbidden, or "does not exist" and back to its index
        return response.status_code in (403, 404) or (response.status_code == 302 and location == "/admin/")
    if expected == "LOGIN":
        return response.status_code == 302 and location.startswith("/accounts/login/?next=")
    if expected == "ADMIN":
        return response.status_code == 302 and location.startswith("/admin/login/?next=")
    if expected.startswith("->"):
        return response.status_code == 302 and location == expected[2:]
    if expected == "JOB":
        return response.status_code == 302 and re.fullmatch(r"/jobs/[0-9a-f-]{36}/", location) is not None
    return response.status_code == int(expected)


def client_for(user) -> Client:
    client = Client(raise_request_exception=False)  # a server error is an outcome (500), not the walk's end
    if user is not None:
        client.force_login(user)  # with the second factor passed (tests/conftest.py)
    return client


def fingerprint() -> tuple:
    """What the staff pages' forms change: a refused request must leave all of it as it was."""
    from cascade.jobs.models import Job
    from cascade.photos.models import Photo
    from cascade.selection.models import Application, Attendance, Call, Certificate, Criterion, Question, Quota, Review
    from cascade.stories.models import StoryDraft
    from cascade.trainings.models import Participation, Training

    from django.contrib.auth import get_user_model

    from cascade.accounts.models import Invitation, Role

    return (tuple(Invitation.objects.order_by("pk").values_list("state", "kind", "token_digest")),
            tuple(Role.objects.order_by("pk").values_list("kind", "organization_id", "person_id", "can_manage_users")),
            tuple(get_user_model().objects.order_by("pk").values_list("is_active", flat=True)),
            tuple(Call.objects.order_by("pk").values_list("status", flat=True)),
            tuple(Application.objects.order_by("pk").values_list("status", "override", "decided_at", "full_name")),
            tuple(StoryDraft.objects.order_by("pk").values_list("text", flat=True)),
            *(model.objects.count() for model in (Question, Criterion, Quota, Certificate, Training, Photo, Person,
                                                  Participation, Review, Attendance, Call.reviewers.through, Job)))


def request(client, path, case: Case):
    if case.method == "POST":  # a file to upload is made anew for each request
        return client.post(path, {name: value() if callable(value) else value for name, value in case.data.items()})
    return client.get(path)


# --- What a persona may not find ----------------------------------------------------------


def text_of(response) -> str:
    """The readable text of an answer: a page, a spreadsheet, a Word or PDF file."""
    body = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    kind = response.headers.get("Content-Type", "")
    if body.startswith(b"%PDF"):
        if not shutil.which("pdftotext"):
            pytest.fail("pdftotext is missing: `make pdftotext` (apt-get install poppler-utils).")
        return subprocess.run(["pdftotext", "-layout", "-", "-"], input=body, capture_output=True,
                              check=True).stdout.decode()
    if body.startswith(b"PK"):
        names = zipfile.ZipFile(io.BytesIO(body)).namelist()
        if any(n.startswith("xl/") for n in names):
            import openpyxl

            book = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
            return "\n".join(" ".join(str(v) for v in row if v is not None)
                             for sheet in book for row in sheet.iter_rows(values_only=True))
        if any(n.startswith("word/") for n in names):
            import docx

            document = docx.Document(io.BytesIO(body))
            cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
            return "\n".join([p.text for p in document.paragraphs] + cells)
    if kind.startswith("image/") and "svg" not in kind:
        return ""
    return html.unescape(body.decode(errors="replace"))


def contacts(someone) -> list[str]:
    """The name, e-mail and phone of a person or an applicant."""
    return [value for value in (someone.full_name, someone.email, someone.phone) if value]


class Secrets:
    """Names, e-mails and phones a persona may not see, found fast: words first, then the string."""

    def __init__(self, people, applicants=()):
        self.items = []
        for someone in [*people, *applicants]:
            whose = getattr(someone, "key", None) or f"applicant {someone.pk}"
            for value in contacts(someone):
                self.items.append((whose, value, set(re.findall(r"\w+", value))))

    def found_in(self, text: str, shown=()) -> list[str]:
        """What of it ``text`` holds; ``shown``: names this text may hold, given with consent."""
        words = set(re.findall(r"\w+", text))
        return [f"{value!r} of {whose}" for whose, value, needed in self.items
                if needed <= words and value in text and value not in shown]


def secrets_for(user) -> Secrets:
    """Everyone, applicants too, for the nameless; for staff, whoever is outside their scope and calls."""
    from cascade.selection.models import Application

    if user is None or not access.can_see_people(user):
        return Secrets(Person.objects.all(), Application.objects.all())
    calls = access.visible_calls(user)
    applicants = Person.objects.filter(participations__application__call__in=calls)
    return Secrets(Person.objects.exclude(pk__in=access.visible_people(user).values("pk")).exclude(pk__in=applicants),
                   Application.objects.exclude(call__in=calls))


FIGURE_CELLS = "//td[contains(concat(' ', @class, ' '), ' n ')] | //*[contains(concat(' ', @class, ' '), ' value ')] | //dd"


def raw_small_counts(text: str) -> list[str]:
    """Figures of a page that show a count of people from 1 to 4 where readers must see "<5".

    What a figure counts is declared once (``cascade.access.suppression.COUNTS``) and marked
    on the page (``data-counts``). Only counts of no one (trainings, generations: marked and
    not "people") are shown as they are (docs/security.md); every other cell, marked as
    people or not marked at all, is held to the rule."""
    import lxml.html

    found = []
    for cell in lxml.html.fromstring(text).xpath(FIGURE_CELLS):
        marks = {str(mark) for mark in cell.xpath(".//@data-counts | .//@data-of")}
        if marks and "people" not in marks:
            continue
        for part in cell.text_content().split("·"):
            shown = part.split(":")[-1].strip()
            if re.fullmatch(r"[1-4]", shown):
                found.append(" ".join(cell.text_content().split()))
    return found


def check_answer(persona, response, text, secrets, path, shown=()) -> list[str]:
    problems = [f"{path}: {persona} found {leak}" for leak in secrets.found_in(text, shown)]
    if persona in NAMELESS and "html" in response.headers.get("Content-Type", "") and text.strip():
        problems += [f"{path}: {persona} reads the raw small count {cell!r}" for cell in raw_small_counts(text)]
    return problems


# --- The tests -------------------------------------------------------------------------------


def admin_cases(pattern: str, world) -> list[Case]:
    """The expectations of a model's admin pages, from its row in ADMIN_MODELS."""
    label = admin_model(pattern)
    partner, a, b, *closed = ADMIN_MODELS[label]
    closed = closed[0].split() if closed else []  # actions the admin offers nobody
    a = a or label.replace(".", "_")  # a model no partner owns: its first row
    tail = pattern.split("/", 3)[3]
    others = "403 403 NO ADMIN"
    view = {"edit": "200", "view": "200", "none": "403"}[partner]
    if tail == "":  # the list, and a search for a letter every name holds (its hits go through the leak check)
        return [get(f"200 {view} {view} {others}"), get(f"200 {view} {view} {others}", query="q=a")]
    if tail == "add/":
        if "add" in closed:
            return [get(f"403 403 403 {others}")]
        add = "200" if partner == "edit" else "403"
        return [get(f"200 {add} {add} {others}")]
    if tail in ("<id>/password/", "<int:pk>/config/", "<int:pk>/qrcode/"):  # users' and devices' own pages
        name = tail.split(":")[-1].split(">")[0] if ":" in tail else "id"
        return [get(f"200 AWAY AWAY {others}", **{name: a})]
    if tail == "<path:object_id>/":
        return [get(f"->/admin/{label.replace('.', '/')}/{{{a}}}/change/ " * 3 + others, object_id=a)]
    action = tail.split("/")[1]  # change, delete, history; or a model's own page (password, qrcode)
    owned = b is not None  # partner A and partner B each have one
    cases = []
    for obj in (a, b) if owned else (a,):
        if partner == "none" or action == "delete":
            staff = ("AWAY", "AWAY")
        elif partner == "view" or not owned:  # reference data and public bodies, the same for every partner
            staff = ("200", "200")
        else:
            staff = ("200", "AWAY") if obj == a else ("AWAY", "200")
        admin = "403" if action in closed else "200"
        cases.append(get(f"{admin} {staff[0]} {staff[1]} {others}", object_id=obj))
        if action == "change" and partner == "edit":  # an empty form: its errors for those who may, no change
            cases.append(post(f"200 {staff[0]} {staff[1]} {others}", object_id=obj))
        if action == "delete":  # confirmed: only a network admin deletes, and back to the list
            done = ("403" if "delete" in closed else "200" if label in KEPT_BY_TRAININGS
                    else f"->/admin/{label.replace('.', '/')}/")
            cases.append(post(f"{done} AWAY AWAY {others}", object_id=obj, data={"post": "yes"}))
    return cases


@pytest.fixture
def admin_objects(world):
    from cascade.trainings.models import Participation

    objects = dict(world)
    objects["participation_a"] = Participation.objects.filter(person=world["participant_a"],
                                                              training=world["institute_a"]).first()
    objects["participation_b"] = Participation.objects.filter(person=world["participant_b"],
                                                              training=world["institute_b"]).first()
    for model in site._registry:
        label = model._meta.label_lower
        objects.setdefault(label.replace(".", "_"), model._default_manager.order_by("pk").first())
        assert objects[label.replace(".", "_")] is not None, f"The world has no {label} to open in the admin."
    return objects


def cases_of(pattern, namespace, world):
    if namespace == "admin":
        if admin_model(pattern) in ADMIN_MODELS:
            return admin_cases(pattern, world)
        if pattern.startswith("admin/^(?P<app_label>"):
            return [get("200 200 200 403 403 NO ADMIN" if app in ADMIN_APPS_FOR_PARTNER_STAFF else
                        "200 NO NO 403 403 NO ADMIN", app_label=app)
                    for app in sorted({m._meta.app_label for m in site._registry})]
        return ADMIN_SITE_PAGES.get(pattern)
    return PAGES.get(pattern)


def test_every_url_pattern_has_an_expectation(world):
    patterns = list(walk())
    missing = [f"{pattern} ({namespace})" for pattern, namespace in patterns
               if cases_of(pattern, namespace, world) is None]
    assert not missing, "Decide who may open these pages, in tests/access/test_personas.py: " + ", ".join(missing)
    gone = (set(PAGES) | set(ADMIN_SITE_PAGES)) - {pattern for pattern, _namespace in patterns}
    assert not gone, f"These rows name no page any more: {sorted(gone)}"


def test_every_admin_model_has_a_row():
    labels = {model._meta.label_lower for model in site._registry}
    assert labels <= set(ADMIN_MODELS), f"Add these models to ADMIN_MODELS: {sorted(labels - set(ADMIN_MODELS))}"


@pytest.mark.parametrize("persona", OUTCOME_ORDER)
def test_each_persona_opens_only_what_her_role_allows_and_nothing_leaks(persona, world, admin_objects):
    users = {name: world[name] for name in PERSONAS}
    user = users.get(persona)
    client = client_for(user)
    secrets = secrets_for(user)
    wrong = []
    for pattern, namespace in walk():
        for case in cases_of(pattern, namespace, admin_objects) or ():
            path = path_of(pattern, case, admin_objects)
            expected = expected_of(case, persona, admin_objects)
            with transaction.atomic():  # a request that writes leaves nothing for the next one
                before = fingerprint() if case.method == "POST" else None
                response = request(client_for(user) if case.fresh else client, path, case)
                if before is not None and expected in ("NO", "LOGIN", "ADMIN", "AWAY") and fingerprint() != before:
                    wrong.append(f"POST {path}: {persona} was refused, yet something changed")
                if not matches(expected, response):
                    wrong.append(f"{case.method} {path}: {persona} expected {expected}, got "
                                 f"{response.status_code} {response.headers.get('Location', '')}")
                if response.status_code == 200:
                    shown = [value for name in case.shows for value in contacts(admin_objects[name])]
                    wrong += check_answer(persona, response, text_of(response), secrets, path, shown)
                transaction.set_rollback(True)
    assert not wrong, f"{len(wrong)} problems:\n" + "\n".join(wrong)


@pytest.mark.parametrize("persona", OUTCOME_ORDER)
def test_each_personas_api_token_opens_what_her_session_does(persona, world, admin_objects):
    """Every API URL again with a read-write token of each persona instead of a session (anonymous: none).

    A token skips the sign-in pages and their middleware: the API itself refuses who has no role (403)."""
    from cascade.api.models import ApiToken, digest

    user = world.get(persona)
    headers = {}
    if user is not None:
        secret, prefix = ApiToken.make_secret()  # nora's too: the service makes none for a user without a role
        ApiToken.objects.create(user=user, prefix=prefix, digest=digest(secret), scope="read-write")
        headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    client = Client(raise_request_exception=False)
    secrets = secrets_for(user)
    wrong, walked = [], 0
    for pattern, namespace in walk():
        if not pattern.startswith("api/v1/"):
            continue
        for case in cases_of(pattern, namespace, admin_objects):
            path = path_of(pattern, case, admin_objects)
            expected = expected_of(case, persona, admin_objects)
            with transaction.atomic():
                before = fingerprint() if case.method == "POST" else None
                if case.method == "POST":
                    data = {name: value() if callable(value) else value for name, value in case.data.items()}
                    response = client.post(path, data, **headers)
                else:
                    response = client.get(path, **headers)
                walked += 1
                if before is not None and expected in ("NO", "401") and fingerprint() != before:
                    wrong.append(f"POST {path}: {persona}'s token was refused, yet something changed")
                if not matches(expected, response):
                    wrong.append(f"{case.method} {path}: {persona}'s token expected {expected}, got "
                                 f"{response.status_code}")
                if response.status_code == 200:
                    wrong += check_answer(persona, response, text_of(response), secrets, path)
                transaction.set_rollback(True)
    assert walked >= 20
    assert not wrong, f"{len(wrong)} problems:\n" + "\n".join(wrong)


def test_the_walk_reads_the_words_of_every_kind_of_download(world):
    """The leak check reads PDF, Word and spreadsheet files, not only pages: else it could not fail."""
    client = client_for(world["alice"])
    city = world["institute_a"].city
    for fmt in ("pdf", "docx", "html"):
        response = client.get(f"/stories/{world['institute_a'].key}/en/export.{fmt}")
        assert city in text_of(response), fmt
    book = text_of(client.get("/stories/report.xlsx"))
    assert "Kazakhstan" in book or "KZ" in book
    assert secrets_for(world["erin"]).found_in(f"<td>{world['participant_a'].full_name}</td>")
    assert secrets_for(world["erin"]).found_in(f"<td>{world['application_a'].email}</td>")


def test_a_donors_report_job_gives_her_the_file_of_her_link_and_nothing_more(world):
    """The walk reads the file a job makes too: a donor's report job hides what her link hides."""
    from cascade.jobs.worker import drain

    client = client_for(world["erin"])
    with transaction.atomic():
        started = client.post("/stories/report.pdf?since=2018-01-01")
        assert matches("JOB", started), started.headers.get("Location")
        drain()  # the world's queue holds a finished job too, which the worker passes over
        made = client.get(started.headers["Location"] + "result/")
        assert made.status_code == 200
        text = text_of(made)
        assert text == text_of(client.get("/stories/report.pdf?since=2018-01-01"))
        assert check_answer("erin", made, text, secrets_for(world["erin"]), "the job's file") == []
        assert client_for(world["bob"]).get(started.headers["Location"] + "result/").status_code == 404
        transaction.set_rollback(True)


# --- Differencing: two adjacent views must not give a small cell away by subtraction ----------------


def shown_figures(text: str) -> dict[str, int | None]:
    """The dashboard's figures by place (headline, or section / row / column): a number, or None if hidden.

    ``PEOPLE_MARKED`` collects the places whose figure the page marks as a count of people
    (``data-counts="people"``, declared in cascade.access.suppression.COUNTS)."""
    import lxml.html

    page = lxml.html.fromstring(text)
    figures = {}

    def number(element):
        if element.xpath(".//*[contains(concat(' ', @class, ' '), ' suppressed ')]"):
            return None  # "<5", "*" or a range ("130–139"), with its reason beside it
        shown = " ".join(element.text_content().split())
        digits = re.sub(r"[\s,.\u00a0\u202f\u066c]", "", shown)
        return int(digits) if digits.isdigit() else None

    for stat in page.xpath("//*[@data-figure]"):
        value = stat.xpath(".//*[contains(concat(' ', @class, ' '), ' value ')]")
        if value:
            figures[f"headline {stat.get('data-figure')}"] = number(value[0])
            if value[0].xpath(".//*[@data-counts='people']"):
                PEOPLE_MARKED.add(f"headline {stat.get('data-figure')}")
    for table in page.xpath("//table[thead]"):
        columns = [" ".join(th.text_content().split()) for th in table.xpath("./thead/tr/th")]
        for row in table.xpath("./tbody/tr"):
            header = row.xpath("./th")
            label = " ".join(header[0].text_content().split()) if header else ""
            for column, cell in enumerate(row.xpath("./td"), start=len(header)):
                if "n" in (cell.get("class") or "").split() and column < len(columns):
                    figures[f"{columns[0] or 'table'} {label} / {columns[column]}"] = number(cell)
                    if cell.xpath(".//*[@data-counts='people']"):
                        PEOPLE_MARKED.add(f"{columns[0] or 'table'} {label} / {columns[column]}")
    return figures


# Figures that count people (the ones suppression protects): those the page marks so, and these by
# name whatever the markup says (strict for people); counts of trainings and generations count no
# one and are public to donors, who open every training's page.
PEOPLE_FIGURES = ("headline trained", "headline trainers", "headline reach", "/ Named people",
                  "/ Unnamed head-count", "/ Reach")
PEOPLE_MARKED: set[str] = set()


def adjacent_views(world) -> list[tuple[str, str]]:
    """Pairs of dashboard queries whose trainings differ by little: one day more, one country less."""
    from cascade.trainings.models import Training

    smallest = sorted(Training.objects.filter(kind="step-down"),
                      key=lambda t: (t.headcount + t.participations.count(), t.key))[:6]
    pairs = []
    for training in smallest:
        day, before = training.start_date, training.start_date - datetime.timedelta(days=1)
        after = training.start_date + datetime.timedelta(days=1)
        pairs.append((f"until={day}", f"until={before}"))
        pairs.append((f"since={day}", f"since={after}"))
        pairs.append((f"country={training.country_id}&until={day}", f"country={training.country_id}&until={before}"))
    pairs += [("", "country=KZ"), ("", "country=KG"), ("", "partner=swrc"), ("", "partner=bir-duino")]
    return pairs


@pytest.mark.parametrize("persona", ["erin"])
def test_no_hidden_figure_comes_out_of_subtracting_two_adjacent_views(persona, world):
    """For every pair of views where one holds the other's trainings and a few more, every count of
    people shown on both differs by 0 or by 5 and more: a difference from 1 to 4 is a small cell given away."""
    client = client_for(world[persona])
    pages = {}
    given_away = []
    for wider, narrower in adjacent_views(world):
        for query in (wider, narrower):
            if query not in pages:
                response = client.get(f"/?{query}")
                assert response.status_code == 200, query
                pages[query] = shown_figures(response.content.decode())
        assert pages[wider], f"no figures found on /?{wider}"
        for place, value in pages[wider].items():
            if not place.endswith(PEOPLE_FIGURES) and place not in PEOPLE_MARKED:
                continue
            other = pages[narrower].get(place, 0 if value is not None else None)
            if value is not None and other is not None and 1 <= value - other <= 4:
                given_away.append(f"{place}: /?{wider} shows {value}, /?{narrower} shows {other}")
    assert not given_away, f"{len(given_away)} small cells recovered by subtraction:\n" + "\n".join(given_away)
    # what a figure counts is read from the page's markup: generations count no one, reach counts people
    assert "headline reach" in PEOPLE_MARKED and "headline generations" not in PEOPLE_MARKED
