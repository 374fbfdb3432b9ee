"""E-mail sent after the transaction commits, with a few retries.

A message about a change must never leave before the change is saved: if the
transaction rolls back (an error later in the same request, a failed decision
among many), no applicant may have been told of a decision that did not happen.
So messages wait for ``transaction.on_commit``; outside a transaction they go at once.

Mail servers fail now and then: each message is tried a few times, waiting a little
longer each time (``CASCADE_MAIL_RETRY_DELAYS``, seconds between attempts). A
message that still fails is logged, and ``on_failure`` is called so the service can
leave a trace staff can see; the saved change stands.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import pgettext

logger = logging.getLogger("cascade.mail")

#: Seconds to wait before the second, third... attempt.
DEFAULT_RETRY_DELAYS = (2, 10)


def retry_delays() -> tuple[float, ...]:
    return tuple(getattr(settings, "CASCADE_MAIL_RETRY_DELAYS", DEFAULT_RETRY_DELAYS))


def send_now(subject: str, body: str, recipients: list[str], *,
             on_failure: Callable[[Exception, int], None] | None = None) -> bool:
    """Send, retrying after each delay; True once sent. After the last failure, log and call ``on_failure``."""
    delays = retry_delays()
    attempts = len(delays) + 1
    for attempt in range(1, attempts + 1):
        try:
            send_mail(subject, body, None, recipients)
            return True
        except Exception as error:  # smtplib, socket and backend errors alike
            if attempt < attempts:
                logger.warning("E-mail attempt %d of %d failed (%s); retrying.", attempt, attempts,
                               type(error).__name__)
                time.sleep(delays[attempt - 1])
                continue
            # The recipient's address is personal data: the log names the error only.
            logger.error("E-mail not sent after %d attempts: %s", attempts, type(error).__name__)
            if on_failure is not None:
                on_failure(error, attempts)
    return False


def send_after_commit(subject: str, body: str, recipients: list[str], *,
                      on_failure: Callable[[Exception, int], None] | None = None) -> None:
    """Send once the current transaction commits (at once outside one); never if it rolls back."""
    transaction.on_commit(lambda: send_now(subject, body, recipients, on_failure=on_failure))


# --- Greetings ------------------------------------------------------------------
# Russian, Arabic and others greet a woman and a man differently ("Уважаемая",
# "Уважаемый"). When the person has not told us (not stated, other, unknown), the
# greeting must not guess: each language has a neutral one ("Здравствуйте, …!").

GREETING_CONTEXTS = {"woman": "greeting to a woman", "man": "greeting to a man"}
NEUTRAL_GREETING = "greeting, gender unknown"


def greeting_context(gender: str | None) -> str:
    """The msgctxt of the greeting for this gender: a woman's, a man's, or the neutral one."""
    return GREETING_CONTEXTS.get(gender or "", NEUTRAL_GREETING)


def greeting(person_or_name, gender: str | None = None, language: str | None = None) -> str:
    """The first line of a letter to this person, by her or his gender, in ``language``
    (the active language when None). ``person_or_name`` is a Person (its ``full_name`` and
    ``gender`` are used) or a name; genders are Person.Gender's values ("woman", "man",
    "other", "not stated"); any other, or none, gets the neutral greeting."""
    name = person_or_name if isinstance(person_or_name, str) else getattr(person_or_name, "full_name", "")
    if gender is None and not isinstance(person_or_name, str):
        gender = getattr(person_or_name, "gender", None)
    name = (name or "").strip()
    with translation.override(language or translation.get_language()):
        if not name:
            return pgettext("greeting without a name", "Hello,")
        # Spelled out for makemessages: the three contexts of greeting_context().
        texts = {
            "greeting to a woman": pgettext("greeting to a woman", "Dear %(name)s,"),
            "greeting to a man": pgettext("greeting to a man", "Dear %(name)s,"),
            "greeting, gender unknown": pgettext("greeting, gender unknown", "Dear %(name)s,"),
        }
        return texts[greeting_context(gender)] % {"name": name}
