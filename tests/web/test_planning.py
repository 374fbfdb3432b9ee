"""Planning an institute on one page: its agenda (days, sessions, facilitators) and many participants
at once (search, a pasted list, a call's accepted applicants), saved by one post or not at all."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from cascade.audit.models import AuditEntry
from cascade.network.models import Country, Person
from cascade.trainings.models import Training, TrainingSession
from cascade.web import services

pytestmark = pytest.mark.django_db

FIRST = datetime.date(2027, 3, 1)


@pytest.fixture
def swrc_people(partners, create_person):
    """Thirty people of SWRC (bob's partner), three of whom facilitate."""
    return [create_person(key=f"swrc-{n:02d}", full_name=f"Activist {n:02d}", organization=partners["swrc"])
            for n in range(30)]


@pytest.fixture
def manual(create_manual):
    return create_manual(sessions=4, key="choices", title={"en": "Leading to Choices"})


@pytest.fixture
def bob_client(client, bob):
    client.force_login(bob)
    return client


def _post(partners, manual=None, people=(), agenda=(), **overrides):
    """The whole page as the browser sends it: the training, its agenda rows and participant rows."""
    data = {
        "kind": "institute", "title_text": "Shymkent institute 2027", "start_date": FIRST.isoformat(),
        "end_date": (FIRST + datetime.timedelta(days=2)).isoformat(), "country": "KZ", "city": "Shymkent",
        "host": partners["swrc"].pk, "language": "ru", "source_training": "", "women": "", "men": "",
        "other": "", "manuals": [manual.pk] if manual else [],
        "people-TOTAL_FORMS": str(len(people)), "people-INITIAL_FORMS": "0",
        "agenda-TOTAL_FORMS": str(len(agenda)), "agenda-INITIAL_FORMS": "0",
        "add-paste": "", "add-paste_role": "participant", "add-call": "",
    }
    for i, row in enumerate(people):
        data.update({f"people-{i}-person": "", f"people-{i}-new_name": "", f"people-{i}-gender": "woman",
                     f"people-{i}-role": "participant", f"people-{i}-completed": "on"})
        data.update({f"people-{i}-{name}": value for name, value in row.items()})
    for i, row in enumerate(agenda):
        data.update({f"agenda-{i}-id": "", f"agenda-{i}-date": "", f"agenda-{i}-manual_session": "",
                     f"agenda-{i}-title_text": "", f"agenda-{i}-facilitators": []})
        data.update({f"agenda-{i}-{name}": value for name, value in row.items()})
    data.update(overrides)
    return data


def _three_days(manual, facilitators):
    sessions = list(manual.sessions.order_by("number"))
    day = [(FIRST + datetime.timedelta(days=n)).isoformat() for n in range(3)]
    return [
        {"date": day[0], "manual_session": sessions[0].pk, "facilitators": [facilitators[0].pk]},
        {"date": day[0], "title_text": "Opening circle", "facilitators": [facilitators[0].pk, facilitators[1].pk]},
        {"date": day[1], "manual_session": sessions[1].pk, "facilitators": [facilitators[1].pk]},
        {"date": day[1], "manual_session": sessions[2].pk, "facilitators": [facilitators[2].pk]},
        {"date": day[2], "title_text": "Planning step-downs", "facilitators": [facilitators[2].pk]},
    ]


def test_twenty_five_participants_and_a_three_day_agenda_in_one_post(bob_client, partners, manual, swrc_people):
    facilitators = swrc_people[25:28]
    people = [{"person": p.pk} for p in swrc_people[:25]]
    people += [{"person": p.pk, "role": "facilitator"} for p in facilitators]
    response = bob_client.post(reverse("web:training_new"),
                               _post(partners, manual, people=people, agenda=_three_days(manual, facilitators)))
    training = Training.objects.get(city="Shymkent", start_date=FIRST)
    assert response.status_code == 302 and response["Location"] == reverse("web:training", args=[training.pk])
    assert training.participations.filter(role="participant").count() == 25
    assert training.participations.filter(role="facilitator").count() == 3
    agenda = list(training.sessions.order_by("order"))
    assert [(s.order, s.date, s.heading) for s in agenda] == [
        (1, FIRST, "Session 1"), (2, FIRST, "Opening circle"),
        (3, FIRST + datetime.timedelta(days=1), "Session 2"),
        (4, FIRST + datetime.timedelta(days=1), "Session 3"),
        (5, FIRST + datetime.timedelta(days=2), "Planning step-downs")]
    assert [sorted(p.full_name for p in s.facilitators.all()) for s in agenda][1] == ["Activist 25", "Activist 26"]
    entry = AuditEntry.objects.get(action="cascade.training.agenda_changed")
    assert entry.object_label == f"training:{training.key}" and entry.details["added"] == 5


def test_an_invalid_post_keeps_everything_typed_and_names_the_row(bob_client, partners, manual, swrc_people):
    agenda = _three_days(manual, swrc_people[25:28])
    agenda[3]["date"] = "2027-03-09"  # after the last day
    people = [{"person": p.pk} for p in swrc_people[:3]] + [{"new_name": "Zarina Newcomer"}]
    response = bob_client.post(reverse("web:training_new"), _post(partners, manual, people=people, agenda=agenda))
    assert response.status_code == 200
    assert not Training.objects.filter(start_date=FIRST).exists()
    page = response.content.decode()
    assert "Agenda, row 4, Day: Choose a day from" in page
    for typed in ("Opening circle", "Planning step-downs", "Zarina Newcomer", "Activist 01", "2027-03-09",
                  "Shymkent institute 2027"):
        assert typed in page
    assert response.context["agenda"].total_form_count() == 5
    assert response.context["formset"].total_form_count() == 4


def test_a_session_of_a_manual_not_ticked_is_refused(bob_client, partners, manual, swrc_people):
    agenda = [{"date": FIRST.isoformat(), "manual_session": manual.sessions.first().pk}]
    response = bob_client.post(reverse("web:training_new"), _post(partners, None, agenda=agenda))
    assert "Agenda, row 1, Manual session: This session is from a manual not ticked above." in response.content.decode()
    assert not TrainingSession.objects.exists()


def test_a_pasted_list_with_an_unknown_key_names_the_line_and_saves_nothing(bob_client, partners, swrc_people):
    paste = "\n".join(["swrc-00", "Activist 01", "no-such-key", "", "swrc-03"])
    response = bob_client.post(reverse("web:training_new"), _post(partners, **{"add-paste": paste}))
    assert response.status_code == 200
    assert "Line 3 (“no-such-key”): no one you can see has this name or key." in response.content.decode()
    assert not Training.objects.filter(start_date=FIRST).exists()
    assert response.context["add"]["paste"].value() == paste


def test_a_pasted_list_is_saved_with_the_training(bob_client, partners, swrc_people):
    paste = "\n".join(p.key for p in swrc_people[:20]) + "\nActivist 20\nactivist 21\n"
    response = bob_client.post(reverse("web:training_new"), _post(partners, **{"add-paste": paste}))
    assert response.status_code == 302
    training = Training.objects.get(start_date=FIRST)
    assert training.participations.count() == 22


def test_a_pasted_list_names_only_people_in_scope(bob_client, partners, create_person):
    create_person(key="kg-1", full_name="Someone Of Bir Duino", organization=partners["birduino"])
    response = bob_client.post(reverse("web:training_new"), _post(partners, **{"add-paste": "kg-1"}))
    assert "Line 1 (“kg-1”): no one you can see" in response.content.decode()


def test_buttons_add_and_move_rows_without_a_script_and_save_nothing(bob_client, partners, manual, swrc_people):
    agenda = _three_days(manual, swrc_people[25:28])
    data = _post(partners, manual, agenda=agenda, action="add-day")
    response = bob_client.post(reverse("web:training_new"), data)
    assert response.status_code == 200 and not Training.objects.exists()
    rows = response.context["agenda"].initial
    assert len(rows) == 6 and rows[-1]["date"] == "2027-03-04"  # the day after the last: she fixes it

    response = bob_client.post(reverse("web:training_new"), _post(partners, manual, agenda=agenda, action="up-2"))
    rows = response.context["agenda"].initial
    # Moved above the last session of the first day: it moves to that day.
    assert [r["manual_session"] for r in rows[:3]] == [str(agenda[0]["manual_session"]), str(agenda[2]["manual_session"]), ""]
    assert rows[1]["date"] == FIRST.isoformat()

    response = bob_client.post(reverse("web:training_new"), _post(partners, action="add-rows"))
    assert response.context["formset"].total_form_count() == 5

    paste = "swrc-00\nswrc-01"
    response = bob_client.post(reverse("web:training_new"), _post(partners, action="add-people", **{"add-paste": paste}))
    assert [row["person"] for row in response.context["formset"].initial] == [swrc_people[0].pk, swrc_people[1].pk]
    assert response.context["add"]["paste"].value() in ("", None)
    assert "Activist 00" in response.content.decode()


def test_accepted_applicants_of_a_call_are_added(bob_client, bob, partners, swrc_people):
    from cascade.selection import services as selection
    from cascade.selection.models import Application

    call = selection.create_call(
        bob, title={"en": "Call"}, host=partners["swrc"], country=Country.objects.get(code="KZ"),
        start_date=FIRST, end_date=FIRST + datetime.timedelta(days=2),
        deadline=timezone.now() + datetime.timedelta(days=30), places=5, languages=["en"])
    for n, status in enumerate(["accepted", "accepted", "submitted", "declined"]):
        Application.objects.create(call=call, status=status, full_name=f"Applicant {n}", language="en",
                                   email=f"applicant{n}@example.org", gender="woman")
    response = bob_client.post(reverse("web:training_new"), _post(partners, action="add-people",
                                                                  **{"add-call": call.pk}))
    rows = response.context["formset"].initial
    assert sorted(row["new_name"] for row in rows) == ["Applicant 0", "Applicant 1"]
    data = _post(partners, people=[{"new_name": row["new_name"], "application": row["application"]} for row in rows])
    response = bob_client.post(reverse("web:training_edit", args=[call.training.pk]), data)
    assert response.status_code == 302
    names = sorted(call.training.participations.values_list("person__full_name", flat=True))
    assert names == ["Applicant 0", "Applicant 1"]
    # Confirming her place later finds the same record.
    application = Application.objects.get(full_name="Applicant 0")
    assert selection.confirm(application).person.full_name == "Applicant 0"
    assert Person.objects.filter(full_name="Applicant 0").count() == 1


def test_the_search_finds_only_people_in_scope(client, bob, erin, partners, create_person, swrc_people):
    create_person(key="kg-2", full_name="Activist Of Bir Duino", organization=partners["birduino"])
    client.force_login(bob)
    page = client.get(reverse("web:people_search"), {"q": "activist"}).content.decode()
    assert "Activist 00" in page and "Bir Duino" not in page
    assert "swrc-07" in client.get(reverse("web:people_search"), {"q": "swrc-07"}).content.decode()
    client.force_login(erin)
    assert client.get(reverse("web:people_search"), {"q": "activist"}).status_code in (403, 404)


def test_the_agenda_service_checks_its_actor_and_keeps_other_languages(bob, carol, partners, create_training,
                                                                       swrc_people):
    training = create_training(host=partners["swrc"], start_date=FIRST, end_date=FIRST + datetime.timedelta(days=2))
    session = TrainingSession.objects.create(training=training, order=1, date=FIRST, title={"en": "Opening", "ru": "Открытие"})
    with translation.override("en"):
        counts = services.save_agenda(bob, training, [
            {"id": session.pk, "date": FIRST, "title_text": "Welcome", "facilitators": [swrc_people[0]]},
            {"date": FIRST + datetime.timedelta(days=1), "title_text": "Day two", "facilitators": []}])
    assert counts == {"added": 1, "changed": 1, "removed": 0, "sessions": 2}
    session.refresh_from_db()
    assert session.title == {"en": "Welcome", "ru": "Открытие"}
    with pytest.raises(PermissionDenied):
        services.save_agenda(carol, training, [])
    with pytest.raises(ValidationError):
        services.save_agenda(bob, training, [{"date": FIRST - datetime.timedelta(days=1), "title_text": "x"}])
    assert training.sessions.count() == 2


def test_the_admin_shows_titles_as_text_and_edits_the_agenda(admin_client, network):
    training = network["institute"]
    training.title = {"en": "Shymkent institute 2019", "ru": "Шымкентский институт 2019"}
    training.save()
    url = reverse("admin:trainings_training_change", args=[training.pk])
    with translation.override("ru"):
        page = admin_client.get(url, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert 'value="Шымкентский институт 2019"' in page
    assert "&quot;en&quot;: &quot;Shymkent" not in page and "&quot;ru&quot;" not in page
    form = admin_client.get(url).context["adminform"].form
    assert form["title"].value() == "Shymkent institute 2019"
    # Saving in English changes the English title only; the agenda is the inline's.
    data = {"key": training.key, "kind": "institute", "title": "Shymkent institute, 2019",
            "start_date": "2019-01-10", "end_date": "2019-01-12", "country": "KZ", "city": "Shymkent",
            "host": training.host_id, "manuals": [network["manual"].pk], "women_count": 0, "men_count": 0,
            "other_count": 0, "language": "", "description": "",
            "sessions-TOTAL_FORMS": 1, "sessions-INITIAL_FORMS": 0, "sessions-0-order": 1,
            "sessions-0-date": "2019-01-10", "sessions-0-title": "Opening", "sessions-0-facilitators": [network["aigul"].pk],
            "participations-TOTAL_FORMS": 0, "participations-INITIAL_FORMS": 0}
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    training.refresh_from_db()
    assert training.title == {"en": "Shymkent institute, 2019", "ru": "Шымкентский институт 2019"}
    session = training.sessions.get()
    assert session.title == {"en": "Opening"} and list(session.facilitators.all()) == [network["aigul"]]


def test_saving_unchanged_in_another_language_copies_no_title(bob, partners, create_training):
    training = create_training(host=partners["swrc"], start_date=FIRST)
    session = TrainingSession.objects.create(training=training, order=1, date=FIRST, title={"ru": "Открытие"})
    with translation.override("kk"):  # the Kazakh page shows the Russian title, as typed
        services.save_agenda(bob, training, [{"id": session.pk, "date": FIRST, "title_text": "Открытие"}])
    session.refresh_from_db()
    assert session.title == {"ru": "Открытие"}
