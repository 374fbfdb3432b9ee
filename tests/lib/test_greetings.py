"""Letters greet a woman and a man each in their own way, and guess nothing when gender is not stated."""

import pytest

from cascade.lib.mail import greeting, greeting_context


@pytest.mark.parametrize("gender, context", [
    ("woman", "greeting to a woman"), ("man", "greeting to a man"),
    ("other", "greeting, gender unknown"), ("not stated", "greeting, gender unknown"),
    ("", "greeting, gender unknown"), (None, "greeting, gender unknown"),
])
def test_the_greeting_is_chosen_by_gender_and_is_neutral_when_unknown(gender, context):
    assert greeting_context(gender) == context


def test_english_greets_everyone_the_same_way():
    assert greeting("Aigul Seitkali", "woman", "en") == "Dear Aigul Seitkali,"
    assert greeting("Bakhyt Nurlanov", "man", "en") == "Dear Bakhyt Nurlanov,"
    assert greeting("  ", "man", "en") == "Hello,"


def test_a_person_gives_her_name_and_gender(create_person):
    person = create_person(full_name="Aigul Seitkali", gender="woman")
    assert greeting(person, language="en") == "Dear Aigul Seitkali,"


# These need the greetings' translations in the catalogue.
@pytest.mark.parametrize("lang, gender, expected", [
    ("ru", "man", "Уважаемый Бахыт Нурланов,"),
    ("ru", "woman", "Уважаемая Бахыт Нурланов,"),
    ("ru", "not stated", "Здравствуйте, Бахыт Нурланов!"),
    ("ru", "other", "Здравствуйте, Бахыт Нурланов!"),
    ("ru", None, "Здравствуйте, Бахыт Нурланов!"),
    ("ka", "not stated", "გამარჯობა, Бахыт Нурланов!"),
    ("ar", "woman", "عزيزتي Бахыт Нурланов،"),
    ("ar", "man", "عزيزي Бахыт Нурланов،"),
    ("ar", "not stated", "مرحبًا Бахыт Нурланов،"),
])
def test_greetings_in_languages_that_mark_gender(lang, gender, expected):
    assert greeting("Бахыт Нурланов", gender, lang) == expected
