"""What BibTeX means by the values of a file, where bibtexparser 2 reads them otherwise. Pure.

- A LaTeX line break \\ before a delimiter or a line end (bibtexparser's splitter took it as an escape).
- @string names and # joining pieces (bibtexparser leaves "proc # { 2018}" as it is written).
- crossref: an entry takes the fields it lacks from the entry it names.
"""

# bibtexparser's splitter takes a brace, quote, comma or line end right after a backslash as escaped, even
# after the second backslash of a LaTeX line break \\ (its look-behind sees one character; upstream pull
# request #598): each \\ at a line end lost a line of the count, and {...\\} ran on past the end of its field.
# So the splitter gets each \\ as this private-use character (field values get \\ back), and a lone backslash
# at a line end (TeX's control space) as "\ " before the line end.
_LINE_BREAK = "\ue000"


def for_splitter(text: str) -> str:
    """The file's text as bibtexparser's splitter should get it (line breaks kept where they are)."""
    return text.replace("\\\\", _LINE_BREAK).replace("\\\n", "\\ \n")


def from_splitter(text: str) -> str:
    """A value the splitter read, with its LaTeX line breaks back."""
    return text.replace(_LINE_BREAK, "\\\\")


# BibTeX predefines the month names: "month = jan".
MONTHS = {
    "jan": "January",
    "feb": "February",
    "mar": "March",
    "apr": "April",
    "may": "May",
    "jun": "June",
    "jul": "July",
    "aug": "August",
    "sep": "September",
    "oct": "October",
    "nov": "November",
    "dec": "December",
}


def field_value(raw: str, strings: dict[str, str]) -> str:
    """A field's value as BibTeX reads it: {...} and "..." pieces, numbers and @string names (the month
    names are predefined), joined by #. bibtexparser 2 leaves "neurips # { 2018}" as it is written. A name
    no @string defines stays as it is written, which tells the instructor more than BibTeX's empty text."""
    pieces, depth, quoted, start, index = [], 0, False, 0, 0
    while index < len(raw):
        char = raw[index]
        if char == "\\":
            index += 1  # the splitter's convention: a backslash escapes the next character
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == '"' and depth == 0:
            quoted = not quoted
        elif char == "#" and depth == 0 and not quoted:
            pieces.append(raw[start:index])
            start = index + 1
        index += 1
    pieces.append(raw[start:])
    text = []
    for piece in (piece.strip() for piece in pieces):
        if len(piece) >= 2 and piece[0] + piece[-1] in ("{}", '""'):
            text.append(piece[1:-1])
        else:
            text.append(strings.get(piece.casefold(), MONTHS.get(piece.casefold(), piece)))
    return "".join(text)


def string_values(library) -> dict[str, str]:
    """@string names (case does not matter) to their values; a value may use the names defined before it."""
    strings: dict[str, str] = {}
    for string in library.strings:
        strings[string.key.casefold()] = field_value(str(string.value), strings)
    return strings


def entry_fields(entry, strings: dict[str, str]) -> dict[str, str]:
    """An entry's fields (names in lower case) with their values as BibTeX reads them."""
    return {
        name.lower(): from_splitter(field_value(str(field.value), strings))
        for name, field in entry.fields_dict.items()
    }


def inherit(fields: dict[str, str], parent: dict[str, str]) -> dict[str, str]:
    """BibTeX's crossref: the entry gets each field it lacks from its parent. The parent's title names the
    collection, so it becomes the entry's booktitle (when the parent has none), never the entry's title; the
    parent's own crossref is not followed (BibTeX follows one level)."""
    inherited = {name: value for name, value in parent.items() if name not in ("title", "crossref")}
    if "title" in parent:
        inherited.setdefault("booktitle", parent["title"])
    return {**inherited, **fields}
