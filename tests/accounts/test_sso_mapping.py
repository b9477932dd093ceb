"""accounts/sso.py, the pure part of single sign-on: attributes and claims to the portal's terms, the
providers built from the environment, the origins the CSP must allow, MFA by AuthnContext / acr."""

import subprocess

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accounts import sso

ANNA = {
    sso.EPPN: ["anna@uni.example"],
    sso.MAIL: ["Anna.Schmidt@Uni.Example"],
    sso.GIVEN_NAME: ["Anna"],
    sso.SURNAME: ["Schmidt"],
    sso.SCHAC_PERSONAL_UNIQUE_CODE: ["urn:schac:personalUniqueCode:de:uni.example:Matrikelnummer:4711"],
    sso.AFFILIATION: ["student", "member"],
}


@pytest.mark.parametrize(
    ("value", "number"),
    [
        ("urn:schac:personalUniqueCode:de:uni.example:Matrikelnummer:4711", "4711"),
        ("URN:SCHAC:personalUniqueCode:de:uni.example:Matrikelnummer: 0042 ", "0042"),
        ("123456", "123456"),
        ("  123456 ", "123456"),
        ("", ""),
        (None, ""),
        ("1" * 30, "1" * 20),
    ],
)
def test_matriculation_number_from_schac_code_or_plain_value(value, number):
    assert sso.matriculation_number_from(value) == number


@given(st.text(alphabet="0123456789ABCabc-", min_size=1, max_size=20), st.text(alphabet="abc.-", max_size=15))
def test_matriculation_number_survives_the_schac_wrapping(number, organisation):
    code = f"urn:schac:personalUniqueCode:de:{organisation}:Matrikelnummer:{number}"
    assert sso.matriculation_number_from(code) == number.strip()[:20]


@given(st.text(max_size=40))
def test_matriculation_number_is_never_longer_than_the_field(value):
    assert len(sso.matriculation_number_from(value)) <= 20


def test_identity_from_saml_maps_the_german_attribute_profile():
    identity = sso.identity_from_saml(ANNA, matriculation_attribute=sso.SCHAC_PERSONAL_UNIQUE_CODE)
    assert identity == sso.Identity(
        email="anna.schmidt@uni.example",
        given_name="Anna",
        family_name="Schmidt",
        full_name="Anna Schmidt",
        matriculation_number="4711",
        affiliations=("student", "member"),
    )


def test_identity_from_saml_reads_a_configured_matriculation_attribute_and_display_name():
    attributes = {**ANNA, "urn:oid:1.2.3": ["998877"], sso.DISPLAY_NAME: ["Dr. Anna Schmidt"]}
    identity = sso.identity_from_saml(attributes, matriculation_attribute="urn:oid:1.2.3")
    assert (identity.matriculation_number, identity.full_name) == ("998877", "Dr. Anna Schmidt")


def test_identity_from_saml_without_attributes_is_empty():
    assert (
        sso.identity_from_saml({}, matriculation_attribute=sso.SCHAC_PERSONAL_UNIQUE_CODE) == sso.Identity()
    )


def test_identity_from_saml_scoped_affiliation_loses_its_scope():
    attributes = {sso.SCOPED_AFFILIATION: ["staff@uni.example"]}
    identity = sso.identity_from_saml(attributes, matriculation_attribute=sso.SCHAC_PERSONAL_UNIQUE_CODE)
    assert identity.affiliations == ("staff",)


def test_identity_from_oidc_maps_the_claims():
    claims = {
        "sub": "carla",
        "email": "Carla@Uni.Example",
        "given_name": "Carla",
        "family_name": "Conrad",
        "matriculation_number": 5811,
        "eduperson_affiliation": "student",
    }
    identity = sso.identity_from_oidc(claims, matriculation_claim="matriculation_number")
    assert identity == sso.Identity(
        email="carla@uni.example",
        given_name="Carla",
        family_name="Conrad",
        full_name="Carla Conrad",
        matriculation_number="5811",
        affiliations=("student",),
    )


@pytest.mark.parametrize(
    ("contexts", "wanted", "counts"),
    [
        (["https://refeds.org/profile/mfa"], ["https://refeds.org/profile/mfa"], True),
        (
            ["urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"],
            ["https://refeds.org/profile/mfa"],
            False,
        ),
        (["https://refeds.org/profile/mfa"], [], False),
        ([], ["https://refeds.org/profile/mfa"], False),
        (["a", "b"], [" b "], True),
    ],
)
def test_counts_as_mfa_only_for_a_listed_context(contexts, wanted, counts):
    assert sso.counts_as_mfa(contexts, wanted) is counts


def _providers(**overrides):
    arguments = {
        "oidc_issuer": "https://login.uni.example/realms/uni",
        "oidc_client_id": "portal",
        "oidc_client_secret": "secret",
        "oidc_name": "Uni",
        "oidc_id": "university",
        "saml_slug": "university",
        "saml_name": "Uni",
        "saml_idp": {
            "metadata_url": "https://idp.uni.example/idp/shibboleth",
            "entity_id": "https://idp.uni.example/idp/shibboleth",
        },
    }
    return sso.socialaccount_providers(**{**arguments, **overrides})


def test_providers_oidc_uses_pkce_and_the_issuer():
    app = _providers()["openid_connect"]["APPS"][0]
    assert app["settings"] == {
        "server_url": "https://login.uni.example/realms/uni",
        "oauth_pkce_enabled": True,
    }
    assert (app["provider_id"], app["client_id"], app["secret"]) == ("university", "portal", "secret")


def test_providers_saml_is_strict_and_wants_signed_assertions():
    advanced = _providers()["saml"]["APPS"][0]["settings"]["advanced"]
    assert advanced["strict"]
    assert advanced["want_assertion_signed"]
    assert advanced["reject_deprecated_algorithm"]
    assert advanced["reject_idp_initiated_sso"]
    assert "private_key" not in advanced


def test_providers_saml_signs_requests_when_given_a_key_pair():
    advanced = _providers(saml_sp_cert="CERT", saml_sp_key="KEY")["saml"]["APPS"][0]["settings"]["advanced"]
    assert (advanced["x509cert"], advanced["private_key"], advanced["authn_request_signed"]) == (
        "CERT",
        "KEY",
        True,
    )


def test_providers_without_configuration_are_none():
    assert _providers(oidc_issuer="", saml_idp={}) == {
        "saml": {"provider_class": "accounts.saml_provider.PortalSAMLProvider", "APPS": []},
        "openid_connect": {
            "provider_class": "accounts.oidc_provider.PortalOIDCProvider",
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [],
        },
    }


def test_idp_origins_are_the_issuer_and_the_metadata_host():
    assert sso.idp_origins(_providers()) == ["https://login.uni.example", "https://idp.uni.example"]


@pytest.fixture
def idp_metadata(tmp_path):
    return federation_metadata(tmp_path)


def federation_metadata(tmp_path) -> tuple[str, str]:
    """A federation's metadata file with two IdPs, the second (https://idp.uni.example/idp) with a fresh
    signing certificate: (that certificate, the XML)."""
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=idp",
         "-keyout", str(tmp_path / "k"), "-out", str(tmp_path / "c")],
        check=True, capture_output=True,
    )  # fmt: skip
    cert = "".join(line for line in (tmp_path / "c").read_text().splitlines() if "CERTIFICATE" not in line)
    protocol = "urn:oasis:names:tc:SAML:2.0:protocol"
    redirect = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
    return (
        cert,
        f"""<?xml version="1.0"?>
<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"
  xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
 <md:EntityDescriptor entityID="https://other.example/idp">
 <md:IDPSSODescriptor protocolSupportEnumeration="{protocol}">
  <md:SingleSignOnService Binding="{redirect}" Location="https://other.example/sso"/>
 </md:IDPSSODescriptor></md:EntityDescriptor>
 <md:EntityDescriptor entityID="https://idp.uni.example/idp">
 <md:IDPSSODescriptor protocolSupportEnumeration="{protocol}">
  <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data>
   <ds:X509Certificate>{cert}</ds:X509Certificate>
  </ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
  <md:SingleLogoutService Binding="{redirect}" Location="https://idp.uni.example/slo"/>
  <md:SingleSignOnService Binding="{redirect}" Location="https://idp.uni.example/sso"/>
 </md:IDPSSODescriptor></md:EntityDescriptor>
</md:EntitiesDescriptor>""",
    )


def test_saml_idp_from_a_federation_metadata_file_picks_the_named_idp(idp_metadata):
    cert, xml = idp_metadata
    idp = sso.saml_idp_from_metadata(xml, entity_id="https://idp.uni.example/idp")
    assert idp == {
        "entity_id": "https://idp.uni.example/idp",
        "x509cert": cert,
        "sso_url": "https://idp.uni.example/sso",
        "slo_url": "https://idp.uni.example/slo",
    }


def test_providers_take_more_idps_of_both_protocols():
    partner = {
        "metadata_url": "https://fed.example/metadata.xml",
        "entity_id": "https://idp.partner.example/idp",
    }
    providers = _providers(
        more_idps=[
            {"protocol": "saml", "slug": "partner", "name": "Partner University", "idp": partner},
            {
                "protocol": "oidc",
                "id": "clinic",
                "name": "University Clinic",
                "issuer": "https://login.clinic.example",
                "client_id": "p",
                "secret": "s",
            },
        ]
    )
    assert [app["client_id"] for app in providers["saml"]["APPS"]] == ["university", "partner"]
    assert providers["saml"]["APPS"][1]["settings"]["advanced"]["want_assertion_signed"]
    assert [app["provider_id"] for app in providers["openid_connect"]["APPS"]] == ["university", "clinic"]
    assert sso.idp_origins(providers) == [
        "https://login.uni.example",
        "https://login.clinic.example",
        "https://idp.uni.example",
        "https://fed.example",
    ]


def test_providers_refuse_an_unknown_protocol():
    with pytest.raises(ValueError, match="unknown SSO protocol"):
        _providers(more_idps=[{"protocol": "cas", "name": "x"}])


ATTRIBUTE_NAMES = st.sampled_from(
    [
        sso.EPPN,
        sso.MAIL,
        sso.GIVEN_NAME,
        sso.SURNAME,
        sso.DISPLAY_NAME,
        sso.SCHAC_PERSONAL_UNIQUE_CODE,
        sso.AFFILIATION,
    ]
)


@given(st.dictionaries(ATTRIBUTE_NAMES, st.lists(st.text(max_size=30), max_size=3)))
def test_identity_from_any_saml_attributes_fits_the_user_fields(attributes):
    identity = sso.identity_from_saml(attributes, matriculation_attribute=sso.SCHAC_PERSONAL_UNIQUE_CODE)
    assert len(identity.matriculation_number) <= 20
    assert identity.email == identity.email.strip().lower()
    assert identity.full_name == identity.full_name.strip()
    if identity.given_name or identity.family_name:
        assert identity.full_name


@given(
    st.dictionaries(
        st.sampled_from(
            ["email", "given_name", "family_name", "name", "matriculation_number", "affiliation"]
        ),
        st.one_of(st.none(), st.text(max_size=30), st.integers(), st.lists(st.text(max_size=10), max_size=2)),
    )
)
def test_identity_from_any_oidc_claims_never_fails(claims):
    identity = sso.identity_from_oidc(claims, matriculation_claim="matriculation_number")
    assert len(identity.matriculation_number) <= 20
    assert all(isinstance(value, str) for value in identity.affiliations)
