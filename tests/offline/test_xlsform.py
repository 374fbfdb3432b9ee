"""The step-down report as an XLSForm: pyxform converts it, in every language, with its lists."""

import csv

import pytest
from django.conf import settings
from django.core.management import call_command
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from cascade.offline import xlsform

NAMES = ["trainer", "start_date", "end_date", "country", "city", "manual", "sessions", "women", "men", "other",
         "participants", "name", "gender", "photo1", "photo2", "photo3", "consent"]


@pytest.fixture
def form(network, tmp_path):
    call_command("xlsform", str(tmp_path / "step-down.xlsx"))
    return tmp_path


def test_pyxform_converts_the_form_without_errors(form):
    warnings = []
    result = convert(xlsform=str(form / "step-down.xlsx"), validate=False, warnings=warnings)
    assert warnings == []
    assert "<h:title>" in result.xform
    for name in NAMES:
        assert f"/{name}" in result.xform
    assert "instance('sessions')" in result.xform and "manual" in result.xform  # sessions filtered by manual
    assert 'jr://file-csv/trainers.csv' in result.xform


def test_the_questions_are_named_as_the_importer_reads_them(form):
    survey = load_workbook(form / "step-down.xlsx")["survey"]
    names = [row[1] for row in survey.iter_rows(min_row=2, values_only=True) if row[1]]
    assert names == NAMES


def test_labels_are_in_all_nine_languages(form):
    survey = load_workbook(form / "step-down.xlsx")["survey"]
    header = [cell.value for cell in survey[1]]
    assert "label::Русский (ru)" in header and "label::English (en)" in header
    assert len([h for h in header if h.startswith("label::")]) == len(settings.LANGUAGES) == 9
    english = header.index("label::English (en)")
    assert survey.cell(row=2, column=english + 1).value == "Who led the training"


def test_the_lists_come_from_the_network(form):
    with (form / "sessions.csv").open(encoding="utf-8") as handle:
        sessions = list(csv.DictReader(handle))
    assert [(row["name"], row["manual"]) for row in sessions] == [("ltc-1", "ltc"), ("ltc-2", "ltc")]
    with (form / "manuals.csv").open(encoding="utf-8") as handle:
        manuals = {row["name"]: row for row in csv.DictReader(handle)}
    assert manuals["ltc"]["label::Русский (ru)"] == "Лидерство и выбор"
    with (form / "countries.csv").open(encoding="utf-8") as handle:
        assert any(row["name"] == "KG" for row in csv.DictReader(handle))


def test_trainers_are_listed_by_key_unless_the_form_is_for_an_account_that_sees_them(network, tmp_path, alice, erin):
    xlsform.write(tmp_path / "any.xlsx")
    with (tmp_path / "trainers.csv").open(encoding="utf-8") as handle:
        rows = {row["name"]: row for row in csv.DictReader(handle)}
    assert rows["trainer-aigul"]["label::English (en)"] == "trainer-aigul"
    assert "Aigul Bekova" not in (tmp_path / "trainers.csv").read_text(encoding="utf-8")
    xlsform.write(tmp_path / "alice" / "form.xlsx", user=alice)
    assert "Aigul Bekova" in (tmp_path / "alice" / "trainers.csv").read_text(encoding="utf-8")
    xlsform.write(tmp_path / "erin" / "form.xlsx", user=erin)  # a donor sees nobody: an empty list
    assert "trainer-aigul" not in (tmp_path / "erin" / "trainers.csv").read_text(encoding="utf-8")
