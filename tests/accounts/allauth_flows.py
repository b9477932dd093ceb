"""Steps a person takes through allauth's pages, driven with the Django test client."""

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse

STRONG_PASSWORD = "lattice-orbit-7-meadow"
LINK = re.compile(r"https?://[^\s]+")


def link_in(message) -> str:
    """The path of the one link in a mail (besides the portal's address in the footer), ready for the test
    client."""
    links = [link for link in LINK.findall(message.body) if link != settings.PORTAL_URL]
    assert len(links) == 1, links
    return urlsplit(links[0]).path


def sign_up(client, *, email, full_name="Ada Student", matriculation_number="", password=STRONG_PASSWORD):
    return client.post(
        reverse("account_signup"),
        {
            "email": email,
            "full_name": full_name,
            "matriculation_number": matriculation_number,
            "password1": password,
            "password2": password,
        },
    )


def log_in(client, *, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session
