"""How the upload view reads a request body: one file, streamed to a temporary file, stopped at the size
limit, with its name as the client sent it.

Django parses the request body with the handlers set before request.POST is first read, so the upload
view sets this handler before the CSRF check reads the form (see views.upload). The limit is enforced
while the body streams in: nothing beyond it is written, and the partial temporary file is deleted.
"""

import html

from django.core.files.uploadhandler import StopUpload, TemporaryFileUploadHandler
from django.http.multipartparser import MultiPartParser
from django.utils.datastructures import ImmutableList


class LimitedUploadHandler(TemporaryFileUploadHandler):
    def __init__(self, request=None, *, max_bytes: int, max_files: int = 1):
        super().__init__(request)
        self.max_bytes = max_bytes
        self.max_files = max_files
        self.files_seen = 0
        self.received = 0
        self.too_large = False
        self.too_many = False

    def new_file(self, *args, **kwargs):
        self.files_seen += 1
        if self.files_seen > self.max_files:
            self.too_many = True
            raise StopUpload(connection_reset=False)
        self.received = 0
        super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.max_bytes:
            self.too_large = True
            raise StopUpload(connection_reset=False)
        return super().receive_data_chunk(raw_data, start)


class NameKeepingMultiPartParser(MultiPartParser):
    """Django's parser silently drops every non-printable character from an uploaded file's name, so
    "x.php<NUL>.pdf" (sent as `filename*=UTF-8''x.php%00.pdf`, or with the byte itself) arrives as
    "x.php.pdf" and would pass. This parser keeps them, so that the portal's name check refuses such a
    name with its reason. Folders are still cut off, as Django does."""

    def sanitize_file_name(self, file_name):
        file_name = html.unescape(file_name)
        file_name = file_name.rsplit("/")[-1].rsplit("\\")[-1]
        return None if file_name in {"", ".", ".."} else file_name


def parse_with_names_kept(request) -> None:
    """Makes `request` parse its multipart body with NameKeepingMultiPartParser; call it before anything
    reads the body."""

    def parse_file_upload(meta, post_data):
        request.upload_handlers = ImmutableList(
            request.upload_handlers,
            warning="You cannot alter upload handlers after the upload has been processed.",
        )
        return NameKeepingMultiPartParser(meta, post_data, request.upload_handlers, request.encoding).parse()

    request.parse_file_upload = parse_file_upload
