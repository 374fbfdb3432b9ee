from django.db import migrations


def load(apps, schema_editor):
    from cascade.network.regions import load_regions

    load_regions(apps.get_model("network", "Region"), apps.get_model("network", "Country"))


class Migration(migrations.Migration):
    dependencies = [("network", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
