"""Allotting papers to students from their ranked preferences. Pure: no database, ids in, ids out.

Cost of giving a student a paper: its rank (1 for the first choice), and for a paper the student did not
rank, one more than the longest ranking anyone could submit, so any ranked paper is cheaper.

- `allot_optimal`: the assignment with the least total cost (scipy's linear_sum_assignment on a
  student x paper-seat matrix), respecting capacities and locks.
- `allot_serial_dictatorship`: students in a random order each take their best remaining ranked paper;
  then the students without one get the seats left, at random.

Both are Pareto-optimal for the students' preferences (a ranked paper by its rank, any unranked paper alike
and below every ranked one, any paper above none): no other allotment that keeps the locks leaves every
student at least as well off and one better off (tests/papers/test_allotment.py checks it exhaustively).
When seats are short, neither leaves a student out while a paper they ranked goes to a student who did not
rank it, so students who ranked nothing are left out first.

Both are reproducible: the seed fixes the order in which students and seats are presented (which decides
between equally good answers), so the same data and seed give the same result.
"""

import random
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linear_sum_assignment

UNRANKED = "unranked"


@dataclass(frozen=True)
class AllotmentProblem:
    students: Sequence[int]
    capacities: Mapping[int, int]  # paper id -> seats
    rankings: Mapping[int, Sequence[int]] = field(default_factory=dict)  # student -> papers, best first
    locks: Mapping[int, int] = field(default_factory=dict)  # student -> paper kept as it is
    max_choices: int = 5

    def cost(self, student: int, paper: int) -> int:
        ranking = self.rankings.get(student, ())
        if paper in ranking:
            return ranking.index(paper) + 1
        return self.unranked_cost

    @property
    def unranked_cost(self) -> int:
        longest = max((len(ranking) for ranking in self.rankings.values()), default=0)
        return max(self.max_choices, longest) + 1


@dataclass(frozen=True)
class AllotmentResult:
    assignment: dict[int, int]  # student -> paper
    unassigned: list[int]  # students left without a paper because the seats ran out
    total_cost: int
    rank_counts: (
        dict  # 1 -> how many got their first choice, ..., "unranked" -> how many got an unranked paper
    )

    def rank_of(self, problem: AllotmentProblem, student: int) -> int | None:
        paper = self.assignment.get(student)
        if paper is None:
            return None
        ranking = problem.rankings.get(student, ())
        return ranking.index(paper) + 1 if paper in ranking else None


def _free_seats(problem: AllotmentProblem) -> list[int]:
    taken = Counter(problem.locks.values())
    seats = []
    for paper in sorted(problem.capacities):
        seats.extend([paper] * max(problem.capacities[paper] - taken[paper], 0))
    return seats


def _result(problem: AllotmentProblem, assignment: dict[int, int]) -> AllotmentResult:
    unranked_cost = problem.unranked_cost
    counts: Counter = Counter()
    total = 0
    for student, paper in assignment.items():
        ranking = problem.rankings.get(student, ())
        if paper in ranking:
            rank = ranking.index(paper) + 1
            counts[rank] += 1
            total += rank
        else:
            counts[UNRANKED] += 1
            total += unranked_cost
    unassigned = sorted(student for student in problem.students if student not in assignment)
    return AllotmentResult(
        assignment=dict(assignment), unassigned=unassigned, total_cost=total, rank_counts=dict(counts)
    )


def _validate(problem: AllotmentProblem) -> None:
    if len(set(problem.students)) != len(problem.students):
        raise ValueError("a student appears twice")
    for student, ranking in problem.rankings.items():
        if len(set(ranking)) != len(ranking):
            raise ValueError(f"student {student} ranks a paper twice")
    for student, paper in problem.locks.items():
        if student not in problem.students or paper not in problem.capacities:
            raise ValueError(f"lock {student} -> {paper} names an unknown student or paper")
    overfull = [
        paper for paper, count in Counter(problem.locks.values()).items() if count > problem.capacities[paper]
    ]
    if overfull:
        raise ValueError(f"more locked students than seats on paper(s) {overfull}")


def _cost_matrix(problem: AllotmentProblem, students: list[int], seats: list[int]) -> np.ndarray:
    """Row per student, column per seat: the rank of the seat's paper, or the unranked cost."""
    papers = sorted(set(seats))
    column_of = {paper: index for index, paper in enumerate(papers)}
    paper_costs = np.full((len(students), len(papers)), problem.unranked_cost, dtype=np.int64)
    for row, student in enumerate(students):
        for rank, paper in enumerate(problem.rankings.get(student, ()), start=1):
            if paper in column_of:
                paper_costs[row, column_of[paper]] = rank
    return paper_costs[:, [column_of[paper] for paper in seats]]


def allot_optimal(problem: AllotmentProblem, *, seed: int) -> AllotmentResult:
    _validate(problem)
    rng = random.Random(seed)
    free_students = [student for student in sorted(problem.students) if student not in problem.locks]
    seats = _free_seats(problem)
    rng.shuffle(free_students)
    rng.shuffle(seats)
    assignment = dict(problem.locks)
    if free_students and seats:
        matrix = _cost_matrix(problem, free_students, seats)
        rows, columns = linear_sum_assignment(matrix)
        for row, column in zip(rows, columns, strict=True):
            assignment[free_students[row]] = seats[column]
    return _result(problem, assignment)


def allot_serial_dictatorship(problem: AllotmentProblem, *, seed: int) -> AllotmentResult:
    """In the drawn order each student takes their best ranked paper that still has a seat; only when every
    ranked choice has been served do the students left over (all their ranked papers taken, or nothing
    ranked) get the remaining seats, in the same order, at random. Seating one of them at once could take
    a paper a later student ranked, and a swap would then leave both no worse and one better off."""
    _validate(problem)
    rng = random.Random(seed)
    order = [student for student in sorted(problem.students) if student not in problem.locks]
    rng.shuffle(order)
    left = Counter(problem.capacities)
    left.subtract(Counter(problem.locks.values()))
    assignment = dict(problem.locks)
    waiting = []
    for student in order:
        choice = next((paper for paper in problem.rankings.get(student, ()) if left[paper] > 0), None)
        if choice is None:
            waiting.append(student)
            continue
        assignment[student] = choice
        left[choice] -= 1
    for student in waiting:
        remaining = sorted(paper for paper, seats in left.items() if seats > 0)
        if not remaining:
            break
        choice = rng.choice(remaining)
        assignment[student] = choice
        left[choice] -= 1
    return _result(problem, assignment)


MECHANISMS = {"optimal": allot_optimal, "rsd": allot_serial_dictatorship}


def serial_order(problem: AllotmentProblem, *, seed: int) -> list[int]:
    """The order in which serial dictatorship lets students choose (for explaining a result)."""
    rng = random.Random(seed)
    order = [student for student in sorted(problem.students) if student not in problem.locks]
    rng.shuffle(order)
    return order
