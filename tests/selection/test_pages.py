"""Who sees which page of a call: the permission matrix, and the pages themselves."""

import pytest
from django.urls import reverse

from cascade.selection import services
from cascade.selection.models import Application, Call



def staff_urls(call, application):
    return [
        reverse("selection:call-detail", args=[call.pk]),
        reverse("selection:reviewers", args=[call.pk]),
        reverse("selection:application-list", args=[call.pk]),
        reverse("selection:application-detail", args=[call.pk, application.pk]),
        reverse("selection:ranking", args=[call.pk]),
        reverse("selection:attendance", args=[call.pk]),
    ]


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_the_network_admin_and_the_host_staff_run_the_call(client, submitted, people, who):
    call, application = submitted
    client.force_login(people[who])
    for url in staff_urls(call, application):
        assert client.get(url).status_code == 200, url
    assert "Aigerim Nurlanova" in client.get(reverse("selection:ranking", args=[call.pk])).content.decode()


@pytest.mark.parametrize("who", ["carol", "erin"])
def test_another_partners_staff_and_a_donor_see_nothing_of_the_call(client, submitted, people, who):
    call, application = submitted
    client.force_login(people[who])
    for url in staff_urls(call, application) + [reverse("selection:review-list", args=[call.pk])]:
        assert client.get(url).status_code == 404, url
    assert "Shymkent" not in client.get(reverse("selection:call-list")).content.decode()


def test_a_reviewer_reviews_but_does_not_run_the_call(client, submitted, people):
    call, application = submitted
    client.force_login(people["rita"])
    assert client.get(reverse("selection:review", args=[call.pk, application.pk])).status_code == 200
    assert client.get(reverse("selection:call-detail", args=[call.pk])).status_code == 200
    for url in staff_urls(call, application)[1:]:
        assert client.get(url).status_code == 404, url


def test_the_public_is_sent_to_sign_in(client, submitted):
    call, application = submitted
    for url in staff_urls(call, application):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/" in response["Location"]


def test_staff_create_a_call_for_their_own_partner_only(client, people, partners):
    client.force_login(people["bob"])
    page = client.get(reverse("selection:call-create")).content.decode()
    assert ">SWRC<" in page and "Bir Duino" not in page
    response = client.post(reverse("selection:call-create"), {
        "title_0": "Leadership institute", "host": partners["birduino"].pk, "country": "KZ",
        "start_date": "2027-01-20", "end_date": "2027-01-22", "deadline": "2027-01-01T12:00",
        "places": 20, "waitlist_places": 0, "languages": ["ru"],
    })
    assert response.status_code == 200 and not Call.objects.exists()
    assert "Select a valid choice" in response.content.decode()


def test_a_new_call_comes_with_its_institute(client, people, partners):
    client.force_login(people["bob"])
    response = client.post(reverse("selection:call-create"), {
        "title_0": "Leadership institute", "title_1": "Институт лидерства", "host": partners["swrc"].pk,
        "country": "KZ", "city": "Shymkent", "start_date": "2027-01-20", "end_date": "2027-01-22",
        "deadline": "2027-01-01T12:00", "places": 20, "waitlist_places": 5, "languages": ["ru", "kk"],
        "blind_review": "on",
    })
    call = Call.objects.get()
    assert response.status_code == 302 and call.status == "draft"
    assert call.title == {"en": "Leadership institute", "ru": "Институт лидерства"}
    assert call.training.kind == "institute" and call.training.host == partners["swrc"]
    assert call.training.days == 3


def test_adding_a_criterion_with_a_bad_scale_names_the_field(client, create_call, people):
    call = create_call(status="draft")
    client.force_login(people["bob"])
    response = client.post(reverse("selection:criterion-add", args=[call.pk]), {
        "criterion-name_0": "Dedication", "criterion-weight": "1", "criterion-scale_min": "5",
        "criterion-scale_max": "1", "criterion-order": "3",
    }, follow=True)
    assert "Highest score: The highest score must be above the lowest." in response.content.decode()
    assert call.criteria.count() == 2


def test_a_reviewer_scores_on_the_page_and_then_sees_the_others(client, submitted, people):
    call, application = submitted
    criteria = list(call.criteria.all())
    services.save_review(application, people["ruslan"], scores={c.pk: (4, "") for c in criteria},
                         comment="Ruslan's view")
    client.force_login(people["rita"])
    url = reverse("selection:review", args=[call.pk, application.pk])
    assert "Ruslan's view" not in client.get(url).content.decode()
    client.post(url, {f"c{criteria[0].pk}": "2", f"c{criteria[1].pk}": "3", "comment": "fine"})
    page = client.get(url).content.decode()
    assert application.reviews.get(reviewer=people["rita"]).scores.count() == 2
    assert "ruslan" in page


def test_the_confirmation_page_turns_an_accepted_applicant_into_a_participant(client, submitted, people):
    call, application = submitted
    services.decide(application, "accept", people["bob"])
    url = reverse("selection:confirm", args=[application.token])
    assert 'value="confirm"' in client.get(url).content.decode()
    client.post(url, {"answer": "confirm"})
    application.refresh_from_db()
    assert application.status == "confirmed" and application.participation.training == call.training


def test_the_check_page_shows_name_training_and_date_only_with_consent(client, submitted, people):
    from cascade.selection.models import Certificate

    call, application = submitted
    services.decide(application, "accept", people["bob"])
    participation = services.confirm(application)
    certificate = Certificate.objects.create(participation=participation, language="ru", public=False)
    page = client.get(reverse("selection:verify-code", args=[certificate.code])).content.decode()
    assert "Aigerim Nurlanova" not in page and "aigerim@example.org" not in page
    certificate.public = True
    certificate.save()
    page = client.get(reverse("selection:verify") + f"?code={certificate.code}").content.decode()
    assert "Aigerim Nurlanova" in page and "aigerim@example.org" not in page
    assert client.get(reverse("selection:verify-code", args=["ZZZZZ-ZZZZZ"])).status_code == 404


def test_an_erased_person_certificate_no_longer_verifies(client, submitted, people):
    from django.utils import timezone

    from cascade.selection.models import Certificate

    call, application = submitted
    services.decide(application, "accept", people["bob"])
    participation = services.confirm(application)
    certificate = Certificate.objects.create(participation=participation, language="ru", public=True)
    participation.person.erased_at = timezone.now()
    participation.person.save()
    assert client.get(reverse("selection:verify-code", args=[certificate.code])).status_code == 404


def test_the_application_list_flags_duplicates_and_merges_them(client, submitted, people):
    call, first = submitted
    second = services.save_application(call, {
        "full_name": "Aigerim N.", "email": "aigerim@example.org", "phone": "", "country": None,
        "gender": "", "consent_data": True, "consent_verification": False,
    }, language="ru", submit=True)
    client.force_login(people["bob"])
    page = client.get(reverse("selection:application-list", args=[call.pk])).content.decode()
    assert f"#{first.pk}" in page
    client.post(reverse("selection:application-detail", args=[call.pk, second.pk]), {"merge": first.pk})
    second.refresh_from_db()
    assert second.status == Application.Status.MERGED


def test_the_admin_lists_applications_to_the_network_admin_only(client, submitted, people):
    url = reverse("admin:selection_application_changelist")
    client.force_login(people["alice"])
    assert "Aigerim Nurlanova" in client.get(url).content.decode()
    client.force_login(people["bob"])
    assert client.get(url).status_code in (302, 403)


def test_partner_staff_choose_reviewers_among_their_own_trainers(create_call, people):
    """Reviewers read applicants' data: Bob of SWRC cannot hand it to Bir Duino's trainer."""
    from cascade.selection import rules

    call = create_call()
    offered_to_bob = set(rules.possible_reviewers(call, people["bob"]).values_list("username", flat=True))
    assert {"rita", "ruslan", "bob"} <= offered_to_bob and "timur" not in offered_to_bob and "carol" not in offered_to_bob
    offered_to_alice = set(rules.possible_reviewers(call, people["alice"]).values_list("username", flat=True))
    assert "timur" in offered_to_alice and "carol" not in offered_to_alice


def test_the_calls_page_shows_its_institute_as_upcoming_and_attendance_waits_for_the_first_day(
        client, create_call, people):
    call = create_call()
    client.force_login(people["bob"])
    page = client.get(reverse("selection:call-detail", args=[call.pk])).content.decode()
    assert 'data-status="planned"' in page and "upcoming" in page
    assert reverse("web:training", args=[call.training_id]) in page
    attendance = client.get(reverse("selection:attendance", args=[call.pk])).content.decode()
    assert "This institute is planned: attendance is recorded from its first day" in attendance
    assert 'name="date"' not in attendance and 'id="issue"' not in attendance


def test_attendance_offers_a_register_for_each_day_held(client, submitted, people):
    """The printed page's date in the base template must not stand for the page's own ``today``."""
    import datetime

    from cascade.trainings.models import Training

    call, application = submitted
    application.status = Application.Status.ACCEPTED
    application.save()
    services.confirm(application)
    first = datetime.date.today() - datetime.timedelta(days=7)
    Training.objects.filter(pk=call.training_id).update(start_date=first, end_date=first + datetime.timedelta(days=1))
    client.force_login(people["bob"])
    attendance = client.get(reverse("selection:attendance", args=[call.pk])).content.decode()
    for day in (first, first + datetime.timedelta(days=1)):
        assert f'id="day-{day.isoformat()}"' in attendance
    assert attendance.count('name="present"') == 2
