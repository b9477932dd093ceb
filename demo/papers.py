"""The demo seminar's papers (the 26 real papers of deep-learning-theory.bib), a preference window that
is open when the demo is first loaded, and a few enrolled demo students who have ranked papers."""

import random
from datetime import datetime, timedelta
from pathlib import Path

from allauth.account.models import EmailAddress
from django.db import transaction

from accounts.models import User
from papers.models import Paper, Preference, PreferenceWindow
from papers.paper_import import parse_bibtex
from papers.services import papers_import, preference_window_set, preferences_set
from seminars.models import Membership, Seminar

BIBTEX = Path(__file__).resolve().parent / "deep-learning-theory.bib"
DEMO_STUDENTS = 8


@transaction.atomic
def demo_papers_load(*, seminar: Seminar, now: datetime) -> None:
    records, errors = parse_bibtex(BIBTEX.read_bytes())
    if errors:
        raise ValueError(f"the demo BibTeX file has errors: {errors}")
    if not Paper.objects.filter(seminar=seminar).exists():
        # Only into an empty catalogue: a later run keeps what the instructor changed since.
        papers_import(seminar=seminar, records=records)
        supervisor = User.objects.get(email="supervisor@example.org")
        Paper.objects.filter(seminar=seminar).update(supervisor=supervisor)
    if not PreferenceWindow.objects.filter(seminar=seminar).exists():
        preference_window_set(
            seminar=seminar,
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=14),
            max_choices=5,
        )
    _demo_students(seminar=seminar, now=now)


def _demo_students(*, seminar: Seminar, now: datetime) -> None:
    rng = random.Random(2021)
    paper_ids = list(Paper.objects.filter(seminar=seminar).order_by("pk").values_list("pk", flat=True))
    window = PreferenceWindow.objects.get(seminar=seminar)
    for number in range(1, DEMO_STUDENTS + 1):
        email = f"student{number}@example.org"
        user = User.objects.filter(email=email).first()
        if user is not None:
            continue
        user = User.objects.create_user(email=email, password=None, full_name=f"Demo Student {number}")
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        Membership.objects.create(
            user=user, seminar=seminar, role=Membership.Role.STUDENT, source=Membership.Source.ADMIN
        )
        if window.is_open(now) and not Preference.objects.filter(student=user).exists():
            preferences_set(seminar=seminar, student=user, paper_ids=rng.sample(paper_ids, 5), now=now)
