"""A slow, obviously correct Python reading of docs/metrics.md, to check the SQL engine against."""

import statistics
from collections import defaultdict

from cascade.curriculum.models import ManualSession
from cascade.trainings.models import Participation, Training, TrainingSession


def _last_day(t):
    return t.end_date or t.start_date


def sources() -> dict[int, set[int]]:
    """Every source of every step-down, by the source rule of docs/metrics.md."""
    trainings = {t.id: t for t in Training.objects.all()}
    parts = list(Participation.objects.all())
    sources = defaultdict(set)
    for s in trainings.values():
        if s.kind != "step-down":
            continue
        if s.source_training_id:
            sources[s.id].add(s.source_training_id)
            continue
        facilitators = {p.person_id for p in parts if p.training_id == s.id and p.role == "facilitator"}
        for p in parts:
            if p.person_id in facilitators and p.role == "participant" and p.completed:
                if _last_day(trainings[p.training_id]) <= s.start_date:
                    sources[s.id].add(p.training_id)
    return sources


def generations() -> dict[int, int | None]:
    """Shortest-path relaxation: start from institutes = 1 and lower step-downs until nothing changes."""
    trainings = {t.id: t for t in Training.objects.all()}
    INF = float("inf")
    gen = {tid: (1 if t.kind == "institute" else INF) for tid, t in trainings.items()}
    sources_of = sources()
    changed = True
    while changed:
        changed = False
        for sid, srcs in sources_of.items():
            best = min((gen[t] + 1 for t in srcs), default=INF)
            if best < gen[sid]:
                gen[sid], changed = best, True
    return {tid: (None if g == INF else int(g)) for tid, g in gen.items()}


def cascade(organization_id: int) -> set[int]:
    """A partner's cascade: the institutes it hosted or co-organised, then every step-down with a
    source already in it, until nothing is added (so any depth, and every source, not only the nearest)."""
    institutes = Training.objects.filter(kind="institute")
    found = set(institutes.filter(host_id=organization_id).values_list("id", flat=True))
    found |= set(institutes.filter(co_organisers__id=organization_id).values_list("id", flat=True))
    sources_of = sources()
    changed = True
    while changed:
        changed = False
        for sid, srcs in sources_of.items():
            if sid not in found and srcs & found:
                found.add(sid)
                changed = True
    return found


def figures(keep=lambda training: True) -> dict:
    """The figures for the trainings that ``keep`` accepts."""
    gen = generations()
    trainings = {t.id: t for t in Training.objects.all() if keep(t)}
    parts = list(Participation.objects.all())

    rows = defaultdict(lambda: {"trainings": 0, "people": 0, "headcount": 0})
    for t in trainings.values():
        rows[gen[t.id]]["trainings"] += 1
        rows[gen[t.id]]["headcount"] += t.women_count + t.men_count + t.other_count

    person_gens = defaultdict(list)
    for p in parts:
        if p.role == "participant" and p.training_id in trainings:
            person_gens[p.person_id].append(gen[p.training_id])
    for gens in person_gens.values():
        linked = [g for g in gens if g is not None]
        rows[min(linked) if linked else None]["people"] += 1

    institute_end = {}
    for p in parts:
        t = trainings.get(p.training_id)
        if p.role == "participant" and t and t.kind == "institute":
            end = _last_day(t)
            institute_end[p.person_id] = min(end, institute_end.get(p.person_id, end))
    all_trainings = {t.id: t for t in Training.objects.all()}
    days = []
    for person, end in institute_end.items():
        starts = [all_trainings[p.training_id].start_date for p in parts
                  if p.person_id == person and p.role == "facilitator"
                  and all_trainings[p.training_id].kind == "step-down"
                  and all_trainings[p.training_id].start_date >= end]
        if starts:
            days.append((min(starts) - end).days)

    fidelity = defaultdict(list)
    for t in trainings.values():
        if t.kind != "step-down" or gen[t.id] is None:
            continue
        agenda = list(TrainingSession.objects.filter(training=t))
        if not agenda:
            continue
        delivered = {s.manual_session_id for s in agenda if s.manual_session_id}
        manuals = set(t.manuals.values_list("id", flat=True))
        manuals |= set(ManualSession.objects.filter(id__in=delivered).values_list("manual_id", flat=True))
        total = ManualSession.objects.filter(manual_id__in=manuals).count()
        if total:
            fidelity[gen[t.id]].append(len(delivered) / total)

    deepest = max((g for g in rows if g is not None), default=0)
    generations_rows = []
    for g in range(1, deepest + 1):
        row = rows.get(g, {"trainings": 0, "people": 0, "headcount": 0})
        generations_rows.append({
            "generation": g, **row, "reach": row["people"] + row["headcount"],
            "mean_fidelity": round(statistics.mean(fidelity[g]), 4) if fidelity.get(g) else None,
        })
    loose = rows.get(None, {"trainings": 0, "people": 0, "headcount": 0})
    return {
        "institutes": sum(1 for t in trainings.values() if t.kind == "institute"),
        "step_downs": sum(1 for t in trainings.values() if t.kind == "step-down"),
        "unlinked_step_downs": loose["trainings"],
        "people_trained_at_institutes": len(institute_end),
        "trainers": len(days),
        "trainer_utilisation": round(len(days) / len(institute_end), 4) if institute_end else None,
        "median_days_to_first_step_down": statistics.median(days) if days else None,
        "total_reach": sum(r["reach"] for r in generations_rows),
        "generations": generations_rows,
        "unlinked": {**loose, "reach": loose["people"] + loose["headcount"]},
    }
