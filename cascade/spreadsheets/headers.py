"""Column headers as people type them: in any of Cascade's nine languages, below a title row.

A header cell is matched to a column of the schema by its normalised text
(case, spaces, ``_``, ``-`` and ``.`` ignored, a trailing ``*`` too): the column's
own name (``full_name``), its label in each language as the catalogues translate it
(what ``cascade template --lang ru`` writes, so a template imports back), and the
variants below that staff type (``E-mail``, ``ФИО``, ``Эл. почта``). A text that would
name two columns of one sheet names neither. A header cell matched to no column is
kept as typed, and the importer reports it: a column is never dropped silently.
"""

import re
from functools import lru_cache

from django.conf import settings
from django.utils import translation

from cascade.spreadsheets.schema import INSTRUCTIONS_SHEET, SHEETS, SHEETS_BY_NAME

#: The header is looked for in this many first non-blank rows (a title, a date, a blank line above it).
HEADER_SEARCH = 10

#: Variants typed for a column, in any sheet that has it (the column's name and labels need no entry).
ALIASES: dict[str, tuple[str, ...]] = {
    "key": ("id", "ключ", "код", "идентификатор", "кілт", "ачкыч", "kalit", "калид", "გასაღები", "المفتاح", "کلید"),
    "full_name": (
        "name", "full name", "fullname", "фио", "ф и о", "полное имя", "имя", "фамилия имя", "фамилия имя отчество",
        "аты жөні", "толық аты жөні", "аты жөнү", "толук аты жөнү", "fish", "f i sh", "to'liq ism", "ism familiya",
        "ному насаб", "насаб", "სახელი და გვარი", "სრული სახელი", "სახელი გვარი", "الاسم الكامل", "الاسم",
        "نام کامل", "نام و نام خانوادگی",
    ),
    "name": ("название", "наименование", "атауы", "аталышы", "nomi", "ном", "სახელწოდება", "الاسم", "نام"),
    "short_name": ("краткое название", "аббревиатура", "қысқаша атауы", "кыскача аталышы", "qisqa nomi",
                   "номи мухтасар", "მოკლე სახელწოდება", "الاسم المختصر", "نام کوتاه"),
    "gender": ("sex", "пол", "жынысы", "jinsi", "ҷинс", "სქესი", "الجنس", "جنسیت"),
    "country": ("страна", "ел", "мемлекет", "өлкө", "mamlakat", "davlat", "кишвар", "ქვეყანა", "البلد", "الدولة", "کشور"),
    "city": ("town", "город", "қала", "шаар", "shahar", "шаҳр", "ქალაქი", "المدينة", "شهر"),
    "organization": ("organisation", "организация", "ұйым", "уюм", "tashkilot", "ташкилот", "ორგანიზაცია",
                     "المنظمة", "سازمان"),
    "email": (
        "e-mail", "email address", "e-mail address", "mail", "электронная почта", "эл почта", "почта",
        "e-mail адрес", "электрондық пошта", "эл пошта", "электрондук почта", "elektron pochta",
        "почтаи электронӣ", "ელ-ფოსტა", "ელფოსტა", "البريد الإلكتروني", "ایمیل", "پست الکترونیکی",
    ),
    "phone": ("telephone", "phone number", "mobile", "телефон", "тел", "номер телефона", "мобильный", "telefon",
              "телефон рақамы", "ტელეფონი", "الهاتف", "رقم الهاتف", "تلفن", "شماره تلفن"),
    "kind": ("type", "тип", "вид", "түрі", "түрү", "turi", "навъ", "ტიპი", "النوع", "نوع"),
    "start_date": ("start", "from", "дата начала", "начало", "басталу күні", "башталышы", "boshlanish sanasi",
                   "санаи оғоз", "დაწყების თარიღი", "تاريخ البدء", "تاریخ شروع"),
    "end_date": ("end", "until", "дата окончания", "окончание", "аяқталу күні", "аякталышы", "tugash sanasi",
                 "санаи анҷом", "დასრულების თარიღი", "تاريخ الانتهاء", "تاریخ پایان"),
    "language": ("язык", "тіл", "тил", "til", "забон", "ენა", "اللغة", "زبان"),
    "languages": ("языки", "тілдер", "тилдер", "tillar", "забонҳо", "ენები", "اللغات", "زبان‌ها", "زبانها"),
    "training": ("тренинг", "обучение", "trening", "ტრენინგი", "التدريب", "دوره", "آموزش"),
    "person": ("человек", "участник", "адам", "қатысушы", "катышуучу", "shaxs", "ishtirokchi", "шахс",
               "პირი", "მონაწილე", "الشخص", "المشارك", "شخص", "شرکت کننده"),
    "role": ("роль", "рөлі", "ролу", "roli", "rol", "нақш", "როლი", "الدور", "نقش"),
    "completed": ("завершил", "завершила", "окончил", "завершено", "аяқтады", "бүтүрдү", "yakunladi",
                  "анҷом дод", "დაასრულა", "أكمل", "تکمیل", "تکمیل کرد"),
    "date": ("дата", "күні", "күнү", "sana", "сана", "თარიღი", "التاريخ", "تاریخ"),
    "women_count": ("women", "женщины", "женщин", "әйелдер", "аялдар", "ayollar", "занон", "ქალები", "النساء", "زنان"),
    "men_count": ("men", "мужчины", "мужчин", "ерлер", "эркектер", "erkaklar", "мардон", "კაცები", "الرجال", "مردان"),
    "other_count": ("others", "другие", "басқалар", "башкалар", "boshqalar", "дигарон", "სხვები", "آخرون", "دیگران"),
    "url": ("link", "web address", "ссылка", "сілтеме", "шилтеме", "havola", "пайванд", "ბმული", "الرابط", "پیوند"),
    "year": ("год", "жыл", "yil", "сол", "წელი", "السنة", "سال"),
    "number": ("no", "nr", "№", "номер", "нөмірі", "номери", "raqam", "рақам", "ნომერი", "الرقم", "شماره"),
    "order": ("порядок", "реті", "тартиби", "tartib", "тартиб", "რიგი", "الترتيب", "ترتیب"),
    "facilitators": ("trainers", "фасилитаторы", "тренеры", "ведущие", "тренерлер", "fasilitatorlar", "тренерҳо",
                     "ფასილიტატორები", "الميسرون", "تسهیل گران"),
    "manual": ("пособие", "руководство", "нұсқаулық", "колдонмо", "qo'llanma", "дастур", "სახელმძღვანელო",
               "الدليل", "راهنما"),
    "manuals": ("пособия", "руководства", "нұсқаулықтар", "колдонмолор", "qo'llanmalar", "дастурҳо",
                "სახელმძღვანელოები", "الأدلة", "راهنماها"),
    "host": ("host organisation", "host organization", "принимающая организация", "хост"),
    "co_organisers": ("co-organizers", "co organizers", "соорганизаторы", "партнёры", "партнеры"),
    "source_training": ("source", "источник"),
    "variant": ("вариант", "нұсқа", "вариант", "variant"),
    "part": ("часть", "бөлім", "бөлүк", "qism", "қисм", "ნაწილი", "الجزء", "بخش"),
    "part_title": ("название части",),
    "session_number": ("номер сессии", "номер занятия"),
}

#: Variants that mean a column in one sheet only (a title is a role in memberships).
SHEET_ALIASES: dict[tuple[str, str], tuple[str, ...]] = {
    ("memberships", "title"): ("position", "должность", "лауазым", "кызматы", "lavozim", "вазифа",
                               "თანამდებობა", "المنصب", "سمت"),
    **{(sheet, "title"): ("название", "наименование", "тема", "атауы", "тақырып", "аталышы", "nomi", "mavzu",
                          "ном", "мавзӯъ", "სათაური", "العنوان", "عنوان")
       for sheet in ("manuals", "trainings", "manual_sessions", "sessions", "editions")},
}

#: Sheet names in the nine languages (the schema's own name always works).
SHEET_NAMES: dict[str, tuple[str, ...]] = {
    INSTRUCTIONS_SHEET: ("инструкция", "инструкции", "нұсқаулар", "нускамалар", "ko'rsatmalar", "дастурамал",
                         "ინსტრუქცია", "التعليمات", "راهنما"),
}

_SPACES = re.compile(r"[\s_\-–—.:/]+")


def normalise(text) -> str:
    """A header cell as compared: case, ``ё``, spaces, ``_``, ``-``, ``.`` and a trailing ``*`` ignored."""
    if text is None:
        return ""
    text = str(text).strip().rstrip("*").strip().casefold().replace("ё", "е").replace("ʻ", "'").replace("‘", "'")
    return _SPACES.sub(" ", text).strip()


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


@lru_cache(maxsize=None)
def _lookup(sheet: str) -> dict[str, str]:
    """Normalised header text -> column name, for one sheet."""
    from cascade.spreadsheets.schema import label_of

    spec = SHEETS_BY_NAME[sheet]
    found: dict[str, set[str]] = {}

    def add(text, column):
        found.setdefault(normalise(text), set()).add(column)

    for column in spec.column_names:
        add(column, column)
        for alias in (*ALIASES.get(column, ()), *SHEET_ALIASES.get((sheet, column), ())):
            add(alias, column)
        for language in _languages():
            with translation.override(language):
                add(str(label_of(column)), column)
    lookup = {text: columns.pop() for text, columns in found.items() if len(columns) == 1}
    for column in spec.column_names:  # a column's own name always names it
        lookup[normalise(column)] = column
    lookup.pop("", None)
    return lookup


def column_name(sheet: str, header) -> str:
    """The schema's name for a header cell of ``sheet``, or the cell as typed (lower case) when none.

    ``title_ru`` and the like (a column per language) are returned as typed, for the importer to read.
    """
    typed = str(header).strip().rstrip("*").strip().lower() if header is not None else ""
    if sheet not in SHEETS_BY_NAME or not typed:
        return typed
    return _lookup(sheet).get(normalise(header), typed)


def known(sheet: str, header) -> bool:
    return normalise(header) in _lookup(sheet) if sheet in SHEETS_BY_NAME else False


@lru_cache(maxsize=None)
def _sheet_lookup() -> dict[str, str]:
    from cascade.spreadsheets.schema import sheet_label

    found: dict[str, set[str]] = {}
    for name in (*SHEETS_BY_NAME, INSTRUCTIONS_SHEET):
        found.setdefault(normalise(name), set()).add(name)
        for alias in SHEET_NAMES.get(name, ()):
            found.setdefault(normalise(alias), set()).add(name)
        for language in _languages():
            with translation.override(language):
                found.setdefault(normalise(str(sheet_label(name))), set()).add(name)
    lookup = {text: names.pop() for text, names in found.items() if len(names) == 1 and text}
    lookup.update((name, name) for name in (*SHEETS_BY_NAME, INSTRUCTIONS_SHEET))  # its own name always works
    return lookup


def sheet_name(typed: str) -> str:
    """The schema's name of a sheet named ``typed`` (in any language), or ``typed`` in lower case."""
    return _sheet_lookup().get(normalise(typed), typed.strip().lower())


def find_header(sheet: str, rows) -> tuple[int, list] | None:
    """The header among the first rows of a sheet: (its index in ``rows``, its cells), or None.

    ``rows`` are the sheet's first rows (blank ones included). The header is the first
    row naming at least two of the sheet's columns; rows above it are titles. Lacking one,
    the first non-blank row (whose missing columns the importer then names).
    """
    first = None
    seen = 0
    for index, cells in enumerate(rows):
        texts = [cell for cell in cells if cell is not None and str(cell).strip() != ""]
        if not texts:
            continue
        first = index if first is None else first
        if sheet in SHEETS_BY_NAME:
            if sum(1 for cell in texts if isinstance(cell, str) and known(sheet, cell)) >= 2:
                return index, list(cells)
        seen += 1
        if seen >= HEADER_SEARCH:
            break
    if first is None:
        return None
    return first, list(rows[first])


def unknown_column(spec, typed: str) -> str:
    """Why a header cell is refused, and what to do: rename it (to the nearest column, when one is near) or delete it."""
    import difflib

    from django.utils.translation import gettext as _

    lookup = _lookup(spec.name)
    near = difflib.get_close_matches(normalise(typed), list(lookup), n=1, cutoff=0.75)
    if near:
        return _("Cascade does not know this column: did you mean %(column)s? Rename it, or delete the column "
                 "(nothing in it would be imported).") % {"column": lookup[near[0]]}
    return _("Cascade does not know this column. Rename it to one of %(columns)s, or delete the column "
             "(nothing in it would be imported).") % {"columns": ", ".join(spec.column_names)}


__all__ = ["SHEETS", "column_name", "find_header", "known", "normalise", "sheet_name"]
