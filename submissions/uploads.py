"""An upload handler that streams one file to a temporary file and stops at the size limit.

Django parses the request body with the handlers set before request.POST is first read, so the upload
view sets this handler before the CSRF check reads the form (see views.upload). The limit is enforced
while the body streams in: nothing beyond it is written, and the partial temporary file is deleted.
"""

from django.core.files.uploadhandler import StopUpload, TemporaryFileUploadHandler


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
