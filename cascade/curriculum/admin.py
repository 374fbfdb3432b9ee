from django.contrib import admin

from .models import Edition, Manual, ManualSession


class ManualSessionInline(admin.TabularInline):
    model = ManualSession
    extra = 0


class EditionInline(admin.TabularInline):
    model = Edition
    extra = 0


@admin.register(Manual)
class ManualAdmin(admin.ModelAdmin):
    list_display = ["__str__", "key", "year", "isbn"]
    search_fields = ["key", "title", "isbn"]
    inlines = [ManualSessionInline, EditionInline]


@admin.register(ManualSession)
class ManualSessionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "manual", "number", "part", "kind"]
    list_filter = ["manual", "kind"]
    search_fields = ["title"]


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ["manual", "language", "variant", "year"]
    list_filter = ["manual", "language"]
