"""Tests of papers.allotment: pure, no database. Property tests (hypothesis) check optimality against a brute
force and the invariants both mechanisms promise; table tests pin down the cases a chair would ask about."""

import itertools
import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from papers.allotment import (
    MECHANISMS,
    UNRANKED,
    AllotmentProblem,
    AllotmentResult,
    allot_optimal,
    allot_serial_dictatorship,
    serial_order,
)


@st.composite
def problems(draw, max_students=6, max_papers=5):
    """Small instances. Student and paper ids share one range, so mixing them up shows. A ranking may name a
    paper that is not on offer (41: withdrawn since the student ranked it)."""
    students = draw(st.lists(st.integers(1, 40), unique=True, max_size=max_students))
    papers = sorted(draw(st.sets(st.integers(1, 40), max_size=max_papers)))
    capacities = {paper: draw(st.integers(1, 3)) for paper in papers}
    max_choices = draw(st.integers(1, 5))
    rankings = {}
    for student in students:
        ranking = []
        if papers:
            ranking = draw(
                st.lists(st.sampled_from([*papers, 41]), unique=True, max_size=min(max_choices, len(papers)))
            )
        if ranking or draw(st.booleans()):  # a student without a ranking is absent or has an empty one
            rankings[student] = ranking
    locks = {}
    left = dict(capacities)
    for student in students:
        open_papers = [paper for paper in papers if left[paper] > 0]
        if open_papers and draw(st.integers(0, 3)) == 0:
            paper = draw(st.sampled_from(open_papers))
            locks[student] = paper
            left[paper] -= 1
    return AllotmentProblem(
        students=students, capacities=capacities, rankings=rankings, locks=locks, max_choices=max_choices
    )


seeds = st.integers(0, 2**32 - 1)
mechanisms = pytest.mark.parametrize("mechanism", list(MECHANISMS.values()), ids=list(MECHANISMS))


def seats_total(problem: AllotmentProblem) -> int:
    return sum(problem.capacities.values())


def brute_force_min_cost(problem: AllotmentProblem) -> int:
    """Least total cost over all assignments that keep capacities and locks and seat as many students as
    possible."""
    free = [student for student in problem.students if student not in problem.locks]
    left = Counter(problem.capacities)
    left.subtract(Counter(problem.locks.values()))
    target = min(len(problem.students), seats_total(problem))
    locked_cost = sum(problem.cost(student, paper) for student, paper in problem.locks.items())
    options = [*sorted(problem.capacities), None]
    best = None
    for combo in itertools.product(options, repeat=len(free)):
        chosen = [paper for paper in combo if paper is not None]
        if len(problem.locks) + len(chosen) != target:
            continue
        if any(count > left[paper] for paper, count in Counter(chosen).items()):
            continue
        cost = locked_cost + sum(
            problem.cost(student, paper)
            for student, paper in zip(free, combo, strict=True)
            if paper is not None
        )
        if best is None or cost < best:
            best = cost
    assert best is not None  # seating `target` students is always feasible
    return best


def how_much_wanted(problem: AllotmentProblem, student: int, paper: int | None) -> tuple[int, int]:
    """The students' preferences, written here apart from the module's costs (greater is better): a ranked
    paper by its rank; every paper the student did not rank alike, below any ranked one; no paper lowest."""
    ranking = list(problem.rankings.get(student, ()))
    if paper is None:
        return (0, 0)
    if paper in ranking:
        return (2, -ranking.index(paper))
    return (1, 0)


def pareto_improvement(problem: AllotmentProblem, assignment: dict[int, int]) -> dict[int, int | None] | None:
    """An allotment that keeps the locks and the capacities, leaves no student worse off than `assignment`
    and one better off; None if there is none. It tries every allotment in which each student gets a paper
    at least as good (small problems only), so it shares nothing with the mechanisms' code."""
    free = [student for student in problem.students if student not in problem.locks]
    seats = Counter(problem.capacities)
    seats.subtract(Counter(problem.locks.values()))
    chosen: dict[int, int | None] = {}

    def search(index: int, better: bool) -> dict[int, int | None] | None:
        if index == len(free):
            return dict(chosen) if better else None
        student = free[index]
        now = how_much_wanted(problem, student, assignment.get(student))
        for paper in [*problem.capacities, None]:
            wanted = how_much_wanted(problem, student, paper)
            if wanted < now or (paper is not None and seats[paper] == 0):
                continue
            chosen[student] = paper
            if paper is not None:
                seats[paper] -= 1
            found = search(index + 1, better or wanted > now)
            if paper is not None:
                seats[paper] += 1
            if found is not None:
                return found
        return None

    return search(0, False)


def expected_rank_counts(problem: AllotmentProblem, result: AllotmentResult) -> dict:
    counts = Counter()
    for student in result.assignment:
        rank = result.rank_of(problem, student)
        counts[UNRANKED if rank is None else rank] += 1
    return dict(counts)


def test_pareto_improvement_finds_a_swap_and_a_free_seat():
    problem = AllotmentProblem(students=[1, 2, 3], capacities={10: 1, 20: 1, 30: 1}, rankings={1: [10]})

    assert pareto_improvement(problem, {1: 20, 2: 10, 3: 30}) is not None  # 1 and 2 swap
    assert pareto_improvement(problem, {1: 10, 2: 20}) is not None  # 3 gets paper 30
    assert pareto_improvement(problem, {1: 10, 2: 20, 3: 30}) is None


# --- property tests ---------------------------------------------------------------------------------------


@settings(max_examples=150)
@given(problem=problems(), seed=seeds)
def test_allot_optimal_total_cost_equals_brute_force_minimum(problem, seed):
    result = allot_optimal(problem, seed=seed)

    assert result.total_cost == brute_force_min_cost(problem)


@mechanisms
@settings(max_examples=400)
@given(problem=problems(), seed=seeds)
def test_mechanism_leaves_no_allotment_that_is_better_for_one_and_worse_for_none(mechanism, problem, seed):
    result = mechanism(problem, seed=seed)

    assert pareto_improvement(problem, result.assignment) is None


@mechanisms
@settings(max_examples=150)
@given(problem=problems(max_students=12, max_papers=8), seed=seeds)
def test_mechanism_invariants_hold_on_random_problems(mechanism, problem, seed):
    result = mechanism(problem, seed=seed)

    assert set(result.assignment) <= set(problem.students)
    assert set(result.assignment.values()) <= set(problem.capacities)
    taken = Counter(result.assignment.values())
    assert all(taken[paper] <= seats for paper, seats in problem.capacities.items())
    assert all(result.assignment[student] == paper for student, paper in problem.locks.items())
    assert len(result.assignment) == min(len(problem.students), seats_total(problem))
    assert sorted(result.unassigned) == sorted(set(problem.students) - set(result.assignment))
    assert len(result.assignment) + len(result.unassigned) == len(problem.students)
    assert sum(result.rank_counts.values()) == len(result.assignment)
    assert result.rank_counts == expected_rank_counts(problem, result)
    assert result.total_cost == sum(
        problem.cost(student, paper) for student, paper in result.assignment.items()
    )


@mechanisms
@settings(max_examples=50)
@given(problem=problems(max_students=12, max_papers=8), seed=seeds)
def test_mechanism_same_seed_gives_identical_result(mechanism, problem, seed):
    assert mechanism(problem, seed=seed) == mechanism(problem, seed=seed)


@mechanisms
@settings(max_examples=150)
@given(problem=problems(max_students=12, max_papers=8), seed=seeds)
def test_mechanism_leaves_nobody_out_while_a_paper_they_ranked_goes_to_a_student_who_did_not(
    mechanism, problem, seed
):
    result = mechanism(problem, seed=seed)

    given_unranked = {
        result.assignment[student]
        for student in result.assignment
        if student not in problem.locks and result.rank_of(problem, student) is None
    }
    for student in result.unassigned:
        assert not given_unranked & set(problem.rankings.get(student, ()))


@settings(max_examples=150)
@given(problem=problems(max_students=12, max_papers=8), seed=seeds)
def test_serial_dictatorship_serves_every_ranked_choice_in_the_drawn_order_before_seating_the_rest(
    problem, seed
):
    result = allot_serial_dictatorship(problem, seed=seed)
    order = serial_order(problem, seed=seed)
    left = Counter(problem.capacities)
    left.subtract(Counter(problem.locks.values()))

    assert sorted(order) == sorted(set(problem.students) - set(problem.locks))
    waiting = []
    for student in order:
        best_free = next((paper for paper in problem.rankings.get(student, ()) if left[paper] > 0), None)
        if best_free is None:
            waiting.append(student)
            continue
        assert result.assignment[student] == best_free
        left[best_free] -= 1
    seated = min(len(waiting), sum(left.values()))
    assert [student in result.assignment for student in waiting] == [True] * seated + [False] * (
        len(waiting) - seated
    )
    given_later = Counter(result.assignment[student] for student in waiting[:seated])
    assert all(given_later[paper] <= left[paper] for paper in given_later)
    assert all(result.rank_of(problem, student) is None for student in waiting[:seated])


# --- reproducibility ----------------------------------------------------------------------------------------


def tied_problem() -> AllotmentProblem:
    """Two students both want paper 10 first; either answer is equally good, so the seed decides."""
    return AllotmentProblem(students=[1, 2], capacities={10: 1, 20: 1}, rankings={1: [10], 2: [10]})


@mechanisms
def test_mechanism_different_seeds_can_break_ties_differently(mechanism):
    problem = tied_problem()

    winners = {
        next(s for s, p in mechanism(problem, seed=seed).assignment.items() if p == 10) for seed in range(40)
    }

    assert winners == {1, 2}


@mechanisms
def test_mechanism_fixed_seed_is_stable_across_calls(mechanism):
    problem = tied_problem()

    results = [mechanism(problem, seed=7) for _ in range(5)]

    assert all(result == results[0] for result in results)


# --- table tests --------------------------------------------------------------------------------------------


@mechanisms
def test_mechanism_everyone_gets_first_choice_when_possible(mechanism):
    problem = AllotmentProblem(
        students=[1, 2, 3, 4],
        capacities={10: 2, 20: 1, 30: 1},
        rankings={1: [10, 20], 2: [10, 30], 3: [20, 10], 4: [30, 20]},
    )

    result = mechanism(problem, seed=3)

    assert result.assignment == {1: 10, 2: 10, 3: 20, 4: 30}
    assert result.rank_counts == {1: 4}
    assert result.total_cost == 4
    assert result.unassigned == []


def test_cost_unranked_paper_costs_more_than_any_ranked_paper():
    problem = AllotmentProblem(
        students=[1, 2], capacities=dict.fromkeys(range(10, 18), 1), rankings={1: [10, 11, 12, 13, 14]}
    )

    assert [problem.cost(1, paper) for paper in [10, 11, 12, 13, 14]] == [1, 2, 3, 4, 5]
    assert problem.cost(1, 15) == problem.unranked_cost == 6
    assert problem.cost(2, 10) == 6  # no ranking at all: everything is unranked


def test_cost_unranked_stays_above_a_ranking_longer_than_max_choices():
    problem = AllotmentProblem(
        students=[1],
        capacities=dict.fromkeys(range(10, 20), 1),
        rankings={1: list(range(10, 18))},
        max_choices=5,
    )

    assert problem.cost(1, 17) == 8
    assert problem.cost(1, 19) > problem.cost(1, 17)


def test_allot_optimal_prefers_fifth_choice_over_unranked_paper():
    # Students 2..5 each take one of student 1's first four choices as their own first choice.
    problem = AllotmentProblem(
        students=[1, 2, 3, 4, 5],
        capacities={10: 1, 11: 1, 12: 1, 13: 1, 14: 1, 15: 1},
        rankings={1: [10, 11, 12, 13, 14], 2: [10], 3: [11], 4: [12], 5: [13]},
    )

    for seed in range(10):
        result = allot_optimal(problem, seed=seed)

        assert result.assignment == {1: 14, 2: 10, 3: 11, 4: 12, 5: 13}
        assert result.rank_of(problem, 1) == 5
        assert result.rank_counts == {1: 4, 5: 1}
        assert result.total_cost == 9


def test_serial_dictatorship_seats_a_student_who_ranked_nothing_only_after_the_ranked_choices():
    problem = AllotmentProblem(students=[1, 2], capacities={10: 1, 20: 1}, rankings={2: [10]})

    first_in_order = {serial_order(problem, seed=seed)[0] for seed in range(40)}
    allotments = {
        tuple(sorted(allot_serial_dictatorship(problem, seed=seed).assignment.items())) for seed in range(40)
    }

    assert first_in_order == {1, 2}
    assert allotments == {((1, 20), (2, 10))}


@mechanisms
def test_mechanism_ranking_with_duplicate_paper_is_refused(mechanism):
    problem = AllotmentProblem(students=[1], capacities={10: 1, 20: 1}, rankings={1: [10, 20, 10]})

    with pytest.raises(ValueError, match="twice"):
        mechanism(problem, seed=0)


@mechanisms
def test_mechanism_students_without_ranking_get_leftover_papers(mechanism):
    problem = AllotmentProblem(
        students=[1, 2, 3, 4], capacities={10: 1, 20: 1, 30: 2}, rankings={1: [10], 2: [20], 3: []}
    )

    result = mechanism(problem, seed=11)

    assert result.assignment[1] == 10
    assert result.assignment[2] == 20
    assert result.assignment[3] == 30
    assert result.assignment[4] == 30
    assert result.rank_counts == {1: 2, UNRANKED: 2}
    assert result.rank_of(problem, 3) is None


@mechanisms
def test_mechanism_more_students_than_seats_lists_unassigned(mechanism):
    problem = AllotmentProblem(
        students=[5, 3, 1, 4, 2], capacities={10: 1, 20: 1}, rankings={s: [10, 20] for s in [1, 2, 3, 4, 5]}
    )

    result = mechanism(problem, seed=0)

    assert len(result.assignment) == 2
    assert len(result.unassigned) == 3
    assert set(result.unassigned) | set(result.assignment) == {1, 2, 3, 4, 5}
    assert not set(result.unassigned) & set(result.assignment)
    assert result.rank_counts == {1: 1, 2: 1}


@mechanisms
def test_mechanism_short_of_seats_leaves_out_the_student_who_ranked_nothing(mechanism):
    problem = AllotmentProblem(
        students=[1, 2, 3], capacities={10: 1, 20: 1}, rankings={1: [10], 2: [20], 3: []}
    )

    left_out = {tuple(mechanism(problem, seed=seed).unassigned) for seed in range(40)}

    assert left_out == {(3,)}


@mechanisms
def test_mechanism_short_of_seats_draws_between_a_student_whose_choices_are_taken_and_one_who_ranked_nothing(
    mechanism,
):
    # Student 1 or 2 gets paper 10; the other one and student 3 could each only get paper 20, unranked.
    problem = AllotmentProblem(
        students=[1, 2, 3], capacities={10: 1, 20: 1}, rankings={1: [10], 2: [10], 3: []}
    )

    results = [mechanism(problem, seed=seed) for seed in range(40)]

    assert {result.rank_counts[1] for result in results} == {1}
    assert {student for result in results for student in result.unassigned} == {1, 2, 3}


@mechanisms
def test_mechanism_locks_are_kept_even_when_costly(mechanism):
    problem = AllotmentProblem(
        students=[1, 2], capacities={10: 1, 20: 1}, rankings={1: [10], 2: [20]}, locks={1: 20}
    )

    result = mechanism(problem, seed=0)

    assert result.assignment == {1: 20, 2: 10}
    assert result.rank_counts == {UNRANKED: 2}
    assert result.total_cost == 2 * problem.unranked_cost


@mechanisms
@pytest.mark.parametrize(
    ("students", "capacities", "locks"),
    [
        pytest.param([1, 2, 1], {10: 3}, {}, id="duplicate-student"),
        pytest.param([1, 2], {10: 1}, {1: 99}, id="lock-on-unknown-paper"),
        pytest.param([1, 2], {10: 1}, {7: 10}, id="lock-on-unknown-student"),
        pytest.param([1, 2, 3], {10: 1, 20: 2}, {1: 10, 2: 10}, id="more-locks-than-capacity"),
    ],
)
def test_mechanism_invalid_input_raises_value_error(mechanism, students, capacities, locks):
    problem = AllotmentProblem(students=students, capacities=capacities, locks=locks)

    with pytest.raises(ValueError, match="student|lock|seats"):
        mechanism(problem, seed=0)


@mechanisms
@pytest.mark.parametrize(
    "problem",
    [
        pytest.param(AllotmentProblem(students=[], capacities={}), id="nothing"),
        pytest.param(AllotmentProblem(students=[], capacities={10: 2}), id="no-students"),
        pytest.param(AllotmentProblem(students=[1, 2], capacities={}, rankings={1: [10]}), id="no-papers"),
    ],
)
def test_mechanism_empty_problem_gives_empty_assignment(mechanism, problem):
    result = mechanism(problem, seed=0)

    assert result.assignment == {}
    assert result.unassigned == sorted(problem.students)
    assert result.total_cost == 0
    assert result.rank_counts == {}


@mechanisms
def test_mechanism_thousand_students_thousand_papers_all_assigned(mechanism):
    rng = random.Random(2024)
    papers = list(range(1, 1001))
    students = list(range(10_001, 11_001))
    problem = AllotmentProblem(
        students=students,
        capacities=dict.fromkeys(papers, 1),
        rankings={student: rng.sample(papers, 10) for student in students},
        max_choices=10,
    )

    result = mechanism(problem, seed=1)

    assert len(result.assignment) == 1000
    assert result.unassigned == []
    assert sum(result.rank_counts.values()) == 1000
    assert Counter(result.assignment.values()) == Counter(papers)
