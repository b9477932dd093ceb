"""A token endpoint that hands out whatever id_token a test asks for, for the malformed-token cases
(wrong issuer, expired, alg none, wrong nonce) that a certified provider such as oidc-provider will not
produce. Discovery, an authorization endpoint (which only notes the nonce it was sent), JWKS and userinfo
around it, on a free loopback port."""

import base64
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

# A claim `nonce=SENT` stands for the nonce of the last authorization request the fake saw.
SENT = object()

CLIENT_ID = "seminar-portal"


class FakeOidc:
    def __init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.id_token: str | Callable[[], str] = ""
        self.nonce = ""  # of the last authorization request
        self.discovery: dict = {}  # more of the discovery document (id_token_signing_alg_values_supported)
        self.userinfo = {
            "sub": "fiona",
            "email": "fiona.fink@uni.example",
            "given_name": "Fiona",
            "family_name": "Fink",
        }
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def claims(self, **changes) -> dict:
        now = int(time.time())
        claims = {"iss": self.issuer, "aud": CLIENT_ID, "sub": "fiona", "iat": now, "exp": now + 300}
        return {"nonce": SENT, **claims, **changes}

    def sign(
        self, claims: dict, *, algorithm: str = "RS256", kid: str | None = "k1", key=None
    ) -> Callable[[], str]:
        """The id_token with these claims, signed when the token endpoint hands it out (a `nonce` of
        SENT is then the nonce the portal sent; None leaves the claim out). HS256 is keyed with the
        public key's PEM, the algorithm-confusion attack (PyJWT refuses to build it, so by hand); `key`, a
        private key, signs instead of the fake's own (which the JWKS publishes)."""

        def token() -> str:
            nonce = self.nonce if claims.get("nonce") is SENT else claims.get("nonce")
            payload = {
                **{k: v for k, v in claims.items() if k != "nonce"},
                **({"nonce": nonce} if nonce else {}),
            }
            headers = {"kid": kid} if kid else None
            if algorithm == "none":
                return jwt.encode(payload, key=None, algorithm="none", headers=headers)
            if algorithm == "HS256":
                return self._hs256_with_public_key(payload, headers or {})
            return jwt.encode(payload, key or self.key, algorithm=algorithm, headers=headers)

        return token

    def _hs256_with_public_key(self, payload: dict, headers: dict) -> str:
        def b64(data: bytes) -> str:
            return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

        public_pem = self.key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        signing_input = ".".join(
            b64(json.dumps(part).encode()) for part in ({"alg": "HS256", "typ": "JWT", **headers}, payload)
        )
        signature = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
        return f"{signing_input}.{b64(signature)}"

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, body: dict):
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                if self.path.startswith("/auth?"):
                    fake.nonce = parse_qs(urlsplit(self.path).query).get("nonce", [""])[0]
                    self._json({})
                elif self.path == "/.well-known/openid-configuration":
                    self._json(
                        {
                            "issuer": fake.issuer,
                            "authorization_endpoint": fake.issuer + "/auth",
                            "token_endpoint": fake.issuer + "/token",
                            "userinfo_endpoint": fake.issuer + "/userinfo",
                            "jwks_uri": fake.issuer + "/jwks",
                            "token_endpoint_auth_methods_supported": ["client_secret_post"],
                            **fake.discovery,
                        }
                    )
                elif self.path == "/jwks":
                    jwk = json.loads(RSAAlgorithm.to_jwk(fake.key.public_key()))
                    self._json({"keys": [{**jwk, "kid": "k1", "use": "sig", "alg": "RS256"}]})
                elif self.path == "/userinfo":
                    self._json(fake.userinfo)
                else:
                    self.send_error(404)

            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.path == "/token":
                    self._json(
                        {
                            "access_token": "at",
                            "token_type": "Bearer",
                            "expires_in": 300,
                            "id_token": fake.id_token() if callable(fake.id_token) else fake.id_token,
                        }
                    )
                else:
                    self.send_error(404)

        return Handler

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
