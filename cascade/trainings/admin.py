from django.contrib import admin

from .models import Participation, Training, TrainingSession


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0
    autocomplete_fields = ["person"]


class TrainingSessionInline(admin.TabularInline):
    model = TrainingSession
    extra = 0
    autocomplete_fields = ["facilitators"]
    raw_id_fields = ["manual_session"]


@admin.register(Training)
class TrainingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "key", "kind", "start_date", "end_date", "country", "city", "host"]
    list_filter = ["kind", "country__region", "country", "host", "manuals", "start_date"]
    search_fields = ["key", "title", "city"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["host", "co_organisers", "source_training"]
    filter_horizontal = ["manuals"]
    list_select_related = ["country", "host"]
    inlines = [TrainingSessionInline, ParticipationInline]


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = ["person", "role", "completed", "training"]
    list_filter = ["role", "completed", "training__kind"]
    search_fields = ["person__full_name", "person__key", "training__key"]
    autocomplete_fields = ["person", "training"]
    list_select_related = ["person", "training"]
