"""The round's figures as a bar chart, drawn on the server as SVG (no JavaScript): one bar per choice
(1st, 2nd, ...) with how many got it, and one for the applicants without a seat."""

from django.utils.translation import gettext as _

from core.charts import Bar, bars

from .explanations import ordinal
from .selectors import Figures

HEIGHT, TOP, BOTTOM, BAR, GAP = 200, 20, 40, 44, 12


def choice_bars(figures: Figures) -> list[Bar]:
    """A bar per choice anyone got, in order, then "no seat"; heights relative to the largest."""
    counts = [(ordinal(choice), count) for choice, count in figures.by_choice]
    counts.append((_("no seat"), figures.unmatched))
    return bars(counts, height=HEIGHT, top=TOP, bottom=BOTTOM, width=BAR, gap=GAP)


def chart_width(drawn: list[Bar]) -> int:
    return GAP + len(drawn) * (BAR + GAP)
