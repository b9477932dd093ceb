"""A token endpoint that hands out whatever id_token a test asks for, for the malformed-token cases
(wrong issuer, expired, alg none, wrong nonce) that a certified provider such as oidc-provider will not
produce. Discovery, JWKS and userinfo around it, on a free loopback port."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

CLIENT_ID = "seminar-portal"


class FakeOidc:
    def __init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.id_token = ""
        self.userinfo = {
            "sub": "fiona",
            "email": "fiona.fink@uni.example",
            "given_name": "Fiona",
            "family_name": "Fink",
        }
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def claims(self, **changes) -> dict:
        now = int(time.time())
        return {"iss": self.issuer, "aud": CLIENT_ID, "sub": "fiona", "iat": now, "exp": now + 300, **changes}

    def sign(self, claims: dict, *, algorithm: str = "RS256") -> str:
        if algorithm == "none":
            return jwt.encode(claims, key=None, algorithm="none")
        return jwt.encode(claims, self.key, algorithm=algorithm, headers={"kid": "k1"})

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
                if self.path == "/.well-known/openid-configuration":
                    self._json(
                        {
                            "issuer": fake.issuer,
                            "authorization_endpoint": fake.issuer + "/auth",
                            "token_endpoint": fake.issuer + "/token",
                            "userinfo_endpoint": fake.issuer + "/userinfo",
                            "jwks_uri": fake.issuer + "/jwks",
                            "token_endpoint_auth_methods_supported": ["client_secret_post"],
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
                            "id_token": fake.id_token,
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
