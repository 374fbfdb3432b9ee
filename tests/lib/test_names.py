"""Countries and languages are named in the reader's language, also where django-countries has none."""

import pytest
from django.utils import translation

from cascade.lib.names import country_name, language_name
from cascade.network.models import Country


@pytest.mark.parametrize(("language", "kyrgyzstan"), [
    ("en", "Kyrgyzstan"), ("ru", "Кыргызстан"), ("kk", "Қырғызстан"), ("ky", "Кыргызстан"),
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


@pytest.mark.parametrize(("code", "language", "name"), [
    ("KG", "ru", "Кыргызстан"), ("MD", "ru", "Молдова"), ("BY", "ru", "Беларусь"),
    ("LR", "ru", "Либерия"), ("MM", "ru", "Мьянма"), ("HK", "ru", "Гонконг"),
    ("KG", "kk", "Қырғызстан"), ("KG", "ky", "Кыргызстан"), ("KG", "uz", "Qirgʻiziston"),
    ("US", "ru", "США"), ("PS", "ru", "Палестина"), ("KZ", "ka", "ყაზახეთი"),
    ("CK", "ru", "острова Кука"), ("SH", "ru", "остров Святой Елены"),
])
def test_countries_are_named_in_the_nominative_as_the_region_writes_them(code, language, name):
    assert country_name(code, language) == name


def test_no_russian_country_name_is_taken_from_django_countries_genitives():
    from django_countries.data import COUNTRIES

    # django-countries' Russian catalogue has "Либерии", "Мьянмы"...: none of them may show.
    names = {country_name(code, "ru") for code in COUNTRIES}
    assert not names & {"Либерии", "Мьянмы", "Киргизия"}
    from babel import Locale

    cldr = Locale.parse("ru").territories
    spelled_out = {code: cldr[code].replace("о-ва", "острова").replace("о-в", "остров").replace("Св. ", "Святой ")
                   for code in COUNTRIES}
    assert all(country_name(code, "ru") in (spelled_out[code], cldr[code].split(" (")[0], "Кыргызстан", "США", "Палестина")
               for code in COUNTRIES)


@pytest.mark.parametrize(("code", "language", "case", "form"), [
    ("KZ", "ru", "gen", "Казахстана"), ("KZ", "ru", "prep", "Казахстане"), ("GE", "ru", "gen", "Грузии"),
    ("KG", "ru", "prep", "Кыргызстане"), ("US", "ru", "gen", "США"), ("EG", "ru", "gen", "Египта"),
    ("KZ", "kk", "abl", "Қазақстаннан"), ("KZ", "kk", "gen", "Қазақстанның"), ("KZ", "kk", "loc", "Қазақстанда"),
    ("RU", "kk", "abl", "Ресейден"), ("GE", "kk", "abl", "Грузиядан"),
    ("KG", "ky", "gen", "Кыргызстандын"), ("KG", "ky", "abl", "Кыргызстандан"), ("EG", "ky", "dat", "Египетке"),
])
def test_country_case_forms(code, language, case, form):
    from cascade.lib.names import country_case

    assert country_case(code, language, case) == form


def test_an_unknown_case_form_is_empty_so_the_writer_rephrases():
    from cascade.lib.names import country_case

    assert country_case("LR", "ru", "gen") == "" and country_case("KZ", "uz", "abl") == ""
    assert country_case("KZ", "ru", "ablative") == "" and country_case("", "ru", "gen") == ""


def test_every_case_form_table_names_the_country_as_country_name_does():
    from cascade.lib.names import _forms

    network = set("KZ KG UZ TJ GE AZ AM TM MN AF".split())
    for language, table in _forms().items():
        assert network <= set(table), language
        for code, forms in table.items():
            assert forms["nom"] == country_name(code, language)
            assert all(forms.values()), (language, code)
