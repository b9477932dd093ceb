"""Tests of schedule.discussants: pure, no database. Properties (hypothesis) and the cases a chair asks."""

from collections import Counter
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from schedule.discussants import Talk, assign, neighbours

START = datetime(2027, 1, 20, 8, 0, tzinfo=UTC)
seeds = st.integers(0, 2**32 - 1)


@st.composite
def programs(draw):
    """Students (ids 1..n), some presenting one talk each, on one or two days, with topics."""
    count = draw(st.integers(1, 14))
    students = list(range(1, count + 1))
    presenters = draw(st.lists(st.sampled_from(students), unique=True, min_size=1, max_size=count))
    talks = [
        Talk(
            slot=100 + index,
            presenter=presenter,
            day=index % 2,
            starts_at=START + timedelta(minutes=45 * index),
        )
        for index, presenter in enumerate(presenters)
    ]
    topics = {student: draw(st.one_of(st.none(), st.integers(1, 3))) for student in students}
    talks = [Talk(t.slot, t.presenter, t.day, t.starts_at, topics[t.presenter]) for t in talks]
    return talks, students, topics


@given(programs(), st.integers(1, 2), seeds)
def test_never_the_presenter_never_one_person_twice_for_a_talk(program, per_talk, seed):
    talks, students, topics = program
    result = assign(talks=talks, students=students, per_talk=per_talk, seed=seed, topics=topics)

    for talk in talks:
        chosen = result[talk.slot]
        assert talk.presenter not in chosen
        assert len(set(chosen)) == len(chosen)
        assert set(chosen) <= set(students)


@given(programs(), st.integers(1, 2), seeds)
def test_every_talk_gets_its_discussants_when_anyone_else_is_there(program, per_talk, seed):
    talks, students, topics = program
    result = assign(talks=talks, students=students, per_talk=per_talk, seed=seed, topics=topics)

    for talk in talks:
        assert len(result[talk.slot]) == min(per_talk, len(students) - 1)


@given(programs(), st.integers(1, 2), seeds)
def test_the_discussions_are_spread_evenly(program, per_talk, seed):
    talks, students, topics = program
    result = assign(talks=talks, students=students, per_talk=per_talk, seed=seed, topics=topics)

    load = Counter(student for chosen in result.values() for student in chosen)
    counts = [load[student] for student in students]
    if len(students) > per_talk:
        assert max(counts) - min(counts) <= 1


@given(programs(), seeds, st.randoms())
def test_the_same_input_and_seed_give_the_same_discussants(program, seed, random):
    talks, students, topics = program
    shuffled_talks, shuffled_students = list(talks), list(students)
    random.shuffle(shuffled_talks)
    random.shuffle(shuffled_students)

    assert assign(talks=talks, students=students, per_talk=1, seed=seed, topics=topics) == assign(
        talks=shuffled_talks, students=shuffled_students, per_talk=1, seed=seed, topics=topics
    )


def _day(presenters, topics=None):
    topics = topics or {}
    return [
        Talk(
            slot=10 + i, presenter=p, day=1, starts_at=START + timedelta(minutes=45 * i), topic=topics.get(p)
        )
        for i, p in enumerate(presenters)
    ]


@given(seeds)
def test_a_neighbour_is_not_the_discussant_when_others_can_be(seed):
    talks = _day([1, 2, 3, 4, 5, 6])
    result = assign(talks=talks, students=range(1, 7), per_talk=1, seed=seed)

    close = neighbours(talks)
    assert all(result[talk.slot][0] not in close[talk.slot] for talk in talks)


@given(seeds)
def test_the_same_topic_is_preferred_when_the_spread_allows(seed):
    topics = {1: "a", 2: "a", 3: "a", 4: "b", 5: "b", 6: "b"}
    # Two talks of each topic a day apart from each other: nobody is anybody's neighbour.
    talks = [
        Talk(slot=10 + i, presenter=p, day=i, starts_at=START, topic=topics[p])
        for i, p in enumerate([1, 2, 4, 5])
    ]

    result = assign(talks=talks, students=range(1, 7), per_talk=1, seed=seed, topics=topics)

    assert all(topics[result[talk.slot][0]] == talk.topic for talk in talks)


def test_each_student_discusses_at_most_once_when_there_are_enough():
    result = assign(talks=_day([1, 2, 3, 4]), students=range(1, 9), per_talk=2, seed=3)

    chosen = [student for found in result.values() for student in found]
    assert len(chosen) == 8
    assert len(set(chosen)) == 8


def test_nothing_without_talks_or_students():
    assert assign(talks=[], students=[1], per_talk=1, seed=0) == {}
    assert assign(talks=_day([1]), students=[1], per_talk=1, seed=0) == {10: []}
