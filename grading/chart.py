"""The distribution of final grades as a small bar chart, drawn on the server as SVG (no JavaScript)."""

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from .scoring import FinalGrade

BUCKETS = ["1,0–1,5", "1,6–2,5", "2,6–3,5", "3,6–4,0", "> 4,0"]
LIMITS = [Decimal("1.5"), Decimal("2.5"), Decimal("3.5"), Decimal("4.0")]
WIDTH, HEIGHT, BAR, GAP, TOP, BOTTOM = 400, 180, 56, 20, 20, 40


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    x: int
    y: int
    height: int
    text_x: int


def _bucket(value: Decimal) -> int:
    return next((index for index, limit in enumerate(LIMITS) if value <= limit), len(LIMITS))


def distribution(finals: list[FinalGrade]) -> tuple[list[Bar], int]:
    """Bars per band (sehr gut ... nicht ausreichend) and the number of incomplete grades."""
    counts = Counter(_bucket(final.value) for final in finals if not final.incomplete)
    highest = max(counts.values(), default=0) or 1
    usable = HEIGHT - TOP - BOTTOM
    bars = []
    for index, label in enumerate(BUCKETS):
        count = counts.get(index, 0)
        height = round(usable * count / highest)
        x = GAP + index * (BAR + GAP)
        bars.append(Bar(label, count, x, TOP + usable - height, height, x + BAR // 2))
    return bars, sum(1 for final in finals if final.incomplete)
