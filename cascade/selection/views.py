"""Pages of a call: the public form, confirmation and certificate check; the staff pages.

Every staff page asks cascade.access (visible_calls, can_manage_call,
can_review_call) and answers 404 to anyone outside the call.
"""

import datetime
import os

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _, ngettext
from django.views.decorators.http import require_POST

from cascade import access
from cascade.lib.clients import client_address
from cascade.lib.translated import pick
from cascade.ops.middleware import body_length
from cascade.selection import certificates, rules, services
from cascade.selection.forms import (
    MAX_UPLOAD,
    ApplicationForm,
    CallEditForm,
    CallForm,
    CriterionForm,
    DecisionForm,
    OverrideForm,
    QuestionForm,
    QuotaForm,
    ReviewersForm,
    ReviewForm,
    ReopenForm,
    language_name,
)
from cascade.selection.models import Application, Call, Certificate, Criterion, Question, Quota, Review
from cascade.trainings.models import today

# --- Public pages -----------------------------------------------------------------


def _form_language(request, call: Call) -> str:
    """The language asked for (?lang=), else the browser's if the call has it, else the call's first."""
    wanted = request.GET.get("lang") or request.POST.get("lang") or translation.get_language()
    for code in (wanted, (wanted or "").split("-")[0]):
        if code in call.languages:
            return code
    return call.languages[0] if call.languages else settings.LANGUAGE_CODE


def _absolute(request, name, *args) -> str:
    return request.build_absolute_uri(reverse(f"selection:{name}", args=args))


def largest_application(call: Call) -> int:
    """The largest body an honest applicant can send: every file at its limit, and 1 MB of answers."""
    files = sum(1 for question in call.questions.all() if question.kind == Question.Kind.FILE)
    return files * MAX_UPLOAD + 1024 * 1024


def apply(request, slug, token=None):
    call = get_object_or_404(Call.objects.select_related("training"), slug=slug)
    language = _form_language(request, call)
    translation.activate(language)
    request.LANGUAGE_CODE = language
    application = None
    if token:
        application = get_object_or_404(Application, call=call, token=token)
        if application.status != Application.Status.DRAFT:
            return render(request, "selection/public/submitted.html", {"call": call, "application": application})
    if not call.is_open:
        return render(request, "selection/public/closed.html", {"call": call}, status=410)
    if request.method == "POST":
        # Before anything reads the body: the rate limit, then the size the body announces.
        if not services.allow_post(client_address(request)):
            return render(request, "selection/public/slow_down.html", {"call": call}, status=429)
        limit = largest_application(call)
        if body_length(request) > limit:
            return render(request, "selection/public/too_large.html", {
                "call": call, "limit": filesizeformat(limit), "per_file": filesizeformat(MAX_UPLOAD),
            }, status=413)
    draft = request.method == "POST" and "save_draft" in request.POST
    form = ApplicationForm(
        request.POST or None, request.FILES or None, call=call, application=application, draft=draft
    )
    if request.method == "POST":
        if form.is_spam:
            # Robots get the same thanks as people, and nothing is kept.
            return render(request, "selection/public/thanks.html", {"call": call})
        if form.is_valid():
            try:
                application = services.save_application(
                    call, form.cleaned_data, language=language, application=application, submit=not draft
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if draft:
                    link = _absolute(request, "apply-draft", call.slug, application.token)
                    services.send_applicant_email(application, "draft", link=link)
                    return render(request, "selection/public/draft_saved.html",
                                  {"call": call, "application": application, "link": link})
                services.send_applicant_email(application, "received")
                return render(request, "selection/public/thanks.html", {"call": call, "application": application})
    languages = [(code, language_name(code)) for code in call.languages]
    return render(request, "selection/public/apply.html", {
        "call": call, "form": form, "application": application, "language": language, "languages": languages,
        "description": pick(call.description),
    }, status=400 if request.method == "POST" else 200)


def confirm(request, token):
    application = get_object_or_404(Application.objects.select_related("call__training"), token=token)
    translation.activate(application.language)
    request.LANGUAGE_CODE = application.language
    error = None
    if request.method == "POST":
        try:
            if request.POST.get("answer") == "decline":
                services.decline_place(application)
            else:
                services.confirm(application)
        except ValidationError as problem:
            error = " ".join(problem.messages)
        application.refresh_from_db()
    return render(request, "selection/public/confirm.html", {
        "application": application, "call": application.call, "error": error,
    })


def verify(request, code=None):
    code = code or request.GET.get("code", "")
    certificate = services.verify(code) if code else None
    return render(request, "selection/public/verify.html", {
        "code": code, "certificate": certificate, "checked": bool(code),
    }, status=404 if code and not certificate else 200)


# --- Staff: calls ------------------------------------------------------------------


def _call(request, pk, *, manage=True) -> Call:
    """The call if this user may run it (manage) or at least review it; 404 otherwise."""
    call = get_object_or_404(access.visible_calls(request.user).select_related("training__host"), pk=pk)
    call.manageable = access.can_manage_call(request.user, call)
    if manage and not call.manageable:
        raise Http404
    return call


def _error(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _form_error(form, error: ValidationError) -> None:
    """A service's refusal shown on the form, at its field when it names one."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.message_dict.items():
        for message in errors:
            form.add_error(field if field in form.fields else None, message)


@login_required
def call_list(request):
    from django.db.models.functions import Lower

    from cascade.web.lists import Column, Listing, by, choice_label, translated

    columns = [
        Column("call", _("Call"), str, by(translated("title", "slug"))),
        Column("host", _("Host"), lambda c: str(c.training.host or ""), by(Lower("training__host__name"))),
        Column("deadline", _("Deadline"), lambda c: c.deadline, by("deadline")),
        Column("status", _("Status"), lambda c: c.get_status_display(), by(choice_label("status", Call.Status.choices))),
    ]
    listing = Listing(request, "calls", _("Calls for applications"), columns,
                      access.visible_calls(request.user).select_related("training__host"), default="-deadline")
    if listing.wanted:
        return listing.download()
    return render(request, "selection/call_list.html", {
        "listing": listing, "calls": listing.page, "can_create": access.can_create_call(request.user),
    })


@login_required
def call_create(request):
    if not access.can_create_call(request.user):
        raise PermissionDenied
    hosts = access.visible_organizations(request.user)
    if access.role(request.user) != access.NETWORK_ADMIN:
        from cascade.accounts.models import Role

        hosts = hosts.filter(staff_roles__user=request.user, staff_roles__kind=Role.Kind.PARTNER_STAFF)
    form = CallForm(request.POST or None, hosts=hosts, initial={"languages": [translation.get_language()]})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        call = services.create_call(request.user, **data)
        messages.success(request, _("The call is saved as a draft. Add questions and the rubric, then publish it."))
        return redirect("selection:call-detail", call.pk)
    return render(request, "selection/call_form.html", {"form": form})


@login_required
def call_detail(request, pk):
    call = _call(request, pk, manage=False)
    manage = access.can_manage_call(request.user, call)
    context = {
        "call": call, "manage": manage,
        "review": access.can_review_call(request.user, call),
        "form_link": _absolute(request, "apply", call.slug),
        "questions": call.questions.all(), "criteria": call.criteria.all(), "quotas": call.quotas.all(),
        "counts": [(label, call.applications.filter(status=s).count()) for s, label in Application.Status.choices],
    }
    if manage:
        context.update(
            question_form=QuestionForm(call=call, prefix="question"),
            criterion_form=CriterionForm(call=call, prefix="criterion"),
            quota_form=QuotaForm(call=call, prefix="quota"),
        )
    return render(request, "selection/call_detail.html", context)


def _add(request, pk, form_class, prefix, message):
    call = _call(request, pk)
    form = form_class(request.POST, call=call, prefix=prefix)
    if form.is_valid():
        services.add_call_part(call, form, request.user)
        messages.success(request, message)
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
    return redirect("selection:call-detail", call.pk)


@login_required
@require_POST
def question_add(request, pk):
    return _add(request, pk, QuestionForm, "question", _("Question added."))


@login_required
@require_POST
def criterion_add(request, pk):
    return _add(request, pk, CriterionForm, "criterion", _("Criterion added."))


@login_required
@require_POST
def quota_add(request, pk):
    return _add(request, pk, QuotaForm, "quota", _("Quota added."))


@login_required
@require_POST
def part_delete(request, pk, part, part_pk):
    call = _call(request, pk)
    model = {"question": Question, "criterion": Criterion, "quota": Quota}.get(part)
    if model is None:
        raise Http404
    services.delete_call_part(get_object_or_404(model, call=call, pk=part_pk), request.user)
    return redirect("selection:call-detail", call.pk)


@login_required
def call_edit(request, pk):
    call = _call(request, pk)
    form = CallEditForm(request.POST or None, call=call)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_call(call, request.user, emails=form.emails(), **form.changes())
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The call is saved."))
            return redirect("selection:call-detail", call.pk)
    return render(request, "selection/call_edit.html", {"call": call, "form": form})


def _confirmation(call, action) -> str:
    """What pressing the button will do, said before it is done."""
    count = services.reviewable(call).count()
    if action == "publish":
        return _("The form will accept applications at its link until %(deadline)s.") % {
            "deadline": date_format(timezone.localtime(call.deadline), "DATETIME_FORMAT")}
    if action == "close":
        return ngettext("The form will stop accepting applications; %(count)s application is in.",
                        "The form will stop accepting applications; %(count)s applications are in.",
                        count) % {"count": count}
    return _("The form will accept applications at its link again, until the deadline below.")


@login_required
def call_status(request, pk, action):
    """Publish, close or reopen: GET (or a POST without ``confirm``) asks first; POST with ``confirm`` does it."""
    call = _call(request, pk)
    form = ReopenForm(request.POST or None, initial={"deadline": timezone.localtime(call.deadline)}) \
        if action == "reopen" else None
    if request.method == "POST" and request.POST.get("confirm"):
        try:
            if action == "publish":
                services.publish_call(call, request.user)
                messages.success(request, _("The call is open. Share the link of the form."))
            elif action == "close":
                services.close_call(call, request.user)
                messages.success(request, _("The call is closed. You may reopen it."))
            elif form.is_valid():
                services.reopen_call(call, request.user, deadline=form.cleaned_data["deadline"])
                messages.success(request, _("The call is open again."))
            else:
                raise ValidationError(form.errors.get("deadline", []))
        except ValidationError as error:
            _error(request, error)
        return redirect("selection:call-detail", call.pk)
    return render(request, "selection/confirm_status.html", {
        "call": call, "action": action, "form": form, "what": _confirmation(call, action),
    })


@login_required
def reviewers(request, pk):
    call = _call(request, pk)
    form = ReviewersForm(request.POST or None, candidates=rules.possible_reviewers(call, request.user),
                         initial={"reviewers": call.reviewers.all()})
    if request.method == "POST" and form.is_valid():
        services.assign_reviewers(call, list(form.cleaned_data["reviewers"]), request.user)
        messages.success(request, _("Reviewers saved."))
        return redirect("selection:call-detail", call.pk)
    return render(request, "selection/reviewers.html", {"call": call, "form": form})


# --- Staff: applications -----------------------------------------------------------


@login_required
def application_list(request, pk):
    call = _call(request, pk)
    from django.db.models.functions import Lower

    from cascade.web.lists import Column, Listing, by, choice_label, country_name

    columns = [
        Column("number", "#", lambda a: a.pk, by("pk"), numeric=True),
        Column("name", _("Name"), lambda a: a.full_name, by(Lower("full_name"))),
        Column("country", _("Country"), lambda a: a.country.name if a.country_id else "", by(country_name)),
        Column("submitted", _("Submitted"), lambda a: a.submitted_at, by("submitted_at")),
        Column("status", _("Status"), lambda a: a.get_status_display(),
               by(choice_label("status", Application.Status.choices))),
        Column("duplicate", _("Possible duplicate"), lambda a: a.duplicate_of_id, by("duplicate_of_id"), numeric=True),
    ]
    applications = call.applications.exclude(status=Application.Status.DRAFT).select_related("country", "duplicate_of")
    listing = Listing(request, "applications", _("Applications"), columns, applications, default="number")
    if listing.wanted:
        return listing.download(call)  # checked and audited as a download of this call's list
    services.audit("application.list", request.user, call)
    return render(request, "selection/application_list.html", {
        "call": call, "listing": listing, "applications": listing.page})


def _answers(application, hidden=frozenset()):
    """(question, answer, file) of each question, but those the reader may not see (access.hidden_questions)."""
    files = {f.question_id: f for f in application.files.all()}
    for question in application.call.questions.all():
        if question.pk in hidden:
            continue
        value = application.answers.get(question.field_name, "")
        if question.kind == Question.Kind.CHOICE:
            value = question.choice_label(value)
        yield question, value, files.get(question.pk)


def _neutral_name(application, upload) -> str:
    """A file's name for a reader who may not know whose it is: "A-0007-12.pdf"."""
    extension = os.path.splitext(upload.name)[1].lower()[:10]
    return f"{application.code}-{upload.question_id}{extension}"


@login_required
def application_detail(request, pk, app_pk):
    call = _call(request, pk)
    application = get_object_or_404(call.applications, pk=app_pk)
    services.audit("application.view", request.user, application)
    if request.method == "POST":
        try:
            if "merge" in request.POST:
                other = get_object_or_404(call.applications, pk=request.POST["merge"])
                services.merge_applications(other, application, request.user)
                messages.success(request, _("The two applications are merged."))
                return redirect("selection:application-detail", call.pk, other.pk)
            if "erase" in request.POST:
                if not request.POST.get("confirm_erase"):
                    raise ValidationError(_("Tick the box to confirm the erasure."))
                services.erase_application(application, request.user)
                messages.success(request, _("The application and its files are erased."))
                return redirect("selection:application-list", call.pk)
        except ValidationError as error:
            _error(request, error)
    reviews = application.reviews.filter(submitted_at__isnull=False).prefetch_related("scores__criterion")
    return render(request, "selection/application_detail.html", {
        "call": call, "application": application, "answers": list(_answers(application)), "reviews": reviews,
        "email_failures": services.email_failures(application),
        "override_form": OverrideForm(initial={"override": application.override,
                                               "override_reason": application.override_reason}),
    })


@login_required
def application_file(request, pk, app_pk, file_pk):
    call = _call(request, pk, manage=False)
    if not (access.can_manage_call(request.user, call) or access.can_review_call(request.user, call)):
        raise Http404
    application = get_object_or_404(services.reviewable(call), pk=app_pk)
    upload = get_object_or_404(application.files.exclude(question__in=access.hidden_questions(request.user, call)),
                               pk=file_pk)
    services.audit("application.file", request.user, application)
    name = f"{upload.pk}-{upload.name}" if access.can_see_applicant_identity(request.user, call) \
        else _neutral_name(application, upload)
    response = HttpResponse(upload.file.read(), content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def application_override(request, pk, app_pk):
    call = _call(request, pk)
    application = get_object_or_404(services.reviewable(call), pk=app_pk)
    form = OverrideForm(request.POST)
    if form.is_valid():
        try:
            services.set_override(application, form.cleaned_data["override"],
                                  form.cleaned_data["override_reason"], request.user)
            messages.success(request, _("Override saved."))
        except ValidationError as error:
            _error(request, error)
    return redirect(access.safe_next(request, reverse("selection:ranking", args=[call.pk])))


@login_required
@require_POST
def application_decide(request, pk, app_pk):
    call = _call(request, pk)
    application = get_object_or_404(services.reviewable(call), pk=app_pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decide(application, form.cleaned_data["decision"], request.user)
            messages.success(request, _("Decision saved as a draft: nobody is written to until you send the "
                                        "decisions."))
        except ValidationError as error:
            _error(request, error)
    return redirect(access.safe_next(request, reverse("selection:ranking", args=[call.pk])))


# --- Staff: review -------------------------------------------------------------------


def _review_call(request, pk) -> Call:
    call = _call(request, pk, manage=False)
    if not access.can_review_call(request.user, call):
        raise Http404
    return call


@login_required
def review_list(request, pk):
    call = _review_call(request, pk)
    mine = {r.application_id: r for r in Review.objects.filter(application__call=call, reviewer=request.user)}
    rows = [(a, mine.get(a.pk)) for a in services.reviewable(call).order_by("pk")]
    return render(request, "selection/review_list.html", {
        "call": call, "rows": rows, "identity": access.can_see_applicant_identity(request.user, call),
        "next": services.next_to_review(call, request.user),
    })


@login_required
def review(request, pk, app_pk):
    call = _review_call(request, pk)
    application = get_object_or_404(services.reviewable(call), pk=app_pk)
    existing = Review.objects.filter(application=application, reviewer=request.user).first()
    initial = {}
    if existing:
        initial = {"conflict": existing.conflict, "conflict_note": existing.conflict_note, "comment": existing.comment}
        for score in existing.scores.all():
            initial[f"c{score.criterion_id}"] = score.value
            initial[f"n{score.criterion_id}"] = score.comment
    form = ReviewForm(request.POST or None, criteria=call.criteria.all(), initial=initial)
    if request.method == "POST" and form.is_valid():
        submit = "save_draft" not in request.POST
        try:
            services.save_review(
                application, request.user, scores=form.scores(), comment=form.cleaned_data["comment"],
                conflict=form.cleaned_data["conflict"], conflict_note=form.cleaned_data["conflict_note"],
                submit=submit,
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Review saved."))
            return redirect("selection:review", call.pk, application.pk)
    services.audit("application.review-view", request.user, application)
    others = []
    if services.others_visible(application, request.user):
        others = application.reviews.exclude(reviewer=request.user).filter(
            submitted_at__isnull=False).prefetch_related("scores__criterion").select_related("reviewer")
    identity = access.can_see_applicant_identity(request.user, call)
    return render(request, "selection/review.html", {
        "call": call, "application": application, "form": form, "existing": existing, "others": others,
        "answers": list(_answers(application, access.hidden_questions(request.user, call))),
        "identity": identity, "blind": not services.others_visible(application, request.user),
        "next": services.next_to_review(call, request.user, after=application),
    })


# --- Staff: ranking and decisions ----------------------------------------------------------


@login_required
def ranking(request, pk):
    call = _call(request, pk)
    if request.method == "POST" and "apply_proposal" in request.POST:
        if request.POST.get("confirm"):
            count = services.apply_proposal(call, request.user)
            messages.success(request, _("%(count)s decisions saved as drafts. Check them, then send the "
                                        "decisions.") % {"count": count})
            return redirect("selection:ranking", call.pk)
        proposed = services.proposed_decisions(call)
        return render(request, "selection/confirm_proposal.html", {
            "call": call, "proposed": proposed,
            "counts": _decision_counts(decision for _application, decision in proposed),
        })
    result = services.rank_call(call)
    applications = {row.application.pk: row.application for row in result.rows}
    services.audit("ranking.view", request.user, call)
    return render(request, "selection/ranking.html", {
        "call": call, "result": result,
        "moved_in": [applications[pk] for pk in result.proposal.moved_in],
        "moved_out": [applications[pk] for pk in result.proposal.moved_out],
        "undecided": any(row.application.status == Application.Status.SUBMITTED for row in result.rows),
        "to_send": services.decisions_to_send(call).count(),
    })


def _decision_counts(decisions) -> list[tuple[str, int]]:
    """How many of each decision ("accepted": 2), in the order accept, wait-list, decline."""
    decisions = list(decisions)
    names = {"accept": "accepted", "waitlist": "waitlisted", "decline": "declined"}
    decisions = [names.get(d, d) for d in decisions]
    return [(Application.Status(status).label, decisions.count(status))
            for status in ("accepted", "waitlisted", "declined") if decisions.count(status)]


@login_required
def decisions_send(request, pk):
    """Send the decisions made: GET (or a POST without ``confirm``) says who will be written to first."""
    call = _call(request, pk)
    if request.method == "POST" and request.POST.get("confirm"):
        count = services.send_decisions(call, request.user,
                                        link_for=lambda a: _absolute(request, "confirm", a.token))
        messages.success(request, ngettext("%(count)s applicant is being written to.",
                                           "%(count)s applicants are being written to.", count) % {"count": count})
        return redirect("selection:ranking", call.pk)
    pending = list(services.decisions_to_send(call).select_related("country"))
    return render(request, "selection/confirm_send.html", {
        "call": call, "pending": pending, "counts": _decision_counts(a.status for a in pending),
        "without_email": sum(1 for a in pending if not a.email),
    })


# --- Staff: after the training -------------------------------------------------------------------


@login_required
def attendance(request, pk):
    call = _call(request, pk)
    days = services.training_days(call)
    if request.method == "POST":
        try:
            day = datetime.date.fromisoformat(request.POST.get("date", ""))
        except ValueError:
            messages.error(request, _("Date: choose a day of the training."))
        else:
            try:
                services.record_attendance(call, day, request.POST.getlist("present"), request.user)
                messages.success(request, _("Attendance saved."))
            except ValidationError as error:
                _error(request, error)
        return redirect("selection:attendance", call.pk)
    participations = list(services.participants(call).prefetch_related("attendance"))
    rows = []
    for participation in participations:
        present = {a.date for a in participation.attendance.all() if a.present}
        rows.append((participation, [(day, day in present) for day in days], len(present),
                     getattr(participation, "certificate", None)))
    return render(request, "selection/attendance.html", {
        "call": call, "days": days, "rows": rows, "training": call.training,
        "today": today(),  # days still ahead take no attendance (services.record_attendance)
    })


@login_required
@require_POST
def certificates_issue(request, pk):
    call = _call(request, pk)
    try:
        issued = services.issue_certificates(call, request.user)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("%(count)s certificates issued.") % {"count": len(issued)})
    return redirect("selection:attendance", call.pk)


@login_required
def certificate_pdf(request, pk, code):
    call = _call(request, pk)
    certificate = get_object_or_404(Certificate, participation__training=call.training, code=code)
    services.audit("certificate.download", request.user, certificate)
    verify_url = _absolute(request, "verify")
    data = certificates.render(certificate, verify_url)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.code}.pdf"'
    return response

