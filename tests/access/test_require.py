"""``access.require``: every service that writes checks its actor, whoever calls it.

Each finding of the review is a test here: services refuse an actor outside her
role or scope (and nothing is half-written), commands act as the operator, a
signed-in user without a role sees nothing, and every public function of a
services module that writes takes an ``actor``.
"""

import datetime
import importlib
import inspect
import io
import pkgutil

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

import cascade
from cascade import access
from cascade.audit.models import AuditEntry
from cascade.network.models import Person
from cascade.trainings.models import Training
from tests.selection.conftest import create_call, people  # noqa: F401  (fixtures)

# --- The rule itself -----------------------------------------------------------------------


def test_require_names_what_was_refused(personas, network):
    with pytest.raises(PermissionDenied, match="change this training"):
        access.require("trainings.change", personas["erin"], network["institute"])


def test_require_refuses_when_there_is_no_actor(network):
    for actor in (None, get_user_model()(username="nobody")):
        with pytest.raises(PermissionDenied):
            access.require("trainings.change", actor, network["institute"])


def test_an_unknown_rule_is_an_error_not_a_permission(personas):
    with pytest.raises(KeyError, match="No access rule"):
        access.require("trainings.teleport", personas["alice"])


def test_the_operator_at_the_command_line_may_act_and_is_named_in_the_log(network):
    from cascade.audit import actor

    token = actor.at_command_line()
    try:
        access.require("people.erase", access.operator(), network["aigul"])
        from cascade.audit.services import log

        entry = log("cascade.person.viewed", access.operator(), network["aigul"])
    finally:
        actor.done(token)
    assert entry.user is None and entry.username.endswith("(command line)")


@pytest.mark.parametrize("rule, allowed", [
    ("trainings.change", {"alice", "bob"}),
    ("trainings.delete", {"alice"}),
    ("photos.upload", {"alice", "bob"}),
    ("stories.write", {"alice", "bob"}),
    ("people.erase", {"alice"}),
    ("spreadsheets.import", {"alice", "bob", "carol"}),  # partner staff: their partner's rows only
    ("spreadsheets.export", {"alice", "bob", "carol"}),
    ("figures.read", {"alice", "bob", "carol", "dave", "erin"}),
    ("accounts.users", {"alice", "bob"}),  # bob is partner A's partner admin; carol is not
])
def test_each_rule_lets_exactly_the_roles_of_the_policy_act(personas, network, rule, allowed):
    obj = network["institute"] if rule.split(".")[0] in ("trainings", "photos", "stories") else network["aigul"]
    may = {name for name, user in personas.items() if access.allows(rule, user, obj)}
    assert may == allowed


# --- The services refuse, whoever calls them -------------------------------------------------


def _jpeg():
    picture = io.BytesIO()
    Image.new("RGB", (8, 8)).save(picture, "JPEG")
    return SimpleUploadedFile("p.jpg", picture.getvalue())


def test_a_photo_cannot_be_added_to_another_partners_training(personas, network, settings, tmp_path):
    from cascade.photos import services
    from cascade.photos.models import Photo

    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(PermissionDenied):
        services.upload_photo(training=network["institute"], upload=_jpeg(), actor=personas["carol"])
    photo = services.upload_photo(training=network["institute"], upload=_jpeg(), actor=personas["bob"])
    with pytest.raises(PermissionDenied):
        services.delete_photo(photo, personas["erin"])
    assert list(Photo.objects.all()) == [photo] and photo.uploaded_by == personas["bob"]


def test_a_step_down_cannot_be_reported_for_a_trainer_one_does_not_see(personas, network):
    from cascade.web import services

    before = Training.objects.count()
    with pytest.raises(PermissionDenied):
        services.report_step_down(personas["carol"], trainer=network["dana"], start_date=datetime.date(2020, 5, 1),
                                  country=network["dana"].country, city="Turkestan", names=["Someone New"])
    assert Training.objects.count() == before and not Person.objects.filter(full_name="Someone New").exists()


def test_only_a_network_admin_deletes_a_training_and_the_deletion_is_logged(personas, network):
    from cascade.web import services

    with pytest.raises(PermissionDenied):
        services.delete_training(network["step_down"], personas["bob"])
    assert Training.objects.filter(pk=network["step_down"].pk).exists()
    services.delete_training(network["step_down"], personas["alice"])
    assert not Training.objects.filter(key="step-down-1").exists()
    assert AuditEntry.objects.filter(action="cascade.training.deleted", username="alice",
                                     object_label="training:step-down-1").exists()


def test_a_donor_cannot_write_a_story_draft(personas, network):
    from cascade.stories import services
    from cascade.stories.models import StoryDraft

    with pytest.raises(PermissionDenied):
        services.generate_draft(network["institute"], "en", personas["erin"])
    assert not StoryDraft.objects.exists()


def test_partner_staff_cannot_erase_a_person_nor_import_another_partners_rows(personas, network, tmp_path):
    from cascade.access.services import erase_person
    from cascade.spreadsheets import services

    with pytest.raises(PermissionDenied):
        erase_person(network["aigul"], personas["bob"])
    assert Person.objects.get(key="aigul").full_name == "Aigul Swrcparticipant"
    with pytest.raises(PermissionDenied):
        services.import_workbook(tmp_path / "anything.xlsx", personas["dave"])
    folder = tmp_path / "workbook"
    folder.mkdir()
    (folder / "people.csv").write_text("key,full_name\nnurjan,Nurjan Renamed\naigul,Aigul Swrcparticipant\n")
    (folder / "participants.csv").write_text("training,person,role\nbishkek-2019,aigul,participant\n")

    result = services.import_workbook(folder, personas["bob"])

    assert [(p.sheet, p.row) for p in result.errors] == [("people", 2), ("participants", 2)]
    assert Person.objects.get(key="nurjan").full_name == "Nurjan Birduinoparticipant"
    assert not result.counts  # nothing was imported


def test_another_partners_staff_cannot_decide_on_an_application(people, create_call):  # noqa: F811
    from cascade.selection import services

    call = create_call()
    application = services.save_application(call, {"full_name": "Ainur A", "email": "ainur@example.org"},
                                            language="ru", submit=True)
    for outsider in (people["carol"], people["rita"], people["erin"]):
        with pytest.raises(PermissionDenied):
            services.decide(application, "accept", outsider)
    with pytest.raises(PermissionDenied):
        services.save_review(application, people["carol"], scores={})
    application.refresh_from_db()
    assert application.status == "submitted" and not application.reviews.exists()


def test_a_new_call_for_another_partner_rolls_back(people, partners):  # noqa: F811
    from cascade.network.models import Country
    from cascade.selection import services
    from cascade.selection.models import Call

    with pytest.raises(PermissionDenied):
        services.create_call(people["bob"], title={"en": "Not ours"}, host=partners["birduino"],
                             country=Country.objects.get(code="KG"), start_date=datetime.date(2027, 1, 1),
                             end_date=datetime.date(2027, 1, 2), deadline=datetime.datetime(2026, 12, 1,
                                                                                             tzinfo=datetime.UTC),
                             places=2, languages=["ru"])
    assert not Call.objects.exists() and not Training.objects.filter(title__en="Not ours").exists()


# --- Every service that writes takes an actor ------------------------------------------------

#: Public functions of services modules that take no actor, and why. A new function that
#: writes must take ``actor`` and call ``access.require``, or be added here with its reason.
NO_ACTOR = {
    # Background jobs: run() checks the job owner's rights again (require) before the work runs;
    # the rest is the worker's housekeeping of its own rows and files.
    "cascade.jobs.services.run": "the worker's task: it checks the job owner's rule with require before the work",
    "cascade.jobs.services.result_file": "a file for the job being run, already checked",
    "cascade.jobs.services.result_path": "reads",
    "cascade.jobs.services.fail_abandoned": "the worker's housekeeping: jobs of a worker that died",
    "cascade.jobs.services.remove_old_results": "the worker's housekeeping: files past their days",
    "cascade.jobs.services.remove_result_files": "called by the erasure, which checked its actor",
    # Reads, computations and helpers that change nothing.
    "cascade.audit.services.log": "the audit log itself",
    "cascade.network.services.locate": "takes an actor for place_for, which checks it",
    "cascade.selection.services.audit": "the audit log itself",
    "cascade.selection.services.allow_post": "a rate-limit counter in the cache",
    "cascade.selection.services.find_duplicate": "reads",
    "cascade.selection.services.reviewable": "reads",
    "cascade.selection.services.others_visible": "reads",
    "cascade.selection.services.next_to_review": "reads",
    "cascade.selection.services.proposed_decisions": "computes",
    "cascade.selection.services.decisions_to_send": "reads",
    "cascade.selection.services.rank_call": "computes",
    "cascade.selection.services.participants": "reads",
    "cascade.selection.services.training_days": "computes",
    "cascade.selection.services.verify": "reads",
    "cascade.selection.services.render_email": "computes",
    "cascade.selection.services.send_applicant_email": "sends after its caller's change commits",
    "cascade.selection.services.email_failures": "reads",
    "cascade.stories.services.find_training": "reads",
    "cascade.stories.services.write": "computes (nothing saved)",
    "cascade.stories.services.photo_images": "reads",
    "cascade.stories.services.export": "computes a document from given text",
    "cascade.photos.services.clean_image": "computes (nothing saved)",
    "cascade.web.services.new_key": "computes",
    "cascade.indicators.services.series": "reads",
    "cascade.indicators.services.latest_before": "reads",
    "cascade.indicators.services.latest_per_chamber_before": "reads",
    "cascade.indicators.services.latest_by_chamber": "reads",
    "cascade.indicators.services.as_dict": "computes",
    "cascade.demo.services.is_demo_database": "reads",
    "cascade.ops.services.encrypted_fields": "reads",
    "cascade.ops.services.backed_up_models": "reads",
    "cascade.ops.services.check_target": "reads a path (before a backup is queued)",
    "cascade.spreadsheets.services.check_export_target": "reads a path (before an export is queued)",
    "cascade.stories.services.report_filters": "reads a query as the dashboard reads it for the actor",
    # The applicant acts through her own private link, not an account.
    "cascade.selection.services.save_application": "the applicant, by her form or draft link",
    "cascade.selection.services.confirm": "the applicant, by her confirmation link",
    "cascade.selection.services.decline_place": "the applicant, by her confirmation link",
    # The invitee acts through her own private link (single use, 14 days), before she has an account.
    "cascade.accounts.services.accept_invitation": "the invitee, by her invitation link",
    "cascade.accounts.services.find_invitation": "reads",
    # Run only by the operator at the command line (no page, admin or API calls them).
    "cascade.demo.services.load_demo_if_empty": "command line only (the demo)",
    "cascade.demo.services.wipe_network": "command line only (the demo)",
    "cascade.demo.services.ensure_demo_login": "command line only (the demo)",
    "cascade.indicators.services.save_rows": "command line only; public context data",
    "cascade.indicators.services.import_file": "command line only; public context data",
    "cascade.indicators.services.load_snapshot": "command line only; public context data",
    "cascade.ops.services.rotate_keys": "command line only (holds the keys)",
    "cascade.ops.services.backup": "command line only (holds the keys)",
    "cascade.ops.services.restore": "command line only (holds the keys)",
}


#: Services whose actor parameter still has another name (being rewritten elsewhere); it is still required.
ACTOR_NAMED: dict[str, str] = {}


def _service_functions():
    for module_info in pkgutil.iter_modules(cascade.__path__):
        if not module_info.ispkg:
            continue
        try:
            module = importlib.import_module(f"cascade.{module_info.name}.services")
        except ModuleNotFoundError:
            continue
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if not name.startswith("_") and function.__module__ == module.__name__:
                yield f"{module.__name__}.{name}", function


def test_every_public_service_function_that_writes_takes_an_actor_and_checks_it():
    functions = dict(_service_functions())
    assert "cascade.selection.services.decide" in functions and "cascade.web.services.save_training" in functions
    missing, unchecked = [], []
    for name, function in functions.items():
        if name in NO_ACTOR:
            continue
        if ACTOR_NAMED.get(name, "actor") not in inspect.signature(function).parameters:
            missing.append(name)
        elif "require(" not in inspect.getsource(function):
            unchecked.append(name)
    assert missing == [], "these take no actor: add one and call access.require, or explain in NO_ACTOR"
    assert unchecked == [], "these take an actor but never call access.require"
    assert not set(NO_ACTOR) - set(functions), "NO_ACTOR names functions that no longer exist"


# --- A signed-in user without a role sees nothing ---------------------------------------------


@pytest.fixture
def newcomer(db, settings):
    settings.DEMO_MODE = True  # the second factor is tested by the accounts app
    return get_user_model().objects.create_user("newcomer", password=None)


@pytest.mark.parametrize("page", ["web:dashboard", "web:trainings", "web:partners", "web:library", "web:search",
                                  "selection:call-list"])
def test_a_user_without_a_role_sees_only_that_she_has_none(client, newcomer, network, page):
    client.force_login(newcomer)
    response = client.get(reverse(page))
    content = response.content.decode()
    assert response.status_code == 403
    assert "You have no role yet" in content and reverse("accounts:logout") in content
    assert "Shymkent" not in content and "SWRC" not in content


def test_a_user_without_a_role_gets_no_donor_report(client, newcomer, network):
    client.force_login(newcomer)
    response = client.get(reverse("stories:report", args=["xlsx"]))
    assert response.status_code == 403 and response["Content-Type"].startswith("text/html")
    assert not AuditEntry.objects.filter(action="cascade.report.exported").exists()


def test_a_user_without_a_role_may_sign_out_and_switch_language(client, newcomer):
    client.force_login(newcomer)
    assert client.post(reverse("web:set_language"), {"language": "ru", "next": "/"}).status_code == 302
    client.post(reverse("accounts:logout"))
    assert "_auth_user_id" not in client.session


def test_a_donor_still_reads_the_dashboard(client, personas, settings):
    settings.DEMO_MODE = True
    client.force_login(personas["erin"])
    assert client.get(reverse("web:dashboard")).status_code == 200


def test_the_rubric_of_a_call_changes_only_through_its_runners(people, create_call):  # noqa: F811
    from cascade.selection import services

    call = create_call()
    criterion = call.criteria.first()
    with pytest.raises(PermissionDenied):
        services.delete_call_part(criterion, people["carol"])
    assert call.criteria.filter(pk=criterion.pk).exists()
    services.delete_call_part(criterion, people["bob"])
    assert not call.criteria.filter(pk=criterion.pk).exists()
    assert AuditEntry.objects.filter(action="cascade.selection.criterion.delete", username="bob").exists()
