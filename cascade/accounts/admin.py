from django.contrib import admin

from cascade.lib.admin import ReadOnlyAdmin

from .models import Invitation, Role


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    """Network admins give each user her role (the scoped site hides this from everyone else).

    The staff app's users' page (/accounts/users/) does the same with the role's rules and an
    audit trail; this stays for repairs."""

    list_display = ["user", "kind", "organization", "person", "can_manage_users"]
    list_filter = ["kind", "organization", "can_manage_users"]
    search_fields = ["user__username", "organization__name"]
    autocomplete_fields = ["organization", "person"]
    raw_id_fields = ["user"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    """Read-only: invitations are made, resent and revoked on the users' page, whose services
    check the inviter's rights and keep the audit log."""

    list_display = ["pk", "kind", "organization", "state", "expires_at", "invited_by"]
    list_filter = ["state", "kind"]
    search_fields = ["email"]
    exclude = ["token_digest"]
