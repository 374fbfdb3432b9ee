"""The demo network: the source story's cascade, generated from a fixed seed.

The plan is built in memory first (plain data, no database), so the same seed
always gives the same network, then written with bulk inserts. Its structure is
fixed (16 institutes, their sizes and step-down counts); the seed only chooses
invented names, towns, teams and dates.
"""

import datetime
import functools
import itertools
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction

from cascade.curriculum.models import Edition, Manual, ManualSession
from cascade.indicators.models import WOMEN_IN_PARLIAMENT, IndicatorObservation
from cascade.lib.translated import pick
from cascade.network.models import Membership, Organization, Person
from cascade.trainings.models import Participation, Training, TrainingSession

from . import content

DEMO_SEED = 2019
LTC, LTA = "leading-to-choices", "leading-to-action"


@dataclass(eq=False)
class PersonPlan:
    key: str
    full_name: str
    gender: str
    country: str
    city: str
    organization: str | None = None
    email: str = ""
    phone: str = ""
    languages: list = field(default_factory=list)


@dataclass
class SessionPlan:
    order: int
    date: datetime.date
    manual_session: tuple | None  # (manual key, number)
    title: dict = field(default_factory=dict)
    facilitators: list[PersonPlan] = field(default_factory=list)


@dataclass(eq=False)
class TrainingPlan:
    key: str
    kind: str
    title: dict
    start_date: datetime.date
    end_date: datetime.date
    country: str
    city: str
    language: str
    manuals: list[str]
    host: str | None = None
    co_organisers: list[str] = field(default_factory=list)
    source: str | None = None
    women: int = 0
    men: int = 0
    participants: list[PersonPlan] = field(default_factory=list)
    facilitators: list[PersonPlan] = field(default_factory=list)
    organisers: list[PersonPlan] = field(default_factory=list)
    sessions: list[SessionPlan] = field(default_factory=list)

    def roles(self):
        yield from (("participant", p) for p in self.participants)
        yield from (("facilitator", p) for p in self.facilitators)
        yield from (("organiser", p) for p in self.organisers)


class DemoPlanner:
    """Draws the invented part of the network; every choice goes through one seeded RNG."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.people: list[PersonPlan] = []
        self.trainings: list[TrainingPlan] = []
        self.memberships: list[tuple[PersonPlan, str, dict]] = []
        self._names: set[str] = set()
        self._numbers = itertools.count(1)
        self.returned: list[PersonPlan] = []  # people who came to a second institute

    # People

    def person(self, country: str, gender: str | None = None, city: str | None = None,
               organization: str | None = None, share_of_men: float = 0.07) -> PersonPlan:
        rng = self.rng
        gender = gender or ("man" if rng.random() < share_of_men else "woman")
        number = next(self._numbers)
        key = f"p-{number:04d}"
        person = PersonPlan(
            key=key, full_name=self._name(country, gender), gender=gender, country=country,
            city=city or self.town(country), organization=organization,
            languages=list(content.WORKING_LANGUAGES[country]),
        )
        if rng.random() < 0.6:
            person.email = f"{key}@example.org"
        if rng.random() < 0.5:
            person.phone = f"{content.PHONE_PREFIXES[country]} {number:04d}"
        self.people.append(person)
        return person

    def _name(self, country: str, gender: str) -> str:
        firsts = content.FIRST_NAMES[(country, gender)].split()
        stems = content.SURNAMES[country].split()
        suffix = "a" if gender == "woman" and country != "GE" else ""
        for attempt in range(50):
            first, last = self.rng.choice(firsts), self.rng.choice(stems) + suffix
            # Once the plain combinations run short, add an initial.
            name = f"{first} {self.rng.choice('ABDEGKMNRST')}. {last}" if attempt > 20 else f"{first} {last}"
            if name not in self._names:
                self._names.add(name)
                return name
        raise RuntimeError("The demo ran out of invented names.")

    def town(self, country: str) -> str:
        towns = [en for en, _ru in content.TOWNS[country]]
        # Most people come from the first (southern) towns of the list.
        return self.rng.choices(towns, weights=range(len(towns), 0, -1))[0]

    # Trainings

    def plan(self) -> None:
        staff = self.staff()
        earlier: dict[str, list[PersonPlan]] = {"KZ": [], "KG": []}
        total = len(content.INSTITUTES)
        for number, row in enumerate(content.INSTITUTES):
            repeat = number >= total - content.REPEAT_ATTENDEES
            institute = self.institute(number == total - 1, number, row, staff, earlier, repeat)
            self.step_downs(institute, row[5], generation=1)
        self.later_generations()

    def staff(self) -> dict:
        gulnara = content.GULNARA
        self.gulnara = PersonPlan(
            key=gulnara["key"], full_name=gulnara["full_name"], gender="woman", country="KZ",
            city="Shymkent", organization="swrc", languages=["ru", "kk"],
        )
        self.people.append(self.gulnara)
        self.memberships.append((self.gulnara, "swrc", gulnara["title"]))
        staff = {}
        for country, org in content.HOSTS.items():
            home = content.ORGANISATIONS[org][4]
            organisers = [self.person(country, "woman", home, org) for _ in range(2)]
            trainers = [self.person(country, "woman", home, org) for _ in range(2)]
            self.memberships += [(p, org, content.COORDINATOR) for p in organisers]
            self.memberships += [(p, org, content.TRAINER) for p in trainers]
            staff[country] = (organisers, trainers)
        staff["GE"] = self.person("GE", "woman", "Tbilisi")  # the guest facilitator from Georgia
        return staff

    def institute(self, last: bool, number: int, row: tuple, staff: dict, earlier: dict,
                  repeat: bool) -> TrainingPlan:
        city, country, start, days, size, _step_downs = row
        organisers, trainers = staff[country]
        institute = TrainingPlan(
            key=f"{city.lower()}-{start.year}", kind="institute",
            title=_title(content.INSTITUTE_TITLE, country, city),
            start_date=start, end_date=start + datetime.timedelta(days=days - 1),
            country=country, city=city, language="ru",
            manuals=[LTC] if number < 5 else [LTC, LTA], host=content.HOSTS[country],
            co_organisers=["osce", "wlp"] if last else ["wlp"],
            facilitators=list(trainers), organisers=list(organisers),
        )
        guests = content.GEORGIANS_IN_SHYMKENT if last else 0
        other = "KG" if country == "KZ" else "KZ"
        newcomers = [
            self.person(other if not last and self.rng.random() < 0.08 else country)
            for _ in range(size - guests - repeat)
        ]
        returning = [self.rng.choice([p for p in earlier[country] if p not in self.returned])] if repeat else []
        self.returned.extend(returning)
        for person in newcomers:
            earlier[person.country].append(person)
        institute.participants = newcomers + returning + [self.person("GE") for _ in range(guests)]
        if last:
            institute.facilitators.append(staff["GE"])
            institute.organisers.append(self.gulnara)
            institute.sessions = self.agenda(institute, trainers, staff["GE"])
        else:
            institute.sessions = self.curriculum(institute)
        self.trainings.append(institute)
        return institute


    def agenda(self, institute: TrainingPlan, trainers: list, guest: PersonPlan) -> list[SessionPlan]:
        return [
            SessionPlan(
                order=order, date=institute.start_date + datetime.timedelta(days=day - 1),
                manual_session=(manual, number) if manual else None, title={"en": en, "ru": ru},
                facilitators=[guest if by_guest else trainers[order % 2]],
            )
            for order, (day, manual, number, en, ru, by_guest) in enumerate(content.SHYMKENT_2019_AGENDA, 1)
        ]

    def curriculum(self, training: TrainingPlan, share: float = 1.0) -> list[SessionPlan]:
        """The manual sessions a training delivered: all of them, or a share, in order."""
        pairs = [(manual, n) for manual in training.manuals for n in range(1, len(content.MANUALS[manual][3]) + 1)]
        if share < 1.0:
            kept = set(self.rng.sample(pairs, max(2, round(len(pairs) * share))))
            pairs = [pair for pair in pairs if pair in kept]
        days = (training.end_date - training.start_date).days + 1
        return [
            SessionPlan(order=order, manual_session=pair,
                        date=training.start_date + datetime.timedelta(days=order * days // (len(pairs) + 1)))
            for order, pair in enumerate(pairs, 1)
        ]

    def step_downs(self, source: TrainingPlan, count: int, generation: int) -> list[TrainingPlan]:
        """Step-downs led by teams of a training's participants, in their own towns."""
        rng = self.rng
        towns = [en for country in content.HOSTS for en, _ru in content.TOWNS[country]]
        eligible = [p for p in source.participants if p.country in content.HOSTS]
        # Not everyone trains others: about six in ten do, in teams of neighbours.
        share = rng.uniform(0.55, 0.75) if generation == 1 else 0.3
        trainers = rng.sample(eligible, max(count, round(len(eligible) * share)))
        trainers.sort(key=lambda p: towns.index(p.city))
        busy = generation == 1 and count >= 4  # one team is busy enough to run a second training
        teams = [trainers[i::count - busy] for i in range(count - busy)] + ([trainers[::count - 1]] if busy else [])
        teams = [sorted(team, key=lambda p: towns.index(p.city)) for team in teams]
        made = []
        day = source.end_date
        for number, team in enumerate(teams, 1):
            lead = team[0]
            day += datetime.timedelta(days=rng.randint(14, 75))
            key = f"sd-{source.key}-{number:02d}" if generation == 1 else (
                source.key.removesuffix(f"-g{generation - 1}") + f"-g{generation}")
            training = TrainingPlan(
                key=key, kind="step-down", title=_title(content.STEP_DOWN_TITLE, lead.country, lead.city),
                start_date=day, end_date=day + datetime.timedelta(days=rng.choice([0, 0, 1])),
                country=lead.country, city=lead.city,
                language=rng.choice(content.WORKING_LANGUAGES[lead.country]),
                manuals=[rng.choice(source.manuals)], source=source.key,
                women=rng.randint(8, 24), men=0 if rng.random() < 0.5 else rng.randint(1, 4),
                facilitators=team,
            )
            # Fidelity: most first-generation step-downs record only head-counts, and
            # each later generation delivers less of the manual.
            if generation > 1 or rng.random() < 0.35:
                low, high = {1: (0.6, 1.0), 2: (0.45, 0.75)}.get(generation, (0.3, 0.6))
                training.sessions = self.curriculum(training, rng.uniform(low, high))
            self.trainings.append(training)
            made.append(training)
        return made

    def later_generations(self) -> None:
        """Some step-downs name a few participants; a few of those go on to train others."""
        rng = self.rng
        first = [t for t in self.trainings if t.kind == "step-down"]
        parents = sorted(rng.sample(first, 20), key=lambda t: t.key)
        for training in parents:
            self.name_participants(training)
        for generation, count in ((2, 6), (3, 2)):
            children = []
            for parent in sorted(rng.sample(parents, count), key=lambda t: t.key):
                children += self.step_downs(parent, 1, generation)
            for child in children:
                self.name_participants(child)
            parents = children

    def name_participants(self, training: TrainingPlan) -> None:
        training.participants = [
            self.person(training.country, city=training.city, share_of_men=0.15)
            for _ in range(self.rng.randint(3, 6))
        ]


def _title(template: dict, country: str, city: str) -> dict:
    city_ru = dict(content.TOWNS[country])[city]
    return {lang: text.format(city=city, city_ru=city_ru) for lang, text in template.items()}


def plan_demo_network(seed: int = DEMO_SEED) -> DemoPlanner:
    planner = DemoPlanner(seed)
    planner.plan()
    return planner


@transaction.atomic
def build_demo_network(seed: int = DEMO_SEED) -> dict[str, int]:
    """Write the demo network into the database; returns what was created, by kind."""
    planner = plan_demo_network(seed)
    organisations = _save_organisations()
    sessions = _save_manuals()
    _save_indicators()
    people = _save_people(planner, organisations)
    trainings = _save_trainings(planner, organisations, people, sessions)
    _link_places()
    _save_photo()
    _figures_are_stale()
    return {
        "organisations": len(organisations),
        "people": len(people),
        "institutes": sum(1 for t in planner.trainings if t.kind == "institute"),
        "step_downs": sum(1 for t in planner.trainings if t.kind == "step-down"),
        "trainings": len(trainings),
    }


def _save_photo() -> None:
    """The Shymkent institute's flip chart: a photo of no one (drawn here, not taken), so the
    gallery, the story's photo and the donor's view all have something to show."""
    import io

    from PIL import Image, ImageDraw

    from cascade.photos.services import upload_photo

    picture = Image.new("RGB", (960, 640), "#f4efe6")
    draw = ImageDraw.Draw(picture)
    draw.rectangle((300, 60, 660, 560), fill="#ffffff", outline="#5a2a82", width=6)  # the flip chart
    draw.line((480, 560, 420, 630), fill="#555555", width=8)
    draw.line((480, 560, 540, 630), fill="#555555", width=8)
    for row, colour in enumerate(("#5a2a82", "#0f7b6c", "#b23a6b", "#2d5f9a")):  # a coalition's circles
        x, y = 360 + (row % 2) * 120, 140 + (row // 2) * 150
        draw.ellipse((x, y, x + 120, y + 120), outline=colour, width=8)
    for line in range(4):
        draw.line((340, 460 + line * 22, 620, 460 + line * 22), fill="#999999", width=4)
    upload = io.BytesIO()
    picture.save(upload, "JPEG", quality=80)
    upload.seek(0)
    upload.name = "flipchart.jpg"
    from cascade.access import operator

    upload_photo(
        training=Training.objects.get(key="shymkent-2019"), upload=upload, shows_people=False, actor=operator(),
        caption={"en": "The flip chart of the session on coalitions and networks, Shymkent, January 2019",
                 "ru": "Флипчарт сессии о коалициях и сетях, Шымкент, январь 2019 года"})


def _figures_are_stale() -> None:
    """Bulk writes send no save signals: a figure read before the demo was loaded must not be kept."""
    from cascade.metrics.engine import invalidate

    invalidate()


def _save_organisations() -> dict[str, Organization]:
    Organization.objects.bulk_create(
        Organization(key=key, name=name, short_name=short, kind=kind, country_id=country, city=city,
                     website=website, description=description,
                     names=content.ORGANISATION_NAMES.get(key, ({}, {}))[0],
                     short_names=content.ORGANISATION_NAMES.get(key, ({}, {}))[1])
        for key, (name, short, kind, country, city, website, description) in content.ORGANISATIONS.items()
    )
    return Organization.objects.in_bulk(list(content.ORGANISATIONS), field_name="key")


def _link_places() -> None:
    """Every organisation, person and training points to the place its town names (from the gazetteer)."""
    from cascade.access import operator
    from cascade.network.services import place_for

    found = {}
    for model in (Organization, Person, Training):
        rows = list(model.objects.exclude(city="").filter(country__isnull=False).only("pk", "city", "country_id"))
        for row in rows:
            if (row.city, row.country_id) not in found:
                found[row.city, row.country_id] = place_for(operator(), row.city, row.country_id)
            row.place = found[row.city, row.country_id]
        model.objects.bulk_update(rows, ["place"], batch_size=500)


def _save_manuals() -> dict[tuple, ManualSession]:
    for key, (title, year, isbn, sessions, parts, editions) in content.MANUALS.items():
        manual = Manual.objects.create(key=key, title=title, year=year, isbn=isbn)
        ManualSession.objects.bulk_create(
            ManualSession(manual=manual, number=number, part=part, part_title=parts.get(part, {}),
                          title={"en": en, "ru": ru}, kind=kind)
            for number, (part, kind, en, ru) in enumerate(sessions, 1)
        )
        Edition.objects.bulk_create(
            Edition(manual=manual, language=language, variant=variant,
                    title=title["en"] if language == "en" else title.get(language, ""),
                    year=year if language == "en" else None)
            for language, variant in editions
        )
        for edition in manual.editions.filter(language__in=DEMO_FILE_LANGUAGES, variant=""):
            edition.file.save(f"{key}-{edition.language}.pdf", ContentFile(
                _stand_in(pick(manual.title, edition.language), edition.language, manual.year)))
    return {(s.manual.key, s.number): s for s in ManualSession.objects.select_related("manual")}


# The library's download links need files to lead to: a one-page stand-in per edition
# in the languages the story's trainings used (the real handbooks are the partners' own).
DEMO_FILE_LANGUAGES = ("en", "ru", "ky")


@functools.lru_cache(maxsize=16)
def _stand_in(title: str, language: str, year) -> bytes:
    """Made once per process: loading the fonts is most of the cost, and the demo reloads."""
    from cascade.lib.pdf import FAMILY, new_pdf

    pdf = new_pdf(format=(148, 210))  # A5, in millimetres
    pdf.add_page()
    pdf.set_font(FAMILY, "B", 16)
    pdf.multi_cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 11)
    pdf.ln(4)
    pdf.multi_cell(0, 6, f"{language} · {year or ''}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.multi_cell(0, 6, "Cascade demo: a stand-in for this edition's file.", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _save_indicators() -> None:
    IndicatorObservation.objects.bulk_create(
        IndicatorObservation(indicator=WOMEN_IN_PARLIAMENT, country_id=country, chamber=chamber, date=date,
                             value=Decimal(value), unit=unit, source_name=content.IPU,
                             source_url=content.IPU_URL, licence=content.IPU_LICENCE, note=note)
        for country, chamber, date, value, unit, note in content.INDICATORS
    )


def _save_people(planner: DemoPlanner, organisations: dict) -> dict[str, Person]:
    Person.objects.bulk_create(
        Person(key=p.key, full_name=p.full_name, gender=p.gender, country_id=p.country, city=p.city,
               organization=organisations.get(p.organization), email=p.email, phone=p.phone,
               languages=p.languages)
        for p in planner.people
    )
    people = Person.objects.in_bulk([p.key for p in planner.people], field_name="key")
    Membership.objects.bulk_create(
        Membership(person=people[person.key], organization=organisations[org], title=title)
        for person, org, title in planner.memberships
    )
    return people


def _save_trainings(planner: DemoPlanner, organisations: dict, people: dict, sessions: dict) -> dict[str, Training]:
    plans = planner.trainings
    manuals = Manual.objects.in_bulk(field_name="key")
    Training.objects.bulk_create(
        Training(key=t.key, kind=t.kind, title=t.title, start_date=t.start_date, end_date=t.end_date,
                 country_id=t.country, city=t.city, language=t.language, host=organisations.get(t.host),
                 women_count=t.women, men_count=t.men)
        for t in plans
    )
    trainings = Training.objects.in_bulk([t.key for t in plans], field_name="key")
    for t in plans:
        trainings[t.key].source_training = trainings.get(t.source)
    Training.objects.bulk_update(trainings.values(), ["source_training"])
    Training.co_organisers.through.objects.bulk_create(
        Training.co_organisers.through(training=trainings[t.key], organization=organisations[org])
        for t in plans for org in t.co_organisers
    )
    Training.manuals.through.objects.bulk_create(
        Training.manuals.through(training=trainings[t.key], manual=manuals[m]) for t in plans for m in t.manuals
    )
    Participation.objects.bulk_create(
        Participation(training=trainings[t.key], person=people[person.key], role=role)
        for t in plans for role, person in t.roles()
    )
    TrainingSession.objects.bulk_create(
        TrainingSession(training=trainings[t.key], order=s.order, date=s.date, title=s.title,
                        manual_session=sessions.get(s.manual_session))
        for t in plans for s in t.sessions
    )
    # Only a few agenda items name their facilitators; find them by training and order.
    named = [(t, s) for t in plans for s in t.sessions if s.facilitators]
    rows = {(row.training_id, row.order): row for row in TrainingSession.objects.filter(
        training__in=[trainings[t.key] for t, _s in named])}
    TrainingSession.facilitators.through.objects.bulk_create(
        TrainingSession.facilitators.through(
            trainingsession=rows[trainings[t.key].pk, s.order], person=people[person.key])
        for t, s in named for person in s.facilitators
    )
    return trainings
