"""Stored uploads against their records: files that a row names but that are missing or changed, and
stored files that no row names (orphans: a crash between writing the file and committing its row).

The uploads storage holds submissions and the seminars' materials (seminars.models.Material, under
"seminar-<id>/materials/"), and the records of higher apps that register themselves with
`register_upload_records` when they are ready (grading's feedback files): a file is known when any names
it. Works on any Django storage that can list folders (the file system, S3). Files live under
"seminar-<id>/", so the walk compares one seminar's folder with that seminar's rows at a time.
"""

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.files.storage import Storage

from seminars.models import Material

from .models import Submission

CHUNK = 1024 * 1024
# Names asked of the database per query: well below SQLite's limit of bound parameters.
NAMES_PER_QUERY = 500
_SEMINAR_FOLDER = re.compile(r"^seminar-(\d+)$")
# Models whose rows name files in the uploads storage, each with the lookup of its seminar's id. Apps above
# this one add theirs in their AppConfig.ready (this module never imports them).
UPLOAD_RECORDS: list[tuple[type, str]] = [(Submission, "deliverable__seminar_id"), (Material, "seminar_id")]


def register_upload_records(model: type, seminar_lookup: str) -> None:
    """Makes `model`'s `file` names known to the orphan check (and its rows to verify_submissions)."""
    if (model, seminar_lookup) not in UPLOAD_RECORDS:
        UPLOAD_RECORDS.append((model, seminar_lookup))


@dataclass(frozen=True)
class Orphan:
    name: str
    modified: datetime | None


def _walk(storage: Storage, folder: str) -> Iterator[str]:
    folders, files = storage.listdir(folder)
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for name in sorted(folders):
        yield from _walk(storage, f"{folder}/{name}" if folder else name)


def stored_names_by_folder(storage: Storage) -> Iterator[tuple[str, list[str]]]:
    folders, files = storage.listdir("")
    if files:
        yield "", sorted(files)
    for folder in sorted(folders):
        yield folder, list(_walk(storage, folder))


def orphans(storage: Storage) -> Iterator[Orphan]:
    """Every stored file that no submission and no material names, with its modification time (None if
    unknown)."""
    for folder, names in stored_names_by_folder(storage):
        match = _SEMINAR_FOLDER.match(folder)
        known: set[str] = set()
        for start in range(0, len(names), NAMES_PER_QUERY):
            some = names[start : start + NAMES_PER_QUERY]
            for model, seminar_lookup in UPLOAD_RECORDS:
                records = model.objects.filter(file__in=some)
                if match:
                    records = records.filter(**{seminar_lookup: int(match.group(1))})
                known.update(records.values_list("file", flat=True))
        for name in names:
            if name not in known:
                yield Orphan(name, _modified(storage, name))


def _modified(storage: Storage, name: str) -> datetime | None:
    try:
        return storage.get_modified_time(name)
    except (NotImplementedError, OSError):
        return None


def removable_orphans(storage: Storage, *, now: datetime, grace: timedelta) -> list[Orphan]:
    """Orphans older than `grace`: a younger one may belong to an upload whose row is about to commit."""
    return [
        orphan
        for orphan in orphans(storage)
        if orphan.modified is not None and orphan.modified <= now - grace
    ]


def file_problem(record) -> str | None:
    """None if the stored file of a submission or material exists with the recorded size and SHA-256;
    otherwise what is wrong."""
    digest, size = hashlib.sha256(), 0
    try:
        with record.file.open("rb") as stored:
            while chunk := stored.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
    except OSError as error:  # FileNotFoundError included
        return f"missing ({error})"
    if size != record.size or digest.hexdigest() != record.sha256:
        return "content differs"
    return None
