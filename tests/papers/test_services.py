"""The write services of the papers app: preferences, the allotment, its publication, the catalogue."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from papers.allotment import serial_order
from papers.exceptions import (
    AllotmentPublishedError,
    InvalidRankingError,
    NotAStudentError,
    NothingToPublishError,
    PaperFullError,
    PaperInUseError,
    PapersError,
    PreferenceWindowClosedError,
    ReasonRequiredError,
)
from papers.models import (
    Allotment,
    AllotmentChange,
    AllotmentPublication,
    AllotmentRun,
    Paper,
    Preference,
)
from papers.services import (
    allotment_move,
    allotment_problem,
    allotment_publish,
    allotment_run,
    allotment_swap,
    paper_delete,
    paper_save,
    preferences_set,
)
from tests.factories import (
    SeminarFactory,
    TopicFactory,
    UserFactory,
    instructor_of,
    student_of,
    supervisor_of,
)

from .helpers import NOW, PaperFactory, PreferenceWindowFactory, allotted, rank

pytestmark = pytest.mark.django_db


@pytest.fixture
def seminar():
    return SeminarFactory(title="Deep learning theory")


@pytest.fixture
def window(seminar):
    return PreferenceWindowFactory(seminar=seminar, max_choices=3)


@pytest.fixture
def papers(seminar):
    return [PaperFactory(seminar=seminar, title=f"Paper {n}") for n in (1, 2, 3)]


def ranking_of(seminar, student) -> list[str]:
    return list(
        Preference.objects.filter(seminar=seminar, student=student)
        .order_by("rank")
        .values_list("paper__title", flat=True)
    )


def move(seminar, student, paper, instructor, *, reason="", now=NOW):
    return allotment_move(
        seminar=seminar,
        student=student,
        paper=paper,
        changed_by=instructor,
        reason=reason,
        now=now,
    )


def swap(seminar, first, second, instructor, *, reason="", now=NOW):
    allotment_swap(
        seminar=seminar,
        first=first,
        second=second,
        changed_by=instructor,
        reason=reason,
        now=now,
    )


def publish(seminar, instructor, capture):
    with capture(execute=True):
        return allotment_publish(seminar=seminar, published_by=instructor, now=NOW)


# ------------------------------------------------------------------------------------------- preferences


@pytest.mark.parametrize(
    "moment",
    ["opens_at", "closes_at"],
)
def test_preferences_set_at_the_window_boundary_is_accepted(seminar, window, papers, moment):
    student = student_of(seminar)

    preferences_set(seminar=seminar, student=student, paper_ids=[papers[1].pk], now=getattr(window, moment))

    assert ranking_of(seminar, student) == ["Paper 2"]


@pytest.mark.parametrize(
    "offset",
    [-timedelta(microseconds=1), timedelta(microseconds=1)],
    ids=["1us-before-opening", "1us-after-closing"],
)
def test_preferences_set_just_outside_the_window_is_refused(seminar, window, papers, offset):
    student = student_of(seminar)
    now = window.opens_at + offset if offset < timedelta(0) else window.closes_at + offset

    with pytest.raises(PreferenceWindowClosedError):
        preferences_set(seminar=seminar, student=student, paper_ids=[papers[0].pk], now=now)

    assert ranking_of(seminar, student) == []


def test_preferences_set_without_a_window_is_refused(seminar, papers):
    student = student_of(seminar)

    with pytest.raises(PreferenceWindowClosedError):
        preferences_set(seminar=seminar, student=student, paper_ids=[papers[0].pk], now=NOW)


def test_preferences_set_with_another_seminars_paper_is_refused(seminar, window, papers):
    student = student_of(seminar)
    foreign = PaperFactory(title="Paper of another seminar")

    with pytest.raises(InvalidRankingError, match="Only papers of this seminar"):
        preferences_set(seminar=seminar, student=student, paper_ids=[papers[0].pk, foreign.pk], now=NOW)

    assert ranking_of(seminar, student) == []


def test_preferences_set_with_an_unknown_paper_id_is_refused(seminar, window, papers):
    student = student_of(seminar)

    with pytest.raises(InvalidRankingError):
        preferences_set(seminar=seminar, student=student, paper_ids=[papers[0].pk, 999_999], now=NOW)


def test_preferences_set_with_a_duplicate_is_refused(seminar, window, papers):
    student = student_of(seminar)

    with pytest.raises(InvalidRankingError, match="only once"):
        preferences_set(seminar=seminar, student=student, paper_ids=[papers[0].pk, papers[0].pk], now=NOW)

    assert ranking_of(seminar, student) == []


def test_preferences_set_up_to_max_choices_is_accepted(seminar, window, papers):
    student = student_of(seminar)

    preferences_set(seminar=seminar, student=student, paper_ids=[p.pk for p in papers], now=NOW)

    assert ranking_of(seminar, student) == ["Paper 1", "Paper 2", "Paper 3"]


def test_preferences_set_beyond_max_choices_is_refused(seminar, window, papers):
    student = student_of(seminar)
    fourth = PaperFactory(seminar=seminar, title="Paper 4")

    with pytest.raises(InvalidRankingError, match="at most 3 papers"):
        preferences_set(
            seminar=seminar, student=student, paper_ids=[p.pk for p in [*papers, fourth]], now=NOW
        )

    assert ranking_of(seminar, student) == []


@pytest.mark.parametrize("role", ["supervisor", "instructor", "outsider", "student of another seminar"])
def test_preferences_set_by_a_non_student_is_refused(seminar, window, papers, role):
    user = {
        "supervisor": lambda: supervisor_of(seminar),
        "instructor": lambda: instructor_of(seminar),
        "outsider": UserFactory,
        "student of another seminar": lambda: student_of(SeminarFactory()),
    }[role]()

    with pytest.raises(NotAStudentError):
        preferences_set(seminar=seminar, student=user, paper_ids=[papers[0].pk], now=NOW)

    assert Preference.objects.count() == 0


def test_preferences_set_replaces_the_previous_ranking(seminar, window, papers):
    student = student_of(seminar)
    preferences_set(seminar=seminar, student=student, paper_ids=[papers[0].pk, papers[1].pk], now=NOW)

    preferences_set(seminar=seminar, student=student, paper_ids=[papers[2].pk, papers[0].pk], now=NOW)

    assert ranking_of(seminar, student) == ["Paper 3", "Paper 1"]
    assert list(
        Preference.objects.filter(student=student).order_by("rank").values_list("rank", flat=True)
    ) == [1, 2]


def test_preferences_set_empty_clears_the_ranking(seminar, window, papers):
    student = student_of(seminar)
    preferences_set(seminar=seminar, student=student, paper_ids=[papers[0].pk], now=NOW)

    preferences_set(seminar=seminar, student=student, paper_ids=[], now=NOW)

    assert ranking_of(seminar, student) == []


def test_preferences_set_leaves_other_students_alone(seminar, window, papers):
    student, other = student_of(seminar), student_of(seminar)
    preferences_set(seminar=seminar, student=other, paper_ids=[papers[0].pk], now=NOW)

    preferences_set(seminar=seminar, student=student, paper_ids=[papers[0].pk, papers[1].pk], now=NOW)

    assert ranking_of(seminar, other) == ["Paper 1"]


# ------------------------------------------------------------------------------------------ allotment run


@pytest.fixture
def trio(seminar, papers):
    """Three students whose only best answer is B: Paper 1, A: Paper 2, C: Paper 3 (1 + 2 + 2 = 5)."""
    a = student_of(seminar, user__email="a@uni.example")
    b = student_of(seminar, user__email="b@uni.example")
    c = student_of(seminar, user__email="c@uni.example")
    rank(seminar, a, [papers[0], papers[1]])
    rank(seminar, b, [papers[0]])
    rank(seminar, c, [papers[1], papers[2]])
    return a, b, c


@pytest.mark.parametrize("seed", [0, 1, 7, 12345])
def test_allotment_run_optimal_gives_the_least_total_rank(seminar, trio, seed):
    instructor = instructor_of(seminar)

    run = allotment_run(seminar=seminar, mechanism="optimal", seed=seed, run_by=instructor)

    assert allotted(seminar) == {
        "a@uni.example": ("Paper 2", "automatic", False),
        "b@uni.example": ("Paper 1", "automatic", False),
        "c@uni.example": ("Paper 3", "automatic", False),
    }
    assert (run.mechanism, run.seed, run.run_by, run.summary, run.unassigned) == (
        "optimal",
        seed,
        instructor,
        {"1": 1, "2": 2},
        [],
    )
    assert set(Allotment.objects.values_list("run", flat=True)) == {run.pk}


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 99])
def test_allotment_run_rsd_lets_students_choose_in_the_seeded_order(seminar, trio, seed):
    instructor = instructor_of(seminar)
    order = serial_order(allotment_problem(seminar), seed=seed)
    first = next(student for student in trio if student.pk == order[0])

    run = allotment_run(seminar=seminar, mechanism="rsd", seed=seed, run_by=instructor)

    result = allotted(seminar)
    assert run.mechanism == "rsd"
    assert len(result) == 3
    assert len({title for title, _source, _locked in result.values()}) == 3
    best = Preference.objects.get(student=first, rank=1).paper.title
    assert result[first.email][0] == best


@pytest.mark.parametrize("mechanism", ["optimal", "rsd"])
def test_allotment_run_same_seed_gives_the_same_rows(seminar, mechanism):
    papers = [PaperFactory(seminar=seminar, capacity=2) for _ in range(6)]
    students = [student_of(seminar) for _ in range(10)]
    for n, student in enumerate(students):
        rank(seminar, student, [papers[n % 2], papers[2 + n % 3]])  # many want the same few papers
    instructor = instructor_of(seminar)

    run = allotment_run(seminar=seminar, mechanism=mechanism, seed=None, run_by=instructor)
    first = allotted(seminar)
    allotment_run(seminar=seminar, mechanism=mechanism, seed=run.seed + 1, run_by=instructor)
    again = allotment_run(seminar=seminar, mechanism=mechanism, seed=run.seed, run_by=instructor)

    assert isinstance(run.seed, int)
    assert AllotmentRun.objects.get(pk=run.pk).seed == run.seed
    assert allotted(seminar) == first
    assert again.summary == run.summary


def test_allotment_run_keeps_locked_allotments(seminar, trio, papers):
    a, b, c = trio
    instructor = instructor_of(seminar)
    move(seminar, b, papers[2], instructor)  # B did not rank Paper 3: only a lock keeps it there

    run = allotment_run(seminar=seminar, mechanism="optimal", seed=3, run_by=instructor)

    assert allotted(seminar) == {
        "a@uni.example": ("Paper 1", "automatic", False),
        "b@uni.example": ("Paper 3", "manual", True),
        "c@uni.example": ("Paper 2", "automatic", False),
    }
    assert Allotment.objects.get(student=b).run is None
    assert run.summary == {"1": 2, "unranked": 1}


def test_allotment_run_replaces_unlocked_allotments_of_an_earlier_run(seminar, trio, papers):
    a, b, c = trio
    instructor = instructor_of(seminar)
    Allotment.objects.create(seminar=seminar, student=b, paper=papers[2], source="manual", locked=False)

    allotment_run(seminar=seminar, mechanism="optimal", seed=3, run_by=instructor)

    assert allotted(seminar)["b@uni.example"] == ("Paper 1", "automatic", False)
    assert Allotment.objects.filter(seminar=seminar).count() == 3


def test_allotment_run_gives_students_who_ranked_nothing_a_paper(seminar, papers):
    lazy = [student_of(seminar) for _ in range(2)]
    keen = student_of(seminar)
    rank(seminar, keen, [papers[0]])

    run = allotment_run(seminar=seminar, mechanism="optimal", seed=5, run_by=instructor_of(seminar))

    result = allotted(seminar)
    assert result[keen.email][0] == "Paper 1"
    assert {result[student.email][0] for student in lazy} == {"Paper 2", "Paper 3"}
    assert run.summary == {"1": 1, "unranked": 2}
    assert run.unassigned == []


@pytest.mark.parametrize("mechanism", ["optimal", "rsd"])
def test_allotment_run_with_more_students_than_seats_records_the_unassigned(seminar, mechanism):
    PaperFactory(seminar=seminar, capacity=1)
    PaperFactory(seminar=seminar, capacity=2)
    students = [student_of(seminar) for _ in range(5)]

    run = allotment_run(seminar=seminar, mechanism=mechanism, seed=11, run_by=instructor_of(seminar))

    allotted_ids = set(Allotment.objects.filter(seminar=seminar).values_list("student_id", flat=True))
    assert len(allotted_ids) == 3
    assert len(run.unassigned) == 2
    assert set(run.unassigned) | allotted_ids == {student.pk for student in students}
    assert set(run.unassigned).isdisjoint(allotted_ids)


def test_allotment_run_ignores_other_seminars(seminar, trio, papers):
    other = SeminarFactory()
    other_paper = PaperFactory(seminar=other, title="Elsewhere")
    outsider = student_of(other)
    Allotment.objects.create(seminar=other, student=outsider, paper=other_paper, source="manual")

    allotment_run(seminar=seminar, mechanism="optimal", seed=1, run_by=instructor_of(seminar))

    assert allotted(other) == {outsider.email: ("Elsewhere", "manual", False)}
    assert "Elsewhere" not in {title for title, _s, _l in allotted(seminar).values()}


def test_allotment_run_after_publishing_is_refused(
    seminar, trio, django_capture_on_commit_callbacks, mailoutbox
):
    instructor = instructor_of(seminar)
    allotment_run(seminar=seminar, mechanism="optimal", seed=1, run_by=instructor)
    publish(seminar, instructor, django_capture_on_commit_callbacks)
    before = allotted(seminar)

    with pytest.raises(AllotmentPublishedError):
        allotment_run(seminar=seminar, mechanism="rsd", seed=2, run_by=instructor)

    assert allotted(seminar) == before
    assert AllotmentRun.objects.count() == 1


# ------------------------------------------------------------------------------------ moves and swaps


@pytest.fixture
def proposed(seminar, trio):
    """The trio after an optimal run: A has Paper 2, B Paper 1, C Paper 3; all seats taken."""
    instructor = instructor_of(seminar, user__full_name="Ina Instructor")
    allotment_run(seminar=seminar, mechanism="optimal", seed=1, run_by=instructor)
    return instructor


def test_allotment_move_to_a_full_paper_is_refused_with_a_clear_message(seminar, trio, papers, proposed):
    a, _b, _c = trio

    with pytest.raises(PaperFullError) as refused:
        move(seminar, a, papers[0], proposed)

    assert str(refused.value) == "“Paper 1” has no free seat (1). Swap the students instead."
    assert allotted(seminar)["a@uni.example"] == ("Paper 2", "automatic", False)


def test_allotment_move_to_a_free_seat_locks_the_row(seminar, trio, papers, proposed):
    a, _b, _c = trio
    free = PaperFactory(seminar=seminar, title="Paper 4")

    allotment = move(seminar, a, free, proposed)

    assert allotted(seminar)["a@uni.example"] == ("Paper 4", "manual", True)
    assert allotment.run is None
    assert AllotmentChange.objects.count() == 0


def test_allotment_move_to_a_paper_with_seats_left_is_accepted(seminar, trio, papers, proposed):
    a, _b, _c = trio
    Paper.objects.filter(pk=papers[0].pk).update(capacity=2)
    papers[0].refresh_from_db()

    move(seminar, a, papers[0], proposed)

    assert Allotment.objects.filter(paper=papers[0]).count() == 2


def test_allotment_move_to_the_own_paper_only_locks_it(seminar, trio, papers, proposed):
    a, _b, _c = trio

    move(seminar, a, papers[1], proposed)

    assert allotted(seminar)["a@uni.example"] == ("Paper 2", "automatic", True)


def test_allotment_move_of_a_student_without_paper_gives_one(seminar, papers):
    student = student_of(seminar)

    move(seminar, student, papers[0], instructor_of(seminar))

    assert allotted(seminar) == {student.email: ("Paper 1", "manual", True)}


@pytest.mark.parametrize("who", ["outsider", "supervisor", "student of another seminar"])
def test_allotment_move_of_a_non_student_is_refused(seminar, papers, who):
    user = {
        "outsider": UserFactory,
        "supervisor": lambda: supervisor_of(seminar),
        "student of another seminar": lambda: student_of(SeminarFactory()),
    }[who]()

    with pytest.raises(PapersError, match="Only students enrolled"):
        move(seminar, user, papers[0], instructor_of(seminar))

    assert Allotment.objects.count() == 0


def test_allotment_move_to_another_seminars_paper_is_refused(seminar, papers):
    student = student_of(seminar)

    with pytest.raises(PapersError, match="another seminar"):
        move(seminar, student, PaperFactory(), instructor_of(seminar))

    assert Allotment.objects.count() == 0


def test_allotment_move_after_publishing_without_reason_is_refused(
    seminar, trio, papers, proposed, django_capture_on_commit_callbacks, mailoutbox
):
    a, _b, _c = trio
    free = PaperFactory(seminar=seminar, title="Paper 4")
    publish(seminar, proposed, django_capture_on_commit_callbacks)
    mailoutbox.clear()

    with pytest.raises(ReasonRequiredError):
        move(seminar, a, free, proposed, reason="   ")

    assert allotted(seminar)["a@uni.example"] == ("Paper 2", "automatic", False)
    assert AllotmentChange.objects.count() == 0
    assert mailoutbox == []


def test_allotment_move_after_publishing_records_the_change_and_mails_the_student(
    seminar, trio, papers, proposed, django_capture_on_commit_callbacks, mailoutbox
):
    a, _b, _c = trio
    supervisor = supervisor_of(seminar, user__full_name="Sue Supervisor", user__email="sue@uni.example")
    free = PaperFactory(seminar=seminar, title="Paper 4", supervisor=supervisor)
    publish(seminar, proposed, django_capture_on_commit_callbacks)
    mailoutbox.clear()
    later = NOW + timedelta(days=3)

    with django_capture_on_commit_callbacks(execute=True):
        move(seminar, a, free, proposed, reason="Paper 2 is withdrawn", now=later)

    change = AllotmentChange.objects.get()
    assert (change.student, change.old_paper, change.new_paper, change.changed_by) == (
        a,
        papers[1],
        free,
        proposed,
    )
    assert (change.reason, change.changed_at) == ("Paper 2 is withdrawn", later)
    assert allotted(seminar)["a@uni.example"] == ("Paper 4", "manual", True)
    [mail] = mailoutbox
    assert mail.to == [a.email]
    assert "Your paper in Deep learning theory has changed" in mail.subject
    for text in ("Before: Paper 2", "Now: Paper 4", "Reason: Paper 2 is withdrawn", "Sue Supervisor"):
        assert text in mail.body


def test_allotment_swap_exchanges_the_papers_and_locks_both(seminar, trio, papers, proposed):
    a, b, _c = trio

    swap(seminar, a, b, proposed)

    result = allotted(seminar)
    assert result["a@uni.example"] == ("Paper 1", "manual", True)
    assert result["b@uni.example"] == ("Paper 2", "manual", True)
    assert result["c@uni.example"] == ("Paper 3", "automatic", False)
    assert AllotmentChange.objects.count() == 0


def test_allotment_swap_with_a_student_without_paper_is_refused(seminar, trio, papers, proposed):
    a, _b, _c = trio
    newcomer = student_of(seminar)
    before = allotted(seminar)

    with pytest.raises(PapersError, match="both have a paper"):
        swap(seminar, a, newcomer, proposed)

    assert allotted(seminar) == before


def test_allotment_swap_of_a_student_with_themselves_is_refused(seminar, trio, papers, proposed):
    a, _b, _c = trio

    with pytest.raises(PapersError):
        swap(seminar, a, a, proposed)

    assert allotted(seminar)["a@uni.example"] == ("Paper 2", "automatic", False)


def test_allotment_swap_after_publishing_records_both_changes_and_mails_both(
    seminar, trio, papers, proposed, django_capture_on_commit_callbacks, mailoutbox
):
    a, b, _c = trio
    publish(seminar, proposed, django_capture_on_commit_callbacks)
    mailoutbox.clear()

    with pytest.raises(ReasonRequiredError):
        swap(seminar, a, b, proposed)
    with django_capture_on_commit_callbacks(execute=True):
        swap(seminar, a, b, proposed, reason="They asked to swap")

    changes = {
        change.student.email: (change.old_paper.title, change.new_paper.title, change.reason)
        for change in AllotmentChange.objects.select_related("student", "old_paper", "new_paper")
    }
    assert changes == {
        "a@uni.example": ("Paper 2", "Paper 1", "They asked to swap"),
        "b@uni.example": ("Paper 1", "Paper 2", "They asked to swap"),
    }
    assert sorted(mail.to[0] for mail in mailoutbox) == ["a@uni.example", "b@uni.example"]
    assert all("They asked to swap" in mail.body for mail in mailoutbox)


# ---------------------------------------------------------------------------------------------- publish


def test_allotment_publish_mails_each_allotted_student_their_paper_and_supervisor(
    seminar, trio, papers, django_capture_on_commit_callbacks, mailoutbox
):
    supervisor = supervisor_of(seminar, user__full_name="Sue Supervisor", user__email="sue@uni.example")
    Paper.objects.filter(seminar=seminar).update(supervisor=supervisor)
    instructor = instructor_of(seminar)
    allotment_run(seminar=seminar, mechanism="optimal", seed=1, run_by=instructor)
    student_of(seminar, user__email="late@uni.example")  # enrolled after the run: no paper, no mail

    publication = publish(seminar, instructor, django_capture_on_commit_callbacks)

    assert (publication.published_at, publication.published_by) == (NOW, instructor)
    mails = {mail.to[0]: mail for mail in mailoutbox}
    assert sorted(mails) == ["a@uni.example", "b@uni.example", "c@uni.example"]
    expected = {"a@uni.example": "Paper 2", "b@uni.example": "Paper 1", "c@uni.example": "Paper 3"}
    for email, title in expected.items():
        mail = mails[email]
        assert mail.subject.endswith("Your paper in Deep learning theory")
        assert f"Your paper: {title}" in mail.body
        assert "Sue Supervisor <sue@uni.example>" in mail.body
        html = mail.alternatives[0][0]
        assert title in html
        assert "Sue Supervisor" in html


def test_allotment_publish_twice_is_refused(
    seminar, trio, papers, proposed, django_capture_on_commit_callbacks, mailoutbox
):
    publish(seminar, proposed, django_capture_on_commit_callbacks)
    mailoutbox.clear()

    with pytest.raises(AllotmentPublishedError):
        publish(seminar, proposed, django_capture_on_commit_callbacks)

    assert AllotmentPublication.objects.count() == 1
    assert mailoutbox == []


def test_allotment_publish_with_nothing_allotted_is_refused(
    seminar, trio, django_capture_on_commit_callbacks, mailoutbox
):
    with pytest.raises(NothingToPublishError):
        publish(seminar, instructor_of(seminar), django_capture_on_commit_callbacks)

    assert AllotmentPublication.objects.count() == 0
    assert mailoutbox == []


# -------------------------------------------------------------------------------------------- catalogue


def test_paper_save_creates_a_paper_of_the_seminar(seminar):
    topic = TopicFactory(seminar=seminar)
    supervisor = supervisor_of(seminar)

    paper = paper_save(
        seminar=seminar, title="Deep nets", authors="A. Author", topic=topic, supervisor=supervisor
    )

    paper = Paper.objects.get(pk=paper.pk)
    assert (paper.seminar, paper.title, paper.topic, paper.supervisor, paper.capacity) == (
        seminar,
        "Deep nets",
        topic,
        supervisor,
        1,
    )


def test_paper_save_changes_an_existing_paper(seminar, papers):
    paper_save(seminar=seminar, paper=papers[0], title="Renamed", capacity=3)

    papers[0].refresh_from_db()
    assert (papers[0].title, papers[0].capacity) == ("Renamed", 3)


@pytest.mark.parametrize(
    ("field", "value"),
    [("title", ""), ("capacity", 0), ("year", 999), ("year", 2028), ("link", "not a link")],
)
def test_paper_save_with_an_invalid_field_is_refused(seminar, field, value, time_machine):
    time_machine.move_to(NOW, tick=False)
    fields = {"title": "Deep nets", "authors": "A. Author", field: value}

    with pytest.raises(ValidationError) as refused:
        paper_save(seminar=seminar, **fields)

    assert field in refused.value.message_dict
    assert Paper.objects.count() == 0


@pytest.mark.parametrize("year", [1000, 1687, 2027])
def test_paper_save_accepts_a_year_from_1000_to_next_year(seminar, year, time_machine):
    time_machine.move_to(NOW, tick=False)
    paper = paper_save(seminar=seminar, title="Principia", authors="Isaac Newton", year=year)

    paper.refresh_from_db()
    assert paper.year == year


def test_paper_save_with_another_seminars_topic_is_refused(seminar):
    foreign_topic = TopicFactory(seminar=SeminarFactory())

    with pytest.raises(ValidationError):
        paper_save(seminar=seminar, title="Deep nets", authors="A. Author", topic=foreign_topic)


def test_paper_save_with_a_supervisor_who_is_not_staff_of_the_seminar_is_refused(seminar):
    outsider = supervisor_of(SeminarFactory())

    with pytest.raises(ValidationError):
        paper_save(seminar=seminar, title="Deep nets", authors="A. Author", supervisor=outsider)


def test_paper_delete_removes_a_paper_nobody_has(seminar, papers):
    paper_delete(paper=papers[0])

    assert list(Paper.objects.values_list("title", flat=True).order_by("title")) == ["Paper 2", "Paper 3"]


def test_paper_delete_of_an_allotted_paper_is_refused(seminar, papers):
    student = student_of(seminar)
    move(seminar, student, papers[0], instructor_of(seminar))

    with pytest.raises(PaperInUseError):
        paper_delete(paper=papers[0])

    assert Paper.objects.filter(pk=papers[0].pk).exists()
    assert allotted(seminar) == {student.email: ("Paper 1", "manual", True)}
