"""Small files of our own in the publishers' layouts, made in the test (values illustrative).

The CSV samples are files in ``data/``; the Excel ones and the re-saved CSVs are made
here from them, the way Excel or the publisher would write them.
"""

import csv
import datetime
import io
from pathlib import Path

import openpyxl

DATA = Path(__file__).parent / "data"
WORLD_BANK = DATA / "API_SG.GEN.PARL.ZS_DS2_en_csv_v2_sample.csv"
UN_SDG = DATA / "un_sdg_5.5.1_sample.csv"
UN_PIVOT = DATA / "un_sdg_5.5.1_pivot_sample.csv"
IPU = DATA / "ipu_parline_historical_sample.csv"
IPU_RANKING = DATA / "ipu_women_ranking_sample.csv"


def world_bank_rows() -> list[list[str]]:
    return list(csv.reader(io.StringIO(WORLD_BANK.read_text(encoding="utf-8-sig"))))


def world_bank_without_preamble() -> bytes:
    """As Excel re-saves the download: the preamble gone, no quotes, LF, a BOM."""
    rows = [row[:-1] for row in world_bank_rows()[4:]]  # the trailing empty column goes too
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def world_bank_russian_excel(encoding: str = "cp1251") -> bytes:
    """As Russian-locale Excel saves it: “;” between cells, decimal commas, CRLF."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for row in world_bank_rows():
        writer.writerow([cell.replace(".", ",") if cell.replace(".", "").isdigit() else cell for cell in row])
    text = out.getvalue()
    for english, russian in RUSSIAN_NAMES.items():  # names a staff member typed over the English ones
        text = text.replace(english, russian)
    return text.encode(encoding)


RUSSIAN_NAMES = {"Kazakhstan": "Казахстан", "Kyrgyz Republic": "Кыргызская Республика", "Georgia": "Грузия",
                 "World": "Мир", "Proportion of seats held by women in national parliaments (%)":
                 "Доля мест, занимаемых женщинами в национальных парламентах (%)"}


def _xlsx(workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def world_bank_xlsx(created=datetime.datetime(2025, 7, 1, 9, 0)) -> bytes:
    """The World Bank's Excel download: sheets Data, Metadata_Countries, Metadata_Indicators."""
    workbook = openpyxl.Workbook()
    data = workbook.active
    data.title = "Data"
    for row in world_bank_rows()[4:]:
        data.append([float(cell) if index >= 4 and cell else cell for index, cell in enumerate(row[:-1])])
    countries = workbook.create_sheet("Metadata_Countries")
    countries.append(["Country Code", "Region", "IncomeGroup", "SpecialNotes", "TableName"])
    countries.append(["KAZ", "Europe & Central Asia", "Upper middle income", "", "Kazakhstan"])
    indicators = workbook.create_sheet("Metadata_Indicators")
    indicators.append(["INDICATOR_CODE", "INDICATOR_NAME", "SOURCE_NOTE", "SOURCE_ORGANIZATION"])
    indicators.append(["SG.GEN.PARL.ZS", "Proportion of seats held by women in national parliaments (%)",
                       "Women in parliaments are the percentage of parliamentary seats in a single or lower "
                       "chamber held by women.",
                       "Inter-Parliamentary Union (IPU) (www.ipu.org).  For 2016, the IPU data as of "
                       "August 10 2016 is used."])
    workbook.properties.created = created
    return _xlsx(workbook)


def un_sdg_xlsx() -> bytes:
    """The UN SDG download as Excel: numbers as numbers, one sheet named after the goal."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Goal5"
    rows = list(csv.reader(io.StringIO(UN_SDG.read_text(encoding="utf-8"))))
    sheet.append(rows[0])
    numeric = {rows[0].index(name) for name in ("Goal", "GeoAreaCode", "TimePeriod")}
    for row in rows[1:]:
        sheet.append([float(cell) if index in numeric else cell for index, cell in enumerate(row)])
    return _xlsx(workbook)


IPU_HISTORICAL_HEADER = ["Country", "Region", "Election / Renewal", "Year", "Month", "Chamber Type",
                         "Chamber Total Seats", "Total women", "% Of Women in Chamber", "NOTES"]
IPU_HISTORICAL_ROWS = [
    ["Kyrgyzstan", "ASIA", "Yes", 2005, "February", "Single", 75, 0, 0.0, "Runoff in March"],
    ["Kyrgyzstan", "ASIA", "Yes", 2007, "December", "Single", 90, 23, 0.25555555555555554, ""],
    ["Kyrgyzstan", "ASIA", "Yes", 2010, "", "Single", 120, 28, 0.23333333333333334, ""],
    ["Kazakhstan", "EUR", "Yes", 1999, "", "Lower", 77, 9, 0.11688311688311688, ""],
    ["Kazakhstan", "EUR", "Yes", 1999, "december", "Lower", 74, 8, 0.10810810810810811, ""],
    ["Kazakhstan", "EUR", "Yes", 2008, "October - May", "Upper", 32, 1, 0.03125, ""],
    ["Kazakhstan", "EUR", "Yes", 2011, "August", "Upper", 47, 2, "4.3%", ""],
    ["Georgia", "EUR", "Yes", 2016, "october", "Single", 150, "?", "?", ""],
    ["Georgia", "EUR", "Yes", 2012, "October", "Single", 150, 18, "#VALUE!", ""],
    ["USSR", "EUR", "Yes", 1984, "March", "Lower", 1500, 492, 0.328, ""],
    ["Kyrgyzstan", "ASIA", "Yes", 1995, "February", "Temporary Assembly", 105, 5, 0.047, ""],
]


def ipu_historical_xlsx(rows=None) -> bytes:
    """The IPU's historical workbook (one sheet, Feuil1; shares as fractions; “?” and #VALUE!)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Feuil1"
    sheet.append(IPU_HISTORICAL_HEADER)
    for row in IPU_HISTORICAL_ROWS if rows is None else rows:
        sheet.append(row)
    return _xlsx(workbook)
