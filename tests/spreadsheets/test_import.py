import datetime
import zipfile

from cascade.curriculum.models import Edition, Manual, ManualSession
from cascade.network.models import Membership, Organization, Person
from cascade.spreadsheets.importer import import_workbook  # the work itself; services check the actor
from cascade.trainings.models import Participation, Training, TrainingSession

from .conftest import HEADERS, all_counts, database_counts, linked_sheets, small_network


def test_it_imports_a_whole_network_from_csv_files(write_csv, db):
    result = import_workbook(write_csv(small_network()))

    assert result.ok, [str(e) for e in result.errors]
    assert database_counts() == {
        "Organization": 2, "Person": 3, "Manual": 1, "Edition": 3, "Training": 2, "Participation": 4,
    }
    institute = Training.objects.get(key="inst-2019")
    assert institute.title == {"ru": "Shymkent institute 2019"}
    assert (institute.start_date, institute.end_date) == (datetime.date(2019, 1, 28), datetime.date(2019, 1, 30))
    assert institute.host.key == "swrc"
    assert [o.key for o in institute.co_organisers.all()] == ["osce"]
    step_down = Training.objects.get(key="sd-1")
    assert step_down.title == {"en": "Step-down in Turkestan"}
    assert step_down.source_training == institute
    assert (step_down.women_count, step_down.men_count, step_down.other_count) == (14, 3, 0)
    assert [m.key for m in step_down.manuals.all()] == ["ltc"]
    assert Manual.objects.get(key="ltc").languages == ["en", "ky", "ru"]
    aigul = Person.objects.get(key="p-aigul")
    assert (aigul.email, aigul.phone, aigul.organization.key) == ("aigul@example.org", "+7 700 000 0001", "swrc")
    arman = Person.objects.get(key="p-arman")
    assert (arman.gender, arman.country_id) == ("not stated", "KZ")
    assert Participation.objects.get(person=arman).completed is False
    assert Participation.objects.get(person__key="p-nino").completed is True


def test_importing_the_same_workbook_twice_updates_rather_than_duplicates(write_csv, db):
    import_workbook(write_csv(small_network()))
    sheets = small_network()
    sheets["organizations"][1][1] = "SWRC, Shymkent"
    sheets["participants"][3][3] = "no"

    result = import_workbook(write_csv(sheets, folder="again"))

    assert result.ok
    assert database_counts()["Participation"] == 4
    assert Organization.objects.get(key="swrc").name == "SWRC, Shymkent"
    assert Participation.objects.get(person__key="p-arman").completed is False
    assert result.counts["participants"] == {"created": 0, "changed": 0, "unchanged": 4}
    assert result.counts["organizations"] == {"created": 0, "changed": 1, "unchanged": 1}


def test_a_workbook_may_refer_to_keys_already_in_cascade(write_csv, create_person, create_training):
    create_person(key="known-person")
    create_training(key="known-training")

    result = import_workbook(write_csv({"participants": [
        HEADERS["participants"], ["known-training", "known-person", "facilitator", "yes"],
    ]}))

    assert result.ok, [str(e) for e in result.errors]
    assert Participation.objects.get().role == "facilitator"


def test_a_dry_run_reports_the_changes_and_writes_nothing(write_csv, db):
    result = import_workbook(write_csv(small_network()), dry_run=True)

    assert result.ok
    assert result.counts["people"] == {"created": 3, "changed": 0, "unchanged": 0}
    assert result.counts["participants"] == {"created": 4, "changed": 0, "unchanged": 0}
    assert set(database_counts().values()) == {0}


def test_it_reads_an_xlsx_with_spreadsheet_dates_and_numbers(write_xlsx, db):
    sheets = small_network()
    sheets["trainings"][1][3] = datetime.datetime(2019, 1, 28)
    sheets["trainings"][1][4] = datetime.date(2019, 1, 30)
    sheets["trainings"][2][12] = 14
    sheets["trainings"][2][13] = 3.0
    sheets["participants"][1][3] = True

    result = import_workbook(write_xlsx(sheets))

    assert result.ok, [str(e) for e in result.errors]
    institute = Training.objects.get(key="inst-2019")
    assert institute.start_date == datetime.date(2019, 1, 28)
    assert Training.objects.get(key="sd-1").men_count == 3


def test_it_tolerates_a_byte_order_mark_and_semicolons(write_csv, db):
    result = import_workbook(write_csv(small_network(), encoding="utf-8-sig", delimiter=";"))

    assert result.ok, [str(e) for e in result.errors]
    assert database_counts()["Participation"] == 4


def test_it_reads_a_zip_of_csv_files(write_csv, tmp_path, db):
    folder = write_csv(small_network())
    archive = tmp_path / "network.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for path in folder.iterdir():
            out.write(path, f"export/{path.name}")

    assert import_workbook(archive).ok
    assert database_counts()["Training"] == 2


def test_a_missing_optional_column_leaves_the_data_alone(write_csv, db):
    import_workbook(write_csv(small_network()))
    people = [row[:5] for row in small_network()["people"]]  # no organization, email, phone

    assert import_workbook(write_csv({"people": people}, folder="again")).ok
    aigul = Person.objects.get(key="p-aigul")
    assert (aigul.email, aigul.organization.key) == ("aigul@example.org", "swrc")


def test_title_columns_add_and_remove_languages(write_csv, db):
    import_workbook(write_csv(small_network()))
    trainings = [HEADERS["trainings"][:4] + ["country", "language", "title_en", "title_kk"]]
    trainings.append(["inst-2019", "Шымкент 2019", "institute", "2019-01-28", "KZ", "ru", "Shymkent 2019", ""])

    assert import_workbook(write_csv({"trainings": trainings}, folder="again")).ok
    assert Training.objects.get(key="inst-2019").title == {"ru": "Шымкент 2019", "en": "Shymkent 2019"}
    trainings[1][-1], trainings[1][-2] = "Шымкент 2019 ж.", ""

    assert import_workbook(write_csv({"trainings": trainings}, folder="third")).ok
    assert Training.objects.get(key="inst-2019").title == {"ru": "Шымкент 2019", "kk": "Шымкент 2019 ж."}


def test_name_columns_give_an_organisation_its_names_in_other_languages(write_csv, db):
    organizations = [HEADERS["organizations"] + ["short_name", "name_ru", "short_name_ru", "short_name_kk"]]
    organizations.append(["osce", "Organization for Security and Co-operation in Europe", "co-organiser", "AT",
                          "Vienna", "OSCE", "Организация по безопасности и сотрудничеству в Европе", "ОБСЕ", "ЕҚЫҰ"])
    assert import_workbook(write_csv({"organizations": organizations})).ok
    osce = Organization.objects.get(key="osce")
    assert (osce.short_name, osce.short_names) == ("OSCE", {"ru": "ОБСЕ", "kk": "ЕҚЫҰ"})
    assert osce.name_in("ru") == "Организация по безопасности и сотрудничеству в Европе"
    assert osce.name_in("ky") == "Organization for Security and Co-operation in Europe", "no name in ky: its own"

    organizations[1][-1] = ""  # a blank cell removes that language
    assert import_workbook(write_csv({"organizations": organizations[:1] + organizations[1:]}, folder="again")).ok
    assert Organization.objects.get(key="osce").short_names == {"ru": "ОБСЕ"}


def test_a_name_in_another_language_longer_than_the_name_may_be_is_refused(write_csv, db):
    organizations = [HEADERS["organizations"] + ["name_ru"], ["osce", "OSCE", "co-organiser", "AT", "", "О" * 301]]
    result = import_workbook(write_csv({"organizations": organizations}))
    assert not result.ok and not Organization.objects.exists()
    assert [(e.sheet, e.row, e.column) for e in result.errors] == [("organizations", 2, "name_ru")]
    assert "longer than the 300 characters allowed" in str(result.errors[0])


def test_it_undoes_the_apostrophe_that_export_puts_before_a_formula(write_csv, db):
    sheets = small_network()
    sheets["organizations"][1][1] = "'=Women's Resource Center"
    sheets["people"][1][7] = "'+7 700 000 0001"
    sheets["people"][2][4] = "'Tbilisi"

    assert import_workbook(write_csv(sheets)).ok
    assert Organization.objects.get(key="swrc").name == "=Women's Resource Center"
    assert Person.objects.get(key="p-aigul").phone == "+7 700 000 0001"
    assert Person.objects.get(key="p-nino").city == "'Tbilisi"


def test_an_erased_person_is_not_restored_by_an_old_workbook(write_csv, create_person):
    from django.utils import timezone

    create_person(key="p-aigul", full_name="(erased)", erased_at=timezone.now())

    result = import_workbook(write_csv(small_network()))

    assert result.ok
    assert Person.objects.get(key="p-aigul").full_name == "(erased)"
    assert any("erased" in w.message and w.row == 2 for w in result.warnings)
    assert Participation.objects.filter(person__key="p-aigul").count() == 2


def test_unknown_sheets_are_warnings_and_unknown_columns_errors(write_csv, db):
    sheets = small_network()
    sheets["organizations"] = [list(row) for row in sheets["organizations"]]  # HEADERS stays as it is
    for row in sheets["organizations"]:
        row.append("notes" if row[0] == "key" else "whatever")
    sheets["budget"] = [["line", "amount"], ["tea", "12"]]

    result = import_workbook(write_csv(sheets))

    assert [(w.sheet, w.row, w.column) for w in result.warnings] == [("budget", None, None)]
    # a column Cascade does not know would be lost without a word: it stops the import
    assert [(e.sheet, e.row, e.column) for e in result.errors] == [("organizations", 1, "notes")]
    assert result.errors[0].message.startswith("Cascade does not know this column.")
    assert database_counts()["Organization"] == 0


def test_it_imports_roles_manual_sessions_editions_and_agendas(write_csv, db):
    result = import_workbook(write_csv({**small_network(), **linked_sheets()}))

    assert result.ok, [str(e) for e in result.errors]
    aigul = Membership.objects.get(person__key="p-aigul")
    assert (aigul.organization.key, aigul.title, aigul.start_date, aigul.end_date) == (
        "swrc", {"en": "President", "ru": "Президент"}, datetime.date(2015, 3, 1), None)
    assert Membership.objects.get(person__key="p-nino").title == {"en": "Consultant"}
    first, second, third = ManualSession.objects.filter(manual__key="ltc").order_by("number")
    assert (first.title, first.part, first.part_title, first.kind) == (
        {"en": "Communicating for change", "ru": "Общение ради перемен"}, "1", {"en": "Communication"}, "discussion")
    assert (third.title, third.part_title, third.kind) == ({"en": "Negotiating"}, {}, "roleplay")
    # The manuals sheet's languages add plain editions, except those the editions sheet describes.
    assert sorted(Edition.objects.values_list("language", "variant", "title", "year", "url")) == [
        ("ar", "maghrebi", "", 2012, ""), ("en", "", "", None, ""), ("ky", "", "", None, ""),
        ("ru", "", "Путь к выбору", 2004, "https://example.org/ltc-ru.pdf"),
    ]
    agenda = [
        (s.training.key, s.order, s.title, s.date, s.manual_session, sorted(p.key for p in s.facilitators.all()))
        for s in TrainingSession.objects.order_by("training__key", "order")
    ]
    assert agenda == [
        ("inst-2019", 1, {}, datetime.date(2019, 1, 28), first, ["p-nino"]),
        ("inst-2019", 2, {"ru": "Обед"}, datetime.date(2019, 1, 28), None, []),
        ("sd-1", 1, {}, datetime.date(2019, 3, 2), second, ["p-aigul", "p-nino"]),
    ]


def test_importing_the_optional_sheets_twice_updates_rather_than_duplicates(write_csv, db):
    assert import_workbook(write_csv({**small_network(), **linked_sheets()})).ok
    before = all_counts()
    sheets = {**small_network(), **linked_sheets()}
    sheets["memberships"][1][2] = "Director"
    sheets["memberships"][1][5] = ""  # removes the Russian title
    sheets["manual_sessions"][3][5] = "scenario"
    sheets["editions"][2][4] = "2013"
    sheets["sessions"][3][6] = "p-aigul"

    result = import_workbook(write_csv(sheets, folder="again"))

    assert result.ok, [str(e) for e in result.errors]
    assert all_counts() == {**before, "facilitators": before["facilitators"] - 1}
    for sheet, rows in (("memberships", 2), ("manual_sessions", 3), ("editions", 2), ("sessions", 3)):
        assert result.counts[sheet] == {"created": 0, "changed": 1, "unchanged": rows - 1}
    assert Membership.objects.get(person__key="p-aigul").title == {"en": "Director"}
    assert ManualSession.objects.get(number=3).kind == "scenario"
    assert Edition.objects.get(variant="maghrebi").year == 2013
    step_down = TrainingSession.objects.get(training__key="sd-1")
    assert [p.key for p in step_down.facilitators.all()] == ["p-aigul"]


def test_a_membership_of_an_erased_person_is_left_out(write_csv, db):
    assert import_workbook(write_csv(small_network())).ok
    Person.objects.filter(key="p-nino").update(erased_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC))

    result = import_workbook(write_csv({"memberships": linked_sheets()["memberships"]}, folder="roles"))

    assert result.ok
    assert [(w.sheet, w.row) for w in result.warnings] == [("memberships", 3)]
    assert list(Membership.objects.values_list("person__key", flat=True)) == ["p-aigul"]


def test_a_person_erased_under_her_old_key_is_not_brought_back_by_an_old_workbook(write_csv, db):
    """Erasure gives her a new key; the register remembers the old one, so rows with it stay out."""
    from cascade.access import operator
    from cascade.access.services import erase_person

    assert import_workbook(write_csv(small_network())).ok
    erase_person(Person.objects.get(key="p-aigul"), operator(), reason="her request")
    people = Person.objects.count()
    from cascade.access import erasure
    assert erasure.was_erased("p-aigul")

    result = import_workbook(write_csv(small_network()))

    assert result.ok, [str(p) for p in result.errors]
    assert not Person.objects.filter(key="p-aigul").exists() and Person.objects.count() == people
    assert not Person.objects.filter(full_name__icontains="Aigul").exists()
    assert {(w.sheet, w.row) for w in result.warnings if "erased" in w.message} >= {("people", 2)}
    assert any(w.sheet == "participants" and "erased" in w.message for w in result.warnings)
