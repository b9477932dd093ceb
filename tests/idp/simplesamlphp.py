"""SimpleSAMLphp (Debian's package) as a SAML 2.0 IdP on loopback, for the SSO tests.

`write_config` writes a configuration directory: the IdP's signing key and certificate (made with
openssl), config.php, an authsource of test users (exampleauth:UserPass) carrying the attributes German
universities release, the hosted IdP and the portal as its one SP. `command` is PHP's built-in server
serving SimpleSAMLphp's www/ with that configuration (SIMPLESAMLPHP_CONFIG_DIR).

    python tests/idp/simplesamlphp.py <dir> <port> <sp-entity-id> <acs-url> <sls-url>   # then php -S ...
"""

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

SIMPLESAMLPHP = Path("/usr/share/simplesamlphp")
PASSWORD = "uni-password-2026"

# login -> attributes (SAML 2.0 names, the DFN-AAI profile's OIDs).
USERS = {
    "anna": {
        "urn:oid:1.3.6.1.4.1.5923.1.1.1.6": ["anna@uni.example"],
        "urn:oid:0.9.2342.19200300.100.1.3": ["anna.schmidt@uni.example"],
        "urn:oid:2.5.4.42": ["Anna"],
        "urn:oid:2.5.4.4": ["Schmidt"],
        "urn:oid:1.3.6.1.4.1.25178.1.2.14": [
            "urn:schac:personalUniqueCode:de:uni.example:Matrikelnummer:4711"
        ],
        "urn:oid:1.3.6.1.4.1.5923.1.1.1.1": ["student", "member"],
    },
    "bert": {
        "urn:oid:1.3.6.1.4.1.5923.1.1.1.6": ["bert@uni.example"],
        "urn:oid:0.9.2342.19200300.100.1.3": ["bert.braun@uni.example"],
        "urn:oid:2.5.4.42": ["Bert"],
        "urn:oid:2.5.4.4": ["Braun"],
        "urn:oid:1.3.6.1.4.1.25178.1.2.14": [
            "urn:schac:personalUniqueCode:de:uni.example:Matrikelnummer:4712"
        ],
        "urn:oid:1.3.6.1.4.1.5923.1.1.1.1": ["student"],
    },
    "ines": {
        "urn:oid:1.3.6.1.4.1.5923.1.1.1.6": ["ines@uni.example"],
        "urn:oid:0.9.2342.19200300.100.1.3": ["ines.instructor@uni.example"],
        "urn:oid:2.5.4.42": ["Ines"],
        "urn:oid:2.5.4.4": ["Instructor"],
        "urn:oid:1.3.6.1.4.1.5923.1.1.1.1": ["staff", "member"],
    },
}


@dataclass(frozen=True)
class Idp:
    directory: Path
    base_url: str
    entity_id: str
    certificate: str  # PEM body, no header lines
    key_file: Path
    cert_file: Path

    @property
    def sso_url(self) -> str:
        return f"{self.base_url}saml2/idp/SSOService.php"

    @property
    def slo_url(self) -> str:
        return f"{self.base_url}saml2/idp/SingleLogoutService.php"

    @property
    def metadata_url(self) -> str:
        return f"{self.base_url}saml2/idp/metadata.php"


def php(value) -> str:
    """A Python value as a PHP literal (JSON is valid PHP for strings and numbers; arrays are spelt)."""
    if isinstance(value, dict):
        return "[" + ", ".join(f"{php(key)} => {php(item)}" for key, item in value.items()) + "]"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(php(item) for item in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value).replace("$", "\\$")


def write_config(directory: Path, *, port: int, sp_entity_id: str, acs_url: str, sls_url: str) -> Idp:
    directory = Path(directory)
    for sub in ("config", "metadata", "cert", "log", "data", "tmp"):
        (directory / sub).mkdir(parents=True, exist_ok=True)
    key, cert = directory / "cert" / "idp.key", directory / "cert" / "idp.crt"
    if not cert.exists():
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "30",
             "-subj", "/CN=idp.uni.example", "-keyout", str(key), "-out", str(cert)],
            check=True, capture_output=True,
        )  # fmt: skip
    base_url = f"http://127.0.0.1:{port}/"
    entity_id = f"{base_url}saml2/idp/metadata.php"
    config = {
        "baseurlpath": base_url,
        "certdir": str(directory / "cert") + "/",
        "loggingdir": str(directory / "log") + "/",
        "datadir": str(directory / "data") + "/",
        "tempdir": str(directory / "tmp"),
        "metadatadir": str(directory / "metadata") + "/",
        "technicalcontact_name": "Portal tests",
        "technicalcontact_email": "tests@uni.example",
        "secretsalt": "portal-tests-salt-not-secret",
        "auth.adminpassword": "admin-not-secret",
        "admin.protectindexpage": False,
        "timezone": "Europe/Berlin",
        "logging.level": 6,
        "logging.handler": "file",
        "logging.logfile": "simplesamlphp.log",
        "enable.saml20-idp": True,
        "module.enable": {"exampleauth": True, "core": True, "saml": True, "admin": True},
        "store.type": "phpsession",
        "session.cookie.secure": False,
        "session.cookie.samesite": None,
        "language.default": "en",
        # Where a logout may send the browser back to: the portal.
        "trusted.url.domains": [urlsplit(acs_url).hostname, urlsplit(acs_url).netloc],
    }
    (directory / "config" / "config.php").write_text(f"<?php\n$config = {php(config)};\n")
    users = {f"{login}:{PASSWORD}": attributes for login, attributes in USERS.items()}
    authsources = {"admin": ["core:AdminPassword"], "users": {0: "exampleauth:UserPass", **users}}
    (directory / "config" / "authsources.php").write_text(f"<?php\n$config = {php(authsources)};\n")
    hosted = {
        "__DYNAMIC:1__": {
            "host": "__DEFAULT__",
            "privatekey": str(key),
            "certificate": str(cert),
            "auth": "users",
            "signature.algorithm": "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
            "attributes.NameFormat": "urn:oasis:names:tc:SAML:2.0:attrname-format:uri",
            "NameIDFormat": "urn:oasis:names:tc:SAML:2.0:nameid-format:transient",
        }
    }
    (directory / "metadata" / "saml20-idp-hosted.php").write_text(
        "<?php\n" + "".join(f"$metadata[{php(k)}] = {php(v)};\n" for k, v in hosted.items())
    )
    remote = {
        sp_entity_id: {
            "AssertionConsumerService": acs_url,
            "SingleLogoutService": sls_url,
            "attributes.NameFormat": "urn:oasis:names:tc:SAML:2.0:attrname-format:uri",
            "NameIDFormat": "urn:oasis:names:tc:SAML:2.0:nameid-format:transient",
            "saml20.sign.assertion": True,
            "saml20.sign.response": True,
        }
    }
    (directory / "metadata" / "saml20-sp-remote.php").write_text(
        "<?php\n" + "".join(f"$metadata[{php(k)}] = {php(v)};\n" for k, v in remote.items())
    )
    body = "".join(line for line in cert.read_text().splitlines() if "CERTIFICATE" not in line)
    return Idp(directory, base_url, entity_id, body, key, cert)


def command(idp: Idp, port: int) -> tuple[list[str], dict[str, str]]:
    """PHP's built-in server for SimpleSAMLphp's www/, and the environment it needs."""
    return (
        ["php", "-S", f"127.0.0.1:{port}", "-t", str(SIMPLESAMLPHP / "www")],
        {"SIMPLESAMLPHP_CONFIG_DIR": str(idp.directory / "config")},
    )


if __name__ == "__main__":
    directory, port, sp_entity_id, acs_url, sls_url = sys.argv[1:6]
    found = write_config(
        Path(directory), port=int(port), sp_entity_id=sp_entity_id, acs_url=acs_url, sls_url=sls_url
    )
    print(" ".join(command(found, int(port))[0]))
