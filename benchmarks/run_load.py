"""The load test of Cascade as a service: prepare, serve, load with Locust, report.

For each configuration (database and number of server processes) it:

1. makes a fresh database (PostgreSQL: drops and creates ``--database-name``; SQLite:
   a new data directory) and loads the demo network with ``cascade demo --no-serve``;
2. adds the accounts of the load (``benchmarks/load_prepare.py``);
3. starts the server on 127.0.0.1 only: ``cascade serve`` when the project has it, else
   gunicorn with ``cascade.wsgi``; and ``cascade worker`` when the project has it;
4. measures the dashboard's single-user median (one staff user, ``--baseline-time``);
5. runs Locust headless (``benchmarks/load.py``) with ``--users`` for ``--run-time``;
6. stops every process it started (also on Ctrl-C or an error), reads Locust's CSV
   statistics and the server's log (tracebacks, "database is locked", worker timeouts),
   and prints a markdown table per configuration and a summary against the targets.

Examples (the full matrix takes about 12 minutes; run it on a quiet machine):

    .venv/bin/python benchmarks/run_load.py
    .venv/bin/python benchmarks/run_load.py --config sqlite:4 --run-time 30s --baseline-time 10s

The databases it makes are throwaway ones: never point ``--database-name`` at a real one.
"""

import argparse
import csv
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
CONFIGS = ("postgres:1", "postgres:4", "sqlite:4", "sqlite:1")
LOG_PROBLEMS = ("Traceback", "database is locked", "Internal Server Error", "WORKER TIMEOUT", "OperationalError")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--config", action="append", choices=CONFIGS,
                        help="database:workers, repeatable (default: all four).")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=5, help="Users started per second.")
    parser.add_argument("--run-time", default="2m", help="Locust's --run-time of the load (e.g. 2m, 30s).")
    parser.add_argument("--baseline-time", default="20s",
                        help="Run time of the single-user run that measures the dashboard's median ('0' skips it).")
    parser.add_argument("--wait", default="0.5-2", help="Think time of each user between tasks, seconds min-max.")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432",
                        help="PostgreSQL server (no database name).")
    parser.add_argument("--database-name", default="cascade_load", help="PostgreSQL database to (re)create.")
    parser.add_argument("--out", type=Path, default=Path("/tmp/cascade-load"),
                        help="Folder for data directories, logs and Locust's CSV files (emptied per configuration).")
    parser.add_argument("--markdown", type=Path, help="Also write the tables to this file.")
    args = parser.parse_args(argv)

    reports = []
    for config in args.config or CONFIGS:
        reports.append(run_config(args, config))
    text = "\n\n".join([summary(reports)] + [report["table"] for report in reports])
    print(text)
    if args.markdown:
        args.markdown.write_text(text + "\n")
    return 0 if all(report["errors"] == 0 for report in reports) else 1


# --- One configuration ------------------------------------------------------------


def run_config(args, config: str) -> dict:
    database, workers = config.split(":")
    folder = args.out / config.replace(":", "-")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    env = server_env(args, database, folder)
    say(f"{config}: preparing the database")
    fresh_database(args, database)
    run([sys.executable, "-m", "cascade", "demo", "--no-serve", "--noinput", "--verbosity", "0"], env, folder / "prepare.log")
    fixture = folder / "fixture.json"
    run([sys.executable, str(HERE / "load_prepare.py"), str(fixture), "--accounts", str(max(args.users, 10))],
        env, folder / "prepare.log")
    started = []
    try:
        started.append(start(server_command(args, workers), env, folder / "server.log"))
        if command_exists("worker"):
            started.append(start([sys.executable, "-m", "cascade", "worker"], env, folder / "worker.log"))
        wait_for_server(args.port, started[0])
        locust_env = {**env, "LOAD_FIXTURE": str(fixture), "LOAD_WAIT": args.wait}
        baseline = None
        if args.baseline_time not in ("0", "0s", ""):
            say(f"{config}: one staff user for {args.baseline_time}")
            stats = locust(args, locust_env, folder / "baseline", users=1, run_time=args.baseline_time,
                           classes=["StaffUser"])
            baseline = stats["rows"].get("dashboard", {}).get("p50")
        say(f"{config}: {args.users} users for {args.run_time}")
        stats = locust(args, locust_env, folder / "load", users=args.users, run_time=args.run_time)
    finally:
        for process in reversed(started):
            stop(process)
    problems = log_problems(folder / "server.log") | log_problems(folder / "worker.log")
    errors = stats["total"]["failures"] + sum(problems.values())
    return {"config": config, "stats": stats, "baseline": baseline, "problems": problems, "errors": errors,
            "table": table(config, stats, baseline, problems, folder)}


def server_env(args, database: str, folder: Path) -> dict:
    env = {key: value for key, value in os.environ.items() if key != "CASCADE_DEMO"}  # the second factor is on
    env.update({"CASCADE_DATA_DIR": str(folder / "data"), "PYTHONPATH": str(ROOT),
                "DJANGO_SETTINGS_MODULE": "cascade.settings", "PYTHONUNBUFFERED": "1"})
    if database == "postgres":
        env["DATABASE_URL"] = f"{args.postgres.rstrip('/')}/{args.database_name}"
        env.setdefault("CONN_MAX_AGE", "60")  # connection reuse, as a PostgreSQL server runs
    else:
        env["DATABASE_URL"] = f"sqlite:///{folder / 'data' / 'cascade.sqlite3'}"
    return env


def fresh_database(args, database: str) -> None:
    if database != "postgres":
        return
    import psycopg

    name = args.database_name
    if not name.replace("_", "").isalnum():
        raise SystemExit(f"--database-name {name!r}: letters, digits and underscores only")
    with psycopg.connect(f"{args.postgres.rstrip('/')}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def command_exists(name: str) -> bool:
    """Whether this checkout has ``cascade NAME`` (serve and worker arrive with issue 12)."""
    return any(ROOT.glob(f"cascade/*/management/commands/{name}.py"))


def server_command(args, workers: str) -> list[str]:
    bind = f"127.0.0.1:{args.port}"
    if command_exists("serve"):
        return [sys.executable, "-m", "cascade", "serve", "--bind", bind, "--workers", workers]
    return [sys.executable, "-m", "gunicorn", "cascade.wsgi", "--bind", bind, "--workers", workers,
            "--access-logfile", "-", "--log-level", "warning"]


# --- Processes --------------------------------------------------------------------


def run(command: list[str], env: dict, log: Path) -> None:
    with log.open("a") as handle:
        done = subprocess.run(command, env=env, cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT)
    if done.returncode:
        raise SystemExit(f"{' '.join(command)} failed: see {log}")


def start(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    handle = log.open("a")
    # its own process group, so stopping it stops every worker it forked
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT,
                               start_new_session=True)
    process.log = handle
    return process


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        except ProcessLookupError:
            pass
    process.log.close()


def wait_for_server(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server stopped (exit {process.returncode}): see its log")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise SystemExit(f"the server did not answer on 127.0.0.1:{port} within {timeout:.0f} s")


def locust(args, env: dict, prefix: Path, users: int, run_time: str, classes=()) -> dict:
    command = [sys.executable, "-m", "locust", "-f", str(HERE / "load.py"), "--headless", "--only-summary",
               "--host", f"http://127.0.0.1:{args.port}", "--users", str(users),
               "--spawn-rate", str(min(args.spawn_rate, users)), "--run-time", run_time,
               "--stop-timeout", "30", "--csv", str(prefix), "--loglevel", "WARNING", *classes]
    with open(f"{prefix}.log", "w") as handle:
        subprocess.run(command, env=env, cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT)  # exit 1 = failures
    if not Path(f"{prefix}_stats.csv").exists():
        raise SystemExit(f"Locust wrote no statistics: see {prefix}.log")
    return read_stats(prefix)


# --- Results ----------------------------------------------------------------------


def read_stats(prefix: Path) -> dict:
    rows, total = {}, None
    with open(f"{prefix}_stats.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            figures = {
                "requests": int(row["Request Count"]), "failures": int(row["Failure Count"]),
                "rps": float(row["Requests/s"]), "p50": _ms(row["50%"]), "p95": _ms(row["95%"]),
                "p99": _ms(row["99%"]),
            }
            if row["Name"] == "Aggregated":
                total = figures
            else:
                rows[row["Name"]] = figures
    failures = []
    failures_file = Path(f"{prefix}_failures.csv")
    if failures_file.exists():
        with failures_file.open(newline="") as handle:
            failures = [(row["Name"], row["Error"], int(row["Occurrences"])) for row in csv.DictReader(handle)]
    return {"rows": rows, "total": total or {"requests": 0, "failures": 0, "rps": 0.0}, "failures": failures}


def _ms(value: str):
    return None if value in ("", "N/A") else int(float(value))


def log_problems(log: Path) -> dict:
    if not log.exists():
        return {}
    text = log.read_text(errors="replace")
    return {needle: text.count(needle) for needle in LOG_PROBLEMS if needle in text}


def table(config: str, stats: dict, baseline, problems: dict, folder: Path) -> str:
    lines = [f"#### {config.replace(':', ', ')} worker(s)", "",
             "| page | requests | requests/s | p50 ms | p95 ms | p99 ms | errors |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    names = [name for name in pages() if name in stats["rows"]]
    names += sorted(set(stats["rows"]) - set(names))
    for name in names + ["Aggregated"]:
        row = stats["total"] if name == "Aggregated" else stats["rows"][name]
        label = "**all**" if name == "Aggregated" else name
        lines.append(f"| {label} | {row['requests']} | {row['rps']:.1f} | {_n(row.get('p50'))} | "
                     f"{_n(row.get('p95'))} | {_n(row.get('p99'))} | {row['failures']} |")
    lines.append("")
    if baseline is not None:
        lines.append(f"Dashboard median with one user: {baseline} ms.")
    for name, error, count in stats["failures"]:
        lines.append(f"- failure: {name}: {error} ({count}x)")
    for needle, count in problems.items():
        lines.append(f"- server log: {needle!r} {count}x")
    if not stats["failures"] and not problems:
        lines.append("No failed request; nothing in the server's log.")
    lines.append(f"(logs and CSV in {folder})")
    return "\n".join(lines)


def pages() -> tuple:
    """The page names of load.py in its order, read without importing Locust (it patches the process)."""
    import ast

    tree = ast.parse((HERE / "load.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "PAGES" for t in node.targets):
            return ast.literal_eval(node.value)
    return ()


def summary(reports: list[dict]) -> str:
    lines = ["| configuration | requests/s | requests | errors | server log | dashboard p50 / p95 ms "
             "| one user's dashboard median ms | p95 / that median |",
             "| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: |"]
    for report in reports:
        total, dashboard = report["stats"]["total"], report["stats"]["rows"].get("dashboard", {})
        ratio = (f"{dashboard['p95'] / report['baseline']:.1f}"
                 if report["baseline"] and dashboard.get("p95") else "")
        problems = ", ".join(f"{k} {v}x" for k, v in report["problems"].items()) or "clean"
        lines.append(f"| {report['config']} | {total['rps']:.1f} | {total['requests']} | {total['failures']} | "
                     f"{problems} | {_n(dashboard.get('p50'))} / {_n(dashboard.get('p95'))} | "
                     f"{_n(report['baseline'])} | {ratio} |")
    by_config = {report["config"]: report["stats"]["total"]["rps"] for report in reports}
    for database in ("postgres", "sqlite"):
        one, four = by_config.get(f"{database}:1"), by_config.get(f"{database}:4")
        if one and four:
            lines.append(f"\n{database}: 4 workers serve {four / one:.2f}x the requests/s of 1 (target ≥ 1.6x).")
    return "\n".join(lines)


def _n(value) -> str:
    return "" if value is None else str(value)


def say(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
