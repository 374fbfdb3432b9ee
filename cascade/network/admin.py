from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cascade.lib.translated import TranslatedAsTextAdmin

from .models import Country, Membership, Organization, Person, Place, Region


class LocatedAdmin:
    """A training, person or organisation saved in the admin points to the place its city names
    (a place picked by hand is kept while it bears that name)."""

    def save_model(self, request, obj, form, change):
        from .services import locate

        if "place" not in form.changed_data:
            locate(request.user, obj)
        super().save_model(request, obj, form, change)


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


@admin.register(Place)
class PlaceAdmin(TranslatedAsTextAdmin, admin.ModelAdmin):
    """Places come from the gazetteer as cities are typed; staff add the villages it lacks here,
    one name per language (switch the page's language to give another)."""

    list_display = ["name", "__str__", "country", "population", "geonames_id"]
    list_filter = ["country"]
    search_fields = ["name", "names", "alternate_names", "geonames_id"]
    fields = ["country", "name", "names", "alternate_names", "forms", "geonames_id", "latitude", "longitude",
              "population"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["person", "organization"]


@admin.register(Organization)
class OrganizationAdmin(LocatedAdmin, TranslatedAsTextAdmin, admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "country", "city", "place"]
    list_filter = ["kind", "country__region", "country"]
    search_fields = ["key", "name", "short_name", "city", "names", "short_names"]
    autocomplete_fields = ["place"]
    inlines = [MembershipInline]


@admin.register(Person)
class PersonAdmin(LocatedAdmin, admin.ModelAdmin):
    list_display = ["full_name", "gender", "country", "city", "organization"]
    list_filter = ["gender", "country__region", "country"]
    search_fields = ["key", "full_name", "city", "email"]
    autocomplete_fields = ["organization", "place"]
    list_select_related = ["country", "organization"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["key", "full_name", "gender", "languages"]}),
        (_("Place"), {"fields": ["country", "city", "place", "organization"]}),
        (_("Contact"), {"fields": ["email", "phone"]}),
    ]
