"""The fair ranking of applicants: pure functions, no database.

The method, in the words programme officers read in docs/selection.md:

1. Each reviewer's scores for one applicant make a *weighted total* on a 0-100
   scale (each criterion's score placed on its own scale, then weighted).
2. Reviewers differ in severity, so each reviewer's totals are *standardised*:
   how far above or below that reviewer's own average an applicant is, in that
   reviewer's own standard deviations (a z-score). A reviewer with fewer than
   two applicants, or who gave everyone the same total, tells us nothing about
   her severity: her totals are standardised against the pool of all totals.
3. An applicant's standardised score is the mean of her reviewers' z-scores,
   shown back on the 0-100 scale (pool mean + z × pool deviation) as the
   *adjusted total*. The *spread* is the distance between the highest and the
   lowest z-score her reviewers gave; a wide spread marks her as disputed.
4. Ties are broken by submission time, then by application number, so the same
   scores always give the same order.
5. A selection is proposed from the ranking: overrides first (each with its
   reason), then the best-ranked applicants who fill unmet minimum quotas, then
   the rest in rank order while no maximum quota is exceeded.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from statistics import fmean, pstdev
from typing import Hashable, Iterable, Mapping, Sequence

#: Spread (in standard deviations between the most and the least favourable
#: reviewer) from which an applicant is marked as disputed.
DISPUTE_SPREAD = 1.0


@dataclass(frozen=True)
class Criterion:
    id: Hashable
    weight: float
    scale_min: int = 1
    scale_max: int = 5


@dataclass(frozen=True)
class Score:
    applicant: Hashable
    reviewer: Hashable
    criterion: Hashable
    value: float


@dataclass(frozen=True)
class Applicant:
    id: Hashable
    submitted_at: object  # anything orderable (a datetime in practice)
    attributes: Mapping[str, str] = field(default_factory=dict)


@dataclass
class RankedApplicant:
    id: Hashable
    rank: int
    raw_totals: dict  # reviewer -> weighted total (0-100)
    z_scores: dict  # reviewer -> standardised total
    mean_raw: float | None
    mean_z: float | None
    adjusted: float | None  # mean_z on the 0-100 scale of the pool
    spread: float | None  # max z - min z between reviewers
    disputed: bool


def weighted_total(values: Mapping[Hashable, float], criteria: Sequence[Criterion]) -> float | None:
    """One reviewer's total for one applicant on 0-100; None if no criterion was scored.

    Criteria she left unscored are left out and the weights of the others rescaled,
    so one forgotten box does not read as a zero.
    """
    numerator = 0.0
    weights = 0.0
    for criterion in criteria:
        if criterion.id not in values or criterion.weight <= 0:
            continue
        width = criterion.scale_max - criterion.scale_min
        share = (values[criterion.id] - criterion.scale_min) / width if width else 1.0
        numerator += criterion.weight * share
        weights += criterion.weight
    if not weights:
        return None
    return 100.0 * numerator / weights


def reviewer_totals(scores: Iterable[Score], criteria: Sequence[Criterion]) -> dict:
    """``{(applicant, reviewer): total}`` for every pair with at least one score."""
    grouped: dict = {}
    for score in scores:
        grouped.setdefault((score.applicant, score.reviewer), {})[score.criterion] = score.value
    totals = {}
    for pair, values in grouped.items():
        total = weighted_total(values, criteria)
        if total is not None:
            totals[pair] = total
    return totals


def standardise(totals: Mapping[tuple, float]) -> tuple[dict, float, float]:
    """Z-scores per reviewer; returns ``({(applicant, reviewer): z}, pool_mean, pool_sd)``.

    A reviewer whose severity cannot be estimated (one applicant, or the same total
    for all) is measured against the pool instead of against herself.
    """
    if not totals:
        return {}, 0.0, 0.0
    pool = list(totals.values())
    pool_mean = fmean(pool)
    pool_sd = pstdev(pool) if len(pool) > 1 else 0.0
    by_reviewer: dict = {}
    for (applicant, reviewer), total in totals.items():
        by_reviewer.setdefault(reviewer, []).append(total)
    stats = {}
    for reviewer, values in by_reviewer.items():
        sd = pstdev(values) if len(values) > 1 else 0.0
        if len(values) < 2 or sd < 1e-9:
            stats[reviewer] = (pool_mean, pool_sd)
        else:
            stats[reviewer] = (fmean(values), sd)
    z_scores = {}
    for (applicant, reviewer), total in totals.items():
        mean, sd = stats[reviewer]
        z_scores[(applicant, reviewer)] = (total - mean) / sd if sd > 1e-9 else 0.0
    return z_scores, pool_mean, pool_sd


def rank(
    applicants: Sequence[Applicant],
    scores: Iterable[Score],
    criteria: Sequence[Criterion],
) -> list[RankedApplicant]:
    """All applicants, best first; those nobody scored come last, in submission order."""
    totals = reviewer_totals(scores, criteria)
    z_scores, pool_mean, pool_sd = standardise(totals)
    rows = []
    for applicant in applicants:
        raw = {rev: t for (app, rev), t in totals.items() if app == applicant.id}
        zs = {rev: z for (app, rev), z in z_scores.items() if app == applicant.id}
        mean_z = fmean(zs.values()) if zs else None
        spread = (max(zs.values()) - min(zs.values())) if len(zs) > 1 else (0.0 if zs else None)
        rows.append(
            RankedApplicant(
                id=applicant.id,
                rank=0,
                raw_totals=raw,
                z_scores=zs,
                mean_raw=fmean(raw.values()) if raw else None,
                mean_z=mean_z,
                adjusted=None if mean_z is None else _clamp(pool_mean + mean_z * pool_sd),
                spread=spread,
                disputed=spread is not None and spread >= DISPUTE_SPREAD,
            )
        )
    order = {a.id: (a.submitted_at, _tiebreak(a.id)) for a in applicants}
    rows.sort(key=lambda r: (r.mean_z is None, -(r.mean_z or 0.0), order[r.id]))
    for position, row in enumerate(rows, start=1):
        row.rank = position
    return rows


def _clamp(value: float) -> float:
    return max(0.0, min(100.0, value))


def _tiebreak(value):
    """Numbers compare as numbers, anything else as text, so ids of any kind sort stably."""
    return (0, value, "") if isinstance(value, (int, float)) and not math.isnan(value) else (1, 0, str(value))


# --- Proposing a selection ---------------------------------------------------


@dataclass(frozen=True)
class Quota:
    attribute: str
    value: str
    minimum: int = 0
    maximum: int | None = None

    def matches(self, applicant: Applicant) -> bool:
        return applicant.attributes.get(self.attribute) == self.value


@dataclass(frozen=True)
class Override:
    applicant: Hashable
    include: bool
    reason: str


# Reasons a proposal gives, one code per applicant (the page words them).
BY_RANK = "rank"
FOR_MINIMUM = "minimum"
OVERRIDE_IN = "override-in"
OVERRIDE_OUT = "override-out"
OVER_MAXIMUM = "maximum"
NO_PLACE = "no-place"
NOT_SCORED = "not-scored"


@dataclass
class Proposal:
    selected: list  # applicant ids in the order they were chosen
    reasons: dict  # applicant id -> (code, quota or override or None)
    unmet_minimums: list  # quotas whose minimum could not be met
    moved_in: list  # chosen only because of quotas or overrides
    moved_out: list  # would have been chosen by rank alone


def propose(
    ranked: Sequence[RankedApplicant],
    applicants: Sequence[Applicant],
    places: int,
    quotas: Sequence[Quota] = (),
    overrides: Sequence[Override] = (),
) -> Proposal:
    """Greedy fill: overrides, then minimum quotas in rank order, then the rest by rank.

    Applicants nobody has scored are never proposed (unless an override includes
    them). No maximum quota is exceeded except by an explicit override.
    """
    by_id = {a.id: a for a in applicants}
    forced = {o.applicant: o for o in overrides}
    order = [r.id for r in ranked if r.id in by_id]
    scored = {r.id for r in ranked if r.mean_z is not None}
    selected: list = []
    reasons: dict = {}

    def count(quota: Quota) -> int:
        return sum(1 for s in selected if quota.matches(by_id[s]))

    def breaks_maximum(applicant_id) -> Quota | None:
        for quota in quotas:
            if quota.maximum is not None and quota.matches(by_id[applicant_id]) and count(quota) >= quota.maximum:
                return quota
        return None

    for applicant_id in order:
        override = forced.get(applicant_id)
        if override and override.include and len(selected) < places:
            selected.append(applicant_id)
            reasons[applicant_id] = (OVERRIDE_IN, override)
        elif override and not override.include:
            reasons[applicant_id] = (OVERRIDE_OUT, override)

    def candidates():
        return [a for a in order if a not in reasons and a in scored]

    while len(selected) < places:
        unmet = [q for q in quotas if q.minimum and count(q) < q.minimum]
        pick = None
        for applicant_id in candidates():
            helps = next((q for q in unmet if q.matches(by_id[applicant_id])), None)
            if helps and not breaks_maximum(applicant_id):
                pick = (applicant_id, helps)
                break
        if not pick:
            break
        selected.append(pick[0])
        reasons[pick[0]] = (FOR_MINIMUM, pick[1])

    for applicant_id in candidates():
        if len(selected) >= places:
            reasons[applicant_id] = (NO_PLACE, None)
            continue
        blocked = breaks_maximum(applicant_id)
        if blocked:
            reasons[applicant_id] = (OVER_MAXIMUM, blocked)
            continue
        selected.append(applicant_id)
        reasons[applicant_id] = (BY_RANK, None)
    for applicant_id in order:
        reasons.setdefault(applicant_id, (NOT_SCORED, None))

    by_rank_alone = [a for a in order if a in scored][:places]
    chosen = set(selected)
    return Proposal(
        selected=selected,
        reasons=reasons,
        unmet_minimums=[q for q in quotas if q.minimum and count(q) < q.minimum],
        moved_in=[a for a in selected if a not in by_rank_alone],
        moved_out=[a for a in by_rank_alone if a not in chosen],
    )
