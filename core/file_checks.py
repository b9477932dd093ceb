"""Checks of an uploaded file by its name and its content (never by the browser's content type), for
submissions and seminar materials alike.

Each check raises FileRefused with a message a student understands. Nothing here writes anywhere: the
service stores a file only after every check passed. Files are read from disk in bounded pieces.
"""

import hashlib
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

MAX_NAME_LENGTH = 200
CHUNK = 1024 * 1024

# Characters that make a name look different from what it is: bidirectional overrides and isolates, marks.
_DISGUISING = (
    {"\u200e", "\u200f", "\u061c"}
    | {chr(c) for c in range(0x202A, 0x202F)}
    | {chr(c) for c in range(0x2066, 0x206A)}
)
_WINDOWS_RESERVED = (
    {"con", "prn", "aux", "nul"} | {f"com{n}" for n in range(10)} | {f"lpt{n}" for n in range(10)}
)
# Control and format characters, and line or paragraph separators.
_INVISIBLE = {"Cc", "Cf", "Zl", "Zp"}
_FORBIDDEN_IN_NAME = re.compile(r'[<>:"|?*]')

# Zip limits (OOXML, OpenDocument, plain zip archives), checked from the zip directory before anything is
# decompressed.
PPTX_MAX_ENTRIES = 5000
PPTX_MAX_UNCOMPRESSED = 1024 * 1024 * 1024
PPTX_MAX_RATIO = 200
_MACRO_CONTENT_TYPE = b"macroenabled"  # media types compare without regard to case


class FileRefused(ValueError):
    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


class FileType:
    """The types an upload may have, named by their extension. Submissions take PDF and PPTX; seminar
    materials these and LibreOffice slides, zip archives (a LaTeX template) and plain text."""

    PDF = "pdf"
    PPTX = "pptx"
    ODP = "odp"
    ZIP = "zip"
    TEX = "tex"
    BIB = "bib"
    TXT = "txt"
    TEXT = (TEX, BIB, TXT)
    LABELS = {
        PDF: "PDF",
        PPTX: "PowerPoint (PPTX)",
        ODP: "LibreOffice Impress (ODP)",
        ZIP: "ZIP",
        TEX: "LaTeX (TEX)",
        BIB: "BibTeX (BIB)",
        TXT: "Text (TXT)",
    }
    CONTENT_TYPES = {
        PDF: "application/pdf",
        PPTX: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ODP: "application/vnd.oasis.opendocument.presentation",
        ZIP: "application/zip",
        TEX: "text/x-tex",
        BIB: "text/x-bibtex",
        TXT: "text/plain",
    }


class PdfFeature:
    """What a PDF may carry besides its pages. ACTIVE ones run when the file is opened: refused unless the
    deliverable accepts them. The others are kept and marked on the instructor's overview."""

    JAVASCRIPT = "javascript"
    LAUNCH = "launch"
    RICH_MEDIA = "rich_media"
    XFA = "xfa"
    EMBEDDED_FILE = "embedded_file"
    ACTIVE = (JAVASCRIPT, LAUNCH, RICH_MEDIA, XFA)
    LABELS = {
        JAVASCRIPT: gettext_lazy("JavaScript"),
        LAUNCH: gettext_lazy("a launch action (it starts a program)"),
        RICH_MEDIA: gettext_lazy("rich media (Flash or 3D content)"),
        XFA: gettext_lazy("an XFA form"),
        EMBEDDED_FILE: gettext_lazy("embedded files"),
    }


# Back links, and what pages draw with (fonts, images, content streams): no action or attachment lives
# there, and they are most of a large file's objects.
_NOT_FOLLOWED = {"/Parent", "/P", "/Resources", "/Contents", "/Thumb"}
# Dictionaries and arrays looked at per PDF: far more than a report or slides have, few enough to bound
# the time; a PDF with more is refused (it could hide an action behind them).
PDF_MAX_OBJECTS = 200_000


@dataclass(frozen=True)
class PdfFacts:
    pages: int
    features: frozenset[str] = frozenset()


@dataclass(frozen=True)
class CheckedFile:
    display_name: str
    file_type: str
    size: int
    sha256: str
    page_count: int | None
    pdf_features: frozenset[str] = frozenset()


# What a refused extension is told when the caller names no message of its own; `type_refused` takes the
# same placeholders.
TYPE_REFUSED = gettext_lazy("Accepted here: %(types)s; the file name ends in “.%(extension)s”.")


def clean_name(raw: str, allowed_types: list[str], *, type_refused: str = TYPE_REFUSED) -> tuple[str, str]:
    """The name to show (NFC, trimmed) and the file type its extension names. Refuses folders, disguising
    characters, reserved device names, over-long names and extensions not in `allowed_types` (with
    `type_refused`, given %(types)s and %(extension)s)."""
    name = unicodedata.normalize("NFC", raw or "").strip()
    if not name:
        raise FileRefused(_("The file has no name. Please choose the file again."))
    if "/" in name or "\\" in name or name in {".", ".."}:
        raise FileRefused(_("The file name must not contain folders (“/” or “\\”). Please rename the file."))
    if any(char in _DISGUISING for char in name):
        raise FileRefused(
            _(
                "The file name contains invisible characters that change the direction of the text, "
                "which can disguise its type. Please rename the file."
            )
        )
    if (
        any(unicodedata.category(char) in _INVISIBLE for char in name)
        or _FORBIDDEN_IN_NAME.search(name)
        # A NUL written as %00: some programs cut the name there ("x.php%00.pdf" is "x.php" to them).
        or "%00" in name
    ):
        raise FileRefused(
            _('The file name contains control characters or one of < > : " | ? *. Please rename the file.')
        )
    if len(name) > MAX_NAME_LENGTH:
        raise FileRefused(
            # Not the length itself: the web server may have cut a long name before it arrives here.
            _("The file name is longer than %(max)d characters. Please shorten it.")
            % {"max": MAX_NAME_LENGTH}
        )
    stem, dot, extension = name.rpartition(".")
    extension = extension.lower()
    if stem.split(".")[0].strip().lower() in _WINDOWS_RESERVED:
        raise FileRefused(
            _("“%(name)s” is a reserved device name on Windows. Please rename the file.") % {"name": name}
        )
    if not dot or not stem.strip(" ."):
        raise FileRefused(_("The file name needs a name before its extension, such as report.pdf."))
    if extension not in allowed_types:
        raise FileRefused(
            str(type_refused) % {"types": allowed_types_text(allowed_types), "extension": extension[:20]}
        )
    return name, extension


def allowed_types_text(allowed_types: list[str]) -> str:
    """The types in a sentence: "PDF or PowerPoint (PPTX)", and "PDF, ZIP or Text (TXT)" for more."""
    labels = [FileType.LABELS.get(kind, kind.upper()) for kind in allowed_types]
    if len(labels) <= 2:
        return _(" or ").join(labels)
    return ", ".join(labels[:-1]) + _(" or ") + labels[-1]


def sha256_of(stream: BinaryIO) -> tuple[str, int]:
    stream.seek(0)
    digest, size = hashlib.sha256(), 0
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    stream.seek(0)
    return digest.hexdigest(), size


def check_pdf(stream: BinaryIO, *, max_pages: int | None, allow_active: bool = False) -> PdfFacts:
    """The page count and features of a sound, unencrypted PDF; FileRefused otherwise, also when it
    carries active content (JavaScript, launch actions, rich media, XFA) and `allow_active` is off."""
    stream.seek(0)
    if stream.read(5) != b"%PDF-":
        raise FileRefused(_("This file is not a PDF (it does not start like one). Please export it as PDF."))
    stream.seek(0, 2)
    end = stream.tell()
    stream.seek(max(0, end - 2048))
    if b"%%EOF" not in stream.read():
        raise FileRefused(_("This PDF is incomplete (it was cut off). Please export or download it again."))
    stream.seek(0)
    try:
        reader = PdfReader(stream, strict=False)
        if reader.is_encrypted:
            raise FileRefused(
                _("This PDF is encrypted or password-protected. Please upload a version without protection.")
            )
        pages = len(reader.pages)
        features = pdf_features(reader)
    except FileRefused:
        raise
    except PdfTooComplex:
        raise FileRefused(
            _(
                "This PDF has more parts than the portal can check for scripts. Please export it again "
                "(for example with “Print to PDF”)."
            )
        ) from None
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError, OSError):
        raise FileRefused(_("This PDF is damaged and cannot be read. Please export it again.")) from None
    finally:
        stream.seek(0)
    if pages == 0:
        raise FileRefused(_("This PDF has no pages."))
    if max_pages is not None and pages > max_pages:
        raise FileRefused(
            _("This PDF has %(pages)d pages; at most %(max)d are allowed.")
            % {"pages": pages, "max": max_pages}
        )
    active = [feature for feature in PdfFeature.ACTIVE if feature in features]
    if active and not allow_active:
        raise FileRefused(
            _(
                "This PDF contains %(found)s, which can run when the file is opened. Please export it again "
                "as a plain PDF (for example with “Print to PDF”), or ask the instructors."
            )
            % {"found": _(" and ").join(str(PdfFeature.LABELS[feature]) for feature in active)}
        )
    return PdfFacts(pages, frozenset(features))


def _name(value) -> str:
    return str(value) if isinstance(value, NameObject) else ""


class PdfTooComplex(Exception):
    """More dictionaries and arrays than the check looks at: what is left could hide active content."""


def pdf_features(reader: PdfReader) -> set[str]:
    """Every feature of PdfFeature found in the objects reachable from the document catalog. pypdf
    resolves object streams and escaped names (/J#61vaScript), which a search of the bytes would miss.
    Page content streams are not decoded: actions and attachments live in dictionaries. Only dictionaries
    and arrays count towards PDF_MAX_OBJECTS (numbers and names cannot carry an action); PdfTooComplex
    when there are more, so that padding cannot push an action beyond what is looked at."""
    found: set[str] = set()
    seen: set[tuple[int, int]] = set()
    stack = [reader.trailer["/Root"]]
    containers = 0
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        if not isinstance(item, DictionaryObject | ArrayObject):
            continue
        containers += 1
        if containers > PDF_MAX_OBJECTS:
            raise PdfTooComplex
        if isinstance(item, ArrayObject):
            stack.extend(
                value for value in item if isinstance(value, IndirectObject | DictionaryObject | ArrayObject)
            )
            continue
        found |= _features_of(item)
        stack.extend(
            value
            for name, value in item.items()
            if name not in _NOT_FOLLOWED
            and isinstance(value, IndirectObject | DictionaryObject | ArrayObject)
        )
    return found


def _features_of(item: DictionaryObject) -> set[str]:
    kind, subtype = _name(item.get("/S")), _name(item.get("/Subtype"))
    found = set()
    if "/JS" in item or "/JavaScript" in item or kind == "/JavaScript":
        found.add(PdfFeature.JAVASCRIPT)
    if kind == "/Launch":
        found.add(PdfFeature.LAUNCH)
    if subtype == "/RichMedia" or "/RichMediaContent" in item:
        found.add(PdfFeature.RICH_MEDIA)
    if "/XFA" in item:
        found.add(PdfFeature.XFA)
    if (
        "/EmbeddedFiles" in item
        or "/EF" in item
        or subtype == "/FileAttachment"
        or _name(item.get("/Type")) == "/EmbeddedFile"
    ):
        found.add(PdfFeature.EMBEDDED_FILE)
    return found


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


def check_text(stream: BinaryIO) -> None:
    """Plain text (LaTeX, BibTeX, a reading list): refused when it holds a NUL byte, which no text file
    has and every program or image has. Any encoding is accepted: older LaTeX files are often Latin-1."""
    stream.seek(0)
    while chunk := stream.read(CHUNK):
        if b"\0" in chunk:
            stream.seek(0)
            raise FileRefused(_("This is not a text file: it contains binary data. Is it the right file?"))
    stream.seek(0)


def check_upload(
    stream: BinaryIO,
    *,
    name: str,
    allowed_types: list[str],
    max_bytes: int,
    max_pages: int | None,
    allow_active: bool = False,
    type_refused: str = TYPE_REFUSED,
) -> CheckedFile:
    """Every check of one uploaded file, cheapest first."""
    display_name, file_type = clean_name(name, allowed_types, type_refused=type_refused)
    sha256, size = sha256_of(stream)
    if size == 0:
        raise FileRefused(_("The file is empty. Please choose the file again."))
    if size > max_bytes:
        raise FileRefused(too_large_message(max_bytes))
    if file_type == FileType.PDF:
        facts = check_pdf(stream, max_pages=max_pages, allow_active=allow_active)
        return CheckedFile(display_name, file_type, size, sha256, facts.pages, facts.features)
    if file_type == FileType.PPTX:
        check_pptx(stream)
    if file_type in (FileType.ZIP, FileType.ODP):
        check_archive(stream, file_type)
    if file_type in FileType.TEXT:
        check_text(stream)
    return CheckedFile(display_name, file_type, size, sha256, None)


def too_large_message(max_bytes: int) -> str:
    return _("The file is larger than the limit of %(limit)s. Please make it smaller.") % {
        "limit": filesizeformat(max_bytes)
    }
