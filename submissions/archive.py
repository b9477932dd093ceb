"""A ZIP of stored submissions, written while it is sent: memory stays flat however many files.

The standard library's zipfile writes to a stream that cannot seek (it adds data descriptors), so no
dependency is needed: each write lands in a small buffer that the generator hands to the response.
"""

import re
import zipfile
from collections.abc import Iterable, Iterator

from .models import Submission

CHUNK = 256 * 1024


class _Pipe:
    """A write-only file object whose contents are taken out by the generator after each write."""

    def __init__(self):
        self.parts: list[bytes] = []
        self.position = 0

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        self.position += len(data)
        return len(data)

    def tell(self) -> int:
        return self.position

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data, self.parts = b"".join(self.parts), []
        return data


def _safe(text: str) -> str:
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", text).strip(" .") or "_"


def archive_name(submission: Submission) -> str:
    student = submission.student
    folder = _safe(f"{student.get_full_name() or student.email} ({student.email})")
    late = "-late" if submission.is_late else ""
    return f"{folder}/v{submission.version}{late} {_safe(submission.original_name)}"


def zip_stream(submissions: Iterable[Submission]) -> Iterator[bytes]:
    pipe = _Pipe()
    with zipfile.ZipFile(pipe, mode="w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        for submission in submissions:
            info = zipfile.ZipInfo(archive_name(submission), date_time=submission.received_at.timetuple()[:6])
            info.compress_type = zipfile.ZIP_STORED
            with (
                submission.file.open("rb") as source,
                archive.open(info, mode="w", force_zip64=True) as target,
            ):
                while chunk := source.read(CHUNK):
                    target.write(chunk)
                    yield pipe.take()
            yield pipe.take()
    yield pipe.take()
