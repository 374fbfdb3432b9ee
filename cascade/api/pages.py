"""The staff app's page for API tokens: her own tokens (every token for the network admin)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cascade import access

from . import services
from .forms import TokenForm


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request):
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        token, secret = services.create_token(request.user, request.user, scope=form.cleaned_data["scope"],
                                              days=form.cleaned_data["days"], name=form.cleaned_data["name"])
        form = TokenForm()
    rows = access.visible_api_tokens(request.user)[:200]
    return render(request, "api/tokens.html", {"form": form, "secret": secret, "rows": rows, "now": timezone.now(),
                                               "all_users": request.user.pk is not None and any(
                                                   row.user_id != request.user.pk for row in rows)},
                  status=400 if request.method == "POST" and form.errors else 200)


@login_required
@require_POST
def revoke(request, pk):
    token = get_object_or_404(access.visible_api_tokens(request.user), pk=pk)
    services.revoke_token(request.user, token)
    messages.success(request, _("The token %(prefix)s… is revoked: it no longer opens the API.") % {
        "prefix": token.prefix})
    return redirect("tokens:list")
