"""Time the cascade engine on the synthetic network made by scale_generate.py.

    python benchmarks/scale_figures.py --database-url sqlite:////tmp/cascade_bench.sqlite3
    python benchmarks/scale_figures.py --database-url postgres://postgres@127.0.0.1:5432/cascade_bench

Prints, for each measurement, the best and median of --repeat runs in seconds and
the ratio to the floor: one full scan of the participation table with a GROUP BY
on the same database.

- "save a step-down and read": a step-down with 20 new participants and a trainer
  from the network is saved through the ORM (as the pages and the phone report save
  it, signals and all), then the figures are read: the write is taken in (only what
  it can change is recomputed) and the figures are summed from the kept parts. The
  step-down is deleted again between runs, outside the timing.
- "after an agenda edit": one agenda item added to a linked step-down (its fidelity
  is kept at once), then the figures read again; generations are not touched.
- "full recompute": every generation, trainee row and fidelity part again, as after
  an import (``engine.invalidate``: a write nobody described).
- "warm": nothing was written since the last read of the same filter set, so the
  figures kept by that read are returned.

Targets (issue 17): save a step-down and read the whole network < 0.3 s, one partner
< 0.1 s; first read after an agenda edit < 0.3 s whole network, < 0.1 s one partner;
full recompute no slower than before; memory < 500 MB.
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


def timed(function, repeat: int, between=None) -> dict:
    """Best and median of ``repeat`` runs; ``between`` (untimed) undoes what a run wrote."""
    runs, peaks, parts = [], [], []
    for _ in range(repeat):
        tracemalloc.start()
        started = time.perf_counter()
        part = function()
        runs.append(time.perf_counter() - started)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        if isinstance(part, dict) and "write" in part:
            parts.append(part)
        if between:
            between()
    found = {"best": min(runs), "median": statistics.median(runs), "python_peak_mb": max(peaks) / 2**20}
    if parts:  # the write's share of the best run
        found["write_best"] = min(part["write"] for part in parts)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--partner", default="partner-1")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-worker", action="store_true", help="skip the rows timed with a worker running")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cascade.settings")
    import django

    django.setup()
    from django.db import connection, transaction

    from cascade.metrics import engine, tables as T
    from cascade.metrics.filters import Filters
    from cascade.network.models import Person
    from cascade.trainings.models import Participation, Training, TrainingSession, today

    partner = Filters.parse(partner=args.partner)

    def floor():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*), SUM(n) FROM (SELECT person_id, COUNT(*) AS n FROM {T.PARTICIPATION}"
                           f" GROUP BY person_id) g")
            cursor.fetchall()

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {T.PARTICIPATION}")
        participations = cursor.fetchone()[0]
    Training.objects.filter(key__startswith="benchmark-").delete()  # left by an interrupted run
    Person.objects.filter(key__startswith="benchmark-").delete()
    if connection.vendor == "postgresql":
        # as a server's autovacuum would have by now (it is off on the benchmark machine): the
        # rows dead since the last full recompute would otherwise be read with the live ones
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    floor()  # warm the database's caches, as a running server would have them
    engine.figures()
    engine.figures(partner)

    # trainers: someone trained at a deep step-down of the whole network, and someone trained in the partner's cascade
    deepest = engine.figures()["generations"][-1]["generation"]
    anyone = Participation.objects.filter(role="participant", completed=True, training__in=engine.trainings_behind(
        "trainings", Filters(), deepest - 1)).values_list("person_id", flat=True).first()
    theirs = Participation.objects.filter(role="participant", completed=True, training__in=engine.trainings_behind(
        "trainings", partner, deepest - 1)).values_list("person_id", flat=True).first()
    runs = iter(range(10_000))

    def save_step_down(trainer, filters):
        """Save a step-down with 20 new participants through the ORM, then read the figures."""
        def run():
            n = next(runs)
            started = time.perf_counter()
            with transaction.atomic():
                step_down = Training.objects.create(key=f"benchmark-{n}", kind="step-down", start_date=today(),
                                                    country_id="KZ", women_count=3)
                Participation.objects.create(training=step_down, person_id=trainer, role="facilitator")
                for i in range(20):
                    person = Person.objects.create(key=f"benchmark-{n}-{i}", full_name=f"Benchmark {n} {i}",
                                                   gender="woman")
                    Participation.objects.create(training=step_down, person=person, role="participant")
            written = time.perf_counter() - started
            figures = engine.figures(filters)
            assert figures["step_downs"] > 0
            return {"write": written}
        return run

    def remove_step_downs():
        Training.objects.filter(key__startswith="benchmark-").delete()
        Person.objects.filter(key__startswith="benchmark-").delete()
        engine.figures(), engine.figures(partner)

    linked = Training.objects.filter(kind="step-down", pk__in=engine.trainings_behind("trainings", partner, 3)) \
        .order_by("pk").first()

    added = []

    def agenda_edit(filters):
        def run():
            started = time.perf_counter()
            added.append(TrainingSession.objects.create(training=linked).pk)
            written = time.perf_counter() - started
            engine.figures(filters)
            return {"write": written}
        return run

    def remove_agenda_items():
        TrainingSession.objects.filter(pk__in=added).delete()
        engine.figures(), engine.figures(partner)

    def full(filters=None):
        def run():
            engine.invalidate()
            engine.figures(filters)
        return run

    repeat = args.repeat
    results = {
        "database": connection.vendor,
        "participations": participations,
        "floor": timed(floor, repeat),
        "whole network, warm": timed(lambda: engine.figures(), repeat),
        "one partner, warm": timed(lambda: engine.figures(partner), repeat),
        "save a step-down (20 people) and read the whole network": timed(
            save_step_down(anyone, None), repeat, remove_step_downs),
        "save a step-down (20 people) and read one partner": timed(
            save_step_down(theirs, partner), repeat, remove_step_downs),
        "whole network, first read after an agenda edit": timed(agenda_edit(None), repeat, remove_agenda_items),
        "one partner, first read after an agenda edit": timed(agenda_edit(partner), repeat, remove_agenda_items),
    }
    rss_reads = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    results.update({
        "full recompute (refresh)": timed(lambda: engine.refresh(force=True), repeat),
        "whole network after a write nobody described (full recompute and read)": timed(full(), repeat),
        "one partner after a write nobody described (full recompute and read)": timed(full(partner), repeat),
    })
    if not args.no_worker:
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

        results["whole network, first page read after a write (worker running)"] = timed(page_after_write(), repeat)
        results["one partner, first page read after a write (worker running)"] = timed(page_after_write(partner),
                                                                                       repeat)

        def recompute_job():
            engine.invalidate()
            drain()

        results["the worker's recompute job after a write nobody described"] = timed(recompute_job, repeat)
        heartbeat.stopped("benchmark")
        Job.objects.filter(kind=deferred.RECOMPUTE).delete()
    results["process_peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    results["process_peak_rss_mb_reads_and_saves"] = rss_reads
    floor_best = results["floor"]["best"]
    figures = engine.figures()
    results["figures"] = {k: figures[k] for k in ("institutes", "step_downs", "unlinked_step_downs",
                                                  "people_trained_at_institutes", "trainers", "total_reach")}
    results["generations"] = len(figures["generations"])

    print(f"{connection.vendor}: {participations:,} participations, {results['generations']} generations")
    print(f"{'measurement':<76} {'best s':>8} {'median s':>9} {'write s':>8} {'x floor':>8} {'py MB':>6}")
    for name, value in results.items():
        if isinstance(value, dict) and "best" in value:
            write = f"{value['write_best']:>8.3f}" if "write_best" in value else f"{'':>8}"
            print(f"{name:<76} {value['best']:>8.3f} {value['median']:>9.3f} {write} "
                  f"{value['best'] / floor_best:>8.1f} {value['python_peak_mb']:>6.1f}")
    print(f"process peak RSS: {results['process_peak_rss_mb']:.0f} MB")
    print(json.dumps(results, default=str))


if __name__ == "__main__":
    main()
