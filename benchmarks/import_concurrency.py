"""Benchmark: sign-ins and step-down reports while `cascade import` writes 200,000 people (SQLite).

    .venv/bin/python benchmarks/import_concurrency.py [--people 200000] [--timeout 900]

A throw-away data folder with a file SQLite database in WAL mode, as a small install
runs it. The import runs as its own process (`cascade import FOLDER`); meanwhile this
process signs a donor in through the sign-in page (Django's test client: loopback only,
no socket) and records step-downs through the service the phone report uses, one after
the other, until the import ends. Prints how many of each succeeded and failed and their
latencies. Results are in docs/benchmarks.md.
"""

import argparse
import csv
import datetime
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "a long and unusual passphrase 7"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=200_000)
    parser.add_argument("--timeout", type=int, default=900, help="seconds before the import is stopped")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="cascade-bench-concurrency-"))
    env = {**os.environ, "CASCADE_DATA_DIR": str(work), "DATABASE_URL": f"sqlite:///{work / 'bench.sqlite3'}",
           "PYTHONPATH": str(ROOT), "DJANGO_SETTINGS_MODULE": "cascade.settings"}
    for name in ("SECRET_KEY", "CASCADE_FERNET_KEYS", "CASCADE_LOOKUP_KEY", "CASCADE_PSEUDONYM_KEY"):
        env.pop(name, None)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from cascade.accounts.models import Role
    from cascade.network.models import Country, Organization, Person
    from cascade.web.services import report_step_down

    call_command("migrate", verbosity=0)
    User = get_user_model()
    User.objects.create_user("erin", password=PASSWORD)
    Role.objects.create(user=User.objects.get(username="erin"), kind=Role.Kind.DONOR)
    swrc = Organization.objects.create(key="swrc", name="SWRC", country_id="KZ")
    trainer = Person.objects.create(key="aigul", full_name="Aigul", country_id="KZ", organization=swrc)
    trainer_user = User.objects.create_user("aigul", password=PASSWORD)
    Role.objects.create(user=trainer_user, kind=Role.Kind.TRAINER, person=trainer)
    country = Country.objects.get(pk="KZ")

    folder = work / "workbook"
    folder.mkdir()
    with open(folder / "people.csv", "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["key", "full_name", "gender", "country", "city"])
        writer.writerows((f"p{i}", f"Person {i}", "woman" if i % 9 else "man", "KZ", "Shymkent")
                         for i in range(args.people))

    timings = {"sign-in": [], "step-down report": []}
    failures = {"sign-in": [], "step-down report": []}
    done = threading.Event()

    def sign_ins():
        while not done.is_set():
            start = time.perf_counter()
            try:
                response = Client().post("/accounts/login/", {"username": "erin", "password": PASSWORD})
                if response.status_code != 302:
                    raise RuntimeError(f"status {response.status_code}")
                timings["sign-in"].append(time.perf_counter() - start)
            except Exception as error:  # noqa: BLE001 - counted and printed
                failures["sign-in"].append(repr(error)[:200])
            time.sleep(0.2)

    def reports():
        from django.db import connection

        number = 0
        while not done.is_set():
            number += 1
            start = time.perf_counter()
            try:
                report_step_down(trainer_user, trainer=trainer, start_date=datetime.date(2026, 3, 1),
                                 country=country, city=f"Village {number}", women=5, men=1)
                timings["step-down report"].append(time.perf_counter() - start)
            except Exception as error:  # noqa: BLE001
                failures["step-down report"].append(repr(error)[:200])
            time.sleep(0.2)
        connection.close()

    started = time.perf_counter()
    importer = subprocess.Popen([sys.executable, "-m", "cascade", "import", str(folder)], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    threads = [threading.Thread(target=sign_ins), threading.Thread(target=reports)]
    for thread in threads:
        thread.start()
    try:
        output, _ = importer.communicate(timeout=args.timeout)
    except subprocess.TimeoutExpired:
        importer.kill()
        output, _ = importer.communicate()
        output = f"stopped after {args.timeout} s\n" + output
    import_seconds = time.perf_counter() - started
    done.set()
    for thread in threads:
        thread.join()

    print(f"people imported: {Person.objects.count() - 1:,} of {args.people:,} in {import_seconds:.1f} s "
          f"(exit {importer.returncode}); SQLite WAL, {os.cpu_count()} cores")
    print("import said:", output.strip().splitlines()[-1] if output.strip() else "")
    for kind in timings:
        done_ = sorted(timings[kind])
        line = f"{kind}: {len(done_)} succeeded, {len(failures[kind])} failed"
        if done_:
            p95 = done_[min(len(done_) - 1, int(len(done_) * 0.95))]
            line += (f"; latency median {statistics.median(done_) * 1000:,.0f} ms, "
                     f"95th percentile {p95 * 1000:,.0f} ms, max {done_[-1] * 1000:,.0f} ms")
        print(line)
        for failure in failures[kind][:3]:
            print("   ", failure)
    from django.db import connection

    connection.close()
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
