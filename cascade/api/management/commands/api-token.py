"""``cascade api-token create USERNAME [--read-only] [--days N]``, ``list`` and ``revoke ID``.

The token is printed once, when it is made; only its SHA-256 digest is kept.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy

from cascade.access import operator
from cascade.api import services
from cascade.api.models import ApiToken
from cascade.lib.commands import BaseCommand, CommandError


class Command(BaseCommand):
    help = gettext_lazy("Make, list and revoke API tokens (docs/api.md).")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help=_("make a token for a user and print it once"))
        create.add_argument("username")
        scope = create.add_mutually_exclusive_group()
        scope.add_argument("--read-only", action="store_true", help=_("the token may only read"))
        scope.add_argument("--figures-only", action="store_true",
                           help=_("the token reads only the figures, with small counts suppressed"))
        create.add_argument("--days", type=int, default=90, help=_("days until it expires (default 90; 0: never)"))
        create.add_argument("--name", default="", help=_("what the token is for"))
        sub.add_parser("list", help=_("list every token (never the secret)"))
        revoke = sub.add_parser("revoke", help=_("revoke a token by its number"))
        revoke.add_argument("id", type=int)

    def handle(self, *args, **options):
        getattr(self, "_" + options["action"])(options)

    def _create(self, options):
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(_("No user is called %s.") % options["username"], returncode=2)
        if options["days"] < 0:
            raise CommandError(_("--days: give 0 (never expires) or more."), returncode=2)
        try:
            token, secret = services.create_token(operator(), user, scope=_scope(options),
                                                  days=options["days"] or None, name=options["name"])
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        self.stderr.write(_("Token %(id)s for %(user)s (%(scope)s, expires %(expires)s). It is shown only now:") % {
            "id": token.pk, "user": user.get_username(), "scope": token.scope,
            "expires": token.expires_at.date().isoformat() if token.expires_at else _("never")})
        self.stdout.write(secret)

    def _list(self, options):
        now = timezone.now()
        for token in ApiToken.objects.select_related("user").order_by("pk"):
            state = _("revoked") if token.revoked_at else (_("active") if token.is_usable(now) else _("expired"))
            self.stdout.write("\t".join([
                str(token.pk), token.prefix, token.user.get_username(), token.scope, state,
                token.expires_at.date().isoformat() if token.expires_at else "-",
                token.last_used_at.isoformat(timespec="minutes") if token.last_used_at else "-", token.name]))

    def _revoke(self, options):
        token = ApiToken.objects.filter(pk=options["id"]).first()
        if token is None:
            raise CommandError(_("No token has the number %s.") % options["id"], returncode=2)
        services.revoke_token(operator(), token)
        self.stdout.write(_("Token %s revoked.") % token.pk)


def _scope(options) -> str:
    if options["figures_only"]:
        return ApiToken.Scope.FIGURES
    return ApiToken.Scope.READ if options["read_only"] else ApiToken.Scope.WRITE
