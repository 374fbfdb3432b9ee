"""Request bodies refused from their announced size, before anything reads them."""

from django.conf import settings
from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


def body_length(request) -> int:
    """The body's size as announced by Content-Length (0 if absent or not a number).

    Django reads no more than Content-Length from a WSGI server, and a body without
    it reads as empty, so this number bounds what a request can make us read.
    """
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


class RequestBodyLimit:
    """Answer 413 to a body larger than settings.MAX_REQUEST_BODY, without reading it.

    Django's DATA_UPLOAD_MAX_MEMORY_SIZE counts form fields but not files, so a huge
    upload would otherwise be streamed to a temporary file before any view could look.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.MAX_REQUEST_BODY
        if body_length(request) > limit:
            message = _("The request is larger than this site accepts (at most %(limit)s); nothing was saved.") % {
                "limit": filesizeformat(limit)}
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
