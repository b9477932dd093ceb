"""An instructor imports a student list: the page seminars:import and the service `students_import`."""

import html
import re
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from seminars.exceptions import StudentImportError
from seminars.models import Membership, Seminar
from seminars.people import student_withdraw
from seminars.services import students_import
from tests.factories import PASSWORD, SeminarFactory, UserFactory, instructor_of, supervisor_of

from .helpers import import_url, roster_url

GOOD_LIST = (
    b"email,name,matriculation number\n"
    b"ada.lovelace@tum.de,Ada Lovelace,03712345\n"
    b"alan.turing@tum.de,Alan Turing,\n"
)
NEW_PASSWORD = "a-new-and-long-passphrase-42"

pytestmark = pytest.mark.django_db


@pytest.fixture
def seminar():
    return SeminarFactory(title="Kernels", capacity=30)


@pytest.fixture
def instructor_client(client, seminar):
    client.force_login(instructor_of(seminar))
    return client


@pytest.fixture
def upload(instructor_client, seminar, django_capture_on_commit_callbacks):
    """Posts a file to the import page and runs what the request leaves for after the commit (the mail)."""

    def upload(data: bytes, *, name: str = "students.csv", follow: bool = False, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return instructor_client.post(
                import_url(seminar),
                {"student_list": SimpleUploadedFile(name, data, content_type="text/csv")},
                follow=follow,
                **extra,
            )

    return upload


def counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
        "addresses": EmailAddress.objects.count(),
    }


def content_of(response) -> str:
    return html.unescape(response.content.decode())


def imported(seminar: Seminar) -> dict[str, tuple]:
    return {
        membership.user.email: (
            membership.user.full_name,
            membership.user.matriculation_number,
            membership.role,
            membership.source,
        )
        for membership in seminar.memberships.select_related("user").filter(role=Membership.Role.STUDENT)
    }


def refused_upload(upload, data: bytes, mailoutbox) -> str:
    """Uploads a list that must be refused as a whole; returns the page."""
    before = counts()
    response = upload(data)
    assert response.status_code == 200
    assert counts() == before
    assert mailoutbox == []
    return content_of(response)


def set_password_link(mail) -> str:
    """The invitation's link as the test client opens it: path and query (where to go afterwards)."""
    (link,) = re.findall(r"https?://\S+/password/reset/key/\S+", mail.body)
    assert link.startswith(settings.PORTAL_URL)
    parts = urlsplit(link)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


# A good list -----------------------------------------------------------------------------------------------


def test_import_page_offers_the_upload_form(instructor_client, seminar):
    response = instructor_client.get(import_url(seminar))

    content = content_of(response)
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in content
    assert 'type="file" name="student_list"' in content


def test_import_of_a_good_list_adds_the_students(upload, seminar):
    response = upload(GOOD_LIST, follow=True)

    assert response.redirect_chain == [(roster_url(seminar), 302)]
    assert "Import done: 2 students added; 2 new accounts invited; 0 already in the seminar." in content_of(
        response
    )
    assert imported(seminar) == {
        "ada.lovelace@tum.de": ("Ada Lovelace", "03712345", "student", "import"),
        "alan.turing@tum.de": ("Alan Turing", "", "student", "import"),
    }
    content = content_of(response)
    assert "ada.lovelace@tum.de" in content
    assert "Imported from a list" in content


def test_import_creates_accounts_without_a_password_and_with_a_verified_address(upload):
    upload(GOOD_LIST)

    for email in ["ada.lovelace@tum.de", "alan.turing@tum.de"]:
        user = User.objects.get(email=email)
        assert not user.has_usable_password()
        assert user.is_active
        assert list(EmailAddress.objects.filter(user=user).values_list("email", "verified", "primary")) == [
            (email, True, True)
        ]


def test_import_sends_each_new_student_one_invitation(upload, seminar, mailoutbox):
    upload(GOOD_LIST)

    assert sorted(mail.to[0] for mail in mailoutbox) == ["ada.lovelace@tum.de", "alan.turing@tum.de"]
    for mail in mailoutbox:
        assert len(mail.to) == 1
        assert mail.subject == "[Seminar portal] You have been added to Kernels"
        assert "Set your password here:" in mail.body
        assert settings.PORTAL_URL + seminar.get_absolute_url() in mail.body
        (alternative, mimetype) = mail.alternatives[0]
        assert mimetype == "text/html"
        assert set_password_link(mail) in alternative


def test_import_invitation_lets_the_student_set_a_password_and_lands_signed_in_on_the_seminar(
    client, upload, seminar, mailoutbox
):
    upload(GOOD_LIST)
    (mail,) = [mail for mail in mailoutbox if mail.to == ["ada.lovelace@tum.de"]]
    client.logout()

    form_page = client.get(set_password_link(mail), follow=True)
    assert form_page.status_code == 200
    assert 'name="password1"' in form_page.content.decode()
    # The password form carries where to go next (the page's other forms carry their own), as a browser
    # sends it back.
    form = re.search(
        r'<form method="post"\s+action="[^"]*set-password/">.*?</form>', form_page.content.decode(), re.S
    )
    (next_page,) = re.findall(r'name="next" value="([^"]+)"', form.group(0))
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "next": next_page},
        follow=True,
    )

    assert done.redirect_chain[-1] == (seminar.get_absolute_url(), 302)
    assert done.context["user"].email == "ada.lovelace@tum.de"
    assert "You are enrolled in this seminar." in content_of(done)
    login = client.post(reverse("account_login"), {"login": "ada.lovelace@tum.de", "password": NEW_PASSWORD})
    assert login.status_code == 302


def test_import_invitation_link_works_only_once(client, upload, mailoutbox):
    upload(GOOD_LIST)
    link = set_password_link(mailoutbox[0])
    client.logout()
    form_page = client.get(link, follow=True)
    client.post(form_page.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    again = client.get(link, follow=True)

    assert 'name="password1"' not in again.content.decode()


def test_import_invitation_is_in_the_language_of_the_page(upload, mailoutbox):
    upload(GOOD_LIST, HTTP_ACCEPT_LANGUAGE="de")

    assert {mail.subject for mail in mailoutbox} == {"[Seminar portal] Sie wurden in Kernels aufgenommen"}


def test_import_of_a_semicolon_separated_windows_1252_list_with_german_headers(upload, seminar):
    data = (
        "Matrikelnummer;Vollständiger Name;E-Mail-Adresse\r\n"
        "03700001;Jürgen Müller;juergen.mueller@tum.de\r\n"
        "03700002;Renée Weiß;renee.weiss@tum.de\r\n"
    ).encode("cp1252")

    response = upload(data)

    assert response.status_code == 302
    assert imported(seminar) == {
        "juergen.mueller@tum.de": ("Jürgen Müller", "03700001", "student", "import"),
        "renee.weiss@tum.de": ("Renée Weiß", "03700002", "student", "import"),
    }


def test_import_of_a_utf8_list_with_byte_order_mark_from_a_spreadsheet(upload, seminar):
    data = "\ufeffE-Mail;Name;Matr.-Nr.\r\nzoe@tum.de;Zoë Ångström;03700003\r\n".encode()

    upload(data)

    assert imported(seminar) == {"zoe@tum.de": ("Zoë Ångström", "03700003", "student", "import")}


def test_import_normalises_addresses_and_names(upload, seminar):
    upload(b"Email,Name\n  Ada.Lovelace@TUM.de , Ada   Lovelace \n")

    assert imported(seminar) == {"ada.lovelace@tum.de": ("Ada Lovelace", "", "student", "import")}


# A list with problems: nothing at all is imported ----------------------------------------------------------


def test_import_with_one_bad_line_imports_nothing(upload, mailoutbox):
    data = (
        b"email,name,matriculation number\n"
        b"ada.lovelace@tum.de,Ada Lovelace,03712345\n"
        b"not-an-address,Alan Turing,\n"
        b"grace.hopper@tum.de,Grace Hopper,\n"
    )

    content = refused_upload(upload, data, mailoutbox)

    assert "The list was not imported." in content
    assert "Line 3: “not-an-address” is not an e-mail address." in content
    assert "Line 2" not in content
    assert "Line 4" not in content


def test_import_reports_every_bad_line(upload, mailoutbox):
    data = b"email,name,matriculation number\nada@tum.de,,12a\n,Alan Turing,\ngrace@tum.de,Grace,1\n"

    content = refused_upload(upload, data, mailoutbox)

    assert "Line 2: The name is missing." in content
    assert "Line 2: “12a” is not a matriculation number (digits only, at most 20)." in content
    assert "Line 3: The e-mail address is missing." in content
    assert "Line 4" not in content


def test_import_with_a_duplicate_address_imports_nothing(upload, mailoutbox):
    data = b"email,name\nada@tum.de,Ada Lovelace\nalan@tum.de,Alan Turing\nADA@tum.de,Ada L.\n"

    content = refused_upload(upload, data, mailoutbox)

    assert "Line 4: ada@tum.de is also on line 2." in content


def test_import_with_a_duplicate_matriculation_number_imports_nothing(upload, mailoutbox):
    data = b"email,name,matriculation number\nada@tum.de,Ada,0371\nalan@tum.de,Alan,0371\n"

    content = refused_upload(upload, data, mailoutbox)

    assert "Line 3: Matriculation number 0371 is also on line 2." in content


def test_import_with_a_matriculation_number_of_another_account_imports_nothing(upload, mailoutbox):
    UserFactory(email="holder@tum.de", matriculation_number="03712345")
    data = b"email,name,matriculation number\nalan@tum.de,Alan,\nada@tum.de,Ada,03712345\n"

    content = refused_upload(upload, data, mailoutbox)

    assert "Line 3: Matriculation number 03712345 belongs to another account (holder@tum.de)." in content


def test_import_with_another_matriculation_number_than_the_account_has_imports_nothing(upload, mailoutbox):
    UserFactory(email="ada@tum.de", matriculation_number="03700000")

    content = refused_upload(
        upload, b"email,name,matriculation number\nada@tum.de,Ada,03712345\n", mailoutbox
    )

    assert "Line 2: ada@tum.de has matriculation number 03700000 in the portal, not 03712345." in content


@pytest.mark.parametrize("make_member", [instructor_of, supervisor_of])
def test_import_of_an_instructor_or_supervisor_of_the_seminar_is_refused(
    upload, seminar, mailoutbox, make_member
):
    colleague = make_member(seminar, user=UserFactory(email="colleague@tum.de"))
    role = Membership.objects.get(user=colleague, seminar=seminar).role

    content = refused_upload(upload, b"email,name\nada@tum.de,Ada\ncolleague@tum.de,Colleague\n", mailoutbox)

    assert f"Line 3: colleague@tum.de is already a {role} of this seminar." in content.replace(" an ", " a ")
    assert Membership.objects.get(user=colleague, seminar=seminar).role == role


def test_import_of_an_instructor_names_the_role_in_good_english(upload, seminar, mailoutbox):
    instructor_of(seminar, user=UserFactory(email="colleague@tum.de"))

    content = refused_upload(upload, b"email,name\ncolleague@tum.de,Colleague\n", mailoutbox)

    assert "colleague@tum.de is already an instructor of this seminar." in content


def test_import_of_an_instructor_of_another_seminar_adds_them_as_student(upload, seminar):
    instructor_of(SeminarFactory(), user=UserFactory(email="colleague@tum.de"))

    upload(b"email,name\ncolleague@tum.de,Colleague\n")

    assert imported(seminar)["colleague@tum.de"][2:] == ("student", "import")


def test_import_of_an_empty_file_is_refused(upload, mailoutbox):
    content = refused_upload(upload, b"", mailoutbox)

    assert "The submitted file is empty." in content


def test_import_of_a_blank_file_is_refused(upload, mailoutbox):
    content = refused_upload(upload, b"  \r\n\r\n", mailoutbox)

    assert "Line 1: The file is empty." in content


def test_import_of_a_file_without_header_is_refused(upload, mailoutbox):
    content = refused_upload(upload, b"ada@tum.de,Ada Lovelace,03712345\n", mailoutbox)

    assert "Line 1: The first line must name the columns" in content
    assert "Found: ada@tum.de, Ada Lovelace, 03712345." in content


def test_import_of_a_header_without_students_is_refused(upload, mailoutbox):
    content = refused_upload(upload, b"email,name\n\n", mailoutbox)

    assert "Line 2: The list has no students." in content


def test_import_of_a_file_over_1_mb_is_refused(upload, mailoutbox):
    data = GOOD_LIST + b"\n" * (settings.SEMINAR_IMPORT_MAX_BYTES - len(GOOD_LIST) + 1)

    content = refused_upload(upload, data, mailoutbox)

    assert "The file is larger than 1 MB." in content


def test_import_of_a_file_of_exactly_1_mb_is_read(upload, seminar):
    data = GOOD_LIST + b"\n" * (settings.SEMINAR_IMPORT_MAX_BYTES - len(GOOD_LIST))

    assert upload(data).status_code == 302
    assert len(imported(seminar)) == 2


def test_import_of_a_spreadsheet_that_is_not_csv_is_refused(upload, mailoutbox):
    content = refused_upload(upload, b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xff\xfe", mailoutbox)

    assert "Line 1: The first line must name the columns" in content


def test_import_of_a_name_with_a_nul_character_is_refused_by_line(upload, mailoutbox):
    content = refused_upload(upload, b"email,name\nada@tum.de,Ada\x00Lovelace\n", mailoutbox)

    assert "Line 2" in content


def test_import_without_a_file_is_refused():
    """A browser posts the CSRF token and no file part when no file was chosen."""
    seminar = SeminarFactory()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(instructor_of(seminar))
    token = browser.get(import_url(seminar)).context["csrf_token"]
    before = counts()

    response = browser.post(import_url(seminar), {"csrfmiddlewaretoken": token})

    assert response.status_code == 200
    assert response.context["form"].errors == {"student_list": ["This field is required."]}
    assert counts() == before


def test_import_of_an_empty_post_says_the_file_is_missing(instructor_client, seminar):
    response = instructor_client.post(import_url(seminar))

    assert response.context["form"].errors == {"student_list": ["This field is required."]}


# People who already have an account or are already in the seminar -----------------------------------------


def test_import_adds_an_existing_user_without_a_new_account(upload, seminar, mailoutbox):
    existing = UserFactory(email="ada.lovelace@tum.de", full_name="Ada King", matriculation_number="")
    password = existing.password
    users = User.objects.count()

    response = upload(GOOD_LIST, follow=True)

    assert "2 students added; 1 new account invited; 0 already in the seminar." in content_of(response)
    assert User.objects.count() == users + 1
    existing.refresh_from_db()
    assert existing.password == password
    assert existing.full_name == "Ada King"
    assert existing.matriculation_number == "03712345"
    assert EmailAddress.objects.filter(user=existing).count() == 1
    (notice,) = [mail for mail in mailoutbox if mail.to == ["ada.lovelace@tum.de"]]
    assert "Set your password" not in notice.body
    assert "/password/reset/key/" not in notice.body


def test_import_matches_an_existing_user_whatever_the_case_of_the_address(upload, seminar):
    existing = UserFactory(email="ada.lovelace@tum.de")

    upload(b"email,name\nAda.Lovelace@TUM.DE,Ada\n")

    assert list(seminar.memberships.filter(role="student").values_list("user", flat=True)) == [existing.pk]
    assert User.objects.filter(email__iexact="ada.lovelace@tum.de").count() == 1


def test_import_of_the_same_list_twice_adds_no_one_twice(upload, seminar, mailoutbox):
    upload(GOOD_LIST)
    before = counts()
    mailoutbox.clear()

    response = upload(GOOD_LIST, follow=True)

    assert "0 students added; 0 new accounts invited; 2 already in the seminar." in content_of(response)
    assert counts() == before
    assert mailoutbox == []


def test_import_keeps_how_a_student_joined(upload, seminar):
    student = UserFactory(email="alan.turing@tum.de")
    Membership.objects.create(
        user=student, seminar=seminar, role=Membership.Role.STUDENT, source=Membership.Source.ENROLMENT
    )

    upload(GOOD_LIST)

    assert Membership.objects.get(user=student, seminar=seminar).source == Membership.Source.ENROLMENT


def test_import_into_a_draft_shows_it_to_the_students(client):
    draft = SeminarFactory(state=Seminar.State.DRAFT)
    client.force_login(instructor_of(draft))

    client.post(
        import_url(draft), {"student_list": SimpleUploadedFile("s.csv", GOOD_LIST, content_type="text/csv")}
    )

    client.force_login(User.objects.get(email="ada.lovelace@tum.de"))
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_import_of_one_student_says_so_in_the_singular(upload):
    response = upload(b"email,name\nada@tum.de,Ada\n", follow=True)

    assert "1 student added; 1 new account invited" in content_of(response)


# The service -----------------------------------------------------------------------------------------------


def test_students_import_reports_what_it_did(seminar, django_capture_on_commit_callbacks):
    UserFactory(email="alan.turing@tum.de", password=PASSWORD)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = students_import(seminar=seminar, data=GOOD_LIST, language="en")

    assert (result.new_accounts, result.added, result.already_members) == (1, 2, 0)
    assert len(callbacks) == 2


def test_students_import_second_time_reports_already_members(seminar, django_capture_on_commit_callbacks):
    students_import(seminar=seminar, data=GOOD_LIST, language="en")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = students_import(seminar=seminar, data=GOOD_LIST, language="en")

    assert (result.new_accounts, result.added, result.already_members) == (0, 0, 2)
    assert callbacks == []


def test_import_names_a_withdrawn_student_and_does_not_take_them_back(upload, seminar, mailoutbox):
    """Taking a withdrawn student back is the roster's "undo the withdrawal", which keeps the record straight;
    an import of the same list says who was left out and why."""
    upload(GOOD_LIST)
    ada = Membership.objects.get(seminar=seminar, user__email="ada.lovelace@tum.de")
    student_withdraw(membership=ada, by=instructor_of(seminar), now=timezone.now())
    mailoutbox.clear()

    page = content_of(upload(GOOD_LIST, follow=True))

    assert "Import done: 0 students added; 0 new accounts invited; 1 already in the seminar." in page
    assert (
        "1 student on the list withdrew from this seminar and was not taken back: ada.lovelace@tum.de. "
        "To take them back, undo the withdrawal on the roster."
    ) in page
    ada.refresh_from_db()
    assert ada.withdrawn_at is not None
    assert mailoutbox == []


def test_students_import_raises_with_every_line_number(seminar):
    before = counts()
    data = b"email,name\nada@tum.de,Ada\nbad,Alan\nbad2,\n"

    with pytest.raises(StudentImportError) as raised:
        students_import(seminar=seminar, data=data, language="en")

    assert [(error.line, error.message) for error in raised.value.errors] == [
        (3, "“bad” is not an e-mail address."),
        (4, "“bad2” is not an e-mail address."),
        (4, "The name is missing."),
    ]
    assert counts() == before


def test_students_import_refuses_conflicts_found_in_the_database_as_a_whole(seminar):
    UserFactory(email="holder@tum.de", matriculation_number="111")
    before = counts()
    data = b"email,name,matriculation number\nnew1@tum.de,New One,\nnew2@tum.de,New Two,111\n"

    with pytest.raises(StudentImportError) as raised:
        students_import(seminar=seminar, data=data, language="en")

    assert [error.line for error in raised.value.errors] == [3]
    assert counts() == before


def test_students_import_lets_new_accounts_log_in_only_after_setting_a_password(client, seminar):
    students_import(seminar=seminar, data=GOOD_LIST, language="en")

    response = client.post(reverse("account_login"), {"login": "ada.lovelace@tum.de", "password": ""})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
