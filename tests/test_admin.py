"""The Django admin as a site administrator uses it: every registered model's list with search and filters,
a change page, and adding a user who logs in with an e-mail address."""

from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from seminars.models import Membership, Seminar, Topic
from tests.factories import PASSWORD, MembershipFactory, SeminarFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    return UserFactory(email="root@uni.example", full_name="Site Admin", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_browser(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def site():
    """Two seminars with one topic and one student each; the searches look for the first."""
    kernels = SeminarFactory(title="Kernels and nets", slug="kernels", term="Summer term 2026")
    graphs = SeminarFactory(
        title="Graph theory", slug="graphs", term="Winter term 2026/27", state=Seminar.State.DRAFT
    )
    ada = UserFactory(email="ada@uni.example", full_name="Ada Lovelace", matriculation_number="03711111")
    bob = UserFactory(email="bob@uni.example", full_name="Bob Builder", matriculation_number="03722222")
    return {
        "kernels": kernels,
        "graphs": graphs,
        "ada": ada,
        "bob": bob,
        "kernel_topic": TopicFactory(seminar=kernels, title="Neural tangent kernels"),
        "graph_topic": TopicFactory(seminar=graphs, title="Spectral clustering"),
        "ada_in_kernels": MembershipFactory(user=ada, seminar=kernels),
        "bob_in_graphs": MembershipFactory(
            user=bob, seminar=graphs, role=Membership.Role.INSTRUCTOR, source=Membership.Source.IMPORT
        ),
    }


def _changelist(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def _results(response):
    return set(response.context["cl"].result_list)


# (model, search term, key of the object it finds, text of its row, key of an object it must not find)
SEARCHES = [
    (User, "lovelace", "ada", "ada@uni.example", "bob"),
    (User, "03711111", "ada", "ada@uni.example", "bob"),
    (User, "ADA@UNI", "ada", "ada@uni.example", "bob"),
    (Seminar, "kernels", "kernels", "Kernels and nets", "graphs"),
    (Seminar, "Winter term", "graphs", "Graph theory", "kernels"),
    (Topic, "tangent", "kernel_topic", "Neural tangent kernels", "graph_topic"),
    (Topic, "Graph theory", "graph_topic", "Spectral clustering", "kernel_topic"),
    (Membership, "lovelace", "ada_in_kernels", "Ada Lovelace", "bob_in_graphs"),
    (Membership, "03722222", "bob_in_graphs", "Bob Builder", "ada_in_kernels"),
    (Membership, "kernels and", "ada_in_kernels", "Ada Lovelace", "bob_in_graphs"),
]


@pytest.mark.parametrize(("model", "term", "found", "row_text", "not_found"), SEARCHES)
def test_admin_changelist_search_finds_only_matching_objects(
    admin_browser, site, model, term, found, row_text, not_found
):
    response = admin_browser.get(_changelist(model), {"q": term})

    assert response.status_code == 200
    assert _results(response) == {site[found]}
    assert site[not_found] not in _results(response)
    assert row_text in response.content.decode()


def test_admin_email_address_search_finds_only_matching_address(admin_browser, site):
    response = admin_browser.get(_changelist(EmailAddress), {"q": "ada@"})

    assert response.status_code == 200
    assert {address.email for address in _results(response)} == {"ada@uni.example"}
    assert "bob@uni.example" not in response.content.decode()


@pytest.mark.parametrize("model", [User, Seminar, Topic, Membership, EmailAddress])
def test_admin_changelist_every_filter_choice_loads(admin_browser, site, model):
    url = _changelist(model)
    first = admin_browser.get(url)
    assert first.status_code == 200
    changelist = first.context["cl"]
    everything = set(changelist.result_list)
    assert changelist.filter_specs, "the model admin offers list filters"

    for spec in changelist.filter_specs:
        for choice in spec.choices(changelist):
            response = admin_browser.get(url + choice["query_string"])
            assert response.status_code == 200, (spec.title, choice)
            assert "cl" in response.context, f"{spec.title}={choice['display']} was rejected"
            assert _results(response) <= everything


def test_admin_user_filter_by_staff_lists_only_staff(admin_browser, site, superuser):
    response = admin_browser.get(_changelist(User), {"is_staff__exact": "1"})

    assert _results(response) == {superuser}


def test_admin_seminar_filter_by_state_lists_only_that_state(admin_browser, site):
    response = admin_browser.get(_changelist(Seminar), {"state__exact": Seminar.State.DRAFT})

    assert _results(response) == {site["graphs"]}


def test_admin_seminar_list_counts_students(admin_browser, site):
    MembershipFactory(seminar=site["kernels"])

    response = admin_browser.get(_changelist(Seminar), {"q": "kernels"})

    assert [seminar._students for seminar in response.context["cl"].result_list] == [2]


def test_admin_seminar_date_hierarchy_loads(admin_browser, site):
    year = site["kernels"].created_at.year

    response = admin_browser.get(_changelist(Seminar), {"created_at__year": year})

    assert response.status_code == 200
    assert _results(response) == {site["kernels"], site["graphs"]}


def test_admin_topic_filter_by_seminar_lists_only_its_topics(admin_browser, site):
    response = admin_browser.get(_changelist(Topic), {"seminar__id__exact": site["kernels"].pk})

    assert _results(response) == {site["kernel_topic"]}


def test_admin_membership_filter_by_role_and_source(admin_browser, site):
    response = admin_browser.get(
        _changelist(Membership),
        {"role__exact": Membership.Role.INSTRUCTOR, "source__exact": Membership.Source.IMPORT},
    )

    assert _results(response) == {site["bob_in_graphs"]}


def test_admin_email_address_filter_by_verified(admin_browser, site):
    EmailAddress.objects.filter(email="bob@uni.example").update(verified=False)

    response = admin_browser.get(_changelist(EmailAddress), {"verified__exact": "0"})

    assert {address.email for address in _results(response)} == {"bob@uni.example"}


@pytest.mark.parametrize(
    ("key", "shown"),
    [
        ("ada", "Ada Lovelace"),
        ("kernels", "Kernels and nets"),
        ("kernel_topic", "Neural tangent kernels"),
        ("ada_in_kernels", "Ada Lovelace"),
    ],
)
def test_admin_change_page_loads(admin_browser, site, key, shown):
    obj = site[key]
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])

    response = admin_browser.get(url)

    assert response.status_code == 200
    assert shown in response.content.decode()


def test_admin_email_address_change_page_loads(admin_browser, site):
    address = EmailAddress.objects.get(email="ada@uni.example")

    response = admin_browser.get(reverse("admin:account_emailaddress_change", args=[address.pk]))

    assert response.status_code == 200
    assert "ada@uni.example" in response.content.decode()


def test_admin_seminar_change_page_shows_inline_topics_and_members(admin_browser, site):
    response = admin_browser.get(reverse("admin:seminars_seminar_change", args=[site["kernels"].pk]))

    page = response.content.decode()
    assert "Neural tangent kernels" in page
    assert "Spectral clustering" not in page
    assert "Ada Lovelace" in page


def test_admin_membership_user_autocomplete_searches_users(admin_browser, site):
    response = admin_browser.get(
        reverse("admin:autocomplete"),
        {"app_label": "seminars", "model_name": "membership", "field_name": "user", "term": "lovelace"},
    )

    assert response.status_code == 200
    assert [item["text"] for item in response.json()["results"]] == [str(site["ada"])]


def test_admin_add_user_creates_user_who_logs_in_by_email(admin_browser, mailoutbox):
    response = admin_browser.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "new.person@uni.example",
            "full_name": "New Person",
            "password1": "a-fresh-admin-set-passphrase",
            "password2": "a-fresh-admin-set-passphrase",
        },
    )

    assert response.status_code == 302
    user = User.objects.get(email="new.person@uni.example")
    assert user.full_name == "New Person"
    assert user.check_password("a-fresh-admin-set-passphrase")
    assert not user.is_staff
    assert urlsplit(response.url).path == reverse("admin:accounts_user_change", args=[user.pk])


@pytest.mark.django_db(transaction=True)
def test_admin_added_user_must_verify_email_before_login(admin_browser, client, mailoutbox):
    admin_browser.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "new.person@uni.example",
            "full_name": "New Person",
            "password1": "a-fresh-admin-set-passphrase",
            "password2": "a-fresh-admin-set-passphrase",
        },
    )
    browser = client.__class__()

    response = browser.post(
        reverse("account_login"),
        {"login": "New.Person@uni.example", "password": "a-fresh-admin-set-passphrase"},
    )

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert [message.to for message in mailoutbox] == [["new.person@uni.example"]]


def test_admin_add_user_stores_email_in_lower_case(admin_browser):
    admin_browser.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "New.Person@Uni.Example",
            "full_name": "New Person",
            "password1": "a-fresh-admin-set-passphrase",
            "password2": "a-fresh-admin-set-passphrase",
        },
    )

    assert User.objects.get(full_name="New Person").email == "new.person@uni.example"


def test_admin_add_user_with_taken_email_in_other_case_is_refused(admin_browser, site):
    response = admin_browser.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "ADA@uni.example",
            "full_name": "Ada Again",
            "password1": "a-fresh-admin-set-passphrase",
            "password2": "a-fresh-admin-set-passphrase",
        },
    )

    assert response.status_code == 200
    assert not response.context["adminform"].form.is_valid()
    assert User.objects.filter(email__iexact="ada@uni.example").count() == 1


def test_admin_add_user_with_taken_email_in_other_case_names_email_field(admin_browser, site):
    response = admin_browser.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "ADA@uni.example",
            "full_name": "Ada Again",
            "password1": "a-fresh-admin-set-passphrase",
            "password2": "a-fresh-admin-set-passphrase",
        },
    )

    errors = response.context["adminform"].form.errors
    assert "email" in errors
    assert "user_email_ci_unique" not in str(errors)
    assert User.objects.filter(email__iexact="ada@uni.example").count() == 1


def test_admin_change_user_saves_name(admin_browser, site):
    ada = site["ada"]

    response = admin_browser.post(
        reverse("admin:accounts_user_change", args=[ada.pk]),
        {
            "email": ada.email,
            "full_name": "Augusta Ada King",
            "matriculation_number": ada.matriculation_number,
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    ada.refresh_from_db()
    assert ada.full_name == "Augusta Ada King"
    assert ada.check_password(PASSWORD)


def test_admin_login_goes_through_allauth_with_email_and_password(client, superuser):
    assert client.get(reverse("admin:login")).url.startswith(reverse("account_login"))

    response = client.post(
        reverse("account_login"),
        {"login": "Root@Uni.Example", "password": PASSWORD, "next": reverse("admin:index")},
    )

    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_admin_refuses_student(client):
    client.force_login(UserFactory())

    response = client.get(_changelist(User))

    assert response.status_code == 302
    assert urlsplit(response.url).path == reverse("admin:login")


def test_admin_login_after_many_failures_is_refused(client, superuser):
    for _ in range(10):
        client.post(reverse("admin:login"), {"username": superuser.email, "password": "wrong-guess"})

    client.post(reverse("admin:login"), {"username": superuser.email, "password": PASSWORD})

    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("model", [User, Seminar, Topic, Membership, EmailAddress])
def test_admin_changelist_queries_do_not_grow_with_rows(admin_browser, site, model):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert admin_browser.get(_changelist(model)).status_code == 200
        return len(queries)

    small = count_queries()
    for _ in range(5):
        membership = MembershipFactory()
        TopicFactory(seminar=membership.seminar)
    large = count_queries()

    assert large == small


PORTAL_APPS = {
    "core",
    "accounts",
    "seminars",
    "papers",
    "schedule",
    "submissions",
    "grading",
    "reminders",
    "calendars",
}


def test_every_model_of_the_portal_is_in_the_admin():
    from django.apps import apps
    from django.contrib import admin as django_admin

    missing = [
        f"{model._meta.app_label}.{model.__name__}"
        for model in apps.get_models()
        if model._meta.app_label in PORTAL_APPS and not django_admin.site.is_registered(model)
    ]
    assert missing == []
