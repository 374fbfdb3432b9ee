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
