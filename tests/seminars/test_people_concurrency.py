"""What the seminar row lock in seminars/people.py serialises, with real concurrent transactions
(PostgreSQL; SQLite serialises all writes anyway)."""

from functools import partial

import pytest
from django.utils import timezone

from seminars import people
from seminars.models import Membership
from tests.concurrency import POSTGRESQL_ONLY, run_at_once
from tests.factories import SeminarFactory, instructor_of, student_of

pytestmark = POSTGRESQL_ONLY


@pytest.mark.parametrize("step_down", [people.membership_role_change, people.staff_remove])
def test_two_instructors_stepping_down_at_once_leave_one_instructor(step_down):
    # Ten seminars in a row: one race may by chance run one after the other.
    for _ in range(10):
        seminar = SeminarFactory()
        first = Membership.objects.get(user=instructor_of(seminar))
        second = Membership.objects.get(user=instructor_of(seminar))
        options = {"role": Membership.Role.SUPERVISOR} if step_down is people.membership_role_change else {}

        outcomes = run_at_once(
            partial(step_down, membership=first, **options), partial(step_down, membership=second, **options)
        )

        assert outcomes == ["LastInstructorError", "done"]
        assert seminar.memberships.filter(role=Membership.Role.INSTRUCTOR).count() == 1


def test_two_undos_for_the_last_place_take_it_once():
    seminar = SeminarFactory(capacity=2)
    instructor = instructor_of(seminar)
    gone = [Membership.objects.get(user=student_of(seminar)) for _ in range(2)]
    for membership in gone:
        people.student_withdraw(membership=membership, by=instructor, now=timezone.now())
    student_of(seminar)

    outcomes = run_at_once(
        *(lambda membership=membership: people.withdrawal_undo(membership=membership) for membership in gone)
    )

    assert outcomes == ["SeminarFullError", "done"]
    assert seminar.memberships.filter(role=Membership.Role.STUDENT, withdrawn_at__isnull=True).count() == 2
