"""Stories and the donor report in Russian, Kazakh and Kyrgyz read as a person writes them:
places and organisations in the language, countries in their case, numbers agreeing with nouns,
and a word where a title had to be taken from another language."""

import datetime
import re

import pytest

from cascade.lib.names import country_case
from cascade.metrics.filters import Filters
from cascade.network.models import Organization, Place
from cascade.stories import report, services, writers
from cascade.stories.facts import organisation_names
from cascade.trainings.models import Training

# The demo's institute cities as the gazetteer names them in Russian, Kazakh and Kyrgyz.
CITIES = {
    "Shymkent": ("Шымкент", "Шымкент", "Шымкент"), "Bishkek": ("Бишкек", "Бішкек", "Бишкек"),
    "Almaty": ("Алматы", "Алматы", "Алматы"), "Osh": ("Ош", "Ош", "Ош"),
    "Turkestan": ("Туркестан", "Түркістан", "Түркстан"), "Taraz": ("Тараз", "Тараз", "Тараз"),
    "Karakol": ("Каракол", "Қаракөл", "Каракол"), "Jalal-Abad": ("Джалал-Абад", "Жалалабад", "Жалал-Абад"),
    "Astana": ("Астана", "Астана", "Астана"), "Kyzylorda": ("Кызылорда", "Қызылорда", "Кызылорда"),
}
ORGANISATIONS = {
    "swrc": ({"ru": "Шымкентский женский ресурсный центр", "kk": "Шымкент әйелдер ресурстық орталығы",
              "ky": "Шымкент аялдар ресурстук борбору"}, {}),
    "wlp": ({"ru": "Партнёрство за обучение женщин", "kk": "Әйелдерді оқыту серіктестігі",
             "ky": "Аялдарды окутуу өнөктөштүгү"}, {}),
    "bir-duino": ({"ru": "Бир Дуйно", "kk": "Бір Дүйне", "ky": "Бир Дүйнө"},
                  {"ru": "Бир Дуйно", "kk": "Бір Дүйне", "ky": "Бир Дүйнө"}),
}


@pytest.fixture
def shymkent(demo, db):
    """The Shymkent institute with its place chosen (rolled back after each test)."""
    place = Place.objects.filter(pk=demo.place_id).first() or Place.objects.create(country_id="KZ", name="Shymkent")
    place.names = {**place.names, "ru": "Шымкент", "kk": "Шымкент", "ky": "Шымкент"}
    place.forms = {"ru": {"prep": "Шымкенте"}}
    place.save()  # the demo's place, from the gazetteer
    Training.objects.filter(pk=demo.pk).update(place=place)
    return Training.objects.get(pk=demo.pk)


@pytest.fixture
def named_network(shymkent):
    """Every institute at a place, every host and co-organiser named in ru, kk and ky."""
    for city, (ru, kk, ky) in CITIES.items():
        training = Training.objects.filter(city=city, place__isnull=False).first()  # the demo gives each its place
        place = training.place if training else Place.objects.create(
            name=city, country_id=Training.objects.filter(city=city).values_list("country_id", flat=True).first() or "KZ")
        place.names = {**place.names, "ru": ru, "kk": kk, "ky": ky}
        place.save()
        Training.objects.filter(city=city).update(place=place)
    for key, (names, short_names) in ORGANISATIONS.items():
        Organization.objects.filter(key=key).update(names=names, short_names=short_names)
    return Training.objects.get(pk=shymkent.pk)


def story(training, lang):
    return services.write(training, lang)[0]


# --- the reviewers' sentences ---------------------------------------------------------

def test_russian_story_puts_place_countries_and_parliament_in_their_case(shymkent):
    text = story(shymkent, "ru")
    assert "В январе 2019 года в Шымкенте (Казахстан) прошёл трёхдневный тренинг." in text
    assert "В нём участвовали опытные активистки и активисты из Казахстана и Грузии." in text
    assert "Тогда женщины занимали 6% мест в верхней палате парламента Казахстана (Сенате)." in text
    assert "Это был шестнадцатый такой институт в Центральной Азии с 2014 года." in text
    assert "Источник: Межпарламентский союз, 1 января 2019 г.;" in text
    assert "в Shymkent" not in text and "(Shymkent," not in text and "из стран" not in text


def test_a_russian_place_without_a_known_case_stays_in_the_nominative_after_gorod(shymkent):
    shymkent.place.forms = {}
    shymkent.place.save()
    assert "В январе 2019 года в городе Шымкент (Казахстан) прошёл трёхдневный тренинг." in story(shymkent, "ru")


def test_kazakh_story_says_where_and_from_where_as_a_person_would(shymkent):
    text = story(shymkent, "kk")
    assert text.split("\n\n")[1].startswith("2019 жылғы қаңтарда ")
    assert "Шымкент қаласында (Қазақстан) үш күндік тренинг өткізді." in text
    assert "Тренингке Қазақстан мен Грузиядан келген тәжірибелі белсенділер қатысты." in text
    assert "Дереккөз: Парламентаралық одақ, 2019 жылғы 1 қаңтар;" in text
    assert "Қазақстан парламентінің жоғарғы палатасындағы (Сенат) орындардың 6%" in text


def test_kyrgyz_story_says_where_and_from_where_as_a_person_would(shymkent):
    text = story(shymkent, "ky")
    assert text.split("\n\n")[1].startswith("2019-жылдын январында ")
    assert "Шымкент шаарында (Казакстан) үч күндүк тренинг өткөрдү." in text
    assert "Тренингге Казакстан менен Грузиядан келген тажрыйбалуу активисттер катышты." in text
    assert "Булак: Парламенттер аралык союз, 2019-жылдын 1-январы;" in text


def test_kazakh_and_kyrgyz_stories_say_once_that_titles_are_in_russian(shymkent):
    kk, ky = story(shymkent, "kk"), story(shymkent, "ky")
    # the demo's sessions have Russian titles only; its manuals have kk and ky editions without titles
    assert kk.count("орыс тілінде берілген") == 1 and "«Этичная политика»" in kk
    assert ky.count("орус тилинде берилди") == 1
    assert "берілген" not in story(shymkent, "ru") and "given in" not in story(shymkent, "en")


def test_a_manual_without_an_edition_in_the_language_is_said_so(create_training, create_manual):
    manual = create_manual(title={"ru": "Путь к выбору", "en": "Leading to Choices"})
    training = create_training(title={"ru": "Институт"}, country_id="KZ", city="Shymkent")
    training.manuals.add(manual)
    assert "Оқу құралының қазақ тіліндегі басылымы жоқ; атаулар орыс тілінде берілген." in story(training, "kk")
    assert "Окуу куралынын кыргыз тилиндеги басылышы жок; аталыштар орус тилинде берилди." in story(training, "ky")
    assert "given in" not in story(training, "en") or "English" in story(training, "en")


# --- no Latin-script place or organisation name ---------------------------------------

ALLOWED = re.compile(r"https?://\S+|CC BY[-A-Z]*|\[photo \d+\]")


def latin_words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z]{3,}", ALLOWED.sub(" ", text))


@pytest.mark.parametrize("lang", ["ru", "kk", "ky"])
def test_the_shymkent_story_names_no_place_or_organisation_in_latin_script(named_network, lang):
    assert latin_words(story(named_network, lang)) == []


def test_an_organisation_without_a_name_in_the_language_keeps_its_own():
    swrc = Organization(key="swrc", name="Shymkent Women's Resource Center", short_name="SWRC")
    assert organisation_names(swrc, "ru") == ("Shymkent Women's Resource Center", "SWRC")
    swrc.names = {"ru": "Шымкентский женский ресурсный центр"}
    # a Latin acronym does not stand beside a Russian name
    assert organisation_names(swrc, "ru") == ("Шымкентский женский ресурсный центр", "")
    swrc.short_names = {"ru": "ШЖРЦ"}
    assert organisation_names(swrc, "ru") == ("Шымкентский женский ресурсный центр", "ШЖРЦ")


@pytest.mark.parametrize("lang", ["ru", "kk", "ky"])
def test_the_2014_2019_report_names_places_and_hosts_in_the_language(named_network, lang):
    donor_report = report.build(Filters.parse(since="2014-01-01", until="2019-12-31"), lang)
    institutes = next(t for t in donor_report.tables if t.key == "institutes")
    assert len(institutes.rows) == 16
    places = [row[1] for row in institutes.rows]
    assert places[0] == {"ru": "Шымкент, Казахстан", "kk": "Шымкент, Қазақстан", "ky": "Шымкент, Казакстан"}[lang]
    cells = [donor_report.title, donor_report.subtitle, *[report._text(c, lang) for t in donor_report.tables
                                                          for row in [t.header, *t.rows] for c in row]]
    assert latin_words(" ".join(cells)) == []
    assert ". ." not in donor_report.subtitle and ".." not in donor_report.subtitle


# --- countries in their case, numbers agreeing ------------------------------------------

def test_country_case_has_the_regions_forms_and_nothing_made_up():
    assert country_case("KZ", "ru", "gen") == "Казахстана" and country_case("GE", "ru", "gen") == "Грузии"
    assert country_case("GE", "kk", "abl") == "Грузиядан" and country_case("KZ", "kk", "loc") == "Қазақстанда"
    assert country_case("GE", "ky", "abl") == "Грузиядан" and country_case("KG", "ky", "gen") == "Кыргызстандын"
    assert country_case("FR", "ru", "gen") == "" and country_case("KZ", "xx", "gen") == ""


def facts(**overrides) -> dict:
    """The smallest facts a writer reads (what facts.gather saves with a draft)."""
    base = {
        "title": "Институт", "start_date": "2019-01-22", "days": 3, "city": "Shymkent",
        "place": {"name": "Шымкент", "forms": {}}, "country": "KZ",
        "country_names": {"KZ": "Казахстан", "GE": "Грузия", "FR": "Франция"},
        "country_cases": {"KZ": {"gen": "Казахстана", "prep": "Казахстане"}, "GE": {"gen": "Грузии"}},
        "host": None, "co_organisers": [], "participant_countries": ["KZ", "GE"], "sessions": [],
        "manuals": [], "manual_languages": 0, "titles_note": None, "indicators": [], "photos": [],
        "figures": {"ordinal": None, "region": "143", "region_name": "", "first_year": 2014,
                    "activists": 0, "step_downs": 0},
    }
    base.update(overrides)
    return base


def ru_noun(n: int, one: str, few: str, many: str) -> str:
    """A second reading of the Russian rule, to agree with."""
    if n % 100 in (11, 12, 13, 14):
        return many
    return {1: one, 2: few, 3: few, 4: few}.get(n % 10, many)


@pytest.mark.parametrize("n", range(1, 31))
def test_russian_counts_agree_with_their_nouns(n):
    figures = {**facts()["figures"], "activists": n, "step_downs": n}
    text = writers.russian(facts(figures=figures, manuals=["Путь к выбору"], manual_languages=n))
    rounded = n if n < 20 else n - n % 5  # the writers' rounding below 100: down to a multiple of 5
    more = rounded != n
    if more:  # "более 20 активистов", "свыше 25 каскадных тренингов": the genitive
        activists, trainings = f"более {rounded} активистов", f"свыше {rounded} каскадных тренингов"
    else:
        activists = f"{n} {ru_noun(n, 'активист', 'активиста', 'активистов')}"
        trainings = f"{n} {ru_noun(n, 'каскадный тренинг', 'каскадных тренинга', 'каскадных тренингов')}"
    verb = "принял участие" if not more and n % 10 == 1 and n != 11 else "приняли участие"
    assert f"{verb} {activists};" in text
    then = "затем он провёл" if n == 1 else "затем они провели"  # one activist is "he"
    assert f"; {then} {trainings} для" in text
    assert f"на {n} {ru_noun(n, 'языке', 'языках', 'языках')}." in text


@pytest.mark.parametrize("n, expected", [(1, "каскадный тренинг"), (2, "каскадных тренинга"),
                                         (5, "каскадных тренингов"), (21, "каскадный тренинг"),
                                         (24, "каскадных тренинга"), (111, "каскадных тренингов")])
def test_russian_noun_after_an_exact_number(n, expected):
    forms = ("каскадный тренинг", "каскадных тренинга", "каскадных тренингов")
    assert writers._ru_counted(n, True, forms, "каскадного тренинга") == expected
    assert writers._ru_counted(n, False, forms, "каскадного тренинга") == \
        ("каскадного тренинга" if n % 10 == 1 and n % 100 != 11 else "каскадных тренингов")


@pytest.mark.parametrize("lang", ["kk", "ky"])
def test_kazakh_and_kyrgyz_nouns_stay_singular_after_numbers(lang):
    figures = {**facts()["figures"], "activists": 3, "step_downs": 2}
    text = writers.turkic(facts(figures=figures), lang)
    assert {"kk": "3 белсенді қатысты", "ky": "3 активист катышты"}[lang] in text
    assert {"kk": "2 каскадтық тренинг өткізді", "ky": "2 каскаддык тренинг өткөрүштү"}[lang] in text


@pytest.mark.parametrize("word, expected", [
    ("Қазақстан", "мен"), ("Грузия", "мен"), ("Алматы", "мен"), ("Ақсу", "мен"), ("Орал", "мен"),
    ("Тараз", "бен"), ("Арыстанды-Қараж", "бен"), ("Бішкек", "пен"), ("Шымкент", "пен"), ("Тбилис", "пен"),
])
def test_kazakh_and_follows_the_last_sound(word, expected):
    assert writers.kazakh_and(word) == expected


def test_kazakh_declines_only_the_last_of_joined_countries():
    assert writers.joined_in_case(["Қазақстан", "Грузия"], "Грузиядан", "kk") == "Қазақстан мен Грузиядан"
    assert writers.joined_in_case(["Бішкек", "Ош"], "Оштан", "kk") == "Бішкек пен Оштан"
    assert writers.joined_in_case(["Қазақстан", "Қырғызстан", "Грузия"], "Грузиядан", "kk") == \
        "Қазақстан, Қырғызстан және Грузиядан"
    assert writers.joined_in_case(["Казакстан", "Грузия"], "Грузиядан", "ky") == "Казакстан менен Грузиядан"


def test_where_a_countrys_case_is_unknown_the_sentence_takes_the_nominative():
    text = writers.russian(facts(participant_countries=["KZ", "FR"]))
    assert "Страны участниц: Казахстан, Франция." in text and "из " not in text
    kk = writers.turkic(facts(participant_countries=["KZ", "FR"], country_names={"KZ": "Қазақстан",
                                                                                 "FR": "Франция"},
                              country_cases={}), "kk")
    assert "Қатысушылардың елдері: Қазақстан, Франция." in kk
    senate = {"country": "FR", "chamber": "upper", "value": 36.2, "date": "2019-01-01", "licence": "CC BY 4.0",
              "source_name": "Inter-Parliamentary Union", "source_url": "https://data.ipu.org"}
    text = writers.russian(facts(country="FR", place={"name": "", "forms": {}}, city="", indicators=[senate]))
    assert "прошёл трёхдневный тренинг" in text and "в стране Франция прошёл" in text
    assert "Тогда в стране Франция женщины занимали 36,2% мест в верхней палате парламента." in text


def test_dates_are_written_from_the_writers_tables():
    assert writers.full_date("2019-01-01", "kk") == "2019 жылғы 1 қаңтар"
    assert writers.full_date("2019-01-01", "ky") == "2019-жылдын 1-январы"
    assert writers.full_date("2019-01-01", "ru") == "1 января 2019 г."
    assert writers.month_of("2019-04-03", "ky") == "2019-жылдын апрелинде"
    assert writers.month_of("2019-09-03", "kk") == "2019 жылғы қыркүйекте"
    assert writers.month_of(datetime.date(2019, 1, 5).isoformat(), "ru") == "в январе 2019 года"


def test_english_story_still_reads_as_the_source(shymkent):
    text = story(shymkent, "en")
    assert "In January 2019, Shymkent Women's Resource Center (SWRC) hosted a three-day training in Shymkent, " \
           "Kazakhstan" in text
    assert "which exist in 22 languages" in text


def test_the_report_file_is_in_the_reports_language_whatever_the_callers(named_network):
    import io

    from openpyxl import load_workbook

    built = report.build(Filters.parse(since="2014-01-01", until="2019-12-31"), "ky")
    book = load_workbook(io.BytesIO(report.render(built, "xlsx")))  # called in English
    assert not latin_words(" ".join(book.sheetnames))
    assert ("Таблицалар",) in list(book.worksheets[0].iter_rows(values_only=True))


@pytest.mark.parametrize("lang", ["en", "ru", "kk", "ky"])
def test_facts_saved_before_places_and_cases_still_write(lang):
    """A draft's facts from before: the typed city, no case forms, no note on titles."""
    old = facts(city="Шымкент", country_names={"KZ": "Казахстан", "GE": "Грузия"})
    for key in ("place", "country_cases", "titles_note"):
        del old[key]
    text = writers.WRITERS[lang](old)
    assert "Шымкент" in text and "Грузия" in text
    if lang == "ru":
        assert "в городе Шымкент (Казахстан)" in text and "Страны участниц: Казахстан, Грузия." in text


def test_kazakh_partners_have_a_sentence_of_their_own(shymkent):
    text = story(shymkent, "kk")
    assert "Серіктес ұйымдар: ЕҚЫҰ (Еуропадағы қауіпсіздік және ынтымақтастық ұйымы) және Әйелдерді оқыту серіктестігі." in text
    assert "серіктестігімен" not in text


@pytest.mark.parametrize("lang, first", [("ru", "20 мая 2014 г. – 22 мая 2014 г."),
                                         ("kk", "2014 жылғы 20 мамыр – 2014 жылғы 22 мамыр"),
                                         ("ky", "2014-жылдын 20-майы – 2014-жылдын 22-майы")])
def test_the_reports_dates_are_written_as_the_stories_write_them(named_network, lang, first):
    donor_report = report.build(Filters.parse(since="2014-01-01", until="2019-12-31"), lang)
    assert next(t for t in donor_report.tables if t.key == "institutes").rows[0][0] == first
