"""Tests of the upload checks (core.file_checks, pdf_checks, zip_checks; for submissions and materials):
every way an upload is refused, with the message the student reads, and the files that pass. Real PDF and
PPTX bytes come from tests/submissions/helpers.py; zip bombs and odd archives are built in memory. A
property test (hypothesis) checks what clean_name promises for any text."""

import hashlib
import io
import unicodedata
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core import zip_checks
from core.file_checks import MAX_NAME_LENGTH, CheckedFile, check_upload, clean_name, too_large_message
from core.file_types import FileRefused
from core.pdf_checks import PdfFacts, PdfFeature, check_pdf
from core.zip_checks import check_pptx
from submissions.services import FILE_TYPE_REFUSED
from tests.submissions.helpers import pdf_bytes, pdf_with, pptx_bytes

MB = 1024 * 1024
BOTH = ["pdf", "pptx"]

MSG_FOLDERS = "The file name must not contain folders (“/” or “\\”). Please rename the file."
MSG_NO_NAME = "The file has no name. Please choose the file again."
MSG_BIDI = (
    "The file name contains invisible characters that change the direction of the text, "
    "which can disguise its type. Please rename the file."
)
MSG_CONTROL = 'The file name contains control characters or one of < > : " | ? *. Please rename the file.'
MSG_NO_STEM = "The file name needs a name before its extension, such as report.pdf."
MSG_NOT_PDF = "This file is not a PDF (it does not start like one). Please export it as PDF."
MSG_TRUNCATED = "This PDF is incomplete (it was cut off). Please export or download it again."
MSG_ENCRYPTED = "This PDF is encrypted or password-protected. Please upload a version without protection."
MSG_DAMAGED = "This PDF is damaged and cannot be read. Please export it again."
MSG_EMPTY = "The file is empty. Please choose the file again."
MSG_NOT_ZIP = "This file is not a PowerPoint (PPTX) file, or it is damaged."
MSG_NOT_PRESENTATION = "This file is not a PowerPoint (PPTX) presentation, or it is damaged."
MSG_MACROS = "This PowerPoint file contains macros. Please save it as a plain presentation (.pptx)."
MSG_BOMB = "This PowerPoint file unpacks to far more data than a presentation holds."
MSG_TOO_MANY = "This PowerPoint file has too many parts to be a presentation."
MSG_OUTSIDE = "This PowerPoint file contains paths outside the file; it is refused."

BIDI_CONTROLS = {
    "\u061c",
    "\u200e",
    "\u200f",
    *map(chr, range(0x202A, 0x202F)),
    *map(chr, range(0x2066, 0x206A)),
}


def refusal(function, *args, **kwargs) -> str:
    with pytest.raises(FileRefused) as caught:
        function(*args, **kwargs)
    return caught.value.message


def outcome(function, *args, **kwargs) -> tuple[object, str | None]:
    """The result and None, or None and the refusal's message: for property tests, where both may happen."""
    try:
        return function(*args, **kwargs), None
    except FileRefused as refused:
        return None, refused.message


def upload(data: bytes, name: str = "report.pdf", **overrides) -> CheckedFile:
    options = {"allowed_types": ["pdf"], "max_bytes": 5 * MB, "max_pages": None} | overrides
    return check_upload(io.BytesIO(data), name=name, **options)


def zip_of(entries: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def zip_bomb(size: int = 50 * MB) -> bytes:
    """A presentation with one slide of `size` zero bytes: deflate packs it about 1000 to 1."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("ppt/presentation.xml", "<p:presentation/>")
        with archive.open("ppt/slides/slide1.xml", "w") as entry:
            chunk = bytes(MB)
            for _ in range(size // MB):
                entry.write(chunk)
    return out.getvalue()


# --- clean_name: refused ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("../../x.pdf", MSG_FOLDERS, id="dot-dot-slash"),
        pytest.param("..\\x.pdf", MSG_FOLDERS, id="dot-dot-backslash"),
        pytest.param("reports/x.pdf", MSG_FOLDERS, id="folder"),
        pytest.param("C:\\Users\\x.pdf", MSG_FOLDERS, id="windows-path"),
        pytest.param("..", MSG_FOLDERS, id="dot-dot"),
        pytest.param(".", MSG_FOLDERS, id="dot"),
        pytest.param("", MSG_NO_NAME, id="empty"),
        pytest.param("   ", MSG_NO_NAME, id="blank"),
        pytest.param(None, MSG_NO_NAME, id="none"),
        pytest.param("report\u202efdp.exe", MSG_BIDI, id="rlo-exe"),
        pytest.param("invoice\u202egnp.pdf", MSG_BIDI, id="rlo-pdf"),
        pytest.param("report\u202dx.pdf", MSG_BIDI, id="lro"),
        pytest.param("report\u2067x.pdf", MSG_BIDI, id="rli"),
        pytest.param("report\u2069x.pdf", MSG_BIDI, id="pdi"),
        pytest.param("report\u200fx.pdf", MSG_BIDI, id="rlm"),
        pytest.param("report\u061cx.pdf", MSG_BIDI, id="alm"),
        pytest.param("rep\x00ort.pdf", MSG_CONTROL, id="nul"),
        pytest.param("x.php%00.pdf", MSG_CONTROL, id="percent-encoded-nul"),
        pytest.param("X.PHP%00.PDF", MSG_CONTROL, id="percent-encoded-nul-upper-case"),
        pytest.param("rep\nort.pdf", MSG_CONTROL, id="newline"),
        pytest.param("rep\tort.pdf", MSG_CONTROL, id="tab"),
        pytest.param("rep\x1bort.pdf", MSG_CONTROL, id="escape"),
        pytest.param("rep\x7fort.pdf", MSG_CONTROL, id="delete"),
        pytest.param("rep\u200bort.pdf", MSG_CONTROL, id="zero-width-space"),
        pytest.param("rep\ufeffort.pdf", MSG_CONTROL, id="byte-order-mark"),
        pytest.param("rep<ort>.pdf", MSG_CONTROL, id="angle-brackets"),
        pytest.param("what?.pdf", MSG_CONTROL, id="question-mark"),
        pytest.param("a:b.pdf", MSG_CONTROL, id="colon"),
        pytest.param('"x".pdf', MSG_CONTROL, id="quote"),
        pytest.param("a|b.pdf", MSG_CONTROL, id="pipe"),
        pytest.param("*.pdf", MSG_CONTROL, id="star"),
        pytest.param(".pdf", MSG_NO_STEM, id="no-stem"),
        pytest.param("..pdf", MSG_NO_STEM, id="only-dots-stem"),
        pytest.param(" .pdf", MSG_NO_STEM, id="space-stem"),
        pytest.param("report", MSG_NO_STEM, id="no-extension"),
    ],
)
def test_clean_name_refused(raw, expected):
    assert refusal(clean_name, raw, ["pdf"]) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "con.pdf",
        "CON.pdf",
        "Con.PDF",
        "prn.pdf",
        "nul.pdf",
        "lpt1.pdf",
        "com9.pdf",
        "aux.report.pdf",
        "con .pdf",
    ],
)
def test_clean_name_reserved_device_name(raw):
    assert (
        refusal(clean_name, raw, ["pdf"])
        == f"“{raw}” is a reserved device name on Windows. Please rename the file."
    )


@pytest.mark.parametrize("raw", ["console.pdf", "auxiliary.pdf", "lpt.pdf", "com10.pdf", "my con.pdf"])
def test_clean_name_near_reserved_accepted(raw):
    assert clean_name(raw, ["pdf"]) == (raw, "pdf")


@pytest.mark.parametrize(
    ("raw", "allowed", "expected"),
    [
        pytest.param(
            "x.pdf.html", ["pdf"], "This deliverable accepts PDF; the file name ends in “.html”.", id="double"
        ),
        pytest.param(
            "x.pptm",
            BOTH,
            "This deliverable accepts PDF or PowerPoint (PPTX); the file name ends in “.pptm”.",
            id="pptm",
        ),
        pytest.param(
            "x.exe", ["pdf"], "This deliverable accepts PDF; the file name ends in “.exe”.", id="exe"
        ),
        pytest.param(
            "slides.pptx",
            ["pdf"],
            "This deliverable accepts PDF; the file name ends in “.pptx”.",
            id="pptx-not-allowed",
        ),
        pytest.param(
            "report.pdf",
            ["pptx"],
            "This deliverable accepts PowerPoint (PPTX); the file name ends in “.pdf”.",
            id="pdf-not-allowed",
        ),
        pytest.param(
            "report.pdf.",
            ["pdf"],
            "This deliverable accepts PDF; the file name ends in “.”.",
            id="trailing-dot",
        ),
        pytest.param(
            "x." + "a" * 40,
            ["pdf"],
            f"This deliverable accepts PDF; the file name ends in “.{'a' * 20}”.",
            id="long-extension-cut",
        ),
    ],
)
def test_clean_name_extension_not_allowed(raw, allowed, expected):
    assert refusal(clean_name, raw, allowed, type_refused=FILE_TYPE_REFUSED) == expected


def test_clean_name_extension_not_allowed_without_a_callers_message():
    assert (
        refusal(clean_name, "x.exe", ["pdf", "zip"])
        == "Accepted here: PDF or ZIP; the file name ends in “.exe”."
    )


def test_clean_name_too_long():
    raw = "a" * 296 + ".pdf"
    assert len(raw) == 300
    assert refusal(clean_name, raw, ["pdf"]) == (
        "The file name is longer than 200 characters. Please shorten it."
    )


def test_clean_name_at_length_limit_accepted():
    raw = "a" * (MAX_NAME_LENGTH - 4) + ".pdf"
    assert clean_name(raw, ["pdf"]) == (raw, "pdf")


def test_clean_name_one_over_length_limit_refused():
    raw = "a" * (MAX_NAME_LENGTH - 3) + ".pdf"
    assert refusal(clean_name, raw, ["pdf"]) == (
        "The file name is longer than 200 characters. Please shorten it."
    )


# --- clean_name: accepted ---------------------------------------------------------------------------------


def test_clean_name_nfc_normalises_decomposed():
    decomposed = "Bericht u\u0308.pdf"
    name, file_type = clean_name(decomposed, ["pdf"])
    assert name == "Bericht \u00fc.pdf"
    assert name == unicodedata.normalize("NFC", decomposed)
    assert file_type == "pdf"


def test_clean_name_uppercase_extension_is_pdf():
    assert clean_name("REPORT.PDF", ["pdf"]) == ("REPORT.PDF", "pdf")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("report.pdf", ("report.pdf", "pdf"), id="plain"),
        pytest.param("  report.pdf  ", ("report.pdf", "pdf"), id="trimmed"),
        pytest.param("slides.pptx", ("slides.pptx", "pptx"), id="pptx"),
        pytest.param("Slides.PpTx", ("Slides.PpTx", "pptx"), id="mixed-case-pptx"),
        pytest.param("v1.2 final.pdf", ("v1.2 final.pdf", "pdf"), id="dots-in-stem"),
        pytest.param("Überblick – Seminar 2026.pdf", ("Überblick – Seminar 2026.pdf", "pdf"), id="unicode"),
        pytest.param(".hidden.pdf", (".hidden.pdf", "pdf"), id="leading-dot"),
    ],
)
def test_clean_name_accepted(raw, expected):
    assert clean_name(raw, BOTH) == expected


@given(
    raw=st.text(max_size=250)
    | st.builds(
        lambda stem, ext: stem + ext,
        st.text(max_size=220),
        st.sampled_from([".pdf", ".PDF", ".pptx", ".pptm", ""]),
    )
)
def test_clean_name_property_refused_or_safe(raw):
    result, message = outcome(clean_name, raw, BOTH)
    if result is None:
        assert message
        return
    name, file_type = result
    assert "/" not in name
    assert "\\" not in name
    assert not BIDI_CONTROLS & set(name)
    assert not any(unicodedata.category(char) in {"Cc", "Cf"} for char in name)
    assert len(name) <= MAX_NAME_LENGTH
    assert name == name.strip()
    assert file_type in BOTH
    assert name.rpartition(".")[2].lower() == file_type


# --- check_pdf --------------------------------------------------------------------------------------------


def test_check_pdf_valid_returns_page_count_and_no_features():
    assert check_pdf(io.BytesIO(pdf_bytes(3)), max_pages=None) == PdfFacts(3, frozenset())


def test_check_pdf_at_page_limit_accepted():
    assert check_pdf(io.BytesIO(pdf_bytes(3)), max_pages=3).pages == 3


def test_check_pdf_over_page_limit():
    assert refusal(check_pdf, io.BytesIO(pdf_bytes(3)), max_pages=2) == (
        "This PDF has 3 pages; at most 2 are allowed."
    )


def test_check_pdf_not_a_pdf():
    assert refusal(check_pdf, io.BytesIO(b"<html><body>hello</body></html>"), max_pages=None) == MSG_NOT_PDF


def test_check_pdf_empty():
    assert refusal(check_pdf, io.BytesIO(b""), max_pages=None) == MSG_NOT_PDF


def test_check_pdf_truncated():
    data = pdf_bytes(3)
    assert refusal(check_pdf, io.BytesIO(data[: len(data) // 2]), max_pages=None) == MSG_TRUNCATED


def test_check_pdf_encrypted():
    assert refusal(check_pdf, io.BytesIO(pdf_bytes(password="x")), max_pages=None) == MSG_ENCRYPTED


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"%PDF-1.7\n" + b"garbage " * 200 + b"\n%%EOF\n", id="garbage-body"),
        pytest.param(b"%PDF-1.4\n%%EOF", id="header-and-eof-only"),
        pytest.param(b"%PDF-1.4\n" + bytes(range(256)) * 8 + b"\n%%EOF", id="binary-body"),
    ],
)
def test_check_pdf_damaged(data):
    assert refusal(check_pdf, io.BytesIO(data), max_pages=None) == MSG_DAMAGED


MSG_ACTIVE = (
    "This PDF contains %s, which can run when the file is opened. Please export it again as a plain PDF "
    "(for example with “Print to PDF”), or ask the instructors."
)


@pytest.mark.parametrize(
    ("content", "found"),
    [
        pytest.param({"javascript": True}, "JavaScript", id="document-javascript"),
        pytest.param({"link_javascript": True}, "JavaScript", id="link-javascript"),
        pytest.param({"launch": True}, "a launch action (it starts a program)", id="launch"),
        pytest.param({"xfa": True}, "an XFA form", id="xfa"),
        pytest.param({"rich_media": True}, "rich media (Flash or 3D content)", id="rich-media"),
        pytest.param(
            {"javascript": True, "launch": True},
            "JavaScript and a launch action (it starts a program)",
            id="javascript-and-launch",
        ),
    ],
)
def test_check_pdf_with_active_content_is_refused_saying_what_was_found(content, found):
    assert refusal(check_pdf, io.BytesIO(pdf_with(**content)), max_pages=None) == MSG_ACTIVE % found


def test_check_pdf_finds_javascript_behind_an_escaped_name():
    """/J#61vaScript is /JavaScript to every PDF reader; a search of the bytes would not see it."""
    data = pdf_with(javascript=True).replace(b"/JavaScript", b"/J#61vaScript").replace(b"/JS ", b"/J#53 ")
    assert b"/JavaScript" not in data

    assert refusal(check_pdf, io.BytesIO(data), max_pages=None) == MSG_ACTIVE % "JavaScript"


def test_check_pdf_with_active_content_allowed_reports_it():
    facts = check_pdf(io.BytesIO(pdf_with(javascript=True, launch=True)), max_pages=None, allow_active=True)

    assert facts.features == {PdfFeature.JAVASCRIPT, PdfFeature.LAUNCH}


def test_check_pdf_with_an_embedded_file_is_accepted_and_reports_it():
    assert check_pdf(io.BytesIO(pdf_with(attachment=True)), max_pages=None) == PdfFacts(
        1, frozenset({PdfFeature.EMBEDDED_FILE})
    )


def test_check_upload_keeps_the_pdf_features():
    assert upload(pdf_with(attachment=True)).pdf_features == {PdfFeature.EMBEDDED_FILE}


def test_check_pdf_rewinds_stream():
    stream = io.BytesIO(pdf_bytes(2))
    check_pdf(stream, max_pages=None)
    assert stream.tell() == 0


@given(
    position=st.integers(min_value=5, max_value=len(pdf_bytes(2)) - 7),
    replacement=st.binary(max_size=12),
    cut=st.integers(min_value=0, max_value=12),
)
def test_check_pdf_property_corrupted_pdf_refused_or_counted(position, replacement, cut):
    """Any damage between the header and the end marker gives a page count or a FileRefused, never another
    exception (which would be a server error for the student)."""
    data = pdf_bytes(2)
    damaged = data[:position] + replacement + data[position + cut :]
    facts, message = outcome(check_pdf, io.BytesIO(damaged), max_pages=None)
    if facts is None:
        assert message
    else:
        assert facts.pages >= 1


# --- check_pptx -------------------------------------------------------------------------------------------


def test_check_pptx_valid_passes():
    stream = io.BytesIO(pptx_bytes())
    assert check_pptx(stream) is None
    assert stream.tell() == 0


def test_check_pptx_with_slides_passes():
    data = pptx_bytes(extra_entries={"ppt/slides/slide1.xml": b"<p:sld/>", "docProps/core.xml": b"<cp/>"})
    assert check_pptx(io.BytesIO(data)) is None


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(bytes(range(256)) * 4, id="random-bytes"),
        pytest.param(b"", id="empty"),
        pytest.param(pdf_bytes(), id="a-pdf"),
        pytest.param(pptx_bytes()[: len(pptx_bytes()) // 2], id="truncated-zip"),
    ],
)
def test_check_pptx_not_a_zip(data):
    assert refusal(check_pptx, io.BytesIO(data)) == MSG_NOT_ZIP


@pytest.mark.parametrize(
    "entries",
    [
        pytest.param({"[Content_Types].xml": b"<Types/>"}, id="no-presentation"),
        pytest.param({"ppt/presentation.xml": b"<p:presentation/>"}, id="no-content-types"),
        pytest.param({"word/document.xml": b"<w:document/>", "[Content_Types].xml": b"<Types/>"}, id="docx"),
        pytest.param({}, id="empty-zip"),
    ],
)
def test_check_pptx_zip_not_a_presentation(entries):
    assert refusal(check_pptx, io.BytesIO(zip_of(entries))) == MSG_NOT_PRESENTATION


def test_check_pptx_macro_content_type():
    assert refusal(check_pptx, io.BytesIO(pptx_bytes(macro=True))) == MSG_MACROS


@pytest.mark.parametrize("entry", ["ppt/vbaProject.bin", "ppt/VBAPROJECT.BIN", "vbaProject.bin"])
def test_check_pptx_vba_project_entry(entry):
    data = pptx_bytes(extra_entries={entry: b"\xd0\xcf\x11\xe0 not really VBA"})
    assert refusal(check_pptx, io.BytesIO(data)) == MSG_MACROS


def test_check_pptx_macro_content_type_other_case():
    content_types = (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Override PartName="/ppt/presentation.xml" '
        'ContentType="application/vnd.ms-powerpoint.presentation.MACROENABLED.main+xml"/></Types>'
    )
    data = zip_of(
        {"[Content_Types].xml": content_types.encode(), "ppt/presentation.xml": b"<p:presentation/>"}
    )
    assert refusal(check_pptx, io.BytesIO(data)) == MSG_MACROS


def test_check_pptx_zip_bomb():
    data = zip_bomb()
    assert len(data) < MB  # the bomb itself is small; only its directory says 50 MB
    assert refusal(check_pptx, io.BytesIO(data)) == MSG_BOMB


def test_check_pptx_ratio_just_below_limit_passes():
    """Stored (uncompressed) entries have ratio 1; an ordinary deflated XML part stays far below the limit."""
    slide = b"<p:sld>" + b"<a:t>Seminar</a:t>" * 200 + b"</p:sld>"
    data = pptx_bytes(extra_entries={"ppt/slides/slide1.xml": slide})
    assert check_pptx(io.BytesIO(data)) is None


def test_check_pptx_too_many_entries(monkeypatch):
    monkeypatch.setattr(zip_checks, "PPTX_MAX_ENTRIES", 10)
    entries = {"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p:presentation/>"}
    entries |= {f"ppt/slides/slide{n}.xml": b"<p:sld/>" for n in range(9)}
    assert len(entries) == 11
    assert refusal(check_pptx, io.BytesIO(zip_of(entries))) == MSG_TOO_MANY


def test_check_pptx_at_entry_limit_passes(monkeypatch):
    monkeypatch.setattr(zip_checks, "PPTX_MAX_ENTRIES", 10)
    entries = {"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p:presentation/>"}
    entries |= {f"ppt/slides/slide{n}.xml": b"<p:sld/>" for n in range(8)}
    assert len(entries) == 10
    assert check_pptx(io.BytesIO(zip_of(entries))) is None


@pytest.mark.parametrize(
    "entry",
    [
        "../evil.xml",
        "/abs.xml",
        "a\\b.xml",
        "\\abs.xml",
        "ppt/../../evil.xml",
        "ppt/slides/../../../evil.xml",
        "C:evil.xml",
    ],
)
def test_check_pptx_entry_path_outside(entry):
    data = pptx_bytes(extra_entries={entry: b"<x/>"})
    assert refusal(check_pptx, io.BytesIO(data)) == MSG_OUTSIDE


# --- check_upload -----------------------------------------------------------------------------------------


def test_check_upload_valid_pdf():
    data = pdf_bytes(2)
    assert upload(data, "Bericht.pdf", max_pages=10) == CheckedFile(
        display_name="Bericht.pdf",
        file_type="pdf",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        page_count=2,
    )


def test_check_upload_valid_pdf_from_disk(tmp_path):
    data = pdf_bytes(4)
    path = tmp_path / "upload.bin"
    path.write_bytes(data)
    with path.open("rb") as stream:
        checked = check_upload(
            stream, name="REPORT.PDF", allowed_types=["pdf"], max_bytes=5 * MB, max_pages=None
        )
    assert checked == CheckedFile("REPORT.PDF", "pdf", len(data), hashlib.sha256(data).hexdigest(), 4)


def test_check_upload_valid_pptx():
    data = pptx_bytes()
    assert upload(data, "slides.pptx", allowed_types=BOTH) == CheckedFile(
        display_name="slides.pptx",
        file_type="pptx",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        page_count=None,
    )


def test_check_upload_nfc_name():
    checked = upload(pdf_bytes(), "Bericht u\u0308.pdf")
    assert checked.display_name == "Bericht \u00fc.pdf"


def test_check_upload_empty_file():
    assert refusal(upload, b"") == MSG_EMPTY


def test_check_upload_over_max_bytes():
    data = pdf_bytes(padding=4096)
    assert len(data) > 1024
    assert refusal(upload, data, max_bytes=1024) == (
        "The file is larger than the limit of 1.0\xa0KB. Please make it smaller."
    )


def test_check_upload_exactly_max_bytes_accepted():
    data = pdf_bytes()
    assert upload(data, max_bytes=len(data)).size == len(data)


def test_check_upload_one_byte_over_max_bytes():
    data = pdf_bytes()
    assert refusal(upload, data, max_bytes=len(data) - 1) == too_large_message(len(data) - 1)


def test_check_upload_html_named_pdf():
    assert refusal(upload, b"<html>", "x.pdf") == MSG_NOT_PDF


def test_check_upload_pdf_over_page_limit():
    assert refusal(upload, pdf_bytes(3), max_pages=2) == "This PDF has 3 pages; at most 2 are allowed."


def test_check_upload_encrypted_pdf():
    assert refusal(upload, pdf_bytes(password="x")) == MSG_ENCRYPTED


def test_check_upload_pdf_named_pptx():
    assert refusal(upload, pdf_bytes(), "slides.pptx", allowed_types=BOTH) == MSG_NOT_ZIP


def test_check_upload_pptx_named_pdf():
    assert refusal(upload, pptx_bytes(), "slides.pdf", allowed_types=BOTH) == MSG_NOT_PDF


def test_check_upload_name_checked_before_content():
    assert refusal(upload, b"", "../x.pdf") == MSG_FOLDERS


def test_check_upload_macro_pptx():
    assert refusal(upload, pptx_bytes(macro=True), "slides.pptx", allowed_types=BOTH) == MSG_MACROS


@pytest.mark.parametrize("separator", ["\u2028", "\u2029"])
def test_clean_name_line_and_paragraph_separators_refused(separator):
    with pytest.raises(FileRefused) as refused:
        clean_name(f"report{separator}.pdf", ["pdf"])
    assert "control characters" in refused.value.message


def _javascript_behind(padding) -> bytes:
    """A PDF whose opening action runs JavaScript, with `padding` in the catalog besides it."""
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(  # noqa: SLF001 - the catalog
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
    )
    writer._root_object[NameObject("/ZPad")] = ArrayObject(padding)  # noqa: SLF001
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_check_pdf_finds_javascript_behind_a_padding_of_numbers():
    """Numbers cannot carry an action, so they do not count towards what is looked at: 225,000 of them
    in front of the action do not hide it."""
    from pypdf.generic import ArrayObject, NumberObject

    data = _javascript_behind([ArrayObject([NumberObject(0)] * 5000) for _ in range(45)])

    assert refusal(check_pdf, io.BytesIO(data), max_pages=None) == MSG_ACTIVE % "JavaScript"


def test_check_pdf_with_more_parts_than_are_looked_at_is_refused_not_passed():
    from pypdf.generic import ArrayObject

    data = _javascript_behind([ArrayObject([ArrayObject() for _ in range(500)]) for _ in range(450)])

    assert refusal(check_pdf, io.BytesIO(data), max_pages=None) == (
        "This PDF has more parts than the portal can check for scripts. Please export it again "
        "(for example with “Print to PDF”)."
    )


# --- the types of seminar materials: ODP, ZIP and plain text ------------------------------------------------

MATERIAL_TYPES = ["pdf", "pptx", "odp", "zip", "tex", "bib", "txt"]


def odp_bytes(*, mimetype: bytes = b"application/vnd.oasis.opendocument.presentation", extra=None) -> bytes:
    return zip_of({"mimetype": mimetype, "content.xml": b"<office:document-content/>", **(extra or {})})


@pytest.mark.parametrize(
    ("name", "data", "file_type"),
    [
        pytest.param(
            "template.zip", zip_of({"report/main.tex": b"\\documentclass{article}"}), "zip", id="zip"
        ),
        pytest.param("slides.odp", odp_bytes(), "odp", id="odp"),
        pytest.param("report.tex", "\\section{Einführung}".encode(), "tex", id="tex-utf8"),
        pytest.param("old.tex", "\\section{Einf\xfchrung}".encode("latin-1"), "tex", id="tex-latin1"),
        pytest.param("refs.bib", b"@article{key, title={A}}", "bib", id="bib"),
        pytest.param("reading-list.txt", b"1. Zhang et al. 2017\n", "txt", id="txt"),
    ],
)
def test_material_types_accepted(name, data, file_type):
    checked = upload(data, name, allowed_types=MATERIAL_TYPES)
    assert (checked.file_type, checked.size, checked.page_count) == (file_type, len(data), None)


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        pytest.param(
            "template.zip",
            b"PK\x03\x04 not really",
            "This file is not a ZIP archive, or it is damaged.",
            id="bad-zip",
        ),
        pytest.param(
            "template.zip",
            zip_of({"../../etc/passwd": b"x"}),
            "This archive contains paths outside the archive; it is refused.",
            id="zip-slip",
        ),
        pytest.param(
            "template.zip",
            zip_of({"big.tex": bytes(20 * MB)}),
            "This archive unpacks to far more data than it should hold; it is refused.",
            id="zip-bomb",
        ),
        pytest.param(
            "slides.odp",
            odp_bytes(mimetype=b"application/vnd.oasis.opendocument.text"),
            "This file is not a LibreOffice Impress (ODP) presentation, or it is damaged.",
            id="odt-named-odp",
        ),
        pytest.param(
            "slides.odp",
            pdf_bytes(1),
            "This file is not a LibreOffice Impress (ODP) presentation, or it is damaged.",
            id="pdf-named-odp",
        ),
        pytest.param(
            "slides.odp",
            odp_bytes(extra={"Basic/Standard/Module1.xml": b"<script/>"}),
            "This presentation contains macros. Please save it again without them.",
            id="odp-macros",
        ),
        pytest.param(
            "notes.txt",
            b"MZ\x90\x00\x03\x00\x00\x00",
            "This is not a text file: it contains binary data. Is it the right file?",
            id="binary-named-txt",
        ),
    ],
)
def test_material_types_refused(name, data, expected):
    assert refusal(upload, data, name, allowed_types=MATERIAL_TYPES) == expected


def test_a_zip_with_more_entries_than_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(zip_checks, "PPTX_MAX_ENTRIES", 3)
    data = zip_of({f"file-{index}.tex": b"x" for index in range(4)})
    assert refusal(upload, data, "many.zip", allowed_types=["zip"]) == "This archive has more than 3 files."
