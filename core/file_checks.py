"""Checks of an uploaded file by its name and its content (never by the browser's content type), for
submissions and seminar materials alike.

Here: the name, the size, plain text, and check_upload, which runs every check of one file (the content
of PDFs in core/pdf_checks.py, of zip archives in core/zip_checks.py). Each check raises FileRefused with
a message a student understands. Nothing here writes anywhere: the service stores a file only after every
check passed. Files are read from disk in bounded pieces.
"""

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from typing import BinaryIO

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .file_types import CHUNK, FileRefused, FileType
from .pdf_checks import check_pdf
from .zip_checks import check_archive, check_pptx

MAX_NAME_LENGTH = 200

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
