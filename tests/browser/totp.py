"""TOTP codes as an authenticator app computes them, for the MFA browser tests."""

import time

import pyotp


def fresh_code(secret: str) -> str:
    """The current TOTP code, waiting for the next time step when this one is about to run out (a code
    that expires on its way would be refused)."""
    totp = pyotp.TOTP(secret)
    wait = 30 - time.time() % 30
    if wait < 3:
        time.sleep(wait + 0.5)
    return totp.now()
