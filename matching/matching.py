"""The department's seminar matching: student-proposing deferred acceptance with capacities (Gale and
Shapley; Roth's residency match). Pure: no database, ids in, decisions out.

Input: each student's strict ranking of seminars (best first), each seminar's seats and its chair's weak
ranking of the applicants it accepts (rank 1 best, ties allowed; an applicant it does not accept is left
out), and a seed. One lottery is drawn for the whole round from the seed: a number per student, the same in
every seminar. A seminar prefers an applicant of a better rank and, between applicants of the same rank,
the one with the smaller lottery number, so the tie-broken instance has strict priorities.

Each student in turn proposes to the best seminar on their list that has not refused them; a seminar keeps
the best applicants up to its seats and refuses the rest. The result is the student-optimal stable matching
of the tie-broken instance: no student and seminar prefer each other to what they got, no student does
better in any stable matching, and no student can get a better seat by ranking untruthfully or ranking
fewer seminars (tests/matching/test_matching.py checks all of it on small instances).

For each student the evidence of their explanation, which reveals nobody else: the seminar they got and its
place on their list, and for every seminar they ranked higher why it has no seat for them: its chair did
not accept them, it filled its seats with applicants its chair ranked higher, or with applicants its chair
ranked equally high whom the lottery drew first.
"""

import gc
import heapq
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple


class Reason(StrEnum):
    NOT_ACCEPTED = "not_accepted"  # the chair marked them not acceptable (or the round counts unranked so)
    RANKED_HIGHER = "ranked_higher"  # every seat went to an applicant the chair ranked higher
    LOTTERY = "lottery"  # the last seats went to applicants ranked equally high, drawn first


@dataclass(frozen=True)
class MatchingProblem:
    capacities: Mapping[int, int]  # seminar -> seats
    student_rankings: Mapping[int, Sequence[int]]  # student -> seminars, best first, strict
    chair_rankings: Mapping[int, Mapping[int, int]]  # seminar -> accepted applicant -> rank (1 best)


class Refusal(NamedTuple):
    """Why a seminar a student ranked above their own has no seat for them (a tuple: made by the hundred
    thousand, it must be cheap)."""

    seminar: int
    reason: Reason


class Outcome(NamedTuple):
    """One student's result: the seminar (None: no seat), its place on their list (1 = first choice), and
    why each seminar they ranked higher has no seat for them, in the order of their list."""

    seminar: int | None
    choice: int | None
    refusals: tuple[Refusal, ...] = ()


@dataclass(frozen=True)
class MatchingResult:
    assignment: dict[int, int]  # student -> seminar
    outcomes: dict[int, Outcome]  # every student who ranked anything
    lottery: dict[int, int]  # student -> lottery number (0 drawn first)
    free_seats: dict[int, int] = field(default_factory=dict)  # seminar -> seats left after the matching

    def choice_counts(self) -> dict[int | None, int]:
        """1 -> how many got their first choice, ..., None -> how many got no seat."""
        counts: dict[int | None, int] = {}
        for outcome in self.outcomes.values():
            counts[outcome.choice] = counts.get(outcome.choice, 0) + 1
        return counts


def draw_lottery(students, seed: int) -> dict[int, int]:
    """One number per student for the whole round, from the seed alone: the same students and seed always
    draw the same order, whatever order they are given in."""
    order = sorted(set(students))
    random.Random(seed).shuffle(order)
    return {student: number for number, student in enumerate(order)}


def validate(problem: MatchingProblem) -> None:
    for student, ranking in problem.student_rankings.items():
        if len(set(ranking)) != len(ranking):
            raise ValueError(f"student {student} ranks a seminar twice")
        unknown = [seminar for seminar in ranking if seminar not in problem.capacities]
        if unknown:
            raise ValueError(f"student {student} ranks seminars not in the round: {unknown}")
    for seminar, seats in problem.capacities.items():
        if seats < 1:
            raise ValueError(f"seminar {seminar} has no seats")
    for seminar, ranks in problem.chair_rankings.items():
        if seminar not in problem.capacities:
            raise ValueError(f"a chair ranking for seminar {seminar}, which is not in the round")
        for student, rank in ranks.items():
            if rank < 1:
                raise ValueError(f"seminar {seminar} ranks student {student} at {rank}")
            if seminar not in problem.student_rankings.get(student, ()):
                raise ValueError(f"seminar {seminar} ranks student {student}, who did not apply")


def match(problem: MatchingProblem, *, seed: int) -> MatchingResult:
    """Student-proposing deferred acceptance on the tie-broken instance (see the module's docstring)."""
    # The matching makes hundreds of thousands of small tuples and no reference cycle. In a process that
    # holds much else (a web or worker process), the cyclic collector would scan all of it again and
    # again while they are made (bench/matching.py: 2.1 s instead of 0.9 s), so it pauses meanwhile.
    paused = gc.isenabled()
    gc.disable()
    try:
        return _match(problem, seed=seed)
    finally:
        if paused:
            gc.enable()


def _match(problem: MatchingProblem, *, seed: int) -> MatchingResult:
    validate(problem)
    lottery = draw_lottery(problem.student_rankings, seed)
    size = len(lottery) + 1
    # A seminar's priority of an applicant as one number, smaller is better: rank first, then the lottery.
    priority = {seminar: {} for seminar in problem.capacities}
    for seminar, ranks in problem.chair_rankings.items():
        priority[seminar] = {student: rank * size + lottery[student] for student, rank in ranks.items()}
    # The applicants a seminar holds, as a max-heap on priority (negated): its worst on top.
    held: dict[int, list[tuple[int, int]]] = {seminar: [] for seminar in problem.capacities}
    rankings, capacities = problem.student_rankings, problem.capacities
    push, replace = heapq.heappush, heapq.heapreplace
    # Where each student goes on in their list: the seminars they have not proposed to yet.
    next_choice = dict.fromkeys(rankings, 0)
    free = sorted(rankings, reverse=True)
    while free:
        student = free.pop()
        ranking = rankings[student]
        place = next_choice[student]
        while place < len(ranking):
            seminar = ranking[place]
            place += 1
            key = priority[seminar].get(student)
            if key is None:
                continue
            heap = held[seminar]
            if len(heap) < capacities[seminar]:
                push(heap, (-key, student))
                break
            if -heap[0][0] > key:
                free.append(replace(heap, (-key, student))[1])
                break
        next_choice[student] = place
    assignment = {student: seminar for seminar, heap in held.items() for _, student in heap}
    return MatchingResult(
        assignment=assignment,
        outcomes=_outcomes(problem, assignment, held, priority, size),
        lottery=lottery,
        free_seats={seminar: problem.capacities[seminar] - len(heap) for seminar, heap in held.items()},
    )


def _outcomes(problem, assignment, held, priority, size) -> dict[int, Outcome]:
    """The evidence of each explanation. A seminar a student ranked above their own refused them for good
    (stability): it is full, and the worst applicant it kept (its cut-off) has a better priority. Whether
    that applicant's chair rank is better, or equal and the lottery decided, is all a student learns."""
    cutoff_rank = {seminar: -heap[0][0] // size for seminar, heap in held.items() if heap}
    not_accepted, ranked_higher, lottery = Reason.NOT_ACCEPTED, Reason.RANKED_HIGHER, Reason.LOTTERY
    outcomes = {}
    for student, ranking in problem.student_rankings.items():
        seminar = assignment.get(student)
        place = ranking.index(seminar) if seminar is not None else len(ranking)
        refusals = []
        for above in ranking[:place]:
            key = priority[above].get(student)
            if key is None:
                refusals.append(Refusal(above, not_accepted))
            elif cutoff_rank[above] < key // size:
                refusals.append(Refusal(above, ranked_higher))
            else:
                refusals.append(Refusal(above, lottery))
        outcomes[student] = Outcome(seminar, place + 1 if seminar is not None else None, tuple(refusals))
    return outcomes
