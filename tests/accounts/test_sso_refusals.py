"""What the portal's SAML SP (allauth's provider, python3-saml in strict mode) and OIDC client refuse.

SAML: each test starts a real SP-initiated login (the portal's AuthnRequest and its stashed state), then
posts a response an IdP holding `idp` (the key pair the portal trusts) could have built, with exactly one
thing wrong. The first test posts one with nothing wrong and is logged in, so each refusal below is the
refusal of that one thing."""

import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from cryptography.hazmat.primitives.asymmetric import rsa
from django.urls import reverse

from accounts import oidc_provider, sso
from accounts.models import User
from tests.accounts import fake_oidc as fake_oidc_module
from tests.accounts import saml_forge as forge
from tests.accounts.fake_oidc import FakeOidc
from tests.factories import PASSWORD, SeminarFactory, UserFactory, instructor_of

pytestmark = pytest.mark.django_db

HOST = "portal.uni.example"
BASE = f"http://{HOST}/accounts/saml/university/"
SP_ENTITY_ID = BASE + "metadata/"
ACS = BASE + "acs/"


@pytest.fixture(scope="module")
def idp(tmp_path_factory):
    return forge.key_pair(tmp_path_factory.mktemp("saml-idp"), "idp")


@pytest.fixture(scope="module")
def intruder(tmp_path_factory):
    return forge.key_pair(tmp_path_factory.mktemp("saml-intruder"), "intruder")


@pytest.fixture
def sp(settings, idp):
    settings.ALLOWED_HOSTS = [HOST]
    settings.SOCIALACCOUNT_PROVIDERS = sso.socialaccount_providers(
        oidc_issuer="",
        oidc_client_id="",
        oidc_client_secret="",
        oidc_name="",
        oidc_id="",
        saml_slug="university",
        saml_name="Uni Example",
        saml_idp={
            "entity_id": forge.IDP_ENTITY_ID,
            "x509cert": idp.cert_body,
            "sso_url": "https://idp.uni.example/sso",
        },
    )
    return settings


def start_login(client) -> str:
    """The portal's AuthnRequest ID, from the redirect to the IdP (the state is stashed in the session)."""
    response = client.post(reverse("saml_login", args=["university"]), HTTP_HOST=HOST)
    assert response.status_code == 302
    assert response.url.startswith("https://idp.uni.example/sso?SAMLRequest=")
    return forge.request_id_of(response.url)


def post_to_acs(client, saml_response: str):
    """The browser's POST to the ACS and the redirect allauth answers it with (to read it in the session)."""
    first = client.post(
        reverse("saml_acs", args=["university"]), {"SAMLResponse": saml_response}, HTTP_HOST=HOST
    )
    assert first.status_code == 302
    return client.get(first.url, HTTP_HOST=HOST)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def assert_refused(client, answer, caplog=None, reason: str = ""):
    """No one logged in, no account made, and allauth's error page with python3-saml's reason in the log
    (or 403 when no login of the portal's is waiting for this answer)."""
    if reason:
        assert reason in caplog.text
    assert not logged_in(client)
    assert not User.objects.exists()
    assert answer.status_code in (401, 403)
    if answer.status_code == 401:
        assert "Third-Party Login Failure" in answer.content.decode()


def good_assertion(request_id: str, **changes) -> forge.Assertion:
    return forge.Assertion(**{"request_id": request_id, "acs_url": ACS, "audience": SP_ENTITY_ID, **changes})


def test_a_correctly_signed_assertion_logs_in(client, sp, idp):
    request_id = start_login(client)
    assertion = forge.signed(good_assertion(request_id).xml(), idp)
    answer = post_to_acs(client, forge.response([assertion], request_id=request_id, destination=ACS))
    assert answer.status_code == 302
    assert logged_in(client)
    user = User.objects.get()
    assert (user.email, user.matriculation_number) == ("erik.eder@uni.example", "6001")


def test_an_unsigned_assertion_is_refused(client, caplog, sp):
    request_id = start_login(client)
    unsigned = good_assertion(request_id).xml()
    answer = post_to_acs(client, forge.response([unsigned], request_id=request_id, destination=ACS))
    assert_refused(client, answer, caplog, "is not signed and the SP require")


def test_an_assertion_signed_with_another_key_is_refused(client, caplog, sp, intruder):
    request_id = start_login(client)
    assertion = forge.signed(good_assertion(request_id).xml(), intruder)
    answer = post_to_acs(client, forge.response([assertion], request_id=request_id, destination=ACS))
    assert_refused(client, answer, caplog, "Signature validation failed")


def test_an_assertion_changed_after_signing_is_refused(client, caplog, sp, idp):
    request_id = start_login(client)
    assertion = forge.signed(good_assertion(request_id).xml(), idp).replace("erik.eder@", "mallory@")
    answer = post_to_acs(client, forge.response([assertion], request_id=request_id, destination=ACS))
    assert_refused(client, answer, caplog, "Signature validation failed")


def test_an_expired_assertion_is_refused(client, caplog, sp, idp):
    request_id = start_login(client)
    stale = good_assertion(request_id, issued=forge.datetime.now(forge.UTC) - forge.timedelta(hours=1))
    assertion = forge.signed(stale.xml(), idp)
    answer = post_to_acs(client, forge.response([assertion], request_id=request_id, destination=ACS))
    assert_refused(client, answer, caplog, "Could not validate timestamp: expired")


def test_a_replayed_assertion_is_refused(client, sp, idp, django_user_model):
    request_id = start_login(client)
    saml_response = forge.response(
        [forge.signed(good_assertion(request_id).xml(), idp)], request_id=request_id, destination=ACS
    )
    post_to_acs(client, saml_response)
    assert logged_in(client)
    client.post(reverse("account_logout"), HTTP_HOST=HOST)
    django_user_model.objects.all().delete()

    start_login(client)  # a login of its own is under way; the old response answers another request
    assert_refused(client, post_to_acs(client, saml_response))


def test_an_assertion_for_another_audience_is_refused(client, caplog, sp, idp):
    request_id = start_login(client)
    assertion = forge.signed(
        good_assertion(request_id, audience="https://other-sp.example/shibboleth").xml(), idp
    )
    answer = post_to_acs(client, forge.response([assertion], request_id=request_id, destination=ACS))
    assert_refused(client, answer, caplog, "is not a valid audience")


def test_an_assertion_for_another_recipient_is_refused(client, caplog, sp, idp):
    request_id = start_login(client)
    assertion = forge.signed(good_assertion(request_id, recipient="https://other-sp.example/acs").xml(), idp)
    answer = post_to_acs(client, forge.response([assertion], request_id=request_id, destination=ACS))
    assert_refused(client, answer, caplog, "A valid SubjectConfirmation was not found")


def test_an_assertion_issued_to_another_sp_is_refused(client, caplog, sp, idp):
    """A genuine assertion the IdP issued to another SP (its audience, its ACS), posted to the portal."""
    request_id = start_login(client)
    other = forge.Assertion(
        request_id=request_id,
        acs_url="https://other-sp.example/acs",
        audience="https://other-sp.example/shibboleth",
    )
    saml_response = forge.response(
        [forge.signed(other.xml(), idp)], request_id=request_id, destination="https://other-sp.example/acs"
    )
    assert_refused(
        client, post_to_acs(client, saml_response), caplog, "instead of https://other-sp.example/acs"
    )


def test_signature_wrapping_a_second_unsigned_assertion_is_refused(client, caplog, sp, idp):
    """XML signature wrapping: the signed assertion stays (its signature checks), and an unsigned one about
    someone else sits beside it, hoping the SP reads that one."""
    request_id = start_login(client)
    genuine = forge.signed(good_assertion(request_id).xml(), idp)
    evil = good_assertion(
        request_id, uid="root", attributes={sso.EPPN: "root@uni.example", sso.MAIL: "root@uni.example"}
    )
    for assertions in ([evil.xml(), genuine], [genuine, evil.xml()]):
        saml_response = forge.response(assertions, request_id=request_id, destination=ACS)
        assert_refused(client, post_to_acs(client, saml_response), caplog, "must contain 1 assertion")


def test_an_unsolicited_assertion_is_refused(client, sp, idp):
    """IdP-initiated SSO (no AuthnRequest of the portal's) is refused: nothing to bind it to a browser."""
    assertion = forge.signed(good_assertion("_never-asked").xml(), idp)
    saml_response = forge.response([assertion], request_id="_never-asked", destination=ACS)
    assert_refused(client, post_to_acs(client, saml_response))


def test_a_response_with_a_sha1_signature_is_refused(client, caplog, sp, idp):
    request_id = start_login(client)
    result = forge.OneLogin_Saml2_Utils.add_sign(
        good_assertion(request_id).xml(),
        idp.key,
        idp.cert,
        sign_algorithm=forge.OneLogin_Saml2_Constants.RSA_SHA1,
        digest_algorithm=forge.OneLogin_Saml2_Constants.SHA1,
    )
    assertion = result.decode() if isinstance(result, bytes) else result
    assert re.search("rsa-sha1", assertion)
    answer = post_to_acs(client, forge.response([assertion], request_id=request_id, destination=ACS))
    assert_refused(client, answer, caplog, "Deprecated signature algorithm")


# ------------------------------------------------------------------------------------- OpenID Connect


@pytest.fixture
def fake_oidc(settings):
    with FakeOidc() as fake:
        settings.SOCIALACCOUNT_PROVIDERS = sso.socialaccount_providers(
            oidc_issuer=fake.issuer,
            oidc_client_id=fake_oidc_module.CLIENT_ID,
            oidc_client_secret="secret",
            oidc_name="Uni Example",
            oidc_id="university",
            saml_slug="",
            saml_name="",
            saml_idp={},
        )
        yield fake


def oidc_round_trip(client, *, state: str | None = None):
    """The login's redirect to the provider, then the provider's redirect back with a code (and the
    login's state, unless a test puts in another)."""
    start = client.post(reverse("openid_connect_login", args=["university"]))
    assert start.status_code == 302
    query = parse_qs(urlsplit(start.url).query)
    assert query["code_challenge_method"] == ["S256"]  # PKCE
    assert len(query["nonce"][0]) >= 32
    requests.get(start.url, timeout=10).raise_for_status()  # the browser at the provider: it notes the nonce
    callback = reverse("openid_connect_callback", args=["university"])
    return client.get(callback, {"code": "the-code", "state": state or query["state"][0]})


def assert_oidc_refused(client, answer):
    assert not logged_in(client)
    assert not User.objects.exists()
    assert answer.status_code == 401
    assert "Third-Party Login Failure" in answer.content.decode()


def test_oidc_a_correct_id_token_logs_in(client, fake_oidc):
    fake_oidc.id_token = fake_oidc.sign(fake_oidc.claims())
    answer = oidc_round_trip(client)
    assert answer.status_code == 302
    assert logged_in(client)
    assert User.objects.get().email == "fiona.fink@uni.example"


@pytest.mark.parametrize(("mode", "linked"), [("on", False), ("staff", True), ("off", True)])
def test_oidc_links_an_existing_account_silently_only_where_its_owner_cannot_log_in_otherwise(
    client, fake_oidc, settings, mode, linked
):
    """With local accounts on, the owner proves the account with its password first; with them off (or
    staff only, for a student) no password or reset can prove anything, so the IdP's word links it."""
    settings.SSO_LOCAL_ACCOUNTS = mode
    existing = UserFactory(email="fiona.fink@uni.example")
    fake_oidc.id_token = fake_oidc.sign(fake_oidc.claims())

    oidc_round_trip(client)

    assert logged_in(client) is linked
    assert User.objects.count() == 1
    assert SocialAccount.objects.filter(user=existing).exists() is linked


def test_oidc_an_id_token_from_another_issuer_is_refused(client, fake_oidc):
    fake_oidc.id_token = fake_oidc.sign(fake_oidc.claims(iss="https://evil.example"))
    assert_oidc_refused(client, oidc_round_trip(client))


def test_oidc_an_id_token_for_another_client_is_refused(client, fake_oidc):
    fake_oidc.id_token = fake_oidc.sign(fake_oidc.claims(aud="another-client"))
    assert_oidc_refused(client, oidc_round_trip(client))


def test_oidc_an_expired_id_token_is_refused(client, fake_oidc):
    fake_oidc.id_token = fake_oidc.sign(
        fake_oidc.claims(exp=int(time.time()) - 600, iat=int(time.time()) - 900)
    )
    assert_oidc_refused(client, oidc_round_trip(client))


def test_oidc_a_mismatched_state_is_refused(client, fake_oidc):
    fake_oidc.id_token = fake_oidc.sign(fake_oidc.claims())
    assert_oidc_refused(client, oidc_round_trip(client, state="not-the-state-of-this-login"))


def test_oidc_an_unsigned_alg_none_id_token_is_refused(client, fake_oidc):
    """allauth 65 skips the signature of a token it fetched itself (OIDC Core 3.1.3.7 allows it over
    TLS); the portal's adapter (accounts/oidc_provider.py) always checks it. The token names the
    provider's key (kid), so jwtkit would find a key and decode with the header's "none"."""
    fake_oidc.id_token = fake_oidc.sign(fake_oidc.claims(), algorithm="none")
    assert_oidc_refused(client, oidc_round_trip(client))


def test_oidc_an_hs256_id_token_keyed_with_the_public_key_is_refused(client, fake_oidc):
    """Algorithm confusion: an HMAC keyed with the provider's public key, which anyone can compute."""
    fake_oidc.id_token = fake_oidc.sign(fake_oidc.claims(), algorithm="HS256")
    assert_oidc_refused(client, oidc_round_trip(client))


def test_oidc_an_id_token_signed_by_another_key_is_refused(client, fake_oidc):
    intruder = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    fake_oidc.id_token = fake_oidc.sign(fake_oidc.claims(), key=intruder)
    assert_oidc_refused(client, oidc_round_trip(client))


def test_oidc_an_id_token_naming_no_key_is_refused(client, fake_oidc):
    fake_oidc.id_token = fake_oidc.sign(fake_oidc.claims(), kid=None)
    assert_oidc_refused(client, oidc_round_trip(client))


@pytest.mark.parametrize(
    ("announced", "accepted"),
    [
        (None, {"RS256"}),
        (["RS256", "none", "HS256", "HS512"], {"RS256"}),
        (["ES256", "PS256", "RS512"], {"ES256", "PS256", "RS512"}),
        (["none"], set()),
    ],
)
def test_oidc_accepts_only_the_asymmetric_algorithms_the_provider_announces(announced, accepted):
    config = {} if announced is None else {"id_token_signing_alg_values_supported": announced}
    assert oidc_provider.signing_algorithms(config) == accepted


def test_oidc_an_id_token_in_an_algorithm_the_provider_does_not_announce_is_refused(client, fake_oidc):
    """RS384 with the provider's RSA key, but discovery announces nothing, so RS256 only."""
    fake_oidc.id_token = fake_oidc.sign(fake_oidc.claims(), algorithm="RS384")
    assert_oidc_refused(client, oidc_round_trip(client))


def test_oidc_an_id_token_in_another_algorithm_than_its_key_declares_is_refused(client, fake_oidc):
    """The provider announces RS384 too, but the key (kid k1) is declared for RS256 only."""
    fake_oidc.discovery = {"id_token_signing_alg_values_supported": ["RS256", "RS384"]}
    fake_oidc.id_token = fake_oidc.sign(fake_oidc.claims(), algorithm="RS384")
    assert_oidc_refused(client, oidc_round_trip(client))


def test_oidc_an_id_token_in_an_announced_algorithm_of_its_key_logs_in(client, fake_oidc):
    fake_oidc.discovery = {"id_token_signing_alg_values_supported": ["RS256", "RS384"]}
    fake_oidc.id_token = fake_oidc.sign(fake_oidc.claims())
    oidc_round_trip(client)
    assert logged_in(client)


def test_oidc_an_id_token_with_a_wrong_nonce_is_refused(client, fake_oidc):
    """The login sends a fresh nonce (allauth sends none); the id_token must carry it back."""
    fake_oidc.id_token = fake_oidc.sign(fake_oidc.claims(nonce="a-nonce-this-login-never-sent"))
    assert_oidc_refused(client, oidc_round_trip(client))


def test_oidc_an_id_token_without_a_nonce_is_refused(client, fake_oidc):
    fake_oidc.id_token = fake_oidc.sign(fake_oidc.claims(nonce=None))
    assert_oidc_refused(client, oidc_round_trip(client))


def test_oidc_an_id_token_with_the_nonce_of_an_earlier_login_is_refused(client, fake_oidc):
    """Each login has a nonce of its own: a token replayed from an earlier login's nonce does not fit."""
    oidc_round_trip(client)  # fails (no token yet) but leaves the fake with that login's nonce
    earlier = fake_oidc.nonce
    fake_oidc.id_token = fake_oidc.sign(fake_oidc.claims(nonce=earlier))
    assert_oidc_refused(client, oidc_round_trip(client))
    assert fake_oidc.nonce != earlier


def test_oidc_userinfo_about_another_person_than_the_id_token_is_refused(client, fake_oidc):
    """OIDC Core 5.3.2: the userinfo's sub must be the id_token's; the portal takes name and e-mail from
    the userinfo, so a mismatch would make an account for somebody else's address."""
    fake_oidc.id_token = fake_oidc.sign(fake_oidc.claims(sub="fiona"))
    fake_oidc.userinfo = {**fake_oidc.userinfo, "sub": "mallory", "email": "mallory@uni.example"}
    assert_oidc_refused(client, oidc_round_trip(client))


def test_oidc_an_id_token_without_a_sub_is_refused(client, fake_oidc):
    claims = {key: value for key, value in fake_oidc.claims().items() if key != "sub"}
    fake_oidc.id_token = fake_oidc.sign(claims)
    fake_oidc.userinfo = {key: value for key, value in fake_oidc.userinfo.items() if key != "sub"}
    assert_oidc_refused(client, oidc_round_trip(client))


def test_oidc_userinfo_without_a_sub_is_refused(client, fake_oidc):
    fake_oidc.id_token = fake_oidc.sign(fake_oidc.claims(sub="fiona"))
    fake_oidc.userinfo = {key: value for key, value in fake_oidc.userinfo.items() if key != "sub"}
    assert_oidc_refused(client, oidc_round_trip(client))


def test_oidc_a_token_response_without_an_id_token_is_refused(client, fake_oidc):
    fake_oidc.id_token = ""
    assert_oidc_refused(client, oidc_round_trip(client))


# ------------------------------------------------------------------------------ SSO that counts as MFA


def test_oidc_login_with_an_mfa_acr_counts_as_mfa_for_mandatory_mfa(client, fake_oidc, settings):
    settings.MFA_REQUIRED_FOR_STAFF = True
    settings.SSO_MFA_CONTEXTS = ["https://refeds.org/profile/mfa"]
    seminar = SeminarFactory()
    instructor = instructor_of(seminar, user__email="fiona.fink@uni.example")
    SocialAccount.objects.create(user=instructor, provider="university", uid="fiona")
    fake_oidc.id_token = fake_oidc.sign(fake_oidc.claims(acr="https://refeds.org/profile/mfa"))
    oidc_round_trip(client)
    assert logged_in(client)
    assert client.get(reverse("seminars:detail", args=[seminar.slug])).status_code == 200


def test_oidc_login_with_a_password_acr_does_not_count_as_mfa(client, fake_oidc, settings):
    settings.MFA_REQUIRED_FOR_STAFF = True
    settings.SSO_MFA_CONTEXTS = ["https://refeds.org/profile/mfa"]
    seminar = SeminarFactory()
    instructor = instructor_of(seminar, user__email="fiona.fink@uni.example")
    SocialAccount.objects.create(user=instructor, provider="university", uid="fiona")
    password_only = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
    fake_oidc.id_token = fake_oidc.sign(fake_oidc.claims(acr=password_only))
    oidc_round_trip(client)
    assert logged_in(client)
    response = client.get(reverse("seminars:detail", args=[seminar.slug]))
    assert (response.status_code, response.url) == (302, reverse("mfa_index"))


@pytest.mark.parametrize(
    ("authn_context", "counts"),
    [
        ("https://refeds.org/profile/mfa", True),
        ("urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport", False),
    ],
)
def test_saml_login_counts_as_mfa_by_its_authn_context(client, sp, idp, settings, authn_context, counts):
    settings.MFA_REQUIRED_FOR_STAFF = True
    settings.SSO_MFA_CONTEXTS = ["https://refeds.org/profile/mfa"]
    seminar = SeminarFactory()
    instructor = instructor_of(seminar, user__email="erik.eder@uni.example")
    SocialAccount.objects.create(user=instructor, provider=forge.IDP_ENTITY_ID, uid="erik@uni.example")
    request_id = start_login(client)
    assertion = forge.signed(good_assertion(request_id, authn_context=authn_context).xml(), idp)
    post_to_acs(client, forge.response([assertion], request_id=request_id, destination=ACS))
    assert logged_in(client)
    assert SocialAccount.objects.get().extra_data["_authn_context_class_refs"] == [authn_context]
    response = client.get(reverse("seminars:detail", args=[seminar.slug]), HTTP_HOST=HOST)
    assert response.status_code == (200 if counts else 302)


def test_a_refused_sso_login_with_an_mfa_acr_does_not_count_for_a_later_password_login(
    client, fake_oidc, settings
):
    """The MFA of an SSO login counts only once that login succeeded: a refused one (its e-mail belongs
    to a local account) followed by a password login in the same browser is a password login."""
    settings.MFA_REQUIRED_FOR_STAFF = True
    settings.SSO_MFA_CONTEXTS = ["https://refeds.org/profile/mfa"]
    seminar = SeminarFactory()
    instructor = instructor_of(seminar, user__email="fiona.fink@uni.example")
    fake_oidc.id_token = fake_oidc.sign(fake_oidc.claims(acr="https://refeds.org/profile/mfa"))
    answer = oidc_round_trip(client)
    assert (answer.status_code, answer.url) == (302, reverse("account_login"))
    assert not logged_in(client)
    client.post(reverse("account_login"), {"login": instructor.email, "password": PASSWORD})
    assert logged_in(client)
    response = client.get(reverse("seminars:detail", args=[seminar.slug]))
    assert (response.status_code, response.url) == (302, reverse("mfa_index"))
