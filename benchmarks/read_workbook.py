"""Benchmark: reading a large participants sheet, by format and reader (no database).

    .venv/bin/python benchmarks/read_workbook.py [--rows 200000]

Writes one participants sheet of ``--rows`` rows as .xlsx (openpyxl), as .ods and .xls
when LibreOffice is installed, and as CSV in UTF-8 and in Windows-1251 with ``;``; then,
each in a fresh child process, reads every row through ``cascade.spreadsheets.reader``
(calamine for workbooks) and, for comparison, through openpyxl's streaming reader (what
read .xlsx before). Prints the time and the child's peak memory. Results: docs/benchmarks.md.
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

ROOT = Path(__file__).resolve().parent.parent


def write(folder: Path, rows: int) -> list[Path]:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("participants")
    sheet.append(["training", "person", "role", "completed"])
    for i in range(rows):
        sheet.append([f"t{i % 2000}", f"p{i}", "participant", "yes"])
    paths = [folder / "participants.xlsx"]
    book.save(paths[0])
    if shutil.which("soffice"):
        for kind in ("ods", "xls") if rows <= 65_000 else ("ods",):  # .xls holds 65,536 rows at most
            subprocess.run(["soffice", "--headless", "--convert-to", kind, "--outdir", str(folder), str(paths[0])],
                           check=True, capture_output=True, env={**os.environ, "HOME": str(folder)})
            paths.append(folder / f"participants.{kind}")
    for encoding, delimiter in (("utf-8", ","), ("cp1251", ";")):
        sub = folder / encoding
        sub.mkdir()
        with open(sub / "participants.csv", "w", newline="", encoding=encoding) as out:
            writer = csv.writer(out, delimiter=delimiter)
            writer.writerow(["training", "person", "role", "completed"])
            writer.writerows([f"t{i % 2000}", f"p{i}", "participant", "да"] for i in range(rows))
        paths.append(sub / "participants.csv")
    return paths


def child(path: str, reader: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cascade.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    start = time.perf_counter()
    count = 0
    if reader == "openpyxl":
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        for _row in book["participants"].iter_rows(values_only=True):
            count += 1
        count -= 1
    else:
        from cascade.spreadsheets.reader import Workbook

        with Workbook(path) as book:
            for _row in book.sheets["participants"].rows():
                count += 1
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{Path(path).suffix or path} ({reader}): {count:,} rows in {seconds:.2f} s, peak {peak:.0f} MB")


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        return child(sys.argv[2], sys.argv[3])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="cascade-read-"))
    try:
        paths = write(folder, args.rows)
        print(f"rows: {args.rows:,}, {os.cpu_count()} cores")
        for path in paths:
            readers = ["cascade", "openpyxl"] if path.suffix == ".xlsx" else ["cascade"]
            for reader in readers:
                label = f"{path.parent.name}/{path.name}" if path.suffix == ".csv" else path.name
                result = subprocess.run([sys.executable, __file__, "--child", str(path), reader],
                                        capture_output=True, text=True, check=True)
                print(f"{label}: {result.stdout.strip()}")
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
