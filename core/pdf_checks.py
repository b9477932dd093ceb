"""The check of an uploaded PDF: sound, unencrypted, within its page limit, and what it carries besides
its pages (scripts, launch actions, rich media, XFA forms, embedded files), found by parsing it."""

from dataclasses import dataclass
from typing import BinaryIO

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from .file_types import FileRefused


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
