"""A small two-partner network for the personas of tests/conftest.py to look at.

bob (SWRC staff) sees SWRC's institute and step-down; carol (Bir Duino staff) the
Bishkek institute; dave trains as Dana, who facilitates SWRC's step-down.
"""

import datetime

import pytest

from cascade.network.models import Person


@pytest.fixture
def network(partners, create_organization, create_person, create_training):
    swrc, birduino = partners["swrc"], partners["birduino"]
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


@pytest.fixture
def trainer_person(network):
    return network["dana"]


@pytest.fixture
def person_names():
    return lambda: list(Person.objects.values_list("full_name", flat=True))
