"""Story sentences, one writer per language.

Sentences are written per language rather than through gettext because their
grammar depends on the facts: Russian ordinals agree with the noun in gender,
Kazakh and Kyrgyz suffixes follow the number's last vowel, region names take a
case. Each writer returns plain text: a title line, then paragraphs separated by
blank lines, then one ``[photo ID] caption`` line per publishable photo.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import translation
from django.utils.formats import date_format

from cascade.lib.numbers import decimal_text, duration, more_than, ordinal, plural, with_article

PHOTO_PREFIX = "[photo "

_RU_MONTHS_PREP = ("январе феврале марте апреле мае июне июле августе сентябре октябре ноябре "
                   "декабре").split()
_KK_MONTHS = "қаңтар ақпан наурыз сәуір мамыр маусым шілде тамыз қыркүйек қазан қараша желтоқсан".split()
_KY_MONTHS = "январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь".split()

# Region names in the case each sentence needs ("in Central Asia").
REGION_IN = {
    "143": {"en": "Central Asia", "ru": "Центральной Азии", "kk": "Орталық Азияда", "ky": "Борбордук Азияда"},
    "145": {"en": "Western Asia", "ru": "Западной Азии", "kk": "Батыс Азияда", "ky": "Батыш Азияда"},
}
CHAMBERS = {
    "en": {"upper": "the upper chamber", "lower": "the lower or single chamber", "both": "parliament", "": "parliament"},
    "ru": {"upper": "верхней палате парламента", "lower": "нижней (или единственной) палате парламента",
           "both": "парламенте", "": "парламенте"},
    "kk": {"upper": "парламенттің жоғарғы палатасындағы", "lower": "парламенттің төменгі палатасындағы",
           "both": "парламенттегі", "": "парламенттегі"},
    "ky": {"upper": "парламенттин жогорку палатасындагы", "lower": "парламенттин төмөнкү палатасындагы",
           "both": "парламенттеги", "": "парламенттеги"},
}
CHAMBER_NAMES = {  # proper names where the network works
    ("KZ", "upper"): {"en": "Senate", "ru": "Сенат", "kk": "Сенат", "ky": "Сенат"},
    ("KZ", "lower"): {"en": "Mazhilis", "ru": "Мажилис", "kk": "Мәжіліс", "ky": "Мажилис"},
    ("KG", "lower"): {"en": "Jogorku Kenesh", "ru": "Жогорку Кенеш", "kk": "Жоғарғы Кеңес", "ky": "Жогорку Кеңеш"},
    ("UZ", "lower"): {"en": "Legislative Chamber", "ru": "Законодательная палата",
                      "kk": "Заң шығарушы палата", "ky": "Мыйзам чыгаруу палатасы"},
}
AND = {"en": "and", "ru": "и", "kk": "және", "ky": "жана"}


def join(items: list[str], lang: str) -> str:
    items = [item for item in items if item]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {AND[lang]} " + items[-1]


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


def _date(value: str, lang: str) -> str:
    with translation.override(lang):
        return date_format(datetime.date.fromisoformat(value), "DATE_FORMAT")


def _photo_lines(facts: dict) -> list[str]:
    return [f"{PHOTO_PREFIX}{p['id']}] {p['caption']}".rstrip() for p in facts["photos"]]


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
    return f"{indicator['source_name']}, {_date(indicator['date'], lang)}; {indicator['source_url']} ({indicator['licence']})"


def english(facts: dict) -> str:
    lang, f = "en", facts["figures"]
    countries = facts["country_names"]
    start = datetime.date.fromisoformat(facts["start_date"])
    host = organisation(facts["host"]) or "a partner of the network"
    where = ", ".join(x for x in (facts["city"], countries[facts["country"]]) if x)
    opening = (f"In {start:%B} {start.year}, {host} hosted {with_article(duration(facts['days'], lang))} "
               f"training in {where}")
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
        noun = "manual" if len(facts["manuals"]) == 1 else "manuals"
        exists = "exists" if len(facts["manuals"]) == 1 else "exist"
        agenda.append(f"The curriculum drew on the {noun} {join(quoted(facts['manuals'], lang), lang)}, "
                      f"which {exists} in {facts['manual_languages']} languages.")
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
        sources = list(dict.fromkeys(_source(i, lang) for i in items))
        context = (f"At the time, women held {join(parts, lang)} of the parliament of "
                   f"{countries[items[0]['country']]}. {'Sources' if len(sources) > 1 else 'Source'}: "
                   f"{'; '.join(sources)}.")
    return _compose(facts["title"] or host, [opening, " ".join(agenda), " ".join(place), context], facts)


def russian(facts: dict) -> str:
    lang, f = "ru", facts["figures"]
    countries = facts["country_names"]
    start = datetime.date.fromisoformat(facts["start_date"])
    host = organisation(facts["host"], lang) or "Партнёр сети"
    where = ", ".join(x for x in (facts["city"], countries[facts["country"]]) if x)
    opening = (f"В {_RU_MONTHS_PREP[start.month - 1]} {start.year} года состоялся "
               f"{duration(facts['days'], lang)} семинар ({where}). Организатор — {host}")
    if facts["co_organisers"]:
        opening += f", в партнёрстве с {join([organisation(o, lang) for o in facts['co_organisers']], lang)}"
    opening += "."
    if facts["participant_countries"]:
        opening += (" В нём участвовали опытные активистки и активисты из стран: "
                    f"{join([countries[c] for c in facts['participant_countries']], lang)}.")
    agenda = []
    if facts["sessions"]:
        agenda.append(f"Темы сессий: {join(facts['sessions'], lang)}.")
    if facts["manuals"]:
        n = facts["manual_languages"]
        agenda.append(f"Программа была построена на {'пособии' if len(facts['manuals']) == 1 else 'пособиях'} "
                      f"{join(quoted(facts['manuals'], lang), lang)}; они изданы на {n} "
                      f"{plural(n, lang, 'языке', 'языках', 'языках')}.")
    place = []
    if f["ordinal"]:
        region = REGION_IN.get(f["region"], {}).get(lang)
        region = f"в {region}" if region else f"в регионе «{f['region_name'] or countries[facts['country']]}»"
        place.append(f"Это {ordinal(f['ordinal'], lang, 'n')} подобное мероприятие {region} "
                     f"с {f['first_year']} года.")
    if f["activists"]:
        activists = more_than(f["activists"], lang)
        shown = int(activists.split()[-1].replace("\xa0", "")) if activists[-1].isdigit() else f["activists"]
        step_downs = more_than(f["step_downs"], lang, "over")
        place.append(
            f"К этому времени в таких институтах приняли участие {activists} "
            f"{plural(shown, lang, 'активист', 'активиста', 'активистов')}; затем они провели "
            f"{step_downs} каскадных тренингов для женщин и мужчин в своих сообществах."
        )
    sentences = []
    for i in _indicators(facts):
        name = _chamber_name(i, lang)
        chamber = CHAMBERS[lang][i["chamber"]] + (f" ({name})" if name else "")
        sentences.append(f"Доля мест, которые занимали женщины в {chamber}, составляла тогда "
                         f"{_percent(i, lang)}% ({countries[i['country']]}). Источник: {_source(i, lang)}.")
    context = " ".join(sentences)
    return _compose(facts["title"] or host, [opening, " ".join(agenda), " ".join(place), context], facts)


# Kazakh and Kyrgyz share their sentence shapes; only the words differ.
TURKIC = {
    "kk": {
        "host": "Желі серіктесі", "months": _KK_MONTHS, "year": "{} жылдың", "since": "{} жылдан бері",
        "partners": "{} серіктестігімен ", "held": "{when} {month} айында {host} {partners}{duration} тренинг өткізді ({where}).",
        "countries": " Тренингке тәжірибелі белсенділер қатысты; олар келген елдер: {}.",
        "sessions": "Сессиялардың тақырыптары: {}.",
        "manuals": "Бағдарлама {manuals} құралдарына негізделді; бұл құралдар {n} тілде жарық көрген.",
        "region": "«{}» өңірінде", "place": "Бұл {since} {region} өткен осындай {ordinal} іс-шара.",
        "figures": "Осы уақытқа дейін мұндай институттарға {activists} белсенді қатысты, кейін олар өз "
                   "қауымдастықтарында әйелдер мен ерлер үшін {step_downs} каскадтық тренинг өткізді.",
        "context": "Сол кезде {chamber} ({where}) орындардың {value}% әйелдерге тиесілі болды. Дереккөз: {source}.",
    },
    "ky": {
        "host": "Тармактын өнөктөшү", "months": _KY_MONTHS, "year": "{}-жылдын", "since": "{}-жылдан бери",
        "partners": "{} менен биргеликте ", "held": "{when} {month} айында {host} {partners}{duration} тренинг өткөрдү ({where}).",
        "countries": " Тренингге тажрыйбалуу активисттер катышты; алар келген өлкөлөр: {}.",
        "sessions": "Сессиялардын темалары: {}.",
        "manuals": "Программа {manuals} колдонмолоруна негизделген; бул колдонмолор {n} тилде жарык көргөн.",
        "region": "«{}» аймагында", "place": "Бул {since} {region} өткөн ушундай {ordinal} иш-чара.",
        "figures": "Ушул убакка чейин мындай институттарга {activists} активист катышты, андан кийин алар өз "
                   "жамааттарында аялдар жана эркектер үчүн {step_downs} каскаддык тренинг өткөрүштү.",
        "context": "Ошол учурда {chamber} ({where}) орундардын {value}% аялдарга таандык болчу. Булак: {source}.",
    },
}


def turkic(facts: dict, lang: str) -> str:
    words, f = TURKIC[lang], facts["figures"]
    countries = facts["country_names"]
    start = datetime.date.fromisoformat(facts["start_date"])
    host = organisation(facts["host"], lang) or words["host"]
    partners = words["partners"].format(join([organisation(o, lang) for o in facts["co_organisers"]], lang)) \
        if facts["co_organisers"] else ""
    opening = words["held"].format(
        when=words["year"].format(start.year), month=words["months"][start.month - 1], host=host,
        partners=partners, duration=duration(facts["days"], lang),
        where=", ".join(x for x in (countries[facts["country"]], facts["city"]) if x),
    )
    if facts["participant_countries"]:
        opening += words["countries"].format(join([countries[c] for c in facts["participant_countries"]], lang))
    agenda = []
    if facts["sessions"]:
        agenda.append(words["sessions"].format(join(facts["sessions"], lang)))
    if facts["manuals"]:
        agenda.append(words["manuals"].format(manuals=join(quoted(facts["manuals"], lang), lang),
                                              n=facts["manual_languages"]))
    place = []
    if f["ordinal"]:
        region = REGION_IN.get(f["region"], {}).get(lang) or words["region"].format(f["region_name"])
        place.append(words["place"].format(since=words["since"].format(f["first_year"]), region=region,
                                           ordinal=ordinal(f["ordinal"], lang)))
    if f["activists"]:
        place.append(words["figures"].format(activists=more_than(f["activists"], lang),
                                             step_downs=more_than(f["step_downs"], lang)))
    context = " ".join(
        words["context"].format(
            chamber=CHAMBERS[lang][i["chamber"]], value=_percent(i, lang), source=_source(i, lang),
            where=", ".join(x for x in (_chamber_name(i, lang), countries[i["country"]]) if x),
        )
        for i in _indicators(facts)
    )
    return _compose(facts["title"] or host, [opening, " ".join(agenda), " ".join(place), context], facts)


def kazakh(facts: dict) -> str:
    return turkic(facts, "kk")


def kyrgyz(facts: dict) -> str:
    return turkic(facts, "ky")


WRITERS = {"en": english, "ru": russian, "kk": kazakh, "ky": kyrgyz}
