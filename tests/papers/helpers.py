"""Helpers of the papers tests: factories for papers and preference windows, bulk students, URLs."""

from datetime import UTC, datetime, timedelta

import factory
from django.urls import reverse

from papers.models import Allotment, AllotmentPublication, Paper, Preference, PreferenceWindow
from seminars.models import Seminar
from tests.factories import SeminarFactory

NOW = datetime(2026, 10, 15, 10, 0, tzinfo=UTC)

# Every test that imports papers (the import page, the demo, the browser flow) meets this on PostgreSQL.


class PaperFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Paper

    seminar = factory.SubFactory(SeminarFactory)
    title = factory.Sequence(lambda n: f"Paper {n:03d}")
    authors = factory.Sequence(lambda n: f"A. Author{n}, B. Coauthor")
    venue = "NeurIPS"
    year = 2020
    capacity = 1


class PreferenceWindowFactory(factory.django.DjangoModelFactory):
    """A window open around NOW unless told otherwise."""

    class Meta:
        model = PreferenceWindow

    seminar = factory.SubFactory(SeminarFactory)
    opens_at = NOW - timedelta(days=1)
    closes_at = NOW + timedelta(days=7)
    max_choices = 5


def rank(seminar: Seminar, student, papers: list[Paper]) -> None:
    """Stores a ranking directly, for tests whose subject is not `preferences_set`."""
    Preference.objects.bulk_create(
        Preference(seminar=seminar, student=student, paper=paper, rank=number)
        for number, paper in enumerate(papers, start=1)
    )


def allotted(seminar: Seminar) -> dict:
    """student email -> (paper title, source, locked): the allotment as a plain value to compare."""
    return {
        allotment.student.email: (allotment.paper.title, allotment.source, allotment.locked)
        for allotment in Allotment.objects.filter(seminar=seminar).select_related("student", "paper")
    }


def publish_allotment(seminar: Seminar, at: datetime = NOW) -> AllotmentPublication:
    """Marks the seminar's allotment as published, for tests whose subject is not `allotment_publish`."""
    return AllotmentPublication.objects.create(seminar=seminar, published_at=at)


def list_url(seminar: Seminar) -> str:
    return reverse("papers:list", kwargs={"slug": seminar.slug})


def preferences_url(seminar: Seminar) -> str:
    return reverse("papers:preferences", kwargs={"slug": seminar.slug})


def allotment_url(seminar: Seminar) -> str:
    return reverse("papers:allotment", kwargs={"slug": seminar.slug})


def import_url(seminar: Seminar) -> str:
    return reverse("papers:import", kwargs={"slug": seminar.slug})


def create_url(seminar: Seminar) -> str:
    return reverse("papers:create", kwargs={"slug": seminar.slug})


def edit_url(paper: Paper) -> str:
    return reverse("papers:edit", kwargs={"slug": paper.seminar.slug, "pk": paper.pk})


def delete_url(paper: Paper) -> str:
    return reverse("papers:delete", kwargs={"slug": paper.seminar.slug, "pk": paper.pk})


def window_url(seminar: Seminar) -> str:
    return reverse("papers:window", kwargs={"slug": seminar.slug})
