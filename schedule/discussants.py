"""Discussant assignment, pure: talks and students in, discussants out; no database, no clock.

Each talk gets `per_talk` discussants (1 or 2):
- never its presenter, never one person twice for one talk;
- the work is spread evenly: the numbers of talks two students discuss differ by at most one (so with at
  least as many students as seats, each student discusses at most once);
- a student who presents right before or after the talk (the neighbouring talk of the same day) is not
  its discussant when another choice keeps the spread;
- a student of the talk's topic is preferred when the rules above allow it;
- the same input and seed give the same discussants, whatever order the ids come in.

Rounds of a minimum-cost assignment (scipy's linear_sum_assignment), as reviews.assignment does: each
round gives every talk one more discussant; costs by weight are how many talks the student discusses
already (spreading them), being a neighbour, another topic, and a tie-break drawn from the seed.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from scipy.optimize import linear_sum_assignment

SPREAD = 1_000_000.0
NEIGHBOUR = 10_000.0
OTHER_TOPIC = 100.0
FORBIDDEN = 1e12


@dataclass(frozen=True)
class Talk:
    slot: int
    presenter: int
    day: int
    starts_at: datetime
    topic: object = None


def neighbours(talks: Iterable[Talk]) -> dict[int, set[int]]:
    """slot -> the presenters of the talks right before and after it on the same day."""
    by_day: dict[int, list[Talk]] = {}
    for talk in talks:
        by_day.setdefault(talk.day, []).append(talk)
    found: dict[int, set[int]] = {}
    for day_talks in by_day.values():
        ordered = sorted(day_talks, key=lambda talk: (talk.starts_at, talk.slot))
        for index, talk in enumerate(ordered):
            around = ordered[max(index - 1, 0) : index] + ordered[index + 1 : index + 2]
            found[talk.slot] = {other.presenter for other in around}
    return found


def assign(
    *,
    talks: Iterable[Talk],
    students: Iterable[int],
    per_talk: int,
    seed: int,
    topics: Mapping[int, object] | None = None,
) -> dict[int, list[int]]:
    """slot -> its discussants, first and (with per_talk 2) second. `topics` maps a student to their topic."""
    talks = sorted(talks, key=lambda talk: talk.slot)
    students = sorted(set(students))
    topics = topics or {}
    result: dict[int, list[int]] = {talk.slot: [] for talk in talks}
    if per_talk < 1 or not talks or not students:
        return result
    close = neighbours(talks)
    rng = np.random.default_rng(seed)
    noise = rng.random((len(talks), len(students)))
    load = np.zeros(len(students), dtype=int)
    for _round in range(per_talk):
        # One copy more than an even share, so that two talks whose only allowed student is the same one can
        # both have them (the copy costs more, so the spread still decides).
        copies = -(-len(talks) // len(students)) + 1
        columns = [(j, copy) for copy in range(copies) for j in range(len(students))]
        cost = np.empty((len(talks), len(columns)))
        for i, talk in enumerate(talks):
            for y, (j, copy) in enumerate(columns):
                student = students[j]
                if student == talk.presenter or student in result[talk.slot]:
                    cost[i, y] = FORBIDDEN
                    continue
                same_topic = talk.topic is not None and topics.get(student) == talk.topic
                cost[i, y] = (
                    SPREAD * (load[j] + copy)
                    + (NEIGHBOUR if student in close[talk.slot] else 0.0)
                    + (0.0 if same_topic else OTHER_TOPIC)
                    + noise[i, j]
                )
        rows, chosen = linear_sum_assignment(cost)
        for i, y in zip(rows, chosen, strict=True):
            if cost[i, y] >= FORBIDDEN:
                continue
            j = columns[y][0]
            result[talks[i].slot].append(students[j])
            load[j] += 1
    return result
