"""The settings around SSO through the portal's pages: local accounts on / staff only / off, the "Log in
with" buttons, the SP metadata an IdP's administrator reads, and mandatory MFA for staff."""

import subprocess

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse

from accounts import sso
from accounts.middleware import SSO_MFA_SESSION_KEY
from tests.accounts.allauth_flows import is_logged_in, link_in, log_in, sign_up
from tests.factories import PASSWORD, SeminarFactory, UserFactory, instructor_of, student_of, supervisor_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def saml_configured(settings, tmp_path):
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=idp",
         "-keyout", str(tmp_path / "k"), "-out", str(tmp_path / "c")],
        check=True, capture_output=True,
    )  # fmt: skip
    cert = "".join(line for line in (tmp_path / "c").read_text().splitlines() if "CERTIFICATE" not in line)
    settings.SOCIALACCOUNT_PROVIDERS = sso.socialaccount_providers(
        oidc_issuer="https://login.uni.example",
        oidc_client_id="portal",
        oidc_client_secret="secret",
        oidc_name="Uni Example (OIDC)",
        oidc_id="university",
        saml_slug="university",
        saml_name="Uni Example",
        saml_idp={
            "entity_id": "https://idp.uni.example/idp",
            "x509cert": cert,
            "sso_url": "https://idp.uni.example/sso",
        },
    )
    return settings


def test_login_page_offers_a_button_per_idp(client, saml_configured):
    page = client.get(reverse("account_login")).content.decode()
    assert "Log in with Uni Example</button>" in page
    assert "Log in with Uni Example (OIDC)</button>" in page
    assert 'name="password"' in page


def test_login_page_without_idps_offers_none(client):
    page = client.get(reverse("account_login")).content.decode()
    assert "Log in with" not in page
    assert 'name="password"' in page


def test_login_page_with_local_accounts_off_offers_only_the_idps(client, saml_configured):
    saml_configured.SSO_LOCAL_ACCOUNTS = "off"
    page = client.get(reverse("account_login")).content.decode()
    assert "Log in with your university account." in page
    assert "Log in with Uni Example</button>" in page
    assert 'name="password"' not in page
    assert 'name="login"' not in page
    assert "sign up" not in page


def test_login_page_with_local_accounts_off_and_no_idp_says_that_nobody_can_log_in(client, settings):
    settings.SSO_LOCAL_ACCOUNTS = "off"
    page = client.get(reverse("account_login")).content.decode()
    assert "No way to log in is set up" in page
    assert 'name="password"' not in page


def test_login_page_for_staff_only_password_login_keeps_the_form_without_sign_up(client, saml_configured):
    saml_configured.SSO_LOCAL_ACCOUNTS = "staff"
    page = client.get(reverse("account_login")).content.decode()
    assert 'name="password"' in page
    assert "Log in with Uni Example</button>" in page
    assert "sign up" not in page


def reset_and_set_a_password(client, mailoutbox, capture, email):
    """Forgot the password: the reset mail's link, then a new password (allauth signs in after it while
    ACCOUNT_LOGIN_ON_PASSWORD_RESET is on)."""
    with capture(execute=True):
        client.post(reverse("account_reset_password"), {"email": email})
    set_password_url = client.get(link_in(mailoutbox[-1]), follow=True).redirect_chain[-1][0]
    return client.post(
        set_password_url,
        {"password1": "a-brand-new-passphrase", "password2": "a-brand-new-passphrase"},
        follow=True,
    )


@pytest.mark.parametrize(
    ("mode", "is_staff", "logged_in"),
    [("on", False, True), ("staff", False, False), ("staff", True, True), ("off", True, False)],
)
def test_a_password_reset_signs_in_only_whom_local_accounts_allow(
    client, settings, mailoutbox, django_capture_on_commit_callbacks, mode, is_staff, logged_in
):
    """The reset's own login (allauth's, not through `authenticate`) is refused as the password form is."""
    settings.SSO_LOCAL_ACCOUNTS = mode
    user = UserFactory(is_staff=is_staff)

    page = reset_and_set_a_password(client, mailoutbox, django_capture_on_commit_callbacks, user.email)

    assert is_logged_in(client) is logged_in
    if not logged_in:
        assert "Log in with your university account" in page.content.decode()


def test_login_page_in_german_names_the_idp(client, saml_configured):
    client.cookies["django_language"] = "de"
    page = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Anmelden mit Uni Example</button>" in page


def test_sp_metadata_names_the_acs_and_wants_signed_assertions(client, saml_configured):
    saml_configured.ALLOWED_HOSTS = ["portal.uni.example"]
    response = client.get(reverse("saml_metadata", args=["university"]), HTTP_HOST="portal.uni.example")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml"
    xml = response.content.decode()
    assert 'entityID="http://portal.uni.example/accounts/saml/university/metadata/"' in xml
    assert 'Location="http://portal.uni.example/accounts/saml/university/acs/"' in xml
    assert 'WantAssertionsSigned="true"' in xml
    assert "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" in xml


def test_sp_metadata_of_an_unknown_organisation_is_404(client, saml_configured):
    assert client.get(reverse("saml_metadata", args=["elsewhere"])).status_code == 404


def test_local_accounts_staff_closes_sign_up(client, settings):
    settings.SSO_LOCAL_ACCOUNTS = "staff"
    response = sign_up(client, email="new@uni.example")
    assert response.status_code == 200
    assert "Sign Up Closed" in response.content.decode()


@pytest.mark.parametrize(
    ("mode", "is_staff", "logged_in"),
    [
        ("on", False, True),
        ("staff", False, False),
        ("staff", True, True),
        ("off", True, False),
        ("off", False, False),
    ],
)
def test_local_accounts_setting_decides_password_login(client, settings, mode, is_staff, logged_in):
    settings.SSO_LOCAL_ACCOUNTS = mode
    user = UserFactory(is_staff=is_staff)
    response = log_in(client, email=user.email, password=PASSWORD)
    assert is_logged_in(client) is logged_in
    if not logged_in:
        refusal = {
            "staff": "Log in with your university account; password login is reserved for site staff.",
            "off": "Log in with your university account; this portal takes no passwords.",
        }[mode]
        assert refusal in response.content.decode()


def test_local_accounts_staff_still_refuses_a_wrong_password_as_before(client, settings):
    settings.SSO_LOCAL_ACCOUNTS = "staff"
    user = UserFactory()
    response = log_in(client, email=user.email, password="wrong-password")
    assert not is_logged_in(client)
    assert "not correct" in response.content.decode()


@pytest.fixture
def mfa_required(settings):
    settings.MFA_REQUIRED_FOR_STAFF = True
    return settings


@pytest.mark.parametrize("person", [instructor_of, supervisor_of])
def test_mandatory_mfa_sends_seminar_staff_to_the_mfa_page(client, mfa_required, person):
    seminar = SeminarFactory()
    client.force_login(person(seminar))
    response = client.get(reverse("seminars:detail", args=[seminar.slug]))
    assert (response.status_code, response.url) == (302, reverse("mfa_index"))
    assert client.get(reverse("mfa_index")).status_code == 200


def test_mandatory_mfa_sends_site_staff_away_from_the_admin(client, mfa_required):
    client.force_login(UserFactory(is_staff=True))
    response = client.get(reverse("admin:index"))
    assert (response.status_code, response.url) == (302, reverse("mfa_index"))


def test_mandatory_mfa_still_serves_the_branding_stylesheet_and_says_it_once(client, mfa_required):
    client.force_login(instructor_of(SeminarFactory()))
    stylesheet = client.get(reverse("branding_css"))
    assert stylesheet.status_code == 200
    assert stylesheet["Content-Type"].startswith("text/css")

    client.get(reverse("seminars:list"))
    page = client.get(reverse("mfa_index")).content.decode()

    assert page.count("set up two-factor authentication to continue") == 1


def test_mandatory_mfa_lets_staff_log_out_and_switch_language(client, mfa_required):
    client.force_login(instructor_of(SeminarFactory()))
    assert client.post(reverse("set_language"), {"language": "de", "next": "/"}).status_code == 302
    assert client.post(reverse("account_logout")).url != reverse("mfa_index")
    assert not is_logged_in(client)


def test_mandatory_mfa_leaves_students_alone(client, mfa_required):
    seminar = SeminarFactory()
    client.force_login(student_of(seminar))
    assert client.get(reverse("seminars:detail", args=[seminar.slug])).status_code == 200


def test_mandatory_mfa_is_off_by_default(client):
    seminar = SeminarFactory()
    client.force_login(instructor_of(seminar))
    assert client.get(reverse("seminars:detail", args=[seminar.slug])).status_code == 200


def test_mandatory_mfa_counts_a_multi_factor_sso_login(client, mfa_required):
    seminar = SeminarFactory()
    client.force_login(instructor_of(seminar))
    session = client.session
    session[SSO_MFA_SESSION_KEY] = True
    session.save()
    assert client.get(reverse("seminars:detail", args=[seminar.slug])).status_code == 200


def test_mandatory_mfa_is_done_with_a_totp(client, mfa_required):
    seminar = SeminarFactory()
    instructor = instructor_of(seminar)
    TOTP.activate(instructor, "JBSWY3DPEHPK3PXP")
    client.force_login(instructor)
    assert client.get(reverse("seminars:detail", args=[seminar.slug])).status_code == 200


def test_profile_lists_linked_university_accounts_and_mfa_devices(client, saml_configured):
    user = UserFactory()
    SocialAccount.objects.create(user=user, provider="university", uid="ulla@uni.example")
    TOTP.activate(user, "JBSWY3DPEHPK3PXP")
    RecoveryCodes.activate(user)
    client.force_login(user)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "Linked to Uni Example (OIDC) as ulla@uni.example" in page
    assert "Authenticator app (TOTP)" in page
    assert "Recovery codes" in page
    assert reverse("mfa_index") in page
    assert reverse("socialaccount_connections") in page


def test_profile_without_sso_or_mfa_says_so_in_german(client):
    client.force_login(UserFactory(language="de"))
    page = client.get(reverse("accounts:profile"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Noch kein Hochschulkonto verknüpft." in page
    assert "Die Zwei-Faktor-Authentifizierung ist nicht eingerichtet." in page


def test_settings_read_the_idps_from_the_environment(tmp_path):
    """SSO_OIDC_*, SSO_SAML_IDP_METADATA_FILE (an IdP's metadata) and SSO_MORE_IDPS_FILE (a partner)
    become allauth's apps, and the IdPs' origins the CSP's form-action."""
    import json
    import os
    import sys

    from tests.accounts.test_sso_mapping import federation_metadata

    cert, xml = federation_metadata(tmp_path)
    (tmp_path / "idp.xml").write_text(xml)
    partner = {"metadata_url": "https://fed.example/md.xml", "entity_id": "https://idp.partner.example/idp"}
    (tmp_path / "more.json").write_text(
        json.dumps([{"protocol": "saml", "slug": "partner", "name": "Partner University", "idp": partner}])
    )
    env = {
        **os.environ,
        "PORTAL_VAR_DIR": str(tmp_path / "var"),
        "SSO_OIDC_ISSUER": "https://login.uni.example",
        "SSO_OIDC_CLIENT_ID": "portal",
        "SSO_OIDC_CLIENT_SECRET": "secret",
        "SSO_SAML_IDP_METADATA_FILE": str(tmp_path / "idp.xml"),
        "SSO_SAML_IDP_ENTITY_ID": "https://idp.uni.example/idp",
        "SSO_MORE_IDPS_FILE": str(tmp_path / "more.json"),
    }
    program = (
        "import json; from django.conf import settings; p = settings.SOCIALACCOUNT_PROVIDERS; "
        "print(json.dumps("
        "[[a['client_id'] for a in p['saml']['APPS']], p['saml']['APPS'][0]['settings']['idp'], "
        "[a['provider_id'] for a in p['openid_connect']['APPS']], "
        "settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action'][1:]]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {program}"],
        env={**env, "DJANGO_SETTINGS_MODULE": "seminar_portal.settings.test"},
        capture_output=True,
        text=True,
        check=True,
    )
    slugs, idp, oidc_ids, form_action = json.loads(result.stdout.strip().splitlines()[-1])
    assert slugs == ["university", "partner"]
    assert idp["entity_id"] == "https://idp.uni.example/idp"
    assert idp["sso_url"] == "https://idp.uni.example/sso"
    assert idp["x509cert"] == cert
    assert oidc_ids == ["university"]
    assert form_action == ["https://login.uni.example", "https://idp.uni.example", "https://fed.example"]
