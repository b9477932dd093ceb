"""Seminar materials: the files instructors hand to everyone in the seminar (the report's LaTeX template,
the pre-course meeting's slides, a reading list). Every write, and the reads of the seminar page.

Files are checked and stored as submissions are (core/file_checks.py, core/file_storage.py): under a
random name in the seminar's folder of the uploads storage, downloaded with their original name."""

from datetime import datetime

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy

from accounts.models import User
from core.file_checks import check_upload
from core.file_storage import upload_storage
from core.file_types import FileRefused, FileType

from .exceptions import MaterialFileError, SeminarError
from .models import Material, Seminar
from .selectors import get_seminar_with

# Slides (PDF, PowerPoint, LibreOffice), documents (PDF), a LaTeX template (a ZIP archive or a .tex file),
# a bibliography (BibTeX) and plain text. No Word files or images: a PDF serves everyone.
MATERIAL_TYPES = [
    FileType.PDF,
    FileType.PPTX,
    FileType.ODP,
    FileType.ZIP,
    FileType.TEX,
    FileType.BIB,
    FileType.TXT,
]
TYPE_REFUSED = gettext_lazy("Materials can be %(types)s; the file name ends in “.%(extension)s”.")


def material_max_bytes() -> int:
    return settings.MATERIAL_MAX_MB * 1024 * 1024


def accept_attribute() -> str:
    """The file input's `accept`: the browser's file picker offers only the types the check takes."""
    return ",".join(f".{kind},{FileType.CONTENT_TYPES[kind]}" for kind in MATERIAL_TYPES)


def types_label() -> str:
    return ", ".join(FileType.LABELS[kind] for kind in MATERIAL_TYPES)


def _clean_title(title: str) -> str:
    title = title.strip()
    if not title:
        raise SeminarError(gettext_lazy("Please give the material a title."))
    return title


def material_add(
    *,
    seminar: Seminar,
    upload: UploadedFile,
    title: str,
    order: int,
    description: str = "",
    title_de: str = "",
    description_de: str = "",
    uploaded_by: User,
    now: datetime,
) -> Material:
    """Stores one checked file as a material of `seminar`. Nothing is stored unless the file passes every
    check of an upload (name, size, type by content: core.file_checks.check_upload; PDFs with scripts
    refused). The file is checked and written before the transaction that saves its row, so no row lock is
    held while a large file is read or sent to the storage (materials need no serialising: each is a row of
    its own). If saving the row fails, the file is removed; a crash between writing it and the commit
    leaves an orphan file, which `manage.py remove_orphan_uploads` removes."""
    title = _clean_title(title)
    try:
        checked = check_upload(
            upload,
            name=upload.name,
            allowed_types=MATERIAL_TYPES,
            max_bytes=material_max_bytes(),
            max_pages=None,
            type_refused=TYPE_REFUSED,
        )
    except FileRefused as refused:
        raise MaterialFileError(refused.message) from None
    material = Material(
        seminar=seminar,
        title=title,
        description=description.strip(),
        title_de=title_de.strip(),
        description_de=description_de.strip(),
        order=order,
        original_name=checked.display_name,
        file_type=checked.file_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=uploaded_by,
        uploaded_at=now,
    )
    upload.seek(0)
    material.file.save(checked.display_name, upload, save=False)
    try:
        with transaction.atomic():
            material.save()
    except BaseException:
        upload_storage.delete(material.file.name)
        raise
    return material


def materials_copy(*, source: Seminar, target: Seminar) -> list[Material]:
    """Gives `target` a copy of every material of `source` (a new term's seminar: the LaTeX template and
    the reading list stay), each with a file of its own, so that removing one seminar's material never
    takes the other's file. The files passed their checks when they were uploaded and are copied as they
    are. Runs inside the caller's transaction (the copy of a seminar, which locks the source's row); if
    anything fails, the files written so far are removed."""
    written: list[str] = []
    copies = []
    try:
        for material in Material.objects.filter(seminar=source).order_by("order", "pk"):
            copy = Material(
                seminar=target,
                title=material.title,
                description=material.description,
                title_de=material.title_de,
                description_de=material.description_de,
                order=material.order,
                original_name=material.original_name,
                file_type=material.file_type,
                size=material.size,
                sha256=material.sha256,
                uploaded_by=material.uploaded_by,
                uploaded_at=material.uploaded_at,
            )
            with material.file.open("rb") as content:
                copy.file.save(material.original_name, content, save=False)
            written.append(copy.file.name)
            copies.append(copy)
        return Material.objects.bulk_create(copies)
    except BaseException:
        for name in written:
            upload_storage.delete(name)
        raise


@transaction.atomic
def material_update(
    *,
    material: Material,
    title: str,
    order: int,
    description: str = "",
    title_de: str = "",
    description_de: str = "",
) -> Material:
    """Renames or moves a material (its file stays as it is). Locks the material's row."""
    material = Material.objects.select_for_update().get(pk=material.pk)
    material.title = _clean_title(title)
    material.order = order
    material.description = description.strip()
    material.title_de, material.description_de = title_de.strip(), description_de.strip()
    material.save(update_fields=["title", "order", "description", "title_de", "description_de"])
    return material


@transaction.atomic
def material_remove(*, material: Material) -> None:
    """Removes a material and, after commit, its file (should that fail, the file is an orphan that
    `manage.py remove_orphan_uploads` removes later). Locks the material's row; removing a material that
    is already gone changes nothing."""
    found = Material.objects.select_for_update().filter(pk=material.pk).first()
    if found is None:
        return
    name = found.file.name
    found.delete()
    transaction.on_commit(lambda: upload_storage.delete(name))


# ------------------------------------------------------------------------------------------------ reads


def materials_of(seminar: Seminar) -> QuerySet[Material]:
    """The seminar's materials in their order, in one query (the seminar page and the manage page)."""
    return seminar.materials.order_by("order", "title", "pk")


def get_material_with(user, slug: str, pk: int, permission: str) -> tuple[Seminar, Material]:
    """A material named in an address, with its seminar: 404 when the user cannot see the seminar or the
    material is not one of its materials, 403 when the policy does not give them `permission`."""
    seminar = get_seminar_with(user, slug, permission)
    material = Material.objects.filter(seminar=seminar, pk=pk).first()
    if material is None:
        raise Http404
    return seminar, material
