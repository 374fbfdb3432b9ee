"""Workflows of the staff app: saving a training with its participants, reporting a step-down.

Views call these functions; so may commands, the admin and the API. Each takes its
actor, checks it with ``access.require`` and leaves a trace in the audit log.
"""

from __future__ import annotations

import uuid

from django.db import transaction
from django.utils import translation
from django.utils.text import slugify

from cascade.access import require, visible_people
from cascade.audit import services as audit
from cascade.lib.translated import with_text
from cascade.network.models import Person
from cascade.network.services import locate, place_for
from cascade.trainings import headcounts, sources
from cascade.trainings.models import Participation, Training, TrainingSession


def new_key(prefix: str) -> str:
    """A spreadsheet key for a record made on a page: readable prefix, random tail."""
    return f"{slugify(prefix)[:40] or 'web'}-{uuid.uuid4().hex[:8]}"


def _person(row: dict, country, actor) -> Person:
    if row.get("person"):
        return row["person"]
    if row.get("application"):
        from cascade.selection.services import person_for

        return person_for(row["application"], actor)
    return Person.objects.create(
        key=new_key("person"), full_name=row["new_name"].strip(),
        gender=row.get("gender") or Person.Gender.NOT_STATED, country=country,
    )


@transaction.atomic
def save_training(actor, form, participant_rows: list[dict], agenda_rows: list[dict] | None = None) -> Training:
    """Create or update the training of a valid TrainingForm, and set its participants.

    ``participant_rows`` are the cleaned rows of the participants table: each has
    ``person`` (a known Person) or ``new_name`` (a Person to create), ``role`` and
    ``completed``. People on the training but not in the rows are taken off it. The
    form's ``women``, ``men`` and ``other`` are everyone who attended (empty: only those
    named); the training keeps the unnamed remainder, and more named participants of a
    gender than attended raises ValidationError keyed by that field, writing nothing.
    Nobody has completed a training before its first day (or a cancelled one): completion
    is stored as no. A row may carry an accepted ``application`` of a call the actor
    manages instead: her record is found (or made) from it as when she confirms.

    ``agenda_rows`` (None: the agenda is left as it is) are the agenda in its order,
    see :func:`save_agenda`.
    """
    training = form.instance
    creating = training.pk is None
    if creating:
        require("trainings.create", actor)
    else:
        require("trainings.change", actor, training)
    training = form.save(commit=False)
    training.title = form.translated_title()
    locate(actor, training)
    if creating:
        training.key = new_key(f"{training.kind}-{training.start_date:%Y-%m-%d}")
    training.save()
    form.save_m2m()
    visible = set(visible_people(actor).values_list("pk", flat=True))
    kept = set()
    for row in participant_rows:
        person = _person(row, training.country, actor)
        visible.add(person.pk)
        participation, _created = Participation.objects.update_or_create(
            training=training, person=person, role=row["role"],
            defaults={"completed": bool(row.get("completed")) and training.has_started},
        )
        kept.add(participation.pk)
    if agenda_rows is not None:
        save_agenda(actor, training, agenda_rows)
    _check_in_scope(actor, training)
    # Only people this user can see may be removed by her edit.
    training.participations.exclude(pk__in=kept).filter(person_id__in=visible).delete()
    _keep_unnamed(training, form.cleaned_data)
    audit.log("cascade.training.created" if creating else "cascade.training.changed", actor, training,
              participants=len(kept))
    return training


@transaction.atomic
def save_agenda(actor, training: Training, rows: list[dict]) -> dict:
    """Make the training's agenda the ``rows``, in their order (kept within each day).

    Each row has ``date``, ``manual_session`` or ``title_text`` (in the active language;
    the title's other languages are kept), ``facilitators`` (people the actor sees) and,
    for a session already on the agenda, its ``id``. Sessions not in the rows are removed.
    Dates outside the training's days or facilitators out of her scope raise ValidationError
    and write nothing. The audit log names the training by key, with what was added,
    changed and removed.
    """
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    require("trainings.change", actor, training)
    visible = set(visible_people(actor).values_list("pk", flat=True))
    existing = {session.pk: session for session in training.sessions.prefetch_related("facilitators")}
    language = translation.get_language() or "en"
    rows = sorted(rows, key=lambda row: row["date"])  # stable: the typed order within a day
    added = changed = 0
    kept = set()
    for order, row in enumerate(rows, start=1):
        if not (training.start_date <= row["date"] <= training.last_day):
            raise ValidationError(_("A session is on a day outside the training."))
        people = list(row.get("facilitators") or [])
        if any(person.pk not in visible for person in people):
            raise ValidationError(_("A facilitator is not among the people you may see."))
        session = existing.get(row.get("id"))
        title = with_text(session.title if session else {}, language, row.get("title_text") or "")
        if session is None:
            session = TrainingSession(training=training)
            added += 1
        elif (session.order, session.date, session.title, session.manual_session, {p.pk for p in session.facilitators.all()}) != (
                order, row["date"], title, row.get("manual_session"), {p.pk for p in people}):
            changed += 1
        session.order, session.date, session.title = order, row["date"], title
        session.manual_session = row.get("manual_session")
        session.save()
        # Facilitators she cannot see stay on the session: her edit only adds or removes those she sees.
        hidden = [p for p in session.facilitators.all() if p.pk not in visible] if session.pk in existing else []
        session.facilitators.set([*people, *hidden])
        kept.add(session.pk)
    removed = [pk for pk in existing if pk not in kept]
    training.sessions.filter(pk__in=removed).delete()
    counts = {"added": added, "changed": changed, "removed": len(removed), "sessions": len(kept)}
    if added or changed or removed:
        audit.log("cascade.training.agenda_changed", actor, training, **counts)
    return counts


@transaction.atomic
def report_step_down(actor, *, trainer, start_date, country, city, end_date=None, source_training=None,
                     manual=None, language="", sessions=(), women=0, men=0, other=0,
                     names=(), photos=(), shows_people=True, consent_recorded=False) -> Training:
    """Record a step-down a trainer gave: who led it, when, where, what, and who came.

    ``women``, ``men`` and ``other`` are everyone who attended, named or not (the one
    head-count rule of ``cascade.trainings.headcounts``); ``names`` are those of them
    the trainer named, each ``(full name, gender)`` or a bare name (gender not stated).
    The training keeps the unnamed remainder per gender; more names than attendees of
    a gender is refused with a ValidationError naming that gender. Named participants
    are created as new people (a trainer in the field cannot look people up).
    ``photos`` are images already through ``photos.services.clean_image`` (so none can
    fail half-way).
    """
    require("trainings.report", actor, trainer)
    named = [(name, Person.Gender.NOT_STATED) if isinstance(name, str) else tuple(name) for name in names]
    counts = headcounts.unnamed({"women": women, "men": men, "other": other or 0},
                                headcounts.count_named(gender for _name, gender in named))
    sources.check_source(trainer, source_training, start_date)
    place = place_for(actor, city, country)
    title = translation.gettext("Step-down in %(city)s") % {"city": place.name_in() if place else city}
    training = Training.objects.create(
        key=new_key(f"step-down-{start_date:%Y-%m-%d}"), kind=Training.Kind.STEP_DOWN,
        title={translation.get_language() or "en": title}, start_date=start_date, end_date=end_date,
        country=country, city=city, place=place, language=language or "", source_training=source_training,
        host=trainer.organization, women_count=counts["women"], men_count=counts["men"],
        other_count=counts["other"],
    )
    if manual is not None:
        training.manuals.add(manual)
    Participation.objects.create(training=training, person=trainer, role=Participation.Role.FACILITATOR)
    for order, session in enumerate(sessions, start=1):
        item = TrainingSession.objects.create(training=training, order=order, manual_session=session,
                                              date=start_date)
        item.facilitators.add(trainer)
    for name, gender in named:
        person = Person.objects.create(key=new_key("person"), full_name=name, gender=gender, country=country)
        Participation.objects.create(training=training, person=person, role=Participation.Role.PARTICIPANT)
    _check_in_scope(actor, training)
    from cascade.photos.services import store_photo

    for cleaned in photos:
        store_photo(training=training, cleaned=cleaned, actor=actor, shows_people=shows_people,
                    consent_recorded=consent_recorded and shows_people)
    audit.log("cascade.training.reported", actor, training, sessions=len(sessions), named=len(named),
              photos=len(photos))
    return training


def _keep_unnamed(training, data) -> None:
    """The one head-count rule: the form gave everyone who attended; keep those not named."""
    attended = {group: data.get(group) for group in headcounts.GROUPS}
    named = headcounts.count_named(training.participations.filter(
        role=Participation.Role.PARTICIPANT).values_list("person__gender", flat=True))
    counts = headcounts.unnamed(attended, named)  # raises, and the whole save rolls back
    for group, field in headcounts.FIELDS.items():
        setattr(training, field, counts[group])
    training.save(update_fields=list(headcounts.FIELDS.values()))


def _check_in_scope(actor, training) -> None:
    """A new or changed training must stay one the actor may edit; otherwise roll everything back.

    Asking cascade.access after the write (inside the transaction) keeps the rule
    in one place: partner staff may record trainings their organisation hosts or
    co-organises, a trainer the ones she facilitates.
    """
    require("trainings.change", actor, training)


@transaction.atomic
def delete_training(training: Training, actor) -> None:
    """Delete a training with its participations and sessions (network admins only: the
    figures of every partner downstream change). The admin calls this too."""
    require("trainings.delete", actor, training)
    audit.log("cascade.training.deleted", actor, training, participations=training.participations.count())
    training.delete()


def download_list(actor, listing, fmt: str, obj=None) -> tuple[str, bytes]:
    """The file of a list (``cascade.web.lists.Listing``): every row of its filters, in its sort.

    ``obj`` is what the list belongs to (a call, for its applications). The audit log names the
    list, the format, the filters and the number of rows, never a row: a search's text is left out.
    """
    from . import lists

    require("lists.download", actor, (listing.name, obj))
    header, rows = listing.table()
    title = str(listing.title)
    data = lists.as_csv(header, rows) if fmt == "csv" else lists.as_xlsx(header, rows, title)
    audit.log("cascade.lists.downloaded", actor, obj, list=listing.name, format=fmt,
              filters=listing.filters(), rows=len(rows), language=translation.get_language())
    return listing.filename(fmt), data
