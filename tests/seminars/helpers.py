"""Helpers shared by the seminar tests: fast bulk data and the complete POST of the seminar edit form."""

from datetime import datetime

from django.urls import reverse

from accounts.models import User
from seminars.models import Membership, Seminar

LOCAL_INPUT_FORMAT = "%Y-%m-%dT%H:%M"


def add_students(seminar: Seminar, count: int, *, prefix: str = "bulk") -> list[User]:
    """`count` students in two queries; for the query-count and capacity tests that need many of them."""
    User.objects.bulk_create(
        User(email=f"{prefix}-{seminar.pk}-{n}@uni.example", full_name=f"Student {n:04d}", password="!")
        for n in range(count)
    )
    users = list(User.objects.filter(email__startswith=f"{prefix}-{seminar.pk}-"))
    Membership.objects.bulk_create(
        Membership(user=user, seminar=seminar, role=Membership.Role.STUDENT) for user in users
    )
    return users


def edit_url(seminar: Seminar) -> str:
    return reverse("seminars:edit", kwargs={"slug": seminar.slug})


def roster_url(seminar: Seminar) -> str:
    return reverse("seminars:roster", kwargs={"slug": seminar.slug})


def import_url(seminar: Seminar) -> str:
    return reverse("seminars:import", kwargs={"slug": seminar.slug})


def enrol_url(seminar: Seminar) -> str:
    return reverse("seminars:enrol", kwargs={"slug": seminar.slug})


def edit_form_data(client, seminar: Seminar, **changes) -> dict[str, str]:
    """Every field of the edit form as the page offers it (GET, then the form's own values), with `changes`.

    Posting this unchanged is what an instructor does who opens the page and presses Save."""
    response = client.get(edit_url(seminar))
    assert response.status_code == 200
    form = response.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            value = ""
        elif isinstance(value, datetime):
            value = value.strftime(LOCAL_INPUT_FORMAT)
        data[name] = str(value)
    assert set(changes) <= set(data), f"unknown form fields: {set(changes) - set(data)}"
    data.update({name: str(value) for name, value in changes.items()})
    return data
