"""Tests of matching.matching: pure, no database. Hypothesis properties on small random instances (stability,
capacities, acceptability, student-optimality against a brute force over every stable matching,
strategy-proofness against every misreport, reproducibility, the evidence of the explanations) and table
tests of the cases a coordinator would ask about."""

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matching.matching import MatchingProblem, Reason, Refusal, draw_lottery, match, validate


@st.composite
def problems(draw, max_students=5, max_seminars=3):
    """Small instances. Student and seminar ids share one range, so mixing them up shows. Each student ranks
    some seminars; each seminar's chair accepts some of its applicants, at ranks 1 to 3 (ties likely)."""
    seminars = sorted(draw(st.sets(st.integers(1, 30), min_size=1, max_size=max_seminars)))
    students = draw(st.lists(st.integers(1, 30), unique=True, max_size=max_students))
    capacities = {seminar: draw(st.integers(1, 2)) for seminar in seminars}
    rankings = {
        student: draw(st.lists(st.sampled_from(seminars), unique=True, max_size=len(seminars)))
        for student in students
    }
    chair = {}
    for seminar in seminars:
        applicants = [student for student in students if seminar in rankings[student]]
        chair[seminar] = {
            student: draw(st.integers(1, 3)) for student in applicants if draw(st.integers(0, 4)) > 0
        }
    return MatchingProblem(capacities=capacities, student_rankings=rankings, chair_rankings=chair)


seeds = st.integers(0, 2**32 - 1)


def strict_priority(problem, seed):
    """seminar -> student -> priority of the tie-broken instance (smaller is better), as the module ranks."""
    lottery = draw_lottery(problem.student_rankings, seed)
    return {
        seminar: {student: (rank, lottery[student]) for student, rank in ranks.items()}
        for seminar, ranks in problem.chair_rankings.items()
    }


def place(problem, student, seminar) -> int:
    """A student's place for a seminar on their list; no seat is worse than any listed seminar."""
    ranking = problem.student_rankings[student]
    return ranking.index(seminar) if seminar is not None else len(ranking)


def blocking_pairs(problem, assignment, priority) -> list[tuple[int, int]]:
    pairs = []
    for student, ranking in problem.student_rankings.items():
        for seminar in ranking[: place(problem, student, assignment.get(student))]:
            if student not in priority.get(seminar, {}):
                continue
            holders = [other for other, held in assignment.items() if held == seminar]
            if len(holders) < problem.capacities[seminar] or any(
                priority[seminar][other] > priority[seminar][student] for other in holders
            ):
                pairs.append((student, seminar))
    return pairs


def is_admissible(problem, assignment, priority) -> bool:
    """Every student at a seminar they ranked and that accepts them, no seminar over its seats."""
    for student, seminar in assignment.items():
        if seminar not in problem.student_rankings[student] or student not in priority.get(seminar, {}):
            return False
    counts = {}
    for seminar in assignment.values():
        counts[seminar] = counts.get(seminar, 0) + 1
    return all(count <= problem.capacities[seminar] for seminar, count in counts.items())


def all_stable_matchings(problem, seed):
    priority = strict_priority(problem, seed)
    students = sorted(problem.student_rankings)
    options = [[None, *problem.student_rankings[student]] for student in students]
    for choice in itertools.product(*options):
        assignment = {
            student: seminar for student, seminar in zip(students, choice, strict=True) if seminar is not None
        }
        if is_admissible(problem, assignment, priority) and not blocking_pairs(problem, assignment, priority):
            yield assignment


@given(problems(), seeds)
def test_the_matching_is_stable_after_the_lottery(problem, seed):
    result = match(problem, seed=seed)

    assert blocking_pairs(problem, result.assignment, strict_priority(problem, seed)) == []


@given(problems(), seeds)
def test_no_seminar_over_its_seats_and_nobody_where_they_did_not_rank_or_were_not_accepted(problem, seed):
    result = match(problem, seed=seed)

    assert is_admissible(problem, result.assignment, strict_priority(problem, seed))
    for seminar, seats in problem.capacities.items():
        taken = sum(1 for held in result.assignment.values() if held == seminar)
        assert result.free_seats[seminar] == seats - taken >= 0


@given(problems(max_students=4), seeds)
def test_it_is_the_student_optimal_stable_matching_of_the_tie_broken_instance(problem, seed):
    result = match(problem, seed=seed)
    stable = list(all_stable_matchings(problem, seed))

    assert result.assignment in stable
    for other in stable:
        for student in problem.student_rankings:
            assert place(problem, student, result.assignment.get(student)) <= place(
                problem, student, other.get(student)
            )


def misreports(seminars):
    for length in range(len(seminars) + 1):
        yield from itertools.permutations(seminars, length)


@given(problems(max_students=4), seeds)
def test_no_student_gets_a_better_seat_by_any_other_ranking(problem, seed):
    truthful = match(problem, seed=seed)
    seminars = sorted(problem.capacities)
    for student, ranking in problem.student_rankings.items():
        honest_place = place(problem, student, truthful.assignment.get(student))
        for report in misreports(seminars):
            # The chair ranks the applications they get: a seminar the student stops ranking loses them,
            # a seminar they newly rank accepts them at the lowest rank (the round's default).
            chair = {
                seminar: {
                    other: rank for other, rank in ranks.items() if other != student or seminar in report
                }
                for seminar, ranks in problem.chair_rankings.items()
            }
            for seminar in report:
                if seminar not in ranking:
                    chair[seminar][student] = 4
            lied = MatchingProblem(
                capacities=problem.capacities,
                student_rankings={**problem.student_rankings, student: list(report)},
                chair_rankings=chair,
            )
            got = match(lied, seed=seed).assignment.get(student)
            gain = got is not None and got in ranking and ranking.index(got) < honest_place
            assert not gain, (student, report, got)


@given(problems(), seeds)
def test_the_same_data_and_seed_give_the_same_matching_whatever_the_order(problem, seed):
    shuffled = MatchingProblem(
        capacities=dict(reversed(list(problem.capacities.items()))),
        student_rankings=dict(reversed(list(problem.student_rankings.items()))),
        chair_rankings={
            seminar: dict(reversed(list(ranks.items())))
            for seminar, ranks in reversed(list(problem.chair_rankings.items()))
        },
    )

    assert match(problem, seed=seed) == match(problem, seed=seed)
    assert match(shuffled, seed=seed).assignment == match(problem, seed=seed).assignment


@given(problems(), seeds)
def test_every_explanation_is_true(problem, seed):
    result = match(problem, seed=seed)
    lottery = result.lottery
    for student, outcome in result.outcomes.items():
        ranking = problem.student_rankings[student]
        assert outcome.seminar == result.assignment.get(student)
        assert outcome.choice == (ranking.index(outcome.seminar) + 1 if outcome.seminar else None)
        assert [refusal.seminar for refusal in outcome.refusals] == ranking[
            : place(problem, student, outcome.seminar)
        ]
        for refusal in outcome.refusals:
            ranks = problem.chair_rankings.get(refusal.seminar, {})
            holders = [other for other, held in result.assignment.items() if held == refusal.seminar]
            if refusal.reason == Reason.NOT_ACCEPTED:
                assert student not in ranks
                continue
            assert len(holders) == problem.capacities[refusal.seminar]
            if refusal.reason == Reason.RANKED_HIGHER:
                assert all(ranks[other] < ranks[student] for other in holders)
            else:
                assert all(ranks[other] <= ranks[student] for other in holders)
                tied = [other for other in holders if ranks[other] == ranks[student]]
                assert tied
                assert all(lottery[other] < lottery[student] for other in tied)


def test_students_propose_so_a_tie_is_broken_by_the_one_lottery_of_the_round():
    problem = MatchingProblem(
        capacities={10: 1}, student_rankings={1: [10], 2: [10]}, chair_rankings={10: {1: 1, 2: 1}}
    )
    for seed in range(20):
        result = match(problem, seed=seed)
        winner = min((1, 2), key=result.lottery.get)
        loser = 3 - winner
        assert result.assignment == {winner: 10}
        assert result.outcomes[loser].refusals == (Refusal(10, Reason.LOTTERY),)


def test_a_chair_rank_beats_the_lottery_and_the_student_gets_their_second_choice():
    problem = MatchingProblem(
        capacities={10: 1, 20: 1},
        student_rankings={1: [10, 20], 2: [10]},
        chair_rankings={10: {1: 2, 2: 1}, 20: {1: 1}},
    )

    result = match(problem, seed=7)

    assert result.assignment == {2: 10, 1: 20}
    assert result.outcomes[1].choice == 2
    assert result.outcomes[1].refusals == (Refusal(10, Reason.RANKED_HIGHER),)
    assert result.choice_counts() == {1: 1, 2: 1}


def test_an_unmatched_student_and_the_seats_left():
    problem = MatchingProblem(
        capacities={10: 1, 20: 3},
        student_rankings={1: [10], 2: [10, 20], 3: []},
        chair_rankings={10: {2: 1}, 20: {2: 1}},
    )

    result = match(problem, seed=0)

    assert result.assignment == {2: 10}
    assert result.outcomes[1].seminar is None
    assert result.outcomes[1].refusals == (Refusal(10, Reason.NOT_ACCEPTED),)
    assert result.outcomes[3].refusals == ()
    assert result.free_seats == {10: 0, 20: 3}


@pytest.mark.parametrize(
    ("problem", "message"),
    [
        (MatchingProblem({10: 1}, {1: [10, 10]}, {}), "twice"),
        (MatchingProblem({10: 1}, {1: [20]}, {}), "not in the round"),
        (MatchingProblem({10: 0}, {}, {}), "no seats"),
        (MatchingProblem({10: 1}, {1: []}, {10: {1: 1}}), "did not apply"),
        (MatchingProblem({10: 1}, {1: [10]}, {20: {1: 1}}), "not in the round"),
        (MatchingProblem({10: 1}, {1: [10]}, {10: {1: 0}}), "ranks student"),
    ],
)
def test_bad_input_is_refused(problem, message):
    with pytest.raises(ValueError, match=message):
        validate(problem)


def test_the_cyclic_collector_is_as_it_was_after_a_match():
    import gc

    problem = MatchingProblem(capacities={10: 1}, student_rankings={1: [10]}, chair_rankings={10: {1: 1}})
    match(problem, seed=1)
    assert gc.isenabled()
    gc.disable()
    try:
        match(problem, seed=1)
        assert not gc.isenabled()
    finally:
        gc.enable()
