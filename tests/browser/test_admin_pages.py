"""Every page of the Django admin passes axe-core and the Content-Security-Policy (issue 19: "every page keeps
axe-core at 0 serious or critical"): for each registered model its list, its add page (where adding is
allowed), the change (or view) page, the delete confirmation (where deleting is allowed) and the history of
one object. The harness (conftest.py) runs axe on each page and fails on CSP refusals.

The models are read from the admin site itself, so a model registered later is covered without touching
this file; one test per app keeps a failure's report short. The demo admin logs in; the demo seminar
provides the rows it has, the permission matrix's world (two seminars with every kind of record) the rest.
"""

import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db.models import Model
from django.test import RequestFactory
from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts.models import User
from demo.grading import demo_grade_components_load
from demo.papers import demo_papers_load
from demo.schedule import demo_block_seminar_load
from demo.seminar import DEMO_LOGINS, DEMO_SLUG, demo_load
from demo.submissions import demo_deliverables_load
from seminars.models import Membership, Seminar
from tests.permission_world import NOW, build_world

pytestmark = pytest.mark.browser

ADMIN = next(login for login in DEMO_LOGINS if login.role == "admin")
APP_LABELS = sorted({model._meta.app_label for model in admin.site._registry})


def _models_of(app_label: str) -> list[type[Model]]:
    models = [model for model in admin.site._registry if model._meta.app_label == app_label]
    return sorted(models, key=lambda model: model._meta.model_name)


def _url(model: type[Model], page: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}", args=args)


def _heading(page: Page, text: str) -> None:
    """The page's title names what it is about (this also lets the harness check the page)."""
    expect(page.locator("#content h1")).to_contain_text(re.compile(re.escape(text), re.IGNORECASE))


@pytest.fixture
def admin_request():
    """The demo seminar and the permission world in the database; a request of the demo admin, to ask the
    admin classes what they allow."""
    seminar = demo_load()
    demo_papers_load(seminar=seminar, now=NOW)
    demo_deliverables_load(seminar=seminar, now=NOW)
    demo_grade_components_load(seminar=seminar)
    demo_block_seminar_load(seminar=seminar, now=NOW)
    build_world()
    request = RequestFactory().get("/admin/")
    request.user = User.objects.get(email=ADMIN.email)
    return request


@pytest.mark.parametrize("app_label", APP_LABELS)
def test_admin_pages_of_every_model_pass_axe_and_the_csp(app_label, admin_request, page, log_in):
    log_in(page, ADMIN.email, ADMIN.password)
    for model in _models_of(app_label):
        model_admin = admin.site._registry[model]
        name = str(model._meta.verbose_name)
        obj = model._default_manager.order_by("pk").first()
        assert obj is not None, f"{model._meta.label}: no row to show; add one to the world above"

        page.goto(_url(model, "changelist"))
        _heading(page, name)
        expect(page.locator("#result_list")).to_be_visible()

        if model_admin.has_add_permission(admin_request):
            page.goto(_url(model, "add"))
            _heading(page, f"Add {name}")

        page.goto(_url(model, "change", obj.pk))
        changeable = model_admin.has_change_permission(admin_request, obj)
        _heading(page, f"{'Change' if changeable else 'View'} {name}")

        if model_admin.has_delete_permission(admin_request, obj):
            page.goto(_url(model, "delete", obj.pk))
            expect(page.locator("#content")).to_contain_text(str(obj))

        page.goto(_url(model, "history", obj.pk))
        _heading(page, "Change history")


def test_admin_widgets_are_named_by_their_labels(admin_request, page, log_in):
    """What axe found unnamed: the cells of a tabular inline, the split date/time inputs, the autocomplete
    combobox and filter_horizontal's search icons; each now carries the name a screen reader announces."""
    seminar = Seminar.objects.get(slug=DEMO_SLUG)
    membership = seminar.memberships.select_related("user").order_by("pk").first()
    log_in(page, ADMIN.email, ADMIN.password)

    page.goto(_url(Seminar, "change", seminar.pk))
    expect(page.get_by_role("textbox", name="Title", exact=True)).to_have_count(seminar.topics.count())
    expect(page.get_by_role("combobox", name="Role", exact=True)).to_have_count(seminar.memberships.count())
    expect(page.get_by_role("checkbox", name="Delete?")).to_have_count(
        seminar.topics.count() + seminar.memberships.count()
    )
    expect(page.locator("#id_premeeting_start_0")).to_have_accessible_name("Pre-course meeting starts: Date:")
    expect(page.locator("#id_premeeting_start_1")).to_have_accessible_name("Pre-course meeting starts: Time:")
    expect(page.locator("#id_premeeting_end_0")).to_have_accessible_name("Pre-course meeting ends: Date:")

    page.goto(_url(Membership, "change", membership.pk))
    expect(page.locator("#id_user + .select2 [role=combobox]")).to_have_accessible_name(
        f"User: {membership.user}"
    )

    page.goto(_url(Group, "add"))
    expect(
        page.get_by_role("img", name="Type into this box to filter down the list of available permissions.")
    ).to_be_visible()


def test_admin_pages_beyond_the_model_pages_pass_axe_and_the_csp(admin_request, page, log_in):
    """The pages the model loop does not reach: a user's password form and an add form opened as the popup
    of a related-object link."""
    user = User.objects.get(email=ADMIN.email)
    log_in(page, ADMIN.email, ADMIN.password)

    page.goto(reverse("admin:auth_user_password_change", args=[user.pk]))
    _heading(page, "Change password")
    expect(page.locator("#id_password1")).to_have_accessible_name("Password:")

    page.goto(_url(User, "add") + "?_to_field=id&_popup=1")
    _heading(page, "Add user")
    expect(page.locator("input[name=_popup]")).to_have_value("1")
