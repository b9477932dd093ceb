"""Checks every stored upload against its record (size and SHA-256): after a restore, or any time."""

import hashlib

from django.core.management.base import BaseCommand, CommandError

from submissions.models import Submission

CHUNK = 1024 * 1024


class Command(BaseCommand):
    help = "Checks that every submission's file exists and matches its recorded size and SHA-256."

    def handle(self, *args, **options):
        checked, problems = 0, []
        for submission in Submission.objects.order_by("pk").iterator():
            checked += 1
            digest, size = hashlib.sha256(), 0
            try:
                with submission.file.open("rb") as stored:
                    while chunk := stored.read(CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
            except (FileNotFoundError, OSError) as error:
                problems.append(f"submission {submission.pk} ({submission.file.name}): missing ({error})")
                continue
            if size != submission.size or digest.hexdigest() != submission.sha256:
                problems.append(f"submission {submission.pk} ({submission.file.name}): content differs")
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} of {checked} files are missing or differ.")
        self.stdout.write(f"{checked} files checked: every size and SHA-256 matches.")
