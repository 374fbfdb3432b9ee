"""The fixed facts of the demo network, taken from the source story and domain notes.

What the story states (SWRC and its president, the OSCE, the manuals' years, parts
and session counts, the parliament figures) is reproduced as stated. Everything the
story does not tell is demo content and says so: the manuals' session titles, the
institutes' dates and towns, the translations of titles, and every invented person.
"""

import datetime

IPU = "Inter-Parliamentary Union"
IPU_LICENCE = "CC BY-NC-SA 4.0"

# key: (name, short name, kind, country, city, website, description)
ORGANISATIONS = {
    "wlp": ("Women's Learning Partnership", "WLP", "other", "US", "Bethesda",
            "https://learningpartnership.org/",
            {"en": "The partnership of about 20 autonomous organisations in the Global South."}),
    "swrc": ("Shymkent Women's Resource Center", "SWRC", "partner", "KZ", "Shymkent", "",
             {"en": "WLP's partner in Kazakhstan (WLP Kazakhstan)."}),
    "bir-duino": ("Bir Duino", "Bir Duino", "partner", "KG", "Bishkek", "",
                  {"en": "WLP's partner in Kyrgyzstan, formerly Citizens Against Corruption."}),
    "osce": ("Organization for Security and Co-operation in Europe", "OSCE", "co-organiser",
             "AT", "Vienna", "https://www.osce.org/",
             {"en": "Co-organised the January 2019 training in Shymkent."}),
    "adfm": ("Association Démocratique des Femmes du Maroc", "ADFM", "partner", "MA", "Rabat", "", {}),
    "baobab": ("BAOBAB for Women's Human Rights", "BAOBAB", "partner", "NG", "Lagos", "", {}),
    "watc": ("Women's Affairs Technical Committee", "WATC", "partner", "PS", "Ramallah", "", {}),
    "aurat": ("Aurat Foundation", "Aurat", "partner", "PK", "Islamabad", "", {}),
    "awam": ("All Women's Action Society", "AWAM", "partner", "MY", "Petaling Jaya", "", {}),
    "wydii": ("Women and Youth Development Institute of Indonesia", "WYDII", "partner", "ID", "", "", {}),
    "fsww": ("Foundation for the Support of Women's Work", "FSWW", "partner", "TR", "Istanbul", "", {}),
    "sigi-j": ("Sisterhood Is Global Institute/Jordan", "SIGI/J", "partner", "JO", "Amman", "", {}),
    "fwid": ("Forum for Women in Development", "FWID", "partner", "EG", "Cairo", "", {}),
}

# Names in other languages where the organisation's own is well established: (names, short names).
ORGANISATION_NAMES = {
    "osce": (
        {"ru": "Организация по безопасности и сотрудничеству в Европе",
         "kk": "Еуропадағы қауіпсіздік және ынтымақтастық ұйымы",
         "ky": "Европадагы коопсуздук жана кызматташтык уюму",
         "ar": "منظمة الأمن والتعاون في أوروبا", "fa": "سازمان امنیت و همکاری اروپا"},
        {"ru": "ОБСЕ", "kk": "ЕҚЫҰ", "ky": "ЕККУ"},
    ),
    # The demo's own translations of the partners' names (their short names follow the name's script).
    "swrc": (
        {"ru": "Шымкентский женский ресурсный центр", "kk": "Шымкент әйелдер ресурстық орталығы",
         "ky": "Шымкент аялдар ресурстук борбору", "uz": "Chimkent ayollar resurs markazi",
         "ar": "مركز شيمكنت لموارد المرأة", "fa": "مرکز منابع زنان شیمکنت"},
        {"ru": "ШЖРЦ", "kk": "ШӘРО", "ky": "ШАРБ"},
    ),
    "bir-duino": (
        {"ru": "Бир Дуйно Кыргызстан", "kk": "Бир Дуйно Кыргызстан", "ky": "Бир Дүйнө Кыргызстан"},
        {"ru": "Бир Дуйно", "kk": "Бир Дуйно", "ky": "Бир Дүйнө"},
    ),
    "wlp": (
        {"ru": "Партнёрство в обучении женщин", "kk": "Әйелдерді оқыту серіктестігі",
         "ky": "Аялдарды окутуу өнөктөштүгү"},
        {},
    ),
    "adfm": ({"ar": "الجمعية الديمقراطية لنساء المغرب", "ru": "Демократическая ассоциация женщин Марокко"}, {}),
    "watc": ({"ar": "طاقم شؤون المرأة", "ru": "Технический комитет по делам женщин"}, {}),
    "sigi-j": ({"ar": "معهد تضامن النساء الأردني", "ru": "Институт «Сестринство — глобально», Иордания"}, {}),
    "aurat": ({"ru": "Фонд «Аурат»"}, {}),
}

GULNARA = {
    "key": "gulnara-karakulova", "full_name": "Gulnara Karakulova",
    "title": {"en": "President", "ru": "Президент"},
}
COORDINATOR = {"en": "Programme coordinator", "ru": "Координатор программ"}
TRAINER = {"en": "Trainer", "ru": "Тренер"}

LTC_PARTS = {}
LTA_PARTS = {
    "I": {"en": "Politics and Power: Where Do I Fit In?", "ru": "Политика и власть: где моё место?"},
    "II": {"en": "Leading to Action: What Are My Next Steps?", "ru": "Путь к действию: каковы мои следующие шаги?"},
}

# Session titles are demo content: plain descriptions on the story's topics,
# not the real manuals' titles. (part, kind, en, ru)
LTC_SESSIONS = [
    ("", "case study", "Communicating across differences", "Общение, несмотря на различия"),
    ("", "scenario", "Listening and speaking", "Слушать и говорить"),
    ("", "case study", "Creating shared meaning", "Создание общего понимания"),
    ("", "scenario", "Building consensus", "Достижение согласия"),
    ("", "case study", "Power and empowerment", "Власть и расширение возможностей"),
    ("", "case study", "Learning partnerships", "Партнёрство в обучении"),
    ("", "scenario", "Making decisions together", "Совместное принятие решений"),
    ("", "scenario", "Creating a vision", "Создание видения"),
    ("", "scenario", "Turning intention into action", "От намерения к действию"),
    ("", "case study", "Leading in family and community", "Лидерство в семье и общине"),
    ("", "case study", "Leading in public life", "Лидерство в общественной жизни"),
    ("", "scenario", "Becoming a leader", "Стать лидером"),
]
LTA_SESSIONS = [
    ("I", "discussion", "What is politics?", "Что такое политика?"),
    ("I", "roleplay", "How important is gender?", "Насколько важен гендер?"),
    ("I", "case study", "Ethical politics", "Этичная политика"),
    ("II", "scenario", "Negotiation", "Переговоры"),
    ("II", "case study", "Building coalitions and networks", "Создание коалиций и сетей"),
    ("II", "scenario", "Running for office", "Выдвижение кандидатуры"),
    ("II", "exercise", "Campaigning and talking with voters", "Предвыборная кампания и общение с избирателями"),
    ("II", "exercise", "Working with the media", "Работа со СМИ"),
    ("II", "scenario", "Raising funds", "Сбор средств"),
    ("II", "exercise", "Making a plan of action", "Составление плана действий"),
]

# Leading to Choices' editions known from WLP's catalogue; the demo adds the rest
# so that, as the story says, the manuals exist in more than 20 languages.
LTC_KNOWN_EDITIONS = [
    ("en", ""), ("ar", "Maghrebi"), ("ar", "Shami"), ("as", ""), ("fr", ""), ("ha", ""),
    ("ms", ""), ("mni", ""), ("fa", ""), ("ru", ""), ("sn", ""), ("es", ""), ("sw", ""), ("uz", ""),
]
LTC_DEMO_EDITIONS = [("kk", ""), ("ky", ""), ("ka", ""), ("tg", ""), ("az", ""), ("tr", ""),
                     ("id", ""), ("ur", ""), ("bn", "")]
LTA_DEMO_EDITIONS = [("en", ""), ("ar", ""), ("fa", ""), ("fr", ""), ("ru", ""), ("ky", ""),
                     ("kk", ""), ("uz", ""), ("ka", ""), ("tg", ""), ("id", ""), ("ms", ""),
                     ("tr", ""), ("ur", ""), ("ha", "")]

# key: (title, year, isbn, sessions, parts, editions)
MANUALS = {
    "leading-to-choices": (
        {"en": "Leading to Choices: A Leadership Training Handbook for Women", "ru": "Путь к выбору"},
        2001, "0-9710922-0-6", LTC_SESSIONS, LTC_PARTS, LTC_KNOWN_EDITIONS + LTC_DEMO_EDITIONS,
    ),
    "leading-to-action": (
        {"en": "Leading to Action: A Political Participation Handbook for Women",
         "ru": "Путь к действию: руководство по политическому участию женщин"},
        2011, "", LTA_SESSIONS, LTA_PARTS, LTA_DEMO_EDITIONS,
    ),
    "victories-over-violence": ({"en": "Victories Over Violence"}, None, "", [], {}, [("en", "")]),
    "beyond-equality": ({"en": "Beyond Equality"}, None, "", [], {}, [("en", "")]),
    "leading-to-compassion": ({"en": "Leading to Compassion"}, None, "", [], {}, [("en", "")]),
    "claiming-our-rights": ({"en": "Claiming Our Rights"}, None, "", [], {}, [("en", "")]),
    "leading-to-a-culture-of-democracy": (
        {"en": "Leading to a Culture of Democracy"}, None, "", [], {}, [("en", "")],
    ),
}

# (country, chamber, date, value, unit, note); dates known only to the month or year
# are given as its first day.
INDICATORS = [
    ("KZ", "upper", datetime.date(2019, 1, 1), "6", "%", "Senate, 2019, as shown in the source story."),
    ("KZ", "lower", datetime.date(2023, 3, 19), "19.388", "%", "Mazhilis: 19 women of 98 (2023 election)."),
    ("KZ", "lower", datetime.date(2023, 3, 19), "19", "seats", "Mazhilis: 19 women of 98 (2023 election)."),
    ("KG", "lower", datetime.date(2025, 1, 1), "33.333", "%", "Jogorku Kenesh: 30 women of 90 (2025)."),
    ("KG", "lower", datetime.date(2025, 1, 1), "30", "seats", "Jogorku Kenesh: 30 women of 90 (2025)."),
    ("GE", "lower", datetime.date(2025, 2, 1), "13.861", "%", "14 women of 101 filled seats (February 2025)."),
    ("GE", "lower", datetime.date(2025, 2, 1), "14", "seats", "14 women of 101 filled seats (February 2025)."),
    ("UZ", "lower", datetime.date(2024, 10, 1), "38", "%", "Legislative Chamber (October 2024)."),
]
IPU_URL = "https://data.ipu.org/women-ranking"

# The sixteen institutes: (city, country, start, days, participants, step-downs).
# Towns and dates are demo content, except that the sixteenth is the story's
# three-day training in Shymkent in January 2019.
INSTITUTES = [
    ("Shymkent", "KZ", datetime.date(2014, 5, 20), 3, 22, 5),
    ("Bishkek", "KG", datetime.date(2014, 10, 14), 4, 24, 5),
    ("Almaty", "KZ", datetime.date(2015, 3, 17), 3, 21, 4),
    ("Osh", "KG", datetime.date(2015, 6, 9), 3, 23, 5),
    ("Turkestan", "KZ", datetime.date(2015, 10, 20), 3, 22, 4),
    ("Bishkek", "KG", datetime.date(2016, 2, 23), 4, 25, 5),
    ("Taraz", "KZ", datetime.date(2016, 5, 17), 3, 23, 4),
    ("Karakol", "KG", datetime.date(2016, 9, 13), 3, 22, 5),
    ("Shymkent", "KZ", datetime.date(2017, 2, 14), 3, 24, 4),
    ("Jalal-Abad", "KG", datetime.date(2017, 4, 18), 3, 21, 5),
    ("Astana", "KZ", datetime.date(2017, 7, 11), 3, 23, 4),
    ("Osh", "KG", datetime.date(2017, 10, 24), 3, 22, 5),
    ("Kyzylorda", "KZ", datetime.date(2018, 3, 13), 3, 24, 4),
    ("Bishkek", "KG", datetime.date(2018, 6, 19), 3, 23, 4),
    ("Almaty", "KZ", datetime.date(2018, 10, 16), 3, 22, 3),
    ("Shymkent", "KZ", datetime.date(2019, 1, 22), 3, 25, 2),
]
GEORGIANS_IN_SHYMKENT = 4
REPEAT_ATTENDEES = 10  # people who came to a second institute; they count once

HOSTS = {"KZ": "swrc", "KG": "bir-duino"}
WORKING_LANGUAGES = {"KZ": ("ru", "kk"), "KG": ("ru", "ky"), "GE": ("ka", "ru")}
PHONE_PREFIXES = {"KZ": "+7 000 000", "KG": "+996 000 000", "GE": "+995 000 000"}

# Towns: (en, ru); the first towns of a country are its participants' usual homes.
TOWNS = {
    "KZ": [("Shymkent", "Шымкент"), ("Turkestan", "Туркестан"), ("Taraz", "Тараз"),
           ("Kentau", "Кентау"), ("Saryagash", "Сарыагаш"), ("Kyzylorda", "Кызылорда"),
           ("Almaty", "Алматы"), ("Astana", "Астана")],
    "KG": [("Bishkek", "Бишкек"), ("Osh", "Ош"), ("Jalal-Abad", "Джалал-Абад"),
           ("Karakol", "Каракол"), ("Naryn", "Нарын"), ("Talas", "Талас"),
           ("Tokmok", "Токмок"), ("Batken", "Баткен")],
    "GE": [("Tbilisi", "Тбилиси"), ("Kutaisi", "Кутаиси"), ("Batumi", "Батуми"),
           ("Rustavi", "Рустави"), ("Gori", "Гори")],
}

# Invented names. Common first names, and surnames made from words that mean
# "example", "sample", "template", "test", "fairy tale" or "fantasy", so that no
# invented person can be mistaken for a real activist.
FIRST_NAMES = {
    ("KZ", "woman"): "Aigerim Aizhan Ainur Aliya Asel Dana Dinara Gaukhar Gulmira Gulnaz Kamila "
                     "Karlygash Madina Meruert Nazgul Saule Symbat Togzhan Zhanar Zhuldyz Akmaral "
                     "Ardak Bibigul Roza Sholpan",
    ("KZ", "man"): "Arman Askar Daniyar Erlan Nurlan Serik Timur Yerzhan",
    ("KG", "woman"): "Aida Aigul Ainura Aizada Altynai Asel Bermet Cholpon Elnura Gulzat Jyldyz "
                     "Kanykei Mairam Meerim Nurgul Saltanat Tolgonai Umut Zamira Baktygul",
    ("KG", "man"): "Azamat Bakyt Emil Kanat Maksat Nurbek Talant Ulan",
    ("GE", "woman"): "Nino Tamar Ketevan Mariam Natia Salome Eka Lela Maia Tinatin",
    ("GE", "man"): "Giorgi Levan Davit",
}
# Surname stems: the feminine form adds "a" (Mysalov, Mysalova); Georgian ones do not change.
SURNAMES = {
    "KZ": "Mysalov Ulgiyev Demov Primerov Obraztsov Shablonov Testov Maketov Synakov Qiyalov "
          "Ertegiyev Nusqayev",
    "KG": "Misalov Ulguyev Demov Primerov Obraztsov Shablonov Syinakov Jomokov Kiyalov Maketov",
    "GE": "Nimushadze Magalitishvili Zghaprishvili Satsdeladze Demoshvili Shabloniani",
}

INSTITUTE_TITLE = {
    "en": "Institute on leadership and women's political participation, {city}",
    "ru": "Институт по лидерству и политическому участию женщин, {city_ru}",
    "kk": "Көшбасшылық және әйелдердің саяси қатысуы жөніндегі институт, {city_ru}",
}
STEP_DOWN_TITLE = {
    "en": "Step-down training on women's leadership, {city}",
    "ru": "Каскадный тренинг по женскому лидерству, {city_ru}",
}

# The agenda of the sixteenth institute, from the story: (day, manual, session
# number, en, ru, facilitated by the Georgian guest). Titles are demo content.
SHYMKENT_2019_AGENDA = [
    (1, "leading-to-action", 3, "Ethical politics", "Этичная политика", False),
    (1, "leading-to-action", 2, "Roleplay: How important is gender?", "Ролевая игра: насколько важен гендер?", False),
    (1, "leading-to-choices", 1, "Communicating across differences", "Общение, несмотря на различия", False),
    (2, "leading-to-action", 4, "Negotiation techniques", "Техники ведения переговоров", False),
    (2, "leading-to-action", 5, "Creating coalitions and networks", "Создание коалиций и сетей", True),
    (2, "leading-to-choices", 4, "Building consensus", "Достижение согласия", False),
    (3, None, None, "Networking before the 2020 elections", "Работа в сетях перед выборами 2020 года", False),
    (3, "leading-to-action", 10, "Making a plan of action", "Составление плана действий", False),
    (3, None, None, "Planning our step-down trainings", "Планирование каскадных тренингов", False),
]
