"""Checks every stored upload (submissions and seminar materials) against its record (size and SHA-256),
and lists stored files that no record names: after a restore, or any time."""

from django.core.management.base import BaseCommand, CommandError

from core.file_storage import upload_storage
from submissions.integrity import UPLOAD_RECORDS, file_problem, orphans


class Command(BaseCommand):
    help = (
        "Checks that every submission's and material's file exists and matches its recorded size and "
        "SHA-256, and lists stored files that belong to no submission or material."
    )

    def handle(self, *args, **options):
        checked, problems = 0, []
        for model, _seminar_lookup in UPLOAD_RECORDS:
            label = model._meta.verbose_name
            for record in model.objects.exclude(file="").order_by("pk").iterator():
                checked += 1
                problem = file_problem(record)
                if problem:
                    problems.append(f"{label} {record.pk} ({record.file.name}): {problem}")
        for problem in problems:
            self.stderr.write(problem)
        found = list(orphans(upload_storage))
        for orphan in found:
            when = f"{orphan.modified:%Y-%m-%d %H:%M} UTC" if orphan.modified else "time unknown"
            self.stdout.write(f"orphan: {orphan.name} (stored {when}, no submission or material names it)")
        if found:
            self.stdout.write(
                f"{len(found)} stored files belong to no submission or material (an upload interrupted "
                "before its record was saved); `manage.py remove_orphan_uploads` removes those older than "
                "its grace time."
            )
        if problems:
            raise CommandError(f"{len(problems)} of {checked} files are missing or differ.")
        self.stdout.write(f"{checked} files checked: every size and SHA-256 matches.")
