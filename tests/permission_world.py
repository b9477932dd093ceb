"""The world of the permission matrix (tests/test_permission_matrix.py): two seminars, A and B, built alike,
each with every kind of record a URL can name, and the people whose answers the matrix pins.

Both seminars' instructors hold the site permission to create and copy seminars. In each seminar the
owner (a student) has a paper supervised by the supervisor, the other student a paper
supervised by the other supervisor; the allotment and the schedule are published, the grades released.
Seminar A's objects fill the URLs; seminar B's serve the cross-seminar checks.

Each seminar takes part in a matching round of its own, opened by the coordinator (a person of no seminar
with the site permission "coordinate_matching", asked in a table of their own): the students' and the
chairs' windows are open, the owner has ranked the seminar and holds a result row.

The other student is the discussant of the owner's talk and the reviewer of the owner's report (a
double-blind peer review round, published and released, its review written and still open to changes)."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from calendars.models import CalendarFeed, EventSequence
from core.models import OutboxTask
from grading.feedback import feedback_save
from grading.models import ExaminerGrade, Feedback, Grade, GradeChange, GradeComponent, GradingSettings
from grading.services import grade_components_ensure
from matching import services as matching_services
from matching.models import Application, Result, Round, RoundSeminar
from papers.models import (
    Allotment,
    AllotmentChange,
    AllotmentPublication,
    AllotmentRun,
    Paper,
    Preference,
    PreferenceWindow,
)
from reminders.models import Reminder, ReminderSettings
from reviews.models import PeerReview, ReviewRound
from schedule.models import BlockDay, BlockSeminar, ScheduleChange, Slot
from seminars import materials
from seminars.models import Announcement, Material, Membership, Seminar, Topic
from submissions import services as submission_services
from submissions.models import Deliverable, Extension, Submission
from tests.factories import (
    SeminarFactory,
    TopicFactory,
    UserFactory,
    instructor_of,
    may_run_seminars,
    student_of,
    supervisor_of,
)
from tests.matching.helpers import may_coordinate
from tests.papers.helpers import PaperFactory, PreferenceWindowFactory
from tests.submissions.helpers import DAY, DUE, DeliverableFactory, pdf_bytes

# Before the report's deadline, after the allotment and the schedule were published.
NOW = DUE - 10 * DAY
BLOCK_START = datetime(2027, 1, 20, 8, 0, tzinfo=UTC)


@dataclass
class SeminarWorld:
    """One seminar with its people and one record of each kind, the owner's where the record has one."""

    seminar: Seminar
    instructor: User
    supervisor: User
    other_supervisor: User
    owner: User
    other_student: User
    email_address: EmailAddress
    topic: Topic
    paper: Paper
    membership: Membership
    supervisor_membership: Membership
    preference_window: PreferenceWindow
    preference: Preference
    allotment_run: AllotmentRun
    allotment: Allotment
    allotment_publication: AllotmentPublication
    allotment_change: AllotmentChange
    deliverable: Deliverable
    submission: Submission
    extension: Extension
    block_seminar: BlockSeminar
    day: BlockDay
    slot: Slot
    schedule_change: ScheduleChange
    grade: Grade
    grade_change: GradeChange
    grading_settings: GradingSettings
    reminder_settings: ReminderSettings
    reminder: Reminder
    feed: CalendarFeed
    event_sequence: EventSequence
    grade_component: GradeComponent
    outbox_task: OutboxTask
    announcement: Announcement
    material: Material
    matching_round: Round
    round_seminar: RoundSeminar
    application: Application
    matching_result: Result
    review_round: ReviewRound
    peer_review: PeerReview
    feedback: Feedback
    examiner_grade: ExaminerGrade
    # SSO and MFA (issue 15): the owner's link to the university's IdP and their recovery codes.
    social_account: SocialAccount
    authenticator: Authenticator


@dataclass
class World:
    a: SeminarWorld
    b: SeminarWorld
    staff: User
    superuser: User
    group: Group
    coordinator: User

    def person(self, who: str) -> User | None:
        """The user of one column of the matrix; None for the anonymous visitor."""
        return {
            "anonymous": None,
            "owner": self.a.owner,
            "other_student": self.a.other_student,
            "supervisor": self.a.supervisor,
            "other_supervisor": self.a.other_supervisor,
            "instructor": self.a.instructor,
            "foreign_instructor": self.b.instructor,
            "staff": self.staff,
            "superuser": self.superuser,
            "coordinator": self.coordinator,
        }[who]


def _submit(deliverable: Deliverable, student: User, name: str) -> Submission:
    return submission_services.submission_create(
        deliverable=deliverable,
        student=student,
        upload=SimpleUploadedFile(name, pdf_bytes(1), content_type="application/pdf"),
        received_at=NOW - DAY,
    )


def _matching_round(seminar: Seminar, slug: str, owner: User, coordinator: User):
    """A round with the seminar alone, both windows open at NOW; the owner ranked it (prerequisites
    confirmed) and has a result row."""
    matching_round = matching_services.round_create(
        title=f"Matching {slug}",
        term="Summer term 2027",
        seats=[(seminar, 2)],
        students_open_at=NOW - DAY,
        students_close_at=NOW + DAY,
        chairs_open_at=NOW - DAY,
        chairs_close_at=NOW + 2 * DAY,
        publish_at=NOW + 3 * DAY,
        unranked_acceptable=True,
        created_by=coordinator,
    )
    round_seminar = matching_round.round_seminars.get()
    application = Application.objects.create(
        round=matching_round,
        round_seminar=round_seminar,
        student=owner,
        rank=1,
        prerequisites_confirmed_at=NOW - DAY,
    )
    result = Result.objects.create(round=matching_round, student=owner, round_seminar=round_seminar, choice=1)
    return matching_round, round_seminar, application, result


def build_seminar(title: str, slug: str, coordinator: User) -> SeminarWorld:
    seminar = SeminarFactory(title=title, slug=slug)
    # Both instructors may run seminars (the site permission): B's is refused copying A for not teaching it.
    instructor = may_run_seminars(instructor_of(seminar, user__full_name=f"Ida Instructor {slug}"))
    supervisor = supervisor_of(seminar, user__full_name=f"Sue Supervisor {slug}")
    other_supervisor = supervisor_of(seminar, user__full_name=f"Sam Supervisor {slug}")
    owner = student_of(seminar, user__full_name=f"Mia Owner {slug}")
    other_student = student_of(seminar, user__full_name=f"Otto Other {slug}")
    topic = TopicFactory(seminar=seminar)
    preference_window = PreferenceWindowFactory(
        seminar=seminar, opens_at=NOW - 30 * DAY, closes_at=NOW - 20 * DAY
    )
    paper = PaperFactory(seminar=seminar, topic=topic, supervisor=supervisor, title=f"Paper of Mia {slug}")
    other_paper = PaperFactory(seminar=seminar, topic=topic, supervisor=other_supervisor)
    preference = Preference.objects.create(seminar=seminar, student=owner, paper=paper, rank=1)
    Preference.objects.create(seminar=seminar, student=other_student, paper=other_paper, rank=1)
    run = AllotmentRun.objects.create(seminar=seminar, mechanism=AllotmentRun.Mechanism.OPTIMAL, seed=1)
    allotment = Allotment.objects.create(
        seminar=seminar, student=owner, paper=paper, source=Allotment.Source.AUTOMATIC, run=run
    )
    Allotment.objects.create(
        seminar=seminar, student=other_student, paper=other_paper, source=Allotment.Source.AUTOMATIC, run=run
    )
    allotment_publication = AllotmentPublication.objects.create(
        seminar=seminar, published_at=NOW - 15 * DAY, published_by=instructor
    )
    allotment_change = AllotmentChange.objects.create(
        seminar=seminar,
        student=owner,
        old_paper=other_paper,
        new_paper=paper,
        changed_by=instructor,
        reason="Swapped on request",
        changed_at=NOW - 14 * DAY,
    )
    deliverable = DeliverableFactory(seminar=seminar)
    submission = _submit(deliverable, owner, f"mia-{slug}.pdf")
    _submit(deliverable, other_student, f"otto-{slug}.pdf")
    extension = submission_services.extension_grant(
        deliverable=deliverable,
        student=owner,
        extra_minutes=60,
        reason="Conference",
        granted_by=instructor,
        now=NOW - DAY,
    )
    block_seminar = BlockSeminar.objects.create(
        seminar=seminar, published_at=NOW - 5 * DAY, published_by=instructor
    )
    day = BlockDay.objects.create(
        seminar=seminar, starts_at=BLOCK_START, ends_at=BLOCK_START + timedelta(hours=8), room="MI HS 1"
    )
    slot = Slot.objects.create(
        seminar=seminar,
        day=day,
        starts_at=BLOCK_START,
        ends_at=BLOCK_START + timedelta(minutes=45),
        room="MI HS 1",
        presenter=owner,
        discussant=other_student,
    )
    Slot.objects.create(
        seminar=seminar,
        day=day,
        starts_at=BLOCK_START + timedelta(minutes=45),
        ends_at=BLOCK_START + timedelta(minutes=90),
        room="MI HS 1",
        presenter=other_student,
    )
    schedule_change = ScheduleChange.objects.create(
        seminar=seminar,
        student=owner,
        old_starts_at=None,
        new_starts_at=BLOCK_START,
        changed_by=instructor,
        changed_at=NOW - 4 * DAY,
    )
    grade = Grade.objects.create(
        seminar=seminar,
        student=owner,
        component=grade_components_ensure(seminar=seminar)[0],
        value=Decimal("1.3"),
        grader=supervisor,
        version=1,
        updated_at=NOW - DAY,
    )
    grade_change = GradeChange.objects.create(
        grade=grade, old_value=None, new_value=Decimal("1.3"), changed_by=supervisor, changed_at=NOW - DAY
    )
    grading_settings = GradingSettings.objects.create(
        seminar=seminar, released_at=NOW - DAY, released_by=instructor
    )
    reminder_settings = ReminderSettings.objects.create(
        seminar=seminar, offsets=[24 * 60], instructor_summary=True
    )
    fire_at = NOW - 2 * DAY
    reminder = Reminder.objects.create(
        seminar=seminar,
        user=owner,
        kind=Reminder.Kind.DELIVERABLE,
        object_id=deliverable.pk,
        offset_minutes=24 * 60,
        title=deliverable.title,
        due_at=DUE,
        fire_at=fire_at,
        created_at=fire_at,
        enqueued_at=fire_at,
        state=Reminder.State.SENT,
        attempts=1,
        sent_at=fire_at,
    )
    matching_round, round_seminar, application, matching_result = _matching_round(
        seminar, slug, owner, coordinator
    )
    # Peer review of the report, published and released: the other student reviewed the owner's report
    # (double-blind) and may still change the review (it is due after NOW).
    review_round = ReviewRound.objects.create(
        deliverable=deliverable,
        due_at=DUE + 7 * DAY,
        criteria=[{"name": "Clarity", "description": "", "levels": ["clear", "unclear"]}],
        seed=1,
        assigned_at=NOW - 2 * DAY,
        published_at=NOW - 2 * DAY,
        published_by=instructor,
        released_at=NOW - DAY,
        released_by=instructor,
    )
    peer_review = PeerReview.objects.create(
        round=review_round,
        reviewer=other_student,
        author=owner,
        submission=submission,
        ratings=[0],
        text="Clear and well argued.",
        submitted_at=NOW - 2 * DAY,
        updated_at=NOW - 2 * DAY,
    )
    return SeminarWorld(
        matching_round=matching_round,
        round_seminar=round_seminar,
        application=application,
        matching_result=matching_result,
        seminar=seminar,
        instructor=instructor,
        supervisor=supervisor,
        other_supervisor=other_supervisor,
        owner=owner,
        other_student=other_student,
        email_address=EmailAddress.objects.get(user=owner),
        topic=topic,
        paper=paper,
        membership=Membership.objects.get(seminar=seminar, user=owner),
        supervisor_membership=Membership.objects.get(seminar=seminar, user=supervisor),
        preference_window=preference_window,
        preference=preference,
        allotment_run=run,
        allotment=allotment,
        allotment_publication=allotment_publication,
        allotment_change=allotment_change,
        deliverable=deliverable,
        submission=submission,
        extension=extension,
        block_seminar=block_seminar,
        day=day,
        slot=slot,
        schedule_change=schedule_change,
        grade=grade,
        grade_change=grade_change,
        grading_settings=grading_settings,
        reminder_settings=reminder_settings,
        reminder=reminder,
        feed=CalendarFeed.objects.create(user=owner),
        social_account=SocialAccount.objects.create(user=owner, provider="university", uid=f"owner-{slug}"),
        authenticator=RecoveryCodes.activate(owner).instance,
        grade_component=grade.component,
        event_sequence=EventSequence.objects.create(
            uid=f"talk-{slug}@seminar-portal", fingerprint="x", sequence=1
        ),
        outbox_task=OutboxTask.objects.create(name="seminars.membership_notify", kwargs={"membership_id": 0}),
        announcement=Announcement.objects.create(
            seminar=seminar,
            author=instructor,
            author_name=instructor.full_name,
            reply_to=instructor.email,
            audience=Announcement.Audience.STUDENTS,
            subject=f"Welcome to {title}",
            body="Hello",
            recipient_count=2,
            sent_at=NOW - 3 * DAY,
        ),
        material=materials.material_add(
            seminar=seminar,
            upload=SimpleUploadedFile("report-template.pdf", pdf_bytes(1)),
            title="Report template",
            order=1,
            uploaded_by=instructor,
            now=NOW - 20 * DAY,
        ),
        review_round=review_round,
        peer_review=peer_review,
        # The supervisor's feedback on the owner's presentation, with a file; released with the grades.
        feedback=feedback_save(
            seminar=seminar,
            student=owner,
            component=grade.component,
            ratings=[],
            comment="Well presented.",
            upload=SimpleUploadedFile("annotated.pdf", pdf_bytes(1)),
            remove_file=False,
            examiner=supervisor,
            now=NOW - DAY,
        ),
        examiner_grade=ExaminerGrade.objects.create(
            seminar=seminar,
            student=owner,
            component=grade.component,
            examiner=supervisor,
            value=Decimal("1.3"),
            updated_at=NOW - DAY,
        ),
    )


def build_world() -> World:
    coordinator = may_coordinate(UserFactory(full_name="Cora Coordinator"))
    return World(
        a=build_seminar("Seminar A", "seminar-a", coordinator),
        b=build_seminar("Seminar B", "seminar-b", coordinator),
        coordinator=coordinator,
        staff=UserFactory(full_name="Stella Staff", is_staff=True),
        superuser=UserFactory(full_name="Sigrid Superuser", is_staff=True, is_superuser=True),
        group=Group.objects.create(name="Exam office"),
    )
