"""Numbers in words per language, and writers' rounding."""

import pytest

from cascade.lib.numbers import (
    cardinal,
    decimal_text,
    duration,
    format_number,
    more_than,
    ordinal,
    ordinal_numeral,
    round_for_writers,
    with_article,
)


@pytest.mark.parametrize(
    "n, expected",
    [(356, (350, True)), (350, (350, False)), (67, (65, True)), (65, (65, False)),
     (16, (16, False)), (19, (19, False)), (21, (20, True)), (999, (950, True)),
     (1234, (1000, True)), (12345, (10000, True)), (0, (0, False))],
)
def test_writers_round_down_to_a_round_number_and_never_overstate(n, expected):
    assert round_for_writers(n) == expected
    assert round_for_writers(n)[0] <= n


def test_a_round_figure_is_said_exactly_without_more_than():
    assert more_than(350, "en") == "350"
    assert more_than(351, "en") == "more than 350"
    assert more_than(67, "en", "over") == "over 65"


@pytest.mark.parametrize(
    "lang, expected",
    [("en", "more than 350"), ("ru", "более 350"), ("kk", "350-ден астам"),
     ("ky", "350-дөн ашык"), ("uz", "350 dan ortiq"), ("tg", "зиёда аз 350"),
     ("ka", "350-ზე მეტი"), ("ar", "أكثر من 350"), ("fa", "بیش از 350")],
)
def test_more_than_is_said_in_each_language(lang, expected):
    assert more_than(356, lang) == expected


def test_kazakh_and_kyrgyz_ablative_endings_follow_the_last_word():
    assert more_than(67, "kk") == "65-тен астам"  # бестен
    assert more_than(1001, "kk") == "1\xa0000-нан астам"  # мыңнан
    assert more_than(67, "ky") == "65-тен ашык"  # бештен
    assert more_than(33, "ky") == "30-дон ашык"  # отуздан


@pytest.mark.parametrize(
    "lang, expected",
    [("en", "sixteenth"), ("ru", "шестнадцатое"), ("kk", "16-шы"), ("ky", "16-чы"),
     ("uz", "16-"), ("tg", "шонздаҳум"), ("ka", "მე-16"), ("ar", "الـ16"), ("fa", "شانزدهم")],
)
def test_the_sixteenth_event_in_each_language_never_falls_back_to_english(lang, expected):
    assert ordinal(16, lang, gender="n") == expected


def test_russian_ordinals_agree_in_gender_and_case():
    assert ordinal(16, "ru", gender="n") == "шестнадцатое"
    assert ordinal(16, "ru", gender="m") == "шестнадцатый"
    assert ordinal(16, "ru", gender="f") == "шестнадцатая"
    assert ordinal(16, "ru", gender="m", case="prep") == "шестнадцатом"
    assert ordinal_numeral(16, "ru", gender="n") == "16-е"


@pytest.mark.parametrize(
    "n, expected",
    [(1, "1-ші"), (2, "2-ші"), (6, "6-шы"), (9, "9-шы"), (10, "10-шы"), (20, "20-шы"),
     (50, "50-ші"), (70, "70-ші"), (100, "100-ші"), (1000, "1000-шы"), (2014, "2014-ші")],
)
def test_kazakh_ordinal_marker_follows_vowel_harmony(n, expected):
    assert ordinal_numeral(n, "kk") == expected


@pytest.mark.parametrize(
    "n, expected",
    [(1, "1-чи"), (3, "3-чү"), (4, "4-чү"), (6, "6-чы"), (9, "9-чу"), (10, "10-чу"),
     (20, "20-чы"), (50, "50-чү"), (100, "100-чү"), (1000, "1000-чи")],
)
def test_kyrgyz_ordinal_marker_follows_four_way_harmony(n, expected):
    assert ordinal_numeral(n, "ky") == expected


def test_georgian_first_is_written_differently_from_the_rest():
    assert ordinal_numeral(1, "ka") == "1-ლი"
    assert ordinal_numeral(2, "ka") == "მე-2"


@pytest.mark.parametrize(
    "n, expected", [(1, "1st"), (2, "2nd"), (3, "3rd"), (11, "11th"), (12, "12th"), (22, "22nd")]
)
def test_english_ordinal_numerals_have_the_right_suffix(n, expected):
    assert ordinal_numeral(n, "en") == expected


@pytest.mark.parametrize(
    "lang, expected",
    [("en", "three"), ("ru", "три"), ("kk", "үш"), ("ky", "үч"), ("uz", "uch"),
     ("tg", "се"), ("ka", "სამი"), ("ar", "ثلاثة"), ("fa", "سه")],
)
def test_small_cardinals_are_spelled_in_each_language(lang, expected):
    assert cardinal(3, lang) == expected


def test_cardinals_without_a_speller_stay_numerals():
    assert cardinal(16, "ky") == "16"
    assert cardinal(16, "ka") == "16"
    assert cardinal(2, "ru", gender="f") == "две"


@pytest.mark.parametrize(
    "lang, expected",
    [("en", "three-day"), ("ru", "трёхдневный"), ("kk", "үш күндік"), ("ky", "үч күндүк"),
     ("uz", "uch kunlik"), ("tg", "серӯза"), ("ka", "სამდღიანი"), ("ar", "لمدة ثلاثة أيام"),
     ("fa", "سه\u200cروزه")],
)
def test_a_three_day_training_in_each_language(lang, expected):
    assert duration(3, lang) == expected


def test_russian_duration_agrees_with_its_noun():
    assert duration(3, "ru", gender="n") == "трёхдневное"
    assert duration(3, "ru", gender="m", case="prep") == "трёхдневном"
    assert duration(12, "ru") == "12-дневный"


def test_english_article_follows_the_sound_of_the_number():
    assert with_article(duration(3, "en")) == "a three-day"
    assert with_article(duration(1, "en")) == "a one-day"
    assert with_article(duration(8, "en")) == "an eight-day"
    assert with_article(duration(11, "en")) == "an 11-day"
    assert with_article(duration(18, "en")) == "an 18-day"


def test_numbers_are_grouped_and_decimals_punctuated_the_locales_way():
    assert format_number(1234, "en") == "1,234"
    assert format_number(1234, "ru") == "1\xa0234"
    assert format_number(1234, "kk") == "1\xa0234"
    assert decimal_text("27.500", "en") == "27.5"
    assert decimal_text("27.500", "ru") == "27,5"
    assert decimal_text("6.000", "en") == "6"
