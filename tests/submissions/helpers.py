"""Helpers of the submissions tests: deliverable and submission factories, real PDF and PPTX bytes, a
storage per test."""

import io
import zipfile
from datetime import UTC, datetime, timedelta

import factory
import pytest
from pypdf import PdfWriter

from submissions.models import Deliverable, Submission
from tests.factories import SeminarFactory

DUE = datetime(2026, 12, 15, 22, 59, tzinfo=UTC)  # 23:59 in Europe/Berlin


class DeliverableFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deliverable

    seminar = factory.SubFactory(SeminarFactory)
    kind = Deliverable.Kind.REPORT
    title = "Written report"
    due_mode = Deliverable.DueMode.FIXED
    due_at = DUE
    allowed_types = factory.LazyFunction(lambda: ["pdf"])
    max_size_mb = 5


class SubmissionFactory(factory.django.DjangoModelFactory):
    """A version as the database holds it (no file behind it): for pages and mails that only list it."""

    class Meta:
        model = Submission

    deliverable = factory.SubFactory(DeliverableFactory)
    version = factory.LazyAttribute(
        lambda row: Submission.objects.filter(deliverable=row.deliverable, student=row.student).count() + 1
    )
    file = "x.pdf"
    original_name = "report.pdf"
    file_type = "pdf"
    size = 1000
    sha256 = "0" * 64
    received_at = factory.LazyAttribute(lambda row: row.deliverable.due_at or DUE)
    is_late = False


def pdf_bytes(pages: int = 1, *, password: str | None = None, padding: int = 0) -> bytes:
    """A real PDF made by pypdf; `padding` adds a stream of that many bytes, for size tests."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if padding:
        writer.add_metadata({"/Padding": "x" * 10})
        writer._add_object(  # noqa: SLF001 - a large object, so that the file has the wanted size
            __import__("pypdf").generic.DecodedStreamObject()
        ).get_object().set_data(b"0" * padding)
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pptx_bytes(*, macro: bool = False, extra_entries: dict[str, bytes] | None = None) -> bytes:
    """The smallest zip our checker takes for a presentation (content types and presentation part)."""
    content_type = (
        "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml"
        if macro
        else "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Override PartName="/ppt/presentation.xml" ContentType="{content_type}"/></Types>',
        )
        archive.writestr("ppt/presentation.xml", "<p:presentation/>")
        for name, data in (extra_entries or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.fixture
def submission_storage(settings, tmp_path):
    """Each test stores its uploads in its own folder, so "nothing was stored" can be checked on disk."""
    root = tmp_path / "submissions"
    root.mkdir()
    storages = {alias: dict(config) for alias, config in settings.STORAGES.items()}
    storages["submissions"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(root), "base_url": None},
    }
    settings.STORAGES = storages
    return root


def stored_files(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()]


def assert_nothing_stored(root) -> None:
    assert Submission.objects.count() == 0
    assert stored_files(root) == []


DAY = timedelta(days=1)


def pdf_with(
    *,
    javascript: bool = False,
    link_javascript: bool = False,
    launch: bool = False,
    attachment: bool = False,
    xfa: bool = False,
    rich_media: bool = False,
) -> bytes:
    """A one-page PDF made by pypdf carrying the named active content or attachments, placed where real
    files carry them: document JavaScript (the /Names tree), a link annotation running JavaScript, a launch
    action opening the document, an embedded file, an XFA form, a rich-media annotation."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    annotations = ArrayObject()
    if javascript:
        action = DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject("app.alert(1);"),
            }
        )
        writer._root_object[NameObject("/Names")] = DictionaryObject(  # noqa: SLF001 - the catalog
            {
                NameObject("/JavaScript"): DictionaryObject(
                    {
                        NameObject("/Names"): ArrayObject(
                            [TextStringObject("hello"), writer._add_object(action)]
                        )
                    }  # noqa: SLF001
                )
            }
        )
    if link_javascript:
        annotations.append(
            DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/Annot"),
                    NameObject("/Subtype"): NameObject("/Link"),
                    NameObject("/Rect"): ArrayObject([]),
                    NameObject("/A"): DictionaryObject(
                        {
                            NameObject("/S"): NameObject("/JavaScript"),
                            NameObject("/JS"): TextStringObject("x"),
                        }
                    ),
                }
            )
        )
    if rich_media:
        annotations.append(
            DictionaryObject(
                {NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/RichMedia")}
            )
        )
    if annotations:
        page[NameObject("/Annots")] = annotations
    if launch:
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject(  # noqa: SLF001 - the catalog
            {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("calc.exe")}
        )
    if attachment:
        writer.add_attachment("data.csv", b"a;b\n1;2\n")
    if xfa:
        writer._root_object[NameObject("/AcroForm")] = DictionaryObject(  # noqa: SLF001 - the catalog
            {NameObject("/Fields"): ArrayObject([]), NameObject("/XFA"): TextStringObject("<xdp:xdp/>")}
        )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
