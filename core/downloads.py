"""Sending a stored upload after the permission check: by the web server (nginx X-Accel-Redirect) or the
object store (a presigned URL that expires within a minute) in production, by Django otherwise. Used for
submissions and seminar materials alike (both live in the uploads storage, core/file_storage.py)."""

from urllib.parse import quote

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.utils.http import content_disposition_header


def file_response(file: FieldFile, *, name: str, content_type: str, size: int) -> HttpResponse:
    """`file` as an attachment named `name` (RFC 6266, with filename* for non-ASCII names) that browsers
    never sniff."""
    disposition = content_disposition_header(True, name)
    if settings.SUBMISSIONS_S3_BUCKET:
        url = file.storage.url(
            file.name,
            parameters={"ResponseContentDisposition": disposition, "ResponseContentType": content_type},
            expire=settings.SUBMISSIONS_URL_EXPIRE,
        )
        response = HttpResponseRedirect(url)
    elif settings.SUBMISSIONS_X_ACCEL_PREFIX:
        response = HttpResponse(content_type=content_type)
        prefix = settings.SUBMISSIONS_X_ACCEL_PREFIX.rstrip("/")
        response["X-Accel-Redirect"] = prefix + "/" + quote(file.name)
    else:
        response = FileResponse(file.open("rb"), content_type=content_type)
        response["Content-Length"] = str(size)
    response["Content-Disposition"] = disposition
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
