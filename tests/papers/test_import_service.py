"""papers_import: a parsed BibTeX or CSV file becomes papers of a seminar, all or nothing."""

from collections import Counter
from dataclasses import replace

import pytest

from demo.papers import BIBTEX
from demo.seminar import TOPICS
from papers.models import Paper
from papers.paper_import import parse_bibtex, parse_paper_csv
from papers.services import PaperImportError, RepeatedEntry, papers_import
from tests.factories import SeminarFactory, TopicFactory, instructor_of, student_of, supervisor_of

from .helpers import PaperFactory

pytestmark = pytest.mark.django_db

PAPERS_PER_KEYWORD = {
    TOPICS[0]: 7,  # generalization
    TOPICS[1]: 4,  # optimization
    TOPICS[2]: 4,  # hardness
    TOPICS[3]: 6,  # kernels
    TOPICS[4]: 5,  # robustness
}


def demo_records():
    records, errors = parse_bibtex(BIBTEX.read_bytes())
    assert errors == []
    return records


def csv_records(text: str):
    records, errors = parse_paper_csv(text.encode())
    assert errors == []
    return records


def test_papers_import_of_the_demo_bibtex_adds_26_papers_under_the_5_topics(demo_seminar):
    result = papers_import(seminar=demo_seminar, records=demo_records())

    assert (result.added, result.already_there, result.without_topic) == (26, 0, [])
    papers = Paper.objects.filter(seminar=demo_seminar)
    assert papers.count() == 26
    assert Counter(papers.values_list("topic__title", flat=True)) == PAPERS_PER_KEYWORD
    zhang = papers.get(source_key="zhang2017rethinking")
    assert zhang.title == "Understanding Deep Learning Requires Rethinking Generalization"
    assert zhang.authors.startswith("Chiyuan Zhang, Samy Bengio")
    assert (zhang.year, zhang.link) == (2017, "https://arxiv.org/abs/1611.03530")
    assert zhang.topic.title == TOPICS[0]


def test_papers_import_of_the_same_file_again_adds_nothing(demo_seminar):
    papers_import(seminar=demo_seminar, records=demo_records())
    before = list(Paper.objects.order_by("pk").values())

    result = papers_import(seminar=demo_seminar, records=demo_records())

    assert (result.added, result.already_there) == (0, 26)
    assert list(Paper.objects.order_by("pk").values()) == before


def test_papers_import_skips_a_paper_with_the_same_title_typed_by_hand(demo_seminar):
    PaperFactory(
        seminar=demo_seminar, title="  understanding deep learning requires   RETHINKING generalization"
    )

    result = papers_import(seminar=demo_seminar, records=demo_records())

    assert (result.added, result.already_there) == (25, 1)


TWICE_IN_ONE_FILE = b"""@article{first2020,
  title = {Deep Nets Generalise},
  author = {One, Ann},
}

@article{second2021,
  title = {deep nets  generalise},
  author = {Two, Ben},
}
@article{other2022, title = {Another paper}, author = {Three, Cy}}
"""


def test_papers_import_of_a_title_twice_in_the_file_reports_both_lines_not_the_catalogue():
    records, errors = parse_bibtex(TWICE_IN_ONE_FILE)
    assert errors == []
    seminar = SeminarFactory()

    result = papers_import(seminar=seminar, records=records)

    assert (result.added, result.already_there) == (2, 0)
    assert result.repeated == [RepeatedEntry(line=6, first_line=1, title="deep nets generalise")]
    assert sorted(Paper.objects.values_list("source_key", flat=True)) == ["first2020", "other2022"]


def test_papers_import_of_a_title_twice_in_the_file_and_in_the_catalogue_counts_both_as_there():
    records, _errors = parse_bibtex(TWICE_IN_ONE_FILE)
    seminar = SeminarFactory()
    PaperFactory(seminar=seminar, title="Deep nets generalise")

    result = papers_import(seminar=seminar, records=records)

    assert (result.added, result.already_there, result.repeated) == (1, 2, [])


def test_papers_import_of_a_key_twice_in_the_records_adds_the_first():
    records = csv_records("title,authors\nFirst,A. One\nSecond,B. Two\n")
    records = [replace(record, key="same2020") for record in records]
    seminar = SeminarFactory()

    result = papers_import(seminar=seminar, records=records)

    assert (result.added, result.already_there) == (1, 0)
    assert result.repeated == [RepeatedEntry(line=3, first_line=2, title="Second")]
    assert list(Paper.objects.values_list("title", "source_key")) == [("First", "same2020")]


def test_papers_import_into_another_seminar_adds_the_papers_there_too(demo_seminar):
    papers_import(seminar=demo_seminar, records=demo_records())
    other = SeminarFactory()

    result = papers_import(seminar=other, records=demo_records())

    assert result.added == 26
    assert len(result.without_topic) == 26
    assert Paper.objects.filter(seminar=other, topic__isnull=True).count() == 26


def test_papers_import_of_a_csv_links_supervisors_of_the_seminar():
    seminar = SeminarFactory()
    topic = TopicFactory(seminar=seminar, title="Robustness of neural networks")
    supervisor = supervisor_of(seminar, user__email="sue@uni.example")
    instructor = instructor_of(seminar, user__email="ina@uni.example")
    records = csv_records(
        "title,authors,topic,capacity,supervisor\n"
        "Adversarial examples,I. Goodfellow,robustness,2,SUE@uni.example\n"
        "Certified defences,A. Raghunathan,robustness,,ina@uni.example\n"
    )

    result = papers_import(seminar=seminar, records=records)

    assert result.added == 2
    assert sorted(Paper.objects.values_list("title", "topic", "capacity", "supervisor")) == [
        ("Adversarial examples", topic.pk, 2, supervisor.pk),
        ("Certified defences", topic.pk, 1, instructor.pk),
    ]


@pytest.mark.parametrize("who", ["outsider", "student", "supervisor of another seminar"])
def test_papers_import_of_a_csv_with_a_supervisor_not_staff_of_the_seminar_imports_nothing(who):
    seminar = SeminarFactory()
    supervisor_of(seminar, user__email="sue@uni.example")
    email = "someone@uni.example"
    if who == "student":
        student_of(seminar, user__email=email)
    elif who == "supervisor of another seminar":
        supervisor_of(SeminarFactory(), user__email=email)
    records = csv_records(
        "title,authors,supervisor\n"
        "Adversarial examples,I. Goodfellow,sue@uni.example\n"
        f"Certified defences,A. Raghunathan,{email}\n"
        "Randomized smoothing,J. Cohen,\n"
    )

    with pytest.raises(PaperImportError) as refused:
        papers_import(seminar=seminar, records=records)

    [error] = refused.value.errors
    assert error.line == 3
    assert error.message == f"{email} is not a supervisor or instructor of this seminar."
    assert Paper.objects.count() == 0
