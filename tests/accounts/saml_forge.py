"""SAML responses as an IdP would post them, built and signed here (python3-saml's xmlsec signing) so
that a test can get one thing wrong at a time: the signature, the times, the audience, the recipient."""

import base64
import subprocess
import uuid
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from onelogin.saml2.constants import OneLogin_Saml2_Constants
from onelogin.saml2.utils import OneLogin_Saml2_Utils

from accounts import sso

IDP_ENTITY_ID = "https://idp.uni.example/idp"


@dataclass(frozen=True)
class KeyPair:
    key: str
    cert: str  # PEM

    @property
    def cert_body(self) -> str:
        return "".join(line for line in self.cert.splitlines() if "CERTIFICATE" not in line)


def key_pair(directory: Path, name: str) -> KeyPair:
    key, cert = directory / f"{name}.key", directory / f"{name}.crt"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "2",
         "-subj", f"/CN={name}", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return KeyPair(key.read_text(), cert.read_text())


def instant(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def request_id_of(redirect_url: str) -> str:
    """The ID of the AuthnRequest the portal sent to the IdP (HTTP-Redirect binding: deflated, base64)."""
    request = parse_qs(urlsplit(redirect_url).query)["SAMLRequest"][0]
    xml = zlib.decompress(base64.b64decode(request), -15).decode()
    return xml.split(' ID="', 1)[1].split('"', 1)[0]


@dataclass
class Assertion:
    """One assertion about `uid`; every field can be got wrong on purpose."""

    request_id: str
    acs_url: str
    audience: str
    recipient: str = ""
    issuer: str = IDP_ENTITY_ID
    issued: datetime = field(default_factory=lambda: datetime.now(UTC))
    lifetime: timedelta = timedelta(minutes=5)
    uid: str = "erik@uni.example"
    authn_context: str = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
    attributes: dict = field(
        default_factory=lambda: {
            sso.EPPN: "erik@uni.example",
            sso.MAIL: "erik.eder@uni.example",
            sso.GIVEN_NAME: "Erik",
            sso.SURNAME: "Eder",
            sso.SCHAC_PERSONAL_UNIQUE_CODE: "urn:schac:personalUniqueCode:de:uni.example:Matrikelnummer:6001",
        }
    )
    id: str = field(default_factory=lambda: f"_a{uuid.uuid4().hex}")

    def xml(self) -> str:
        until = instant(self.issued + self.lifetime)
        since = instant(self.issued - timedelta(seconds=30))
        recipient = self.recipient or self.acs_url
        values = "".join(
            f'<saml:Attribute Name="{name}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri">'
            f'<saml:AttributeValue xsi:type="xs:string">{value}</saml:AttributeValue></saml:Attribute>'
            for name, value in self.attributes.items()
        )
        return (
            '<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"'
            ' xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
            f' ID="{self.id}" Version="2.0" IssueInstant="{instant(self.issued)}">'
            f"<saml:Issuer>{self.issuer}</saml:Issuer>"
            "<saml:Subject>"
            '<saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:transient">_t1</saml:NameID>'
            '<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">'
            f'<saml:SubjectConfirmationData NotOnOrAfter="{until}" Recipient="{recipient}"'
            f' InResponseTo="{self.request_id}"/>'
            "</saml:SubjectConfirmation></saml:Subject>"
            f'<saml:Conditions NotBefore="{since}" NotOnOrAfter="{until}">'
            f"<saml:AudienceRestriction><saml:Audience>{self.audience}</saml:Audience></saml:AudienceRestriction>"
            "</saml:Conditions>"
            f'<saml:AuthnStatement AuthnInstant="{instant(self.issued)}" SessionIndex="_s1">'
            f"<saml:AuthnContext><saml:AuthnContextClassRef>{self.authn_context}"
            "</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>"
            f"<saml:AttributeStatement>{values}</saml:AttributeStatement>"
            "</saml:Assertion>"
        )


def signed(xml: str, pair: KeyPair) -> str:
    """The element signed (enveloped, RSA-SHA256), as the IdP signs an assertion."""
    result = OneLogin_Saml2_Utils.add_sign(
        xml,
        pair.key,
        pair.cert,
        sign_algorithm=OneLogin_Saml2_Constants.RSA_SHA256,
        digest_algorithm=OneLogin_Saml2_Constants.SHA256,
    )
    return result.decode() if isinstance(result, bytes) else result


def strip_declaration(xml: str) -> str:
    return xml.split("?>", 1)[1] if xml.startswith("<?xml") else xml


def response(assertions: list[str], *, request_id: str, destination: str, issuer: str = IDP_ENTITY_ID) -> str:
    """A samlp:Response carrying the given assertions (signed or not), base64 as the IdP posts it."""
    body = "".join(strip_declaration(assertion) for assertion in assertions)
    xml = (
        '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"'
        ' xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"'
        f' ID="_r{uuid.uuid4().hex}" Version="2.0" IssueInstant="{instant(datetime.now(UTC))}"'
        f' Destination="{destination}" InResponseTo="{request_id}">'
        f"<saml:Issuer>{issuer}</saml:Issuer>"
        '<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>'
        f"{body}</samlp:Response>"
    )
    return base64.b64encode(xml.encode()).decode()
