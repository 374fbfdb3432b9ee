"""Benchmark: import participant rows from CSV into SQLite, beside a bare executemany.

    .venv/bin/python benchmarks/import_participants.py [--rows 1000000]

Prints rows per second of `cascade import` (reading, checking and writing the
CSV; how long the one write transaction is held is printed apart), of a bare ``executemany`` of the same rows already resolved to ids (the
floor), their ratio (target >= 0.5) and the peak memory of the process during
the import. Uses a throw-away SQLite file; results are in docs/import-format.md.
"""

import argparse
import csv
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--trainings", type=int, default=2_000)
    parser.add_argument("--people", type=int, default=200_000)
    parser.add_argument("--setup-in", help=argparse.SUPPRESS)  # the child that builds the database
    args = parser.parse_args()
    per_training = -(-args.rows // args.trainings)
    if per_training > args.people:
        sys.exit("Give more people or trainings: each training needs distinct people.")

    work = Path(args.setup_in or tempfile.mkdtemp(prefix="cascade-bench-"))
    if not args.setup_in:
        # Build the database in a child process so that max RSS here measures the import alone.
        subprocess.run([sys.executable, __file__, *sys.argv[1:], "--setup-in", str(work)], check=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{work / 'bench.sqlite3'}"
    os.environ["CASCADE_DATA_DIR"] = str(work)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cascade.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.core.management import call_command

    from cascade.network.models import Person
    from cascade.trainings.models import Training

    def rows():
        # Consecutive rows share a training; a stride coprime with the people count keeps people distinct.
        for i in range(args.rows):
            role = "facilitator" if i % 50 == 0 else "participant"
            yield f"t{i // per_training}", f"p{(i * 7919) % args.people}", role, "no" if i % 9 == 0 else "yes"

    folder = work / "workbook"
    if not args.setup_in:
        try:
            measure(args, folder, rows)
        finally:
            shutil.rmtree(work)
        return
    call_command("migrate", verbosity=0)
    Training.objects.bulk_create(
        (Training(key=f"t{i}", kind="step-down", title={"en": f"T{i}"}, start_date="2019-01-10", country_id="KZ")
         for i in range(args.trainings)), batch_size=2000,
    )
    Person.objects.bulk_create(
        (Person(key=f"p{i}", full_name=f"Person {i}") for i in range(args.people)), batch_size=2000,
    )

    folder.mkdir()
    with open(folder / "participants.csv", "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["training", "person", "role", "completed"])
        writer.writerows(rows())


def measure(args, folder, rows) -> None:
    from django.db import connection

    from cascade.network.models import Person
    from cascade.spreadsheets.importer import import_in_steps
    from cascade.trainings.models import Participation, Training

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    steps, result = import_in_steps(folder)
    for line in steps:  # checking, with no transaction open, until "Writing…"
        writing_from = time.perf_counter()
    import_seconds = time.perf_counter() - start
    write_seconds = time.perf_counter() - writing_from
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if not result.ok:
        sys.exit("\n".join(str(e) for e in result.errors[:10]))
    assert Participation.objects.count() == args.rows
    import_rate = args.rows / import_seconds
    print(f"rows: {args.rows:,} ({args.trainings:,} trainings, {args.people:,} people), SQLite, {os.cpu_count()} cores")
    print(f"import (cascade import of participants.csv): {import_seconds:.1f} s, {import_rate:,.0f} rows/s")
    print(f"  of which checking (no transaction open): {import_seconds - write_seconds:.1f} s, "
          f"writing (the one write transaction): {write_seconds:.1f} s")
    print(f"peak memory (max RSS): {peak_mb:,.0f} MB (before the import: {rss_before / 1024:,.0f} MB; target < 1024 MB)")

    table = Participation._meta.db_table
    with connection.cursor() as cursor:  # not the ORM: its per-row delete signals would dominate
        cursor.execute(f"DELETE FROM {table}")
    trainings = dict(Training.objects.values_list("key", "id"))
    people = dict(Person.objects.values_list("key", "id"))
    resolved = [(trainings[t], people[p], r, c == "yes") for t, p, r, c in rows()]
    raw = connection.connection
    sql = f"INSERT INTO {table} (training_id, person_id, role, completed) VALUES (?, ?, ?, ?)"
    start = time.perf_counter()
    raw.execute("BEGIN")
    for offset in range(0, len(resolved), 10_000):
        raw.executemany(sql, resolved[offset:offset + 10_000])
    raw.execute("COMMIT")
    floor_seconds = time.perf_counter() - start

    floor_rate = args.rows / floor_seconds
    print(f"floor (bare executemany of resolved rows):   {floor_seconds:.1f} s, {floor_rate:,.0f} rows/s")
    print(f"ratio import/floor: {import_rate / floor_rate:.2f} (target >= 0.50)")


if __name__ == "__main__":
    main()
