"""``cascade ordinal`` in Kazakh and Kyrgyz: "the 16th of them" ends by the number as read aloud."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation

from cascade.metrics.management.commands.ordinal import sentence
from tests.lib.test_numbers import _oracle


def result(n: int, of: int = 100) -> dict:
    return {"training": "t", "ordinal": n, "of": of, "region": {"code": "143", "name": "Central Asia"},
            "country": "KZ", "first_year": 2014, "planned": False}


@pytest.mark.parametrize("lang", ["kk", "ky"])
def test_every_ordinal_from_1_to_100_gets_its_own_possessive_ending(lang):
    with translation.override(lang):
        wrong = [n for n in range(1, 101) if f" {n}-{_oracle(n, lang, 'possessive')}" not in f" {sentence(result(n))}"]
    assert not wrong


def test_no_language_other_than_kazakh_and_kyrgyz_gets_an_ending():
    with translation.override("en"):
        assert sentence(result(16, 16)) == "Institute 16 of 16 in Central Asia since 2014"


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().strip()


@pytest.fixture
def sixteen(institute):
    for n in range(16):
        institute(start=n, key=f"i{n + 1:02d}")


@pytest.mark.parametrize("lang, key, expected", [
    ("kk", "i16", "16 институттың 16-сы"),
    ("kk", "i02", "16 институттың 2-сі"),
    ("kk", "i10", "16 институттың 10-ы"),
    ("ky", "i16", "16 институттун 16-сы"),
    ("ky", "i03", "16 институттун 3-ү"),
    ("ky", "i10", "16 институттун 10-у"),
])
def test_the_command_prints_the_right_ending_in_kazakh_and_kyrgyz(sixteen, lang, key, expected):
    # Needs the translations of "Institute %(nth)s of %(of)d..." in the catalogue.
    with translation.override(lang):
        assert run("ordinal", key).endswith(expected)
