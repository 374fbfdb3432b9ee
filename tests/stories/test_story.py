"""Stories written from the data, in the network's languages, and their exports."""

import zipfile

import pytest
from django.core.management import CommandError, call_command

from cascade.indicators import services as indicators
from cascade.access import operator
from cascade.stories import services
from cascade.stories.models import StoryDraft


@pytest.fixture
def shymkent(demo, db):
    return demo


def story(shymkent, lang):
    return services.write(shymkent, lang)[0]


def test_english_story_of_the_shymkent_institute_says_what_the_source_story_said(shymkent):
    text = story(shymkent, "en")
    assert "the sixteenth such event in Central Asia since 2014" in text
    assert "more than 350 activists" in text
    assert "over 65 step-down trainings" in text
    assert "a three-day training in Shymkent, Kazakhstan" in text
    assert "Organization for Security and Co-operation in Europe (OSCE)" in text
    assert "from Kazakhstan and Georgia" in text
    assert "Leading to Choices" in text and "Leading to Action" in text
    assert "women held 6% of the seats in the upper chamber (Senate)" in text
    assert "Source: Inter-Parliamentary Union" in text


def test_russian_story_agrees_in_gender_and_case(shymkent):
    text = story(shymkent, "ru")
    assert "Это был шестнадцатый такой институт в Центральной Азии с 2014 года." in text
    # The OSCE's Russian name, its indeclinable acronym first.
    assert "ОБСЕ (Организация по безопасности и сотрудничеству в Европе)" in text
    assert "более 350 активистов" in text
    assert "свыше 65 каскадных тренингов" in text
    assert "трёхдневный тренинг" in text
    assert "из Казахстана и Грузии." in text
    assert "(Сенате)" in text and "6%" in text


def test_kazakh_and_kyrgyz_stories_use_the_ordinal_marker_and_suffixes(shymkent):
    kk, ky = story(shymkent, "kk"), story(shymkent, "ky")
    assert "16-шы институт" in kk and "350-ден астам белсенді" in kk and "65-тен астам" in kk
    assert "Қазақстан мен Грузиядан" in kk
    assert "16-чы институт" in ky and "350-дөн ашык активист" in ky and "Казакстан менен Грузиядан" in ky


def test_the_figures_are_saved_with_the_draft(shymkent):
    draft = services.generate_draft(shymkent, "en", operator())
    assert draft.facts["figures"]["ordinal"] == 16
    assert draft.facts["figures"]["activists"] > 350
    assert draft.facts["indicator"]["chamber"] == "upper"
    assert draft.title.startswith("Institute on leadership")


def test_the_indicator_is_the_latest_value_before_the_training(shymkent):
    observation = indicators.latest_before("KZ", shymkent.start_date)
    assert observation.date < shymkent.start_date
    assert services.write(shymkent, "en")[1]["indicator"]["date"] == observation.date.isoformat()


def test_story_exports_to_docx_and_pdf_that_open(shymkent, tmp_path):
    call_command("story", "shymkent-2019", "--lang", "ru", "--format", "docx", "--output", str(tmp_path / "s.docx"))
    call_command("story", "shymkent-2019", "--lang", "en", "--format", "pdf", "--output", str(tmp_path / "s.pdf"))
    with zipfile.ZipFile(tmp_path / "s.docx") as docx:
        assert "шестнадцатый" in docx.read("word/document.xml").decode("utf-8")
    pdf = (tmp_path / "s.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and b"DejaVu" in pdf


def test_story_command_prints_the_text(shymkent, capsys):
    call_command("story", "shymkent-2019", "--lang", "en")
    assert "sixteenth such event" in capsys.readouterr().out


def test_story_command_refuses_an_unknown_training_by_name(db):
    with pytest.raises(CommandError, match="No training has the key “nowhere-2030”"):
        call_command("story", "nowhere-2030", "--lang", "en")


def test_a_binary_format_needs_an_output_file(db):
    with pytest.raises(CommandError, match="--output FILE is needed for the pdf format"):
        call_command("story", "shymkent-2019", "--format", "pdf")


def test_editing_a_draft_keeps_the_text_and_refuses_an_empty_one(shymkent):
    draft = services.generate_draft(shymkent, "en", operator())
    services.save_text(draft, "My title\r\n\r\nMy paragraph.", operator())
    assert StoryDraft.objects.get(pk=draft.pk).text == "My title\n\nMy paragraph.\n"
    with pytest.raises(services.StoryError):
        services.save_text(draft, "   ", operator())


@pytest.mark.parametrize("fmt", ["xlsx", "docx", "pdf"])
def test_donor_report_for_central_asia_2014_to_2019_exports_and_opens(shymkent, tmp_path, fmt):
    output = tmp_path / f"report.{fmt}"
    call_command("report", "--region", "143", "--since", "2014-01-01", "--until", "2019-12-31",
                 "--format", fmt, "--output", str(output))
    data = output.read_bytes()
    if fmt == "pdf":
        assert data.startswith(b"%PDF")
        return
    with zipfile.ZipFile(output) as archive:
        names = archive.namelist()
        if fmt == "docx":
            assert any(name.endswith(".png") for name in names), "the charts are in the document"
        else:
            assert sum(name.startswith("xl/charts/chart") for name in names) == 3, "native charts in the workbook"
    if fmt == "xlsx":
        from openpyxl import load_workbook

        sheet = load_workbook(output)["Headline figures"]
        values = [row[:2] for row in sheet.iter_rows(values_only=True)]
        assert ("institutes", 16) in values
        assert ("people trained at institutes", 356) in values


def test_with_both_chambers_reported_the_same_day_the_story_cites_each(shymkent):
    """A later import of the lower chamber does not push the Senate figure out of the story."""
    import datetime

    from cascade.indicators.models import IndicatorObservation

    senate = indicators.latest_before("KZ", shymkent.start_date, chamber="upper")
    IndicatorObservation.objects.create(
        indicator=senate.indicator, country_id="KZ", chamber="lower", date=senate.date,
        value="27.1028037", unit="%", source_name="United Nations SDG database",
        source_url="https://unstats.un.org/sdgs/dataportal", licence="CC BY 3.0 IGO")
    IndicatorObservation.objects.create(  # out of date: not cited
        indicator=senate.indicator, country_id="KZ", chamber="both", date=datetime.date(2009, 1, 1),
        value="15.9", unit="%", source_name="Old source", source_url="https://example.org", licence="")
    text = story(shymkent, "en")
    assert ("women held 6% of the seats in the upper chamber (Senate) and 27.1% of the seats in the lower "
            "or single chamber (Mazhilis) of the parliament of Kazakhstan. Sources: ") in text
    assert "15.9" not in text
    ru = story(shymkent, "ru")
    assert ("Тогда женщины занимали 6% мест в верхней палате парламента Казахстана (Сенате) и 27,1% мест "
            "в нижней (или единственной) палате (Мажилисе). Источники: ") in ru
