"""World Bank values were stored as 1 January of their year; the World Bank means the share
at the end of the year (the UN dates the same figure 1 January of the next year). Move them
to 31 December. A value already stored on 31 December is left as it is, and the old row
removed only when it says the same."""

import datetime

from django.db import migrations

WORLD_BANK = "World Bank"


def to_end_of_year(apps, schema_editor):
    move(apps, month=1, day=1, to=(12, 31))


def to_start_of_year(apps, schema_editor):
    move(apps, month=12, day=31, to=(1, 1))


def move(apps, month, day, to):
    Observation = apps.get_model("indicators", "IndicatorObservation")
    rows = Observation.objects.filter(source_name__startswith=WORLD_BANK, date__month=month, date__day=day)
    for row in rows.iterator():
        target = datetime.date(row.date.year, *to)
        twin = Observation.objects.filter(
            indicator=row.indicator, country_id=row.country_id, chamber=row.chamber, date=target,
            unit=row.unit, source_name=row.source_name).first()
        if twin is None:
            row.date = target
            row.save(update_fields=["date"])
        elif twin.value == row.value:
            row.delete()


class Migration(migrations.Migration):
    dependencies = [("indicators", "0002_source_file_and_release")]
    operations = [migrations.RunPython(to_end_of_year, to_start_of_year)]
