from django.contrib import admin

from cascade.access import can_read_audit
from cascade.lib.admin import ReadOnlyAdmin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Read-only, and for network admins only (the scoped site checks the role too)."""

    list_display = ["at", "username", "action", "object_label"]
    list_filter = ["action"]
    search_fields = ["username", "action", "object_id"]
    date_hierarchy = "at"

    def has_view_permission(self, request, obj=None):
        return can_read_audit(request.user)

    def has_module_permission(self, request):
        return can_read_audit(request.user)
