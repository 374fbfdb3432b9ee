"""Point the trainings, people and organisations already recorded at the places their cities name.

The typed ``city`` stays as it is; a city the gazetteer does not know leaves ``place`` empty.
Backwards: nothing to undo (0006 removes the column)."""

from django.db import migrations


def link(apps, schema_editor):
    from cascade.network import places

    Place = apps.get_model("network", "Place")
    Country = apps.get_model("network", "Country")
    made = {}

    def place(city, code):
        key = (places.fold(city), code)
        if key not in made:
            made[key] = None
            known = [p for p in Place.objects.filter(country_id=code)
                     if key[0] in {places.fold(s) for s in places.place_spellings(p)}]
            found = max(known, key=lambda p: p.population or 0) if known else places.find_in_gazetteer(city, code)
            if found is not None and not known:
                found, _created = Place.objects.get_or_create(geonames_id=found.geonames_id, defaults={
                    "country": Country.objects.get_or_create(code=code)[0], "name": found.name, "names": found.names,
                    "forms": found.forms, "alternate_names": list(found.alternate_names),
                    "latitude": found.latitude, "longitude": found.longitude, "population": found.population})
            made[key] = found
        return made[key]

    for label in ("trainings.Training", "network.Person", "network.Organization"):
        model = apps.get_model(label)
        rows = model.objects.filter(place__isnull=True, country__isnull=False).exclude(city="")
        changed = []
        for obj in rows.only("pk", "city", "country_id").iterator():
            obj.place = place(obj.city, obj.country_id)
            if obj.place is not None:
                changed.append(obj)
        model.objects.bulk_update(changed, ["place"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ("network", "0006_places"),
        ("trainings", "0003_training_place"),
    ]

    operations = [migrations.RunPython(link, migrations.RunPython.noop, elidable=True)]
