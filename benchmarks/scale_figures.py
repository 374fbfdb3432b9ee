"""Time the cascade engine on the synthetic network made by scale_generate.py.

    python benchmarks/scale_figures.py --database-url sqlite:////tmp/cascade_bench.sqlite3
    python benchmarks/scale_figures.py --database-url postgres://postgres@127.0.0.1:5432/cascade_bench

Prints, for each measurement, the best and median of --repeat runs in seconds and
the ratio to the floor: one full scan of the participation table with a GROUP BY
on the same database. "cold" means the generation cache was just invalidated (the
first read after a write to trainings or participations); "warm" means nothing
changed since the last read, so the figures kept by the previous read are returned;
"after an agenda edit" means only the kept figures were dropped (a write to agenda
items or manual lists): generations are kept, every figure is computed again.
Targets (issue 3): whole network < 1 s on PostgreSQL, < 2 s on SQLite; one partner
< 0.2 s; memory < 500 MB; ratio to the floor < 5.
"""

import argparse
import json
import os
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def timed(function, repeat: int) -> dict:
    runs, peaks = [], []
    for _ in range(repeat):
        tracemalloc.start()
        started = time.perf_counter()
        function()
        runs.append(time.perf_counter() - started)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    return {"best": min(runs), "median": statistics.median(runs), "python_peak_mb": max(peaks) / 2**20}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--partner", default="partner-1")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cascade.settings")
    import django

    django.setup()
    from django.db import connection

    from cascade.metrics import engine, tables as T
    from cascade.metrics.filters import Filters

    partner = Filters.parse(partner=args.partner)

    def floor():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*), SUM(n) FROM (SELECT person_id, COUNT(*) AS n FROM {T.PARTICIPATION}"
                           f" GROUP BY person_id) g")
            cursor.fetchall()

    def cold(filters=None):
        def run():
            engine.invalidate()
            engine.figures(filters)
        return run

    def computed(filters=None):
        def run():
            engine.invalidate_figures()
            engine.figures(filters)
        return run

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {T.PARTICIPATION}")
        participations = cursor.fetchone()[0]
    floor()  # warm the database's caches, as a running server would have them
    engine.figures()
    engine.figures(partner)
    results = {
        "database": connection.vendor,
        "participations": participations,
        "floor": timed(floor, args.repeat),
        "whole network, warm": timed(lambda: engine.figures(), args.repeat),
        "one partner, warm": timed(lambda: engine.figures(partner), args.repeat),
        "whole network, after an agenda edit": timed(computed(), args.repeat),
        "one partner, after an agenda edit": timed(computed(partner), args.repeat),
        "generations only (refresh)": timed(lambda: engine.refresh(force=True), args.repeat),
        "whole network, cold": timed(cold(), args.repeat),
        "one partner, cold": timed(cold(partner), args.repeat),
    }
    # With a worker running (its heartbeat fresh), a page's first read after a write gets the
    # last figures at once, and the worker's recompute job makes them exact.
    from django.utils import timezone

    from cascade.jobs import heartbeat
    from cascade.jobs.models import Job
    from cascade.jobs.worker import drain
    from cascade.metrics import deferred

    heartbeat.beat("benchmark", timezone.now())
    deferred.forget_workers()
    engine.figures(), engine.figures(partner)

    def page_after_write(filters=None):
        def run():
            engine.invalidate()  # the write schedules the recompute
            token = deferred._reader.set(True)
            try:
                engine.figures(filters)
            finally:
                deferred._reader.reset(token)
        return run

    results["whole network, first page read after a write (worker running)"] = timed(page_after_write(), args.repeat)
    results["one partner, first page read after a write (worker running)"] = timed(page_after_write(partner),
                                                                                   args.repeat)

    def recompute_job():
        engine.invalidate()
        drain()

    results["the worker's recompute job after a write"] = timed(recompute_job, args.repeat)
    heartbeat.stopped("benchmark")
    Job.objects.filter(kind=deferred.RECOMPUTE).delete()
    results["process_peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    floor_best = results["floor"]["best"]
    figures = engine.figures()
    results["figures"] = {k: figures[k] for k in ("institutes", "step_downs", "unlinked_step_downs",
                                                  "people_trained_at_institutes", "total_reach")}
    results["generations"] = len(figures["generations"])

    print(f"{connection.vendor}: {participations:,} participations, {results['generations']} generations")
    print(f"{'measurement':<36} {'best s':>8} {'median s':>9} {'x floor':>8} {'py peak MB':>11}")
    for name, value in results.items():
        if isinstance(value, dict) and "best" in value:
            print(f"{name:<36} {value['best']:>8.3f} {value['median']:>9.3f} "
                  f"{value['best'] / floor_best:>8.1f} {value['python_peak_mb']:>11.1f}")
    print(f"process peak RSS: {results['process_peak_rss_mb']:.0f} MB")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
