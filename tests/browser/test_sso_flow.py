"""Single sign-on in the browser against the real IdPs on loopback (tests/idp/): oidc-provider and
SimpleSAMLphp. SP-initiated login, the mapped account, the second login, linking after proof, logout."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
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
