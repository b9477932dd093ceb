"""Reading paper lists: BibTeX (bibtexparser 2, LaTeX decoded with pylatexenc) and CSV.

Pure: bytes in, records and line-numbered errors out; the caller imports all or nothing.
"""

import csv
import io
import re
from dataclasses import dataclass

import bibtexparser
from bibtexparser.model import DuplicateBlockKeyBlock, ParsingFailedBlock
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext as _
from pylatexenc.latex2text import LatexNodes2Text

from seminars.exceptions import RowError

NOT_PAPERS = {"string", "preamble", "comment"}
DOI = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)?(10\.\d{4,9}/\S+)$", re.IGNORECASE)
ARXIV = re.compile(r"^(?:arxiv:)?(\d{4}\.\d{4,5}(?:v\d+)?|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})$", re.IGNORECASE)
_latex = LatexNodes2Text(math_mode="verbatim")


@dataclass(frozen=True)
class PaperRecord:
    line: int
    key: str
    title: str
    authors: str
    venue: str
    year: int | None
    link: str
    abstract: str
    topic: str
    capacity: int | None
    supervisor_email: str


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _clean(text: str) -> str:
    """LaTeX to Unicode, braces gone, white space collapsed."""
    try:
        text = _latex.latex_to_text(text)
    except Exception:  # pylatexenc gives up on some malformed input; keep the raw text readable then
        text = text.replace("{", "").replace("}", "")
    return " ".join(text.replace("{", "").replace("}", "").split())


def _authors(raw: str) -> str:
    names = []
    for name in re.split(r"\s+and\s+", raw.strip()):
        if "," in name:
            last, _comma, first = name.partition(",")
            name = f"{first.strip()} {last.strip()}"
        cleaned = _clean(name)
        if cleaned:
            names.append(cleaned)
    return ", ".join(names)


def _year(raw: str) -> tuple[int | None, bool]:
    raw = raw.strip()
    if not raw:
        return None, True
    if re.fullmatch(r"\d{4}", raw) and 1900 <= int(raw) <= 2100:
        return int(raw), True
    return None, False


def link_from(value: str) -> str | None:
    """A https link from a DOI, an arXiv id or a URL; None when the value is none of these."""
    value = value.strip()
    if not value:
        return ""
    if doi := DOI.match(value):
        return f"https://doi.org/{doi.group(1)}"
    if arxiv := ARXIV.match(value):
        return f"https://arxiv.org/abs/{arxiv.group(1)}"
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        return None
    return value


def _bibtex_link(fields: dict[str, str]) -> str:
    if fields.get("doi"):
        return link_from(fields["doi"]) or ""
    eprint = fields.get("eprint", "").strip()
    if eprint and (fields.get("archiveprefix", "").lower() == "arxiv" or ARXIV.match(eprint)):
        return f"https://arxiv.org/abs/{eprint}"
    return link_from(fields.get("url", "")) or ""


def parse_bibtex(data: bytes) -> tuple[list[PaperRecord], list[RowError]]:
    text = _decode(data)
    library = bibtexparser.parse_string(text)
    records, errors = [], []
    for block in library.failed_blocks:
        line = block.start_line + 1
        if isinstance(block, DuplicateBlockKeyBlock):
            errors.append(
                RowError(line, _("Entry “%(key)s”: this key is used twice in the file.") % {"key": block.key})
            )
        elif isinstance(block, ParsingFailedBlock):
            guess = re.match(r"\s*@\w+\s*\{\s*([^,\s]+)", block.raw or "")
            errors.append(
                RowError(
                    line,
                    _("Entry “%(key)s” cannot be read (a brace or quote is missing?).")
                    % {"key": guess.group(1) if guess else "?"},
                )
            )
    for entry in library.entries:
        if entry.entry_type.lower() in NOT_PAPERS:
            continue
        line = entry.start_line + 1
        fields = {name.lower(): str(field.value) for name, field in entry.fields_dict.items()}
        title, authors = _clean(fields.get("title", "")), _authors(fields.get("author", ""))
        year, year_ok = _year(fields.get("year", ""))
        problems = []
        if not title:
            problems.append(_("the title is missing."))
        if not authors:
            problems.append(_("the authors are missing."))
        if not year_ok:
            problems.append(_("“%(year)s” is not a year.") % {"year": fields.get("year", "")})
        errors.extend(
            RowError(line, _("Entry “%(key)s”: %(problem)s") % {"key": entry.key, "problem": problem})
            for problem in problems
        )
        if not problems:
            keywords = [
                word.strip() for word in re.split(r"[,;]", fields.get("keywords", "")) if word.strip()
            ]
            records.append(
                PaperRecord(
                    line=line,
                    key=entry.key,
                    title=title,
                    authors=authors,
                    venue=_clean(
                        fields.get("booktitle") or fields.get("journal") or fields.get("publisher", "")
                    ),
                    year=year,
                    link=_bibtex_link(fields),
                    abstract=_clean(fields.get("abstract", "")),
                    topic=keywords[0] if keywords else "",
                    capacity=None,
                    supervisor_email="",
                )
            )
    if not records and not errors:
        errors.append(RowError(1, _("The file has no entries.")))
    return records, sorted(errors, key=lambda error: error.line)


CSV_COLUMNS = {
    "title": {"title", "titel"},
    "authors": {"authors", "author", "autoren", "autor"},
    "venue": {"venue", "booktitle", "journal", "konferenz"},
    "year": {"year", "jahr"},
    "link": {"link", "url", "doi", "arxiv"},
    "abstract": {"abstract", "zusammenfassung"},
    "topic": {"topic", "thema", "keywords"},
    "capacity": {"capacity", "plätze", "seats"},
    "supervisor": {"supervisor", "supervisor email", "supervisor e-mail", "betreuer", "betreuer e-mail"},
}


def parse_paper_csv(data: bytes) -> tuple[list[PaperRecord], list[RowError]]:
    text = _decode(data)
    if not text.strip():
        return [], [RowError(1, _("The file is empty."))]
    first = text.splitlines()[0]
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=";" if first.count(";") > first.count(",") else ","
    )
    try:
        header = [cell.strip().lower() for cell in next(reader)]
    except csv.Error as error:
        return [], [RowError(1, _("This is not a readable CSV file (%(error)s).") % {"error": error})]
    columns = {}
    for index, label in enumerate(header):
        for key, names in CSV_COLUMNS.items():
            if label in names and key not in columns:
                columns[key] = index
    if "title" not in columns or "authors" not in columns:
        return [], [RowError(1, _("The first line must name the columns; title and authors are required."))]
    records, errors, titles = [], [], {}
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            record, problems = _csv_record(row, columns, line)
            normalised = " ".join(record.title.casefold().split())
            if normalised and normalised in titles:
                problems.append(_("the same title is on line %(line)d.") % {"line": titles[normalised]})
            errors.extend(RowError(line, problem[:1].upper() + problem[1:]) for problem in problems)
            if not problems:
                records.append(record)
                titles[normalised] = line
    except csv.Error as error:
        errors.append(
            RowError(reader.line_num, _("This line cannot be read (%(error)s).") % {"error": error})
        )
    if not records and not errors:
        errors.append(RowError(2, _("The file has no entries.")))
    return records, errors


def _csv_record(row: list[str], columns: dict[str, int], line: int) -> tuple[PaperRecord, list[str]]:
    def cell(key: str) -> str:
        index = columns.get(key)
        return " ".join(row[index].split()) if index is not None and index < len(row) else ""

    problems = []
    title, authors = cell("title"), cell("authors")
    if not title:
        problems.append(_("the title is missing."))
    if not authors:
        problems.append(_("the authors are missing."))
    year, year_ok = _year(cell("year"))
    if not year_ok:
        problems.append(_("“%(year)s” is not a year.") % {"year": cell("year")})
    link = link_from(cell("link"))
    if link is None:
        problems.append(_("“%(link)s” is not a DOI, an arXiv id or a web address.") % {"link": cell("link")})
    capacity = None
    if cell("capacity"):
        if cell("capacity").isascii() and cell("capacity").isdigit() and 1 <= int(cell("capacity")) <= 50:
            capacity = int(cell("capacity"))
        else:
            problems.append(_("the capacity must be a whole number from 1 to 50."))
    supervisor = cell("supervisor").lower()
    if supervisor:
        try:
            validate_email(supervisor)
        except ValidationError:
            problems.append(_("“%(email)s” is not an e-mail address.") % {"email": supervisor})
    record = PaperRecord(
        line=line,
        key="",
        title=title,
        authors=authors,
        venue=cell("venue"),
        year=year,
        link=link or "",
        abstract=cell("abstract"),
        topic=cell("topic"),
        capacity=capacity,
        supervisor_email=supervisor,
    )
    return record, problems
