from django.contrib import admin

from .models import IndicatorObservation


@admin.register(IndicatorObservation)
class IndicatorObservationAdmin(admin.ModelAdmin):
    list_display = ["indicator", "country", "chamber", "date", "value", "unit", "source_name", "released",
                    "source_file"]
    list_filter = ["indicator", "chamber", "country"]
    search_fields = ["country__code", "source_name"]
