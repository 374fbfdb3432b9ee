"""Deployment checks of operations (``cascade check --deploy``)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

CONSOLE_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}


@register(Tags.security, deploy=True)
def mail_does_not_go_to_the_log(app_configs, **kwargs):
    """Mail to applicants holds their names and contacts: printed to the console, it lands in the server's log."""
    if settings.EMAIL_BACKEND in CONSOLE_BACKENDS:
        return [Warning(
            "E-mail is printed to the console (or written to files), not sent: applicants' names and "
            "addresses would end up in the server's log, and nobody would receive their mail.",
            hint="Set EMAIL_HOST (and EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, DEFAULT_FROM_EMAIL) "
                 "to send mail through an SMTP server.",
            id="cascade.W001")]
    return []
