"""Build a large synthetic cascade network for the engine's scale benchmark.

    python benchmarks/scale_generate.py --database-url sqlite:////tmp/cascade_bench.sqlite3
    python benchmarks/scale_generate.py --database-url postgres://postgres@127.0.0.1:5432/cascade_bench

At --scale 1 (the default): 20 partners, 2,000 institutes, 100,000 named people,
300,000 step-downs over 7 generations, about 2,000,000 participations. The same
seed gives the same network on every database. The target database is wiped
(SQLite file deleted, PostgreSQL database dropped and created), so never point it
at a real one.
"""

import argparse
import datetime
import json
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PARTNER_COUNTRIES = ["KZ", "KG", "TJ", "UZ", "GE", "MA", "NG", "PS", "PK", "MY",
                     "ID", "TR", "JO", "EG", "LB", "BH", "IR", "AF", "SN", "BR"]
# step-downs per generation (2..7) at scale 1, and people per generation slice (1..7)
STEP_DOWNS = {2: 120_000, 3: 80_000, 4: 50_000, 5: 30_000, 6: 15_000, 7: 5_000}
PEOPLE = {1: 30_000, 2: 25_000, 3: 17_000, 4: 11_000, 5: 8_000, 6: 5_000, 7: 3_000}
UNTRAINED_TRAINERS = 1_000  # people who lead step-downs without any recorded training
INSTITUTES = 2_000
INSTITUTE_SIZE = 25
STEP_DOWN_SIZE = (2, 8)  # named participants per step-down
MANUAL_SESSIONS = [12, 10, 10, 8, 12, 10, 9]
SEED = 20190110


def prepare_database(url: str) -> None:
    """Wipe and migrate the benchmark database."""
    import dj_database_url

    config = dj_database_url.parse(url)
    if config["ENGINE"].endswith("sqlite3"):
        for suffix in ("", "-wal", "-shm"):
            Path(config["NAME"] + suffix).unlink(missing_ok=True)
    else:
        import psycopg

        with psycopg.connect(host=config["HOST"], port=config["PORT"] or 5432, user=config["USER"],
                             dbname="postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}"')
            conn.execute(f'CREATE DATABASE "{config["NAME"]}"')
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cascade.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _table(model, rows: list[dict]):
    """Column names and value tuples for ``rows``; unspecified columns take the model default."""
    from django.db import connection
    from django.utils import timezone

    fields = [f for f in model._meta.concrete_fields]
    given = set().union(*(row.keys() for row in rows[:1]))
    constants = {}
    for field in fields:
        if field.attname in given:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = timezone.now()
        else:
            value = field.get_default()
        value = field.get_db_prep_save(value, connection)
        if hasattr(value, "dumps") or isinstance(value, (dict, list)):
            value = json.dumps(getattr(value, "obj", value))
        constants[field.column] = value
    columns = [f.column for f in fields]
    attname = {f.column: f.attname for f in fields}
    values = [tuple(row[attname[c]] if attname[c] in row else constants[c] for c in columns) for row in rows]
    return columns, values


def write(model, rows: list[dict]) -> None:
    """Insert quickly: COPY on PostgreSQL, executemany on SQLite."""
    from django.db import connection

    if not rows:
        return
    columns, values = _table(model, rows)
    table = model._meta.db_table
    columns = [connection.ops.quote_name(c) for c in columns]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", values)


def generate(scale: float) -> dict:
    from django.db import connection, transaction

    from cascade.curriculum.models import Manual, ManualSession
    from cascade.metrics.engine import invalidate
    from cascade.network.models import Organization, Person
    from cascade.trainings.models import Participation, Training, TrainingSession

    rng = random.Random(SEED)
    n = lambda value: max(1, int(value * scale))  # noqa: E731
    today = datetime.date(2025, 12, 31)

    with transaction.atomic():
        write(Organization, [
            {"id": i + 1, "key": f"partner-{i + 1}", "name": f"Partner {i + 1}", "kind": "partner", "country_id": c}
            for i, c in enumerate(PARTNER_COUNTRIES)
        ])
        write(Manual, [{"id": m + 1, "key": f"manual-{m + 1}", "title": json.dumps({"en": f"Manual {m + 1}"})}
                       for m in range(len(MANUAL_SESSIONS))])
        session_rows, manual_sessions, sid = [], [], 0
        for m, count in enumerate(MANUAL_SESSIONS):
            ids = []
            for number in range(1, count + 1):
                sid += 1
                session_rows.append({"id": sid, "manual_id": m + 1, "number": number,
                                     "title": json.dumps({"en": f"Session {number}"})})
                ids.append(sid)
            manual_sessions.append(ids)
        write(ManualSession, session_rows)

        # people in slices: a person of slice g takes part in trainings of generation g
        slices, next_person = {}, 1
        for g, count in PEOPLE.items():
            slices[g] = range(next_person, next_person + n(count))
            next_person += n(count)
        untrained = range(next_person, next_person + n(UNTRAINED_TRAINERS))
        next_person += n(UNTRAINED_TRAINERS)
        write(Person, [{"id": i, "key": f"person-{i}", "full_name": f"Person {i}", "gender": "woman" if i % 9 else "man",
                        "country_id": PARTNER_COUNTRIES[i % len(PARTNER_COUNTRIES)]} for i in range(1, next_person)])

        trainings, participations, training_manuals, agenda = [], [], [], []
        by_generation: dict[int, list[tuple[int, datetime.date, int, list[int]]]] = {}
        tid = 0

        def add_training(kind, start, end, host, generation, people, facilitators, source=None, counts=(0, 0, 0)):
            nonlocal tid
            tid += 1
            manual = rng.randrange(len(MANUAL_SESSIONS))
            trainings.append({
                "id": tid, "key": f"{kind}-{tid}", "kind": kind, "title": json.dumps({"en": f"Training {tid}"}),
                "start_date": start, "end_date": end, "country_id": PARTNER_COUNTRIES[host - 1], "host_id": host,
                "source_training_id": source, "women_count": counts[0], "men_count": counts[1],
                "other_count": counts[2],
            })
            training_manuals.append((tid, manual + 1))
            if kind == "step-down" and rng.random() < 0.1:
                chosen = rng.sample(manual_sessions[manual], rng.randint(1, len(manual_sessions[manual])))
                agenda.extend({"training_id": tid, "order": o, "manual_session_id": s} for o, s in enumerate(chosen))
            completed = []
            for person in people:
                done = rng.random() < 0.95
                participations.append((tid, person, "participant", done))
                if done:
                    completed.append(person)
            for person in facilitators:
                participations.append((tid, person, "facilitator", True))
            by_generation.setdefault(generation, []).append((tid, end or start, host, completed))

        first = datetime.date(2005, 1, 1)
        for i in range(n(INSTITUTES)):
            start = first + datetime.timedelta(days=rng.randrange(15 * 365))
            host = 1 + i % len(PARTNER_COUNTRIES)
            people = rng.sample(slices[1], min(INSTITUTE_SIZE, len(slices[1])))
            add_training("institute", start, start + datetime.timedelta(days=2), host, 1, people,
                         rng.sample(slices[1], 1))
        for g, count in STEP_DOWNS.items():
            parents = [p for p in by_generation[g - 1] if p[3]]
            for _ in range(n(count)):
                parent_id, parent_end, host, completed = rng.choice(parents)
                start = parent_end + datetime.timedelta(days=rng.randint(7, 120))
                if start > today:
                    start = parent_end
                facilitators = rng.sample(completed, min(len(completed), 1 + (rng.random() < 0.5)))
                source = parent_id if rng.random() < 0.03 else None
                if rng.random() < 0.01:
                    facilitators, source = [rng.choice(untrained)], None
                people = rng.sample(slices[g], min(rng.randint(*STEP_DOWN_SIZE), len(slices[g])))
                end = start + datetime.timedelta(days=rng.randint(0, 1)) if rng.random() < 0.5 else None
                counts = (rng.randint(0, 25), rng.randint(0, 8), rng.randint(0, 1))
                add_training("step-down", start, end, host, g, people, facilitators, source, counts)

        write(Training, trainings)
        write(Training.manuals.through, [{"id": i + 1, "training_id": t, "manual_id": m}
                                         for i, (t, m) in enumerate(training_manuals)])
        write(TrainingSession, [dict(row, id=i + 1) for i, row in enumerate(agenda)])
        write(Participation, [{"id": i + 1, "training_id": t, "person_id": p, "role": r, "completed": c}
                              for i, (t, p, r, c) in enumerate(participations)])
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for model in (Organization, Manual, ManualSession, Person, Training, TrainingSession, Participation):
                    table = model._meta.db_table
                    cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")
        invalidate()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"people": next_person - 1, "trainings": len(trainings), "institutes": n(INSTITUTES),
            "participations": len(participations), "sessions": len(agenda)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    started = time.perf_counter()
    prepare_database(args.database_url)
    counts = generate(args.scale)
    print(json.dumps({**counts, "seconds": round(time.perf_counter() - started, 1)}))


if __name__ == "__main__":
    main()
