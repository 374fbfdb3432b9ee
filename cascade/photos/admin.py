from django.contrib import admin

from .models import Photo


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    """Captions, consent and the people shown; new photos come through the upload service only,
    which strips their metadata, so the admin cannot add them."""

    list_display = ["__str__", "training", "shows_people", "consent_recorded", "uploaded_at"]
    list_filter = ["shows_people", "consent_recorded"]
    autocomplete_fields = ["people"]
    raw_id_fields = ["training"]
    readonly_fields = ["image", "thumbnail", "uploaded_by", "uploaded_at"]

    def has_add_permission(self, request):
        return False
