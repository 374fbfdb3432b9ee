"""A slow, obviously correct Python reading of docs/metrics.md, to check the SQL engine against."""

import statistics
from collections import defaultdict

from cascade.curriculum.models import ManualSession
from cascade.trainings.models import Participation, Training, TrainingSession


def _last_day(t):
    return t.end_date or t.start_date


def sources() -> dict[int, set[int]]:
    """Every source of every held step-down, by the source rule of docs/metrics.md.
    Planned and cancelled trainings train nobody and are nobody's source."""
    trainings = {t.id: t for t in Training.objects.held()}
    parts = [p for p in Participation.objects.all() if p.training_id in trainings]
    sources = defaultdict(set)
    for s in trainings.values():
        if s.kind != "step-down":
            continue
        if s.source_training_id:
            if s.source_training_id in trainings:
                sources[s.id].add(s.source_training_id)
            continue
        facilitators = {p.person_id for p in parts if p.training_id == s.id and p.role == "facilitator"}
        for p in parts:
            if p.person_id in facilitators and p.role == "participant" and p.completed:
                if _last_day(trainings[p.training_id]) <= s.start_date:
                    sources[s.id].add(p.training_id)
    return sources


def generations() -> dict[int, int | None]:
    """Shortest-path relaxation: start from institutes = 1 and lower step-downs until nothing changes.
    Only held trainings have a generation; planned and cancelled ones have none."""
    trainings = {t.id: t for t in Training.objects.held()}
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
    return {tid: None for tid in Training.objects.values_list("id", flat=True)} | {
        tid: (None if g == INF else int(g)) for tid, g in gen.items()}


def cascade(organization_id: int) -> set[int]:
    """A partner's cascade: the institutes it hosted or co-organised, then every step-down with a
    source already in it, until nothing is added (so any depth, and every source, not only the nearest)."""
    institutes = Training.objects.held().filter(kind="institute")
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
    """The figures for the held trainings that ``keep`` accepts."""
    gen = generations()
    trainings = {t.id: t for t in Training.objects.held() if keep(t)}
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
    all_trainings = {t.id: t for t in Training.objects.held()}
    days = []
    for person, end in institute_end.items():
        starts = [all_trainings[p.training_id].start_date for p in parts
                  if p.person_id == person and p.role == "facilitator" and p.training_id in all_trainings
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


GENDERS = {"woman": "women", "man": "men", "other": "other"}


def _row(value, trainings, people, genders=GENDERS) -> dict:
    """A breakdown row: the trainings' kinds and head-counts, and the named people, by gender."""
    row = {"value": value,
           "institutes": sum(1 for t in trainings if t.kind == "institute"),
           "step_downs": sum(1 for t in trainings if t.kind == "step-down")}
    for gender, plural in GENDERS.items():
        row[plural] = 0
        if gender in genders:
            row[plural] = sum(getattr(t, f"{plural}_count") for t in trainings) + sum(
                1 for p in people if (p.gender if p.gender in GENDERS else "other") == gender)
    row["reach"] = row["women"] + row["men"] + row["other"]
    return row


def breakdown(by, keep=lambda training: True, partner_keep=None) -> dict:
    """Rows by year, gender, country, partner or generation, read from docs/metrics.md.

    A person is counted once, in the group of her first filtered training (earliest start,
    then key); by generation, at the smallest generation among her filtered trainings.
    ``partner_keep(key)`` is the partner filter's own test, for the rows by partner.
    """
    from cascade.network.models import Organization, Person

    gen = generations()
    trainings = [t for t in Training.objects.order_by("start_date", "key") if keep(t)]
    chosen = {t.id: t for t in trainings}
    mine = defaultdict(list)  # person id -> her filtered trainings as participant, first first
    for p in Participation.objects.filter(role="participant"):
        if p.training_id in chosen:
            mine[p.person_id].append(chosen[p.training_id])
    people = {p.id: p for p in Person.objects.filter(id__in=list(mine))}
    for person_trainings in mine.values():
        person_trainings.sort(key=lambda t: (t.start_date, t.key))

    def group_of_training(t):
        if by == "year":
            return t.start_date.year
        if by == "country":
            return t.country_id
        return gen[t.id] if gen[t.id] is not None else "unlinked"

    def group_of_person(pid):
        if by == "generation":
            linked = [gen[t.id] for t in mine[pid] if gen[t.id] is not None]
            return min(linked) if linked else "unlinked"
        return group_of_training(mine[pid][0])

    total = _row(None, trainings, people.values())
    if by == "gender":
        rows = []
        for gender, plural in GENDERS.items():
            named_here = [p for p in people.values() if (p.gender if p.gender in GENDERS else "other") == gender]
            reached = [t for t in trainings if getattr(t, f"{plural}_count") > 0
                       or any(t in mine[p.id] for p in named_here)]
            row = _row(gender, trainings, named_here, genders=(gender,))
            row["institutes"] = sum(1 for t in reached if t.kind == "institute")
            row["step_downs"] = sum(1 for t in reached if t.kind == "step-down")
            rows.append(row)
    elif by == "partner":
        rows = []
        for key in Organization.objects.filter(kind="partner").order_by("key").values_list("key", flat=True):
            part = breakdown("year", lambda t, key=key: keep(t) and partner_keep(key)(t))["total"]
            if part["institutes"] + part["step_downs"]:
                rows.append({**part, "value": key})
    else:
        groups = defaultdict(lambda: ([], []))
        for t in trainings:
            groups[group_of_training(t)][0].append(t)
        for pid, person in people.items():
            groups[group_of_person(pid)][1].append(person)
        if by == "year":
            values = list(range(min(groups), max(groups) + 1)) if groups else []
        elif by == "generation":
            deepest = max((g for g in groups if g != "unlinked"), default=0)
            values = list(range(1, deepest + 1)) + (["unlinked"] if "unlinked" in groups else [])
        else:
            values = sorted(groups)
        rows = [_row(v, *groups.get(v, ([], []))) for v in values]
    return {"by": by, "rows": rows, "total": total}
