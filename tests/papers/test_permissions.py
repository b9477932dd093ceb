"""Who sees and does what in the papers app: students see only their own; manage pages are instructors'."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import User
from papers.models import (
    Allotment,
    AllotmentChange,
    AllotmentPublication,
    AllotmentRun,
    Paper,
    Preference,
    PreferenceWindow,
)
from papers.services import allotment_move, allotment_publish
from seminars.models import Membership, Seminar
from tests.factories import SeminarFactory, UserFactory, instructor_of, student_of, supervisor_of

from .helpers import (
    NOW,
    PaperFactory,
    PreferenceWindowFactory,
    list_url,
    preferences_url,
    rank,
)

pytestmark = pytest.mark.django_db


@dataclass
class World:
    seminar: Seminar
    papers: list[Paper]
    me: User
    other: User
    instructor: User
    supervisor: User
    other_instructor: User
    foreign_paper: Paper
    foreign_allotment: Allotment


def make_world(state=Seminar.State.OPEN) -> World:
    seminar = SeminarFactory(title="Seminar B", state=state)
    papers = [PaperFactory(seminar=seminar, title=f"Paper {n}", capacity=1) for n in (1, 2, 3, 4)]
    PreferenceWindowFactory(seminar=seminar)
    me = student_of(seminar, user__full_name="Mia Me", user__email="me@uni.example")
    other = student_of(seminar, user__full_name="Otto Other", user__email="otto@uni.example")
    rank(seminar, me, [papers[0]])
    rank(seminar, other, [papers[3], papers[2]])
    instructor = instructor_of(seminar)
    for student, paper in ((me, papers[0]), (other, papers[3])):
        Allotment.objects.create(seminar=seminar, student=student, paper=paper, source="automatic")
    seminar_a = SeminarFactory(title="Seminar A")
    foreign_paper = PaperFactory(seminar=seminar_a, title="Paper of seminar A")
    foreign_allotment = Allotment.objects.create(
        seminar=seminar_a, student=student_of(seminar_a), paper=foreign_paper, source="automatic"
    )
    return World(
        seminar=seminar,
        papers=papers,
        me=me,
        other=other,
        instructor=instructor,
        supervisor=supervisor_of(seminar),
        other_instructor=instructor_of(seminar_a),
        foreign_paper=foreign_paper,
        foreign_allotment=foreign_allotment,
    )


def snapshot() -> dict:
    return {
        "papers": list(Paper.objects.order_by("pk").values()),
        "preferences": sorted(Preference.objects.values_list("student_id", "paper_id", "rank")),
        "allotments": list(
            Allotment.objects.order_by("pk").values("student_id", "paper_id", "locked", "source")
        ),
        "runs": AllotmentRun.objects.count(),
        "publications": AllotmentPublication.objects.count(),
        "changes": AllotmentChange.objects.count(),
        "windows": list(PreferenceWindow.objects.values()),
    }


def ranking_section(content: str) -> str:
    start = content.index('id="ranking-heading"')
    end = content.index('id="add-heading"') if 'id="add-heading"' in content else len(content)
    return content[start:end]


# ----------------------------------------------------------------------------------- the student's own data


def test_preferences_page_shows_only_the_own_ranking(client):
    world = make_world()
    client.force_login(world.me)

    content = client.get(preferences_url(world.seminar)).content.decode()

    ranked = ranking_section(content)
    assert "Paper 1" in ranked
    assert "Paper 4" not in ranked
    assert "Paper 3" not in ranked
    assert "Otto" not in content
    assert "otto@uni.example" not in content


@pytest.mark.parametrize(
    "field",
    ["student", "student_id", "user", "user_id"],
)
def test_preferences_post_naming_another_student_changes_only_the_own_ranking(client, field, time_machine):
    time_machine.move_to(NOW, tick=False)
    world = make_world()
    client.force_login(world.me)

    client.post(
        preferences_url(world.seminar),
        {"action": "add", "paper": world.papers[1].pk, field: world.other.pk},
    )
    client.post(preferences_url(world.seminar), {"ranking": [world.papers[0].pk], field: world.other.pk})

    assert list(
        Preference.objects.filter(student=world.other).order_by("rank").values_list("paper", flat=True)
    ) == [
        world.papers[3].pk,
        world.papers[2].pk,
    ]
    assert list(Preference.objects.filter(student=world.me).values_list("paper", flat=True)) == [
        world.papers[0].pk
    ]


def test_preferences_post_after_the_window_closed_changes_nothing(client, time_machine):
    world = make_world()
    time_machine.move_to(NOW + timedelta(days=7, microseconds=1), tick=False)
    before = snapshot()
    client.force_login(world.me)

    response = client.post(
        preferences_url(world.seminar), {"action": "add", "paper": world.papers[1].pk}, follow=True
    )

    assert "the preference window is closed" in response.content.decode()
    assert snapshot() == before


def test_preferences_post_of_another_seminars_paper_changes_nothing(client, time_machine):
    time_machine.move_to(NOW, tick=False)
    world = make_world()
    before = snapshot()
    client.force_login(world.me)

    response = client.post(
        preferences_url(world.seminar), {"action": "add", "paper": world.foreign_paper.pk}, follow=True
    )
    client.post(preferences_url(world.seminar), {"ranking": [world.foreign_paper.pk]})

    assert "Only papers of this seminar can be ranked." in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize("who", ["instructor", "supervisor"])
def test_preferences_page_is_for_students_only(client, who):
    world = make_world()
    client.force_login(getattr(world, who))

    assert client.get(preferences_url(world.seminar)).status_code == 403
    assert (
        client.post(
            preferences_url(world.seminar), {"action": "add", "paper": world.papers[1].pk}
        ).status_code
        == 403
    )
    assert not Preference.objects.filter(student=getattr(world, who)).exists()


def test_paper_list_before_publishing_shows_no_allotment_to_a_student(client):
    world = make_world()
    client.force_login(world.me)

    content = client.get(list_url(world.seminar)).content.decode()

    assert "Your paper" not in content
    assert "allotted" not in content
    assert "Otto" not in content
    assert "Mia Me" not in content.split("<main", 1)[-1]


def test_seminar_page_before_publishing_shows_no_allotment_to_a_student(client):
    world = make_world()
    client.force_login(world.me)

    content = client.get(world.seminar.get_absolute_url()).content.decode()

    assert "Paper 1" not in content
    assert "Your paper" not in content


def test_paper_list_after_publishing_shows_the_student_only_their_own_paper(client):
    world = make_world()
    allotment_publish(seminar=world.seminar, published_by=world.instructor, now=NOW)
    client.force_login(world.me)

    content = client.get(list_url(world.seminar)).content.decode()

    panel = content[content.index('id="my-paper-heading"') : content.index("</section>")]
    assert "Paper 1" in panel
    assert "Paper 4" not in panel
    assert "Otto" not in content


# ------------------------------------------------------------------------------------------- who gets in


@pytest.mark.parametrize("url_of", [list_url, preferences_url], ids=["list", "preferences"])
def test_papers_pages_refuse_non_members(client, url_of):
    world = make_world()
    client.force_login(UserFactory())

    assert client.get(url_of(world.seminar)).status_code == 403


@pytest.mark.parametrize("url_of", [list_url, preferences_url], ids=["list", "preferences"])
def test_papers_pages_of_a_draft_are_404_to_non_members(client, url_of):
    world = make_world(state=Seminar.State.DRAFT)
    client.force_login(UserFactory())

    response = client.get(url_of(world.seminar))

    assert response.status_code == 404
    assert "Seminar B" not in response.content.decode()


@pytest.mark.parametrize("url_of", [list_url, preferences_url], ids=["list", "preferences"])
def test_papers_pages_send_anonymous_to_login(client, url_of):
    world = make_world()
    url = url_of(world.seminar)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url}"


# -------------------------------------------------------------------------------------- the manage pages


def manage_requests(world: World) -> list[tuple[str, str, dict]]:
    """(method, url, data) of every manage page and action, with data a real instructor could send."""
    slug = world.seminar.slug
    paper = world.papers[1]
    me = Membership.objects.get(seminar=world.seminar, user=world.me).pk
    other = Membership.objects.get(seminar=world.seminar, user=world.other).pk
    allotment = Allotment.objects.get(student=world.me).pk
    url = lambda name, **kw: reverse(f"papers:{name}", kwargs={"slug": slug, **kw})  # noqa: E731
    paper_data = {"title": "Hijacked", "authors": "Ivo Intruder", "capacity": "1"}
    bib = b"@article{intruder2020, title={Intruded}, author={Intruder, Ivo}, year={2020}}\n"
    return [
        ("get", url("create"), {}),
        ("post", url("create"), paper_data),
        ("get", url("edit", pk=paper.pk), {}),
        ("post", url("edit", pk=paper.pk), paper_data),
        ("post", url("delete", pk=paper.pk), {}),
        ("get", url("import"), {}),
        ("post", url("import"), {"paper_file": SimpleUploadedFile("p.bib", bib)}),
        ("get", url("window"), {}),
        (
            "post",
            url("window"),
            {"opens_at": "2020-01-01T00:00", "closes_at": "2030-01-01T00:00", "max_choices": "9"},
        ),
        ("get", url("allotment"), {}),
        ("post", url("allotment"), {"action": "run", "mechanism": "rsd", "seed": "1"}),
        ("post", url("allotment"), {"action": "move", "student": me, "paper": paper.pk, "reason": "x"}),
        ("post", url("allotment"), {"action": "swap", "first": me, "second": other, "reason": "x"}),
        ("post", url("allotment"), {"action": "lock", "allotment": allotment}),
        ("post", url("allotment"), {"action": "unlock", "allotment": allotment}),
        ("post", url("allotment"), {"action": "publish"}),
    ]


REQUEST_IDS = [
    "create-get",
    "create-post",
    "edit-get",
    "edit-post",
    "delete-post",
    "import-get",
    "import-post",
    "window-get",
    "window-post",
    "allotment-get",
    "run",
    "move",
    "swap",
    "lock",
    "unlock",
    "publish",
]


def send(client, method, url, data):
    return client.get(url) if method == "get" else client.post(url, data)


@pytest.mark.parametrize("index", range(len(REQUEST_IDS)), ids=REQUEST_IDS)
@pytest.mark.parametrize("who", ["me", "supervisor", "other_instructor"])
def test_manage_pages_refuse_everyone_but_the_seminars_instructors(
    client, who, index, mailoutbox, django_capture_on_commit_callbacks
):
    world = make_world()
    method, url, data = manage_requests(world)[index]
    before = snapshot()
    client.force_login(getattr(world, who))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = send(client, method, url, data)

    assert response.status_code == 403
    content = response.content.decode()
    assert "otto@uni.example" not in content
    assert "Otto Other" not in content
    assert snapshot() == before
    assert callbacks == []
    assert mailoutbox == []


@pytest.mark.parametrize("index", range(len(REQUEST_IDS)), ids=REQUEST_IDS)
def test_manage_pages_send_anonymous_to_login(client, index):
    world = make_world()
    method, url, data = manage_requests(world)[index]
    before = snapshot()

    response = send(client, method, url, data)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert snapshot() == before


@pytest.mark.parametrize(
    "index",
    [
        pytest.param(
            index,
            id=name,
        )
        for index, name in enumerate(REQUEST_IDS)
    ],
)
def test_manage_pages_answer_the_seminars_instructor(client, index):
    """The same requests do work for the right person, so the refusals above are not an accident."""
    world = make_world()
    method, url, data = manage_requests(world)[index]
    client.force_login(world.instructor)

    response = send(client, method, url, data)

    assert response.status_code in (200, 302)


def test_other_instructor_cannot_run_or_publish_and_nothing_changes(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    world = make_world()
    url = reverse("papers:allotment", kwargs={"slug": world.seminar.slug})
    before = snapshot()
    client.force_login(world.other_instructor)

    with django_capture_on_commit_callbacks(execute=True):
        run = client.post(url, {"action": "run", "mechanism": "optimal", "seed": "1"})
        published = client.post(url, {"action": "publish"})

    assert (run.status_code, published.status_code) == (403, 403)
    assert snapshot() == before
    assert not AllotmentPublication.objects.filter(seminar=world.seminar).exists()
    assert mailoutbox == []


def test_allotment_lock_of_another_seminars_allotment_is_404(client):
    world = make_world()
    client.force_login(world.instructor)
    url = reverse("papers:allotment", kwargs={"slug": world.seminar.slug})

    response = client.post(url, {"action": "lock", "allotment": world.foreign_allotment.pk})

    assert response.status_code == 404
    world.foreign_allotment.refresh_from_db()
    assert world.foreign_allotment.locked is False


def test_allotment_move_naming_another_seminars_student_or_paper_changes_nothing(client):
    world = make_world()
    client.force_login(world.instructor)
    url = reverse("papers:allotment", kwargs={"slug": world.seminar.slug})
    foreign_membership = Membership.objects.get(user=world.foreign_allotment.student).pk
    mine = Membership.objects.get(seminar=world.seminar, user=world.me).pk
    before = snapshot()

    foreign_student = client.post(
        url, {"action": "move", "student": foreign_membership, "paper": world.papers[1].pk}
    )
    foreign_paper = client.post(url, {"action": "move", "student": mine, "paper": world.foreign_paper.pk})

    assert "Select a valid choice." in foreign_student.content.decode()
    assert "Select a valid choice." in foreign_paper.content.decode()
    assert snapshot() == before


def test_paper_edit_and_delete_of_another_seminars_paper_are_404(client):
    world = make_world()
    client.force_login(world.instructor)
    slug = world.seminar.slug
    pk = world.foreign_paper.pk

    edit = client.post(
        reverse("papers:edit", kwargs={"slug": slug, "pk": pk}), {"title": "x", "authors": "y"}
    )
    delete = client.post(reverse("papers:delete", kwargs={"slug": slug, "pk": pk}))

    assert (edit.status_code, delete.status_code) == (404, 404)
    assert Paper.objects.get(pk=pk).title == "Paper of seminar A"


def test_move_by_the_service_stays_invisible_until_published(client):
    """A hand-made allotment is as private as an automatic one until the instructor publishes."""
    world = make_world()
    allotment_move(
        seminar=world.seminar,
        student=world.me,
        paper=world.papers[2],
        changed_by=world.instructor,
        reason="",
        now=NOW,
    )
    client.force_login(world.me)

    assert "Your paper" not in client.get(list_url(world.seminar)).content.decode()
