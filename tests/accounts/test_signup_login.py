"""Sign-up, mandatory e-mail verification, login by e-mail, logout, password reset and e-mail change,
all through allauth's own views."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from accounts.models import User
from tests.accounts.allauth_flows import STRONG_PASSWORD, is_logged_in, link_in, log_in, sign_up
from tests.factories import PASSWORD, UserFactory

# Account mails go out after commit, through the outbox: the tests commit, as a request does.
pytestmark = pytest.mark.django_db(transaction=True)


def test_signup_creates_user_with_full_name_and_matriculation_number(client, mailoutbox):
    response = sign_up(
        client, email="student@example.org", full_name="  Ada   Lovelace ", matriculation_number="03712345"
    )

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    user = User.objects.get()
    assert user.email == "student@example.org"
    assert user.full_name == "Ada Lovelace"
    assert user.matriculation_number == "03712345"
    assert user.check_password(STRONG_PASSWORD)


def test_signup_without_matriculation_number_leaves_it_blank(client, mailoutbox):
    sign_up(client, email="student@example.org")

    assert User.objects.get().matriculation_number == ""


def test_signup_stores_mixed_case_email_in_lower_case(client, mailoutbox):
    sign_up(client, email="Student@Example.org")

    assert User.objects.get().email == "student@example.org"
    assert EmailAddress.objects.get().email == "student@example.org"


def test_signup_sends_verification_mail_with_link(client, mailoutbox):
    sign_up(client, email="student@example.org")

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["student@example.org"]
    assert message.subject.startswith("[Seminar portal] ")
    assert link_in(message).startswith("/accounts/confirm-email/")
    assert not EmailAddress.objects.get().verified


def test_login_before_verifying_is_refused(client, mailoutbox):
    sign_up(client, email="student@example.org")
    client.logout()

    response = log_in(client, email="student@example.org", password=STRONG_PASSWORD)

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert not is_logged_in(client)


def test_signup_does_not_log_in_before_verifying(client, mailoutbox):
    sign_up(client, email="student@example.org")

    assert not is_logged_in(client)
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_verification_link_get_shows_confirmation_and_post_verifies(client, mailoutbox):
    sign_up(client, email="student@example.org")
    link = link_in(mailoutbox[0])

    page = client.get(link)
    assert page.status_code == 200
    assert "student@example.org" in page.content.decode()
    assert not EmailAddress.objects.get().verified

    response = client.post(link)

    assert response.status_code == 302
    address = EmailAddress.objects.get()
    assert address.verified
    assert address.primary


def test_verification_link_in_other_browser_verifies_without_logging_in(client, mailoutbox):
    sign_up(client, email="student@example.org")
    link = link_in(mailoutbox[0])
    client.logout()

    client.post(link)

    assert EmailAddress.objects.get().verified
    assert not is_logged_in(client)


def test_verification_link_with_wrong_key_verifies_nothing(client, mailoutbox):
    sign_up(client, email="student@example.org")
    link = link_in(mailoutbox[0])

    client.post(link.rstrip("/") + "x/")

    assert not EmailAddress.objects.get().verified


def test_login_after_verifying_with_mixed_case_email_succeeds(client, mailoutbox):
    sign_up(client, email="student@example.org", full_name="Ada Lovelace")
    client.post(link_in(mailoutbox[0]))
    client.logout()

    response = log_in(client, email="Student@Example.org", password=STRONG_PASSWORD)

    assert response.status_code == 302
    assert response.url == reverse("dashboard:home")
    assert is_logged_in(client)
    assert client.get(reverse("accounts:profile")).context["user"].full_name == "Ada Lovelace"


def test_login_with_wrong_password_is_refused(client):
    user = UserFactory()

    response = log_in(client, email=user.email, password="not-the-password")

    assert response.status_code == 200
    assert "The email address and/or password you specified are not correct." in response.content.decode()
    assert not is_logged_in(client)


def test_login_of_unknown_email_is_refused(client):
    response = log_in(client, email="nobody@example.org", password=PASSWORD)

    assert response.status_code == 200
    assert not is_logged_in(client)


def test_logout_by_post_ends_session(client):
    user = UserFactory()
    log_in(client, email=user.email, password=PASSWORD)
    assert is_logged_in(client)

    response = client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert response.url == reverse("seminars:list")
    assert not is_logged_in(client)


def test_logout_by_get_keeps_session(client):
    user = UserFactory()
    log_in(client, email=user.email, password=PASSWORD)

    client.get(reverse("account_logout"))

    assert is_logged_in(client)


def test_password_reset_link_sets_new_password(client, mailoutbox):
    user = UserFactory(email="student@example.org")

    response = client.post(reverse("account_reset_password"), {"email": "Student@Example.org"})

    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["student@example.org"]
    key_page = client.get(link_in(mailoutbox[0]), follow=True)
    assert key_page.status_code == 200
    set_password_url = key_page.redirect_chain[-1][0]
    assert set_password_url.endswith("-set-password/")

    response = client.post(
        set_password_url, {"password1": "a-brand-new-passphrase", "password2": "a-brand-new-passphrase"}
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-brand-new-passphrase")
    assert not user.check_password(PASSWORD)
    client.logout()
    log_in(client, email="student@example.org", password="a-brand-new-passphrase")
    assert is_logged_in(client)


def test_password_reset_link_works_only_once(client, mailoutbox):
    UserFactory(email="student@example.org")
    client.post(reverse("account_reset_password"), {"email": "student@example.org"})
    link = link_in(mailoutbox[0])
    set_password_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(
        set_password_url, {"password1": "a-brand-new-passphrase", "password2": "a-brand-new-passphrase"}
    )

    other_browser = client.__class__()
    page = other_browser.get(link, follow=True)

    assert page.context["token_fail"]


def test_password_reset_for_unknown_email_sends_no_reset_link(client, mailoutbox):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})

    assert response.status_code == 302
    assert all("/accounts/password/reset/key/" not in message.body for message in mailoutbox)


def test_change_email_sends_verification_to_new_address(client, mailoutbox):
    user = UserFactory(email="old@example.org")
    client.force_login(user)

    response = client.post(reverse("account_email"), {"email": "New@Example.org", "action_add": ""})

    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["new@example.org"]
    assert link_in(mailoutbox[0]).startswith("/accounts/confirm-email/")
    user.refresh_from_db()
    assert user.email == "old@example.org"


def test_change_email_takes_effect_once_new_address_is_verified(client, mailoutbox):
    user = UserFactory(email="old@example.org")
    client.force_login(user)
    client.post(reverse("account_email"), {"email": "new@example.org", "action_add": ""})

    client.post(link_in(mailoutbox[0]))

    user.refresh_from_db()
    assert user.email == "new@example.org"
    assert list(EmailAddress.objects.filter(user=user).values_list("email", "verified", "primary")) == [
        ("new@example.org", True, True)
    ]
    client.logout()
    log_in(client, email="new@example.org", password=PASSWORD)
    assert is_logged_in(client)


def test_email_page_requires_login(client):
    response = client.get(reverse("account_email"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_signup_with_taken_email_in_other_case_creates_no_second_account(client, mailoutbox):
    UserFactory(email="student@example.org")

    response = sign_up(client, email="STUDENT@example.ORG")

    # allauth prevents enumeration: the page looks like a success, the owner is told by mail.
    assert response.status_code == 302
    assert User.objects.count() == 1
    assert EmailAddress.objects.count() == 1
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["student@example.org"]
    assert "an account using that email address already exists" in mailoutbox[0].body


def test_signup_with_taken_email_cannot_log_in_with_new_password(client, mailoutbox):
    UserFactory(email="student@example.org")
    sign_up(client, email="Student@example.org", password="an-intruders-passphrase")

    log_in(client, email="student@example.org", password="an-intruders-passphrase")

    assert not is_logged_in(client)


@pytest.mark.parametrize("number", ["AB12345", "0371 2345x", "12-34", "3712345.0"])
def test_signup_with_non_digit_matriculation_number_is_refused(client, mailoutbox, number):
    response = sign_up(client, email="student@example.org", matriculation_number=number)

    assert response.status_code == 200
    assert response.context["form"].errors["matriculation_number"] == [
        "A matriculation number has digits only."
    ]
    assert not User.objects.exists()
    assert mailoutbox == []


@pytest.mark.parametrize("number", ["０３７１２３４５", "٣٧١٢٣٤٥", "²³"])
def test_signup_with_non_ascii_digit_matriculation_number_is_refused(client, mailoutbox, number):
    response = sign_up(client, email="student@example.org", matriculation_number=number)

    assert response.status_code == 200
    assert not User.objects.exists()


def test_signup_with_matriculation_number_of_another_account_is_refused(client, mailoutbox):
    UserFactory(matriculation_number="03712345")

    response = sign_up(client, email="student@example.org", matriculation_number=" 03712345 ")

    assert response.status_code == 200
    assert response.context["form"].errors["matriculation_number"] == [
        "This matriculation number belongs to another account."
    ]
    assert not User.objects.filter(email="student@example.org").exists()


def test_signup_without_full_name_is_refused(client, mailoutbox):
    response = sign_up(client, email="student@example.org", full_name="   ")

    assert response.status_code == 200
    assert "full_name" in response.context["form"].errors
    assert not User.objects.exists()


def test_signup_with_mismatched_passwords_is_refused(client, mailoutbox):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "student@example.org",
            "full_name": "Ada",
            "password1": STRONG_PASSWORD,
            "password2": STRONG_PASSWORD + "x",
        },
    )

    assert response.status_code == 200
    assert not User.objects.exists()


def test_signup_with_common_password_is_refused(client, mailoutbox):
    response = sign_up(client, email="student@example.org", password="password123")

    assert response.status_code == 200
    assert "password1" in response.context["form"].errors
    assert not User.objects.exists()
