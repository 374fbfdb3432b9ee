import datetime

import pytest
from django.db import IntegrityError, transaction

from cascade.lib.translated import pick
from cascade.network.models import Country
from cascade.trainings.models import Participation


def test_central_asia_holds_its_five_countries(db):
    codes = set(Country.objects.filter(region__name="Central Asia").values_list("code", flat=True))
    assert codes == {"KZ", "KG", "TJ", "TM", "UZ"}


def test_georgia_is_in_western_asia(db):
    assert Country.objects.get(code="GE").region.code == "145"


def test_a_training_cannot_end_before_it_starts(create_training):
    with pytest.raises(IntegrityError), transaction.atomic():
        create_training(start_date=datetime.date(2019, 1, 10), end_date=datetime.date(2019, 1, 9))


def test_head_counts_cannot_be_negative(create_training):
    with pytest.raises(IntegrityError), transaction.atomic():
        create_training(women_count=-1)


def test_a_person_has_one_participation_per_role_and_training(create_training, create_person):
    person = create_person()
    training = create_training(participants=[person])
    with pytest.raises(IntegrityError), transaction.atomic():
        Participation.objects.create(training=training, person=person, role="participant")
    Participation.objects.create(training=training, person=person, role="organiser")


@pytest.mark.parametrize(
    "value, language, expected",
    [
        ({"en": "Leading to Choices", "ru": "Выбор"}, "ru", "Выбор"),
        ({"en": "Leading to Choices", "ru": "Выбор"}, "kk", "Выбор"),  # Russian before English in Central Asia
        ({"en": "Leading to Choices", "ru": "Выбор"}, "ka", "Leading to Choices"),
        ({"en": "Leading to Choices"}, "ky", "Leading to Choices"),
        ({"ar": "قيادة"}, "ar-ma", "قيادة"),
        ({"ru": "Только по-русски"}, "en", "Только по-русски"),
        ({}, "en", ""),
        ("plain", "ru", "plain"),
    ],
)
def test_translated_text_falls_back_to_a_language_there_is(value, language, expected):
    assert pick(value, language) == expected
