"""The staff app's users' page: invitations and accounts, for network admins (everyone) and
partner admins (their own partner's); and the page an invitee opens from her e-mail.

Who sees whom and who may give which role is ``cascade.access``'s; every change is a service.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from cascade import access

from . import services
from .forms import AcceptForm, InviteForm, RoleForm
from .models import Invitation


def _managing(request):
    if not access.can_manage_users(request.user):
        raise PermissionDenied(_("Only network admins and partner admins manage users."))


def _site(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _errors_to(form, error: ValidationError) -> None:
    """A service's refusal, shown on the form (by field where it names one)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
def users(request):
    """Invitations waiting (and lately ended), then every account the actor manages."""
    _managing(request)
    invitations = access.visible_invitations(request.user).annotate(waiting=Case(
        When(state=Invitation.State.PENDING, then=Value(0)), default=Value(1), output_field=IntegerField()),
    ).order_by("waiting", "-created_at")[:200]
    accounts = access.visible_users(request.user).select_related(
        "cascade_role__organization", "cascade_role__person").order_by("-is_active", "username")[:500]
    return render(request, "accounts/users.html", {
        "invitations": invitations, "accounts": accounts, "network_admin": access.is_network_admin(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def invite(request):
    _managing(request)
    form, find, posted = _bound(request, InviteForm)
    if posted and form.is_valid():
        try:
            invitation, _token = services.invite(
                request.user, email=form.cleaned_data["email"], language=form.cleaned_data["language"],
                site=_site(request), **form.role())
        except ValidationError as error:
            _errors_to(form, error)
        else:
            messages.success(request, _("The invitation is sent: its link works for %(days)d days.") % {
                "days": Invitation.DAYS})
            return redirect("accounts:invitation", invitation.pk)
    return render(request, "accounts/invite.html", {"form": form, "find": find},
                  status=400 if form.is_bound and form.errors else 200)


def _bound(request, form_class, initial=None, **kwargs):
    """The form of a page, with ``find`` (a name) narrowing the people offered for a trainer's record.
    "Find" posts the form as it is typed, to show it again with the people found (nothing is saved)."""
    find = request.POST.get("find", request.GET.get("find", ""))
    looking = request.method == "POST" and "look" in request.POST
    data = request.POST if request.method == "POST" and not looking else None
    form = form_class(request.user, data, find=find, initial=request.POST.dict() if looking else initial, **kwargs)
    return form, find, data is not None


def _initial(holder) -> dict:
    return {"kind": holder.kind, "organization": holder.organization, "person": holder.person,
            "manages_users": holder.can_manage_users}


@login_required
@require_http_methods(["GET", "POST"])
def invitation(request, pk):
    """One invitation: its state, another role before it is accepted, a new link, or revoke it."""
    _managing(request)
    found = get_object_or_404(access.visible_invitations(request.user), pk=pk)
    form, find, posted = _bound(request, RoleForm, _initial(found))
    if posted and form.is_valid():
        try:
            services.change_invitation(request.user, found, **form.role())
        except ValidationError as error:
            _errors_to(form, error)
        else:
            messages.success(request, _("The invitation's role is changed."))
            return redirect("accounts:invitation", found.pk)
    return render(request, "accounts/invitation.html", {"invitation": found, "form": form, "find": find},
                  status=400 if form.is_bound and form.errors else 200)


def _act_on_invitation(request, pk, act, done: str):
    _managing(request)
    found = get_object_or_404(access.visible_invitations(request.user), pk=pk)
    try:
        act(request.user, found)
        messages.success(request, done)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("accounts:invitation", found.pk)


@login_required
@require_POST
def resend(request, pk):
    return _act_on_invitation(
        request, pk, lambda actor, found: services.resend_invitation(actor, found, site=_site(request)),
        _("A new link is sent; the earlier link no longer works."))


@login_required
@require_POST
def revoke(request, pk):
    return _act_on_invitation(request, pk, services.revoke_invitation,
                              _("The invitation is revoked: its link no longer works."))


@login_required
@require_http_methods(["GET", "POST"])
def account(request, pk):
    """One account: another role, or deactivate it (never one's own)."""
    _managing(request)
    found = get_object_or_404(access.visible_users(request.user), pk=pk)
    role = getattr(found, "cascade_role", None)
    own = found.pk == request.user.pk
    if own and request.method == "POST":
        raise PermissionDenied(_("You cannot change your own role: ask another admin."))
    form, find, posted = _bound(request, RoleForm, _initial(role) if role else {})
    if posted and not own and form.is_valid():
        try:
            services.change_role(request.user, found, **form.role())
        except ValidationError as error:
            _errors_to(form, error)
        else:
            messages.success(request, _("The role of %(user)s is changed.") % {"user": found.get_username()})
            return redirect("accounts:user", found.pk)
    return render(request, "accounts/user.html", {"account": found, "role": role, "own": own, "form": form,
                                                  "find": find}, status=400 if form.is_bound and form.errors else 200)


@login_required
@require_POST
def set_active(request, pk):
    _managing(request)
    found = get_object_or_404(access.visible_users(request.user), pk=pk)
    active = request.POST.get("active") == "1"
    try:
        services.set_active(request.user, found, active)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, (_("%(user)s may sign in again.") if active else
                                   _("%(user)s can no longer sign in.")) % {"user": found.get_username()})
    return redirect("accounts:user", found.pk)


@never_cache
@require_http_methods(["GET", "POST"])
def accept(request, token):
    """The invitee's page: her username and password; then two-step sign-in where her role needs it."""
    found = services.find_invitation(token)
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or (found.language if found else None)
    with translation.override(language or translation.get_language()):
        if found is None or not found.open:
            return render(request, "accounts/accept.html", {"invitation": found, "ended": True},
                          status=404 if found is None else 410)
        if request.user.is_authenticated:  # another account is signed in on this browser
            return render(request, "accounts/accept.html", {"invitation": found, "signed_in": True})
        form = AcceptForm(found.email, request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                user = services.accept_invitation(token, username=form.cleaned_data["username"],
                                                  password=form.cleaned_data["password1"])
            except ValidationError as error:
                _errors_to(form, error)
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                target = "/"
                if access.needs_two_factor(user):
                    target = f"{reverse('accounts:two_factor_setup')}?{urlencode({'next': '/'})}"
                response = redirect(target)
                from cascade.web.middleware import remember_language

                remember_language(request, response, language or found.language)  # her account's language
                return response
        return render(request, "accounts/accept.html", {"invitation": found, "form": form,
                                                        "now": timezone.now(), "language": language},
                      status=400 if form.is_bound and form.errors else 200)

