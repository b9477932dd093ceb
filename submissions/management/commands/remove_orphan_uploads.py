"""Removes stored files that no submission or material names once they are older than a grace time (a
crash between writing an upload and committing its record leaves such a file; a younger one may still be
committing)."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.file_storage import upload_storage
from submissions.integrity import removable_orphans


class Command(BaseCommand):
    help = (
        "Removes stored upload files that belong to no submission or material and are older than "
        "--grace-hours."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--grace-hours",
            type=float,
            default=24,
            help="Only files older than this are removed (default 24).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be removed, remove nothing."
        )

    def handle(self, *args, grace_hours, dry_run, **options):
        if not grace_hours >= 1:
            # An upload writes its file before its row commits; a shorter grace could remove the file of
            # an upload that is committing right now.
            raise CommandError(
                "--grace-hours must be at least 1: a younger file may belong to an upload in progress."
            )
        found = removable_orphans(upload_storage, now=timezone.now(), grace=timedelta(hours=grace_hours))
        for orphan in found:
            if not dry_run:
                upload_storage.delete(orphan.name)
            self.stdout.write(f"{'would remove' if dry_run else 'removed'}: {orphan.name}")
        verb = "would be removed" if dry_run else "removed"
        self.stdout.write(f"{len(found)} orphan files older than {grace_hours:g} hours {verb}.")
