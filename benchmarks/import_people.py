"""Benchmark: how long an import of many new people holds the database's write lock.

    .venv/bin/python benchmarks/import_people.py [--people 50000]

On SQLite a write transaction locks the whole database: sign-ins wait for it. This
imports a `people.csv` of new people with contacts (encrypted on writing) into a
throw-away SQLite database, three times: a preview (which writes nothing), the
import, and the same import again (nothing changes). For each it prints the total
time and how long the write transaction was held. Results are in docs/import-format.md.
"""

import argparse
import csv
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=50_000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="cascade-bench-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{work / 'bench.sqlite3'}"
    os.environ["CASCADE_DATA_DIR"] = str(work)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cascade.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.core.management import call_command

    from cascade.spreadsheets.importer import import_in_steps

    call_command("migrate", verbosity=0)
    folder = work / "workbook"
    folder.mkdir()
    with open(folder / "people.csv", "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["key", "full_name", "gender", "country", "city", "email", "phone"])
        for i in range(args.people):
            writer.writerow([f"p{i}", f"Person {i}", "woman", "KZ", "Shymkent", f"p{i}@example.org", "+7 700 000 0001"])

    print(f"people: {args.people:,}, SQLite, {os.cpu_count()} cores")
    try:
        measure(folder, import_in_steps)
    finally:
        shutil.rmtree(work)


def measure(folder, import_in_steps) -> None:
    for label, dry_run in (("preview", True), ("import", False), ("the same import again", False)):
        start = time.perf_counter()
        steps, result = import_in_steps(folder, dry_run=dry_run)
        last = start
        for line in steps:
            last = time.perf_counter()
        end = time.perf_counter()
        if not result.ok:
            sys.exit("\n".join(str(e) for e in result.errors[:10]))
        held = 0.0 if dry_run else end - last  # nothing is yielded while the transaction is open
        print(f"{label}: {end - start:.1f} s in all, write transaction held {held:.1f} s; {dict(result.counts)}")


if __name__ == "__main__":
    main()
