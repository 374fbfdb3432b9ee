"""Sign-in with a second factor (TOTP), enrolment with a QR code, backup codes, sign-out.

Who may do what here, for a role that must use a second factor:

- a session with only the password may verify a code, or enrol a first device when
  the user has none; it never sees a new secret or new backup codes once a device
  is confirmed (otherwise a stolen password would be enough);
- replacing the authenticator or making new backup codes needs a verified session
  and the password typed again (an unattended, signed-in browser is not enough).
"""

import io

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from cascade.audit import services as audit

from .forms import PasswordForm, TokenForm
from .two_factor import has_device, is_verified, new_backup_codes


def _next(request) -> str:
    from cascade.access import safe_next

    return safe_next(request, "/")


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        from django.conf import settings

        return {**super().get_context_data(**kwargs), "demo_mode": settings.DEMO_MODE}

    def form_valid(self, form):
        response = super().form_valid(form)
        audit.log("cascade.user.signed_in", self.request.user, None)
        return response


class LogoutView(auth_views.LogoutView):
    pass


@never_cache
@login_required
def two_factor(request):
    """Ask for the code once per sign-in."""
    if not has_device(request.user):
        return redirect(f"{_url('accounts:two_factor_setup')}?next={_next(request)}")
    form = TokenForm(request.POST or None, verify=lambda token: match_token(request.user, token))
    if request.method == "POST" and form.is_valid():
        otp_login(request, form.device)
        audit.log("cascade.user.verified", request.user, None)
        return redirect(_next(request))
    return render(request, "accounts/two_factor.html", {"form": form, "next": _next(request)})


@never_cache
@login_required
def two_factor_setup(request):
    """Enrol an authenticator app: a QR code (SVG, drawn here), then one code to confirm.

    A first device needs only the signed-in session. Once a device is confirmed, a
    session that has not passed it is sent to verify; a verified one may replace the
    device after typing the password again.
    """
    user = request.user
    replacing = has_device(user)
    if replacing and not is_verified(request):
        return redirect(f"{_url('accounts:two_factor')}?next={_next(request)}")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    password = PasswordForm(user, request.POST or None, prefix="check") if replacing else None
    # The code is checked only after the password: a wrong password must not use up the code.
    password_ok = password is None or password.is_valid()
    form = TokenForm((request.POST or None) if password_ok else None,
                     verify=lambda token: device if device.verify_token(token) else None)
    if request.method == "POST" and password_ok and form.is_valid():
        with transaction.atomic():
            if replacing:  # the new phone takes the place of the old one
                TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            device.confirmed = True
            device.save()
            codes = new_backup_codes(user)
        otp_login(request, device)
        audit.log("cascade.user.two_factor_replaced" if replacing else "cascade.user.two_factor_enrolled",
                  user, None)
        messages.success(request, _("Two-step sign-in is on."))
        return render(request, "accounts/backup_codes.html", {"codes": codes, "next": _next(request)})
    return render(request, "accounts/two_factor_setup.html", {
        "form": form, "password_form": password, "replacing": replacing, "next": _next(request),
        "qr_svg": _qr_svg(device.config_url), "secret": _base32(device),
    })


@never_cache
@login_required
def two_factor_manage(request):
    """Her second factor: replace the authenticator, or new backup codes (earlier ones stop
    working) with a verified session and the password."""
    if not has_device(request.user):
        return redirect(f"{_url('accounts:two_factor_setup')}?next={_next(request)}")
    if not is_verified(request):
        return redirect(f"{_url('accounts:two_factor')}?next={request.path}")
    password = PasswordForm(request.user, request.POST or None, prefix="check")
    if request.method == "POST" and password.is_valid():
        codes = new_backup_codes(request.user)
        audit.log("cascade.user.backup_codes_renewed", request.user, None)
        return render(request, "accounts/backup_codes.html", {"codes": codes, "next": _next(request)})
    return render(request, "accounts/two_factor_manage.html", {"password_form": password, "next": _next(request)})


def _qr_svg(data: str) -> str:
    out = io.BytesIO()
    qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8).save(out)
    svg = out.getvalue().decode()
    return svg.split("?>", 1)[1] if svg.startswith("<?xml") else svg


def _base32(device) -> str:
    from base64 import b32encode

    return b32encode(device.bin_key).decode()


def _url(name: str) -> str:
    from django.urls import reverse

    return reverse(name)
