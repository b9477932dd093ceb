from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from seminars.demo import DEMO_LOGINS, demo_load


class Command(BaseCommand):
    help = "Loads the demo seminar and demo logins (idempotent: running it twice changes nothing)."

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError(
                "The demo accounts have published passwords; they are never loaded in production."
            )
        seminar = demo_load()
        self.stdout.write(f"Demo seminar: {seminar.title} ({seminar.get_absolute_url()})")
        self.stdout.write("Demo logins (e-mail / password):")
        for login in DEMO_LOGINS:
            self.stdout.write(f"  {login.role:<11} {login.email:<26} {login.password}")
