"""The pages shown when something goes wrong: 400, 403 (CSRF failure included), 404 and 500.

Each says what happened in the user's language, inside the app's layout, with a way home.
The 500 page is drawn from a template of its own without the request's context processors
(no user, no database, no messages): whatever broke the page must not break this one too.
"""

import logging

from django.shortcuts import render
from django.template import loader
from django.http import HttpResponseServerError
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

PAGES = {
    400: (_("The request could not be read"),
          _("The address or the form sent was incomplete or malformed. Go back and try again.")),
    403: (_("You may not open this page"),
          _("Your role does not give access to this page. If you need it, ask a network admin.")),
    404: (_("Page not found"),
          _("There is nothing at this address. It may have been mistyped, or what it showed was moved "
            "or removed, or is not visible to your role.")),
    "csrf": (_("The form has expired"),
             _("The form could not be accepted: it was open too long, or the browser blocks cookies "
               "for this site. Go back, reload the page and send it again.")),
}


def _page(request, status: int, kind=None, message: str = ""):
    title, explanation = PAGES[kind or status]
    return render(request, "errors/error.html", {
        "status": status, "title": title, "explanation": explanation, "message": message,
    }, status=status)


def bad_request(request, exception=None):
    return _page(request, 400)


def permission_denied(request, exception=None):
    """The reason a view gave (``PermissionDenied(_("..."))``), when it gave one, under the title."""
    message = str(exception) if exception is not None and exception.args else ""
    return _page(request, 403, message=message)


def page_not_found(request, exception=None):
    # The exception's text ("No Person matches the given query") is not for users.
    return _page(request, 404)


def csrf_failure(request, reason=""):
    return _page(request, 403, kind="csrf")


def server_error(request):
    """Self-contained: no context processors, no database; the stylesheet if its name is known."""
    from django.templatetags.static import static

    try:
        stylesheet = static("web/cascade.css")
        icon = static("web/icon.svg")
    except Exception:  # a missing manifest must not turn this page into another error
        logger.exception("The error page is shown without its stylesheet.")
        stylesheet = icon = ""
    html = loader.get_template("errors/500.html").render({
        "stylesheet": stylesheet, "icon": icon, "language": get_language() or "en",
        "rtl": get_language_bidi(),
    })
    return HttpResponseServerError(html)
