"""MFA in the browser (allauth.mfa on the portal's layout): TOTP set-up with a code an authenticator app
computes (pyotp), login with a TOTP code and with a recovery code, and MFA made mandatory for staff."""

import re

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from playwright.sync_api import expect

from tests.browser.totp import fresh_code
from tests.factories import PASSWORD, SeminarFactory, UserFactory, instructor_of

pytestmark = pytest.mark.browser


def password_step(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label(re.compile(r"^Email:?$")).fill(email)
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()


def activate_totp(page) -> str:
    page.goto("/accounts/2fa/")
    page.get_by_role("link", name="Activate").first.click()
    # allauth asks for the password again before a security setting changes.
    expect(page.get_by_role("heading", name="Confirm Access")).to_be_visible()
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Activate Authenticator App")).to_be_visible()
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label(re.compile(r"^Authenticator code")).fill(fresh_code(secret))
    page.get_by_role("button", name="Activate").click()
    return secret


def test_totp_set_up_then_login_with_a_recovery_code(new_page):
    user = UserFactory(email="tina.totp@uni.example")
    page = new_page()
    password_step(page, user.email)
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    activate_totp(page)
    expect(page.get_by_role("heading", name="Recovery Codes")).to_be_visible()
    assert set(Authenticator.objects.filter(user=user).values_list("type", flat=True)) == {
        "totp",
        "recovery_codes",
    }
    code = RecoveryCodes(Authenticator.objects.get(user=user, type="recovery_codes")).get_unused_codes()[0]
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()

    password_step(page, user.email)
    expect(page.get_by_role("heading", name="Two-Factor Authentication")).to_be_visible()
    page.get_by_label(re.compile("code", re.I)).fill(code)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    recovery = RecoveryCodes(Authenticator.objects.get(user=user, type="recovery_codes"))
    assert code not in recovery.get_unused_codes()


def test_login_with_a_totp_code_and_a_wrong_code_is_refused(new_page):
    user = UserFactory(email="tom.totp@uni.example")
    secret = pyotp.random_base32()
    TOTP.activate(user, secret)
    page = new_page()
    password_step(page, user.email)
    expect(page.get_by_role("heading", name="Two-Factor Authentication")).to_be_visible()

    page.get_by_label(re.compile("code", re.I)).fill(
        "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"
    )
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_text("Incorrect code.")).to_be_visible()
    page.get_by_label(re.compile("code", re.I)).fill(fresh_code(secret))
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_mandatory_mfa_sends_an_instructor_to_the_set_up_until_done(new_page, settings, check_a11y):
    settings.MFA_REQUIRED_FOR_STAFF = True
    seminar = SeminarFactory(title="Kernels and nets")
    instructor = instructor_of(seminar, user__email="ida.instructor@uni.example")
    page = new_page()
    password_step(page, instructor.email)
    expect(page.get_by_role("heading", name="Two-Factor Authentication")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("set up two-factor authentication to continue")
    check_a11y(page)  # each page below is left by a goto, with no action on it

    page.goto(f"/seminars/{seminar.slug}/")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/$"))
    check_a11y(page)
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/$"))

    activate_totp(page)
    expect(page.get_by_role("heading", name="Recovery Codes")).to_be_visible()
    page.goto(f"/seminars/{seminar.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kernels and nets")


def test_mandatory_mfa_leaves_a_student_alone(new_page, settings):
    settings.MFA_REQUIRED_FOR_STAFF = True
    user = UserFactory(email="sam.student@uni.example")
    page = new_page()
    password_step(page, user.email)
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page).not_to_have_url(re.compile(r"/accounts/2fa/"))


def virtual_security_key(page) -> None:
    """Chromium's virtual authenticator (DevTools WebAuthn domain): a USB key that says yes at once."""
    devtools = page.context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )


def test_security_key_set_up_then_login_with_it(new_page, settings):
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True  # live_server speaks http
    user = UserFactory(email="kai.key@uni.example")
    page = new_page()
    virtual_security_key(page)
    password_step(page, user.email)
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    page.goto("/accounts/2fa/webauthn/add/")
    expect(page.get_by_role("heading", name="Confirm Access")).to_be_visible()
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Add Security Key")).to_be_visible()
    page.get_by_label(re.compile(r"^Name")).fill("Office key")
    page.get_by_role("button", name="Add").click()
    expect(page.get_by_role("heading", name="Recovery Codes")).to_be_visible()
    key = Authenticator.objects.get(user=user, type="webauthn")
    assert key.wrap().name == "Office key"
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()

    password_step(page, user.email)
    expect(page.get_by_role("heading", name="Two-Factor Authentication")).to_be_visible()
    page.get_by_role("button", name="Use a security key").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
