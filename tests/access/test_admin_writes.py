"""The admin's saves and deletions pass the same checks as every service, and enter the audit log by key."""

import pytest
from django.contrib.admin.sites import site
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.test import RequestFactory

from cascade.audit.models import AuditEntry
from cascade.network.models import Person
from cascade.trainings.models import Training


class ChangeForm:
    """What the admin's change view hands to save_model and save_related, after validation."""

    def __init__(self, instance, changed):
        self.instance, self.changed_data = instance, changed

    def save_m2m(self):
        pass


def _request(user):
    request = RequestFactory().post("/admin/")
    request.user = user
    return request


@pytest.fixture
def staff(personas):
    for user in personas.values():
        user.is_staff = True
        user.save()
    return personas


def test_an_admin_deletion_of_another_model_is_checked_and_logged(staff, network):
    admin = site._registry[Person]
    with pytest.raises(PermissionDenied):
        admin.delete_model(_request(staff["bob"]), network["local"])
    admin.delete_model(_request(staff["alice"]), network["local"])
    entry = AuditEntry.objects.get(action="cascade.admin.network.person.deleted")
    assert (entry.username, entry.object_label) == ("alice", "person:local")


def test_an_admin_save_is_logged_by_key_and_field_names_never_by_name(staff, network):
    admin = site._registry[Person]
    aigul = network["aigul"]
    aigul.full_name = "Aigul Renamed"
    admin.save_model(_request(staff["alice"]), aigul, ChangeForm(aigul, ["full_name"]), change=True)
    entry = AuditEntry.objects.get(action="cascade.admin.network.person.changed")
    assert (entry.username, entry.object_label, entry.details) == ("alice", "person:aigul", {"fields": ["full_name"]})
    assert "Aigul" not in str(AuditEntry.objects.values_list("object_label", "details"))


def test_an_admin_save_of_a_record_outside_her_scope_is_refused(staff, network):
    admin = site._registry[Training]
    bishkek = network["bishkek"]
    bishkek.city = "Changed"
    with pytest.raises(PermissionDenied):
        admin.save_model(_request(staff["bob"]), bishkek, ChangeForm(bishkek, ["city"]), change=True)
    bishkek.refresh_from_db()
    assert bishkek.city != "Changed"
    assert not AuditEntry.objects.filter(action__startswith="cascade.admin.").exists()


def test_partner_staff_cannot_hand_a_training_to_another_partner_in_the_admin(staff, network):
    admin = site._registry[Training]
    institute = network["institute"]
    institute.host = network["birduino"]
    with pytest.raises(PermissionDenied), transaction.atomic():
        admin.save_model(_request(staff["bob"]), institute, ChangeForm(institute, ["host"]), change=True)
        admin.save_related(_request(staff["bob"]), ChangeForm(institute, ["host"]), [], change=True)
    assert Training.objects.get(pk=institute.pk).host == network["swrc"]


def test_only_a_network_admin_deletes_in_the_admin_and_the_deletion_is_logged(staff, network, client, settings):
    settings.DEMO_MODE = True  # the second factor is tested by the accounts app
    admin = site._registry[Training]
    with pytest.raises(PermissionDenied):
        admin.delete_model(_request(staff["bob"]), network["step_down"])
    with pytest.raises(PermissionDenied):
        admin.delete_queryset(_request(staff["bob"]), Training.objects.filter(key="step-down-1"))
    assert Training.objects.filter(key="step-down-1").exists()

    client.force_login(staff["alice"])
    response = client.post(f"/admin/trainings/training/{network['step_down'].pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not Training.objects.filter(key="step-down-1").exists()
    # The admin calls the same service as every other surface, which checks and logs.
    entry = AuditEntry.objects.get(action="cascade.training.deleted")
    assert (entry.username, entry.object_label) == ("alice", "training:step-down-1")


def test_a_user_without_a_role_cannot_save_through_the_admin(network):
    nobody = get_user_model().objects.create_user("nobody", is_staff=True)
    admin = site._registry[Person]
    with pytest.raises(PermissionDenied):
        admin.save_model(_request(nobody), Person(key="new", full_name="New Person", country_id="KZ"),
                         ChangeForm(None, ["full_name"]), change=False)
    assert not Person.objects.filter(key="new").exists()
