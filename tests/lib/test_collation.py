"""Names are sorted in the reader's alphabet, not by code point or ISO code."""

import pytest
from django.utils import translation

from cascade.lib.collation import sort_key, sorted_by_name
from cascade.lib.names import country_name


def test_russian_countries_are_in_alphabetical_order_with_oae_among_the_o():
    names = sorted_by_name([country_name(code, "ru") for code in ("AE", "AU", "AZ", "AF", "AD", "OM", "KG", "EG")],
                           language="ru")
    assert names[:4] == ["Австралия", "Азербайджан", "Андорра", "Афганистан"]
    assert names.index("ОАЭ") == names.index("Оман") - 1
    assert names.index("Египет") < names.index("Кыргызстан") < names.index("ОАЭ")


def test_upper_and_lower_case_and_yo_sort_together():
    assert sorted_by_name(["ёлка", "Ель", "еда", "Жук"], language="ru") == ["еда", "ёлка", "Ель", "Жук"]


@pytest.mark.parametrize("before, after", [
    ("А", "Ә"), ("Ә", "Б"), ("К", "Қ"), ("Қ", "Л"), ("Н", "Ң"), ("Ң", "О"), ("О", "Ө"), ("Ө", "П"),
    ("У", "Ұ"), ("Ұ", "Ү"), ("Ү", "Ф"), ("Ы", "І"), ("І", "Ь"), ("Г", "Ғ"), ("Һ", "Ц"),
])
def test_kazakh_letters_are_in_kazakh_order(before, after):
    assert sort_key(before, "kk") < sort_key(after, "kk")
    # Whole words too: the letter decides before any later one.
    assert sort_key(before + "я", "kk") < sort_key(after + "а", "kk")


def test_kazakh_alphabet_in_full():
    alphabet = "А Ә Б В Г Ғ Д Е Ё Ж З И Й К Қ Л М Н Ң О Ө П Р С Т У Ұ Ү Ф Х Һ Ц Ч Ш Щ Ъ Ы І Ь Э Ю Я".split()
    assert sorted_by_name(reversed(alphabet), language="kk") == alphabet


def test_kyrgyz_alphabet_in_full():
    alphabet = "А Б В Г Д Е Ё Ж З И Й К Л М Н Ң О Ө П Р С Т У Ү Ф Х Ц Ч Ш Щ Ъ Ы Ь Э Ю Я".split()
    assert sorted_by_name(reversed(alphabet), language="ky") == alphabet


def test_kazakh_countries_keep_the_kazakh_letters_in_place():
    names = sorted_by_name([country_name(code, "kk") for code in ("AZ", "AT", "BE", "UZ", "OM", "US", "GB")],
                           language="kk")
    assert names.index("Австрия") < names.index("Әзербайжан") < names.index("Бельгия")
    assert names.index("Оман") < names.index("Өзбекстан")


def test_the_active_language_is_used_when_none_is_given():
    with translation.override("kk"):
        assert sort_key("Ұ") == sort_key("Ұ", "kk")
