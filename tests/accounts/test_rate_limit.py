"""allauth's login_failed rate limit ("10/m/ip,5/5m/key"), counted in the default cache: locmem in a plain
test run, Redis when REDIS_URL is set."""

import os
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.utils import timezone

from tests.accounts.allauth_flows import is_logged_in, log_in
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

TOO_MANY = "Too many failed login attempts. Try again later."
WRONG = "The email address and/or password you specified are not correct."
FAILURES_PER_ACCOUNT = 5


def _fail(client, email, times):
    for _ in range(times):
        response = log_in(client, email=email, password="wrong-guess")
        assert response.status_code == 200
        assert WRONG in response.content.decode()


def test_login_failures_below_limit_still_allow_right_password(client):
    user = UserFactory()
    _fail(client, user.email, FAILURES_PER_ACCOUNT - 1)

    log_in(client, email=user.email, password=PASSWORD)

    assert is_logged_in(client)


def test_login_after_limit_of_failures_says_too_many_attempts(client):
    user = UserFactory()
    _fail(client, user.email, FAILURES_PER_ACCOUNT)

    response = log_in(client, email=user.email, password="wrong-guess")

    assert response.status_code == 200
    assert TOO_MANY in response.content.decode()
    assert WRONG not in response.content.decode()


def test_login_after_limit_refuses_even_right_password(client):
    user = UserFactory()
    _fail(client, user.email, FAILURES_PER_ACCOUNT)

    response = log_in(client, email=user.email, password=PASSWORD)

    assert TOO_MANY in response.content.decode()
    assert not is_logged_in(client)


def test_login_limit_counts_email_case_insensitively(client):
    user = UserFactory(email="student@example.org")
    _fail(client, "Student@Example.org", 3)
    _fail(client, "STUDENT@EXAMPLE.ORG", 2)

    response = log_in(client, email="student@example.org", password=PASSWORD)

    assert TOO_MANY in response.content.decode()
    assert not is_logged_in(client)
    user.refresh_from_db()
    assert user.last_login is None


def test_login_limit_for_one_account_leaves_other_accounts_alone(client):
    victim, other = UserFactory(), UserFactory()
    _fail(client, victim.email, FAILURES_PER_ACCOUNT)

    log_in(client, email=other.email, password=PASSWORD)

    assert is_logged_in(client)


def test_login_limit_holds_for_another_browser(client):
    user = UserFactory()
    _fail(client, user.email, FAILURES_PER_ACCOUNT)

    fresh_browser = client.__class__()
    response = log_in(fresh_browser, email=user.email, password=PASSWORD)

    assert TOO_MANY in response.content.decode()
    assert not is_logged_in(fresh_browser)


def test_login_from_one_address_is_limited_across_accounts(client):
    users = UserFactory.create_batch(4)
    for user in users[:3]:
        _fail(client, user.email, 3)
    _fail(client, users[3].email, 1)

    response = log_in(client, email=users[3].email, password=PASSWORD)

    assert TOO_MANY in response.content.decode()
    assert not is_logged_in(client)


def test_login_succeeds_again_after_limit_window(client):
    user = UserFactory()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        _fail(client, user.email, FAILURES_PER_ACCOUNT)
        clock.shift(timedelta(minutes=5, seconds=1))

        log_in(client, email=user.email, password=PASSWORD)

    assert is_logged_in(client)


def test_successful_login_does_not_use_up_attempts(client):
    user = UserFactory()
    for _ in range(FAILURES_PER_ACCOUNT + 2):
        log_in(client, email=user.email, password=PASSWORD)
        assert is_logged_in(client)
        client.logout()


def test_rate_limit_counts_in_the_shared_cache_of_this_run():
    expected = RedisCache if os.environ.get("REDIS_URL") else LocMemCache
    assert isinstance(caches["default"], expected)
