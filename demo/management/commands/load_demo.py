from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from demo.grading import demo_grade_components_load
from demo.papers import DEMO_STUDENTS, demo_papers_load
from demo.schedule import demo_block_seminar_load
from demo.seminar import DEMO_LOGINS, demo_load
from demo.submissions import demo_deliverables_load


class Command(BaseCommand):
    help = (
        "Loads the demo seminar, its papers and the demo logins (idempotent: a second run changes nothing)."
    )

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError(
                "The demo accounts have published passwords; they are never loaded in production."
            )
        seminar = demo_load()
        now = timezone.now()
        demo_papers_load(seminar=seminar, now=now)
        demo_deliverables_load(seminar=seminar, now=now)
        demo_grade_components_load(seminar=seminar)
        demo_block_seminar_load(seminar=seminar, now=now)
        self.stdout.write(f"Demo seminar: {seminar.title} ({seminar.get_absolute_url()})")
        self.stdout.write("Demo logins (e-mail / password):")
        for login in DEMO_LOGINS:
            self.stdout.write(f"  {login.role:<11} {login.email:<26} {login.password}")
        self.stdout.write(
            f"  ({DEMO_STUDENTS} more enrolled students, student1..{DEMO_STUDENTS}@example.org,"
            " have ranked papers; they have no password.)"
        )
