"""A partner's programme officer, signed in as partner staff in Russian, plans an institute with a
3-day agenda and 25 participants, runs a call from publication to certificates, and invites a trainer,
without opening the admin and without losing typed input: one continuous story in one browser session.

Each part has its own, closer test (test_institute_planning, test_call_in_russian, test_invitations,
and tests/selection/test_browser.py for the public form); this one proves they make one day's work.
"""

import datetime
from urllib.parse import urlsplit

import pytest

from cascade.network.models import Person
from tests.conftest import PASSWORD
from tests.selection.conftest import _fresh_rate_limit, people, signed_in  # noqa: F401  (fixtures)

from .conftest import sign_in
from .test_call_in_russian import (
    applications_arrive, apply_the_proposal, attendance_and_certificates, open_call, reviewers_score,
    send_the_decisions,
)
from .test_institute_planning import FIRST, plan_institute
from .test_invitations import accept_and_sign_in, invite_saule

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_programme_officer_plans_runs_a_call_and_invites_a_trainer_in_russian(
        chromium, live_server, people, swrc_network, signed_in):  # noqa: F811
    Person.objects.create(key="saule", full_name="Saule Trainerova", gender="woman", country_id="KZ",
                          organization=swrc_network["partners"]["swrc"])
    context = chromium.new_context(viewport={"width": 1366, "height": 900}, base_url=live_server.url,
                                   locale="ru-RU", extra_http_headers={"Accept-Language": "ru"})
    bob = context.new_page()
    requested = []
    bob.on("request", lambda request: requested.append(urlsplit(request.url).path))

    def in_russian():
        assert bob.locator("html").get_attribute("lang") == "ru", bob.url

    sign_in(bob, live_server.url, "bob", PASSWORD)
    in_russian()

    # The institute: three days, sessions with facilitators, 25 participants; Kazakh and back; one Save.
    institute = plan_institute(bob, live_server.url)
    in_russian()

    # The call fills that institute: created, edited, published (asked first).
    call = open_call(bob, people, FIRST, FIRST + datetime.timedelta(days=2))
    assert call.training_id == institute.pk
    in_russian()
    applications_arrive(bob, call)
    in_russian()
    reviewers_score(signed_in, people, call)
    apply_the_proposal(bob, call)
    in_russian()
    send_the_decisions(bob, call)
    in_russian()
    attendance_and_certificates(bob, call, ["Айгерим Нурланова", "Activist 00", "Зарина Абдиева"])
    assert institute.participations.count() == 28  # the 25 planned and the 3 who confirmed
    in_russian()

    # A trainer invited by e-mail, who accepts in a fresh browser.
    link = invite_saule(bob, live_server.url)
    in_russian()
    accept_and_sign_in(chromium, live_server.url, link)

    context.close()
    assert requested and not [path for path in requested if path.startswith("/admin/")]
