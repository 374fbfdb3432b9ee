"""Countries and languages are named in the reader's language, also where django-countries has none."""

import pytest
from django.utils import translation

from cascade.lib.names import country_name, language_name
from cascade.network.models import Country


@pytest.mark.parametrize(("language", "kyrgyzstan"), [
    ("en", "Kyrgyzstan"), ("ru", "Киргизия"), ("kk", "Қырғызстан"), ("ky", "Кыргызстан"),
    ("uz", "Qirgʻiziston"), ("tg", "Қирғизистон"), ("ka", "ყირგიზეთი"), ("fa", "قرقیزستان"),
])
def test_countries_are_named_in_each_interface_language(language, kyrgyzstan):
    assert country_name("KG", language) == kyrgyzstan


def test_a_country_follows_the_active_language(db):
    with translation.override("kk"):
        assert Country.objects.get(code="KZ").name == "Қазақстан"
    with translation.override("uz"):
        assert Country.objects.get(code="GE").name == "Gruziya"


@pytest.mark.parametrize(("language", "manipuri", "spanish"), [
    ("en", "Manipuri", "Spanish"), ("ru", "манипурский", "испанский"), ("kk", "манипури тілі", "испан тілі"),
    ("ar", "المانيبورية", "الإسبانية"),
])
def test_the_languages_of_editions_are_named_in_the_readers_language(language, manipuri, spanish):
    assert (language_name("mni", language), language_name("es", language)) == (manipuri, spanish)


def test_an_unknown_code_is_shown_as_it_is():
    assert language_name("zz-xx", "ru") == "zz-xx" and country_name("", "ru") == ""
