from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Country, Membership, Organization, Person, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "__str__"]
    search_fields = ["code", "name"]


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region"]
    list_filter = ["region"]
    search_fields = ["code"]
    list_select_related = ["region"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["person", "organization"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "country", "city"]
    list_filter = ["kind", "country__region", "country"]
    search_fields = ["key", "name", "short_name", "city"]
    inlines = [MembershipInline]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["full_name", "gender", "country", "city", "organization"]
    list_filter = ["gender", "country__region", "country"]
    search_fields = ["key", "full_name", "city", "email"]
    autocomplete_fields = ["organization"]
    list_select_related = ["country", "organization"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["key", "full_name", "gender", "languages"]}),
        (_("Place"), {"fields": ["country", "city", "organization"]}),
        (_("Contact"), {"fields": ["email", "phone"]}),
    ]
