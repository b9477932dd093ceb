"""The demo seminar's deliverables: the written report and the slides, due at 23:59 in the seminar's zone."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from core.zoned_time import localize_strict
from seminars.models import Seminar
from submissions.models import Deliverable
from submissions.services import deliverable_save

REPORT_INSTRUCTIONS = (
    "Write a report of 8 to 10 pages on your paper: its question, its main result and how it is proved, "
    "and how it relates to the other papers of its topic. Use the chair's LaTeX template; upload a PDF."
)
SLIDES_INSTRUCTIONS = (
    "Upload the slides of your 30-minute talk as PDF or PPTX. Your supervisor gives feedback before the "
    "block seminar."
)

REPORT_INSTRUCTIONS_DE = (
    "Schreiben Sie eine Ausarbeitung von 8 bis 10 Seiten über Ihr Paper: seine Fragestellung, sein "
    "Hauptergebnis und dessen Beweis, und wie es zu den anderen Papern seines Themas steht. Verwenden Sie "
    "die LaTeX-Vorlage des Lehrstuhls; laden Sie ein PDF hoch."
)
SLIDES_INSTRUCTIONS_DE = (
    "Laden Sie die Folien Ihres 30-minütigen Vortrags als PDF oder PPTX hoch. Ihre Betreuerin oder Ihr "
    "Betreuer gibt vor dem Blockseminar Rückmeldung."
)


def _day_end(seminar: Seminar, when: datetime) -> datetime:
    local_day = timezone.localtime(when, seminar.zone).date()
    return localize_strict(datetime.combine(local_day, time(23, 59)), seminar.zone)


def demo_deliverables_load(*, seminar: Seminar, now: datetime) -> None:
    """Only into a seminar without deliverables: a later run keeps what the instructor changed since."""
    if Deliverable.objects.filter(seminar=seminar).exists():
        return
    deliverable_save(
        seminar=seminar,
        deliverable=Deliverable(
            kind=Deliverable.Kind.REPORT,
            title="Written report",
            instructions=REPORT_INSTRUCTIONS,
            title_de="Ausarbeitung",
            instructions_de=REPORT_INSTRUCTIONS_DE,
            order=1,
            due_at=_day_end(seminar, now + timedelta(days=42)),
            grace_minutes=15,
            allowed_types=["pdf"],
            max_size_mb=20,
            max_pages=12,
        ),
    )
    deliverable_save(
        seminar=seminar,
        deliverable=Deliverable(
            kind=Deliverable.Kind.SLIDES,
            title="Slides",
            instructions=SLIDES_INSTRUCTIONS,
            title_de="Folien",
            instructions_de=SLIDES_INSTRUCTIONS_DE,
            order=2,
            due_at=_day_end(seminar, now + timedelta(days=70)),
            late_policy=Deliverable.Policy.ACCEPT_LATE,
            late_window_hours=72,
            allowed_types=["pdf", "pptx"],
            max_size_mb=50,
        ),
    )
