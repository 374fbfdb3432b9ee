"""Story drafts: open, edit and export; the per-country indicator chart."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cascade.access import can_edit_training, visible_stories, visible_trainings
from cascade.indicators.charts import country_chart_svg
from cascade.stories import services


def _training(request, key):
    return get_object_or_404(visible_trainings(request.user), key=key)


def _language(lang):
    if lang not in services.STORY_LANGUAGES:
        raise Http404(_("Stories are not written in this language."))
    return lang


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, key, lang):
    """The draft in a plain editor; the first visit writes it from the data."""
    training, lang = _training(request, key), _language(lang)
    editable = can_edit_training(request.user, training)
    draft = visible_stories(request.user).filter(training=training, language=lang).first()
    if request.method == "POST" or draft is None:
        if not editable:
            raise PermissionDenied
        if draft is None or "regenerate" in request.POST:
            try:
                draft = services.generate_draft(training, lang, request.user)
            except services.StoryError as error:  # a planned or cancelled training has no story
                messages.error(request, str(error))
                return redirect("web:training", training.pk)
            if request.method == "POST":
                messages.success(request, _("The story was written anew from the data."))
        else:
            try:
                services.save_text(draft, request.POST.get("text", ""), request.user)
                messages.success(request, _("The story was saved."))
            except services.StoryError as error:
                messages.error(request, str(error))
                return render(request, "stories/edit.html", _context(training, draft, editable, request.POST.get("text", "")))
        if request.method == "POST":
            return redirect("stories:edit", key=key, lang=lang)
    return render(request, "stories/edit.html", _context(training, draft, editable, draft.text))


def _context(training, draft, editable, text):
    return {"training": training, "draft": draft, "editable": editable, "text": text,
            "languages": services.STORY_LANGUAGES, "formats": ("html", "docx", "pdf")}


@login_required
def export(request, key, lang, fmt):
    training, lang = _training(request, key), _language(lang)
    draft = get_object_or_404(visible_stories(request.user), training=training, language=lang)
    if fmt not in ("html", "docx", "pdf", "text"):
        raise Http404(_("Unknown format."))
    content_type, extension = services.FORMATS[fmt]
    response = HttpResponse(services.export(training, draft.text, lang, fmt), content_type=content_type)
    if fmt in ("docx", "pdf"):
        response["Content-Disposition"] = f'attachment; filename="{training.key}-{lang}.{extension}"'
    return response


REPORT_FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": services.FORMATS["docx"][0],
    "pdf": services.FORMATS["pdf"][0],
}


@login_required
def donor_report(request, fmt):
    """The donor report for the dashboard's filters, in the reader's language.

    Always with small counts suppressed, whoever downloads it: it is written to be
    passed on to donors. Figures only, no person: any signed-in reader may have it.
    """
    from cascade.audit.services import log
    from cascade.stories import report
    from cascade.web.forms import FiltersForm

    if fmt not in REPORT_FORMATS:
        raise Http404(_("Unknown format."))
    form = FiltersForm(request.GET or None, user=request.user)
    if request.GET and not form.is_valid():
        errors = "; ".join(f"{form.fields[name].label if name in form.fields else name}: {' '.join(messages_)}"
                           for name, messages_ in form.errors.items())
        return HttpResponseBadRequest(_("The report's filters are not valid: %(errors)s") % {"errors": errors},
                                      content_type="text/plain; charset=utf-8")
    filters = form.filters()
    built = report.build(filters, get_language())
    data = report.render(built, fmt)
    log("cascade.report.exported", request.user, None, format=fmt, filters=filters.as_dict())
    response = HttpResponse(data, content_type=REPORT_FORMATS[fmt])
    # the name says what the report covers (its filters, periods widened as in the report) and its day
    response["Content-Disposition"] = f'attachment; filename="{report.file_name(built, fmt)}"'
    return response


def indicator_chart(request, country):
    """Public context data (no people in it): the staff app embeds it with <img>."""
    response = HttpResponse(country_chart_svg(country), content_type="image/svg+xml; charset=utf-8")
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response
