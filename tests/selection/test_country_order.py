"""The call form lists countries in the reader's alphabetical order, not by ISO code."""

import pytest
from django.utils import translation

from cascade.lib.collation import sorted_by_name
from cascade.network.models import Organization
from cascade.selection.forms import CallForm


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_call_forms_countries_are_sorted_by_name_in_the_readers_language(db, lang):
    with translation.override(lang):
        form = CallForm(hosts=Organization.objects.none())
        labels = [str(label) for value, label in form.fields["country"].choices if value != ""]
        eligible = [str(label) for _value, label in form.fields["eligible_countries"].choices]
    assert labels == sorted_by_name(labels, language=lang) and eligible == labels
    if lang == "ru":
        assert labels[:2] == ["Австралия", "Австрия"]
        assert labels.index("Афганистан") < labels.index("Египет") < labels.index("ОАЭ") < labels.index("Оман")
    else:
        assert labels.index("Австрия") < labels.index("Әзербайжан") < labels.index("Бельгия")
