"""Sending a stored file after the permission check: by the web server (nginx X-Accel-Redirect) or the
object store (a presigned URL that expires within a minute) in production, by Django otherwise."""

from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.utils.http import content_disposition_header

from .models import Submission


def file_response(submission: Submission) -> HttpResponse:
    """An attachment (RFC 6266 file name, with filename* for non-ASCII names) that browsers never sniff."""
    disposition = content_disposition_header(True, submission.original_name)
    if settings.SUBMISSIONS_S3_BUCKET:
        url = submission.file.storage.url(
            submission.file.name,
            parameters={
                "ResponseContentDisposition": disposition,
                "ResponseContentType": submission.content_type,
            },
            expire=settings.SUBMISSIONS_URL_EXPIRE,
        )
        response = HttpResponseRedirect(url)
    elif settings.SUBMISSIONS_X_ACCEL_PREFIX:
        response = HttpResponse(content_type=submission.content_type)
        prefix = settings.SUBMISSIONS_X_ACCEL_PREFIX.rstrip("/")
        response["X-Accel-Redirect"] = prefix + "/" + quote(submission.file.name)
    else:
        response = FileResponse(submission.file.open("rb"), content_type=submission.content_type)
        response["Content-Length"] = str(submission.size)
    response["Content-Disposition"] = disposition
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
