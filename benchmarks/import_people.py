"""Benchmark: how long an import of many new people holds the database's write lock, and a re-import.

    .venv/bin/python benchmarks/import_people.py [--people 50000] [--changes-file]

On SQLite a write transaction locks the whole database: sign-ins wait for it. This
imports a `people.csv` of new people with contacts (encrypted on writing) into a
throw-away SQLite database, three times: a preview (which writes nothing), the
import, and the same import again (nothing changes, so nothing may be written). For
each it prints the total time, how long the write transaction was held and how many
statements wrote (INSERT, UPDATE, DELETE); the ratio of the last two is of processor
time (SQLite runs in this process), which the machine's load changes little.
``--changes-file`` also has the preview write the list of every row (``changes.xlsx``),
as the pages' check does.
Results are in docs/import-format.md and docs/benchmarks.md.
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
    parser.add_argument("--changes-file", action="store_true",
                        help="the preview writes the list of every row, as the pages' check does")
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
        measure(folder, import_in_steps, (lambda: work / "changes.xlsx") if args.changes_file else None)
    finally:
        shutil.rmtree(work)


def measure(folder, import_in_steps, changes_to=None) -> None:
    from django.db import connection

    writes = []

    def count_writes(execute, sql, params, many, context):
        if sql.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE"):
            writes.append(sql)
        return execute(sql, params, many, context)

    times = {}
    for label, dry_run in (("preview", True), ("import", False), ("the same import again", False)):
        writes.clear()
        start, cpu = time.perf_counter(), time.process_time()
        with connection.execute_wrapper(count_writes):
            # as the pages' jobs: the check lists every row in a file, the import does not
            steps, result = import_in_steps(folder, dry_run=dry_run, changes_to=changes_to if dry_run else None)
            writing = None
            for line in steps:
                writing = time.perf_counter() if line == "Writing…" else None
        end, cpu = time.perf_counter(), time.process_time() - cpu
        if not result.ok:
            sys.exit("\n".join(str(e) for e in result.errors[:10]))
        # "Writing…" is the last line before the transaction; nothing is yielded while it is open
        held = 0.0 if writing is None else end - writing
        times[label] = cpu
        print(f"{label}: {end - start:.1f} s in all ({cpu:.1f} s of processor time), "
              f"write transaction held {held:.1f} s, "
              f"{len(writes)} statements wrote; {dict(result.counts)}")
    # processor time: on a shared machine, wall-clock times vary with the load; SQLite runs in this process
    print(f"the same import again took {times['the same import again'] / times['import']:.0%} of the import's "
          "processor time")


if __name__ == "__main__":
    main()
