"""The pages of the papers app as their users see them: catalogue, ranking, allotment, editing, import."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from papers.models import Allotment, AllotmentChange, AllotmentPublication, AllotmentRun, Paper, Preference
from papers.services import allotment_move, allotment_publish
from seminars.models import Membership
from tests.factories import SeminarFactory, TopicFactory, instructor_of, student_of, supervisor_of

from .helpers import (
    NOW,
    PaperFactory,
    PreferenceWindowFactory,
    allotment_url,
    allotted,
    create_url,
    delete_url,
    edit_url,
    import_url,
    list_url,
    preferences_url,
    publish_allotment,
    rank,
    window_url,
)

pytestmark = pytest.mark.django_db

BROKEN_BIB = b"""% two entries are broken

@article{good2020,
  title = {A good paper},
  author = {Author, Ann},
  year = {2020}
}

@article{broken2021,
  title = {A broken paper,
  author = {Author, Bob},
  year = {2021}
}

@article{badyear2019,
  title = {A paper with a bad year},
  author = {Author, Cy},
  year = {twenty}
}
"""


@pytest.fixture
def now(time_machine):
    time_machine.move_to(NOW, tick=False)
    return NOW


@pytest.fixture
def seminar():
    return SeminarFactory(title="Deep learning theory")


@pytest.fixture
def catalogue(seminar):
    """Two topics (in the seminar's order, not alphabetical), three papers and one without a topic."""
    robust = TopicFactory(seminar=seminar, title="Robustness", order=2)
    general = TopicFactory(seminar=seminar, title="Generalization", order=1)
    supervisor = supervisor_of(seminar, user__full_name="Sue Supervisor", user__email="sue@uni.example")
    return {
        "zhang": PaperFactory(
            seminar=seminar,
            topic=general,
            title="Rethinking generalization",
            authors="Chiyuan Zhang, Samy Bengio",
            abstract="Deep nets fit random labels.",
            link="https://arxiv.org/abs/1611.03530",
            capacity=2,
            supervisor=supervisor,
        ),
        "bartlett": PaperFactory(
            seminar=seminar,
            topic=general,
            title="Spectrally-normalized margin bounds",
            authors="Peter Bartlett",
        ),
        "madry": PaperFactory(
            seminar=seminar,
            topic=robust,
            title="Towards deep learning models resistant to adversarial attacks",
            authors="Aleksander Madry",
            abstract="Robust optimization view.",
        ),
        "loose": PaperFactory(seminar=seminar, topic=None, title="A paper without topic", authors="Nobody"),
        "topics": (general, robust),
        "supervisor": supervisor,
    }


def headings_and_titles(content: str) -> list[str]:
    """The topic headings (h2) and paper titles (h3) of the paper list, in page order."""
    found = re.findall(
        r"<h2 id=\"topic-\d+\">(.*?)</h2>|<h3>(?:<a href=\"[^\"]*\">)?(.*?)(?:</a>)?</h3>", content
    )
    return [heading or f"  {title}" for heading, title in found]


def ranking_on_page(content: str) -> list[str]:
    return re.findall(r'<span class="ranking-title">(.*?)</span>', content)


def ranking_in_db(seminar, student) -> list[str]:
    return list(
        Preference.objects.filter(seminar=seminar, student=student)
        .order_by("rank")
        .values_list("paper__title", flat=True)
    )


# -------------------------------------------------------------------------------------------- paper list


def test_paper_list_groups_papers_by_topic_in_the_seminars_order(client, seminar, catalogue):
    client.force_login(student_of(seminar))

    content = client.get(list_url(seminar)).content.decode()

    assert headings_and_titles(content) == [
        "Generalization",
        "  Rethinking generalization",
        "  Spectrally-normalized margin bounds",
        "Robustness",
        "  Towards deep learning models resistant to adversarial attacks",
        "Other papers",
        "  A paper without topic",
    ]


def test_paper_list_shows_abstracts_authors_and_links(client, seminar, catalogue):
    client.force_login(student_of(seminar))

    content = client.get(list_url(seminar)).content.decode()

    assert '<a href="https://arxiv.org/abs/1611.03530">Rethinking generalization</a>' in content
    assert "<summary>Abstract</summary><p>Deep nets fit random labels.</p>" in content
    assert "Chiyuan Zhang, Samy Bengio · NeurIPS · 2020" in content
    assert "<h3>Spectrally-normalized margin bounds</h3>" in content  # no link, no empty anchor


def test_paper_list_filtered_by_topic_shows_only_that_topic(client, seminar, catalogue):
    _general, robust = catalogue["topics"]
    client.force_login(student_of(seminar))

    content = client.get(list_url(seminar), {"topic": robust.pk}).content.decode()

    assert headings_and_titles(content) == [
        "Robustness",
        "  Towards deep learning models resistant to adversarial attacks",
    ]
    assert f'<option value="{robust.pk}" selected>Robustness</option>' in content


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("bartlett", ["Generalization", "  Spectrally-normalized margin bounds"]),
        ("MARGIN bounds", ["Generalization", "  Spectrally-normalized margin bounds"]),
        ("deep", ["Robustness", "  Towards deep learning models resistant to adversarial attacks"]),
        ("zhang generalization", ["Generalization", "  Rethinking generalization"]),
    ],
)
def test_paper_list_searched_by_title_or_author_shows_the_matches(
    client, seminar, catalogue, query, expected
):
    client.force_login(student_of(seminar))

    content = client.get(list_url(seminar), {"q": query}).content.decode()

    assert headings_and_titles(content) == expected
    assert f'value="{query}"' in content


def test_paper_list_search_without_match_says_so(client, seminar, catalogue):
    client.force_login(student_of(seminar))

    content = client.get(list_url(seminar), {"q": "transformers"}).content.decode()

    assert headings_and_titles(content) == []
    assert "No paper matches." in content


def test_paper_list_of_a_seminar_without_papers_says_so(client, seminar):
    client.force_login(student_of(seminar))

    assert "No papers have been published yet." in client.get(list_url(seminar)).content.decode()


def test_paper_list_shows_the_instructor_edit_links_and_seat_counts(client, seminar, catalogue):
    instructor = instructor_of(seminar)
    Allotment.objects.create(
        seminar=seminar, student=student_of(seminar), paper=catalogue["zhang"], source="manual"
    )
    client.force_login(instructor)

    content = client.get(list_url(seminar)).content.decode()

    assert "1 of 2 seats allotted" in content
    assert "0 of 1 seat allotted" in content
    assert "Supervisor: Sue Supervisor" in content
    assert f'href="{edit_url(catalogue["zhang"])}"' in content
    for url in (create_url(seminar), import_url(seminar), allotment_url(seminar)):
        assert f'href="{url}"' in content


@pytest.mark.parametrize("role", ["student", "supervisor"])
def test_paper_list_hides_edit_links_and_seat_counts_from_others(client, seminar, catalogue, role):
    user = student_of(seminar) if role == "student" else supervisor_of(seminar)
    client.force_login(user)

    content = client.get(list_url(seminar)).content.decode()

    assert "seats allotted" not in content
    assert "seat allotted" not in content
    assert edit_url(catalogue["zhang"]) not in content
    assert allotment_url(seminar) not in content


def test_paper_list_shows_the_students_paper_only_after_publishing(client, seminar, catalogue):
    instructor = instructor_of(seminar)
    student = student_of(seminar)
    allotment_move(
        seminar=seminar,
        student=student,
        paper=catalogue["zhang"],
        changed_by=instructor,
        reason="",
        now=NOW,
    )
    client.force_login(student)

    before = client.get(list_url(seminar)).content.decode()
    allotment_publish(seminar=seminar, published_by=instructor, now=NOW)
    after = client.get(list_url(seminar)).content.decode()

    assert "Your paper" not in before
    assert '<h2 id="my-paper-heading">Your paper</h2>' in after
    assert "<strong>Rethinking generalization</strong><br>Chiyuan Zhang, Samy Bengio" in after
    assert 'Sue Supervisor &lt;<a href="mailto:sue@uni.example">sue@uni.example</a>&gt;' in after


def test_paper_list_offers_ranking_while_the_window_is_open(client, seminar, catalogue, now):
    PreferenceWindowFactory(seminar=seminar)
    client.force_login(student_of(seminar))

    content = client.get(list_url(seminar)).content.decode()

    assert "You can rank papers until" in content
    assert f'class="button button-primary" href="{preferences_url(seminar)}">Rank papers</a>' in content


def test_paper_list_offers_no_ranking_once_the_allotment_is_published(client, seminar, catalogue, now):
    PreferenceWindowFactory(seminar=seminar)
    client.force_login(student_of(seminar))
    publish_allotment(seminar)

    content = client.get(list_url(seminar)).content.decode()

    assert "Rank papers" not in content
    assert "You can rank papers until" not in content
    assert "Your ranking" in content


# ------------------------------------------------------------------------------------------- preferences


@pytest.fixture
def ranking_student(seminar, catalogue, now):
    PreferenceWindowFactory(seminar=seminar, max_choices=3)
    student = student_of(seminar)
    return student


def press(client, seminar, action: str, paper: Paper):
    return client.post(preferences_url(seminar), {"action": action, "paper": paper.pk}, follow=True)


def test_preferences_page_add_up_down_remove_keeps_the_order(client, seminar, catalogue, ranking_student):
    client.force_login(ranking_student)
    zhang, bartlett, madry = catalogue["zhang"], catalogue["bartlett"], catalogue["madry"]

    for paper in (zhang, bartlett, madry):
        response = press(client, seminar, "add", paper)
        assert "Your ranking has been saved." in response.content.decode()
    assert ranking_on_page(response.content.decode()) == [zhang.title, bartlett.title, madry.title]

    response = press(client, seminar, "up", madry)
    assert ranking_on_page(response.content.decode()) == [zhang.title, madry.title, bartlett.title]

    response = press(client, seminar, "down", zhang)
    assert ranking_on_page(response.content.decode()) == [madry.title, zhang.title, bartlett.title]

    response = press(client, seminar, "remove", zhang)
    assert ranking_on_page(response.content.decode()) == [madry.title, bartlett.title]
    assert ranking_in_db(seminar, ranking_student) == [madry.title, bartlett.title]
    assert ranking_on_page(client.get(preferences_url(seminar)).content.decode()) == [
        madry.title,
        bartlett.title,
    ]


def test_preferences_buttons_return_to_the_row_they_changed(client, seminar, catalogue, ranking_student):
    """Without JavaScript the page comes back at the changed paper: its row in the ranking after adding or
    moving it, its card among the papers to add after removing it (the ids are on the page)."""
    client.force_login(ranking_student)
    zhang, bartlett = catalogue["zhang"], catalogue["bartlett"]
    address = preferences_url(seminar)

    added = client.post(address, {"action": "add", "paper": zhang.pk})
    client.post(address, {"action": "add", "paper": bartlett.pk})
    moved = client.post(address, {"action": "up", "paper": bartlett.pk})
    removed = client.post(address, {"action": "remove", "paper": zhang.pk})
    whole = client.post(address, {"ranking": [bartlett.pk]})

    assert added.url == f"{address}#rank-{zhang.pk}"
    assert moved.url == f"{address}#rank-{bartlett.pk}"
    assert removed.url == f"{address}#paper-{zhang.pk}"
    assert whole.url == f"{address}#ranking-heading"
    page = client.get(address).content.decode()
    assert f'id="rank-{bartlett.pk}"' in page
    assert f'id="paper-{zhang.pk}"' in page


def test_preferences_page_up_on_the_first_and_down_on_the_last_change_nothing(
    client, seminar, catalogue, ranking_student
):
    client.force_login(ranking_student)
    zhang, bartlett = catalogue["zhang"], catalogue["bartlett"]
    rank(seminar, ranking_student, [zhang, bartlett])

    press(client, seminar, "up", zhang)
    press(client, seminar, "down", bartlett)

    assert ranking_in_db(seminar, ranking_student) == [zhang.title, bartlett.title]


def test_preferences_page_offers_only_unranked_papers_with_their_buttons(
    client, seminar, catalogue, ranking_student
):
    client.force_login(ranking_student)
    rank(seminar, ranking_student, [catalogue["zhang"], catalogue["bartlett"]])

    content = client.get(preferences_url(seminar)).content.decode()

    add_section = content[content.index('id="add-heading"') :]
    assert catalogue["madry"].title in add_section
    assert catalogue["zhang"].title not in add_section
    assert "Rank up to 3 papers, best first." in content
    ranked = content[content.index('id="ranking-heading"') : content.index('id="add-heading"')]
    assert ranked.count('value="up"') == 1
    assert ranked.count('value="down"') == 1
    assert ranked.count('value="remove"') == 2


def test_preferences_page_with_a_full_ranking_offers_nothing_more(
    client, seminar, catalogue, ranking_student
):
    client.force_login(ranking_student)
    rank(seminar, ranking_student, [catalogue["zhang"], catalogue["bartlett"], catalogue["madry"]])

    content = client.get(preferences_url(seminar)).content.decode()
    response = press(client, seminar, "add", catalogue["loose"])

    assert 'id="add-heading"' not in content
    assert "You can rank at most 3 papers. Remove one before adding another." in response.content.decode()
    assert len(ranking_in_db(seminar, ranking_student)) == 3


def test_preferences_page_after_the_window_closed_shows_the_final_ranking_without_buttons(
    client, seminar, catalogue, ranking_student, time_machine
):
    client.force_login(ranking_student)
    rank(seminar, ranking_student, [catalogue["zhang"]])
    time_machine.move_to(NOW + timedelta(days=8), tick=False)

    content = client.get(preferences_url(seminar)).content.decode()
    response = press(client, seminar, "add", catalogue["bartlett"])

    assert "Your ranking below is final." in content
    assert 'name="action"' not in content
    assert ranking_on_page(content) == [catalogue["zhang"].title]
    assert "the preference window is closed" in response.content.decode()
    assert ranking_in_db(seminar, ranking_student) == [catalogue["zhang"].title]


def test_preferences_page_before_the_window_opens_says_when(client, seminar, catalogue, time_machine):
    PreferenceWindowFactory(
        seminar=seminar, opens_at=NOW + timedelta(days=1), closes_at=NOW + timedelta(days=5)
    )
    time_machine.move_to(NOW, tick=False)
    client.force_login(student_of(seminar))

    content = client.get(preferences_url(seminar)).content.decode()

    assert "Ranking opens on" in content
    assert 'name="action"' not in content


def test_preferences_page_without_window_says_not_opened(client, seminar, catalogue):
    client.force_login(student_of(seminar))

    assert (
        "The instructors have not opened the ranking yet."
        in client.get(preferences_url(seminar)).content.decode()
    )


def test_preferences_page_accepts_a_whole_ranking(client, seminar, catalogue, ranking_student):
    client.force_login(ranking_student)

    client.post(preferences_url(seminar), {"ranking": [catalogue["madry"].pk, catalogue["zhang"].pk]})

    assert ranking_in_db(seminar, ranking_student) == [catalogue["madry"].title, catalogue["zhang"].title]


# --------------------------------------------------------------------------------------------- allotment


@pytest.fixture
def trio(seminar, catalogue):
    """Three students with rankings; the optimal run gives B Rethinking, A Spectrally, C Towards."""
    a = student_of(seminar, user__full_name="Alice A", user__email="a@uni.example")
    b = student_of(seminar, user__full_name="Bob B", user__email="b@uni.example")
    c = student_of(seminar, user__full_name="Cleo C", user__email="c@uni.example")
    Paper.objects.filter(pk=catalogue["zhang"].pk).update(capacity=1)
    rank(seminar, a, [catalogue["zhang"], catalogue["bartlett"]])
    rank(seminar, b, [catalogue["zhang"]])
    rank(seminar, c, [catalogue["bartlett"], catalogue["madry"]])
    return a, b, c


@pytest.fixture
def instructor_client(client, seminar):
    client.force_login(instructor_of(seminar, user__full_name="Ina Instructor"))
    return client


def act(client, seminar, action: str, **data):
    return client.post(allotment_url(seminar), {"action": action, **data}, follow=True)


def publish(client, seminar):
    """As the instructor does it: the confirmation page's button."""
    return client.post(reverse("papers:publish", args=[seminar.slug]), {"confirmed": "yes"}, follow=True)


def membership(seminar, user) -> int:
    return Membership.objects.get(seminar=seminar, user=user).pk


def test_allotment_page_run_shows_the_summary(instructor_client, seminar, trio):
    response = act(instructor_client, seminar, "run", mechanism="optimal", seed="42")

    content = response.content.decode()
    assert response.redirect_chain == [(allotment_url(seminar), 302)]
    assert "Allotment proposed (seed 42). Check it, then publish." in content
    assert "1 of 3 got choice no. 1" in content
    assert "2 of 3 got choice no. 2" in content
    assert "Last automatic run: Optimal (least total rank cost), seed 42." in content
    assert AllotmentRun.objects.get().seed == 42


def test_allotment_page_summary_counts_unranked_and_students_without_paper(
    instructor_client, seminar, catalogue, trio
):
    a, b, c = trio
    lazy = student_of(seminar, user__full_name="Lazy L")
    Allotment.objects.create(seminar=seminar, student=a, paper=catalogue["zhang"], source="manual")
    Allotment.objects.create(seminar=seminar, student=b, paper=catalogue["loose"], source="manual")

    content = instructor_client.get(allotment_url(seminar)).content.decode()

    assert "1 of 4 got choice no. 1" in content
    assert "1 of 4 got a paper they did not rank" in content
    assert "<strong>2 of 4 have no paper</strong>" in content
    assert "(ranked nothing)" in content
    assert lazy.full_name in content


def test_allotment_page_run_without_seed_records_a_random_one(instructor_client, seminar, trio):
    response = act(instructor_client, seminar, "run", mechanism="rsd", seed="")

    run = AllotmentRun.objects.get()
    assert run.mechanism == "rsd"
    assert f"Allotment proposed (seed {run.seed})." in response.content.decode()
    assert Allotment.objects.filter(seminar=seminar).count() == 3


def test_allotment_page_run_with_an_unknown_mechanism_shows_the_form_error(instructor_client, seminar, trio):
    response = act(instructor_client, seminar, "run", mechanism="lottery", seed="1")

    assert response.redirect_chain == []
    assert "Select a valid choice." in response.content.decode()
    assert AllotmentRun.objects.count() == 0


def test_allotment_page_move_locks_and_tells(instructor_client, seminar, catalogue, trio):
    a, _b, _c = trio

    response = act(
        instructor_client, seminar, "move", student=membership(seminar, a), paper=catalogue["loose"].pk
    )

    assert (
        "Alice A now has “A paper without topic” (locked: a new run keeps it)." in response.content.decode()
    )
    assert allotted(seminar)["a@uni.example"] == ("A paper without topic", "manual", True)
    assert 'Unlock<span class="visually-hidden"> Alice A</span>' in response.content.decode()


def test_allotment_page_move_to_a_full_paper_shows_why(instructor_client, seminar, catalogue, trio):
    a, b, _c = trio
    act(instructor_client, seminar, "move", student=membership(seminar, b), paper=catalogue["zhang"].pk)

    response = act(
        instructor_client, seminar, "move", student=membership(seminar, a), paper=catalogue["zhang"].pk
    )

    assert "“Rethinking generalization” has no free seat (1). Swap the students instead." in (
        response.content.decode()
    )
    assert "a@uni.example" not in allotted(seminar)


def test_allotment_page_swap_exchanges_and_tells(instructor_client, seminar, catalogue, trio):
    a, b, _c = trio
    act(instructor_client, seminar, "run", mechanism="optimal", seed="1")

    response = act(
        instructor_client, seminar, "swap", first=membership(seminar, a), second=membership(seminar, b)
    )

    assert "Alice A and Bob B have swapped their papers (both locked)." in response.content.decode()
    result = allotted(seminar)
    assert result["a@uni.example"] == ("Rethinking generalization", "manual", True)
    assert result["b@uni.example"] == ("Spectrally-normalized margin bounds", "manual", True)


def test_allotment_page_swap_of_a_student_with_themselves_shows_the_form_error(
    instructor_client, seminar, trio
):
    a, _b, _c = trio

    response = act(
        instructor_client, seminar, "swap", first=membership(seminar, a), second=membership(seminar, a)
    )

    assert "Choose two different students." in response.content.decode()


def test_allotment_page_lock_and_unlock(instructor_client, seminar, trio):
    act(instructor_client, seminar, "run", mechanism="optimal", seed="1")
    allotment = Allotment.objects.first()

    locking = act(instructor_client, seminar, "lock", allotment=allotment.pk)
    locked = Allotment.objects.get(pk=allotment.pk).locked
    unlocking = act(instructor_client, seminar, "unlock", allotment=allotment.pk)

    assert locked is True
    assert Allotment.objects.get(pk=allotment.pk).locked is False
    name, title = allotment.student.get_full_name(), allotment.paper.title
    assert f"{name} keeps “{title}”: a new run leaves it as it is." in locking.content.decode()
    assert f"{name}&#x27;s paper is unlocked: a new run may change it." in unlocking.content.decode()


def test_allotment_page_publish_mails_and_hides_run_and_publish(
    instructor_client, seminar, trio, django_capture_on_commit_callbacks, mailoutbox
):
    act(instructor_client, seminar, "run", mechanism="optimal", seed="1")

    with django_capture_on_commit_callbacks(execute=True):
        response = publish(instructor_client, seminar)

    content = response.content.decode()
    assert response.redirect_chain == [(allotment_url(seminar), 302)]
    assert "The allotment is published; every allotted student gets an e-mail." in content
    assert "Published: students see their papers." in content
    assert 'value="run"' not in content
    assert reverse("papers:publish", args=[seminar.slug]) not in content
    assert AllotmentPublication.objects.filter(seminar=seminar).exists()
    assert sorted(mail.to[0] for mail in mailoutbox) == ["a@uni.example", "b@uni.example", "c@uni.example"]


def test_allotment_page_publish_with_nothing_allotted_shows_why(instructor_client, seminar, trio):
    page = instructor_client.get(reverse("papers:publish", args=[seminar.slug]))
    response = publish(instructor_client, seminar)

    assert "There is no allotment to publish yet." in page.content.decode()
    assert 'name="confirmed"' not in page.content.decode()
    assert "There is no allotment to publish yet." in response.content.decode()
    assert not AllotmentPublication.objects.exists()


def test_allotment_page_run_after_publishing_shows_why(instructor_client, seminar, trio):
    act(instructor_client, seminar, "run", mechanism="optimal", seed="1")
    publish(instructor_client, seminar)

    response = act(instructor_client, seminar, "run", mechanism="rsd", seed="2")

    assert "The allotment is already published." in response.content.decode()
    assert AllotmentRun.objects.count() == 1


def test_allotment_page_move_after_publishing_needs_a_reason_and_lists_the_change(
    instructor_client, seminar, catalogue, trio, django_capture_on_commit_callbacks, mailoutbox
):
    a, _b, _c = trio
    act(instructor_client, seminar, "run", mechanism="optimal", seed="1")
    publish(instructor_client, seminar)
    data = {"student": membership(seminar, a), "paper": catalogue["loose"].pk}

    refused = act(instructor_client, seminar, "move", **data)
    with django_capture_on_commit_callbacks(execute=True):
        response = act(instructor_client, seminar, "move", reason="Swapped at the student's wish", **data)

    assert "please give a reason for this change" in refused.content.decode()
    content = response.content.decode()
    assert "Changes after publishing" in content
    assert "Alice A — Spectrally-normalized margin bounds → A paper without topic" in content
    assert "(Ina Instructor: Swapped at the student&#x27;s wish)" in content
    assert AllotmentChange.objects.count() == 1
    assert [mail.to for mail in mailoutbox] == [["a@uni.example"]]


def test_publish_page_says_how_many_it_mails_and_what_looks_wrong(
    instructor_client, seminar, catalogue, trio
):
    a, b, c = trio
    PreferenceWindowFactory(
        seminar=seminar,
        opens_at=timezone.now() - timedelta(days=1),
        closes_at=timezone.now() + timedelta(days=1),
    )
    act(instructor_client, seminar, "move", student=membership(seminar, a), paper=catalogue["loose"].pk)
    act(instructor_client, seminar, "move", student=membership(seminar, b), paper=catalogue["zhang"].pk)

    content = instructor_client.get(reverse("papers:publish", args=[seminar.slug])).content.decode()

    assert "This mails 2 students their paper and its supervisor." in content
    assert "The ranking window is still open: students can still change their rankings." in content
    assert "1 student has no paper: Cleo C." in content
    assert (
        "1 student&#x27;s paper has no supervisor (their mail names none, and no supervisor sees them): "
        "Alice A."
    ) in content
    assert 'name="confirmed" value="yes"' in content
    assert not AllotmentPublication.objects.exists()


def test_publish_without_confirmation_publishes_nothing(instructor_client, seminar, trio, mailoutbox):
    act(instructor_client, seminar, "run", mechanism="optimal", seed="1")

    unconfirmed = instructor_client.post(reverse("papers:publish", args=[seminar.slug]))
    old_button = act(instructor_client, seminar, "publish")

    assert unconfirmed.status_code == 200
    assert "This mails 3 students their paper and its supervisor." in unconfirmed.content.decode()
    assert old_button.status_code == 200
    assert not AllotmentPublication.objects.exists()
    assert mailoutbox == []


def test_allotment_table_names_each_papers_supervisor_and_shows_papers_without_one(
    instructor_client, seminar, catalogue, trio
):
    a, b, _c = trio
    supervisor = supervisor_of(seminar, user__full_name="Sam Supervisor")
    Paper.objects.filter(pk=catalogue["zhang"].pk).update(supervisor=supervisor)
    act(instructor_client, seminar, "move", student=membership(seminar, a), paper=catalogue["loose"].pk)
    act(instructor_client, seminar, "move", student=membership(seminar, b), paper=catalogue["zhang"].pk)

    content = instructor_client.get(allotment_url(seminar)).content.decode()

    assert "Sam Supervisor" in content
    assert content.count("<strong>no supervisor</strong>") == 1


def test_allotment_page_shows_the_window_and_its_link(instructor_client, seminar, trio):
    PreferenceWindowFactory(seminar=seminar, max_choices=4)

    content = instructor_client.get(allotment_url(seminar)).content.decode()

    assert "4 papers per student" in content
    assert f'href="{window_url(seminar)}"' in content


# ------------------------------------------------------------------------------------------ paper editing


def paper_data(**changes) -> dict:
    data = {
        "title": "Neural tangent kernel",
        "authors": "Arthur Jacot, Franck Gabriel, Clément Hongler",
        "venue": "NeurIPS",
        "year": "2018",
        "link": "https://arxiv.org/abs/1806.07572",
        "abstract": "Infinitely wide networks behave like kernel methods.",
        "topic": "",
        "capacity": "1",
        "supervisor": "",
    }
    data.update(changes)
    return data


def test_paper_create_saves_and_returns_to_the_list(instructor_client, seminar, catalogue):
    general, _robust = catalogue["topics"]
    data = paper_data(topic=general.pk, supervisor=catalogue["supervisor"].pk, capacity="2")

    response = instructor_client.post(create_url(seminar), data, follow=True)

    assert response.redirect_chain == [(list_url(seminar), 302)]
    assert "The paper has been saved." in response.content.decode()
    paper = Paper.objects.get(title="Neural tangent kernel")
    assert (paper.seminar, paper.topic, paper.supervisor, paper.capacity) == (
        seminar,
        general,
        catalogue["supervisor"],
        2,
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "This field is required."),
        ({"authors": ""}, "This field is required."),
        ({"capacity": "0"}, "Ensure this value is greater than or equal to 1."),
        ({"year": "999"}, "Ensure this value is greater than or equal to 1000."),
        ({"year": "2028"}, "Ensure this value is less than or equal to 2027."),
        ({"link": "not a link"}, "Enter a valid URL."),
    ],
)
def test_paper_create_with_an_invalid_field_shows_the_error(
    instructor_client, seminar, changes, message, now
):
    response = instructor_client.post(create_url(seminar), paper_data(**changes))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert Paper.objects.count() == 0


@pytest.mark.parametrize("year", ["1000", "1687", "2027"])
def test_paper_create_accepts_a_year_from_1000_to_next_year(instructor_client, seminar, year, now):
    response = instructor_client.post(create_url(seminar), paper_data(year=year))

    assert response.status_code == 302
    assert Paper.objects.get().year == int(year)


def test_paper_create_refuses_a_topic_of_another_seminar(instructor_client, seminar):
    foreign = TopicFactory(seminar=SeminarFactory())

    response = instructor_client.post(create_url(seminar), paper_data(topic=foreign.pk))

    assert "Select a valid choice." in response.content.decode()
    assert Paper.objects.count() == 0


def test_paper_create_refuses_a_supervisor_who_is_not_staff(instructor_client, seminar):
    student = student_of(seminar)

    response = instructor_client.post(create_url(seminar), paper_data(supervisor=student.pk))

    assert "Select a valid choice." in response.content.decode()
    assert Paper.objects.count() == 0


def test_paper_edit_changes_the_paper(instructor_client, seminar, catalogue):
    paper = catalogue["bartlett"]

    form = instructor_client.get(edit_url(paper)).content.decode()
    instructor_client.post(edit_url(paper), paper_data(title="Margin bounds, revised"))

    paper.refresh_from_db()
    assert 'value="Spectrally-normalized margin bounds"' in form
    assert "Delete this paper" in form
    assert paper.title == "Margin bounds, revised"


@pytest.mark.parametrize(
    ("changes", "message"),
    [({"title": ""}, "This field is required."), ({"capacity": "0"}, "greater than or equal to 1.")],
)
def test_paper_edit_with_an_error_keeps_the_paper(instructor_client, seminar, catalogue, changes, message):
    paper = catalogue["bartlett"]

    response = instructor_client.post(edit_url(paper), paper_data(**changes))

    paper.refresh_from_db()
    assert message in response.content.decode()
    assert (paper.title, paper.capacity) == ("Spectrally-normalized margin bounds", 1)


def test_paper_edit_with_two_errors_shows_both_at_once(instructor_client, seminar, catalogue):
    response = instructor_client.post(edit_url(catalogue["bartlett"]), paper_data(title="", capacity="0"))

    content = response.content.decode()
    assert "This field is required." in content
    assert "Ensure this value is greater than or equal to 1." in content


def test_paper_edit_of_another_seminars_paper_is_404(instructor_client, seminar):
    foreign = PaperFactory()

    url = edit_url(foreign).replace(foreign.seminar.slug, seminar.slug)

    assert instructor_client.get(url).status_code == 404


def test_paper_delete_removes_the_paper(instructor_client, seminar, catalogue):
    response = instructor_client.post(delete_url(catalogue["loose"]), follow=True)

    assert "The paper has been deleted." in response.content.decode()
    assert not Paper.objects.filter(pk=catalogue["loose"].pk).exists()


def test_paper_delete_of_an_allotted_paper_shows_why(instructor_client, seminar, catalogue):
    Allotment.objects.create(
        seminar=seminar, student=student_of(seminar), paper=catalogue["loose"], source="manual"
    )

    response = instructor_client.post(delete_url(catalogue["loose"]), follow=True)

    assert "This paper is allotted to a student and cannot be deleted." in response.content.decode()
    assert Paper.objects.filter(pk=catalogue["loose"].pk).exists()


# ------------------------------------------------------------------------------------------------ import


def upload(name: str, data: bytes) -> dict:
    return {"paper_file": SimpleUploadedFile(name, data)}


def test_paper_import_of_a_broken_bibtex_names_the_lines_and_keys_and_imports_nothing(
    instructor_client, seminar, now
):
    response = instructor_client.post(import_url(seminar), upload("papers.bib", BROKEN_BIB))

    content = response.content.decode()
    assert response.status_code == 200
    assert "The file was not imported." in content
    assert "Line 9: Entry “broken2021” cannot be read (a brace or quote is missing?)." in content
    assert "Line 15: Entry “badyear2019”: “twenty” is not a year from 1000 to next year (2027)." in content
    assert "good2020" not in content
    assert Paper.objects.count() == 0


def test_paper_import_of_a_good_bibtex_adds_the_papers(instructor_client, seminar):
    data = BROKEN_BIB.split(b"@article{broken2021")[0]

    response = instructor_client.post(import_url(seminar), upload("papers.bib", data), follow=True)

    content = response.content.decode()
    assert "Import done: 1 paper added, 0 already in the catalogue." in content
    assert "These papers have no topic of this seminar: A good paper." in content
    assert list(Paper.objects.values_list("title", "source_key")) == [("A good paper", "good2020")]


def test_paper_import_of_a_title_twice_in_the_file_names_both_lines_apart_from_the_catalogue(
    instructor_client, seminar
):
    data = (
        BROKEN_BIB.split(b"@article{broken2021")[0]
        + b"@article{again2021, title={A GOOD paper}, author={B}}\n"
    )

    response = instructor_client.post(import_url(seminar), upload("papers.bib", data), follow=True)

    content = response.content.decode()
    assert "Import done: 1 paper added, 0 already in the catalogue." in content
    assert (
        "One entry repeats the title of an earlier entry of the file and was not added: "
        "line 9 repeats line 3: “A GOOD paper”." in content
    )
    assert list(Paper.objects.values_list("source_key", flat=True)) == ["good2020"]


def test_paper_import_of_a_csv_with_a_foreign_supervisor_names_the_line(instructor_client, seminar):
    data = b"title,authors,supervisor\nGood,A. Author,\nBad,B. Author,stranger@uni.example\n"

    response = instructor_client.post(import_url(seminar), upload("papers.csv", data))

    assert "Line 3: stranger@uni.example is not a supervisor or instructor of this seminar." in (
        response.content.decode()
    )
    assert Paper.objects.count() == 0


# --------------------------------------------------------------------------------------- preference window


def test_preference_window_form_saves_in_the_seminars_zone(instructor_client, seminar):
    response = instructor_client.post(
        window_url(seminar),
        {"opens_at": "2026-10-20T09:00", "closes_at": "2026-10-27T23:59", "max_choices": "4"},
        follow=True,
    )

    assert "The preference window has been saved." in response.content.decode()
    window = seminar.preference_window
    window.refresh_from_db()
    assert (window.opens_at.isoformat(), window.closes_at.isoformat(), window.max_choices) == (
        "2026-10-20T07:00:00+00:00",
        "2026-10-27T22:59:00+00:00",
        4,
    )


def test_preference_window_form_closing_before_opening_shows_the_error(instructor_client, seminar):
    response = instructor_client.post(
        window_url(seminar),
        {"opens_at": "2026-10-20T09:00", "closes_at": "2026-10-20T09:00", "max_choices": "4"},
    )

    assert "The window must close after it opens." in response.content.decode()


def test_preferences_post_without_an_action_keeps_the_ranking(client):
    """A malformed POST (a stale form, a script) changes nothing instead of clearing the ranking."""
    from django.utils import timezone

    from papers.models import Preference
    from papers.services import preferences_set
    from tests.factories import SeminarFactory, student_of

    from .helpers import PaperFactory, PreferenceWindowFactory

    seminar = SeminarFactory()
    student = student_of(seminar)
    papers = [PaperFactory(seminar=seminar) for _ in range(2)]
    now = timezone.now()
    PreferenceWindowFactory(
        seminar=seminar, opens_at=now - timezone.timedelta(days=1), closes_at=now + timezone.timedelta(days=1)
    )
    preferences_set(seminar=seminar, student=student, paper_ids=[p.pk for p in papers], now=now)
    client.force_login(student)

    response = client.post(f"/seminars/{seminar.slug}/preferences/", {"action": "bogus"}, follow=True)

    assert "Nothing was changed" in response.content.decode()
    assert list(
        Preference.objects.filter(student=student).order_by("rank").values_list("paper_id", flat=True)
    ) == [p.pk for p in papers]


# --------------------------------------------------------------- what people can type into an address


def test_paper_list_with_a_topic_that_is_no_number_lists_every_paper(client, seminar, catalogue):
    client.force_login(student_of(seminar))

    response = client.get(list_url(seminar), {"topic": "²"})

    assert response.status_code == 200
    assert "Rethinking generalization" in response.content.decode()


@pytest.mark.parametrize("field", ["paper", "ranking"])
def test_preferences_post_with_an_id_that_is_no_number_changes_nothing(
    client, seminar, ranking_student, field
):
    client.force_login(ranking_student)

    response = client.post(preferences_url(seminar), {"action": "add", field: "²"})

    assert response.status_code == 302
    assert not Preference.objects.exists()


@pytest.mark.parametrize("value", ["abc", "", "²", "99999999999999999999999"])
def test_allotment_lock_with_an_id_that_is_no_number_is_not_found(instructor_client, seminar, trio, value):
    response = instructor_client.post(allotment_url(seminar), {"action": "lock", "allotment": value})

    assert response.status_code == 404


def test_publish_page_after_publishing_offers_nothing_more(instructor_client, seminar, trio):
    act(instructor_client, seminar, "run", mechanism="optimal", seed="1")
    publish(instructor_client, seminar)

    content = instructor_client.get(reverse("papers:publish", args=[seminar.slug])).content.decode()

    assert "The allotment is already published." in content
    assert 'name="confirmed"' not in content
