"""The demo seminar "Theoretical advances in deep learning", as the chair describes it in
shared/seed/seminar-description.txt, with demo accounts. Loading it twice changes nothing."""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.db import transaction

from accounts.models import User
from seminars.models import Membership, Seminar
from seminars.services import seminar_topics_set

BERLIN = ZoneInfo("Europe/Berlin")


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    password: str
    full_name: str


DEMO_LOGINS = [
    DemoLogin("student", "student@example.org", "demo-student-2026", "Sam Student"),
    DemoLogin("instructor", "instructor@example.org", "demo-instructor-2026", "Ina Instructor"),
    DemoLogin("supervisor", "supervisor@example.org", "demo-supervisor-2026", "Sebastian Supervisor"),
    DemoLogin("admin", "admin@example.org", "demo-admin-2026", "Ada Admin"),
]

DEMO_SLUG = "deep-learning-theory"

SEMINAR = {
    "title": "Theoretical advances in deep learning",
    "term": "Summer term 2021",
    "state": Seminar.State.OPEN,
    "capacity": 20,
    "time_zone": "Europe/Berlin",
    "premeeting_start": datetime(2021, 2, 8, 18, 0, tzinfo=BERLIN),
    "premeeting_end": datetime(2021, 2, 8, 19, 0, tzinfo=BERLIN),
    "premeeting_location": "Online (BBB)",
    "contact_email": "dl-theory-seminar@example.org",
    "premeeting_url": "https://bbb.example.org/rooms/dl-theory-premeeting",
    "premeeting_recording_url": "https://recordings.example.org/dl-theory-premeeting-2021",
    "premeeting_slides_url": "https://www.example.org/teaching/dl-theory/premeeting-slides.pdf",
    "premeeting_description": (
        "We will use this meeting to discuss the focus of the seminar and the structure in more detail."
    ),
    "focus": (
        "Neural networks, particularly deep networks, have achieved unprecedented popularity over the past "
        "decade. While the empirical success of neural networks has reached new heights, one of the major "
        "achievements in recent years has been new theoretical studies on the statistical performance of "
        "neural networks."
    ),
    "topics_intro": (
        "This seminar will look at the following important topics on neural networks from a mathematical "
        "perspective:"
    ),
    "topics_outro": (
        "Several recent papers from top machine learning conferences will be discussed during the seminar."
    ),
    "mandatory_prerequisites": "Prior knowledge of Machine learning (IN2064 or equivalent)",
    "recommended_prerequisites": (
        "Experience of Statistical foundations of learning (IN2378)\nIntroduction to deep learning (IN2346)"
    ),
    "objectives_intro": "Upon completion of this module, the students will:",
    "objectives": (
        "have acquired knowledge on the current trends in deep learning theory.\n"
        "be familiar with recent theoretical works from top machine learning conferences\n"
        "be able to apply mathematical tools to analyze performance of neural networks"
    ),
    "evaluation": (
        "Each student will be allotted a research paper. The student will have to submit a report/review on "
        "the paper (submission deadline in the middle of the semester). Additionally, the presentations will "
        "be held together as a block seminar. The slides have to be submitted a few weeks before the "
        "presentation."
    ),
    # The same page in German (core.languages): German readers see these, the others the English texts.
    "title_de": "Theoretische Fortschritte im Deep Learning",
    "premeeting_description_de": (
        "In dieser Vorbesprechung besprechen wir den Schwerpunkt des Seminars und seinen Ablauf genauer."
    ),
    "focus_de": (
        "Neuronale Netze, insbesondere tiefe Netze, haben im vergangenen Jahrzehnt eine beispiellose "
        "Verbreitung erreicht. Neben ihren empirischen Erfolgen gehören neue theoretische Arbeiten zur "
        "statistischen Leistungsfähigkeit neuronaler Netze zu den großen Fortschritten der letzten Jahre."
    ),
    "topics_intro_de": (
        "Das Seminar betrachtet die folgenden wichtigen Themen neuronaler Netze aus mathematischer Sicht:"
    ),
    "topics_outro_de": (
        "Im Seminar besprechen wir mehrere aktuelle Arbeiten der führenden Konferenzen des maschinellen "
        "Lernens."
    ),
    "mandatory_prerequisites_de": "Vorkenntnisse in Machine Learning (IN2064 oder vergleichbar)",
    "recommended_prerequisites_de": (
        "Erfahrung mit Statistical foundations of learning (IN2378)\nIntroduction to deep learning (IN2346)"
    ),
    "objectives_intro_de": "Nach Abschluss des Moduls werden die Studierenden:",
    "objectives_de": (
        "aktuelle Entwicklungen der Theorie des Deep Learning kennen.\n"
        "mit neueren theoretischen Arbeiten der führenden Konferenzen vertraut sein\n"
        "mathematische Werkzeuge zur Analyse neuronaler Netze anwenden können"
    ),
    "evaluation_de": (
        "Jede*r Studierende erhält ein Forschungspaper zugeteilt und gibt dazu eine Ausarbeitung ab (Abgabe "
        "zur Mitte des Semesters). Die Vorträge finden gemeinsam als Blockseminar statt; die Folien sind "
        "einige Wochen vor dem Vortrag abzugeben."
    ),
}

TOPICS = [
    "Generalization error for neural networks and related concepts from learning theory",
    "Optimization and convergence rates for neural networks",
    "Sample complexity and hardness results",
    "Connection of deep learning to other learning approaches (kernel methods etc)",
    "Robustness of neural networks",
]
TOPICS_DE = [
    "Generalisierungsfehler neuronaler Netze und verwandte Begriffe der Lerntheorie",
    "Optimierung und Konvergenzraten neuronaler Netze",
    "Stichprobenkomplexität und Härteresultate",
    "Verbindungen des Deep Learning zu anderen Lernverfahren (Kernmethoden usw.)",
    "Robustheit neuronaler Netze",
]


def _demo_user(login: DemoLogin) -> User:
    user = User.objects.filter(email__iexact=login.email).first()
    if user is None:
        user = User.objects.create_user(
            email=login.email,
            password=login.password,
            full_name=login.full_name,
            is_staff=login.role == "admin",
            is_superuser=login.role == "admin",
        )
    EmailAddress.objects.get_or_create(
        user=user, email=login.email, defaults={"verified": True, "primary": True}
    )
    return user


@transaction.atomic
def demo_load() -> Seminar:
    users = {login.role: _demo_user(login) for login in DEMO_LOGINS}
    seminar, created = Seminar.objects.get_or_create(slug=DEMO_SLUG, defaults=SEMINAR)
    if created:
        seminar_topics_set(seminar=seminar, titles=TOPICS, titles_de=TOPICS_DE)
    for role in (Membership.Role.INSTRUCTOR, Membership.Role.SUPERVISOR):
        Membership.objects.get_or_create(user=users[role.value], seminar=seminar, defaults={"role": role})
    return seminar
