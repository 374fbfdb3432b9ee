"""Story sentences, one writer per language.

Sentences are written per language rather than through gettext because their
grammar depends on the facts: Russian ordinals agree with the noun in gender and
nouns with the number, Kazakh and Kyrgyz suffixes follow the number's last vowel,
places and countries take a case. A case form comes from a table (the place's own
``forms``, ``cascade.lib.names.country_case``), never from an ending glued to a name:
where a form is not known the sentence is built so that the nominative fits
(«в городе Шымкент», «Страны участниц: Казахстан, Грузия.»). Dates are written here
from month tables, not through the locale's DATE_FORMAT. Each writer returns plain
text: a title line, then paragraphs separated by blank lines, then one
``[photo ID] caption`` line per publishable photo.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import translation
from django.utils.formats import date_format

from cascade.lib.names import language_name
from cascade.lib.numbers import decimal_text, duration, more_than, ordinal, plural, round_for_writers, with_article

PHOTO_PREFIX = "[photo "

_RU_MONTHS_PREP = ("январе феврале марте апреле мае июне июле августе сентябре октябре ноябре "
                   "декабре").split()
_RU_MONTHS_GEN = ("января февраля марта апреля мая июня июля августа сентября октября ноября "
                  "декабря").split()
_KK_MONTHS = "қаңтар ақпан наурыз сәуір мамыр маусым шілде тамыз қыркүйек қазан қараша желтоқсан".split()
_KK_MONTHS_LOC = ("қаңтарда ақпанда наурызда сәуірде мамырда маусымда шілдеде тамызда қыркүйекте қазанда "
                  "қарашада желтоқсанда").split()
_KY_MONTHS = "январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь".split()
_KY_MONTHS_LOC = ("январында февралында мартында апрелинде майында июнунда июлунда августунда сентябрында "
                  "октябрында ноябрында декабрында").split()
_KY_MONTHS_POSS = ("январы февралы марты апрели майы июну июлу августу сентябры октябры ноябры "
                   "декабры").split()

# Region names in the case each sentence needs ("in Central Asia").
REGION_IN = {
    "143": {"en": "Central Asia", "ru": "Центральной Азии", "kk": "Орталық Азияда", "ky": "Борбордук Азияда"},
    "145": {"en": "Western Asia", "ru": "Западной Азии", "kk": "Батыс Азияда", "ky": "Батыш Азияда"},
}
CHAMBERS = {
    "en": {"upper": "the upper chamber", "lower": "the lower or single chamber", "both": "parliament", "": "parliament"},
    # Russian: the chamber in the prepositional, followed by "парламента <country>"; "" is the whole parliament
    "ru": {"upper": "верхней палате", "lower": "нижней (или единственной) палате", "both": "", "": ""},
    "kk": {"upper": "жоғарғы палатасындағы", "lower": "төменгі палатасындағы", "both": "", "": ""},
    "ky": {"upper": "жогорку палатасындагы", "lower": "төмөнкү палатасындагы", "both": "", "": ""},
}
CHAMBER_NAMES = {  # proper names where the network works; "ru-prep" after «в»
    ("KZ", "upper"): {"en": "Senate", "ru": "Сенат", "ru-prep": "Сенате", "kk": "Сенат", "ky": "Сенат"},
    ("KZ", "lower"): {"en": "Mazhilis", "ru": "Мажилис", "ru-prep": "Мажилисе", "kk": "Мәжіліс", "ky": "Мажилис"},
    ("KG", "lower"): {"en": "Jogorku Kenesh", "ru": "Жогорку Кенеш", "ru-prep": "Жогорку Кенеше",
                      "kk": "Жоғарғы Кеңес", "ky": "Жогорку Кеңеш"},
    ("UZ", "lower"): {"en": "Legislative Chamber", "ru": "Законодательная палата", "ru-prep": "Законодательной палате",
                      "kk": "Заң шығарушы палата", "ky": "Мыйзам чыгаруу палатасы"},
}
# Sources of the context figures, named in the story's language (else as the source names itself).
SOURCE_NAMES = {
    "Inter-Parliamentary Union": {"ru": "Межпарламентский союз", "kk": "Парламентаралық одақ",
                                  "ky": "Парламенттер аралык союз"},
    "United Nations SDG database": {"ru": "База данных ЦУР ООН", "kk": "БҰҰ ТДМ дерекқоры",
                                    "ky": "БУУнун ТӨМ маалымат базасы"},
}
AND = {"en": "and", "ru": "и", "kk": "және", "ky": "жана"}


def join(items: list[str], lang: str) -> str:
    items = [item for item in items if item]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {AND[lang]} " + items[-1]


def kazakh_and(word: str) -> str:
    """Kazakh "and" between two nouns, by the first one's last sound: мен after a vowel or
    a sonorant (Қазақстан мен Грузия), бен after ж and з (Тараз бен Шымкент), пен after a
    voiceless consonant (Бішкек пен Алматы)."""
    letters = [c for c in word.lower() if c.isalpha() and c not in "ьъ"]
    last = letters[-1] if letters else ""
    if last in "жз":
        return "бен"
    if last in "бвгғдкқпстфхһцчшщ":
        return "пен"
    return "мен"


def joined_in_case(names: list[str], last_in_case: str, lang: str) -> str:
    """Kazakh and Kyrgyz decline only the last of joined nouns: "Қазақстан мен Грузиядан",
    "Казакстан менен Грузиядан", "Қазақстан, Қырғызстан және Грузиядан"."""
    if len(names) == 1:
        return last_in_case
    if len(names) == 2:
        conjunction = kazakh_and(names[0]) if lang == "kk" else "менен"
        return f"{names[0]} {conjunction} {last_in_case}"
    return ", ".join(names[:-1]) + f" {AND[lang]} {last_in_case}"


# Languages whose sentences decline nouns: after "в партнёрстве с" a full name would need
# its case, so the short name (indeclinable) carries the grammar and the full name follows.
SHORT_NAME_FIRST = {"ru", "kk", "ky"}


def organisation(org: dict | None, lang: str = "en") -> str:
    if not org:
        return ""
    name, short = org["name"], org.get("short_name")
    if not short or short == name:
        return name
    return f"{short} ({name})" if lang in SHORT_NAME_FIRST else f"{name} ({short})"


def quoted(titles: list[str], lang: str) -> list[str]:
    return [f"“{t}”" if lang == "en" else f"«{t}»" for t in titles]


def full_date(value: str, lang: str) -> str:
    """A day as the language writes it in running text: "1 января 2019 г.", "2019 жылғы 1 қаңтар",
    "2019-жылдын 1-январы" (from the tables here, whatever the locale's DATE_FORMAT says)."""
    day, base = datetime.date.fromisoformat(value), lang.lower().split("-")[0]
    if base == "ru":
        return f"{day.day} {_RU_MONTHS_GEN[day.month - 1]} {day.year} г."
    if base == "kk":
        return f"{day.year} жылғы {day.day} {_KK_MONTHS[day.month - 1]}"
    if base == "ky":
        return f"{day.year}-жылдын {day.day}-{_KY_MONTHS_POSS[day.month - 1]}"
    with translation.override(lang):
        return date_format(day, "DATE_FORMAT")


def month_of(value: str, lang: str) -> str:
    """ "in January 2019": "в январе 2019 года", "2019 жылғы қаңтарда", "2019-жылдын январында"."""
    day = datetime.date.fromisoformat(value)
    if lang == "ru":
        return f"в {_RU_MONTHS_PREP[day.month - 1]} {day.year} года"
    if lang == "kk":
        return f"{day.year} жылғы {_KK_MONTHS_LOC[day.month - 1]}"
    if lang == "ky":
        return f"{day.year}-жылдын {_KY_MONTHS_LOC[day.month - 1]}"
    return f"in {day:%B} {day.year}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _photo_lines(facts: dict) -> list[str]:
    """One line per photo; a caption written only in another language says which, in brackets
    ("… (орыс тілі)"), as the titles' note does for titles."""
    lang = facts.get("language", "en")
    lines = []
    for photo in facts["photos"]:
        caption = photo["caption"]
        if caption and photo.get("caption_language"):
            caption = f"{caption} ({language_name(photo['caption_language'], lang)})"
        lines.append(f"{PHOTO_PREFIX}{photo['id']}] {caption}".rstrip())
    return lines


def _compose(title: str, paragraphs: list[str], facts: dict) -> str:
    body = [title, *[p for p in paragraphs if p]]
    photos = _photo_lines(facts)
    return "\n\n".join(body + (["\n".join(photos)] if photos else [])) + "\n"


def _chamber_name(indicator: dict, lang: str) -> str:
    return CHAMBER_NAMES.get((indicator["country"], indicator["chamber"]), {}).get(lang, "")


def _indicators(facts: dict) -> list[dict]:
    """Each chamber's latest value (drafts saved before there could be several hold one)."""
    return facts.get("indicators") or ([facts["indicator"]] if facts.get("indicator") else [])


def _percent(indicator: dict, lang: str) -> str:
    """27.103 is written 27.1: a share of seats needs no more than one decimal."""
    return decimal_text(round(Decimal(str(indicator["value"])), 1), lang)


def _source(indicator: dict, lang: str) -> str:
    name = SOURCE_NAMES.get(indicator["source_name"], {}).get(lang, indicator["source_name"])
    return f"{name}, {full_date(indicator['date'], lang)}; {indicator['source_url']} ({indicator['licence']})"


def _sources(items: list[dict], lang: str, one: str, many: str) -> str:
    sources = list(dict.fromkeys(_source(i, lang) for i in items))
    return f"{one if len(sources) == 1 else many}: {'; '.join(sources)}."


def _place(facts: dict) -> str:
    """The place in the story's language (drafts saved before places had one hold the typed city)."""
    return (facts.get("place") or {}).get("name") or facts.get("city", "")


def _place_form(facts: dict, case: str) -> str:
    return ((facts.get("place") or {}).get("forms") or {}).get(case, "")


def _country_case(facts: dict, code: str, case: str) -> str:
    return ((facts.get("country_cases") or {}).get(code) or {}).get(case, "")


# Said once when a title had to be taken from another language (facts["titles_note"]).
TITLES_NOTE = {
    "en": {"manual": "The manual has no edition in English; titles are given in {source}.",
           "manuals": "The manuals have no edition in English; titles are given in {source}.",
           "titles": "Some titles have no English version; they are given in {source}.",
           "ru": "Russian", "": "another language"},
    "ru": {"manual": "У пособия нет издания на русском языке; названия даны {source}.",
           "manuals": "У пособий нет издания на русском языке; названия даны {source}.",
           "titles": "Некоторых названий нет на русском языке; они даны {source}.",
           "en": "на английском языке", "": "на другом языке"},
    "kk": {"manual": "Оқу құралының қазақ тіліндегі басылымы жоқ; атаулар {source} берілген.",
           "manuals": "Оқу құралдарының қазақ тіліндегі басылымы жоқ; атаулар {source} берілген.",
           "titles": "Кейбір атаулардың қазақ тіліндегі нұсқасы жоқ; олар {source} берілген.",
           "ru": "орыс тілінде", "en": "ағылшын тілінде", "": "басқа тілде"},
    "ky": {"manual": "Окуу куралынын кыргыз тилиндеги басылышы жок; аталыштар {source} берилди.",
           "manuals": "Окуу куралдарынын кыргыз тилиндеги басылышы жок; аталыштар {source} берилди.",
           "titles": "Айрым аталыштардын кыргыз тилиндеги нускасы жок; алар {source} берилди.",
           "ru": "орус тилинде", "en": "англис тилинде", "": "башка тилде"},
}


def titles_note(facts: dict, lang: str) -> str:
    note = facts.get("titles_note")
    if not note:
        return ""
    words = TITLES_NOTE[lang]
    kind = ("manual" if note.get("manuals", 1) == 1 else "manuals") if note.get("no_edition") else "titles"
    return words[kind].format(source=words.get(note.get("from", ""), words[""]))


def english(facts: dict) -> str:
    lang, f = "en", facts["figures"]
    countries = facts["country_names"]
    host = organisation(facts["host"]) or "a partner of the network"
    where = ", ".join(x for x in (_place(facts), countries[facts["country"]]) if x)
    opening = (f"{_capital(month_of(facts['start_date'], lang))}, {host} hosted "
               f"{with_article(duration(facts['days'], lang))} training in {where}")
    if facts["co_organisers"]:
        opening += f", in partnership with {join([organisation(o) for o in facts['co_organisers']], lang)}"
    opening += "."
    if facts["participant_countries"]:
        opening += (" Experienced activists took part from "
                    f"{join([countries[c] for c in facts['participant_countries']], lang)}.")
    agenda = []
    if facts["sessions"]:
        agenda.append(f"The sessions covered {join([s[0].lower() + s[1:] for s in facts['sessions']], lang)}.")
    if facts["manuals"]:
        n = facts["manual_languages"]
        noun = "manual" if len(facts["manuals"]) == 1 else "manuals"
        exists = "exists" if len(facts["manuals"]) == 1 else "exist"
        agenda.append(f"The curriculum drew on the {noun} {join(quoted(facts['manuals'], lang), lang)}, "
                      f"which {exists} in {n} {plural(n, lang, 'language', 'languages')}.")
    agenda.append(titles_note(facts, lang))
    place = []
    if f["ordinal"]:
        region = REGION_IN.get(f["region"], {}).get(lang) or f["region_name"] or countries[facts["country"]]
        place.append(f"This was the {ordinal(f['ordinal'], lang)} such event in {region} since {f['first_year']}.")
    if f["activists"]:
        place.append(
            f"By then, {more_than(f['activists'], lang)} {plural(f['activists'], lang, 'activist', 'activists')} "
            f"had taken part in these training institutes, and they have gone on to hold "
            f"{more_than(f['step_downs'], lang, 'over')} step-down "
            f"{plural(f['step_downs'], lang, 'training', 'trainings')}, passing on what they learnt to "
            "women and men in their own communities."
        )
    context = ""
    if items := _indicators(facts):
        parts = []
        for i in items:
            name = _chamber_name(i, lang)
            chamber = CHAMBERS[lang][i["chamber"]] + (f" ({name})" if name else "")
            parts.append(f"{_percent(i, lang)}% of the seats in {chamber}")
        context = (f"At the time, women held {join(parts, lang)} of the parliament of "
                   f"{countries[items[0]['country']]}. {_sources(items, lang, 'Source', 'Sources')}")
    return _compose(facts["title"] or host, [opening, " ".join(a for a in agenda if a), " ".join(place), context],
                    facts)


def _ru_in(word: str) -> str:
    """«в», or «во» before в or ф and a consonant (во Владимире, во Франции)."""
    head = word[:2].lower()
    return "во" if len(head) == 2 and head[0] in "вф" and head[1] not in "аеёиоуыэюя" else "в"


def _ru_counted(n: int, exact: bool, forms: tuple[str, str, str], genitive_one: str) -> str:
    """The noun after a number: «21 каскадный тренинг», «2 каскадных тренинга», «5 каскадных
    тренингов»; after «более»/«свыше» (``exact`` false) the genitive: «более 21 каскадного тренинга»."""
    if exact:
        return plural(n, "ru", *forms)
    return plural(n, "ru", genitive_one, forms[2], forms[2])


def russian(facts: dict) -> str:
    lang, f = "ru", facts["figures"]
    countries = facts["country_names"]
    country = countries[facts["country"]]
    host = organisation(facts["host"], lang)
    city, prep = _place(facts), _place_form(facts, "prep")
    if prep:
        where = f"{_ru_in(prep)} {prep} ({country})"
    elif city:  # a name whose case is not known stays in the nominative, after «город»
        where = f"в городе {city} ({country})"
    elif country_prep := _country_case(facts, facts["country"], "prep"):
        where = f"{_ru_in(country_prep)} {country_prep}"
    else:
        where = f"в стране {country}"
    opening = f"{_capital(month_of(facts['start_date'], lang))} {where} прошёл {duration(facts['days'], lang)} тренинг."
    partners = [organisation(o, lang) for o in facts["co_organisers"]]
    who = []
    if host:
        who.append(f"Организатор — {host}")
    if partners:
        who.append(f"{'партнёр' if len(partners) == 1 else 'партнёры'} — {join(partners, lang)}")
    if who:
        opening += f" {_capital('; '.join(who))}."
    if codes := facts["participant_countries"]:
        origins = [_country_case(facts, c, "gen") for c in codes]
        if all(origins):
            opening += f" В нём участвовали опытные активистки и активисты из {join(origins, lang)}."
        else:
            opening += f" Страны участниц: {', '.join(countries[c] for c in codes)}."
    agenda = []
    if facts["sessions"]:
        agenda.append(f"Темы сессий: {join(quoted(facts['sessions'], lang), lang)}.")
    if facts["manuals"]:
        n, one = facts["manual_languages"], len(facts["manuals"]) == 1
        agenda.append(f"Программа была построена на {'пособии' if one else 'пособиях'} "
                      f"{join(quoted(facts['manuals'], lang), lang)}; {'оно издано' if one else 'они изданы'} "
                      f"на {n} {plural(n, lang, 'языке', 'языках', 'языках')}.")
    agenda.append(titles_note(facts, lang))
    place = []
    if f["ordinal"]:
        region = REGION_IN.get(f["region"], {}).get(lang)
        region = f"в {region}" if region else f"в регионе «{f['region_name'] or country}»"
        place.append(f"Это был {ordinal(f['ordinal'], lang, 'm')} такой институт {region} "
                     f"с {f['first_year']} года.")
    if f["activists"]:
        shown, more = round_for_writers(f["activists"])
        done, more_done = round_for_writers(f["step_downs"])
        took_part = "принял" if not more and plural(shown, lang, "1", "2", "5") == "1" else "приняли"
        then = "затем он провёл" if not more and shown == 1 else "затем они провели"  # one activist: he
        place.append(
            f"К этому времени в таких институтах {took_part} участие {more_than(f['activists'], lang)} "
            f"{_ru_counted(shown, not more, ('активист', 'активиста', 'активистов'), 'активиста')}; {then} "
            f"{more_than(f['step_downs'], lang, 'over')} "
            f"{_ru_counted(done, not more_done, ('каскадный тренинг', 'каскадных тренинга', 'каскадных тренингов'), 'каскадного тренинга')} "
            "для женщин и мужчин в своих сообществах."
        )
    context = ""
    if items := _indicators(facts):
        code = items[0]["country"]
        genitive = _country_case(facts, code, "gen")
        parts = []
        for index, i in enumerate(items):
            chamber = CHAMBERS[lang][i["chamber"]]
            of = f" парламента {genitive}" if genitive else " парламента"
            if index == 0:
                phrase = f"{chamber}{of}" if chamber else f"парламенте{of[len(' парламента'):]}"
            else:
                phrase = chamber or "парламенте"
            name = CHAMBER_NAMES.get((i["country"], i["chamber"]), {}).get("ru-prep", "")
            parts.append(f"{_percent(i, lang)}% мест в {phrase}" + (f" ({name})" if name else ""))
        when = "Тогда" if genitive else f"Тогда в стране {countries[code]}"
        context = f"{when} женщины занимали {join(parts, lang)}. {_sources(items, lang, 'Источник', 'Источники')}"
    return _compose(facts["title"] or host, [opening, " ".join(a for a in agenda if a), " ".join(place), context],
                    facts)


# Kazakh and Kyrgyz share their sentence shapes; only the words differ.
TURKIC = {
    "kk": {
        # partners in a sentence of their own: "X серіктестігімен" repeats a name that ends in "серіктестігі"
        "city": "{} қаласында", "partners": "", "partners_after": " Серіктес ұйымдар: {}.",
        "held": "{when} {host} {where}{duration} тренинг өткізді{country}.",
        "held_no_host": "{when} {where}{duration} тренинг өтті{country}.",
        "from": " Тренингке {} келген тәжірибелі белсенділер қатысты.",
        "countries": " Тренингке тәжірибелі белсенділер қатысты. Қатысушылардың елдері: {}.",
        "sessions": "Сессиялардың тақырыптары: {}.",
        "manual": "Бағдарлама {manuals} оқу құралына негізделді; бұл құрал {n} тілде жарық көрген.",
        "manuals": "Бағдарлама {manuals} оқу құралдарына негізделді; бұл құралдар {n} тілде жарық көрген.",
        "region": "«{}» өңірінде", "since": "{} жылдан бері",
        "place": "Бұл {since} {region} өткен осындай {ordinal} институт болды.",
        "figures": "Осы уақытқа дейін мұндай институттарға {activists} белсенді қатысты, кейін олар өз "
                   "қауымдастықтарында әйелдер мен ерлер үшін {step_downs} каскадтық тренинг өткізді.",
        "parliament": "{} парламентінің", "parliament_all": "{} парламентіндегі",
        "seats": "орындардың {}%",
        "context": "Сол кезде {parts} әйелдерге тиесілі болды. {sources}",
        "source": ("Дереккөз", "Дереккөздер"),
    },
    "ky": {
        "city": "{} шаарында", "partners": "{} менен биргеликте ", "partners_after": "",
        "held": "{when} {host} {partners}{where}{duration} тренинг өткөрдү{country}.",
        "held_no_host": "{when} {partners}{where}{duration} тренинг өттү{country}.",
        "from": " Тренингге {} келген тажрыйбалуу активисттер катышты.",
        "countries": " Тренингге тажрыйбалуу активисттер катышты. Катышуучулардын өлкөлөрү: {}.",
        "sessions": "Сессиялардын темалары: {}.",
        "manual": "Программа {manuals} окуу куралына негизделген; бул курал {n} тилде жарык көргөн.",
        "manuals": "Программа {manuals} окуу куралдарына негизделген; бул куралдар {n} тилде жарык көргөн.",
        "region": "«{}» аймагында", "since": "{}-жылдан бери",
        "place": "Бул {since} {region} өткөн ушундай {ordinal} институт болду.",
        "figures": "Ушул убакка чейин мындай институттарга {activists} активист катышты, андан кийин алар өз "
                   "жамааттарында аялдар жана эркектер үчүн {step_downs} каскаддык тренинг өткөрүштү.",
        "parliament": "{} парламентинин", "parliament_all": "{} парламентиндеги",
        "seats": "орундардын {}%",
        "context": "Ошол учурда {parts} аялдарга таандык болчу. {sources}",
        "source": ("Булак", "Булактар"),
    },
}


def turkic(facts: dict, lang: str) -> str:
    words, f = TURKIC[lang], facts["figures"]
    countries = facts["country_names"]
    country = countries[facts["country"]]
    host = organisation(facts["host"], lang)
    partners = join([organisation(o, lang) for o in facts["co_organisers"]], lang)
    partners_after = words["partners_after"].format(partners) if partners and words["partners_after"] else ""
    partners = words["partners"].format(partners) if partners and words["partners"] else ""
    # "Шымкент қаласында (Қазақстан)", else "Қазақстанда", else "... өткізді (Қазақстан)."
    where, after = "", ""
    if city := _place(facts):
        where = f"{words['city'].format(city)} ({country}) "
    elif located := _country_case(facts, facts["country"], "loc"):
        where = f"{located} "
    else:
        after = f" ({country})"
    opening = words["held" if host else "held_no_host"].format(
        when=month_of(facts["start_date"], lang), host=host, partners=partners, where=where,
        duration=duration(facts["days"], lang), country=after,
    ) + partners_after
    if codes := facts["participant_countries"]:
        last = _country_case(facts, codes[-1], "abl")
        names = [countries[c] for c in codes]
        opening += words["from"].format(joined_in_case(names, last, lang)) if last \
            else words["countries"].format(", ".join(names))
    agenda = []
    if facts["sessions"]:
        agenda.append(words["sessions"].format(join(quoted(facts["sessions"], lang), lang)))
    if facts["manuals"]:
        agenda.append(words["manual" if len(facts["manuals"]) == 1 else "manuals"].format(
            manuals=join(quoted(facts["manuals"], lang), lang), n=facts["manual_languages"]))
    agenda.append(titles_note(facts, lang))
    place = []
    if f["ordinal"]:
        region = REGION_IN.get(f["region"], {}).get(lang) or words["region"].format(f["region_name"] or country)
        place.append(words["place"].format(since=words["since"].format(f["first_year"]), region=region,
                                           ordinal=ordinal(f["ordinal"], lang)))
    if f["activists"]:
        place.append(words["figures"].format(activists=more_than(f["activists"], lang),
                                             step_downs=more_than(f["step_downs"], lang)))
    context = ""
    if items := _indicators(facts):
        parts = []
        for index, i in enumerate(items):
            chamber, name = CHAMBERS[lang][i["chamber"]], _chamber_name(i, lang)
            if index == 0:
                owner = countries[i["country"]]
                chamber = f"{words['parliament'].format(owner)} {chamber}" if chamber \
                    else words["parliament_all"].format(owner)
            parts.append(" ".join(x for x in (chamber, f"({name})" if name else "",
                                              words["seats"].format(_percent(i, lang))) if x))
        context = words["context"].format(parts=join(parts, lang), sources=_sources(items, lang, *words["source"]))
    return _compose(facts["title"] or host, [opening, " ".join(a for a in agenda if a), " ".join(place), context],
                    facts)


def kazakh(facts: dict) -> str:
    return turkic(facts, "kk")


def kyrgyz(facts: dict) -> str:
    return turkic(facts, "ky")


WRITERS = {"en": english, "ru": russian, "kk": kazakh, "ky": kyrgyz}
