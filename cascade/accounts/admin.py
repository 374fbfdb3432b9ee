from django.contrib import admin

from .models import Role


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    """Network admins give each user her role (the scoped site hides this from everyone else)."""

    list_display = ["user", "kind", "organization", "person"]
    list_filter = ["kind", "organization"]
    search_fields = ["user__username", "organization__name"]
    autocomplete_fields = ["organization", "person"]
    raw_id_fields = ["user"]
