"""Reading paper lists: BibTeX (bibtexparser 2, values read by bibtex_values, LaTeX by latex_text) and CSV.

Pure: bytes in, records and line-numbered errors out; the caller imports all or nothing.
"""

import csv
import io
import re
from dataclasses import dataclass
from urllib.parse import quote

import bibtexparser
from bibtexparser.middlewares.names import parse_single_name_into_parts, split_multiple_persons_names
from bibtexparser.model import DuplicateBlockKeyBlock, DuplicateFieldKeyBlock
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext as _

from core.imports import RowError, decode_upload

from .bibtex_values import entry_fields, for_splitter, from_splitter, inherit, string_values
from .latex_text import latex_to_text
from .years import EARLIEST_PAPER_YEAR, latest_paper_year

DOI = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)?(10\.\d{4,9}/\S+)$", re.IGNORECASE)
ARXIV = re.compile(
    r"^(?:https?://arxiv\.org/abs/|arxiv:\s*)?(\d{4}\.\d{4,5}(?:v\d+)?|[a-z\-]+(?:\.[a-z]{2})?/\d{7}(?:v\d+)?)$",
    re.IGNORECASE,
)
# Characters a DOI may contain that are not safe in the path of a link (space, #, ?, %, quotes) get escaped.
DOI_SAFE = "/:;()[]<>,+=@!$*'"
_is_web_address = URLValidator(schemes=["http", "https"])


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


def _authors(raw: str) -> str:
    """BibTeX "Last, First and von Last, Jr, First and First Last" becomes "First Last, First von Last Jr,
    First Last"; "and others" becomes "et al."."""
    names = []
    for name in split_multiple_persons_names(raw):
        cleaned = latex_to_text(_first_name_first(name))
        if cleaned:
            names.append("et al." if cleaned == "others" else cleaned)
    return ", ".join(names)


def _first_name_first(name: str) -> str:
    try:
        return parse_single_name_into_parts(name, strict=False).merge_first_name_first
    except Exception:  # a name bibtexparser cannot split is shown as written
        return name


def _year(raw: str) -> tuple[int | None, str | None]:
    """The year, or what is wrong with it; an empty field is no year and nothing wrong."""
    raw = raw.strip()
    if not raw:
        return None, None
    latest = latest_paper_year()
    if raw.isascii() and re.fullmatch(r"\d{4}", raw) and EARLIEST_PAPER_YEAR <= int(raw) <= latest:
        return int(raw), None
    return None, _("“%(year)s” is not a year from %(earliest)d to next year (%(latest)d).") % {
        "year": raw,
        "earliest": EARLIEST_PAPER_YEAR,
        "latest": latest,
    }


def _web_address(value: str) -> str | None:
    try:
        _is_web_address(value)
    except ValidationError:
        return None
    return value


def _link(value: str) -> str | None:
    """A link from a DOI, an arXiv id or a web address; "" for nothing, None when it is none of these."""
    value = value.strip()
    if not value:
        return ""
    if doi := DOI.match(value):
        return f"https://doi.org/{quote(doi.group(1), safe=DOI_SAFE)}"
    if arxiv := ARXIV.match(value):
        return f"https://arxiv.org/abs/{arxiv.group(1)}"
    return _web_address(value)


def _bibtex_link(fields: dict[str, str]) -> str:
    if doi := _link(fields.get("doi", "")):
        return doi
    eprint = fields.get("eprint", "").strip()
    if arxiv := ARXIV.match(eprint):
        return f"https://arxiv.org/abs/{arxiv.group(1)}"
    if fields.get("archiveprefix", "").strip().lower() == "arxiv" and re.fullmatch(r"[\w.\-/]+", eprint):
        return f"https://arxiv.org/abs/{eprint}"
    return _web_address(fields.get("url", "").strip()) or ""


def _guess_key(raw: str | None) -> str:
    guess = re.match(r"\s*@\s*\w+\s*[{(]\s*([^,\s{}()=\"#%]+)(?:\s*,|[ \t]*\r?\n)", raw or "")
    return guess.group(1) if guess else ""


def _unreadable(line: int, key: str) -> RowError:
    if key:
        return RowError(
            line, _("Entry “%(key)s” cannot be read (a brace or quote is missing?).") % {"key": key}
        )
    return RowError(line, _("An entry cannot be read (a brace or quote is missing?)."))


def _failed_block_error(block) -> RowError:
    line = (block.start_line or 0) + 1
    if isinstance(block, DuplicateBlockKeyBlock):
        return RowError(line, _("Entry “%(key)s”: this key is used twice in the file.") % {"key": block.key})
    if isinstance(block, DuplicateFieldKeyBlock):
        return RowError(
            line,
            _("Entry “%(key)s”: the field “%(fields)s” is given twice.")
            % {"key": block.ignore_error_block.key, "fields": "”, “".join(sorted(block.duplicate_keys))},
        )
    return _unreadable(line, _guess_key(from_splitter(block.raw or "")))


def parse_bibtex(data: bytes) -> tuple[list[PaperRecord], list[RowError]]:
    """Every @article, @inproceedings, @misc ... entry with a title and authors becomes a record; @string,
    @preamble and @comment are not papers, nor is a @proceedings or any entry another one cross-references
    (the volume its papers are in). An entry with a crossref takes the fields it lacks from the entry named.
    Errors name the line where the entry starts and its key."""
    # Without bibtexparser's middlewares: field_value reads @string names and # itself.
    library = bibtexparser.parse_string(for_splitter(decode_upload(data)), parse_stack=[])
    strings = string_values(library)
    errors = [_failed_block_error(block) for block in library.failed_blocks]
    entries, seen_keys = [], set()
    for entry in library.entries:
        line = entry.start_line + 1
        if not entry.key or not entry.entry_type:
            errors.append(_unreadable(line, ""))
        elif entry.key.casefold() in seen_keys:
            errors.append(
                RowError(line, _("Entry “%(key)s”: this key is used twice in the file.") % {"key": entry.key})
            )
        else:
            seen_keys.add(entry.key.casefold())
            entries.append((line, entry, entry_fields(entry, strings)))
    by_key = {entry.key.casefold(): fields for _line, entry, fields in entries}
    collections = {
        fields["crossref"].strip().casefold() for _line, _entry, fields in entries if "crossref" in fields
    }
    records = []
    for line, entry, fields in entries:
        if entry.key.casefold() in collections or entry.entry_type.lower() == "proceedings":
            continue
        problems = []
        if "crossref" in fields:
            parent = by_key.get(fields["crossref"].strip().casefold())
            if parent is None:
                problems.append(
                    _("the cross-referenced entry “%(key)s” is not in the file.")
                    % {"key": fields["crossref"].strip()}
                )
            else:
                fields = inherit(fields, parent)
        record, record_problems = _bibtex_record(entry.key, fields, line)
        problems.extend(record_problems)
        errors.extend(
            RowError(line, _("Entry “%(key)s”: %(problem)s") % {"key": entry.key, "problem": problem})
            for problem in problems
        )
        if not problems:
            records.append(record)
    if not records and not errors:
        errors.append(RowError(1, _("The file has no entries.")))
    return records, sorted(errors, key=lambda error: error.line)


def _bibtex_record(key: str, fields: dict[str, str], line: int) -> tuple[PaperRecord, list[str]]:
    title, authors = latex_to_text(fields.get("title", "")), _authors(fields.get("author", ""))
    year, year_problem = _year(fields.get("year", ""))
    problems = []
    if not title:
        problems.append(_("the title is missing."))
    if not authors:
        problems.append(_("the authors are missing."))
    if year_problem:
        problems.append(year_problem)
    keywords = [word.strip() for word in re.split(r"[,;]", fields.get("keywords", "")) if word.strip()]
    venue = next(
        (
            fields[name]
            for name in ("booktitle", "journal", "publisher", "school", "institution")
            if name in fields
        ),
        "",
    )
    record = PaperRecord(
        line=line,
        key=key,
        title=title,
        authors=authors,
        venue=latex_to_text(venue),
        year=year,
        link=_bibtex_link(fields),
        abstract=latex_to_text(fields.get("abstract", "")),
        topic=latex_to_text(keywords[0]) if keywords else "",
        capacity=None,
        supervisor_email="",
    )
    return record, problems


CSV_COLUMNS = {
    "title": {"title", "titel"},
    "authors": {"authors", "author", "autoren", "autor"},
    "venue": {"venue", "booktitle", "journal", "konferenz", "veröffentlicht in"},
    "year": {"year", "jahr"},
    "link": {"link", "url", "doi", "arxiv"},
    "abstract": {"abstract", "zusammenfassung"},
    "topic": {"topic", "thema", "keywords"},
    "capacity": {"capacity", "plätze", "seats", "places"},
    "supervisor": {
        "supervisor",
        "supervisor email",
        "supervisor e-mail",
        "supervisor_email",
        "betreuer",
        "betreuer e-mail",
        "betreuerin",
    },
}


def parse_paper_csv(data: bytes) -> tuple[list[PaperRecord], list[RowError]]:
    """One paper per line under a header that names at least the title and authors columns; comma or
    semicolon separated. Errors name the line (the header is line 1)."""
    text = decode_upload(data)
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
    year, year_problem = _year(cell("year"))
    if year_problem:
        problems.append(year_problem)
    link = _link(cell("link"))
    if link is None:
        problems.append(_("“%(link)s” is not a DOI, an arXiv id or a web address.") % {"link": cell("link")})
    capacity = None
    if raw_capacity := cell("capacity"):
        if raw_capacity.isascii() and raw_capacity.isdigit() and 1 <= int(raw_capacity) <= 50:
            capacity = int(raw_capacity)
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
