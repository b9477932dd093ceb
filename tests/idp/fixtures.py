"""The real identity providers of the SSO tests, started once per test session on free loopback ports:
SimpleSAMLphp (tests/idp/simplesamlphp.py, PHP's built-in server) and panva's oidc-provider
(tests/idp/oidc_provider.mjs, Node). `sso_settings` points the portal's allauth at both, as the
environment would (accounts.sso.socialaccount_providers).

Test modules import the fixtures they use: `from tests.idp.fixtures import sso_settings  # noqa: F401`.
"""

import copy
import json
import os
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from accounts import sso
from tests.idp import simplesamlphp

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
OIDC_CLIENT_ID, OIDC_CLIENT_SECRET = "seminar-portal", "oidc-client-secret-for-tests"
OIDC_ID, SAML_SLUG = "university", "university"
OIDC_PASSWORD = "any-password"  # oidc-provider's development login form takes any password

OIDC_USERS = {
    "carla": {
        "email": "carla.conrad@uni.example",
        "email_verified": True,
        "given_name": "Carla",
        "family_name": "Conrad",
        "name": "Carla Conrad",
        "matriculation_number": "5811",
        "eduperson_affiliation": ["student"],
    },
    "dora": {
        "email": "dora.dahl@uni.example",
        "email_verified": True,
        "given_name": "Dora",
        "family_name": "Dahl",
        "name": "Dora Dahl",
        "matriculation_number": "5812",
        "eduperson_affiliation": ["student"],
    },
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, log: Path, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} ended: {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer: {log.read_text()[-2000:]}")


@dataclass(frozen=True)
class OidcIdp:
    issuer: str
    client_id: str = OIDC_CLIENT_ID
    client_secret: str = OIDC_CLIENT_SECRET


@pytest.fixture(scope="session")
def oidc_idp(live_server, tmp_path_factory):
    directory = tmp_path_factory.mktemp("oidc-provider")
    port = free_port()
    callback = f"/accounts/oidc/{OIDC_ID}/login/callback/"
    config = {
        "client_id": OIDC_CLIENT_ID,
        "client_secret": OIDC_CLIENT_SECRET,
        "redirect_uris": [
            live_server.url + callback,
            live_server.url.replace("localhost", "127.0.0.1") + callback,
        ],
        "users": OIDC_USERS,
    }
    (directory / "config.json").write_text(json.dumps(config))
    log = directory / "node.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            ["node", str(HERE / "oidc_provider.mjs"), str(port), str(directory / "config.json")],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    issuer = f"http://127.0.0.1:{port}"
    try:
        wait_for(issuer + "/.well-known/openid-configuration", process, log)
        yield OidcIdp(issuer=issuer)
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture(scope="session")
def saml_idp(live_server, tmp_path_factory):
    directory = tmp_path_factory.mktemp("simplesamlphp")
    port = free_port()
    base = f"{live_server.url}/accounts/saml/{SAML_SLUG}/"
    idp = simplesamlphp.write_config(
        directory, port=port, sp_entity_id=base + "metadata/", acs_url=base + "acs/", sls_url=base + "sls/"
    )
    args, extra_env = simplesamlphp.command(idp, port)
    log = directory / "php.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            args, env={**os.environ, **extra_env}, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        wait_for(idp.metadata_url, process, log)
        yield idp
    finally:
        process.terminate()
        process.wait(10)


def providers_for(live_server, *, oidc: OidcIdp | None = None, saml=None) -> dict:
    saml_idp_settings = {}
    if saml is not None:
        saml_idp_settings = {
            "entity_id": saml.entity_id,
            "x509cert": saml.certificate,
            "sso_url": saml.sso_url,
            "slo_url": saml.slo_url,
        }
    return sso.socialaccount_providers(
        oidc_issuer=oidc.issuer if oidc else "",
        oidc_client_id=OIDC_CLIENT_ID,
        oidc_client_secret=OIDC_CLIENT_SECRET,
        oidc_name="Uni Example (OIDC)",
        oidc_id=OIDC_ID,
        saml_slug=SAML_SLUG,
        saml_name="Uni Example (SAML)",
        saml_idp=saml_idp_settings,
        saml_sp_entity_id=f"{live_server.url}/accounts/saml/{SAML_SLUG}/metadata/",
    )


@pytest.fixture
def sso_settings(settings, live_server, oidc_idp, saml_idp):
    """The portal configured for both test IdPs (as SSO_OIDC_* and SSO_SAML_* would)."""
    settings.SOCIALACCOUNT_PROVIDERS = providers_for(live_server, oidc=oidc_idp, saml=saml_idp)
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"] = ["'self'", *sso.idp_origins(settings.SOCIALACCOUNT_PROVIDERS)]
    settings.CONTENT_SECURITY_POLICY = policy
    return settings
