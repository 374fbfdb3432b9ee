"""Every workflow of a call, from publication to certificates.

Views, the admin and commands call these functions; each change by staff takes
its actor and checks it first (``access.require``), and leaves a trace in the audit
log (codes ``cascade.selection.*``, never a person's name). The applicant's own steps
(applying, confirming or giving up her place) are authorised by her private link.
E-mails to applicants go out after the change commits (``cascade.lib.mail``).
"""

from __future__ import annotations

import datetime
import hashlib
import re
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _, gettext_lazy

from cascade.access import require
from cascade.lib.crypto import email_digest
from cascade.lib.mail import greeting, send_after_commit
from cascade.lib.translated import pick
from cascade.network.models import Person
from cascade.network.services import place_for
from cascade.selection import ranking
from cascade.selection.models import (
    DECIDED,
    Application,
    ApplicationFile,
    Attendance,
    Call,
    Certificate,
    EmailTemplate,
    Review,
    Score,
)
from cascade.trainings.models import Participation, Training, today

RATE_LIMIT = getattr(settings, "SELECTION_RATE_LIMIT", 20)  # posts per address per hour


def audit(action: str, user=None, obj=None, **details) -> None:
    from cascade.audit.services import log

    log(f"cascade.selection.{action}", user, obj, **details)


# --- Calls --------------------------------------------------------------------


@transaction.atomic
def create_call(actor, *, title: dict, host, country, start_date, end_date, city="", **fields) -> Call:
    """A call and the planned institute it fills (for a host the actor may run calls of).

    The institute is planned: its first day is ahead. When the host already has a planned
    institute in that country starting that day with no call, the call fills that one
    instead of making a second; otherwise the institute is created with the call.
    """
    require("selection.create", actor)
    if start_date <= today():
        raise ValidationError({"start_date": _("A call is for a planned institute: its first day must be after "
                                               "today.")})
    training = Training.objects.planned().filter(
        kind=Training.Kind.INSTITUTE, host=host, country=country, start_date=start_date, call__isnull=True,
    ).order_by("key").first()
    if training is None:
        training = Training.objects.create(
            key=f"institute-{uuid.uuid4().hex[:12]}",
            kind=Training.Kind.INSTITUTE,
            title=title,
            start_date=start_date,
            end_date=end_date,
            country=country,
            city=city,
            place=place_for(actor, city, country),
            host=host,
            language=(fields.get("languages") or [""])[0],
        )
    call = Call.objects.create(training=training, title=title, **fields)
    require("selection.manage", actor, call)  # her own partner's call only; otherwise all rolls back
    audit("call.create", actor, call, institute=training.key)
    return call


def publish_call(call: Call, actor) -> None:
    require("selection.manage", actor, call)
    problems = []
    if not call.criteria.exists():
        problems.append(_("Add at least one criterion to the rubric before publishing."))
    if not call.languages:
        problems.append(_("Choose at least one language for the form."))
    if call.deadline <= timezone.now():
        problems.append(_("The deadline has passed; set a later one."))
    if problems:
        raise ValidationError(problems)
    call.status = Call.Status.OPEN
    call.save(update_fields=["status"])
    audit("call.publish", actor, call)


def close_call(call: Call, actor) -> None:
    require("selection.manage", actor, call)
    call.status = Call.Status.CLOSED
    call.save(update_fields=["status"])
    audit("call.close", actor, call)


def reopen_call(call: Call, actor, *, deadline=None) -> None:
    """Open a closed call again, with a later deadline if the old one has passed."""
    require("selection.manage", actor, call)
    if call.status != Call.Status.CLOSED:
        raise ValidationError(_("Only a closed call can be reopened."))
    deadline = deadline or call.deadline
    if deadline <= timezone.now():
        raise ValidationError({"deadline": _("The deadline has passed; set a later one.")})
    if deadline.date() > call.training.start_date:
        raise ValidationError({"deadline": _("The deadline must come before the first day.")})
    call.status = Call.Status.OPEN
    call.deadline = deadline
    call.save(update_fields=["status", "deadline"])
    audit("call.reopen", actor, call)


# What may change once someone has applied: the words, not the rules she applied under.
TEXT_FIELDS = ("title", "description")
RULE_FIELDS = ("deadline", "places", "waitlist_places", "languages", "eligible_countries", "blind_review",
               "completion_days")


@transaction.atomic
def update_call(call: Call, actor, *, emails: dict | None = None, **fields) -> Call:
    """Change a call: anything until the first application arrives, then only its texts.

    ``fields`` are the call's own (TEXT_FIELDS, RULE_FIELDS); ``emails`` is ``{kind: (subject, body)}``,
    each ``{language: text}``: the call's own e-mail texts, an empty pair going back to the network's.
    """
    require("selection.manage", actor, call)
    unknown = set(fields) - set(TEXT_FIELDS) - set(RULE_FIELDS)
    if unknown:
        raise ValueError(f"Not a field a call's editor changes: {sorted(unknown)}")
    changed = [name for name, value in fields.items() if getattr(call, name) != value]
    locked = [name for name in changed if name in RULE_FIELDS]
    if locked and call.has_applications:
        raise ValidationError(_("People have applied to this call: only its title, description and e-mail texts "
                                "can change now."))
    if "deadline" in changed and fields["deadline"] <= timezone.now():
        raise ValidationError({"deadline": _("The deadline must be in the future.")})
    if "deadline" in changed and fields["deadline"].date() > call.training.start_date:
        raise ValidationError({"deadline": _("The deadline must come before the first day.")})
    for name in changed:
        setattr(call, name, fields[name])
    if changed:
        call.save(update_fields=changed)
    kinds = []
    for kind, (subject, body) in (emails or {}).items():
        current = EmailTemplate.objects.filter(call=call, kind=kind).first()
        if not (subject or body):
            if current:
                current.delete()
                kinds.append(str(kind))
            continue
        if current is None or current.subject != subject or current.body != body:
            EmailTemplate.objects.update_or_create(call=call, kind=kind, defaults={"subject": subject, "body": body})
            kinds.append(str(kind))
    audit("call.update", actor, call, fields=sorted(changed), emails=sorted(kinds))
    return call


def add_call_part(call: Call, form, actor):
    """Save a valid question, criterion or quota form as part of ``call``."""
    require("selection.manage", actor, call)
    form.instance.call = call
    part = form.save()
    audit(f"{part._meta.model_name}.add", actor, call)
    return part


def delete_call_part(part, actor) -> None:
    """Remove a question, criterion or quota from its call."""
    require("selection.manage", actor, part.call)
    audit(f"{part._meta.model_name}.delete", actor, part.call)
    part.delete()


# --- Applying -----------------------------------------------------------------


def allow_post(address: str) -> bool:
    """A rate limit per address (hashed: the cache keeps no address)."""
    key = "selection-rate:" + hashlib.sha256(address.encode()).hexdigest()[:32]
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=3600)
        count = 1
    return count <= RATE_LIMIT


PERSON_FIELDS = ["full_name", "email", "phone", "country", "gender", "consent_data", "consent_verification"]


@transaction.atomic
def save_application(call: Call, cleaned: dict, *, language: str, application=None, submit: bool) -> Application:
    """Store a draft or a submission from the public form's cleaned data."""
    if not call.is_open:
        raise ValidationError(_("This call is closed."))
    application = application or Application(call=call)
    if application.status not in (Application.Status.DRAFT, ""):
        raise ValidationError(_("This application has already been submitted."))
    application.language = language
    for name in PERSON_FIELDS:
        if name in cleaned:
            value = cleaned[name]
            setattr(application, name, "" if value is None and name != "country" else value)
    if application.email:
        application.email = application.email.strip().lower()
    answers = dict(application.answers)
    uploads = []
    for question in call.questions.all():
        value = cleaned.get(question.field_name)
        if question.kind == question.Kind.FILE:
            if value:
                uploads.append((question, value))
            continue
        if value in (None, ""):
            answers.pop(question.field_name, None)
        else:
            answers[question.field_name] = value
    application.answers = answers
    if submit:
        application.status = Application.Status.SUBMITTED
        application.submitted_at = timezone.now()
    application.save()
    for question, upload in uploads:
        ApplicationFile.objects.filter(application=application, question=question).delete()
        ApplicationFile.objects.create(
            application=application, question=question, file=upload, name=upload.name[:200], size=upload.size
        )
    if submit:
        _flag_duplicate(application)
    audit("application.submit" if submit else "application.draft", None, application)
    return application


def _normal_phone(phone: str) -> str:
    return re.sub(r"\D", "", phone or "")[-9:]


def _normal_name(name: str) -> str:
    return " ".join((name or "").casefold().split())


def find_duplicate(application: Application):
    """An earlier submission of the same call with the same e-mail, or the same name and phone."""
    others = application.call.applications.exclude(pk=application.pk).exclude(
        status__in=[Application.Status.DRAFT, Application.Status.MERGED]
    ).filter(submitted_at__lte=application.submitted_at or timezone.now())
    if application.email:
        found = others.filter(email_hash=email_digest(application.email)).order_by("submitted_at", "pk").first()
        if found:
            return found
    phone = _normal_phone(application.phone)
    if phone:
        for other in others.order_by("submitted_at", "pk"):
            if _normal_phone(other.phone) == phone and _normal_name(other.full_name) == _normal_name(application.full_name):
                return other
    return None


def _flag_duplicate(application: Application) -> None:
    found = find_duplicate(application)
    if found:
        application.duplicate_of = found
        application.save(update_fields=["duplicate_of"])


@transaction.atomic
def merge_applications(keep: Application, other: Application, actor) -> Application:
    """Keep one application; take the other's newer answers; the other is marked merged."""
    require("selection.manage", actor, keep)
    if keep.call_id != other.call_id or keep.pk == other.pk:
        raise ValidationError(_("Only two different applications to the same call can be merged."))
    newer, older = (other, keep) if (other.submitted_at or other.created_at) >= (keep.submitted_at or keep.created_at) else (keep, other)
    keep.answers = {**older.answers, **newer.answers}
    for name in ["full_name", "email", "phone", "country", "gender"]:
        if not getattr(keep, name) and getattr(other, name):
            setattr(keep, name, getattr(other, name))
    keep.duplicate_of = None
    keep.save()
    for upload in other.files.all():
        if not keep.files.filter(question=upload.question).exists():
            upload.application = keep
            upload.save(update_fields=["application"])
    other.status = Application.Status.MERGED
    other.duplicate_of = keep
    other.save(update_fields=["status", "duplicate_of"])
    audit("application.merge", actor, keep, merged=other.pk)
    return keep


# --- Reviewing ----------------------------------------------------------------


def assign_reviewers(call: Call, users, actor) -> None:
    require("selection.manage", actor, call)
    call.reviewers.set(users)
    audit("call.reviewers", actor, call, reviewers=[u.pk for u in users])


def reviewable(call: Call):
    return call.applications.exclude(
        status__in=[Application.Status.DRAFT, Application.Status.WITHDRAWN, Application.Status.MERGED]
    )


@transaction.atomic
def save_review(application: Application, actor, *, scores: dict, comment="", conflict=False,
                conflict_note="", submit=True) -> Review:
    """The actor's own review. ``scores`` is ``{criterion_id: (value, comment)}``; a declared conflict needs no score."""
    require("selection.review", actor, application)
    review, _created = Review.objects.get_or_create(application=application, reviewer=actor)
    if conflict:
        review.scores.all().delete()
    else:
        errors = {}
        for criterion in application.call.criteria.all():
            value, _note = scores.get(criterion.pk, (None, ""))
            if value is None:
                if submit:
                    errors[f"c{criterion.pk}"] = _("Score “%(criterion)s”.") % {"criterion": pick(criterion.name)}
            elif not criterion.scale_min <= value <= criterion.scale_max:
                errors[f"c{criterion.pk}"] = _("“%(criterion)s” takes a score from %(low)s to %(high)s.") % {
                    "criterion": pick(criterion.name), "low": criterion.scale_min, "high": criterion.scale_max}
        if errors:
            raise ValidationError(errors)
        for criterion_id, (value, note) in scores.items():
            if value is None:
                continue
            Score.objects.update_or_create(
                review=review, criterion_id=criterion_id, defaults={"value": value, "comment": note or ""}
            )
    review.comment = comment
    review.conflict = conflict
    review.conflict_note = conflict_note
    if submit:
        review.submitted_at = timezone.now()
    review.save()
    audit("review.submit" if submit else "review.save", actor, application, conflict=conflict)
    return review


def next_to_review(call: Call, reviewer, *, after: Application | None = None):
    """The next application she has not submitted a review of (after ``after``, then from the start)."""
    todo = reviewable(call).exclude(reviews__reviewer=reviewer, reviews__submitted_at__isnull=False).order_by("pk")
    if after is not None:
        todo = todo.exclude(pk=after.pk)
        return todo.filter(pk__gt=after.pk).first() or todo.first()
    return todo.first()


def others_visible(application: Application, reviewer) -> bool:
    """Blind review: other reviewers' scores stay hidden until she has submitted her own."""
    if not application.call.blind_review:
        return True
    return Review.objects.filter(application=application, reviewer=reviewer, submitted_at__isnull=False).exists()


# --- Ranking ------------------------------------------------------------------


@dataclass
class Row:
    application: Application
    ranked: ranking.RankedApplicant
    reason: tuple
    proposed: bool


@dataclass
class RankingResult:
    rows: list
    proposal: ranking.Proposal
    criteria: list
    reviewers: list


def _criteria(call: Call) -> list[ranking.Criterion]:
    return [
        ranking.Criterion(c.pk, float(c.weight), c.scale_min, c.scale_max) for c in call.criteria.all()
    ]


def rank_call(call: Call) -> RankingResult:
    """The ranking and a proposed selection from submitted reviews (conflicts left out)."""
    applications = list(reviewable(call).select_related("country"))
    applicants = [
        ranking.Applicant(a.pk, a.submitted_at or a.created_at,
                          {q.attribute: a.attribute(q.attribute) for q in call.quotas.all()})
        for a in applications
    ]
    scores = [
        ranking.Score(s.review.application_id, s.review.reviewer_id, s.criterion_id, s.value)
        for s in Score.objects.filter(
            review__application__in=applications, review__submitted_at__isnull=False, review__conflict=False
        ).select_related("review")
    ]
    ranked = ranking.rank(applicants, scores, _criteria(call))
    quotas = [ranking.Quota(q.attribute, q.value, q.minimum, q.maximum) for q in call.quotas.all()]
    overrides = [
        ranking.Override(a.pk, a.override == "include", a.override_reason) for a in applications if a.override
    ]
    proposal = ranking.propose(ranked, applicants, call.places, quotas, overrides)
    by_id = {a.pk: a for a in applications}
    chosen = set(proposal.selected)
    rows = [Row(by_id[r.id], r, proposal.reasons[r.id], r.id in chosen) for r in ranked]
    reviewer_ids = sorted({s.reviewer for s in scores})
    reviewers = list(call.reviewers.filter(pk__in=reviewer_ids).order_by("pk"))
    return RankingResult(rows, proposal, list(call.criteria.all()), reviewers)


def set_override(application: Application, choice: str, reason: str, actor) -> None:
    require("selection.manage", actor, application)
    reason = (reason or "").strip()
    if choice not in ("include", "exclude", ""):
        raise ValidationError({"override": _("Choose include, exclude or none.")})
    if choice and not reason:
        raise ValidationError({"override_reason": _("Give the reason for the override; it is shown with the ranking.")})
    application.override = choice
    application.override_reason = reason if choice else ""
    application.save(update_fields=["override", "override_reason"])
    audit("application.override", actor, application, choice=choice)


# --- Decisions ----------------------------------------------------------------

DECISIONS = {
    "accept": Application.Status.ACCEPTED,
    "waitlist": Application.Status.WAITLISTED,
    "decline": Application.Status.DECLINED,
}


def decide(application: Application, decision: str, actor) -> None:
    """Accept, wait-list or decline, or undo a decision ("reset"): a draft until staff send it.

    Nothing is written to the applicant here (send_decisions does). A decision she was already
    sent may still change (a wait-listed applicant offered a place); the new one waits to be sent.
    """
    require("selection.manage", actor, application)
    if decision not in DECISIONS and decision != "reset":
        raise ValidationError({"decision": _("Choose accept, wait-list or decline.")})
    if application.status in (Application.Status.CONFIRMED, Application.Status.DRAFT, Application.Status.MERGED,
                              Application.Status.WITHDRAWN):
        raise ValidationError(_("This application cannot be decided now (%(status)s).")
                              % {"status": application.get_status_display()})
    if decision == "reset":
        if application.decision_sent_at:
            raise ValidationError(_("This decision has been sent to the applicant: change it to another one "
                                    "instead of undoing it."))
        status, decided_at = Application.Status.SUBMITTED, None
    else:
        status, decided_at = DECISIONS[decision], timezone.now()
    if status == application.status:
        return
    application.status = status
    application.decided_at = decided_at
    application.decision_sent_at = None
    application.save(update_fields=["status", "decided_at", "decision_sent_at"])
    audit("application.decide", actor, application, decision=decision)


def proposed_decisions(call: Call, result: RankingResult | None = None) -> list[tuple[Application, str]]:
    """What applying the proposal would decide for each application not decided yet, in rank order."""
    result = result or rank_call(call)
    waiting = call.waitlist_places
    decisions = []
    for row in result.rows:
        if row.application.status != Application.Status.SUBMITTED:
            continue
        if row.proposed:
            decision = "accept"
        elif waiting and row.ranked.mean_z is not None:
            decision, waiting = "waitlist", waiting - 1
        else:
            decision = "decline"
        decisions.append((row.application, decision))
    return decisions


@transaction.atomic
def apply_proposal(call: Call, actor) -> int:
    """Accept the proposed, wait-list the next ones in rank order, decline the rest: as drafts.

    All or nothing; nobody is written to until staff send the decisions (send_decisions)."""
    require("selection.manage", actor, call)
    decisions = proposed_decisions(call)
    for application, decision in decisions:
        decide(application, decision, actor)
    return len(decisions)


def decisions_to_send(call: Call):
    """Decisions made and not yet sent, in the order they will be written."""
    return call.applications.filter(status__in=DECIDED, decision_sent_at__isnull=True).order_by("status", "pk")


@transaction.atomic
def send_decisions(call: Call, actor, *, link_for=lambda application: "") -> int:
    """Write to every applicant whose decision is not sent yet, once each, in her language.

    The e-mails leave after the decisions are marked sent and the transaction commits; a
    second press sends nothing again."""
    require("selection.manage", actor, call)
    sent = 0
    for application in decisions_to_send(call).select_for_update():
        application.decision_sent_at = timezone.now()
        application.save(update_fields=["decision_sent_at"])
        audit("application.decision-sent", actor, application, decision=application.status)
        send_applicant_email(application, application.status,
                             link=link_for(application) if application.status == Application.Status.ACCEPTED else "")
        sent += 1
    audit("call.decisions-sent", actor, call, count=sent)
    return sent


@transaction.atomic
def confirm(application: Application) -> Participation:
    """The applicant confirms her place and becomes a participant of the institute."""
    if application.status == Application.Status.CONFIRMED and application.participation:
        return application.participation
    if application.status != Application.Status.ACCEPTED:
        raise ValidationError(_("Only an accepted application can be confirmed."))
    person = _match_person(application)
    participation, _created = Participation.objects.get_or_create(
        training=application.call.training, person=person, role=Participation.Role.PARTICIPANT,
        defaults={"completed": False},
    )
    application.status = Application.Status.CONFIRMED
    application.confirmed_at = timezone.now()
    application.participation = participation
    application.save(update_fields=["status", "confirmed_at", "participation"])
    audit("application.confirm", None, application)
    return participation


def decline_place(application: Application) -> None:
    if application.status not in (Application.Status.ACCEPTED, Application.Status.WAITLISTED):
        raise ValidationError(_("Only an accepted or wait-listed applicant can give up her place."))
    application.status = Application.Status.WITHDRAWN
    application.save(update_fields=["status"])
    audit("application.withdraw", None, application)


def _match_person(application: Application) -> Person:
    """The network's record of her (same e-mail, or same name and phone), or a new one."""
    people = Person.objects.filter(erased_at__isnull=True)
    found = None
    if application.email:
        found = people.filter(email_hash=email_digest(application.email)).first()
    if not found and application.phone:
        phone = _normal_phone(application.phone)
        for person in people.filter(full_name__iexact=application.full_name):
            if _normal_phone(person.phone) == phone:
                found = person
                break
    if found:
        if application.language and application.language not in found.languages:
            found.languages = [*found.languages, application.language]
            found.save(update_fields=["languages"])
        return found
    return Person.objects.create(
        key=f"applicant-{uuid.uuid4().hex[:12]}",
        full_name=application.full_name,
        email=application.email,
        phone=application.phone,
        country=application.country,
        gender=application.gender or Person.Gender.NOT_STATED,
        organization=None,
        languages=[application.language] if application.language else [],
        data_consent=application.consent_data,
        data_consent_date=timezone.localdate(),
        data_consent_how="online",
    )


def person_for(application: Application, actor) -> Person:
    """Her record for an accepted applicant that staff add to the institute: the one that
    confirming her place finds, so that confirming later makes no second record."""
    require("selection.manage", actor, application)
    if application.status not in (Application.Status.ACCEPTED, Application.Status.CONFIRMED):
        raise ValidationError(_("Only an accepted application can be confirmed."))
    if application.participation_id:
        return application.participation.person
    return _match_person(application)


# --- After the training -------------------------------------------------------


def participants(call: Call):
    return Participation.objects.filter(
        training=call.training, role=Participation.Role.PARTICIPANT
    ).select_related("person").order_by("person__full_name", "pk")


def training_days(call: Call) -> list[datetime.date]:
    training = call.training
    return [training.start_date + datetime.timedelta(days=n) for n in range(training.days)]


@transaction.atomic
def record_attendance(call: Call, day: datetime.date, present_ids, actor) -> None:
    """One day's register: the participations present; everyone else absent. Completion follows."""
    require("selection.manage", actor, call)
    if day not in training_days(call):
        raise ValidationError({"date": _("%(day)s is not a day of this training.") % {"day": day}})
    if call.training.cancelled:
        raise ValidationError({"date": _("This training was cancelled: it has no attendance.")})
    if day > today():
        raise ValidationError({"date": _("%(day)s has not come yet: attendance is recorded on the day or after it.")
                                       % {"day": date_format(day, "DATE_FORMAT")}})
    present_ids = {int(pk) for pk in present_ids}
    for participation in participants(call):
        Attendance.objects.update_or_create(
            participation=participation, date=day, defaults={"present": participation.pk in present_ids}
        )
    _update_completion(call)
    audit("attendance.record", actor, call.training, day=day.isoformat(), present=len(present_ids))


def _update_completion(call: Call) -> None:
    needed = call.days_needed
    for participation in participants(call):
        days = participation.attendance.filter(present=True).count()
        completed = days >= needed
        if participation.completed != completed:
            participation.completed = completed
            participation.save(update_fields=["completed"])


@transaction.atomic
def issue_certificates(call: Call, actor) -> list[Certificate]:
    """A certificate for every participant who completed, in the language she applied in."""
    require("selection.manage", actor, call)
    if not call.training.has_ended:
        raise ValidationError(_("Certificates can be issued from the training's last day (%(day)s), "
                                "once it has been held.") % {"day": date_format(call.training.last_day, "DATE_FORMAT")})
    issued = []
    for participation in participants(call).filter(completed=True):
        application = Application.objects.filter(participation=participation).first()
        certificate, created = Certificate.objects.get_or_create(
            participation=participation,
            defaults={
                "language": application.language if application else (participation.person.languages or ["en"])[0],
                "public": bool(application and application.consent_verification),
            },
        )
        if created:
            issued.append(certificate)
    audit("certificate.issue", actor, call.training, count=len(issued))
    return issued


def verify(code: str):
    """The certificate with this code, or None. Codes are read case-blind, dashes optional."""
    cleaned = re.sub(r"[^A-Z0-9]", "", (code or "").upper())
    if len(cleaned) != 10:
        return None
    return Certificate.objects.select_related("participation__person", "participation__training").filter(
        code=f"{cleaned[:5]}-{cleaned[5:]}", participation__person__erased_at__isnull=True
    ).first()


# --- E-mail ---------------------------------------------------------------------

# Each body opens with {greeting}: "Dear Aigul," in English, but in Russian, Arabic...
# by the applicant's gender, and neutral when it is not stated (cascade.lib.mail.greeting).
DEFAULT_EMAILS = {
    EmailTemplate.Kind.RECEIVED: (
        gettext_lazy("We received your application: {call}"),
        gettext_lazy("{greeting}\n\nThank you for applying to {call}. We will write to you when the selection is made.\n"),
    ),
    EmailTemplate.Kind.DRAFT: (
        gettext_lazy("Your draft application: {call}"),
        gettext_lazy("{greeting}\n\nYour draft is saved. Continue it here before {deadline}:\n{link}\n"),
    ),
    EmailTemplate.Kind.ACCEPTED: (
        gettext_lazy("You have been selected: {call}"),
        gettext_lazy("{greeting}\n\nWe are glad to offer you a place at {call}. Please confirm here:\n{link}\n"),
    ),
    EmailTemplate.Kind.WAITLISTED: (
        gettext_lazy("You are on the wait-list: {call}"),
        gettext_lazy("{greeting}\n\nYou are on the wait-list for {call}. We will write to you if a place opens.\n"),
    ),
    EmailTemplate.Kind.DECLINED: (
        gettext_lazy("Your application: {call}"),
        gettext_lazy("{greeting}\n\nThank you for applying to {call}. We are sorry that we cannot offer you a place this time.\n"),
    ),
}


class _Blank(dict):
    def __missing__(self, key):
        return "{" + key + "}"


def render_email(application: Application, kind: str, *, link: str = "") -> tuple[str, str]:
    """Subject and body in the applicant's language: the call's template, the network's, or the default."""
    template = (
        EmailTemplate.objects.filter(call=application.call, kind=kind).first()
        or EmailTemplate.objects.filter(call__isnull=True, kind=kind).first()
    )
    with translation.override(application.language or settings.LANGUAGE_CODE):
        from django.utils.formats import date_format

        values = _Blank(
            greeting=greeting(application.full_name, application.gender),
            name=application.full_name,
            call=pick(application.call.title),
            link=link,
            deadline=date_format(timezone.localtime(application.call.deadline), "DATE_FORMAT"),
        )
        if template:
            subject, body = pick(template.subject), pick(template.body)
        else:
            subject, body = (str(text) for text in DEFAULT_EMAILS[kind])
        return subject.format_map(values).replace("\n", " "), body.format_map(values)


def send_applicant_email(application: Application, kind: str, *, link: str = "") -> None:
    """Written now, sent once the transaction commits, retried a few times; a failure is
    logged and recorded on the application (``cascade.selection.email.failed``) for staff."""
    if not application.email:
        return
    subject, body = render_email(application, kind, link=link)

    def failed(error, attempts):
        audit("email.failed", None, application, kind=str(kind), attempts=attempts, error=type(error).__name__)

    send_after_commit(subject, body, [application.email], on_failure=failed)


def email_failures(application: Application):
    """Messages to this applicant that could not be sent, newest first (for the staff's page)."""
    from cascade.audit.models import AuditEntry

    return AuditEntry.objects.filter(action="cascade.selection.email.failed", object_type="selection.application",
                                     object_id=str(application.pk)).order_by("-pk")


# --- Erasure --------------------------------------------------------------------


@transaction.atomic
def erase_application(application: Application, actor) -> None:
    """Remove an application, its answers, files and reviews for good."""
    require("selection.manage", actor, application)
    for upload in application.files.all():
        upload.file.delete(save=False)
    audit("application.erase", actor, application.call, application=application.pk)
    application.delete()


def erase_person_applications(person: Person, actor) -> int:
    """Called when a person's data is erased: her applications go too (by participation or e-mail)."""
    require("people.erase", actor, person)
    condition = Q(participation__person=person)
    if person.email:
        condition |= Q(email_hash=email_digest(person.email))
    applications = Application.objects.filter(condition)
    count = 0
    for application in applications:
        erase_application(application, actor)
        count += 1
    return count
