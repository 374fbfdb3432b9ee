"""The donor report and a story's DOCX or PDF, made by ``cascade worker`` while the reader waits on the job's page.

Each job calls the same service as the direct download (``services.donor_report``,
``services.export_draft``), as its owner and in her language, so its file is the
one the link would have given.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cascade.jobs import services as jobs
from cascade.jobs.kinds import JobError, register
from cascade.stories import report, services


@register("donor-report", rule="figures.read", label=gettext_lazy("Donor report"))
def donor_report(job, progress, actor):
    """``params``: ``query`` (the dashboard's filters as a page sends them), ``format``, ``language``."""
    fmt = job.params["format"]
    try:
        name, data = services.donor_report(actor, job.params.get("query") or {}, fmt,
                                           job.params.get("language") or job.language, progress)
    except services.StoryError as error:
        raise JobError(str(error)) from None
    jobs.result_file(job, name, report.CONTENT_TYPES[fmt]).write_bytes(data)
    return {"message": _("The donor report is ready.")}


@register("story-export", rule="stories.read", label=gettext_lazy("Story export"))
def story_export(job, progress, actor):
    """``params``: ``draft`` (its id) and ``format`` (docx or pdf)."""
    fmt = job.params["format"]
    try:
        draft = services.readable_draft(actor, job.params["draft"])
        name, data = services.export_draft(draft, fmt, actor, progress)
    except services.StoryError as error:
        raise JobError(str(error)) from None
    jobs.result_file(job, name, services.FORMATS[fmt][0]).write_bytes(data)
    return {"message": _("The story's file is ready."),
            "next_url": reverse("stories:edit", args=[draft.training.key, draft.language]), "next_label": _("Back to the story")}
