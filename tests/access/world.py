"""The persona walk's world: the demo network, plus one of everything a page can show.

Built once for tests/access/test_personas.py inside a transaction that is rolled
back when the module ends (see ``world`` there), so no other test sees it. Partner A
is SWRC (Kazakhstan), partner B is Bir Duino (Kyrgyzstan); every object a page takes
comes in an A and, where it belongs to a partner, a B version.
"""

import datetime
import io

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from cascade.curriculum.models import Edition, Manual
from cascade.demo.network import build_demo_network
from cascade.network.models import Country, Organization, Person
from cascade.photos.models import Photo
from cascade.photos.services import upload_photo
from cascade.selection import services as selection
from cascade.selection.models import Application, ApplicationFile, Certificate, Criterion, EmailTemplate, Question
from cascade.stories import services as stories
from cascade.trainings.models import Participation, Training
from tests.conftest import PERSONAS, make_persona


def _picture() -> SimpleUploadedFile:
    data = io.BytesIO()
    Image.new("RGB", (16, 12), "#5a2a82").save(data, "JPEG")
    return SimpleUploadedFile("group.jpg", data.getvalue(), content_type="image/jpeg")


def _call(user, host, status, *, reviewers=(), days_ahead=30):
    call = selection.create_call(
        user, title={"en": f"Leadership institute of {host.short_name or host.name}, 2027"}, host=host,
        country=host.country, city=host.city, start_date=datetime.date(2027, 1, 20),
        end_date=datetime.date(2027, 1, 22), deadline=timezone.now() + datetime.timedelta(days=days_ahead),
        places=2, languages=["en", "ru"], eligible_countries=[])
    Criterion.objects.create(call=call, order=1, name={"en": "Experience"}, weight=1)
    Question.objects.create(call=call, order=1, kind="long text", label={"en": "Your experience"})
    call.status = status
    call.save()
    call.reviewers.set(reviewers)
    return call


_phones = iter(range(100, 200))


def _application(call, name, status, **fields):
    fields.setdefault("submitted_at", timezone.now() if status != Application.Status.DRAFT else None)
    return Application.objects.create(
        call=call, status=status, language="en", full_name=name, email=f"{name.split()[0].lower()}@example.net",
        phone=f"+7 701 555 0{next(_phones)}", country=Country.objects.get(code="KZ"), gender="woman",
        consent_data=True, answers={}, **fields)


from cascade.jobs.models import Job  # noqa: E402


def build_world() -> dict:
    build_demo_network()
    o = {}
    o["swrc"] = Organization.objects.get(key="swrc")
    o["birduino"] = Organization.objects.get(key="bir-duino")
    o["osce"] = Organization.objects.get(key="osce")
    o["institute_a"] = Training.objects.get(key="shymkent-2019")
    o["institute_b"] = Training.objects.get(key="bishkek-2018")
    # Step-downs that name their participants, reported with the partner as co-organiser.
    o["step_down_a"] = Training.objects.get(key="sd-shymkent-2019-02")
    o["step_down_b"] = Training.objects.get(key="sd-bishkek-2018-02")
    o["step_down_a"].co_organisers.add(o["swrc"])
    o["step_down_b"].co_organisers.add(o["birduino"])

    def first(training, role):
        return (Participation.objects.filter(training=training, role=role)
                .order_by("person__key").select_related("person").first().person)

    o["dave_person"] = first(o["step_down_a"], "facilitator")  # dave trains as her, at step-down A
    o["trainee_a"] = first(o["step_down_a"], "participant")
    o["trainee_b"] = first(o["step_down_b"], "participant")
    led_a = Participation.objects.filter(training=o["step_down_a"]).values("person_id")
    o["participant_a"] = (Person.objects.filter(participations__training=o["institute_a"],
                                                participations__role="participant")
                          .exclude(pk__in=led_a).order_by("key").first())
    o["participant_b"] = first(o["institute_b"], "participant")

    users = make_persona_users(o)
    o.update(users)

    # Photos: the demo's flip chart (no one on it) on institute A; a consented group photo on each institute.
    o["flipchart"] = Photo.objects.get(training=o["institute_a"], shows_people=False)
    o["photo_a"] = upload_photo(training=o["institute_a"], upload=_picture(), shows_people=True,
                                consent_recorded=True, people=[o["participant_a"]],
                                caption={"en": "Day two, the coalition exercise"}, actor=users["alice"])
    o["photo_b"] = upload_photo(training=o["institute_b"], upload=_picture(), shows_people=True,
                                consent_recorded=True, people=[o["participant_b"]],
                                caption={"en": "The closing circle"}, actor=users["alice"])

    # Story drafts (nothing is published: a draft is for the staff who write it).
    o["draft_a"] = stories.generate_draft(o["institute_a"], "en", users["alice"])
    o["draft_b"] = stories.generate_draft(o["institute_b"], "en", users["alice"])

    # Curriculum: an edition with a file (the demo's), one with only a link, one with neither.
    manual = Manual.objects.get(key="leading-to-choices")
    o["manual"] = manual
    o["edition_file"] = manual.editions.exclude(file="").order_by("pk").first()
    o["edition_link"] = Edition.objects.create(manual=manual, language="uz", variant="online", url="https://example.org/ltc-uz.pdf")
    o["edition_none"] = manual.editions.filter(file="", url="").order_by("pk").first()

    # Calls for applications: partner A's open call (dave reviews it), a draft, and partner B's open call.
    o["call_a"] = _call(users["alice"], o["swrc"], "open", reviewers=[users["dave"]])
    o["call_a_draft"] = _call(users["alice"], o["swrc"], "draft")
    o["call_b"] = _call(users["alice"], o["birduino"], "open")
    letter = Question.objects.create(call=o["call_a"], order=2, kind="file", label={"en": "Letter"},
                                     required=False)
    o["question_a"] = letter
    o["application_a"] = _application(o["call_a"], "Aizada Applicantova", Application.Status.SUBMITTED)
    o["application_file"] = ApplicationFile.objects.create(
        application=o["application_a"], question=letter, name="letter.txt", size=5,
        file=ContentFile(b"hello", name="letter.txt"))
    o["application_b"] = _application(o["call_b"], "Bermet Applicantova", Application.Status.SUBMITTED)
    o["draft_application"] = _application(o["call_a"], "Dinara Draftova", Application.Status.DRAFT)
    o["accepted"] = _application(o["call_a"], "Asel Acceptedova", Application.Status.ACCEPTED)
    confirmed = _application(o["call_a"], "Kamila Certifiedova", Application.Status.ACCEPTED)
    participation = selection.confirm(confirmed)
    participation.completed = True
    participation.save()
    o["certificate"] = Certificate.objects.create(participation=participation, language="en", public=False)
    # A holder who agreed that the certificate check shows her name to whoever has the code.
    consented = _application(o["call_a"], "Saltanat Publicova", Application.Status.ACCEPTED,
                             consent_verification=True)
    participation = selection.confirm(consented)
    o["public_holder"] = participation.person
    o["public_certificate"] = Certificate.objects.create(participation=participation, language="en", public=True)
    EmailTemplate.objects.create(call=o["call_a"], kind="received", subject={"en": "Thank you"},
                                 body={"en": "Dear {name}, we received your application to {call}."})
    # Background jobs: a partner's import check and a donor's report, finished.
    o["job_bob"] = Job.objects.create(kind="spreadsheet-export", owner=users["bob"], state=Job.State.DONE,
                                      title="SWRC export")
    o["job_erin"] = Job.objects.create(kind="donor-report", owner=users["erin"], state=Job.State.DONE,
                                       title="Donor report")
    from cascade.jobs.tasks import run_job

    run_job.enqueue(str(o["job_bob"].pk))  # its row in the queue (the admin lists the queue)
    # API tokens: a partner's and a donor's (the API's own walk makes one per persona).
    from cascade.access import operator
    from cascade.api import services as api_tokens

    o["token_bob"], _secret = api_tokens.create_token(operator(), users["bob"], scope="read")
    o["token_erin"], _secret = api_tokens.create_token(operator(), users["erin"], scope="figures")
    # Invitations: partner A's (bob's, by its link too) and partner B's (the network admin's).
    from types import SimpleNamespace

    from cascade.accounts import services as accounts

    o["invitation_a"], token = accounts.invite(users["bob"], email="invitee-a@example.com", kind="partner-staff",
                                               organization=o["swrc"], site="http://testserver")
    o["invitation_link"] = SimpleNamespace(pk=o["invitation_a"].pk, token=token)
    o["invitation_b"], _token = accounts.invite(users["alice"], email="invitee-b@example.com",
                                                kind="partner-staff", organization=o["birduino"])
    _admin_rows(users)
    return o


def _admin_rows(users) -> None:
    """A row in each admin table the network does not fill itself: groups, backup codes, sign-in logs."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.auth.models import Group

    from cascade.accounts.two_factor import new_backup_codes

    Group.objects.create(name="Evaluators")
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=users["alice"], name="phone", confirmed=True)
    new_backup_codes(users["alice"])
    seen = {"username": "someone", "ip_address": "203.0.113.9", "user_agent": "walk", "http_accept": "*/*",
            "path_info": "/accounts/login/"}
    AccessAttempt.objects.create(**seen, get_data="", post_data="", failures_since_start=1)
    AccessLog.objects.create(**seen)
    AccessFailureLog.objects.create(**seen, locked_out=False)


def make_persona_users(o: dict) -> dict:
    partners = {"swrc": o["swrc"], "birduino": o["birduino"]}
    return {name: make_persona(name, partners=partners, trainer_person=o["dave_person"]) for name in PERSONAS}
