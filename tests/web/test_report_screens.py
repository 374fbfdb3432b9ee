"""The report's screens as the phone numbers them, as README, the user guide and the help say;
and a reported step-down's agenda shows its sessions by title in the reader's language."""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from cascade.lib.translated import pick_first
from cascade.trainings.models import Training, TrainingSession
from cascade.web import forms

from .test_workflows import _report

ROOT = Path(__file__).resolve().parents[2]
WORDS = {"three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}


def _number(pattern, text) -> int:
    found = re.search(pattern, text, re.IGNORECASE)
    assert found, f"{pattern!r} is not there"
    return WORDS[found.group(1).lower()]


def test_the_readme_and_the_user_guide_count_the_screens_the_phone_shows():
    screens = forms.report_screens()
    assert len(screens) == len(forms.STEPS) + 1  # the steps, then "Check and save"
    readme = (ROOT / "README.md").read_text()
    assert _number(r"from a phone in (\w+) short steps", readme) == len(screens)
    guide = (ROOT / "docs" / "user-guide.md").read_text()
    section = guide.split("## Report a step-down", 1)[1].split("\n## ", 1)[0]
    assert _number(r"(\w+) short screens", section) == len(screens)
    with translation.override("en"):
        for title in screens:
            assert f"**{title}**" in section, f"the user guide names the screen “{title}”"
            assert title.lower() in readme.lower()


def test_the_help_lists_the_screens_from_the_report_itself(client, db):
    page = client.get(reverse("web:help"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "It takes 5 short screens" in page
    listed = re.search(r'<ol class="report-screens">(.*?)</ol>', page, re.S).group(1)
    assert re.findall(r"<li>(.*?)</li>", listed) == [str(title) for title in forms.report_screens()]


def test_a_title_missing_in_the_readers_language_comes_from_the_text_that_has_it():
    own, manual = {"en": "Roleplay: negotiation"}, {"en": "Negotiation", "ru": "Переговоры", "ar": "التفاوض"}
    assert pick_first(own, manual, language="en") == "Roleplay: negotiation"
    assert pick_first(own, manual, language="ar") == "التفاوض"
    assert pick_first(own, manual, language="kk") == "Переговоры"  # Russian before English in Kazakh
    assert pick_first({}, {"ka": "მოლაპარაკება"}, language="fa") == "მოლაპარაკება"
    assert pick_first({}, None, language="en") == ""
    assert pick_first("Plain text", manual, language="ar") == "Plain text"


@pytest.mark.django_db
def test_the_saved_step_down_and_its_training_page_name_the_sessions_in_the_readers_language(
        admin_client, network):
    for number, session in enumerate(network["manual"].sessions.all(), start=1):
        session.title = {"en": f"Session {number}", "ru": f"Занятие {number}"}
        session.save()
    saved = _report(admin_client, network)["Location"]
    training = Training.objects.get(city="Lenger")
    items = list(TrainingSession.objects.filter(training=training).select_related("manual_session"))
    assert [item.title for item in items] == [{}, {}]  # the report keeps no title of its own
    with translation.override("kk"):
        assert [item.heading for item in items] == ["Занятие 1", "Занятие 2"]
    with translation.override("ar"):
        assert [str(item) for item in items] == ["Session 1", "Session 2"]

    admin_client.post(reverse("web:set_language"), {"language": "kk"})
    page = admin_client.get(saved).content.decode()
    sessions = re.search(r'data-saved="sessions">(.*?)</dd>', page, re.S).group(1)
    assert "Занятие 1" in sessions and "Занятие 2" in sessions
    agenda = admin_client.get(reverse("web:training", args=[training.pk])).content.decode()
    rows = re.findall(r"<tr><td>[^<]*</td><td>(.*?)</td>", agenda)
    assert [row.split(" <span")[0] for row in rows] == ["Занятие 1", "Занятие 2"]
