"""The paper list, the ranking page and the allotment table cost the same queries for 3 and 300 students."""

from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from papers.models import Allotment, AllotmentChange, AllotmentPublication, Paper, Preference
from seminars.models import Seminar
from tests.factories import SeminarFactory, TopicFactory, instructor_of, student_of, supervisor_of
from tests.seminars.helpers import add_students

from .helpers import NOW, PreferenceWindowFactory, allotment_url, list_url, preferences_url

pytestmark = pytest.mark.django_db

# One of them asks whether the allotment is published (no "Rank papers" after that, issue 19).
MAX_LIST_QUERIES = 10
MAX_ALLOTMENT_QUERIES = 16


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def add_papers(seminar: Seminar, count: int, *, prefix: str) -> list[Paper]:
    """Papers spread over the seminar's topics (and some without), each with a supervisor."""
    topics = [*seminar.topics.all(), None]
    supervisor = seminar.memberships.filter(role="supervisor").first().user
    Paper.objects.bulk_create(
        Paper(
            seminar=seminar,
            topic=topics[n % len(topics)],
            title=f"{prefix} paper {n:03d}",
            authors=f"Author {n}",
            abstract=f"Abstract {n}.",
            link=f"https://arxiv.org/abs/2101.{n:05d}",
            capacity=2,
            supervisor=supervisor,
        )
        for n in range(count)
    )
    return list(Paper.objects.filter(seminar=seminar, title__startswith=f"{prefix} paper"))


def allot_and_rank(seminar: Seminar, students, papers) -> None:
    """Every student ranks three papers and has one of them allotted; some changes are recorded."""
    Preference.objects.bulk_create(
        Preference(seminar=seminar, student=student, paper=papers[(n + k) % len(papers)], rank=k + 1)
        for n, student in enumerate(students)
        for k in range(3)
    )
    taken = Counter(Allotment.objects.filter(paper__in=papers).values_list("paper_id", flat=True))
    free_seats = [paper for paper in papers for _ in range(paper.capacity - taken[paper.pk])]
    Allotment.objects.bulk_create(
        Allotment(seminar=seminar, student=student, paper=paper, source="automatic", locked=n % 2 == 0)
        for n, (student, paper) in enumerate(zip(students, free_seats, strict=False))
    )
    AllotmentChange.objects.bulk_create(
        AllotmentChange(
            seminar=seminar,
            student=student,
            old_paper=papers[0],
            new_paper=papers[1],
            changed_by=None,
            reason="test",
            changed_at=NOW,
        )
        for student in students[:2]
    )


@pytest.fixture
def seminar():
    seminar = SeminarFactory(capacity=500)
    for n in range(5):
        TopicFactory(seminar=seminar, title=f"Topic {n}", order=n)
    supervisor_of(seminar)
    PreferenceWindowFactory(seminar=seminar)
    return seminar


@pytest.fixture
def me(seminar):
    return student_of(seminar)


@pytest.mark.parametrize("viewer", ["instructor", "student", "supervisor"])
def test_paper_list_costs_the_same_queries_for_3_and_300_students(
    client, seminar, me, viewer, django_assert_max_num_queries
):
    user = {"instructor": instructor_of, "student": lambda s: me, "supervisor": supervisor_of}[viewer](
        seminar
    )
    papers = add_papers(seminar, 160, prefix="p")
    allot_and_rank(seminar, [me, *add_students(seminar, 2, prefix="few")], papers)
    AllotmentPublication.objects.create(seminar=seminar, published_at=NOW)
    client.force_login(user)
    few = queries_for(client, list_url(seminar))

    allot_and_rank(seminar, add_students(seminar, 297, prefix="many"), papers)
    with django_assert_max_num_queries(MAX_LIST_QUERIES):
        response = client.get(list_url(seminar))

    assert response.content.decode().count('class="card paper"') == 160
    assert queries_for(client, list_url(seminar)) == few


@pytest.mark.parametrize("viewer", ["instructor", "student"])
def test_paper_list_costs_the_same_queries_for_few_and_many_papers(
    client, seminar, me, viewer, django_assert_max_num_queries
):
    user = instructor_of(seminar) if viewer == "instructor" else me
    students = [me, *add_students(seminar, 20, prefix="s")]
    allot_and_rank(seminar, students, add_papers(seminar, 3, prefix="few"))
    client.force_login(user)
    few = queries_for(client, list_url(seminar))

    add_papers(seminar, 150, prefix="many")
    with django_assert_max_num_queries(MAX_LIST_QUERIES):
        response = client.get(list_url(seminar))

    assert response.content.decode().count('class="card paper"') == 153
    assert queries_for(client, list_url(seminar)) == few


def test_allotment_table_costs_the_same_queries_for_3_and_300_students(
    client, seminar, django_assert_max_num_queries
):
    papers = add_papers(seminar, 160, prefix="p")
    client.force_login(instructor_of(seminar))
    allot_and_rank(seminar, add_students(seminar, 3, prefix="few"), papers)
    few = queries_for(client, allotment_url(seminar))

    allot_and_rank(seminar, add_students(seminar, 297, prefix="many"), papers)
    with django_assert_max_num_queries(MAX_ALLOTMENT_QUERIES):
        response = client.get(allotment_url(seminar))

    content = response.content.decode()
    assert content.count('name="allotment"') == 300
    assert queries_for(client, allotment_url(seminar)) == few


def test_allotment_table_costs_the_same_queries_for_few_and_many_papers(
    client, seminar, django_assert_max_num_queries
):
    client.force_login(instructor_of(seminar))
    students = add_students(seminar, 20, prefix="s")
    allot_and_rank(seminar, students[:6], add_papers(seminar, 3, prefix="few"))
    few = queries_for(client, allotment_url(seminar))

    allot_and_rank(seminar, students[6:], add_papers(seminar, 150, prefix="many"))
    with django_assert_max_num_queries(MAX_ALLOTMENT_QUERIES):
        client.get(allotment_url(seminar))

    assert queries_for(client, allotment_url(seminar)) == few


def test_preferences_page_costs_the_same_queries_for_few_and_many_papers(
    client, seminar, me, time_machine, django_assert_max_num_queries
):
    time_machine.move_to(NOW, tick=False)
    papers = add_papers(seminar, 3, prefix="few")
    Preference.objects.bulk_create(
        Preference(seminar=seminar, student=me, paper=paper, rank=n) for n, paper in enumerate(papers[:2], 1)
    )
    client.force_login(me)
    few = queries_for(client, preferences_url(seminar))

    add_papers(seminar, 150, prefix="many")
    with django_assert_max_num_queries(MAX_LIST_QUERIES):
        client.get(preferences_url(seminar))

    assert queries_for(client, preferences_url(seminar)) == few
