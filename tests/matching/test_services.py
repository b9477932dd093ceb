"""The matching services against the database: a round from opening to publication, the second round,
and every bad input of the issue, each refused with its message and nothing changed."""

import pytest

from matching import running, services
from matching.matching import match
from matching.models import Application, Result
from matching.services import ChairMark
from seminars.exceptions import SeminarError
from seminars.models import Membership, Seminar
from seminars.services import enrolment_create
from tests.factories import SeminarFactory, UserFactory, instructor_of
from tests.matching.helpers import (
    AFTER,
    CHAIRS_RANK,
    DAY,
    START,
    STUDENTS_RANK,
    coordinator,
    entry_of,
    everything,
    open_round,
    rank,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def seminars():
    return (
        SeminarFactory(title="Deep learning theory", mandatory_prerequisites="Linear algebra"),
        SeminarFactory(title="Robotics", mandatory_prerequisites=""),
    )


@pytest.fixture
def round_of_two(seminars):
    deep, robotics = seminars
    return open_round([(deep, 1), (robotics, 2)])


def chair(matching_round, seminar, marks, *, now=CHAIRS_RANK):
    return services.applicants_rank(round_seminar=entry_of(matching_round, seminar), marks=marks, now=now)


def run_and_publish(matching_round, capture, *, seed=11):
    by = coordinator()
    running.round_run(matching_round=matching_round, run_by=by, now=AFTER, seed=seed)
    with capture(execute=True):
        return running.round_publish(matching_round=matching_round, published_by=by, now=AFTER)


def test_a_seminar_in_a_round_has_no_first_come_enrolment(round_of_two, seminars):
    deep = Seminar.objects.get(pk=seminars[0].pk)

    assert deep.places_by_matching
    with pytest.raises(SeminarError, match="given by the department's matching"):
        enrolment_create(seminar=deep, user=UserFactory(), prerequisites_confirmed=True, now=STUDENTS_RANK)
    assert not Membership.objects.filter(seminar=deep).exists()


def test_a_reordered_ranking_keeps_the_chairs_rank_and_a_removed_seminar_is_gone(round_of_two, seminars):
    deep, robotics = seminars
    student = UserFactory()
    rank(round_of_two, student, [deep, robotics])
    # As if the chair's window had opened already (a round may let the windows overlap).
    Application.objects.filter(student=student, round_seminar__seminar=deep).update(chair_rank=1)

    rank(round_of_two, student, [robotics, deep], programme="M.Sc. Informatics")

    rows = {row.round_seminar.seminar: row for row in Application.objects.filter(student=student)}
    assert (rows[robotics].rank, rows[deep].rank) == (1, 2)
    assert rows[deep].chair_rank == 1
    assert rows[deep].study_programme == "M.Sc. Informatics"
    rank(round_of_two, student, [robotics])
    assert list(
        Application.objects.filter(student=student).values_list("round_seminar__seminar", flat=True)
    ) == [robotics.pk]


def test_mandatory_prerequisites_must_be_confirmed(round_of_two, seminars):
    deep = seminars[0]
    before = everything()

    with pytest.raises(SeminarError, match="confirm that you meet the mandatory prerequisites of Deep"):
        services.ranking_set(
            matching_round=round_of_two,
            student=UserFactory(),
            round_seminar_ids=[entry_of(round_of_two, deep).pk],
            confirmed=set(),
            study_programme="",
            now=STUDENTS_RANK,
        )
    assert everything() == before


def test_a_whole_round_places_students_as_the_algorithm_and_publishes(
    round_of_two, seminars, django_capture_on_commit_callbacks, mailoutbox
):
    deep, robotics = seminars
    ada, bert, cleo = (UserFactory(full_name=name) for name in ("Ada", "Bert", "Cleo"))
    bert.language = "de"
    bert.save()
    for student in (ada, bert, cleo):
        rank(round_of_two, student, [deep, robotics])
    rank(round_of_two, UserFactory(full_name="Dora"), [deep])
    # The chair of Deep ranks Bert first, Ada and Cleo second; Dora is not acceptable.
    dora = Application.objects.get(student__full_name="Dora").student
    chair(
        round_of_two,
        deep,
        {
            bert.pk: ChairMark(rank=1),
            ada.pk: ChairMark(rank=2),
            cleo.pk: ChairMark(rank=2),
            dora.pk: ChairMark(not_acceptable=True, reason="Linear algebra is missing."),
        },
    )

    publication = run_and_publish(round_of_two, django_capture_on_commit_callbacks)

    round_of_two.refresh_from_db()
    assert round_of_two.seed == 11
    expected = match(running.matching_problem(round_of_two), seed=11).assignment
    stored = dict(Result.objects.filter(round_seminar__isnull=False).values_list("student", "round_seminar"))
    assert stored == expected
    assert Membership.objects.get(seminar=deep, role="student").user == bert
    assert Membership.objects.get(seminar=deep, role="student").prerequisites_confirmed_at == STUDENTS_RANK
    assert set(Membership.objects.filter(seminar=robotics).values_list("user__full_name", flat=True)) == {
        "Ada",
        "Cleo",
    }
    assert set(
        Membership.objects.filter(source=Membership.Source.MATCHING).values_list("role", flat=True)
    ) == {"student"}
    assert publication.admitted == 3
    assert publication.mailed == 4
    by_address = {message.to[0]: message for message in mailoutbox}
    assert "Sie haben Ihre 1. Wahl bekommen: Deep learning theory." in by_address[bert.email].body
    assert "Ihr Seminar" in by_address[bert.email].subject
    assert "You got your 2nd choice: Robotics." in by_address[ada.email].body
    assert (
        "Your 1st choice, Deep learning theory, filled all its seats with applicants its chair ranked "
        "higher than you." in " ".join(by_address[ada.email].body.split())
    )
    assert "did not accept your application: Linear algebra is missing." in by_address[dora.email].body
    assert "Robotics (1 left)" not in by_address[dora.email].body
    assert "No seminar of this round has a seat left." in by_address[dora.email].body


def test_the_result_mail_names_the_seminars_in_the_recipients_language(
    seminars, django_capture_on_commit_callbacks, mailoutbox
):
    deep, robotics = seminars
    Seminar.objects.filter(pk=deep.pk).update(title_de="Theorie des Deep Learning")
    Seminar.objects.filter(pk=robotics.pk).update(title_de="Robotik")
    one_seat = open_round([(deep, 1), (robotics, 1)])
    german, english = UserFactory(language="de"), UserFactory(language="en")
    for student in (german, english):
        rank(one_seat, student, [deep, robotics])
    chair(one_seat, deep, {german.pk: ChairMark(rank=1), english.pk: ChairMark(rank=2)})

    run_and_publish(one_seat, django_capture_on_commit_callbacks)

    by_address = {message.to[0]: " ".join(message.body.split()) for message in mailoutbox}
    assert "Sie haben Ihre 1. Wahl bekommen: Theorie des Deep Learning." in by_address[german.email]
    assert "Deep learning theory" not in by_address[german.email]
    assert "You got your 2nd choice: Robotics." in by_address[english.email]
    assert "Your 1st choice, Deep learning theory, filled all its seats" in by_address[english.email]
    assert "Robotik" not in by_address[english.email]


def test_an_applicant_the_chair_did_not_rank_is_acceptable_unless_the_round_says_otherwise(seminars):
    deep, _robotics = seminars
    strict = open_round([(deep, 3)], unranked_acceptable=False)
    student = UserFactory()
    rank(strict, student, [deep])

    running.round_run(matching_round=strict, run_by=coordinator(), now=AFTER, seed=1)

    result = Result.objects.get(student=student)
    assert result.round_seminar is None
    assert result.refusals == [[entry_of(strict, deep).pk, "not_accepted"]]


def test_unranked_applicants_come_after_every_ranked_one(seminars):
    deep, _robotics = seminars
    matching_round = open_round([(deep, 1)])
    ranked, unranked = UserFactory(), UserFactory()
    rank(matching_round, unranked, [deep])
    rank(matching_round, ranked, [deep])
    chair(matching_round, deep, {ranked.pk: ChairMark(rank=5)})

    for seed in range(5):
        problem = running.matching_problem(matching_round)
        assert match(problem, seed=seed).assignment == {ranked.pk: entry_of(matching_round, deep).pk}


def test_a_second_round_offers_the_seats_left_and_a_withdrawal_frees_one(
    round_of_two, seminars, django_capture_on_commit_callbacks
):
    deep, robotics = seminars
    first, second, third, fourth = UserFactory(), UserFactory(), UserFactory(), UserFactory()
    for student in (first, second, third):
        rank(round_of_two, student, [deep])
    rank(round_of_two, fourth, [robotics])
    chair(round_of_two, deep, {first.pk: ChairMark(rank=1), second.pk: ChairMark(rank=2)})
    run_and_publish(round_of_two, django_capture_on_commit_callbacks)
    assert services.second_round_seats(round_of_two) == [(robotics, 1)]
    Membership.objects.filter(seminar=deep, user=first).update(withdrawn_at=AFTER)

    seats = services.second_round_seats(round_of_two)
    later = open_round(seats, previous=round_of_two, start=START + 20 * DAY, title="Second round")

    assert seats == [(deep, 1), (robotics, 1)]
    rank(later, third, [deep, robotics], now=START + 21 * DAY)
    before = everything()
    with pytest.raises(SeminarError, match="already have a seat in Robotics from an earlier round"):
        rank(later, fourth, [deep], now=START + 21 * DAY)
    assert everything() == before


def test_a_seminar_takes_part_in_one_open_round_at_a_time(round_of_two, seminars):
    before = everything()

    with pytest.raises(SeminarError, match="already takes part in the round “Master seminars”"):
        open_round([(seminars[0], 4)])
    assert everything() == before


# ------------------------------------------------------------------------------ the bad inputs


def test_a_ranking_after_the_window_closed_is_refused(round_of_two, seminars):
    student = UserFactory()
    rank(round_of_two, student, [seminars[1]])
    before = everything()

    with pytest.raises(SeminarError, match="students' ranking window of this round is closed"):
        rank(round_of_two, student, [seminars[0], seminars[1]], now=START + 8 * DAY)
    assert everything() == before


def test_a_seminar_twice_is_refused(round_of_two, seminars):
    student = UserFactory()
    rank(round_of_two, student, [seminars[1]])
    before = everything()

    with pytest.raises(SeminarError, match="You ranked Robotics twice"):
        rank(round_of_two, student, [seminars[1], seminars[0], seminars[1]])
    assert everything() == before


def test_a_seminar_not_in_the_round_is_refused(round_of_two, seminars):
    outside = open_round([(SeminarFactory(), 3)], title="Other department")
    student = UserFactory()
    before = everything()

    with pytest.raises(SeminarError, match="does not take part in this round"):
        services.ranking_set(
            matching_round=round_of_two,
            student=student,
            round_seminar_ids=[entry_of(round_of_two, seminars[1]).pk, outside.round_seminars.get().pk],
            confirmed=set(),
            study_programme="",
            now=STUDENTS_RANK,
        )
    assert everything() == before


def test_a_chair_ranking_someone_who_did_not_apply_is_refused(round_of_two, seminars):
    applicant, stranger = UserFactory(), UserFactory()
    rank(round_of_two, applicant, [seminars[1]])
    before = everything()

    with pytest.raises(SeminarError, match="did not apply to this seminar; nothing was saved"):
        chair(round_of_two, seminars[1], {applicant.pk: ChairMark(rank=1), stranger.pk: ChairMark(rank=2)})
    assert everything() == before


def test_an_unacceptable_mark_without_a_reason_is_refused(round_of_two, seminars):
    first, second = UserFactory(), UserFactory(full_name="Bea Brandt")
    rank(round_of_two, first, [seminars[1]])
    rank(round_of_two, second, [seminars[1]])
    before = everything()

    with pytest.raises(SeminarError, match="Please say why Bea Brandt is not acceptable"):
        chair(
            round_of_two,
            seminars[1],
            {first.pk: ChairMark(rank=1), second.pk: ChairMark(not_acceptable=True, reason="  ")},
        )
    assert everything() == before


def test_a_capacity_of_zero_is_refused(seminars):
    before = everything()

    with pytest.raises(SeminarError, match="Robotics needs at least one seat"):
        open_round([(seminars[0], 3), (seminars[1], 0)])
    assert everything() == before


def test_running_a_round_twice_is_refused(round_of_two, seminars):
    rank(round_of_two, UserFactory(), [seminars[1]])
    running.round_run(matching_round=round_of_two, run_by=coordinator(), now=AFTER, seed=3)
    before = everything()

    with pytest.raises(SeminarError, match="already been run; a round runs once"):
        running.round_run(matching_round=round_of_two, run_by=coordinator(), now=AFTER, seed=4)
    assert everything() == before


def test_publishing_before_running_is_refused(round_of_two, seminars):
    rank(round_of_two, UserFactory(), [seminars[1]])
    before = everything()

    with pytest.raises(SeminarError, match="has not been run yet"):
        running.round_publish(matching_round=round_of_two, published_by=coordinator(), now=AFTER)
    assert everything() == before


def test_publishing_twice_is_refused(round_of_two, seminars, django_capture_on_commit_callbacks):
    rank(round_of_two, UserFactory(), [seminars[1]])
    run_and_publish(round_of_two, django_capture_on_commit_callbacks)
    before = everything()

    with pytest.raises(SeminarError, match="already been published"):
        running.round_publish(matching_round=round_of_two, published_by=coordinator(), now=AFTER)
    assert everything() == before


def test_running_while_the_chairs_can_still_rank_is_refused(round_of_two, seminars):
    rank(round_of_two, UserFactory(), [seminars[1]])
    before = everything()

    with pytest.raises(SeminarError, match="The chairs can still rank"):
        running.round_run(matching_round=round_of_two, run_by=coordinator(), now=CHAIRS_RANK)
    assert everything() == before


def test_a_chair_ranking_after_the_chairs_window_is_refused(round_of_two, seminars):
    student = UserFactory()
    rank(round_of_two, student, [seminars[1]])
    before = everything()

    with pytest.raises(SeminarError, match="chairs' ranking window of this round is closed"):
        chair(round_of_two, seminars[1], {student.pk: ChairMark(rank=1)}, now=AFTER)
    assert everything() == before


@pytest.mark.parametrize(
    ("windows", "message"),
    [
        ({"students_close_at": START - DAY}, "must close after it opens"),
        (
            {"chairs_open_at": START + 2 * DAY, "chairs_close_at": START + 5 * DAY},
            "must not close before the students",
        ),
        ({"publish_at": START + 10 * DAY}, "after the chairs' window closes"),
    ],
)
def test_windows_out_of_order_are_refused(seminars, windows, message):
    from tests.matching.helpers import windows as default_windows

    before = everything()

    with pytest.raises(SeminarError, match=message):
        services.round_create(
            title="Bad",
            term="T",
            seats=[(seminars[0], 2)],
            unranked_acceptable=True,
            created_by=coordinator(),
            **{**default_windows(), **windows},
        )
    assert everything() == before


def test_publishing_keeps_an_existing_membership_as_it_is(
    round_of_two, seminars, django_capture_on_commit_callbacks
):
    robotics = seminars[1]
    imported = Membership.objects.create(
        seminar=robotics, user=UserFactory(), role=Membership.Role.STUDENT, source=Membership.Source.IMPORT
    )
    rank(round_of_two, imported.user, [robotics])

    publication = run_and_publish(round_of_two, django_capture_on_commit_callbacks)

    assert publication.admitted == 0
    assert Membership.objects.get(seminar=robotics, user=imported.user).source == Membership.Source.IMPORT


def test_an_instructor_cannot_apply_to_the_seminar_they_teach(round_of_two, seminars):
    teacher = instructor_of(seminars[1])
    before = everything()

    with pytest.raises(SeminarError, match="You teach Robotics, so you cannot apply to it."):
        rank(round_of_two, teacher, [seminars[1]])
    assert everything() == before


def test_a_student_who_withdrew_cannot_rank_that_seminar_but_may_rank_others(round_of_two, seminars):
    deep, robotics = seminars
    gone = Membership.objects.create(
        seminar=robotics, user=UserFactory(), role=Membership.Role.STUDENT, withdrawn_at=STUDENTS_RANK
    )
    before = everything()

    with pytest.raises(SeminarError, match="You withdrew from Robotics. To take part again, please ask an"):
        rank(round_of_two, gone.user, [deep, robotics])
    assert everything() == before

    rank(round_of_two, gone.user, [deep])
    assert list(
        Application.objects.filter(student=gone.user).values_list("round_seminar__seminar", flat=True)
    ) == [deep.pk]


def test_a_student_who_withdraws_after_ranking_gets_no_seat_there_but_a_result(
    round_of_two, seminars, django_capture_on_commit_callbacks, mailoutbox
):
    """Ranked while a student of Robotics (added by an instructor), then withdrew: the run leaves that
    application out, so no seat is spent on a withdrawn membership, and the mail tells the truth."""
    deep, robotics = seminars
    membership = Membership.objects.create(
        seminar=robotics, user=UserFactory(), role=Membership.Role.STUDENT, source=Membership.Source.IMPORT
    )
    rank(round_of_two, membership.user, [robotics])
    other = UserFactory()
    rank(round_of_two, other, [robotics])
    Membership.objects.filter(pk=membership.pk).update(withdrawn_at=STUDENTS_RANK + DAY)

    run_and_publish(round_of_two, django_capture_on_commit_callbacks)

    gone = Result.objects.get(student=membership.user)
    assert gone.round_seminar is None
    assert Result.objects.get(student=other).round_seminar == entry_of(round_of_two, robotics)
    assert Membership.objects.get(pk=membership.pk).withdrawn_at is not None
    mail = " ".join(next(m for m in mailoutbox if m.to == [membership.user.email]).body.split())
    assert "You got your" not in mail


def test_a_draft_seminar_cannot_take_part(seminars):
    draft = SeminarFactory(title="Secret plans", state=Seminar.State.DRAFT)
    before = everything()

    with pytest.raises(SeminarError, match="Secret plans is a draft or archived"):
        open_round([(seminars[0], 3), (draft, 2)])
    assert everything() == before
