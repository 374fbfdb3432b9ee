"""Choices whose labels follow the reader (regions, manuals, partners) are sorted by those labels."""

from django.utils import translation

from cascade.curriculum.models import Manual
from cascade.lib.collation import sorted_by_name
from cascade.web.forms import FiltersForm


def labels(form, field):
    return [str(label) for value, label in form.fields[field].choices if value != ""]


def test_filters_list_regions_and_manuals_in_the_readers_alphabet(admin_user):
    Manual.objects.create(key="a-first-by-key", title={"en": "Zebra", "ru": "Ярмарка"})
    Manual.objects.create(key="b-second-by-key", title={"en": "Apple", "ru": "Әліппе"})
    Manual.objects.create(key="c-third-by-key", title={"en": "Mango", "ru": "Азбука"})
    with translation.override("ru"):
        form = FiltersForm(user=admin_user)
        regions, manuals = labels(form, "region"), labels(form, "manual")
    assert regions == sorted_by_name(regions, language="ru") and "Центральная Азия" in regions
    assert manuals == ["Азбука", "Әліппе", "Ярмарка"]
    with translation.override("en"):
        assert labels(FiltersForm(user=admin_user), "manual") == ["Apple", "Mango", "Zebra"]
