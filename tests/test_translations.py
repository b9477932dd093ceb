"""Every user-facing string has a German translation, and the committed .mo matches the .po."""

import gettext
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "de" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def _po_entries(text: str) -> list[tuple[str, list[str], bool]]:
    """(msgid, msgstrs, fuzzy) per entry of a .po file; enough of the format for our own catalogue.
    A plural entry's msgid is "singular\x00plural" (a msgid may itself contain "|")."""
    entries = []
    for block in re.split(r"\n\s*\n", text.strip()):
        fuzzy = "#, fuzzy" in block or ", fuzzy" in block
        fields: dict[str, str] = {}
        current = None
        for line in block.splitlines():
            match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                current = match.group(1)
                fields[current] = match.group(2)
            elif line.startswith('"') and current:
                fields[current] += line[1:-1]
        if "msgid" in fields:
            msgstrs = [value for key, value in fields.items() if key.startswith("msgstr")]
            msgid = fields["msgid"] + ("\x00" + fields["msgid_plural"] if "msgid_plural" in fields else "")
            entries.append((_unescape(msgid), [_unescape(value) for value in msgstrs], fuzzy))
    return entries


def _unescape(value: str) -> str:
    return value.replace("\\n", "\n").replace('\\"', '"').replace("\\\\", "\\")


def test_german_catalogue_translates_every_entry():
    untranslated = [
        msgid
        for msgid, msgstrs, fuzzy in _po_entries(PO.read_text())
        if msgid and (fuzzy or not all(msgstrs))
    ]
    assert untranslated == []


def test_compiled_german_catalogue_matches_po():
    with MO.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    stale = []
    for msgid, msgstrs, _fuzzy in _po_entries(PO.read_text()):
        if not msgid:
            continue
        singular, _, plural = msgid.partition("\x00")
        compiled = catalogue.ngettext(singular, plural, 1) if plural else catalogue.gettext(singular)
        if compiled != msgstrs[0]:
            stale.append(msgid)
    assert stale == [], "run `make messages`: the .mo is older than the .po"


@pytest.mark.skipif(
    shutil.which("xgettext") is None, reason="GNU gettext is not installed (.ci/run installs it)"
)
def test_every_ui_string_is_in_the_german_catalogue(tmp_path):
    """makemessages over the source finds no msgid that the committed catalogue lacks."""
    # Every package of the project (each app, the settings) and the templates; never the tests.
    sources = [path for path in ROOT.iterdir() if (path / "__init__.py").exists() and path.name != "tests"]
    for source in [*sources, ROOT / "templates"]:
        shutil.copytree(source, tmp_path / source.name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    (tmp_path / "locale").mkdir()
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "de", "--no-location"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        env={
            "DJANGO_SETTINGS_MODULE": "seminar_portal.settings.test",
            "PATH": "/usr/bin:/bin",
            "PORTAL_VAR_DIR": str(tmp_path / "var"),
        },
    )
    found = {msgid for msgid, _, _ in _po_entries((tmp_path / "locale/de/LC_MESSAGES/django.po").read_text())}
    committed = {msgid for msgid, _, _ in _po_entries(PO.read_text())}
    assert sorted(found - committed) == []


PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]|\{(\w*)\}")


def _placeholders(text: str) -> list[str]:
    return sorted(match.group(0) for match in PLACEHOLDER.finditer(text))


def test_every_translation_keeps_the_placeholders_of_its_msgid():
    """A German string that drops or renames %(name)s fails at run time (or silently shows less): each msgstr
    has exactly the placeholders of its msgid; a plural form may leave out the count of the singular."""
    broken = []
    for msgid, msgstrs, _fuzzy in _po_entries(PO.read_text()):
        if not msgid:
            continue
        singular, _, plural = msgid.partition("\x00")
        expected = _placeholders(plural or singular)
        for msgstr in msgstrs:
            found = _placeholders(msgstr)
            if found != expected and not (plural and set(found) <= set(expected)):
                broken.append((singular, msgstr))
    assert broken == []
