"""The distribution of final grades as a small bar chart, drawn on the server as SVG (no JavaScript)."""

from collections import Counter
from decimal import Decimal

from core.charts import Bar, bars

from .scoring import FinalGrade

BUCKETS = ["1,0–1,5", "1,6–2,5", "2,6–3,5", "3,6–4,0", "> 4,0"]
LIMITS = [Decimal("1.5"), Decimal("2.5"), Decimal("3.5"), Decimal("4.0")]
WIDTH, HEIGHT, BAR, GAP, TOP, BOTTOM = 400, 180, 56, 20, 20, 40


def _bucket(value: Decimal) -> int:
    return next((index for index, limit in enumerate(LIMITS) if value <= limit), len(LIMITS))


def distribution(finals: list[FinalGrade]) -> tuple[list[Bar], int]:
    """Bars per band (sehr gut ... nicht ausreichend) and the number of incomplete grades."""
    counts = Counter(_bucket(final.value) for final in finals if not final.incomplete)
    chart = bars(
        [(label, counts.get(index, 0)) for index, label in enumerate(BUCKETS)],
        height=HEIGHT,
        top=TOP,
        bottom=BOTTOM,
        width=BAR,
        gap=GAP,
    )
    return chart, sum(1 for final in finals if final.incomplete)
