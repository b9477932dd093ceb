"""What the upload checks share: the file types an upload may have, and the refusal every check raises
(core/file_checks.py, core/pdf_checks.py, core/zip_checks.py)."""

# Files are read in pieces of this size, never whole.
CHUNK = 1024 * 1024


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
