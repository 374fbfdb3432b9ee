"""From submitted applications to certificates, through the services the pages call."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from cascade.network.models import Country, Person
from cascade.selection import services
from cascade.selection.models import Application, Certificate, EmailTemplate, Quota
from cascade.trainings.models import Participation, Training

AFTER = datetime.date(2027, 1, 23)  # the day after the 2027 institute (20 to 22 January)


@pytest.fixture
def submit(create_call):
    def make(call, full_name, country="KZ", email=None, **fields):
        cleaned = {
            "full_name": full_name, "email": email or f"{full_name.split()[0].lower()}@example.org",
            "phone": "", "country": Country.objects.get(code=country), "gender": "woman",
            "consent_data": True, "consent_verification": fields.pop("consent_verification", True),
        }
        return services.save_application(call, cleaned, language=fields.pop("language", "ru"), submit=True)

    return make


def score(application, reviewer, experience, plan, submit=True):
    criteria = list(application.call.criteria.all())
    return services.save_review(application, reviewer, scores={criteria[0].pk: (experience, ""),
                                                               criteria[1].pk: (plan, "")}, submit=submit)


def test_a_review_must_score_every_criterion_within_its_scale(create_call, submit, people):
    call = create_call()
    application = submit(call, "Aigerim N")
    criteria = list(call.criteria.all())
    with pytest.raises(ValidationError) as missing:
        services.save_review(application, people["rita"], scores={criteria[0].pk: (4, "")})
    assert f"c{criteria[1].pk}" in missing.value.message_dict
    with pytest.raises(ValidationError) as outside:
        services.save_review(application, people["rita"], scores={criteria[0].pk: (9, ""), criteria[1].pk: (3, "")})
    assert "from 1 to 5" in str(outside.value)
    assert not application.reviews.filter(submitted_at__isnull=False).exists()



@pytest.mark.parametrize("lang, expected", [("en", "from 1 to 5"), ("kk", "ең азы 1, ең көбі 5"),
                                             ("ky", "эң азы 1, эң көбү 5")])
def test_the_score_range_glues_no_ending_to_a_number(create_call, submit, people, lang, expected):
    # Not «1-ден 5-ге»: the ending depends on the number (5-ке), so the sentence needs none.
    from django.utils import translation

    call = create_call()
    application = submit(call, "Aigerim N")
    criteria = list(call.criteria.all())
    with translation.override(lang), pytest.raises(ValidationError) as outside:
        services.save_review(application, people["rita"], scores={criteria[0].pk: (9, ""), criteria[1].pk: (3, "")})
    assert expected in str(outside.value)


def test_blind_review_hides_others_until_she_has_submitted(create_call, submit, people):
    call = create_call()
    application = submit(call, "Aigerim N")
    score(application, people["ruslan"], 5, 5)
    assert not services.others_visible(application, people["rita"])
    score(application, people["rita"], 2, 2, submit=False)
    assert not services.others_visible(application, people["rita"])
    score(application, people["rita"], 2, 2)
    assert services.others_visible(application, people["rita"])


def test_a_declared_conflict_leaves_the_reviewer_out_of_the_ranking(create_call, submit, people):
    call = create_call()
    aigerim, dana = submit(call, "Aigerim N"), submit(call, "Dana K")
    score(aigerim, people["ruslan"], 5, 5)
    score(dana, people["ruslan"], 3, 3)
    services.save_review(aigerim, people["rita"], scores={}, conflict=True, conflict_note="my sister")
    rows = {row.application.pk: row for row in services.rank_call(call).rows}
    assert set(rows[aigerim.pk].ranked.z_scores) == {people["ruslan"].pk}


def test_ranking_a_call_applies_its_quota_and_explains_it(create_call, submit, people):
    call = create_call(places=2)
    Quota.objects.create(call=call, attribute="country", value="GE", minimum=1)
    kz = [submit(call, f"Kz{n} A") for n in range(3)]
    ge = submit(call, "Nino B", country="GE")
    for n, application in enumerate(kz):
        score(application, people["rita"], 5 - n, 5 - n)
        score(application, people["ruslan"], 5 - n, 4 - n)
    score(ge, people["rita"], 2, 2)
    score(ge, people["ruslan"], 1, 1)
    result = services.rank_call(call)
    assert result.proposal.selected == [ge.pk, kz[0].pk]
    assert result.proposal.moved_in == [ge.pk] and result.proposal.moved_out == [kz[1].pk]


def test_an_override_needs_a_reason(create_call, submit, people):
    application = submit(create_call(), "Aigerim N")
    with pytest.raises(ValidationError) as error:
        services.set_override(application, "include", "  ", people["bob"])
    assert "override_reason" in error.value.message_dict
    application.refresh_from_db()
    assert application.override == ""
    services.set_override(application, "include", "She will host the Turkestan step-down", people["bob"])
    application.refresh_from_db()
    assert application.override == "include"


def test_applying_the_proposal_accepts_wait_lists_and_declines_in_each_language(
        create_call, submit, people, django_capture_on_commit_callbacks):
    call = create_call(places=1, waitlist_places=1)
    first, second, third = submit(call, "Ainur A"), submit(call, "Bota B", language="en"), submit(call, "Cholpon C")
    for application, value in [(first, 5), (second, 4), (third, 3)]:
        score(application, people["rita"], value, value)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.apply_proposal(call, people["bob"]) == 3
    statuses = dict(Application.objects.values_list("full_name", "status"))
    assert statuses == {"Ainur A": "accepted", "Bota B": "waitlisted", "Cholpon C": "declined"}
    assert mail.outbox == [], "decisions are drafts until staff send them"
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_decisions(call, people["bob"], link_for=lambda a: f"https://x/{a.token}") == 3
    assert sorted(m.to[0] for m in mail.outbox) == ["ainur@example.org", "bota@example.org", "cholpon@example.org"]
    to_ainur = next(m for m in mail.outbox if m.to == ["ainur@example.org"])
    assert f"https://x/{first.token}" in to_ainur.body


def test_a_call_template_in_her_language_writes_the_decision(create_call, submit, people,
                                                             django_capture_on_commit_callbacks):
    call = create_call()
    EmailTemplate.objects.create(call=call, kind="accepted",
                                 subject={"en": "Selected: {call}", "ru": "Вы отобраны: {call}"},
                                 body={"en": "Dear {name}", "ru": "Уважаемая {name}, подтвердите: {link}"})
    application = submit(call, "Aigerim N", language="ru")
    mail.outbox.clear()
    services.decide(application, "accept", people["bob"])
    with django_capture_on_commit_callbacks(execute=True):
        services.send_decisions(call, people["bob"], link_for=lambda a: "https://example.org/c")
    message = mail.outbox[0]
    assert message.subject == "Вы отобраны: Институт лидерства, Шымкент 2027"
    assert message.body == "Уважаемая Aigerim N, подтвердите: https://example.org/c"


def test_confirming_makes_her_a_participant_matched_to_her_existing_record(create_call, submit, people, create_person):
    existing = create_person(full_name="Aigerim Nurlanova", email="Aigerim@Example.org")
    before = Person.objects.count()  # she and the trainers' own records
    call = create_call()
    application = submit(call, "Aigerim Nurlanova", email="aigerim@example.org")
    services.decide(application, "accept", people["bob"])
    participation = services.confirm(application)
    assert participation.person == existing and participation.training == call.training
    assert participation.role == "participant" and not participation.completed
    assert Person.objects.count() == before, "no second record of her"


def test_confirming_creates_a_person_when_none_matches(create_call, submit, people):
    call = create_call()
    application = submit(call, "Saule T")
    services.decide(application, "accept", people["bob"])
    person = services.confirm(application).person
    assert person.full_name == "Saule T" and person.email == "saule@example.org" and person.languages == ["ru"]


def test_only_an_accepted_application_can_be_confirmed(create_call, submit, people):
    application = submit(create_call(), "Saule T")
    with pytest.raises(ValidationError):
        services.confirm(application)
    assert not Participation.objects.exists()


def test_merging_a_duplicate_keeps_one_application(create_call, submit, people):
    call = create_call()
    first = submit(call, "Aigerim N")
    second = submit(call, "Aigerim N")
    assert second.duplicate_of == first
    services.merge_applications(first, second, people["bob"])
    second.refresh_from_db()
    assert second.status == "merged" and list(services.reviewable(call)) == [first]


def _confirmed(call, submit, people, names, **fields):
    result = []
    for name in names:
        application = submit(call, name, **fields)
        services.decide(application, "accept", people["bob"])
        result.append(services.confirm(application))
    return result


def test_attendance_on_every_day_completes_the_institute(create_call, submit, people):
    call = create_call()
    full, partial = _confirmed(call, submit, people, ["Ainur A", "Bota B"])
    with time_machine.travel(AFTER):
        for day in services.training_days(call):
            present = [full.pk] + ([partial.pk] if day.day == 20 else [])
            services.record_attendance(call, day, present, people["bob"])
        issued = services.issue_certificates(call, people["bob"])
    full.refresh_from_db()
    partial.refresh_from_db()
    assert full.completed and not partial.completed
    assert [c.participation for c in issued] == [full]


def test_attendance_for_a_day_outside_the_training_is_refused(create_call, submit, people):
    call = create_call()
    _confirmed(call, submit, people, ["Ainur A"])
    with pytest.raises(ValidationError) as error:
        services.record_attendance(call, datetime.date(2027, 2, 1), [], people["bob"])
    assert "date" in error.value.message_dict


def test_a_certificate_is_a_pdf_in_her_language_with_its_code(create_call, submit, people):
    from cascade.selection import certificates

    call = create_call(completion_days=1)
    (participation,) = _confirmed(call, submit, people, ["Айгерим Нурланова"])
    with time_machine.travel(AFTER):
        services.record_attendance(call, datetime.date(2027, 1, 20), [participation.pk], people["bob"])
        (certificate,) = services.issue_certificates(call, people["bob"])
    assert certificate.language == "ru"
    data = certificates.render(certificate, "https://example.org/calls/verify/")
    assert data.startswith(b"%PDF") and len(data) > 1000


def test_verification_finds_a_code_typed_loosely_and_nothing_else(create_call, submit, people):
    call = create_call(completion_days=1)
    (participation,) = _confirmed(call, submit, people, ["Ainur A"])
    certificate = Certificate.objects.create(participation=participation, language="ru", public=True)
    assert services.verify(certificate.code.lower().replace("-", " ")) == certificate
    assert services.verify("AAAAA-BBBBB") is None and services.verify("") is None


def test_erasing_an_application_removes_it_and_its_reviews(create_call, submit, people):
    call = create_call()
    application = submit(call, "Aigerim N")
    score(application, people["rita"], 4, 4)
    services.erase_application(application, people["bob"])
    assert not Application.objects.exists()
    from cascade.selection.models import Review

    assert not Review.objects.exists()


def test_publishing_needs_a_rubric_and_a_future_deadline(create_call, people):
    call = create_call(status="draft")
    call.criteria.all().delete()
    call.deadline = timezone.now() - datetime.timedelta(days=1)
    call.save()
    with pytest.raises(ValidationError) as error:
        services.publish_call(call, people["bob"])
    assert len(error.value.messages) == 2
    call.refresh_from_db()
    assert call.status == "draft"


def test_erasing_a_person_erases_her_applications_to_every_call(create_call, submit, people, create_person):
    from cascade.access.services import erase_person

    call = create_call()
    application = submit(call, "Saule T")
    services.decide(application, "accept", people["bob"])
    person = services.confirm(application).person
    declined_elsewhere = submit(create_call(), "Saule T")  # same e-mail, another call
    other = submit(call, "Dana K")
    erase_person(person, people["alice"])
    assert list(Application.objects.all()) == [other]
    assert declined_elsewhere.pk not in Application.objects.values_list("pk", flat=True)


@pytest.mark.parametrize("language", ["kk", "ka", "ar", "fa", "tg"])
def test_a_certificate_renders_in_every_script_of_the_network(create_call, submit, people, language):
    from cascade.selection import certificates

    call = create_call(completion_days=1)
    names = {"kk": "Әйгерім Нұрланқызы", "ka": "ნინო ბერიძე", "ar": "فاطمة الزهراء", "fa": "مریم رضایی",
             "tg": "Зарина Ҷӯраева"}
    (participation,) = _confirmed(call, submit, people, [names[language]], language=language)
    with time_machine.travel(AFTER):
        services.record_attendance(call, datetime.date(2027, 1, 20), [participation.pk], people["bob"])
        (certificate,) = services.issue_certificates(call, people["bob"])
    assert certificate.language == language
    assert certificates.render(certificate, "https://example.org/calls/verify/").startswith(b"%PDF")


def test_attendance_waits_for_the_day_and_certificates_for_the_last_day(create_call, submit, people):
    call = create_call(completion_days=1)
    (participation,) = _confirmed(call, submit, people, ["Ainur A"])
    with pytest.raises(ValidationError) as error:
        services.record_attendance(call, datetime.date(2027, 1, 20), [participation.pk], people["bob"])
    assert "has not come yet" in error.value.message_dict["date"][0]
    with time_machine.travel(datetime.date(2027, 1, 20)):
        services.record_attendance(call, datetime.date(2027, 1, 20), [participation.pk], people["bob"])
        with pytest.raises(ValidationError, match="last day"):
            services.issue_certificates(call, people["bob"])
        with pytest.raises(ValidationError):  # the second day has not come either
            services.record_attendance(call, datetime.date(2027, 1, 21), [participation.pk], people["bob"])
    with time_machine.travel(datetime.date(2027, 1, 22)):
        assert [c.participation for c in services.issue_certificates(call, people["bob"])] == [participation]


def test_a_cancelled_institute_takes_no_attendance_and_gives_no_certificate(create_call, submit, people):
    call = create_call(completion_days=1)
    (participation,) = _confirmed(call, submit, people, ["Ainur A"])
    Training.objects.filter(pk=call.training_id).update(cancelled=True)
    call.training.refresh_from_db()
    with time_machine.travel(AFTER):
        with pytest.raises(ValidationError):
            services.record_attendance(call, datetime.date(2027, 1, 20), [participation.pk], people["bob"])
        with pytest.raises(ValidationError):
            services.issue_certificates(call, people["bob"])
    assert not Certificate.objects.exists()


def test_a_call_creates_a_planned_institute_or_fills_the_hosts_planned_one(create_call, partners, create_training):
    first = create_call()
    assert first.training.is_planned and first.training.host == partners["swrc"]
    waiting = create_training(key="shymkent-2027-b", start_date=datetime.date(2027, 6, 1),
                              end_date=datetime.date(2027, 6, 3), host=partners["swrc"], country_id="KZ")
    second = create_call(start_date=datetime.date(2027, 6, 1), end_date=datetime.date(2027, 6, 3))
    assert second.training == waiting
    assert Training.objects.filter(kind="institute", start_date=datetime.date(2027, 6, 1)).count() == 1
    third = create_call(start_date=datetime.date(2027, 6, 1), end_date=datetime.date(2027, 6, 3))
    assert third.training != waiting  # that one has its call now


def test_a_call_for_an_institute_already_started_is_refused(partners, people):
    with pytest.raises(ValidationError) as error:
        services.create_call(
            people["bob"], title={"en": "Too late"}, host=partners["swrc"], country=Country.objects.get(code="KZ"),
            start_date=datetime.date(2026, 1, 10), end_date=datetime.date(2026, 1, 12),
            deadline=timezone.now(), places=2, languages=["en"])
    assert "start_date" in error.value.message_dict


@pytest.mark.parametrize("gender, verb", [("woman", "прошла обучение"), ("man", "прошёл обучение"),
                                          ("not stated", "прошёл(-ла) обучение")])
def test_a_certificate_speaks_of_her_or_him_in_their_gender(create_call, submit, people, gender, verb):
    import subprocess

    from cascade.selection import certificates

    call = create_call(completion_days=1)
    (participation,) = _confirmed(call, submit, people, ["Бахыт Нурланов"])
    participation.person.gender = gender
    participation.person.save()
    with time_machine.travel(AFTER):
        services.record_attendance(call, datetime.date(2027, 1, 20), [participation.pk], people["bob"])
        (certificate,) = services.issue_certificates(call, people["bob"])
    assert certificate.language == "ru"
    pdf = certificates.render(certificate, "https://example.org/calls/verify/")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert verb in " ".join(text.split())
