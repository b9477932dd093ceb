"""Single sign-on, the pure part: which IdPs the environment configures (as django-allauth's
SOCIALACCOUNT_PROVIDERS), what a SAML assertion's attributes or an OpenID Connect provider's claims say
about a person, and whether a login counts as multi-factor. No database, no requests: names in, values out.

The protocols themselves (signatures, audiences, expiry, replay, PKCE) are allauth's and python3-saml's;
accounts/oidc_provider.py has allauth check an id_token's signature and nonce always.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The attributes German universities release (DFN-AAI, "Attribute-Profil"), by their SAML 2.0 names.
EPPN = "urn:oid:1.3.6.1.4.1.5923.1.1.1.6"
SUBJECT_ID = "urn:oasis:names:tc:SAML:attribute:subject-id"
PAIRWISE_ID = "urn:oasis:names:tc:SAML:attribute:pairwise-id"
MAIL = "urn:oid:0.9.2342.19200300.100.1.3"
GIVEN_NAME = "urn:oid:2.5.4.42"
SURNAME = "urn:oid:2.5.4.4"
DISPLAY_NAME = "urn:oid:2.16.840.1.113730.3.1.241"
SCHAC_PERSONAL_UNIQUE_CODE = "urn:oid:1.3.6.1.4.1.25178.1.2.14"
AFFILIATION = "urn:oid:1.3.6.1.4.1.5923.1.1.1.1"
SCOPED_AFFILIATION = "urn:oid:1.3.6.1.4.1.5923.1.1.1.9"

LOCAL_ACCOUNTS_CHOICES = ("on", "staff", "off")
# allauth's SAML provider, also keeping the AuthnContext the IdP reported. Always named, also with no SAML
# IdP configured: allauth picks the class once, when it first builds its URLs.
SAML_PROVIDER_CLASS = "accounts.saml_provider.PortalSAMLProvider"
# allauth's OpenID Connect provider, also verifying every id_token's signature and nonce; likewise
# always named.
OIDC_PROVIDER_CLASS = "accounts.oidc_provider.PortalOIDCProvider"


def saml_attribute_mapping(matriculation_attribute: str) -> dict[str, list[str]]:
    """allauth's attribute mapping (its keys are what the adapter reads): the stable id is the
    subject-id, the pairwise-id or the eduPersonPrincipalName, whichever the IdP releases first."""
    return {
        "uid": [SUBJECT_ID, PAIRWISE_ID, EPPN],
        "email": [MAIL],
        "first_name": [GIVEN_NAME],
        "last_name": [SURNAME],
        "name": [DISPLAY_NAME],
        "matriculation_number": [matriculation_attribute],
    }


@dataclass(frozen=True)
class Identity:
    """What an IdP says about a person, in the portal's terms."""

    email: str = ""
    given_name: str = ""
    family_name: str = ""
    full_name: str = ""
    matriculation_number: str = ""
    affiliations: tuple[str, ...] = field(default_factory=tuple)


def matriculation_number_from(value: str | None) -> str:
    """The matriculation number in a schacPersonalUniqueCode
    ("urn:schac:personalUniqueCode:de:uni-example.de:Matrikelnummer:123456" -> "123456") or in a plain
    attribute or claim ("123456"); "" when there is none. At most 20 characters (the User field)."""
    text = (value or "").strip()
    if text.lower().startswith("urn:schac:personaluniquecode:"):
        text = text.rsplit(":", 1)[-1].strip()
    return text[:20]


def full_name_of(given_name: str, family_name: str, display_name: str = "") -> str:
    return display_name.strip() or " ".join(
        part for part in (given_name.strip(), family_name.strip()) if part
    )


def identity_from_saml(attributes: dict[str, list[str]], *, matriculation_attribute: str) -> Identity:
    """The person an assertion's attributes (name -> values, as python3-saml gives them) describe."""

    def first(name: str) -> str:
        values = attributes.get(name) or []
        return str(values[0]).strip() if values else ""

    given, family = first(GIVEN_NAME), first(SURNAME)
    affiliations = tuple(
        str(value).split("@", 1)[0].strip().lower()
        for value in (attributes.get(AFFILIATION) or attributes.get(SCOPED_AFFILIATION) or [])
    )
    return Identity(
        email=first(MAIL).lower(),
        given_name=given,
        family_name=family,
        full_name=full_name_of(given, family, first(DISPLAY_NAME)),
        matriculation_number=matriculation_number_from(first(matriculation_attribute)),
        affiliations=affiliations,
    )


def identity_from_oidc(claims: dict, *, matriculation_claim: str) -> Identity:
    """The person an OpenID Connect provider's claims (userinfo, else the id_token) describe."""
    given, family = str(claims.get("given_name") or "").strip(), str(claims.get("family_name") or "").strip()
    affiliation = claims.get("eduperson_affiliation") or claims.get("affiliation") or []
    if not isinstance(affiliation, list | tuple):
        affiliation = [affiliation]
    return Identity(
        email=str(claims.get("email") or "").strip().lower(),
        given_name=given,
        family_name=family,
        full_name=full_name_of(given, family, str(claims.get("name") or "")),
        matriculation_number=matriculation_number_from(str(claims.get(matriculation_claim) or "")),
        affiliations=tuple(str(value).split("@", 1)[0].strip().lower() for value in affiliation),
    )


def counts_as_mfa(contexts: list[str] | tuple[str, ...], mfa_contexts: list[str] | tuple[str, ...]) -> bool:
    """Whether a login whose AuthnContextClassRef values or OIDC `acr` are `contexts` was multi-factor
    by the portal's list (for example https://refeds.org/profile/mfa); an empty list trusts none."""
    wanted = {value.strip() for value in mfa_contexts if value.strip()}
    return bool(wanted & {value.strip() for value in contexts if value})


def socialaccount_providers(
    *,
    oidc_issuer: str,
    oidc_client_id: str,
    oidc_client_secret: str,
    oidc_name: str,
    oidc_id: str,
    saml_slug: str,
    saml_name: str,
    saml_idp: dict,
    saml_sp_entity_id: str = "",
    saml_sp_cert: str = "",
    saml_sp_key: str = "",
    matriculation_attribute: str = SCHAC_PERSONAL_UNIQUE_CODE,
    more_idps: list[dict] | tuple = (),
) -> dict:
    """SOCIALACCOUNT_PROVIDERS for the configured IdPs: an OIDC app when an issuer is given, a SAML app
    when the IdP is given (its metadata URL and entity id, or entity id, certificate and SSO URL), and
    one app per entry of `more_idps` (a partner university, the IdPs of a federation):
    {"protocol": "saml", "slug", "name", "idp": {...}} or
    {"protocol": "oidc", "id", "name", "issuer", "client_id", "secret"}.
    SAML is strict: assertions must be signed, deprecated algorithms (SHA-1) are refused, an
    assertion the portal did not ask for (IdP-initiated) is refused."""
    oidc_apps, saml_apps = [], []
    entries = list(more_idps)
    if oidc_issuer:
        entries.insert(
            0,
            {
                "protocol": "oidc",
                "id": oidc_id,
                "name": oidc_name,
                "issuer": oidc_issuer,
                "client_id": oidc_client_id,
                "secret": oidc_client_secret,
            },
        )
    if saml_idp:
        entries.insert(0, {"protocol": "saml", "slug": saml_slug, "name": saml_name, "idp": saml_idp})
    sp = {"entity_id": saml_sp_entity_id} if saml_sp_entity_id else {}
    for entry in entries:
        if entry["protocol"] == "oidc":
            oidc_apps.append(
                {
                    "provider_id": entry["id"],
                    "name": entry["name"],
                    "client_id": entry["client_id"],
                    "secret": entry["secret"],
                    "settings": {"server_url": entry["issuer"], "oauth_pkce_enabled": True},
                }
            )
        elif entry["protocol"] == "saml":
            saml_apps.append(
                {
                    "name": entry["name"],
                    "provider_id": entry["idp"].get("entity_id", ""),
                    "client_id": entry["slug"],
                    "settings": {
                        "attribute_mapping": saml_attribute_mapping(matriculation_attribute),
                        "idp": entry["idp"],
                        "sp": sp,
                        "advanced": _saml_security(saml_sp_cert, saml_sp_key),
                    },
                }
            )
        else:
            raise ValueError(f"unknown SSO protocol {entry['protocol']!r} (saml or oidc)")
    return {
        "saml": {"provider_class": SAML_PROVIDER_CLASS, "APPS": saml_apps},
        "openid_connect": {
            "provider_class": OIDC_PROVIDER_CLASS,
            "OAUTH_PKCE_ENABLED": True,
            "APPS": oidc_apps,
        },
    }


def _saml_security(sp_cert: str, sp_key: str) -> dict:
    advanced = {
        "strict": True,
        "want_assertion_signed": True,
        "reject_deprecated_algorithm": True,
        "reject_idp_initiated_sso": True,
        "allow_single_label_domains": False,
    }
    if sp_cert and sp_key:
        advanced.update(
            {
                "x509cert": sp_cert,
                "private_key": sp_key,
                "authn_request_signed": True,
                "logout_request_signed": True,
                "logout_response_signed": True,
            }
        )
    return advanced


def saml_idp_from_metadata(xml: str, *, entity_id: str = "") -> dict:
    """allauth's `idp` settings (entity id, signing certificate, SSO and SLO URL) from an IdP's metadata
    file, parsed by python3-saml; `entity_id` picks one IdP out of a federation's metadata."""
    from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser

    idp = OneLogin_Saml2_IdPMetadataParser.parse(xml, entity_id=entity_id or None)["idp"]
    found = {
        "entity_id": idp["entityId"],
        "x509cert": idp.get("x509cert") or idp.get("x509certMulti", {}).get("signing", [""])[0],
        "sso_url": idp["singleSignOnService"]["url"],
    }
    if idp.get("singleLogoutService", {}).get("url"):
        found["slo_url"] = idp["singleLogoutService"]["url"]
    return found


def idp_origins(providers: dict) -> list[str]:
    """The IdPs' origins, which the Content-Security-Policy's form-action must allow: a "Log in with"
    button posts to the portal, which redirects the form's navigation to the IdP."""
    from urllib.parse import urlsplit

    urls = [app["settings"]["server_url"] for app in providers.get("openid_connect", {}).get("APPS", [])]
    for app in providers.get("saml", {}).get("APPS", []):
        idp = app["settings"]["idp"]
        urls += [idp.get("sso_url") or "", idp.get("metadata_url") or ""]
    origins = []
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme and parts.netloc and f"{parts.scheme}://{parts.netloc}" not in origins:
            origins.append(f"{parts.scheme}://{parts.netloc}")
    return origins
