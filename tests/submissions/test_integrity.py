"""The stored files against their records: `verify_submissions` names missing and changed files and lists
orphans (files no row names, left by a crash between writing the file and committing its row);
`remove_orphan_uploads` removes orphans older than its grace time and nothing else."""

import io
import os
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from submissions.services import submission_create
from tests.factories import student_of

from .helpers import DUE, DeliverableFactory, pdf_bytes, stored_files, submission_storage  # noqa: F401

pytestmark = pytest.mark.django_db


def upload(deliverable, student):
    return submission_create(
        deliverable=deliverable,
        student=student,
        upload=SimpleUploadedFile("report.pdf", pdf_bytes()),
        received_at=DUE - timedelta(hours=1),
    )


def orphan_file(root, folder: str, name: str, *, age: timedelta):
    """A file as a crash leaves it: written to the storage, with no row naming it."""
    path = root / folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pdf_bytes())
    stamp = (timezone.now() - age).timestamp()
    os.utime(path, (stamp, stamp))
    return path


def run(command: str, *args) -> str:
    out = io.StringIO()
    call_command(command, *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def kept(submission_storage):  # noqa: F811
    deliverable = DeliverableFactory()
    return upload(deliverable, student_of(deliverable.seminar))


def test_verify_submissions_lists_files_that_no_submission_names(submission_storage, kept):  # noqa: F811
    folder = f"seminar-{kept.deliverable.seminar_id}"
    orphan_file(submission_storage, folder, "aaaa.pdf", age=timedelta(hours=3))
    orphan_file(submission_storage, "elsewhere", "bbbb.pdf", age=timedelta(minutes=1))

    output = run("verify_submissions")

    assert f"orphan: {folder}/aaaa.pdf" in output
    assert "orphan: elsewhere/bbbb.pdf" in output
    assert kept.file.name not in output
    assert "2 stored files belong to no submission or material" in output
    assert "1 files checked: every size and SHA-256 matches." in output


def test_verify_submissions_does_not_take_another_seminars_file_for_this_ones(submission_storage, kept):  # noqa: F811
    """A row names a file by its path; the same name in another seminar's folder is still an orphan."""
    other_folder = f"seminar-{kept.deliverable.seminar_id + 1000}"
    (submission_storage / other_folder).mkdir()
    (submission_storage / other_folder / os.path.basename(kept.file.name)).write_bytes(b"%PDF-")

    output = run("verify_submissions")

    assert f"orphan: {other_folder}/{os.path.basename(kept.file.name)}" in output


def test_verify_submissions_names_a_missing_file_and_fails(submission_storage, kept):  # noqa: F811
    (submission_storage / kept.file.name).unlink()
    errors = io.StringIO()

    with pytest.raises(CommandError, match="1 of 1 files are missing or differ"):
        call_command("verify_submissions", stdout=io.StringIO(), stderr=errors)

    assert f"submission {kept.pk} ({kept.file.name}): missing" in errors.getvalue()


def test_remove_orphan_uploads_removes_only_orphans_older_than_the_grace(submission_storage, kept):  # noqa: F811
    folder = f"seminar-{kept.deliverable.seminar_id}"
    old = orphan_file(submission_storage, folder, "old.pdf", age=timedelta(hours=30))
    young = orphan_file(submission_storage, folder, "young.pdf", age=timedelta(hours=2))

    output = run("remove_orphan_uploads")

    assert "removed: " + f"{folder}/old.pdf" in output
    assert "1 orphan files older than 24 hours removed." in output
    assert sorted(stored_files(submission_storage)) == sorted([submission_storage / kept.file.name, young])
    assert not old.exists()


def test_remove_orphan_uploads_with_a_shorter_grace_and_a_dry_run_removes_nothing(submission_storage, kept):  # noqa: F811
    folder = f"seminar-{kept.deliverable.seminar_id}"
    young = orphan_file(submission_storage, folder, "young.pdf", age=timedelta(hours=2))

    output = run("remove_orphan_uploads", "--grace-hours", "1", "--dry-run")

    assert f"would remove: {folder}/young.pdf" in output
    assert young.exists()
    assert (submission_storage / kept.file.name).exists()


@pytest.mark.parametrize("grace", ["0", "0.5", "-3"])
def test_remove_orphan_uploads_refuses_a_grace_under_an_hour(submission_storage, kept, grace):  # noqa: F811
    """A file written a moment ago may belong to an upload whose row is committing right now."""
    folder = f"seminar-{kept.deliverable.seminar_id}"
    fresh = orphan_file(submission_storage, folder, "fresh.pdf", age=timedelta(minutes=40))

    with pytest.raises(CommandError, match="--grace-hours must be at least 1"):
        run("remove_orphan_uploads", "--grace-hours", grace)

    assert fresh.exists()


def test_orphans_are_found_among_more_files_than_one_query_names(submission_storage, kept, monkeypatch):  # noqa: F811
    """The names of a big folder are asked of the database in chunks; the kept row is found in its chunk."""
    monkeypatch.setattr("submissions.integrity.NAMES_PER_QUERY", 2)
    folder = f"seminar-{kept.deliverable.seminar_id}"
    for index in range(5):
        orphan_file(submission_storage, folder, f"orphan-{index}.pdf", age=timedelta(hours=3))

    output = run("verify_submissions")

    assert "5 stored files belong to no submission or material" in output
    assert kept.file.name not in output
