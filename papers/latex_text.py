r"""LaTeX in a BibTeX field to the text a person reads: "The {\TeX}book", "$O(n^2)$", "Gro{\ss}e". Pure.

pylatexenc does the work; this module adds what it does not know or drops. Spaces follow TeX: a control word
eats the spaces after it, so "The {\TeX book}" is "The TeXbook" (the book's title), while "\LaTeX{} Companion"
and "\LaTeX\ Companion" keep their space.
"""

import re

from pylatexenc import latexwalker
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db
from pylatexenc.macrospec import std_macro

LOGOS = ("TeX", "LaTeX", "BibTeX", "XeTeX", "XeLaTeX", "LuaTeX", "LuaLaTeX", "pdfTeX", "pdfLaTeX", "ConTeXt")

_text_macros = [
    *(MacroTextSpec(logo, logo) for logo in LOGOS),
    MacroTextSpec("LaTeXe", "LaTeX2e"),
    MacroTextSpec("emdash", "\N{EM DASH}"),
    MacroTextSpec("endash", "\N{EN DASH}"),
    MacroTextSpec("slash", "/"),
    # A discretionary hyphen: as a soft hyphen it would hide the word from the search.
    MacroTextSpec("-", discard=True),
    # Plain letters ("O(n log n)"), not a script O that nobody types into the search.
    MacroTextSpec("mathcal", discard=False),
    MacroTextSpec("mathscr", discard=False),
    MacroTextSpec("|", "\N{DOUBLE VERTICAL LINE}"),
]
_text_context = get_default_latex_context_db()
_text_context.add_context_category("bibliography", macros=_text_macros, prepend=True)
# pylatexenc drops a macro it has no text for together with its arguments; \texttt{...}, \textsf{...} or a
# journal's own macro keep their text.
_text_context.set_unknown_macro_spec(MacroTextSpec("", discard=False))
_parse_context = latexwalker.get_default_latex_context_db()
# pylatexenc's text for \href expects two arguments that its parser does not know to read.
_parse_context.add_context_category("bibliography", macros=[std_macro("href", False, 2)], prepend=True)
# Math becomes text: "$O(n^2)$" is "O(n^2)", "$\alpha$-divergence" is "α-divergence".
_converter = LatexNodes2Text(latex_context=_text_context, math_mode="text")


def latex_to_text(text: str) -> str:
    """Unicode text, braces gone, white space collapsed to single spaces."""
    # In a BibTeX field an unescaped % is a percent sign, for LaTeX it would start a comment and eat the rest.
    text = re.sub(r"(?<!\\)%", r"\\%", text)
    try:
        text = _converter.latex_to_text(text, latex_context=_parse_context)
    except Exception:  # pylatexenc gives up on some malformed input; the raw text stays readable then
        text = text.replace("\\", "").replace("{", "").replace("}", "")
    return " ".join(text.split())
