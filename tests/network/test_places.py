"""Places: a city typed in any script finds its place, and pages, lists and the API name it in the reader's language."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from cascade.access import operator
from cascade.audit.models import AuditEntry
from cascade.network import places
from cascade.network.models import Organization, Person, Place
from cascade.network.services import locate, place_for
from cascade.spreadsheets.importer import import_workbook
from cascade.trainings.models import Training
from tests.spreadsheets.conftest import small_network, write_csv  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

SHYMKENT, ALMATY, TBILISI, BISHKEK, KHUJAND = 1518980, 1526384, 611717, 1528675, 1514879


# --- Matching a typed name --------------------------------------------------------------


@pytest.mark.parametrize("typed, country, geonames_id", [
    ("Shymkent", "KZ", SHYMKENT),  # Latin
    ("шымкент", "KZ", SHYMKENT),  # Cyrillic, any case
    ("Chimkent", "KZ", SHYMKENT),  # the old name
    ("Чимкент", "KZ", SHYMKENT),
    ("شيمكنت", "KZ", SHYMKENT),  # Arabic
    ("شیمکنت", "KZ", SHYMKENT),  # Persian letters (ی, ک) match the Arabic ones
    ("г. Шымкент", "KZ", SHYMKENT),  # "town" words are left out
    ("Alma-Ata", "KZ", ALMATY),
    ("Верный", "KZ", ALMATY),
    ("АЛМАТЫ", "KZ", ALMATY),
    ("თბილისი", "GE", TBILISI),  # Georgian
    ("Tiflis", "GE", TBILISI),
    ("Бішкек", "KG", BISHKEK),
    ("Frunze", "KG", BISHKEK),
    ("Хуҷанд", "TJ", KHUJAND),
    ("Leninabad", "TJ", KHUJAND),
    ("Jalal Abad", "KG", 1528249),  # hyphens and spaces alike
    ("Жалал-Абад шаары", "KG", 1528249),
    ("Naryn city", "KG", 1527592),
    ("Сайрам", "KZ", 1519455),  # a curated town under GeoNames' 5,000 people
    ("Кентау", "KZ", 1522751),
])
def test_a_name_typed_in_any_script_finds_its_place(typed, country, geonames_id):
    assert places.find(typed, country).geonames_id == geonames_id


def test_folding_takes_out_case_diacritics_yo_and_punctuation():
    assert places.fold("Ёлки-Палки") == places.fold("елки палки")
    assert places.fold("Qoʻqon") == places.fold("Qo'qon") == places.fold("qoqon")
    assert places.fold("Şirvan") == places.fold("Sirvan")


def test_a_name_of_no_place_finds_nothing():
    assert places.find("Atlantis", "KZ") is None
    assert places.find("", "KZ") is None


def test_the_country_narrows_the_match():
    """Talas is a town of Kyrgyzstan (and of Turkey); in Kazakhstan "Talas" is none of them."""
    assert places.find("Talas", "KG").geonames_id == 1527299
    assert places.find("Talas", "TR").country == "TR"


def test_among_namesakes_the_larger_place_wins():
    entry = places.find("Vienna", "US")
    namesakes = [e for e in places.gazetteer("US") if e.name == "Vienna"]
    assert len(namesakes) > 1 and entry.population == max(e.population or 0 for e in namesakes)


def test_a_place_staff_added_is_found_before_the_gazetteer():
    village = Place.objects.create(country_id="KZ", name="Karabulak", names={"ru": "Карабулак", "kk": "Қарабұлақ"})
    assert places.find("Қарабұлақ", "KZ") == village
    assert places.find("карабулак", "KZ") == village


def test_every_curated_row_is_written_in_its_languages_script():
    import re

    cyrillic, latin = re.compile(r"^[\u0400-\u04ff\s\-«»—.,]+$"), re.compile(r"^[A-Za-z\u00c0-\u024f\u02bb\s\-']+$")
    for gid, row in places.curated().items():
        names = row["names"]
        for code in ("ru", "kk", "ky", "tg"):
            assert cyrillic.match(names[code]), (gid, code, names[code])
        for code in ("en", "uz"):
            assert latin.match(names[code]), (gid, code, names[code])
        assert re.match(r"^[\u10a0-\u10ff\s\-]+$", names["ka"]), (gid, names["ka"])
        for code in ("ar", "fa"):
            assert re.match(r"^[\u0600-\u06ff\u200c\s\-]+$", names[code]), (gid, code, names[code])


def test_the_network_countries_large_towns_are_all_curated():
    curated = places.curated()
    for code in ("KZ", "KG", "UZ", "TJ", "GE", "AZ"):
        large = [e for e in places.gazetteer(code) if (e.population or 0) >= 50000]
        assert large and all(e.geonames_id in curated for e in large), [e.name for e in large if e.geonames_id not in curated]


# --- A place's names ---------------------------------------------------------------------


@pytest.fixture
def shymkent():
    return place_for(operator(), "Shymkent", "KZ")


@pytest.mark.parametrize("language, name", [
    ("en", "Shymkent"), ("ru", "Шымкент"), ("kk", "Шымкент"), ("uz", "Chimkent"), ("tg", "Чимкент"),
    ("ka", "შიმკენტი"), ("ar", "شيمكنت"), ("fa", "شیمکنت"),
])
def test_a_place_from_the_gazetteer_is_named_in_each_language(shymkent, language, name):
    assert shymkent.name_in(language) == name


def test_the_russian_case_forms_come_with_the_place(shymkent):
    assert shymkent.form_in("prep", "ru") == "Шымкенте"
    assert place_for(operator(), "Almaty", "KZ").form_in("prep", "ru") == "Алматы"  # does not decline
    assert place_for(operator(), "Osh", "KG").form_in("prep", "ru") == "Оше"


def test_kazakh_kyrgyz_and_tajik_readers_get_the_cyrillic_name_uzbek_readers_the_latin_one():
    village = Place.objects.create(country_id="KZ", name="Karabulak", names={"ru": "Карабулак"})
    assert [village.name_in(code) for code in ("kk", "ky", "tg", "uz", "ar")] == [
        "Карабулак", "Карабулак", "Карабулак", "Karabulak", "Karabulak"]


def test_a_training_gives_its_place_in_a_case_for_sentences(create_training):
    training = create_training(city="Шымкент", country_id="KZ")
    assert training.place_form("prep", "ru") == "Шымкент"  # no place yet: the city as typed
    locate(operator(), training)
    assert training.place_form("prep", "ru") == "Шымкенте" and training.place_form("prep", "kk") == "Шымкент"


def test_a_place_is_made_once_and_logged(shymkent):
    assert place_for(operator(), "Чимкент", "KZ") == shymkent
    assert Place.objects.filter(geonames_id=SHYMKENT).count() == 1
    assert AuditEntry.objects.filter(action="cascade.place.added", object_id=str(shymkent.pk)).count() == 1


def test_a_donor_cannot_add_a_place(personas):
    with pytest.raises(PermissionDenied):
        place_for(personas["erin"], "Kentau", "KZ")
    assert not Place.objects.filter(geonames_id=1522751).exists()


def test_an_unknown_town_keeps_its_text_and_gets_no_place(create_training):
    training = create_training(city="Nowhere-on-Steppe", country_id="KZ")
    locate(operator(), training)
    assert training.place is None and training.place_name("ru") == "Nowhere-on-Steppe"


def test_a_training_shows_its_city_in_the_readers_language(create_training):
    training = create_training(city="Shymkent", country_id="KZ")
    locate(operator(), training)
    training.save()
    with translation.override("ar"):
        assert training.city_name == "شيمكنت"
    assert training.place_name("ka") == "შიმკენტი" and training.city == "Shymkent"


# --- Every way in: the importer, the forms, the step-down report ------------------------------


def test_importer_rows_with_a_city_in_any_script_get_the_place(write_csv):
    sheets = small_network()
    sheets["people"][2][4] = "თბილისი"  # Nino's town, in Georgian
    sheets["trainings"][2][6] = "Туркестан"  # the step-down's, in Russian
    sheets["organizations"][1][4] = "شيمكنت"  # SWRC's, in Arabic
    result = import_workbook(write_csv(sheets))
    assert result.ok, result.errors
    assert Person.objects.get(key="p-nino").place.geonames_id == TBILISI
    assert Person.objects.get(key="p-nino").city == "თბილისი"  # kept as typed
    assert Training.objects.get(key="sd-1").place.name_in("kk") == "Түркістан"
    assert Training.objects.get(key="inst-2019").place.geonames_id == SHYMKENT
    assert Organization.objects.get(key="swrc").place.geonames_id == SHYMKENT
    assert Organization.objects.get(key="osce").place.name_in("ru") == "Вена"


def test_a_city_nobody_knows_is_imported_as_written_with_a_warning_naming_the_row(write_csv):
    sheets = small_network()
    sheets["trainings"][2][6] = "Zzyzx"
    result = import_workbook(write_csv(sheets))
    assert result.ok
    warning = next(w for w in result.warnings if w.column == "city")
    assert (warning.sheet, warning.row) == ("trainings", 3) and "Zzyzx" in warning.message
    assert Training.objects.get(key="sd-1").place is None


def test_a_bad_row_still_gets_its_message_and_nothing_is_written(write_csv):
    sheets = small_network()
    sheets["trainings"][2][2] = "webinar"
    places_before = Place.objects.count()
    result = import_workbook(write_csv(sheets))
    assert not result.ok
    assert [(e.sheet, e.row, e.column) for e in result.errors] == [("trainings", 3, "kind")]
    assert Place.objects.count() == places_before and not Training.objects.filter(key="sd-1").exists()


def test_the_training_form_points_the_training_at_the_place_its_city_names(admin_client, db):
    from tests.web.test_workflows import _training_post

    response = admin_client.post("/trainings/new/", _training_post(city="Алма-Ата", title_text="Almaty 2024"))
    training = Training.objects.get(city="Алма-Ата")
    assert response.status_code == 302 and training.place.geonames_id == ALMATY
    page = admin_client.get(f"/trainings/{training.pk}/", HTTP_ACCEPT_LANGUAGE="kk").content.decode()
    assert "Алматы" in page


def test_a_reported_step_down_gets_the_place_its_town_names(alice):
    from cascade.network.models import Country
    from cascade.web.services import report_step_down

    trainer = Person.objects.create(key="t-1", full_name="Trainer One", country_id="KG")
    training = report_step_down(alice, trainer=trainer, start_date=datetime.date(2020, 5, 1),
                                country=Country.objects.get(code="KG"), city="Ош", women=3, men=1)
    assert training.place.geonames_id == 1527534 and training.city == "Ош"
    assert training.place.name_in("ar") == "أوش"


def test_the_city_box_lists_the_countrys_places_in_the_pages_language(client, alice):
    client.force_login(alice)
    page = client.get("/places/?country=KG", HTTP_ACCEPT_LANGUAGE="ky").content.decode()
    assert '<option value="Бишкек">' in page and '<option value="Өзгөн">' in page
    page = client.get("/places/?country=KG", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert '<option value="بيشكك">' in page
    form = client.get("/trainings/new/").content.decode()
    assert 'list="places-city"' in form and 'hx-get="/places/"' in form


def test_the_trainings_list_and_its_download_name_the_place_in_the_readers_language(client, alice, create_training):
    training = create_training(city="Chimkent", country_id="KZ")
    locate(operator(), training)
    training.save()
    client.force_login(alice)
    page = client.get("/trainings/", HTTP_ACCEPT_LANGUAGE="kk").content.decode()
    assert "Шымкент, Қазақстан" in page and "Chimkent" not in page
    download = client.get("/trainings/?format=csv", HTTP_ACCEPT_LANGUAGE="ar").content.decode("utf-8-sig")
    assert "شيمكنت" in download


# --- The API ---------------------------------------------------------------------------


def test_the_api_gives_the_place_in_the_request_language_and_keeps_the_city(alice, create_training):
    from tests.api.test_api import api, make_token

    training = create_training(key="sh-2019", city="Chimkent", country_id="KZ")
    locate(operator(), training)
    training.save()
    token = make_token("alice")
    rows = api(token, "/api/v1/trainings", HTTP_ACCEPT_LANGUAGE="ru").json()["results"]
    row = next(r for r in rows if r["key"] == "sh-2019")
    assert row["city"] == "Chimkent"
    assert row["place"]["name"] == "Шымкент" and row["place"]["geonames_id"] == SHYMKENT
    assert row["place"]["names"]["kk"] == "Шымкент" and row["place"]["names"]["ar"] == "شيمكنت"


# --- Erasure --------------------------------------------------------------------------------


def test_erasing_a_person_clears_her_place_and_keeps_the_place(create_person):
    from cascade.access.services import erase_person

    person = create_person(city="Shymkent", country_id="KZ")
    locate(operator(), person)
    person.save()
    erase_person(person, operator())
    person.refresh_from_db()
    assert person.place is None and person.city == ""
    assert Place.objects.filter(geonames_id=SHYMKENT).exists()
