import datetime

from django.contrib.auth.models import AnonymousUser

from cascade import access


def keys(queryset):
    return set(queryset.values_list("key", flat=True))


def test_the_network_admin_sees_every_training_and_person(personas, network):
    alice = personas["alice"]
    assert keys(access.visible_trainings(alice)) == {"shymkent-2019", "step-down-1", "bishkek-2019"}
    assert "nurjan" in keys(access.visible_people(alice))
    assert access.exact_figures(alice) and access.can_see_people(alice)


def test_partner_staff_see_trainings_their_organisation_hosted_or_co_organised(personas):
    assert keys(access.visible_trainings(personas["bob"])) == {"shymkent-2019", "step-down-1"}
    assert keys(access.visible_trainings(personas["carol"])) == {"bishkek-2019"}


def test_partner_staff_open_the_records_of_their_cascade_but_not_its_people_nor_edit_it(
    personas, network, create_training, create_person
):
    nurjan, pupil = network["nurjan"], create_person(key="pupil", full_name="Pupil Birduinostep")
    grown = create_training(key="step-down-kg", kind="step-down", source_training=network["bishkek"],
                            participants=[pupil], facilitators=[nurjan], country_id="KG",
                            start_date=datetime.date(2019, 4, 1))
    carol = personas["carol"]
    assert keys(access.visible_trainings(carol)) == {"bishkek-2019", "step-down-kg"}
    assert keys(access.people_trainings(carol)) == {"bishkek-2019"}
    assert "pupil" not in keys(access.visible_people(carol))
    assert not access.can_edit_training(carol, grown)
    from cascade.access.scopes import scope
    from cascade.trainings.models import Training

    assert keys(scope(carol, Training.objects.all())) == {"bishkek-2019"}  # the admin edits her own only
    assert "step-down-kg" not in keys(access.visible_trainings(personas["bob"]))


def test_partner_staff_see_the_people_of_their_trainings_and_not_another_partners(personas):
    assert keys(access.visible_people(personas["bob"])) == {"gulnara", "aigul", "dana", "local"}
    assert keys(access.visible_people(personas["carol"])) == {"nurjan"}


def test_a_trainer_sees_the_step_downs_she_facilitates_and_her_own_record(personas):
    dave = personas["dave"]
    assert keys(access.visible_trainings(dave)) == {"step-down-1"}
    assert keys(access.visible_people(dave)) == {"dana", "local"}


def test_a_trainer_can_edit_her_step_down_but_not_the_institute(personas, network):
    assert access.can_edit_training(personas["dave"], network["step_down"])
    assert not access.can_edit_training(personas["dave"], network["institute"])


def test_partner_staff_cannot_edit_another_partners_training(personas, network):
    assert access.can_edit_training(personas["bob"], network["institute"])
    assert not access.can_edit_training(personas["carol"], network["institute"])


def test_a_donor_sees_trainings_but_no_person_and_only_suppressed_figures(personas):
    erin = personas["erin"]
    assert keys(access.visible_trainings(erin)) == {"shymkent-2019", "step-down-1", "bishkek-2019"}
    assert not access.visible_people(erin).exists()
    assert not access.can_see_people(erin) and not access.exact_figures(erin)


def test_the_public_sees_no_training_record_and_no_person(network):
    anonymous = AnonymousUser()
    assert not access.visible_trainings(anonymous).exists()
    assert not access.visible_people(anonymous).exists()
    assert keys(access.visible_organizations(anonymous)) == {"swrc", "bir-duino"}


def test_a_signed_in_user_without_a_role_sees_nothing(network, django_user_model):
    nobody = django_user_model.objects.create_user("nobody", is_staff=True)
    assert access.role(nobody) is None
    assert not access.visible_trainings(nobody).exists()
    assert not access.visible_people(nobody).exists()


def test_a_deactivated_user_loses_her_role(personas):
    bob = personas["bob"]
    bob.is_active = False
    assert not access.visible_trainings(bob).exists()


def test_two_factor_is_needed_by_admins_and_partner_staff_only(personas):
    assert [name for name, user in personas.items() if access.needs_two_factor(user)] == ["alice", "bob", "carol"]


def test_erased_people_are_hidden_from_partner_staff(personas, network):
    from django.utils import timezone

    network["aigul"].erased_at = timezone.now()
    network["aigul"].save()
    assert "aigul" not in keys(access.visible_people(personas["bob"]))
