"""Sending a stored file after the permission check: by the web server in production, by Django else."""

from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header

from .models import Submission


def file_response(submission: Submission) -> HttpResponse:
    """An attachment (RFC 6266 file name, with filename* for non-ASCII names) that browsers never sniff."""
    disposition = content_disposition_header(True, submission.original_name)
    prefix = settings.SUBMISSIONS_X_ACCEL_PREFIX
    if prefix:
        response = HttpResponse(content_type=submission.content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(submission.file.name)
    else:
        response = FileResponse(submission.file.open("rb"), content_type=submission.content_type)
        response["Content-Length"] = str(submission.size)
    response["Content-Disposition"] = disposition
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
