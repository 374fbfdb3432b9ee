"""Every place a name can live is known to the erasure, and each place it rewrites is rewritten.

The fields are discovered through the app registry: a new text field fails the first test
until someone decides whether the erasure rewrites it, clears it, or why it cannot hold a name.
"""

import pytest

from cascade.access import erasure, operator
from cascade.access.erasure import CLEARED, NO_NAME, REWRITTEN
from cascade.jobs.models import Job


def test_every_text_field_of_every_model_is_forgotten_cleared_or_said_to_hold_no_name():
    assert erasure.unlisted_fields() == [], (
        "Add each field to REWRITTEN, CLEARED or NO_NAME (with a reason) in cascade/access/erasure.py")


def test_a_new_text_field_that_nobody_listed_fails_the_check(monkeypatch):
    monkeypatch.delitem(NO_NAME, "trainings.training.city")
    assert erasure.unlisted_fields() == ["trainings.training.city"]


def test_no_field_is_listed_twice_or_after_it_is_gone():
    fields = set(erasure.text_fields())
    tables = (REWRITTEN, CLEARED, NO_NAME)
    for i, table in enumerate(tables):
        for other in tables[i + 1:]:
            assert not set(table) & set(other)
        assert set(table) <= fields, set(table) - fields


def test_every_place_listed_has_its_reason():
    for table in (REWRITTEN, CLEARED, NO_NAME):
        assert all(len(reason) > 5 for reason in table.values())


def a_row_of(label, training, user):
    """One row of the model that ``label`` names, as plain as its required fields allow."""
    import datetime

    from auditlog.models import LogEntry
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.admin.models import LogEntry as AdminEntry
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from cascade.audit.models import AuditEntry
    from cascade.indicators.models import IndicatorObservation
    from cascade.network.models import Membership, Organization
    from cascade.photos.models import Photo
    from cascade.selection.models import Application, Call, Criterion, Review, Score
    from cascade.stories.models import StoryDraft
    from cascade.trainings.models import TrainingSession

    def application():
        call = Call.objects.create(training=training, deadline=timezone.now(), places=1)
        return Application.objects.create(call=call, language="en")

    def review():
        return Review.objects.create(application=application(), reviewer=user)

    def score():
        found = review()
        criterion = Criterion.objects.create(call=found.application.call, weight=1)
        return Score.objects.create(review=found, criterion=criterion, value=1)

    other = Organization.objects.create(key="other-org", name="Other", country_id="KZ")
    content_type = ContentType.objects.get_for_model(Organization)
    from cascade.api.models import ApiToken, IdempotentRequest

    rows = {
        "admin.logentry": lambda: AdminEntry.objects.create(
            user=user, content_type=content_type, object_id=str(other.pk), action_flag=2, object_repr="x"),
        "auditlog.logentry": lambda: LogEntry.objects.create(
            content_type=content_type, object_pk=str(other.pk), object_repr="x", action=1),
        "audit.auditentry": lambda: AuditEntry.objects.create(action="cascade.thing.done"),
        "photos.photo": lambda: Photo.objects.create(training=training, image="photos/x.jpg"),
        "stories.storydraft": lambda: StoryDraft.objects.create(training=training, language="en", text="x"),
        "trainings.training": lambda: training,
        "trainings.trainingsession": lambda: TrainingSession.objects.create(training=training),
        "network.organization": lambda: other,
        "network.membership": lambda: Membership.objects.create(
            person=user.cascade_role.person, organization=other),
        "selection.application": application,
        "selection.review": review,
        "selection.score": score,
        "indicators.indicatorobservation": lambda: IndicatorObservation.objects.create(
            indicator="SG.GEN.PARL.ZS", country_id="KZ", date=datetime.date(2019, 1, 1), value=6),
        "axes.accessattempt": lambda: AccessAttempt.objects.create(failures_since_start=1),
        "axes.accessfailurelog": lambda: AccessFailureLog.objects.create(),
        "axes.accesslog": lambda: AccessLog.objects.create(),
        "jobs.job": lambda: Job.objects.create(kind="spreadsheet-check", owner=user),
        "api.apitoken": lambda: ApiToken.objects.create(user=user, prefix="cas_00000000", digest="0" * 64),
        "api.idempotentrequest": lambda: IdempotentRequest.objects.create(
            user=user, key="x", path="/api/v1/step-downs", status=201, response={}),
    }
    return rows[label]()


@pytest.mark.parametrize("label", sorted(REWRITTEN))
def test_every_rewritten_field_loses_her_name_and_keeps_the_rest(label, create_person, create_training,
                                                                 django_user_model):
    """Her name, planted in one row of each listed field, is gone after her erasure; the words around it stay."""
    from django.apps import apps

    from cascade.access.services import erase_person
    from cascade.accounts.models import Role

    app_model, name = label.rsplit(".", 1)
    model = apps.get_model(app_model)
    aigul = create_person(key="p-0042", full_name="Aigul Karimova")
    nino = create_person(key="p-0043", full_name="Nino Beridze")
    user = django_user_model.objects.create_user("rita")
    Role.objects.create(user=user, kind="trainer", person=nino)
    row = a_row_of(app_model, create_training(participants=[nino]), user)
    field = model._meta.get_field(name)
    planted = "Karimova Aigul spoke" if name.endswith("username") else "Aigul Karimova spoke"
    if field.get_internal_type() == "JSONField":
        planted = {"en": planted, "ru": "Выступила Айгуль Каримова"}
    model._base_manager.filter(pk=row.pk).update(**{name: planted})
    erase_person(aigul, operator())
    value = str(model._base_manager.values_list(name, flat=True).get(pk=row.pk))
    assert "Karimova" not in value and "Каримова" not in value and "Aigul" not in value
    assert "spoke" in value


def test_her_name_is_found_in_another_script_declined_and_in_either_order():
    rewriter = erasure.Rewriter(erasure.Traces(names={"Aigul Karimova"}, literals={}))
    assert rewriter.text("Выступает Айгуль Каримова.") == "Выступает […]."
    assert rewriter.text("Слово Каримовой Айгуль.") == "Слово […]."
    assert rewriter.text("Aigul K. Karimova led it") == "[…] led it"


def test_other_people_and_words_keep_their_names():
    rewriter = erasure.Rewriter(erasure.Traces(names={"Aigul Karimova"}, literals={"aigul@example.org": "[…]"}))
    text = "Aigul Nurlanova met Gulnara Karimova; write to aigul@example.org.uk"
    assert rewriter.text(text) == text


def test_texts_about_her_trainings_lose_each_word_of_her_name():
    rewriter = erasure.Rewriter(erasure.Traces(names={"Aigul Karimova"}, literals={}), each_word=True)
    assert rewriter({"en": "Aigul leads the roleplay", "ru": "Роль ведёт Айгуль"}) == {
        "en": "[…] leads the roleplay", "ru": "Роль ведёт […]"}
