"""The round's figures as a bar chart, drawn on the server as SVG (no JavaScript): one bar per choice
(1st, 2nd, ...) with how many got it, and one for the applicants without a seat."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .explanations import ordinal
from .selectors import Figures

HEIGHT, TOP, BOTTOM, BAR, GAP = 200, 20, 40, 44, 12


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    x: int
    y: int
    height: int
    text_x: int


def choice_bars(figures: Figures) -> list[Bar]:
    """A bar per choice anyone got, in order, then "no seat"; heights relative to the largest."""
    counts = [(ordinal(choice), count) for choice, count in figures.by_choice]
    counts.append((_("no seat"), figures.unmatched))
    highest = max((count for _label, count in counts), default=0) or 1
    usable = HEIGHT - TOP - BOTTOM
    bars = []
    for index, (label, count) in enumerate(counts):
        height = round(usable * count / highest)
        x = GAP + index * (BAR + GAP)
        bars.append(Bar(label, count, x, TOP + usable - height, height, x + BAR // 2))
    return bars


def chart_width(bars: list[Bar]) -> int:
    return GAP + len(bars) * (BAR + GAP)
