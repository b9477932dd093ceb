"""What every import of an uploaded file shares: its text, and its errors by line."""

from dataclasses import dataclass


@dataclass(frozen=True)
class RowError:
    """One bad line of an uploaded file: its number and what is wrong, in words the uploader understands."""

    line: int
    message: str


def decode_upload(data: bytes) -> str:
    """Text of an uploaded file: UTF-8 (with or without BOM), else Windows-1252 as spreadsheets save it."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")
