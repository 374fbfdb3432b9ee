"""In a browser: a training's key is copied with one press (and "Copied" is announced), and
the printed page (Chromium's PDF) holds the content without menus, forms or buttons."""

import datetime
import subprocess

import pytest

from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def institute(transactional_db):
    from cascade.trainings.models import Training

    return Training.objects.create(key="shymkent-2019", kind="institute", title={"en": "Shymkent institute 2019"},
                                   start_date=datetime.date(2019, 1, 10), end_date=datetime.date(2019, 1, 12),
                                   country_id="KZ", city="Shymkent")


def test_the_copy_button_copies_the_key_and_says_so(page, site, institute):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.url)
    sign_in(page, site.url)
    page.goto(f"{site.url}/trainings/{institute.pk}/")
    button = page.locator("button[data-copy-key]")
    assert button.is_visible()
    button.click()
    status = page.locator(".key-status")
    status.wait_for(state="attached")
    page.wait_for_function("document.querySelector('.key-status').textContent === 'Copied'")
    assert page.evaluate("navigator.clipboard.readText()") == "shymkent-2019"


def test_the_printed_training_page_has_its_content_and_no_menus(page, site, institute, tmp_path):
    sign_in(page, site.url)
    page.goto(f"{site.url}/trainings/{institute.pk}/")
    pdf = tmp_path / "training.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Shymkent institute 2019" in text and "shymkent-2019" in text
    assert "printed" in text  # the header: address and date
    for screen_only in ("Sign out", "Report a step-down", "Background jobs", "Copy", "Edit"):
        assert screen_only not in text, screen_only


def test_the_printed_dashboard_names_its_filters(page, site, institute, tmp_path):
    sign_in(page, site.url)
    page.goto(f"{site.url}/?country=KZ")
    pdf = tmp_path / "dashboard.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Filters: Country: Kazakhstan" in " ".join(text.split())
    assert "Apply" not in text and "Clear" not in text
