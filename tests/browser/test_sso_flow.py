"""Single sign-on in the browser against the real IdPs on loopback (tests/idp/): oidc-provider and
SimpleSAMLphp. SP-initiated login, the mapped account, the second login, linking after proof, logout."""

import re

import pytest
from allauth.socialaccount.models import SocialAccount
from playwright.sync_api import expect

from accounts.models import User
from tests.browser.totp import fresh_code
from tests.factories import PASSWORD, SeminarFactory, UserFactory, instructor_of
from tests.idp.fixtures import OIDC_PASSWORD, oidc_idp, saml_idp, sso_settings  # noqa: F401
from tests.idp.simplesamlphp import PASSWORD as SAML_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("sso_settings")]


def oidc_log_in(page, login: str) -> None:
    """From the portal's login page through oidc-provider's development login and consent pages."""
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Log in with Uni Example (OIDC)").click()
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill(OIDC_PASSWORD)
    page.get_by_role("button", name=re.compile("Sign-in", re.I)).click()
    page.get_by_role("button", name=re.compile("Continue", re.I)).click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def saml_log_in(page, login: str, *, start: bool = True) -> None:
    if start:
        page.goto("/accounts/login/")
        page.get_by_role("button", name="Log in with Uni Example (SAML)").click()
    page.locator("input[name=username]").fill(login)
    page.locator("input[name=password]").fill(SAML_PASSWORD)
    page.locator("button[type=submit], input[type=submit]").first.click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_oidc_first_login_creates_the_mapped_account_and_the_second_finds_it(new_page):
    page = new_page()
    oidc_log_in(page, "carla")
    user = User.objects.get(email="carla.conrad@uni.example")
    assert (user.full_name, user.given_name, user.family_name, user.matriculation_number) == (
        "Carla Conrad",
        "Carla",
        "Conrad",
        "5811",
    )
    assert user.emailaddress_set.get().verified
    page.get_by_role("link", name="Profile").click()
    expect(page.get_by_label("Matriculation number (optional)")).to_have_value("5811")
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()

    second = new_page()
    oidc_log_in(second, "carla")
    assert User.objects.filter(email="carla.conrad@uni.example").count() == 1
    assert user.socialaccount_set.get().provider == "university"


def test_saml_first_login_creates_the_mapped_account_and_the_second_finds_it(new_page):
    page = new_page()
    saml_log_in(page, "anna")
    user = User.objects.get(email="anna.schmidt@uni.example")
    assert (user.full_name, user.given_name, user.family_name, user.matriculation_number) == (
        "Anna Schmidt",
        "Anna",
        "Schmidt",
        "4711",
    )
    account = user.socialaccount_set.get()
    assert (account.get_provider().id, account.uid) == ("saml", "anna@uni.example")
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()

    second = new_page()
    saml_log_in(second, "anna")
    assert User.objects.filter(email="anna.schmidt@uni.example").count() == 1


def oidc_idp_login(page, login: str) -> None:
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill(OIDC_PASSWORD)
    page.get_by_role("button", name=re.compile("Sign-in", re.I)).click()
    page.get_by_role("button", name=re.compile("Continue", re.I)).click()


def test_existing_local_account_is_linked_only_after_its_password_login(new_page, log_in):
    local = UserFactory(email="carla.conrad@uni.example", full_name="Carla C.")
    page = new_page()
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Log in with Uni Example (OIDC)").click()
    oidc_idp_login(page, "carla")
    expect(page.get_by_role("status")).to_contain_text("An account with your e-mail address")
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
    assert not SocialAccount.objects.exists()
    assert User.objects.count() == 1

    proof = new_page()
    log_in(proof, local.email, PASSWORD)
    proof.get_by_role("link", name="Profile").click()
    expect(proof.get_by_text("No university account is linked yet.")).to_be_visible()
    proof.get_by_role("link", name="Link or unlink a university account").click()
    proof.get_by_role("button", name="Link your Uni Example (OIDC) account").click()
    oidc_idp_login(proof, "carla")
    expect(proof.get_by_role("heading", name="Account Connections")).to_be_visible()
    assert SocialAccount.objects.get().user == local
    proof.get_by_role("link", name="Profile").click()
    expect(proof.get_by_text("Linked to Uni Example (OIDC) as carla")).to_be_visible()
    proof.get_by_role("button", name="Log out").click()
    expect(proof.get_by_role("link", name="Log in")).to_be_visible()

    later = new_page()
    oidc_log_in(later, "carla")
    later.get_by_role("link", name="Profile").click()
    expect(later.get_by_text(f"You log in as {local.email}.")).to_be_visible()
    local.refresh_from_db()
    assert (local.full_name, local.matriculation_number) == ("Carla Conrad", "5811")  # updated from the IdP


def test_imported_student_is_matched_by_matriculation_number_at_first_login(new_page):
    imported = UserFactory(
        email="dora.old-address@uni.example", full_name="Dora D.", matriculation_number="5812", password=None
    )
    imported.set_unusable_password()
    imported.save()
    page = new_page()
    oidc_log_in(page, "dora")
    assert User.objects.count() == 1
    imported.refresh_from_db()
    assert (imported.email, imported.full_name) == ("dora.dahl@uni.example", "Dora Dahl")
    assert imported.socialaccount_set.get().uid == "dora"


def test_imported_account_whose_invitation_was_used_is_not_linked(new_page):
    claimed = UserFactory(email="dora.dahl@uni.example", full_name="Dora D.", matriculation_number="5812")
    page = new_page()
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Log in with Uni Example (OIDC)").click()
    oidc_idp_login(page, "dora")
    expect(page.get_by_role("status")).to_contain_text("Log in to it with its password")
    assert not SocialAccount.objects.exists()
    assert User.objects.get() == claimed


def test_logout_ends_the_sso_session_in_the_portal(new_page):
    page = new_page()
    saml_log_in(page, "bert")
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    page.goto("/account/profile/")
    expect(page.get_by_role("heading", name="Sign In")).to_be_visible()


def test_single_logout_from_the_idp_ends_the_portal_session(
    new_page,
    saml_idp,  # noqa: F811 - the fixture imported above
    live_server,
):
    """IdP-initiated single logout: SimpleSAMLphp sends the browser to the portal's SLS with a
    LogoutRequest, the portal ends the session and answers, the IdP sends the browser back (to the
    profile page, which now asks to log in)."""
    page = new_page()
    saml_log_in(page, "anna")
    page.get_by_role("link", name="Profile").click()
    expect(page.get_by_text("You log in as anna.schmidt@uni.example.")).to_be_visible()
    page.goto(f"{saml_idp.base_url}saml2/idp/initSLO.php?RelayState={live_server.url}/account/profile/")
    expect(page.get_by_role("heading", name="Sign In")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/account/profile/$"))


def test_sso_only_instructor_sets_up_mandatory_mfa_after_a_mail_code(new_page, settings, mailoutbox):
    """An instructor invited by mail (the account unclaimed) logs in by SSO only, has no password, and is
    asked for MFA: allauth confirms access with a code by mail before the authenticator app is added."""
    settings.MFA_REQUIRED_FOR_STAFF = True
    seminar = SeminarFactory(title="Kernels and nets")
    invited = instructor_of(seminar, user__email="carla.conrad@uni.example", user__password=None)
    invited.set_unusable_password()
    invited.save()
    page = new_page()
    oidc_log_in(page, "carla")
    expect(page.get_by_role("status")).to_contain_text("set up two-factor authentication to continue")
    page.get_by_role("link", name="Activate").first.click()
    expect(page.get_by_role("heading", name="Confirm Access")).to_be_visible()
    page.get_by_role("button", name="Request Code").click()
    code = re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", mailoutbox[-1].body, re.M).group(1)
    page.get_by_label(re.compile("Code", re.I)).fill(code)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Activate Authenticator App")).to_be_visible()
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label(re.compile(r"^Authenticator code")).fill(fresh_code(secret))
    page.get_by_role("button", name="Activate").click()
    expect(page.get_by_role("heading", name="Recovery Codes")).to_be_visible()
    page.goto(f"/seminars/{seminar.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kernels and nets")
    assert invited.socialaccount_set.get().uid == "carla"


def test_with_local_accounts_off_the_login_page_offers_only_the_university_login(new_page, settings):
    settings.SSO_LOCAL_ACCOUNTS = "off"
    page = new_page()
    page.goto("/accounts/login/")
    expect(page.get_by_text("Log in with your university account.")).to_be_visible()
    expect(page.get_by_label(re.compile(r"^Password:?$"))).to_have_count(0)

    oidc_log_in(page, "carla")
    assert User.objects.get(email="carla.conrad@uni.example").socialaccount_set.count() == 1
