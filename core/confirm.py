"""A page that asks before an action that mails people or removes something: it says what will happen
("This mails 12 students") and what looks wrong, and its button posts the action with `confirmed`.
Works without JavaScript. The action's view shows this page for a GET and for a POST that was not
confirmed (a stale form or a script), so nothing of the kind fires on one click."""

from dataclasses import dataclass, field

from django.shortcuts import render

CONFIRMED = "confirmed"


@dataclass(frozen=True)
class Confirmation:
    title: str
    consequences: list[str]
    action_label: str
    cancel_url: str
    warnings: list[str] = field(default_factory=list)
    # What stops the action (it is not offered while any is left).
    blockers: list[str] = field(default_factory=list)
    danger: bool = False


def is_confirmed(request) -> bool:
    return request.method == "POST" and request.POST.get(CONFIRMED) == "yes"


def confirmation_page(request, confirmation: Confirmation, **context):
    return render(request, "confirm.html", {"confirmation": confirmation, **context})
