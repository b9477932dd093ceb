"""Reading a file with LibreOffice Calc: headless conversion to flat ODF (.fods), then its cells from the XML.

Every call gets its own LibreOffice profile (-env:UserInstallation) so that parallel test runs never share
one, and a timeout after which the whole process group is killed."""

import os
import shutil
import signal
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice")
TIMEOUT_S = 120
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"

needs_libreoffice = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice is not installed (.ci/run installs libreoffice-calc-nogui)"
)


@dataclass(frozen=True)
class Cell:
    """One cell as LibreOffice holds it: its value type (float, string, date, ... or None when empty), the
    value behind it (office:value / office:date-value), the text it shows and a formula if it has one."""

    type: str | None
    value: str | None
    shown: str
    formula: str | None = None


EMPTY = Cell(None, None, "")


def convert_to_fods(
    source: Path, workdir: Path, *, csv_options: str | None = None, locale: str = "C.UTF-8"
) -> Path:
    """`source` opened by LibreOffice in the language of `locale` (a CSV with LibreOffice's CSV filter
    options `csv_options`), saved as flat ODF; returns the .fods file."""
    out = workdir / "fods"
    command = [
        SOFFICE,
        f"-env:UserInstallation=file://{workdir / 'libreoffice-profile'}",
        "--headless",
        "--norestore",
        *([f"--infilter=Text - txt - csv (StarCalc):{csv_options}"] if csv_options else []),
        "--convert-to",
        "fods",
        "--outdir",
        str(out),
        str(source),
    ]
    environment = {**os.environ, "LC_ALL": locale, "LANG": locale, "HOME": str(workdir)}
    process = subprocess.Popen(
        command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        output, _ = process.communicate(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise
    result = out / (source.stem + ".fods")
    assert process.returncode == 0, output.decode(errors="replace")
    assert result.exists(), output.decode(errors="replace")
    return result


def _cell(element: ET.Element) -> Cell:
    paragraphs = element.findall(f"{{{TEXT}}}p")
    return Cell(
        type=element.get(f"{{{OFFICE}}}value-type"),
        value=element.get(f"{{{OFFICE}}}value") or element.get(f"{{{OFFICE}}}date-value"),
        shown="\n".join("".join(paragraph.itertext()) for paragraph in paragraphs),
        formula=element.get(f"{{{TABLE}}}formula"),
    )


def fods_rows(path: Path) -> list[list[Cell]]:
    """The first sheet's rows, cells repeated as often as the file says, without trailing empty cells and
    rows."""
    # The XML is LibreOffice's own output of a file the test made: nothing untrusted to defuse.
    sheet = ET.parse(path).getroot().find(f".//{{{TABLE}}}table")  # noqa: S314
    rows = []
    for row in sheet.iter(f"{{{TABLE}}}table-row"):
        cells = []
        for element in row.findall(f"{{{TABLE}}}table-cell"):
            cells += [_cell(element)] * int(element.get(f"{{{TABLE}}}number-columns-repeated", "1"))
        while cells and cells[-1] == EMPTY:
            cells.pop()
        rows += [cells] * int(row.get(f"{{{TABLE}}}number-rows-repeated", "1"))
    while rows and not rows[-1]:
        rows.pop()
    return rows


def read_with_libreoffice(data: bytes, name: str, workdir: Path, **options) -> list[list[Cell]]:
    source = workdir / name
    source.write_bytes(data)
    return fods_rows(convert_to_fods(source, workdir, **options))
