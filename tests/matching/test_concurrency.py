"""What the row locks of matching/services.py serialise, with real concurrent transactions (PostgreSQL;
SQLite serialises all writes anyway)."""

from matching import running
from matching.models import Result, RoundSeminar
from seminars.models import Membership
from tests.concurrency import POSTGRESQL_ONLY, run_at_once
from tests.factories import SeminarFactory, UserFactory
from tests.matching.helpers import AFTER, coordinator, open_round, rank

pytestmark = POSTGRESQL_ONLY


def test_two_runs_at_once_run_the_round_once():
    seminar = SeminarFactory(mandatory_prerequisites="")
    matching_round = open_round([(seminar, 1)])
    for _ in range(3):
        rank(matching_round, UserFactory(), [seminar])
    boss = coordinator()

    outcomes = run_at_once(
        *(
            lambda seed=seed: running.round_run(
                matching_round=matching_round, run_by=boss, now=AFTER, seed=seed
            )
            for seed in (1, 2)
        )
    )

    assert outcomes == ["AlreadyRunError", "done"]
    assert Result.objects.filter(round=matching_round).count() == 3


def test_two_publications_at_once_admit_each_student_once():
    seminar = SeminarFactory(mandatory_prerequisites="")
    matching_round = open_round([(seminar, 2)])
    for _ in range(2):
        rank(matching_round, UserFactory(), [seminar])
    boss = coordinator()
    running.round_run(matching_round=matching_round, run_by=boss, now=AFTER, seed=1)

    outcomes = run_at_once(
        *(
            lambda: running.round_publish(matching_round=matching_round, published_by=boss, now=AFTER)
            for _ in range(2)
        )
    )

    assert outcomes == ["AlreadyPublishedError", "done"]
    assert Membership.objects.filter(seminar=seminar, source=Membership.Source.MATCHING).count() == 2


def test_two_coordinators_cannot_put_one_seminar_into_two_rounds_at_once():
    seminar = SeminarFactory()

    outcomes = run_at_once(*(lambda title=title: open_round([(seminar, 3)], title=title) for title in "AB"))

    assert outcomes == ["MatchingError", "done"]
    assert RoundSeminar.objects.filter(seminar=seminar).count() == 1
