from datetime import UTC, datetime, timedelta

from django.contrib.auth.models import Permission

from core.models import OutboxTask
from matching import services
from matching.models import Application, Result, Round, RoundSeminar
from seminars.models import Membership, Seminar
from tests.factories import UserFactory

DAY = timedelta(days=1)
# The students rank in the first week, the chairs in the second, the results come out on day 15.
START = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
STUDENTS_RANK = START + DAY
CHAIRS_RANK = START + 9 * DAY
AFTER = START + 14 * DAY


def may_coordinate(user):
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="matching", codename="coordinate_matching")
    )
    return user


def coordinator():
    return may_coordinate(UserFactory(full_name="Cora Coordinator"))


def windows(start=START) -> dict:
    return {
        "students_open_at": start,
        "students_close_at": start + 7 * DAY,
        "chairs_open_at": start + 7 * DAY,
        "chairs_close_at": start + 13 * DAY,
        "publish_at": start + 14 * DAY,
    }


def open_round(
    seats, *, by=None, unranked_acceptable=True, previous=None, start=START, title="Master seminars"
):
    return services.round_create(
        title=title,
        term="Summer term 2027",
        seats=seats,
        unranked_acceptable=unranked_acceptable,
        created_by=by or coordinator(),
        previous=previous,
        **windows(start),
    )


def entry_of(matching_round: Round, seminar: Seminar) -> RoundSeminar:
    return RoundSeminar.objects.get(round=matching_round, seminar=seminar)


def rank(matching_round, student, seminars, *, now=STUDENTS_RANK, programme=""):
    """The student's ranking, confirming every seminar's prerequisites."""
    ids = [entry_of(matching_round, seminar).pk for seminar in seminars]
    services.ranking_set(
        matching_round=matching_round,
        student=student,
        round_seminar_ids=ids,
        confirmed=set(ids),
        study_programme=programme,
        now=now,
    )


def everything() -> tuple:
    """What a refused action must leave as it was."""
    return (
        list(Round.objects.order_by("pk").values()),
        list(RoundSeminar.objects.order_by("pk").values()),
        list(Application.objects.order_by("pk").values()),
        list(Result.objects.order_by("pk").values()),
        list(Membership.objects.order_by("pk").values()),
        list(Seminar.objects.order_by("pk").values("pk", "places_by_matching", "capacity")),
        OutboxTask.objects.count(),
    )
