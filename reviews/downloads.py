"""The report a reviewer downloads under double-blind review: a PDF without the author's name in its
metadata (reviews.anonymous_pdf), under a name that says nothing about the author. Other file types are
not given out (an office file's metadata and embedded pictures are too many places to clean)."""

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from core.file_types import FileType

from .anonymous_pdf import anonymised_pdf
from .models import PeerReview


def anonymous_name(review: PeerReview) -> str:
    return f"report-{review.pk}.pdf"


def report_response(review: PeerReview) -> HttpResponse | None:
    """The counted version without its metadata, or None when it is no PDF. Read whole into memory to be
    rewritten (reports are a few MB; the file size limit of the deliverable bounds it)."""
    submission = review.submission
    if submission.file_type != FileType.PDF:
        return None
    with submission.file.open("rb") as handle:
        data = anonymised_pdf(handle.read())
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, anonymous_name(review))
    response["Content-Length"] = str(len(data))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
