"""Sheet names a spreadsheet accepts, whatever the language of the title."""

from cascade.lib.sheets import sheet_title


def test_a_sheet_name_is_cut_to_31_characters_without_the_characters_excel_refuses():
    assert sheet_title("Reach by generation", []) == "Reach by generation"
    name = sheet_title("Охват: по поколениям [все] / итог?", [])
    assert name.startswith("Охват  по поколениям  все") and len(name) == 31
    assert not set(name) & set("[]:*?/\\")
    assert len(sheet_title("x" * 40, [])) == 31


def test_two_tables_with_the_same_start_get_different_sheet_names():
    first = sheet_title("Обученные на институтах люди по годам", [])
    second = sheet_title("Обученные на институтах люди по странам", [first])
    assert first != second and len(second) <= 31 and second.endswith(" (2)")
    assert sheet_title("report", ["Report"]) == "report (2)", "Excel compares names ignoring case"
