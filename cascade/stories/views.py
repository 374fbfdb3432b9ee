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
from cascade.jobs import services as jobs
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
    from cascade.jobs.heartbeat import worker_alive

    return {"training": training, "draft": draft, "editable": editable, "text": text,
            "languages": services.STORY_LANGUAGES, "formats": ("html", "docx", "pdf"),
            "job_formats": JOB_FORMATS if worker_alive() else ()}


#: The story formats a page offers as a background job when a worker runs (HTML is quick, and read in place).
JOB_FORMATS = ("docx", "pdf")


@login_required
@require_http_methods(["GET", "POST"])
def export(request, key, lang, fmt):
    """GET: the file. POST (the story's page, when a worker runs): a job that makes it, and its page."""
    training, lang = _training(request, key), _language(lang)
    draft = get_object_or_404(visible_stories(request.user), training=training, language=lang)
    if fmt not in ("html", "docx", "pdf", "text"):
        raise Http404(_("Unknown format."))
    if request.method == "POST":
        if fmt not in JOB_FORMATS:
            raise Http404(_("Unknown format."))
        job = jobs.start(request.user, "story-export", {"draft": draft.pk, "format": fmt},
                         title=f"{training.key} · {lang} · {fmt.upper()}")
        return redirect("jobs:detail", job.pk)
    name, data = services.export_draft(draft, fmt, request.user)
    response = HttpResponse(data, content_type=services.FORMATS[fmt][0])
    if fmt in ("docx", "pdf"):
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def donor_report(request, fmt):
    """The donor report for the dashboard's filters (the query), in the reader's language.

    GET: the file, as scripts and old links expect. POST (the dashboard's buttons, when a
    worker runs): a background job that makes the same file, and its page with the progress.
    """
    from cascade.access import suppression
    from cascade.stories import report

    if fmt not in report.CONTENT_TYPES:
        raise Http404(_("Unknown format."))
    try:
        if request.method == "POST":
            filters = services.report_filters(request.user, request.GET)  # refused now, not in the job
            job = jobs.start(request.user, "donor-report",
                             {"query": request.GET.dict(), "format": fmt, "language": get_language()},
                             title=f"{report.scope(suppression.coarsen(filters))} · {fmt.upper()}")
            return redirect("jobs:detail", job.pk)
        name, data = services.donor_report(request.user, request.GET, fmt, get_language())
    except services.StoryError as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
    response = HttpResponse(data, content_type=report.CONTENT_TYPES[fmt])
    # the name says what the report covers (its filters, periods widened as in the report) and its day
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def indicator_chart(request, country):
    """Public context data (no people in it): the staff app embeds it with <img>."""
    response = HttpResponse(country_chart_svg(country), content_type="image/svg+xml; charset=utf-8")
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response
