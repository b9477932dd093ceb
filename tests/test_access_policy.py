"""The access policy (each app's rules.py, asked through core.permissions): every permission for every
kind of person, and the rule that a list and a single check can never disagree (visible_students and
submissions.download, supervised_students and is_supervisor_of_student) for random seminars."""

from datetime import UTC, datetime

import pytest
import rules
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from core.permissions import may, require
from grading.models import Feedback
from grading.services import grade_components_ensure
from papers.models import Allotment
from papers.rules import is_supervisor_of_student, supervised_students
from reviews.models import PeerReview, ReviewRound
from seminars.models import Membership, Seminar
from seminars.rules import forget_roles, visible_seminars
from submissions.models import Submission
from submissions.rules import visible_students
from tests.factories import (
    SeminarFactory,
    UserFactory,
    instructor_of,
    may_run_seminars,
    student_of,
    supervisor_of,
)
from tests.matching.helpers import may_coordinate
from tests.papers.helpers import PaperFactory
from tests.submissions.helpers import DeliverableFactory

NOW = datetime(2027, 2, 1, tzinfo=UTC)
PERSONS = [
    "anonymous",
    "student",
    "other student",
    "supervisor",
    "other supervisor",
    "instructor",
    "foreign instructor",
    "site admin",
    "seminar runner",
    "coordinator",
]

# permission -> the kinds of person it is granted to, asked about the seminar (or, for set_grade and
# download, about the first student's membership or submission).
EXPECTED = {
    "seminars.view": set(PERSONS),
    "seminars.enrol": set(PERSONS) - {"anonymous"},
    "seminars.edit": {"instructor"},
    # The site permission "run_seminars" is the instructor's and the seminar runner's (a member of no
    # seminar); copying a seminar also needs to be its instructor. The site admin is not given it.
    "seminars.create": {"instructor", "seminar runner"},
    "seminars.copy": {"instructor"},
    "seminars.view_roster": {"instructor"},
    "seminars.import_students": {"instructor"},
    "seminars.manage_people": {"instructor"},
    "seminars.view_withdrawal": {"student", "other student"},
    # The world's seminar sets no withdrawal deadline: only an instructor can withdraw a student.
    "seminars.withdraw": set(),
    "seminars.announce": {"instructor"},
    "seminars.view_announcements": {
        "student",
        "other student",
        "supervisor",
        "other supervisor",
        "instructor",
    },
    "seminars.view_announcement_audience": {"supervisor", "other supervisor", "instructor"},
    "seminars.manage_materials": {"instructor"},
    "seminars.view_materials": {"student", "other student", "supervisor", "other supervisor", "instructor"},
    "papers.view_catalogue": {"student", "other student", "supervisor", "other supervisor", "instructor"},
    "papers.rank": {"student", "other student"},
    "papers.see_own_allotment": {"student", "other student"},
    "papers.manage": {"instructor"},
    "papers.manage_allotment": {"instructor"},
    "schedule.manage": {"instructor"},
    "schedule.see_presenter_names": {
        "student",
        "other student",
        "supervisor",
        "other supervisor",
        "instructor",
    },
    "submissions.view_deliverables": {
        "student",
        "other student",
        "supervisor",
        "other supervisor",
        "instructor",
    },
    "submissions.upload": {"student", "other student"},
    "submissions.view_overview": {"supervisor", "other supervisor", "instructor"},
    "submissions.manage": {"instructor"},
    "submissions.extend": {"instructor"},
    "submissions.download": {"student", "supervisor", "instructor"},
    "grading.view_sheet": {"supervisor", "other supervisor", "instructor"},
    "grading.set_grade": {"supervisor", "instructor"},
    "grading.view_history": {"supervisor", "instructor"},
    "grading.manage": {"instructor"},
    "grading.view_own": {"student", "other student"},
    "grading.give_feedback": {"supervisor", "instructor"},
    "grading.set_rubric": {"instructor"},
    # The student's feedback file: the grades of the world's seminar are not released, so not the student.
    "grading.download_feedback": {"supervisor", "instructor"},
    "reminders.view_own": {"student", "other student", "supervisor", "other supervisor", "instructor"},
    "reminders.manage": {"instructor"},
    # The department's coordinator (the site permission "coordinate_matching", a member of no seminar) runs
    # the rounds; every logged-in person may rank in one; a seminar's instructors rank its applicants.
    "matching.coordinate": {"coordinator"},
    "matching.rank": set(PERSONS) - {"anonymous"},
    "matching.rank_applicants": {"instructor"},
    # Peer review, asked (but for view_own and manage) about the other student's double-blind review of the
    # student's report, published, written and released.
    "reviews.view_own": {"student", "other student"},
    "reviews.manage": {"instructor"},
    "reviews.write": {"other student"},
    "reviews.download_report": {"other student", "instructor"},
    "reviews.read": {"student", "other student", "instructor"},
    "reviews.see_author_name": {"instructor"},
    "reviews.see_reviewer_name": {"instructor"},
    # Instructors and supervisors of any seminar and site staff (MFA_REQUIRED_FOR_STAFF).
    "accounts.must_use_mfa": {
        "supervisor",
        "other supervisor",
        "instructor",
        "foreign instructor",
        "site admin",
    },
}


@pytest.fixture
def world(db):
    seminar = SeminarFactory()
    foreign = SeminarFactory()
    people = {
        "anonymous": None,
        "student": student_of(seminar),
        "other student": student_of(seminar),
        "supervisor": supervisor_of(seminar),
        "other supervisor": supervisor_of(seminar),
        "instructor": may_run_seminars(instructor_of(seminar)),
        "foreign instructor": instructor_of(foreign),
        "site admin": UserFactory(is_staff=True, is_superuser=True),
        "seminar runner": may_run_seminars(UserFactory()),
        "coordinator": may_coordinate(UserFactory()),
    }
    for student, supervisor in (("student", "supervisor"), ("other student", "other supervisor")):
        Allotment.objects.create(
            seminar=seminar,
            student=people[student],
            paper=PaperFactory(seminar=seminar, supervisor=people[supervisor]),
            source="manual",
        )
    deliverable = DeliverableFactory(seminar=seminar)
    submission = Submission.objects.create(
        deliverable=deliverable,
        student=people["student"],
        version=1,
        file="x.pdf",
        original_name="x.pdf",
        file_type="pdf",
        size=1,
        sha256="0" * 64,
        received_at=NOW,
    )
    review_round = ReviewRound.objects.create(
        deliverable=deliverable, due_at=NOW, published_at=NOW, released_at=NOW, criteria=[]
    )
    review = PeerReview.objects.create(
        round=review_round,
        reviewer=people["other student"],
        author=people["student"],
        submission=submission,
        text="Fine",
        submitted_at=NOW,
    )
    return {
        "seminar": seminar,
        "people": people,
        "membership": Membership.objects.get(seminar=seminar, user=people["student"]),
        "submission": submission,
        "review": review,
        "feedback": Feedback.objects.create(
            seminar=seminar,
            student=people["student"],
            component=grade_components_ensure(seminar=seminar)[0],
            updated_at=NOW,
        ),
    }


def test_every_permission_of_the_policy_is_in_the_table():
    ours = {
        name
        for name in rules.permissions.permissions
        if name.split(".")[0]
        in {
            "accounts",
            "seminars",
            "matching",
            "papers",
            "schedule",
            "submissions",
            "reviews",
            "grading",
            "reminders",
        }
    }
    assert ours == set(EXPECTED)


@pytest.mark.parametrize("permission", sorted(EXPECTED))
def test_permission_is_granted_exactly_to_its_people(world, permission):
    from django.contrib.auth.models import AnonymousUser

    target = {
        "grading.set_grade": world["membership"],
        "grading.view_history": world["membership"],
        "submissions.download": world["submission"],
        "grading.give_feedback": world["membership"],
        "grading.download_feedback": world["feedback"],
        **{
            name: world["review"]
            for name in EXPECTED
            if name.startswith("reviews.") and name not in {"reviews.view_own", "reviews.manage"}
        },
    }.get(permission, world["seminar"])
    granted = {
        name
        for name, person in world["people"].items()
        if may(person if person is not None else AnonymousUser(), permission, target)
    }

    assert granted == EXPECTED[permission]


def test_a_superuser_gets_no_right_in_a_seminar_from_being_a_superuser(world):
    admin = world["people"]["site admin"]

    assert admin.has_perm("seminars.anything")  # Django's own shortcut for the admin
    assert not may(admin, "seminars.edit", world["seminar"])


def test_asking_for_a_permission_that_does_not_exist_is_an_error_not_a_no(world):
    with pytest.raises(ImproperlyConfigured):
        may(world["people"]["instructor"], "seminars.edti", world["seminar"])


def test_require_raises_permission_denied(world):
    with pytest.raises(PermissionDenied):
        require(world["people"]["student"], "seminars.edit", world["seminar"])


def test_a_draft_seminar_is_visible_to_its_members_only(world):
    seminar = world["seminar"]
    seminar.state = Seminar.State.DRAFT
    seminar.save()

    visible = {
        name
        for name, person in world["people"].items()
        if person and visible_seminars(person).filter(pk=seminar.pk).exists()
    }

    assert visible == {"student", "other student", "supervisor", "other supervisor", "instructor"}


def test_roles_are_read_again_after_forget_roles(world):
    newcomer = UserFactory()
    assert not may(newcomer, "papers.rank", world["seminar"])
    Membership.objects.create(seminar=world["seminar"], user=newcomer, role=Membership.Role.STUDENT)

    forget_roles(newcomer)

    assert may(newcomer, "papers.rank", world["seminar"])


class ListAndCheckAgree(TestCase):
    """For random seminars (students, supervisors, instructors, papers supervised by anyone of the staff,
    allotments), the students a person's lists show are exactly those a single check lets them see."""

    @settings(max_examples=60)
    @given(
        students=st.integers(min_value=1, max_value=5),
        supervisors=st.integers(min_value=0, max_value=3),
        instructors=st.integers(min_value=0, max_value=2),
        choices=st.lists(st.integers(min_value=0, max_value=10), min_size=5, max_size=5),
    )
    def test_visible_students_agree_with_the_single_checks(self, students, supervisors, instructors, choices):
        seminar = SeminarFactory()
        pupils = [student_of(seminar) for _ in range(students)]
        staff = [supervisor_of(seminar) for _ in range(supervisors)] + [
            instructor_of(seminar) for _ in range(instructors)
        ]
        for index, pupil in enumerate(pupils):
            choice = choices[index]
            if staff and choice < 8:
                Allotment.objects.create(
                    seminar=seminar,
                    student=pupil,
                    paper=PaperFactory(seminar=seminar, supervisor=staff[choice % len(staff)]),
                    source="manual",
                )
        deliverable = DeliverableFactory(seminar=seminar)
        files = {
            pupil.pk: Submission.objects.create(
                deliverable=deliverable,
                student=pupil,
                version=1,
                file=f"{pupil.pk}.pdf",
                original_name="x.pdf",
                file_type="pdf",
                size=1,
                sha256="0" * 64,
                received_at=NOW,
            )
            for pupil in pupils
        }
        memberships = {
            m.user_id: m for m in Membership.objects.filter(seminar=seminar, role=Membership.Role.STUDENT)
        }
        for person in [*pupils, *staff, UserFactory()]:
            listed = set(visible_students(person, seminar).values_list("user_id", flat=True))
            downloadable = {pk for pk, file in files.items() if may(person, "submissions.download", file)}
            assert downloadable == listed | ({person.pk} & set(files))
            supervised = set(supervised_students(person, seminar).values_list("user_id", flat=True))
            assert supervised == {
                pk for pk, membership in memberships.items() if is_supervisor_of_student(person, membership)
            }
