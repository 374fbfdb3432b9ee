"""Cascade trees: the step-downs that grew from a training, or from a trainer, down every generation.

A child of training T is a step-down S for which T is a source (docs/metrics.md)
and whose generation is one more than T's, so each branch follows the path that
gave S its generation. Children of an unlinked training are the unlinked
step-downs it prepared. Edges are found one level at a time with one SQL query
per level; the tree stops at ``limit`` trainings and says so.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection

from cascade.metrics import engine, tables as T
from cascade.metrics.filters import held_sql
from cascade.network.models import Person
from cascade.trainings.models import Participation, Training

DEFAULT_LIMIT = 500


@dataclass
class Node:
    training: Training
    generation: int | None
    facilitators: list = field(default_factory=list)
    participants: list = field(default_factory=list)
    children: list["Node"] = field(default_factory=list)


@dataclass
class Tree:
    roots: list[Node]
    size: int
    truncated: bool


@dataclass
class PersonTree(Tree):
    person: Person | None = None
    generation: int | None = None
    trained_at: list = field(default_factory=list)


def _source_edges(parent_ids: list[int]) -> list[tuple[int, int]]:
    """(parent, child) for every held step-down whose source is one of ``parent_ids`` (held too)."""
    marks = ", ".join(["%s"] * len(parent_ids))
    sql = (
        f"SELECT s.source_training_id, s.id FROM {T.TRAINING} s"
        f" WHERE s.kind = '{engine.STEP_DOWN}' AND s.source_training_id IN ({marks}) AND {held_sql('s')}"
        f" UNION"
        f" SELECT t.id, s.id FROM {T.TRAINING} t"
        f" JOIN {T.PARTICIPATION} p ON p.training_id = t.id AND p.role = '{engine.PARTICIPANT}' AND p.completed = %s"
        f" JOIN {T.PARTICIPATION} f ON f.person_id = p.person_id AND f.role = '{engine.FACILITATOR}'"
        f" JOIN {T.TRAINING} s ON s.id = f.training_id AND s.kind = '{engine.STEP_DOWN}'"
        f" AND s.source_training_id IS NULL AND s.start_date >= COALESCE(t.end_date, t.start_date)"
        f" WHERE t.id IN ({marks}) AND {held_sql('s')} AND {held_sql('t')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*parent_ids, True, *parent_ids])
        return cursor.fetchall()


def _grow(root_ids: list[int], visible, limit: int) -> tuple[dict, dict, bool]:
    """Children by parent id and generation by id, for everything below ``root_ids``."""
    generation = engine.generations_of(root_ids)
    children: dict[int, list[int]] = defaultdict(list)
    seen, frontier, truncated = set(root_ids), list(root_ids), False
    while frontier:
        edges = sorted(set(_source_edges(frontier)))
        generation.update(engine.generations_of({child for _parent, child in edges} - generation.keys()))
        allowed = set(visible.filter(pk__in=[c for _p, c in edges]).values_list("pk", flat=True))
        frontier = []
        for parent, child in edges:
            if child in seen or child not in allowed:
                continue
            parent_gen, child_gen = generation[parent], generation[child]
            if (parent_gen is None and child_gen is None) or (parent_gen is not None and child_gen == parent_gen + 1):
                if len(seen) >= limit:
                    truncated = True
                    break
                seen.add(child)
                children[parent].append(child)
                frontier.append(child)
    return children, generation, truncated


def _nodes(ids: set[int], generation: dict, with_people: bool, named=None) -> dict[int, Node]:
    trainings = Training.objects.filter(pk__in=ids).select_related("country", "host", "place")
    nodes = {t.pk: Node(training=t, generation=generation.get(t.pk)) for t in trainings}
    if with_people:
        participations = Participation.objects.filter(training_id__in=ids, role__in=["participant", "facilitator"])
        if named is not None:  # names only where the reader may see the training's people
            participations = participations.filter(training__in=named)
        for p in participations.select_related("person").order_by("person__full_name"):
            node = nodes[p.training_id]
            (node.facilitators if p.role == "facilitator" else node.participants).append(p.person)
    return nodes


def _assemble(root_ids: list[int], visible, with_people: bool, limit: int, named=None) -> Tree:
    children, generation, truncated = _grow(root_ids, visible, limit)
    ids = set(root_ids) | {c for kids in children.values() for c in kids}
    nodes = _nodes(ids, generation, with_people, named)
    by_date = lambda pk: (nodes[pk].training.start_date, nodes[pk].training.key)  # noqa: E731
    for parent, kids in children.items():
        nodes[parent].children = [nodes[k] for k in sorted(kids, key=by_date)]
    return Tree(roots=[nodes[r] for r in root_ids if r in nodes], size=len(ids), truncated=truncated)


def training_tree(training: Training, visible=None, with_people: bool = True, limit: int = DEFAULT_LIMIT,
                  named=None) -> Tree:
    """The training and the step-downs that grew from it, and theirs, down every generation.

    ``visible`` is the queryset of trainings the reader may see (cascade.access), ``named``
    those whose people she may see by name (``access.people_trainings``; None: all visible).
    """
    visible = Training.objects.all() if visible is None else visible
    return _assemble([training.pk], visible, with_people, limit, named)


def person_tree(person: Person, visible=None, with_people: bool = True, limit: int = DEFAULT_LIMIT,
                named=None) -> PersonTree:
    """The step-downs she led, the people in them, and the step-downs those people led in turn."""
    visible = Training.objects.all() if visible is None else visible
    led = list(
        visible.filter(kind=engine.STEP_DOWN, participations__person=person, participations__role="facilitator")
        .order_by("start_date", "key").values_list("pk", flat=True).distinct()
    )
    tree = _assemble(led, visible, with_people, limit, named) if led else Tree(roots=[], size=0, truncated=False)
    trained_at = list(
        visible.filter(participations__person=person, participations__role="participant")
        .order_by("start_date", "key").distinct()
    )
    return PersonTree(
        roots=tree.roots, size=tree.size, truncated=tree.truncated, person=person,
        generation=engine.person_generations([person.pk])[person.pk], trained_at=trained_at,
    )
