"""The Django admin's pages for SSO links and MFA devices: lists with search and filters, no secrets
shown, and no pages for the settings-configured IdP apps or provider tokens."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from django.contrib import admin
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SECRET = "JBSWY3DPEHPK3PXP"


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def links():
    ada = UserFactory(email="ada@uni.example", full_name="Ada Lovelace")
    bob = UserFactory(email="bob@uni.example", full_name="Bob Builder")
    return {
        "ada": SocialAccount.objects.create(user=ada, provider="university", uid="ada@uni.example"),
        "bob": SocialAccount.objects.create(user=bob, provider="partner", uid="bob-77"),
        "ada_totp": TOTP.activate(ada, SECRET).instance,
    }


def test_admin_social_accounts_search_by_person_and_filter_by_idp(admin_client, links):
    url = reverse("admin:socialaccount_socialaccount_changelist")
    found = admin_client.get(url, {"q": "lovelace"}).context["cl"].result_list
    assert list(found) == [links["ada"]]
    filtered = admin_client.get(url, {"provider": "partner"}).context["cl"].result_list
    assert list(filtered) == [links["bob"]]


def test_admin_authenticators_search_by_person_and_filter_by_type(admin_client, links):
    url = reverse("admin:mfa_authenticator_changelist")
    assert list(admin_client.get(url, {"q": "ada@"}).context["cl"].result_list) == [links["ada_totp"]]
    assert list(admin_client.get(url, {"type": "webauthn"}).context["cl"].result_list) == []


def test_admin_authenticator_page_does_not_show_the_secret(admin_client, links):
    page = admin_client.get(reverse("admin:mfa_authenticator_change", args=[links["ada_totp"].pk]))
    assert page.status_code == 200
    assert SECRET not in page.content.decode()


def test_admin_deleting_a_lost_device_lets_its_owner_set_up_mfa_again(admin_client, links):
    url = reverse("admin:mfa_authenticator_delete", args=[links["ada_totp"].pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert not Authenticator.objects.filter(user__email="ada@uni.example").exists()


def test_admin_has_no_pages_for_idp_apps_or_tokens():
    assert not admin.site.is_registered(SocialApp)
    assert not admin.site.is_registered(SocialToken)
