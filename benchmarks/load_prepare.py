"""The database of the load test: the demo network, plus the accounts the load signs in with.

Run by ``benchmarks/run_load.py`` in its own process (Django reads DATABASE_URL and
CASCADE_DATA_DIR when it starts), after ``cascade demo --no-serve`` has loaded the demo:

    DATABASE_URL=... CASCADE_DATA_DIR=... python benchmarks/load_prepare.py FIXTURE.json --accounts 50

It writes FIXTURE.json for ``benchmarks/load.py``: the accounts (with each staff
account's TOTP key), and real objects each account may open (training and person ids,
filters), read through ``cascade.access`` so no task asks for what its user may not see.

Staff sign in as staff do on a server: password, then a code from their authenticator.
Each staff account gets its own confirmed TOTP device with a key written to the fixture;
the Locust user computes the current code from it (django_otp's own TOTP). The server
runs without CASCADE_DEMO, so the second step is required, as in production.
"""

import argparse
import datetime
import json
import os
import random
import secrets
import sys
from pathlib import Path

PASSWORD = "load test pass phrase 2024"  # noqa: S105 (a throwaway database on loopback)
SEED = 12


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("fixture", type=Path)
    parser.add_argument("--accounts", type=int, default=50, help="Accounts of each kind (staff, trainer, donor).")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cascade.settings")
    import django

    django.setup()
    fixture = prepare(args.accounts)
    args.fixture.write_text(json.dumps(fixture, indent=1))
    counts = {kind: len(fixture[kind]) for kind in ("staff", "trainers", "donors")}
    print(f"load accounts: {counts}; fixture {args.fixture}")


def prepare(accounts: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from cascade import access
    from cascade.accounts.models import Role
    from cascade.curriculum.models import Manual
    from cascade.network.models import Organization
    from cascade.trainings.sources import completed_by, preferred

    rng = random.Random(SEED)
    users = get_user_model()
    password = make_password(PASSWORD)  # one Argon2 hash for every account: same password
    partners = list(Organization.objects.filter(kind=Organization.Kind.PARTNER, hosted_trainings__isnull=False)
                    .distinct().order_by("key"))
    manuals = list(Manual.objects.filter(sessions__isnull=False).distinct().order_by("key"))
    today = datetime.date.today()
    report_day = today - datetime.timedelta(days=3)
    fixture = {"password": PASSWORD, "staff": [], "trainers": [], "donors": []}

    def account(username, kind, **role):
        user = users.objects.create(username=username, email=f"{username}@example.org", password=password)
        Role.objects.create(user=user, kind=kind, **role)
        return user

    with transaction.atomic():
        users.objects.filter(username__startswith="load-").delete()
        for number in range(accounts):
            # Half network admins, half staff of a partner (they see its cascade only).
            partner = partners[number % len(partners)] if partners and number % 2 else None
            if partner is None:
                user = account(f"load-staff-{number:02d}", Role.Kind.NETWORK_ADMIN)
            else:
                user = account(f"load-staff-{number:02d}", Role.Kind.PARTNER_STAFF, organization=partner)
            key = secrets.token_hex(20)
            TOTPDevice.objects.create(user=user, name="load phone", key=key, confirmed=True)
            trainings = list(access.visible_trainings(user).values_list("pk", flat=True))
            people = list(access.visible_people(user).values_list("pk", flat=True))
            fixture["staff"].append({
                "username": user.username, "totp_key": key, "partner": partner.key if partner else "",
                "trainings": rng.sample(trainings, min(40, len(trainings))),
                "people": rng.sample(people, min(40, len(people))),
                "filters": _filters(user, partners, manuals),
            })

        # Trainers: people who completed an institute, each reporting her own step-downs.
        trained = [person for person in _trained_people() if completed_by(person, report_day).exists()]
        rng.shuffle(trained)
        for number, person in enumerate(trained[:accounts]):
            user = account(f"load-trainer-{number:02d}", Role.Kind.TRAINER, person=person)
            source = preferred(access.report_sources(user, person, before=report_day))
            manual = manuals[number % len(manuals)] if manuals else None
            fixture["trainers"].append({
                "username": user.username, "person": person.pk, "country": person.country_id or "KZ",
                "source_training": source.pk if source else "",
                "manual": manual.pk if manual else "",
                "sessions": list(manual.sessions.order_by("number").values_list("pk", flat=True)[:3]) if manual else [],
                "start_date": report_day.isoformat(),
            })

        for number in range(accounts):
            user = account(f"load-donor-{number:02d}", Role.Kind.DONOR)
            fixture["donors"].append({"username": user.username, "filters": _filters(user, partners, manuals)})
    return fixture


def _trained_people():
    from cascade.network.models import Person
    from cascade.trainings.models import Participation, Training

    return Person.objects.filter(
        participations__training__kind=Training.Kind.INSTITUTE, participations__completed=True,
        participations__role=Participation.Role.PARTICIPANT, erased_at__isnull=True,
    ).distinct().order_by("pk")


def _filters(user, partners, manuals) -> list[dict]:
    """Filter sets of the dashboard that this user may ask for (the form's own choices)."""
    from cascade.web.forms import FiltersForm

    form = FiltersForm(user=user)
    countries = list(form.fields["country"].queryset.values_list("code", flat=True))
    partner_keys = list(form.fields["partner"].queryset.values_list("key", flat=True))
    sets = [{"country": code} for code in countries[:6]]
    sets += [{"partner": key} for key in partner_keys[:4]]
    sets += [{"manual": manual.key} for manual in manuals[:2]]
    sets += [{"since": "2015-01-01", "until": "2019-12-31"}, {"since": "2020-01-01"}]
    if countries and manuals:
        sets.append({"country": countries[0], "manual": manuals[0].key, "since": "2012-01-01"})
    return sets


if __name__ == "__main__":
    main()
