"""Tests of reviews.assignment: pure, no database. Properties (hypothesis) for every input; tables for the
cases a chair asks about."""

from collections import Counter
from itertools import combinations, product

from hypothesis import given, settings
from hypothesis import strategies as st

from reviews.assignment import Pair, assign

seeds = st.integers(0, 2**32 - 1)


@st.composite
def classes(draw):
    """A seminar: the students (reviewers), those of them who handed in (authors), a topic each or none."""
    students = draw(st.lists(st.integers(1, 60), unique=True, min_size=0, max_size=14))
    authors = [student for student in students if draw(st.integers(0, 4)) > 0]
    topics = {student: draw(st.one_of(st.none(), st.integers(1, 3))) for student in students}
    return students, authors, topics


def loads(pairs):
    return Counter(pair.reviewer for pair in pairs), Counter(pair.author for pair in pairs)


@given(classes(), st.integers(1, 4), seeds)
def test_nobody_reviews_their_own_report_or_one_report_twice(world, k, seed):
    students, authors, topics = world
    pairs = assign(reviewers=students, authors=authors, k=k, seed=seed, topics=topics)

    assert all(pair.reviewer != pair.author for pair in pairs)
    assert len(set(pairs)) == len(pairs)
    assert {pair.author for pair in pairs} <= set(authors)
    assert {pair.reviewer for pair in pairs} <= set(students)


@given(classes(), st.integers(1, 4), seeds)
def test_each_reviewer_gets_k_reports_as_far_as_there_are_other_reports(world, k, seed):
    students, authors, topics = world
    given_by, _ = loads(assign(reviewers=students, authors=authors, k=k, seed=seed, topics=topics))

    for student in students:
        others = len([author for author in authors if author != student])
        assert given_by[student] == min(k, others)


@given(classes(), st.integers(1, 4), seeds)
def test_reviews_are_spread_evenly_over_the_reports(world, k, seed):
    students, authors, topics = world
    _, received = loads(assign(reviewers=students, authors=authors, k=k, seed=seed, topics=topics))

    counts = [received[author] for author in authors]
    if len(students) > 1 and counts:
        assert max(counts) - min(counts) <= 1


@given(st.lists(st.integers(1, 60), unique=True, min_size=2, max_size=14), st.integers(1, 4), seeds)
def test_when_everyone_handed_in_every_report_gets_exactly_k_reviews(students, k, seed):
    k = min(k, len(students) - 1)
    given_by, received = loads(assign(reviewers=students, authors=students, k=k, seed=seed))

    assert all(given_by[student] == k for student in students)
    assert all(received[student] == k for student in students)


@given(classes(), st.integers(1, 3), seeds, st.randoms())
def test_the_same_input_and_seed_give_the_same_pairs_in_any_order(world, k, seed, random):
    students, authors, topics = world
    shuffled_students, shuffled_authors = list(students), list(authors)
    random.shuffle(shuffled_students)
    random.shuffle(shuffled_authors)

    first = assign(reviewers=students, authors=authors, k=k, seed=seed, topics=topics)
    again = assign(reviewers=shuffled_students, authors=shuffled_authors, k=k, seed=seed, topics=topics)

    assert first == again


@given(st.integers(2, 6), st.integers(1, 3), seeds)
def test_two_topics_of_enough_students_review_within_their_topic(size, k, seed):
    k = min(k, size - 1)
    students = list(range(1, 2 * size + 1))
    topics = {student: "vision" if student <= size else "language" for student in students}

    pairs = assign(reviewers=students, authors=students, k=k, seed=seed, topics=topics)

    assert all(topics[pair.reviewer] == topics[pair.author] for pair in pairs)


def test_a_topic_too_small_to_review_itself_reviews_across_topics():
    topics = {1: "vision", 2: "vision", 3: "vision", 4: "language"}

    pairs = assign(reviewers=[1, 2, 3, 4], authors=[1, 2, 3, 4], k=1, seed=7, topics=topics)

    given_by, received = loads(pairs)
    assert set(given_by.values()) == {1}
    assert set(received.values()) == {1}
    across = [pair for pair in pairs if topics[pair.reviewer] != topics[pair.author]]
    assert len(across) == 2  # student 4 reviews a vision report and a vision student reviews 4's


def test_a_different_seed_gives_a_different_assignment_for_a_large_class():
    students = list(range(1, 31))

    assert assign(reviewers=students, authors=students, k=2, seed=1) != assign(
        reviewers=students, authors=students, k=2, seed=2
    )


def test_a_student_who_did_not_hand_in_still_reviews_and_is_not_reviewed():
    pairs = assign(reviewers=[1, 2, 3], authors=[1, 2], k=1, seed=0)

    assert {pair.author for pair in pairs} == {1, 2}
    assert Pair(1, 2) in pairs
    assert Pair(2, 1) in pairs
    assert [pair.reviewer for pair in pairs].count(3) == 1


def test_nothing_to_assign_without_reports_or_reviewers():
    assert assign(reviewers=[1, 2], authors=[], k=1, seed=0) == []
    assert assign(reviewers=[], authors=[1], k=1, seed=0) == []
    assert assign(reviewers=[1], authors=[1], k=1, seed=0) == []


def test_half_the_class_handed_in_and_every_report_still_gets_its_even_share():
    """Found by the spread property: a round-by-round matching gave these four reports 6, 7, 6 and 5
    reviews; 24 reviews over 4 reports are 6 each."""
    pairs = assign(reviewers=[1, 2, 5, 6, 3, 4, 7, 8], authors=[3, 4, 7, 8], k=3, seed=7918843, topics={})

    given_by, received = loads(pairs)
    assert set(given_by.values()) == {3}
    assert dict(received) == {3: 6, 4: 6, 7: 6, 8: 6}


@st.composite
def small_classes(draw):
    students = draw(st.lists(st.integers(1, 9), unique=True, min_size=2, max_size=5))
    authors = [student for student in students if draw(st.booleans())] or students[:1]
    topics = {student: draw(st.sampled_from([None, 1, 2])) for student in students}
    return students, authors, topics


def _all_assignments(students, authors, k):
    """Every way to give each student min(k, other reports) reports, none their own."""
    choices = []
    for student in students:
        others = [author for author in authors if author != student]
        choices.append(
            [[Pair(student, a) for a in chosen] for chosen in combinations(others, min(k, len(others)))]
        )
    for picked in product(*choices):
        yield [pair for pairs in picked for pair in pairs]


@settings(max_examples=100)
@given(small_classes(), st.integers(1, 2), seeds)
def test_no_assignment_of_a_small_class_is_more_even_or_more_within_topics(world, k, seed):
    """Against every assignment there is (brute force): none spreads the reviews more evenly, and none as
    even has fewer reviews outside the reviewer's topic."""
    students, authors, topics = world

    def spread_and_across(pairs) -> tuple[int, int]:
        received = Counter(pair.author for pair in pairs)
        counts = [received[author] for author in authors]
        across = sum(
            1
            for pair in pairs
            if topics[pair.reviewer] is None or topics[pair.reviewer] != topics[pair.author]
        )
        return max(counts) - min(counts), across

    ours = spread_and_across(assign(reviewers=students, authors=authors, k=k, seed=seed, topics=topics))
    best = min(spread_and_across(pairs) for pairs in _all_assignments(students, authors, k))
    assert ours == best


def test_the_seed_decides_the_pairs_of_a_large_class():
    """Another seed is another draw: two seeds share about k / (n - 1) of their pairs by chance (1 %
    here). The tie-break once sank below the solver's tolerance and two seeds shared 40 % of them."""
    students = list(range(1, 301))
    first = set(assign(reviewers=students, authors=students, k=3, seed=1))
    second = set(assign(reviewers=students, authors=students, k=3, seed=2))

    assert len(first) == len(second) == 900
    assert len(first & second) < 90
