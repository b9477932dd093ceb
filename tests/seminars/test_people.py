"""The seminar's staff without the Django admin: seminars:people (invite), seminars:staff_role and
seminars:staff_remove, and the services behind them (seminars/people.py)."""

import re
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

from accounts.models import User
from core.permissions import may
from seminars import people
from seminars.exceptions import InvitationError, LastInstructorError, NameNeededError, StudentNotStaffError
from seminars.models import Membership
from tests.factories import SeminarFactory, UserFactory, instructor_of, student_of, supervisor_of
from tests.papers.helpers import PaperFactory

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a-new-and-long-passphrase-42"


@pytest.fixture
def seminar():
    return SeminarFactory(title="Kernels")


@pytest.fixture
def instructor(seminar):
    return instructor_of(seminar, user__full_name="Ida Instructor")


@pytest.fixture
def instructor_client(client, instructor):
    client.force_login(instructor)
    return client


def people_url(seminar):
    return reverse("seminars:people", kwargs={"slug": seminar.slug})


def role_url(membership):
    return reverse("seminars:staff_role", kwargs={"slug": membership.seminar.slug, "pk": membership.pk})


def remove_url(membership):
    return reverse("seminars:staff_remove", kwargs={"slug": membership.seminar.slug, "pk": membership.pk})


def membership_of(seminar, user):
    return Membership.objects.get(seminar=seminar, user=user)


def test_people_page_lists_instructors_then_supervisors_with_their_papers(instructor_client, seminar):
    supervisor = supervisor_of(seminar, user__full_name="Sue Supervisor")
    PaperFactory(seminar=seminar, supervisor=supervisor)
    PaperFactory(seminar=seminar, supervisor=supervisor)
    student_of(seminar, user__full_name="Stu Student")

    response = instructor_client.get(people_url(seminar))

    page = response.content.decode()
    assert response.status_code == 200
    assert page.index("Ida Instructor") < page.index("Sue Supervisor")
    assert "Stu Student" not in page
    assert "2 papers" in page
    assert "The only instructor" in page
    assert f'action="{remove_url(membership_of(seminar, supervisor))}"' in page


def test_invite_adds_an_existing_account_and_tells_them(
    instructor_client, seminar, mailoutbox, django_capture_on_commit_callbacks
):
    person = UserFactory(email="Sue@Uni.example", full_name="Sue Supervisor")

    with django_capture_on_commit_callbacks(execute=True):
        response = instructor_client.post(
            people_url(seminar),
            {"email": "sue@uni.example", "full_name": "", "role": "supervisor"},
            follow=True,
        )

    membership = membership_of(seminar, person)
    assert membership.role == Membership.Role.SUPERVISOR
    assert membership.source == Membership.Source.INVITATION
    assert "Added Sue Supervisor as Supervisor and told them by e-mail." in response.content.decode()
    assert [message.to for message in mailoutbox] == [["Sue@Uni.example"]]
    assert "as: Supervisor" in mailoutbox[0].body
    assert "Set your password" not in mailoutbox[0].body
    assert User.objects.filter(email__iexact="sue@uni.example").count() == 1


def test_invite_names_the_role_in_the_language_of_the_person_invited(
    instructor_client, seminar, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(email="sue@uni.example", full_name="Sue Supervisor", language="de")

    with django_capture_on_commit_callbacks(execute=True):
        instructor_client.post(
            people_url(seminar), {"email": "sue@uni.example", "full_name": "", "role": "supervisor"}
        )

    (message,) = mailoutbox
    assert "hinzugefügt, als: Betreuer(in)" in message.body


def test_invite_of_a_new_address_creates_an_account_whose_link_sets_a_password(
    instructor_client, seminar, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = instructor_client.post(
            people_url(seminar),
            {"email": "New.Co@uni.example", "full_name": "  Nia   Co ", "role": "instructor"},
        )

    assert response.status_code == 302
    user = User.objects.get(email="new.co@uni.example")
    assert user.full_name == "Nia Co"
    assert not user.has_usable_password()
    assert EmailAddress.objects.get(user=user).verified
    assert membership_of(seminar, user).role == Membership.Role.INSTRUCTOR
    body = mailoutbox[0].body
    assert "as: Instructor" in body
    link = re.search(r"http\S+/password/reset/key/\S+", body)[0]
    invited = Client()
    form_page = invited.get(urlsplit(link).path + "?" + urlsplit(link).query, follow=True)
    answer = invited.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else urlsplit(link).path,
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert answer.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert may(user, "seminars.manage_people", seminar)


def test_invite_of_a_new_address_without_a_name_asks_for_it_and_keeps_the_address(instructor_client, seminar):
    response = instructor_client.post(
        people_url(seminar), {"email": "nobody@uni.example", "role": "supervisor"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Please give the person&#x27;s name as well" in page
    assert 'value="nobody@uni.example"' in page
    assert not User.objects.filter(email="nobody@uni.example").exists()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (student_of, "is a student of this seminar and cannot be made an instructor or supervisor"),
        (supervisor_of, "is already a supervisor of this seminar"),
        (instructor_of, "is already an instructor of this seminar"),
    ],
)
def test_invite_of_a_member_is_refused_with_a_message(instructor_client, seminar, make, message, mailoutbox):
    member = make(seminar, user__email="member@uni.example")
    before = membership_of(seminar, member).role

    response = instructor_client.post(
        people_url(seminar), {"email": "MEMBER@uni.example", "role": "instructor"}
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert membership_of(seminar, member).role == before
    assert mailoutbox == []


def test_invite_never_makes_a_withdrawn_student_staff(seminar, instructor):
    student = student_of(seminar, user__email="gone@uni.example")
    people.student_withdraw(membership=membership_of(seminar, student), by=instructor, now=seminar.created_at)

    with pytest.raises(InvitationError):
        people.staff_invite(
            seminar=seminar, email="gone@uni.example", full_name="", role="instructor", language="en"
        )

    assert membership_of(seminar, student).role == Membership.Role.STUDENT


def test_invite_refuses_a_student_role(seminar):
    with pytest.raises(StudentNotStaffError):
        people.staff_invite(
            seminar=seminar, email="x@uni.example", full_name="X", role="student", language="en"
        )

    assert not User.objects.filter(email="x@uni.example").exists()


def test_invite_of_a_new_address_without_a_name_raises(seminar):
    with pytest.raises(NameNeededError):
        people.staff_invite(
            seminar=seminar, email="x@uni.example", full_name=" ", role="supervisor", language="en"
        )


def test_invite_with_a_bad_address_shows_the_field_error(instructor_client, seminar):
    response = instructor_client.post(people_url(seminar), {"email": "not-an-address", "role": "supervisor"})

    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert 'value="not-an-address"' in response.content.decode()


def test_role_change_makes_a_supervisor_an_instructor_and_back(instructor_client, seminar):
    supervisor = supervisor_of(seminar)
    membership = membership_of(seminar, supervisor)

    instructor_client.post(role_url(membership), {"role": "instructor"})
    assert membership_of(seminar, supervisor).role == Membership.Role.INSTRUCTOR
    assert may(User.objects.get(pk=supervisor.pk), "seminars.manage_people", seminar)

    response = instructor_client.post(role_url(membership), {"role": "supervisor"}, follow=True)
    assert membership_of(seminar, supervisor).role == Membership.Role.SUPERVISOR
    assert f"The role of {supervisor.full_name} is now: Supervisor." in response.content.decode()


def test_role_change_tells_the_person_in_their_language_once(
    instructor_client, seminar, mailoutbox, django_capture_on_commit_callbacks
):
    supervisor = supervisor_of(seminar, user__full_name="Sue Supervisor", user__language="de")
    membership = membership_of(seminar, supervisor)

    with django_capture_on_commit_callbacks(execute=True):
        instructor_client.post(role_url(membership), {"role": "instructor"})
    with django_capture_on_commit_callbacks(execute=True):
        instructor_client.post(role_url(membership), {"role": "instructor"})

    (message,) = mailoutbox
    assert message.to == [supervisor.email]
    assert message.subject == "[Seminar portal] Ihre Rolle in Kernels"
    assert "eine Lehrperson hat Ihre Rolle im Seminar „Kernels“" in message.body
    assert "geändert, neu: Lehrende(r)" in message.body
    assert f"/seminars/{seminar.slug}/" in message.body


def test_role_change_never_makes_a_student_staff(instructor_client, seminar):
    student = student_of(seminar)

    response = instructor_client.post(
        role_url(membership_of(seminar, student)), {"role": "instructor"}, follow=True
    )

    assert membership_of(seminar, student).role == Membership.Role.STUDENT
    assert (
        "A student of the seminar cannot be made an instructor or supervisor here."
        in response.content.decode()
    )


def test_the_last_instructor_cannot_be_demoted_or_removed(instructor_client, seminar, instructor):
    membership = membership_of(seminar, instructor)

    demoted = instructor_client.post(role_url(membership), {"role": "supervisor"}, follow=True)
    removed = instructor_client.post(remove_url(membership), follow=True)

    assert membership_of(seminar, instructor).role == Membership.Role.INSTRUCTOR
    for response in (demoted, removed):
        assert "The seminar needs at least one instructor." in response.content.decode()


def test_an_instructor_who_steps_down_lands_on_the_seminar_page(instructor_client, seminar, instructor):
    instructor_of(seminar)

    response = instructor_client.post(role_url(membership_of(seminar, instructor)), {"role": "supervisor"})

    assert membership_of(seminar, instructor).role == Membership.Role.SUPERVISOR
    assert response["Location"] == seminar.get_absolute_url()


def test_role_change_with_no_role_says_so(instructor_client, seminar):
    membership = membership_of(seminar, supervisor_of(seminar))

    response = instructor_client.post(role_url(membership), {"role": "admin"}, follow=True)

    assert "Please choose a role." in response.content.decode()
    assert membership_of(seminar, membership.user).role == Membership.Role.SUPERVISOR


def test_remove_takes_a_supervisor_out_of_the_seminar(instructor_client, seminar):
    supervisor = supervisor_of(seminar, user__full_name="Sue Supervisor")

    response = instructor_client.post(remove_url(membership_of(seminar, supervisor)), follow=True)

    assert not Membership.objects.filter(seminar=seminar, user=supervisor).exists()
    assert User.objects.filter(pk=supervisor.pk).exists()
    assert "Sue Supervisor is no longer part of the seminar." in response.content.decode()


def test_remove_refuses_a_person_who_still_supervises_papers(instructor_client, seminar):
    supervisor = supervisor_of(seminar, user__full_name="Sue Supervisor")
    PaperFactory(seminar=seminar, supervisor=supervisor)

    response = instructor_client.post(remove_url(membership_of(seminar, supervisor)), follow=True)

    assert membership_of(seminar, supervisor).role == Membership.Role.SUPERVISOR
    assert "Sue Supervisor still supervises 1 paper of this seminar." in response.content.decode()


def test_remove_refuses_a_student(seminar):
    student = student_of(seminar)

    with pytest.raises(StudentNotStaffError):
        people.staff_remove(membership=membership_of(seminar, student))

    assert membership_of(seminar, student)


def test_the_second_of_two_instructors_can_be_removed_but_not_the_last(seminar, instructor):
    other = instructor_of(seminar)

    people.staff_remove(membership=membership_of(seminar, other))

    with pytest.raises(LastInstructorError):
        people.staff_remove(membership=membership_of(seminar, instructor))


def test_people_pages_are_for_instructors_only(client, seminar):
    supervisor = supervisor_of(seminar)
    client.force_login(supervisor)
    membership = membership_of(seminar, supervisor)

    assert client.get(people_url(seminar)).status_code == 403
    assert (
        client.post(people_url(seminar), {"email": "a@uni.example", "role": "instructor"}).status_code == 403
    )
    assert client.post(role_url(membership), {"role": "instructor"}).status_code == 403
    assert client.post(remove_url(membership)).status_code == 403
    assert membership_of(seminar, supervisor).role == Membership.Role.SUPERVISOR
    assert not User.objects.filter(email="a@uni.example").exists()


def test_a_membership_of_another_seminar_is_not_found(instructor_client, seminar):
    foreign = supervisor_of(SeminarFactory())
    membership = Membership.objects.get(user=foreign)
    url = reverse("seminars:staff_remove", kwargs={"slug": seminar.slug, "pk": membership.pk})

    assert instructor_client.post(url).status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()
