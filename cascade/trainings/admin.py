from django.contrib import admin

from cascade.lib.translated import TranslatedAsTextAdmin
from cascade.network.admin import LocatedAdmin

from .models import Participation, Training, TrainingSession


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0
    autocomplete_fields = ["person"]


class TrainingSessionInline(TranslatedAsTextAdmin, admin.TabularInline):
    """The agenda: each session's day, manual session, title (in the page's language) and facilitators."""

    model = TrainingSession
    extra = 1
    fields = ["order", "date", "manual_session", "title", "facilitators"]
    autocomplete_fields = ["facilitators"]
    raw_id_fields = ["manual_session"]


@admin.register(Training)
class TrainingAdmin(LocatedAdmin, TranslatedAsTextAdmin, admin.ModelAdmin):
    list_display = ["__str__", "key", "kind", "start_date", "end_date", "country", "city", "place", "host"]
    list_filter = ["kind", "country__region", "country", "host", "manuals", "start_date"]
    search_fields = ["key", "title", "city"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["host", "co_organisers", "source_training", "place"]
    filter_horizontal = ["manuals"]
    list_select_related = ["country", "host"]
    inlines = [TrainingSessionInline, ParticipationInline]
    deletes_through_service = True  # web.services.delete_training checks the actor and logs

    def delete_model(self, request, obj):
        from cascade.web.services import delete_training

        delete_training(obj, request.user)

    def delete_queryset(self, request, queryset):
        from django.db import transaction

        from cascade.web.services import delete_training

        with transaction.atomic():
            for training in queryset:
                delete_training(training, request.user)


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = ["person", "role", "completed", "training"]
    list_filter = ["role", "completed", "training__kind"]
    search_fields = ["person__full_name", "person__key", "training__key"]
    autocomplete_fields = ["person", "training"]
    list_select_related = ["person", "training"]
