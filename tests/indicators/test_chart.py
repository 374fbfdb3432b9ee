"""The per-country chart the staff app embeds."""

import xml.etree.ElementTree as ET

import pytest
from django.core.management import call_command

from cascade.indicators.charts import country_chart_svg

SVG = "{http://www.w3.org/2000/svg}"
pytestmark = pytest.mark.django_db


def test_chart_draws_a_line_per_chamber_and_names_its_sources():
    call_command("indicators", "load-snapshot")
    svg = ET.fromstring(country_chart_svg("KZ"))
    assert len(svg.findall(f"{SVG}polyline")) == 2
    point_labels = [c.find(f"{SVG}title").text for c in svg.findall(f"{SVG}circle")]
    assert "2019-01-01: 6% (IPU Parline, Women in national parliaments (situation as of 1 January 2019))" in point_labels
    texts = [t.text for t in svg.findall(f"{SVG}text")]
    assert "Sources: IPU Parline" in texts
    assert "upper chamber (senate)" in texts


def test_chart_of_a_country_without_data_says_so():
    svg = ET.fromstring(country_chart_svg("TJ"))
    assert "No data yet." in [t.text for t in svg.findall(f"{SVG}text")]
