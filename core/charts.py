"""Bar charts drawn on the server as SVG (no JavaScript): the geometry of the bars, for a template to draw.
The grading sheet's grade distribution and the matching's figures use it."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    x: int
    y: int
    height: int
    text_x: int  # the middle of the bar, for its label and count


def bars(
    counts: list[tuple[str, int]], *, height: int, top: int, bottom: int, width: int, gap: int
) -> list[Bar]:
    """One bar per (label, count), left to right, `gap` apart; heights relative to the largest count, in
    the `height` of the chart less `top` and `bottom` (room for the counts and the labels)."""
    highest = max((count for _label, count in counts), default=0) or 1
    usable = height - top - bottom
    found = []
    for index, (label, count) in enumerate(counts):
        bar_height = round(usable * count / highest)
        x = gap + index * (width + gap)
        found.append(Bar(label, count, x, top + usable - bar_height, bar_height, x + width // 2))
    return found
