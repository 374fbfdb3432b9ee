"""The admin of calls (network admins; partner staff run their calls from the staff pages)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cascade.selection import services
from cascade.selection.models import (
    Application,
    Call,
    Certificate,
    Criterion,
    EmailTemplate,
    Question,
    Quota,
)


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0


class CriterionInline(admin.StackedInline):
    model = Criterion
    extra = 0


class QuotaInline(admin.TabularInline):
    model = Quota
    extra = 0


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "deadline", "places"]
    list_filter = ["status"]
    raw_id_fields = ["training"]
    filter_horizontal = ["reviewers"]
    inlines = [QuestionInline, CriterionInline, QuotaInline]


@admin.action(description=_("Erase the selected applications for good"))
def erase(modeladmin, request, queryset):
    for application in queryset:
        services.erase_application(application, request.user)


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["pk", "full_name", "call", "status", "country", "submitted_at", "duplicate_of"]
    list_filter = ["status", "call"]
    search_fields = ["full_name"]
    raw_id_fields = ["duplicate_of", "participation"]
    readonly_fields = ["token", "submitted_at", "decided_at", "confirmed_at"]
    actions = [erase]


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["code", "participation", "language", "public", "issued_at"]
    search_fields = ["code"]
    raw_id_fields = ["participation"]


@admin.register(EmailTemplate)
class EmailTemplateAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "call"]
    list_filter = ["kind"]
