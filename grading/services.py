"""Every write of grading: grade components, grades (with history and stale-page protection), settings,
release."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import Count
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import User
from core.languages import in_reader_language
from core.mail import mail_send, portal_link
from core.outbox import enqueue_many_on_commit, enqueue_on_commit
from core.permissions import may
from seminars.models import Membership, Seminar
from seminars.rules import students_filter
from seminars.services import membership_lock
from submissions.models import Deliverable

from .exceptions import (
    GradeComponentsError,
    GradeConflictError,
    NotAStudentError,
    NotYourStudentError,
    UnknownComponentError,
)
from .models import Feedback, Grade, GradeChange, GradeComponent, GradingSettings
from .scoring import GradeInputError, parse_grade
from .selectors import default_components, graded_student_ids
from .tasks import task_grade_notify

NAME_LENGTH = GradeComponent._meta.get_field("name_en").max_length
COMMENT_LENGTH = 2000


def _saved_components(seminar: Seminar) -> list[GradeComponent]:
    return list(GradeComponent.objects.filter(seminar=seminar).order_by("order", "pk"))


@transaction.atomic
def grade_components_ensure(*, seminar: Seminar) -> list[GradeComponent]:
    """The seminar's saved components. A seminar without any first gets the defaults saved (presentation
    60 %, report 40 %; grading.selectors.default_components), so that a grade has a row to point to. Locks
    the seminar row, so two first grades of a seminar cannot both save the defaults."""
    components = _saved_components(seminar)
    if components:
        return components
    Seminar.objects.select_for_update().filter(pk=seminar.pk).first()
    return _saved_components(seminar) or GradeComponent.objects.bulk_create(default_components(seminar))


@dataclass(frozen=True)
class ComponentSpec:
    """One component as the instructor wants it: a saved one (pk) or a new one (pk None)."""

    pk: int | None
    name_en: str
    name_de: str
    weight: int
    deliverable_id: int | None = None
    position: int | None = None  # None: after the others
    remove: bool = False


def _component_problems(seminar: Seminar, kept: list[ComponentSpec]) -> list[str]:
    problems = []
    if not kept:
        problems.append(_("A seminar needs at least one grade component."))
    if any(not (spec.name_en.strip() or spec.name_de.strip()) for spec in kept):
        problems.append(_("Every component needs a name, in English, in German or in both."))
    if any(
        len(" ".join(name.split())) > NAME_LENGTH for spec in kept for name in (spec.name_en, spec.name_de)
    ):
        problems.append(_("A name has at most %(length)d characters.") % {"length": NAME_LENGTH})
    for names in ([spec.name_en for spec in kept], [spec.name_de for spec in kept]):
        same: dict[str, list[str]] = {}
        for name in filter(None, (" ".join(name.split()) for name in names)):
            same.setdefault(name.casefold(), []).append(name)
        problems += [
            _("Two components have the name “%(name)s”.") % {"name": spelled[0]}
            for spelled in same.values()
            if len(spelled) > 1
        ]
    weights = [spec.weight for spec in kept]
    if any(not isinstance(weight, int) or not 0 <= weight <= 100 for weight in weights):
        problems.append(_("A weight is a whole percentage from 0 to 100."))
    elif sum(weights) != 100:
        problems.append(
            _("The weights must add up to 100 %%; they add up to %(sum)d %%.") % {"sum": sum(weights)}
        )
    linked = {spec.deliverable_id for spec in kept} - {None}
    if linked - set(Deliverable.objects.filter(seminar=seminar, pk__in=linked).values_list("pk", flat=True)):
        problems.append(_("A linked deliverable is not one of this seminar's."))
    return problems


def _unique_key(name: str, taken: set[str]) -> str:
    base = slugify(name)[:40] or "component"
    key, number = base, 2
    while key in taken:
        key, number = f"{base}-{number}", number + 1
    taken.add(key)
    return key


@transaction.atomic
def grade_components_set(*, seminar: Seminar, components: list[ComponentSpec]) -> list[GradeComponent]:
    """Makes the seminar's grade components exactly `components`, in their positions: added, renamed,
    reweighed, relinked, reordered, removed, all or nothing. Refused (GradeComponentsError, every problem
    named, nothing saved) unless there is at least one component, each has a name in English or German and
    no two share one, the weights are whole percent adding up to 100, every linked deliverable is the
    seminar's, and no removed component has grades. `components` names every saved component by its pk;
    otherwise the page was stale (someone changed the components since) and is refused too. Locks the
    seminar row (the first grade saves the defaults under it) and the rows of the removed components, so
    no grade is saved for one of them meanwhile. Final grades are computed, so all of them follow."""
    Seminar.objects.select_for_update().filter(pk=seminar.pk).first()
    saved = {component.pk: component for component in _saved_components(seminar)}
    if sorted(spec.pk for spec in components if spec.pk is not None) != sorted(saved):
        raise GradeComponentsError(
            [_("The components were changed since you opened this page. Please reload it and try again.")]
        )
    kept = [spec for spec in components if not spec.remove]
    problems = _component_problems(seminar, kept)
    removed = [spec.pk for spec in components if spec.remove and spec.pk is not None]
    list(GradeComponent.objects.select_for_update().filter(pk__in=removed))  # a grade_set waits, or we do
    graded = dict(
        Grade.objects.filter(component__in=removed)
        .values("component")
        .annotate(count=Count("pk"))
        .values_list("component", "count")
    )
    problems += [
        ngettext(
            "“%(name)s” cannot be removed: %(count)d student has a grade for it.",
            "“%(name)s” cannot be removed: %(count)d students have a grade for it.",
            count,
        )
        % {"name": saved[pk].name, "count": count}
        for pk, count in graded.items()
    ]
    if problems:
        raise GradeComponentsError(problems)
    GradeComponent.objects.filter(pk__in=removed).delete()
    taken = {saved[spec.pk].key for spec in kept if spec.pk is not None}
    ordered = sorted(
        enumerate(kept), key=lambda item: (item[1].position is None, item[1].position or 0, item[0])
    )
    result = []
    for order, (_index, spec) in enumerate(ordered, start=1):
        name_en, name_de = " ".join(spec.name_en.split()), " ".join(spec.name_de.split())
        component = saved[spec.pk] if spec.pk is not None else GradeComponent(seminar=seminar)
        if spec.pk is None:
            component.key = _unique_key(name_en or name_de, taken)
        component.name_en, component.name_de, component.weight = name_en, name_de, spec.weight
        component.deliverable_id, component.order = spec.deliverable_id, order
        component.save()
        result.append(component)
    return result


@transaction.atomic
def grade_set(
    *,
    seminar: Seminar,
    student: User,
    component: str,
    text: str,
    comment: str,
    grader: User,
    expected_version: int,
    now: datetime,
) -> Grade:
    """Sets a component grade. Allowed for the seminar's instructors and the supervisor of the student's
    paper. `component` is the key of one of the seminar's components (a seminar without saved components
    gets the defaults first). The value must be a step of the scale ("2,3" or "2.3"). `expected_version` is
    the version the grader's page showed (0 for no grade yet): if someone saved in between, the save is
    refused with the current value and nothing is overwritten. Every change is recorded; after release the
    student is told."""
    membership = Membership.objects.filter(students_filter(), seminar=seminar, user=student).first()
    if membership is None:
        raise NotAStudentError
    if not may(grader, "grading.set_grade", membership):
        raise NotYourStudentError
    value = parse_grade(text)
    grade_components_ensure(seminar=seminar)
    # The student's membership row is the lock: two first saves of one grade cannot both insert it.
    membership_lock(seminar=seminar, user=student)
    # The component's row too: an instructor removing it (grade_components_set) waits, or this save does.
    graded = GradeComponent.objects.select_for_update().filter(seminar=seminar, key=component).first()
    if graded is None:
        raise UnknownComponentError
    grade = (
        Grade.objects.select_for_update(of=("self",))
        .select_related("grader")
        .filter(component=graded, student=student)
        .first()
    )
    if (grade.version if grade else 0) != expected_version:
        raise GradeConflictError(grade)
    if grade and grade.value == value and grade.comment == comment:
        return grade
    old_value = grade.value if grade else None
    if grade is None:
        grade = Grade(seminar=seminar, student=student, component=graded, version=0)
    grade.value, grade.comment, grade.grader, grade.updated_at = value, comment, grader, now
    grade.version += 1
    grade.save()
    GradeChange.objects.create(
        grade=grade, old_value=old_value, new_value=value, comment=comment, changed_by=grader, changed_at=now
    )
    released = GradingSettings.objects.filter(seminar=seminar, released_at__isnull=False).exists()
    if released and old_value != value:
        enqueue_on_commit(task_grade_notify, seminar_id=seminar.pk, student_id=student.pk)
    return grade


@dataclass(frozen=True)
class CellInput:
    """One cell of the grading sheet as posted: the student, the component's key, the typed grade and
    comment, and the version of the grade the page showed (0: none)."""

    student_id: int
    component: str
    text: str
    comment: str
    expected_version: int

    @property
    def key(self) -> tuple[int, str]:
        return (self.student_id, self.component)


@dataclass
class GradesSetResult:
    """What grades_set did, by cell key (student id, component key): the grades it wrote, the cells it
    refused because someone else saved them since the page was loaded (with their current grade, None if
    it is gone) and the cells with a problem (the message)."""

    saved: dict[tuple[int, str], Grade] = field(default_factory=dict)
    refused: dict[tuple[int, str], Grade | None] = field(default_factory=dict)
    errors: dict[tuple[int, str], str] = field(default_factory=dict)


def _shown_states(grades: list[Grade], versions: dict[int, int]) -> dict[int, tuple]:
    """(value, comment) of each grade at the version its page showed: every change of a grade raised its
    version by one and wrote one GradeChange, so version n is the grade's n-th change. One query."""
    changes: dict[int, list[GradeChange]] = {}
    for change in GradeChange.objects.filter(grade__in=grades).order_by("pk"):
        changes.setdefault(change.grade_id, []).append(change)
    shown = {}
    for grade in grades:
        history, version = changes.get(grade.pk, []), versions[grade.pk]
        if 0 < version <= len(history) and len(history) == grade.version:
            shown[grade.pk] = (history[version - 1].new_value, history[version - 1].comment)
    return shown


@transaction.atomic
def grades_set(*, seminar: Seminar, grader: User, cells: list[CellInput], now: datetime) -> GradesSetResult:
    """Saves the cells of a grading sheet at once, each by grade_set's rules: the grader may grade the
    student (grading.set_grade, asked per student), the component exists, the value is a step of the scale.
    Only a cell whose grade or comment differs from what the page showed is written. A cell someone else
    saved since the page was loaded (its version is not the one the page showed) is refused with its current
    grade, unless the grader left it as it was (then it is skipped) or typed what it is now; every other
    cell is saved. One history row per written grade; after release each student with a changed grade is
    mailed once. A fixed number of queries however many cells: the students' membership rows are locked
    (as grade_set locks one), then the components' rows, then the grades' rows."""
    result = GradesSetResult()
    if not cells:
        return result
    cells = list({cell.key: cell for cell in cells}.values())
    grade_components_ensure(seminar=seminar)
    memberships = {
        membership.user_id: membership
        for membership in Membership.objects.filter(
            students_filter(), seminar=seminar, user_id__in={cell.student_id for cell in cells}
        )
        .select_for_update(of=("self",))
        .order_by("pk")
    }
    allowed = set()
    for student_id, membership in memberships.items():
        membership.seminar = seminar
        if may(grader, "grading.set_grade", membership):
            allowed.add(student_id)
    components = {
        component.key: component
        for component in GradeComponent.objects.select_for_update()
        .filter(seminar=seminar, key__in={cell.component for cell in cells})
        .order_by("pk")
    }
    current = {
        (grade.student_id, grade.component.key): grade
        for grade in Grade.objects.select_for_update(of=("self",))
        .select_related("grader", "component")
        .filter(seminar=seminar, student_id__in=allowed, component__in=list(components.values()))
        .order_by("pk")
    }
    stale = {
        current[cell.key].pk: cell.expected_version
        for cell in cells
        if cell.key in current and current[cell.key].version != cell.expected_version
    }
    shown_stale = _shown_states([grade for grade in current.values() if grade.pk in stale], stale)
    created, updated, changes, notify = [], [], [], set()
    for cell in cells:
        for refused, problem in (
            (cell.student_id not in memberships, NotAStudentError.message),
            (cell.student_id not in allowed, NotYourStudentError.message),
            (cell.component not in components, UnknownComponentError.message),
        ):
            if refused:
                result.errors[cell.key] = str(problem)
                break
        if cell.key in result.errors:
            continue
        grade = current.get(cell.key)
        now_state = (grade.value, grade.comment) if grade else (None, "")
        if (grade.version if grade else 0) == cell.expected_version:
            shown = now_state
        elif cell.expected_version == 0:
            shown = (None, "")
        else:
            shown = shown_stale.get(grade.pk) if grade else None
        if shown == (None, "") and not cell.text.strip() and not cell.comment:
            continue
        try:
            value = parse_grade(cell.text)
        except GradeInputError as error:
            result.errors[cell.key] = str(error)
            continue
        if len(cell.comment) > COMMENT_LENGTH:
            result.errors[cell.key] = _("A comment has at most %(length)d characters.") % {
                "length": COMMENT_LENGTH
            }
            continue
        typed = (value, cell.comment)
        if typed in (shown, now_state):
            continue
        if shown != now_state:
            result.refused[cell.key] = grade
            continue
        old_value = grade.value if grade else None
        if grade is None:
            grade = Grade(seminar=seminar, student_id=cell.student_id, component=components[cell.component])
            grade.version = 0
            created.append(grade)
        else:
            updated.append(grade)
        grade.value, grade.comment, grade.grader, grade.updated_at = value, cell.comment, grader, now
        grade.version += 1
        changes.append((grade, old_value))
        result.saved[cell.key] = grade
        if old_value != value:
            notify.add(cell.student_id)
    Grade.objects.bulk_create(created)
    Grade.objects.bulk_update(updated, ["value", "comment", "grader", "updated_at", "version"])
    GradeChange.objects.bulk_create(
        GradeChange(
            grade=grade,
            old_value=old_value,
            new_value=grade.value,
            comment=grade.comment,
            changed_by=grader,
            changed_at=now,
        )
        for grade, old_value in changes
    )
    if notify and GradingSettings.objects.filter(seminar=seminar, released_at__isnull=False).exists():
        enqueue_many_on_commit(
            task_grade_notify, [{"seminar_id": seminar.pk, "student_id": pk} for pk in sorted(notify)]
        )
    return result


@transaction.atomic
def grading_settings_set(*, seminar: Seminar, rounding: str, must_pass_all: bool) -> GradingSettings:
    """Changes the exam rules; final grades are computed from them, so every final grade follows."""
    settings, _created = GradingSettings.objects.update_or_create(
        seminar=seminar, defaults={"rounding": rounding, "must_pass_all": must_pass_all}
    )
    return settings


@transaction.atomic
def grades_release(*, seminar: Seminar, released_by: User, now: datetime) -> GradingSettings:
    """Shows every student of the seminar their grades and final grade, and tells those who have grades."""
    settings, _created = GradingSettings.objects.select_for_update().get_or_create(seminar=seminar)
    if settings.released_at is not None:
        return settings
    settings.released_at, settings.released_by = now, released_by
    settings.save()
    graded = graded_student_ids(seminar)
    enqueue_many_on_commit(
        task_grade_notify, [{"seminar_id": seminar.pk, "student_id": student_id} for student_id in graded]
    )
    return settings


def grade_notify(*, seminar: Seminar, student: User) -> None:
    """Mails a student that their grades in a seminar are released or have changed (no grade in the mail:
    the student reads it in the portal after logging in), and that there is written feedback if there is
    (not what it says)."""
    mail_send(
        to=student,
        subject=gettext_lazy("Your grades in %(seminar)s"),
        subject_params={"seminar": in_reader_language(seminar, "title")},
        template="grading/email/grades",
        context={
            "student": student,
            "seminar": seminar,
            "grades_url": portal_link("grading:mine", seminar.slug),
            "has_feedback": Feedback.objects.filter(seminar=seminar, student=student).exists(),
        },
        zone=seminar.time_zone,
    )
