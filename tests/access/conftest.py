"""The personas of the permission matrix and a small two-partner network they look at.

alice: network admin; bob: partner staff of SWRC; carol: partner staff of another
partner (Bir Duino); dave: trainer who facilitates one SWRC step-down; erin: donor viewer.
"""

import datetime

import pytest
from django.contrib.auth import get_user_model

from cascade.accounts.models import Role
from cascade.network.models import Person


@pytest.fixture
def network(create_organization, create_person, create_training):
    swrc = create_organization(key="swrc", name="Shymkent Women's Resource Center", short_name="SWRC")
    birduino = create_organization(key="bir-duino", name="Bir Duino", country_id="KG")
    osce = create_organization(key="osce", name="OSCE", kind="co-organiser")
    gulnara = create_person(key="gulnara", full_name="Gulnara Swrcstaff", organization=swrc,
                            email="gulnara@example.org", phone="+7 700 111 2233")
    aigul = create_person(key="aigul", full_name="Aigul Swrcparticipant", email="aigul@example.org")
    dana = create_person(key="dana", full_name="Dana Steptrainer")
    local = create_person(key="local", full_name="Saule Steplearner")
    nurjan = create_person(key="nurjan", full_name="Nurjan Birduinoparticipant", country_id="KG")
    institute = create_training(key="shymkent-2019", host=swrc, participants=[aigul, dana],
                                facilitators=[gulnara])
    institute.co_organisers.add(osce)
    step_down = create_training(key="step-down-1", kind="step-down", source_training=institute,
                                participants=[local], facilitators=[dana],
                                start_date=datetime.date(2019, 3, 1), women_count=7)
    step_down.co_organisers.add(swrc)
    bishkek = create_training(key="bishkek-2019", host=birduino, participants=[nurjan], country_id="KG")
    return dict(swrc=swrc, birduino=birduino, osce=osce, gulnara=gulnara, aigul=aigul, dana=dana,
                local=local, nurjan=nurjan, institute=institute, step_down=step_down, bishkek=bishkek)


def _user(username, kind=None, superuser=False, **role):
    user = get_user_model().objects.create_user(
        username, password=None, is_superuser=superuser, is_staff=superuser)
    if kind:
        Role.objects.create(user=user, kind=kind, **role)
    return user


@pytest.fixture
def personas(network):
    return {
        "alice": _user("alice", Role.Kind.NETWORK_ADMIN, superuser=True),
        "bob": _user("bob", Role.Kind.PARTNER_STAFF, organization=network["swrc"]),
        "carol": _user("carol", Role.Kind.PARTNER_STAFF, organization=network["birduino"]),
        "dave": _user("dave", Role.Kind.TRAINER, person=network["dana"]),
        "erin": _user("erin", Role.Kind.DONOR),
    }


@pytest.fixture
def person_names():
    return lambda: list(Person.objects.values_list("full_name", flat=True))
