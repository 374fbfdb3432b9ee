"""Story workflows: write a draft from the data, save edits. Views and commands call these."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cascade.access import require, visible_stories
from cascade.jobs.progress import Progress

from cascade.stories import exports
from cascade.stories.facts import gather, publishable_photos
from cascade.stories.models import StoryDraft
from cascade.stories.writers import WRITERS
from cascade.trainings.models import Training

STORY_LANGUAGES = tuple(WRITERS)


class StoryError(ValueError):
    pass


def find_training(key: str) -> Training:
    training = Training.objects.select_related("country", "host").filter(key=key).first()
    if training is None:
        raise StoryError(_("No training has the key “%(key)s”.") % {"key": key})
    return training


def write(training: Training, lang: str) -> tuple[str, dict]:
    """Generate the text and the facts it rests on (nothing saved). Only a held training has a story."""
    if training.cancelled:
        raise StoryError(_("%(key)s was cancelled: there is no story to tell.") % {"key": training.key})
    if training.is_planned:
        raise StoryError(_("%(key)s is planned (its first day is %(day)s): its story is written once it is held.")
                         % {"key": training.key, "day": training.start_date.isoformat()})
    if lang not in WRITERS:
        raise StoryError(_("Stories are written in %(languages)s; “%(lang)s” is not one of them.")
                         % {"languages": ", ".join(STORY_LANGUAGES), "lang": lang})
    facts = gather(training, lang)
    return WRITERS[lang](facts), facts


def generate_draft(training: Training, lang: str, actor) -> StoryDraft:
    """Write the story anew and save it as the training's draft in ``lang`` (replacing edits)."""
    require("stories.write", actor, training)
    user = actor if getattr(actor, "is_authenticated", False) else None
    text, facts = write(training, lang)
    draft, created = StoryDraft.objects.get_or_create(
        training=training, language=lang, defaults={"text": text, "facts": facts, "created_by": user},
    )
    if not created:
        draft.text, draft.facts, draft.updated_by = text, facts, user
        draft.save()
    _log("cascade.story.written", actor, draft)
    return draft


def _log(action: str, actor, draft: StoryDraft) -> None:
    from cascade.audit.services import log

    log(action, actor, draft, training=draft.training_id, language=draft.language)


def save_text(draft: StoryDraft, text: str, actor) -> StoryDraft:
    require("stories.write", actor, draft.training)
    user = actor if getattr(actor, "is_authenticated", False) else None
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise StoryError(_("text: a story cannot be empty."))
    draft.text, draft.updated_by = text + "\n", user
    draft.save(update_fields=["text", "updated_by", "updated_at"])
    _log("cascade.story.edited", actor, draft)
    return draft


FORMATS = {
    "text": ("text/plain; charset=utf-8", "txt"),
    "html": ("text/html; charset=utf-8", "html"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "pdf": ("application/pdf", "pdf"),
}


def photo_images(training: Training, ids) -> dict[int, bytes]:
    """Image bytes of the publishable photos a text names; others are left out."""
    images = {}
    for photo in publishable_photos(training):
        if photo.pk in ids and photo.image:
            try:
                with photo.image.open("rb") as handle:
                    images[photo.pk] = handle.read()
            except OSError:
                continue
    return images


PHOTOS = gettext_lazy("Reading the photos")


def export(training: Training, text: str, lang: str, fmt: str, progress: Progress | None = None) -> bytes:
    """A story's text as text, HTML, DOCX or PDF bytes."""
    from cascade.stories.report import WRITING

    if fmt not in FORMATS:
        raise StoryError(_("format: choose one of %(formats)s.") % {"formats": ", ".join(FORMATS)})
    if fmt == "text":
        return text.encode("utf-8")
    progress = progress or Progress()
    ids = {int(n) for n in re.findall(r"^\[photo (\d+)\]", text, flags=re.MULTILINE)}
    progress.phase(PHOTOS, total=len(ids))
    document = exports.story_document(text, lang, photo_images(training, ids))
    progress.phase(WRITING)
    if fmt == "html":
        return exports.to_html(document).encode("utf-8")
    return exports.to_docx(document) if fmt == "docx" else exports.to_pdf(document)


def export_draft(draft: StoryDraft, fmt: str, actor, progress: Progress | None = None) -> tuple[str, bytes]:
    """The draft's file name and bytes in ``fmt``, for whoever may read the draft (its page, its job)."""
    require("stories.read", actor, draft)
    data = export(draft.training, draft.text, draft.language, fmt, progress)
    return f"{draft.training.key}-{draft.language}.{FORMATS[fmt][1]}", data


def readable_draft(actor, pk: int) -> StoryDraft:
    """The draft with this id if ``actor`` may read it (a job's draft may have gone, or her role)."""
    draft = visible_stories(actor).select_related("training").filter(pk=pk).first()
    if draft is None:
        raise StoryError(_("This story draft no longer exists, or you may no longer read it."))
    require("stories.read", actor, draft)
    return draft


# --- The donor report ------------------------------------------------------------------


def report_filters(actor, query):
    """The report's filters from a page's query (``country=KZ&since=...``), read as the dashboard
    reads them for ``actor`` (her partners and countries, her periods); a clear error if one is not valid."""
    from cascade.web.forms import FiltersForm

    form = FiltersForm(query or None, user=actor)
    if query and not form.is_valid():
        errors = "; ".join(f"{form.fields[name].label if name in form.fields else name}: {' '.join(texts)}"
                           for name, texts in form.errors.items())
        raise StoryError(_("The report's filters are not valid: %(errors)s") % {"errors": errors})
    return form.filters()


def donor_report(actor, query, fmt: str, lang: str, progress: Progress | None = None) -> tuple[str, bytes]:
    """The donor report's file name and bytes for a query of the dashboard's filters, in ``lang``.

    Always with small counts suppressed, whoever asks: it is written to be passed on to
    donors. Figures only, no person: any reader with a role may have it (``figures.read``).
    The page's download and the background job both come here, so they give the same file.
    """
    from cascade.audit.services import log
    from cascade.stories import report

    require("figures.read", actor)
    if fmt not in report.CONTENT_TYPES:
        raise StoryError(_("format: choose one of %(formats)s.") % {"formats": ", ".join(report.CONTENT_TYPES)})
    filters = report_filters(actor, query)
    built = report.build(filters, lang, progress=progress)
    data = report.render(built, fmt, progress)
    log("cascade.report.exported", actor, None, format=fmt, filters=filters.as_dict())
    return report.file_name(built, fmt), data
