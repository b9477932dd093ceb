"""Texts a chair enters in two languages: each translatable field `x` (the English text, the portal's default
language) has a German companion `x_de`. A reader sees their language and falls back to the other one,
marked as such (`Localized.fallback`), so a German page never shows an English text as if it were German.

A plain pair of fields rather than django-modeltranslation or django-parler: those rewrite queries and
assignments by the active language (a German request that saves a seminar writes `title_de`, a filter on
`title` becomes one on `title_de`), which the services, the copy's decision table, the exports and the
mails rendered by workers in the recipient's language would all have to know about; the pair is explicit
where it is read, costs no join, and is the pattern the grade components already use (name_en, name_de).
"""

from dataclasses import dataclass
from types import SimpleNamespace

from django.utils import translation
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.translation import gettext

GERMAN = "de"
ENGLISH = "en"


@dataclass(frozen=True)
class Localized:
    text: str
    language: str  # the language the text is in
    fallback: bool  # True: the reader's language had no text, this is the other one

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)

    @property
    def lines(self) -> list[str]:
        return [line.strip() for line in self.text.splitlines() if line.strip()]

    @property
    def note(self) -> str:
        """ "(in English)" / "(in German)" for a fallback, in the reader's language; empty otherwise."""
        if not self.fallback:
            return ""
        return gettext("(in German)") if self.language == GERMAN else gettext("(in English)")

    @property
    def html(self) -> str:
        """The text for a line of HTML: a fallback in its own language (lang) with the note after it."""
        if not self.fallback:
            return format_html("{}", self.text)
        return format_html(
            '<span lang="{}">{}</span> <span class="language-note">{}</span>',
            self.language,
            self.text,
            self.note,
        )


def reader_language() -> str:
    return GERMAN if (translation.get_language() or "").split("-")[0] == GERMAN else ENGLISH


def localized(obj, field: str, language: str | None = None) -> Localized:
    """The field of `obj` in `language` (the active one by default), else in the other language."""
    english, german = getattr(obj, field) or "", getattr(obj, f"{field}_{GERMAN}") or ""
    if (language or reader_language()) == GERMAN:
        return Localized(german, GERMAN, False) if german else Localized(english, ENGLISH, bool(english))
    return Localized(english, ENGLISH, False) if english else Localized(german, GERMAN, bool(german))


def in_reader_language(obj, field: str):
    """The field of `obj` in the language active when the text is made (a lazy string): for a mail subject's
    parameters, filled in the recipient's language by core.mail, and for texts a beat scan prepares for
    somebody else to read."""
    return lazy(lambda: localized(obj, field).text, str)()


def title_in_reader_language(english: str, german: str):
    """`in_reader_language` for a title and its German read as plain values (values_list), without their
    row: cheaper where a page or mail names many."""
    return in_reader_language(SimpleNamespace(title=english, title_de=german), "title")


class DisplayTitle:
    """`display_title` for a model with `title` and `title_de`: the title in the reader's language (the active
    one: a page's, a feed owner's or a mail's recipient's), else the other one, unmarked — for headings,
    links and sentences, where the marked fallback ("(in English)") would repeat on every line."""

    @property
    def display_title(self) -> str:
        return localized(self, "title").text
