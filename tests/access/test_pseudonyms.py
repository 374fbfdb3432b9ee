from cascade.lib.pseudonyms import pseudonym


def test_the_same_person_gets_the_same_pseudonym_every_time():
    assert pseudonym("person", "aigul") == pseudonym("person", "aigul")


def test_different_people_and_kinds_get_different_pseudonyms():
    assert pseudonym("person", "aigul") != pseudonym("person", "dana")
    assert pseudonym("person", "x")[2:] != pseudonym("training", "x")[2:]


def test_a_pseudonym_reveals_nothing_of_the_key():
    assert "aigul" not in pseudonym("person", "aigul").lower()


def test_pseudonyms_change_with_the_key(settings):
    before = pseudonym("person", "aigul")
    settings.PSEUDONYM_KEY = "another key"
    assert pseudonym("person", "aigul") != before
