"""The checks of uploads that are zip archives: PowerPoint (PPTX), LibreOffice Impress (ODP) and plain
ZIP. The zip directory is checked before anything is decompressed."""

import zipfile
from typing import BinaryIO

from django.utils.translation import gettext as _

from .file_types import FileRefused, FileType

# Zip limits (OOXML, OpenDocument, plain zip archives), checked from the zip directory before anything is
# decompressed.
PPTX_MAX_ENTRIES = 5000
PPTX_MAX_UNCOMPRESSED = 1024 * 1024 * 1024
PPTX_MAX_RATIO = 200
_MACRO_CONTENT_TYPE = b"macroenabled"  # media types compare without regard to case


def _zip_directory_problem(entries: list[zipfile.ZipInfo]) -> str | None:
    """What is wrong with a zip's directory, read before any entry is decompressed: "too_many" entries,
    "too_large" (unpacks to too much, or compressed suspiciously well: a zip bomb), "outside" (an entry
    path that leaves the archive); None if nothing."""
    if len(entries) > PPTX_MAX_ENTRIES:
        return "too_many"
    if sum(entry.file_size for entry in entries) > PPTX_MAX_UNCOMPRESSED or any(
        entry.compress_size and entry.file_size / entry.compress_size > PPTX_MAX_RATIO for entry in entries
    ):
        return "too_large"
    for entry in entries:
        path = entry.filename
        if path.startswith(("/", "\\")) or "\\" in path or ".." in path.split("/") or ":" in path:
            return "outside"
    return None


def check_pptx(stream: BinaryIO) -> None:
    """A sound, macro-free PowerPoint file. The zip directory is checked (entry count, uncompressed size,
    compression ratio, entry paths) before any entry is decompressed; then only the small content-types
    part is read."""
    stream.seek(0)
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FileRefused(_("This file is not a PowerPoint (PPTX) file, or it is damaged.")) from None
    with archive:
        entries = archive.infolist()
        problem = _zip_directory_problem(entries)
        if problem == "too_many":
            raise FileRefused(_("This PowerPoint file has too many parts to be a presentation."))
        if problem == "too_large":
            raise FileRefused(_("This PowerPoint file unpacks to far more data than a presentation holds."))
        if problem == "outside":
            raise FileRefused(_("This PowerPoint file contains paths outside the file; it is refused."))
        names = {entry.filename for entry in entries}
        if "[Content_Types].xml" not in names or "ppt/presentation.xml" not in names:
            raise FileRefused(_("This file is not a PowerPoint (PPTX) presentation, or it is damaged."))
        try:
            content_types = archive.read("[Content_Types].xml")
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            raise FileRefused(_("This PowerPoint file is damaged. Please save it again.")) from None
        if _MACRO_CONTENT_TYPE in content_types.lower() or any(
            name.lower().endswith("vbaproject.bin") for name in names
        ):
            raise FileRefused(
                _("This PowerPoint file contains macros. Please save it as a plain presentation (.pptx).")
            )
    stream.seek(0)


_ODP_MIMETYPE = b"application/vnd.oasis.opendocument.presentation"
# Where an OpenDocument file keeps macros (LibreOffice Basic, and scripts in other languages).
_ODF_MACRO_FOLDERS = ("basic/", "scripts/")


def check_archive(stream: BinaryIO, file_type: str) -> None:
    """A sound zip archive (FileType.ZIP), or a sound, macro-free LibreOffice presentation (FileType.ODP,
    itself a zip). As for PPTX, the directory is checked before anything is decompressed; an ODP's small
    "mimetype" entry is the only one read. The files inside a plain zip are not opened: they are the
    recipients' to open, as they would be when mailed."""
    stream.seek(0)
    odp = file_type == FileType.ODP
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, ValueError):
        if odp:
            raise FileRefused(
                _("This file is not a LibreOffice Impress (ODP) presentation, or it is damaged.")
            ) from None
        raise FileRefused(_("This file is not a ZIP archive, or it is damaged.")) from None
    with archive:
        entries = archive.infolist()
        problem = _zip_directory_problem(entries)
        if problem == "too_many":
            raise FileRefused(_("This archive has more than %(max)d files.") % {"max": PPTX_MAX_ENTRIES})
        if problem == "too_large":
            raise FileRefused(_("This archive unpacks to far more data than it should hold; it is refused."))
        if problem == "outside":
            raise FileRefused(_("This archive contains paths outside the archive; it is refused."))
        if odp:
            try:
                mimetype = archive.read("mimetype") if "mimetype" in archive.namelist() else b""
            except (zipfile.BadZipFile, OSError, ValueError, EOFError):
                mimetype = b""
            if mimetype.strip() != _ODP_MIMETYPE:
                raise FileRefused(
                    _("This file is not a LibreOffice Impress (ODP) presentation, or it is damaged.")
                )
            if any(entry.filename.lower().startswith(_ODF_MACRO_FOLDERS) for entry in entries):
                raise FileRefused(_("This presentation contains macros. Please save it again without them."))
    stream.seek(0)
