import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import connection

from cascade.lib.crypto import email_digest
from cascade.network.models import Person


def raw_row(person):
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM network_person WHERE id = %s", [person.pk])
        return " ".join(str(value) for value in cursor.fetchone())


def test_the_database_row_holds_no_plain_email_or_phone(create_person):
    # Distinctive values: a short digit run could turn up in a hash or token by chance.
    person = create_person(email="Aigul.Kurmanova@example.org", phone="+7 701 555 0199")
    row = raw_row(person)
    for plain in ("Aigul.Kurmanova", "example.org", "701 555 0199", "7015550199"):
        assert plain not in row


def test_the_model_reads_the_plain_values_back(create_person):
    person = create_person(email="aigul@example.org", phone="+7 701 555 0199")
    again = Person.objects.get(pk=person.pk)
    assert (again.email, again.phone) == ("aigul@example.org", "+7 701 555 0199")


def test_a_person_is_found_by_email_whatever_its_case(create_person):
    person = create_person(email="Aigul@Example.org")
    assert Person.objects.get(email_hash=email_digest(" aigul@example.ORG ")) == person


def test_bulk_changes_keep_the_email_hash_in_step(create_person):
    person = create_person(email="old@example.org")
    person.email = "new@example.org"
    Person.objects.bulk_update([person], ["email"])
    assert Person.objects.filter(email_hash=email_digest("new@example.org")).get() == person
    Person.objects.filter(pk=person.pk).update(email="third@example.org")
    assert Person.objects.get(email_hash=email_digest("third@example.org")) == person


def test_bulk_created_people_get_an_email_hash(db):
    Person.objects.bulk_create([Person(key="bulk", full_name="Bulk", email="bulk@example.org")])
    assert Person.objects.filter(email_hash=email_digest("bulk@example.org")).exists()


def test_comparing_an_encrypted_column_in_sql_says_what_to_do_instead(db):
    with pytest.raises(FieldError, match="hash"):
        list(Person.objects.filter(email="aigul@example.org"))


def test_a_person_without_contacts_has_no_email_hash(create_person):
    assert create_person(email="").email_hash == ""


def test_rotating_keys_re_encrypts_with_the_new_key_and_the_old_key_can_go(create_person, settings):
    person = create_person(email="aigul@example.org", phone="+7 701")
    before = raw_row(person)
    new_key = Fernet.generate_key().decode()
    settings.FERNET_KEYS = [new_key, *settings.FERNET_KEYS]
    call_command("rotate-keys", stdout=open("/dev/null", "w"))
    assert raw_row(person) != before
    settings.FERNET_KEYS = [new_key]
    assert Person.objects.get(pk=person.pk).email == "aigul@example.org"


def test_a_missing_key_gives_a_message_that_names_the_setting(create_person, settings):
    from django.core.exceptions import ImproperlyConfigured

    person = create_person(email="aigul@example.org")
    settings.FERNET_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(ImproperlyConfigured, match="CASCADE_FERNET_KEYS"):
        Person.objects.get(pk=person.pk)
