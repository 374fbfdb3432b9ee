"""The staff app's network; the personas (alice, erin...) come from tests/conftest.py."""

import datetime

import pytest


@pytest.fixture(autouse=True)
def _second_factor_not_enforced(settings):
    """These tests are about the pages; cascade.accounts' own tests cover the second factor."""
    settings.DEMO_MODE = True


@pytest.fixture
def admin_client(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def network(create_organization, create_person, create_manual, create_training):
    """SWRC's 2019 institute in Shymkent with two participants, one of whom stepped down."""
    swrc = create_organization(key="swrc", name="Shymkent Women's Resource Center", short_name="SWRC")
    manual = create_manual(sessions=3, key="leading-to-choices", title={"en": "Leading to Choices",
                                                                         "ru": "Путь к выбору"})
    aigul = create_person(full_name="Aigul Nurova", city="Shymkent")
    dana = create_person(full_name="Dana Seitova", city="Turkestan")
    institute = create_training(title={"en": "Shymkent institute 2019"}, host=swrc, city="Shymkent",
                                start_date=datetime.date(2019, 1, 10), end_date=datetime.date(2019, 1, 12),
                                participants=[aigul, dana], manuals=[manual])
    step_down = create_training(kind="step-down", title={"en": "Step-down in Sayram"}, city="Sayram",
                                start_date=datetime.date(2019, 3, 2), source_training=institute,
                                facilitators=[aigul], women_count=12, men_count=3)
    return {"swrc": swrc, "manual": manual, "aigul": aigul, "dana": dana, "institute": institute,
            "step_down": step_down}
