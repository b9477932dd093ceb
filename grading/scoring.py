"""The German grade scale and the final grade of a seminar. Pure: Decimal in, Decimal out, no database.

Final grade = weighted mean of the component grades with the seminar's weights (percent, summing to 100),
computed in Decimal. Rounding, by the seminar's setting:
- CUT (default, the Bavarian exam regulation's rule for composite grades): keep the first decimal, cut the
  rest without rounding: 0.6 x 1.3 + 0.4 x 2.0 = 1.58 -> 1.5.
- NEAREST_STEP: the nearest grade of the scale (1.0, 1.3, ..., 4.0, 5.0); a tie goes to the better grade.
With MUST_PASS_ALL (default) a failed component (5.0) makes the final grade 5.0. While a component is
missing the final grade is incomplete (None), never a number.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

STEPS = tuple(
    Decimal(step) for step in ("1.0", "1.3", "1.7", "2.0", "2.3", "2.7", "3.0", "3.3", "3.7", "4.0", "5.0")
)
FAILED = Decimal("5.0")
ONE_DECIMAL = Decimal("0.1")

CUT = "cut"
NEAREST_STEP = "step"

BANDS = (
    (Decimal("1.5"), gettext_lazy("sehr gut")),
    (Decimal("2.5"), gettext_lazy("gut")),
    (Decimal("3.5"), gettext_lazy("befriedigend")),
    (Decimal("4.0"), gettext_lazy("ausreichend")),
)
FAIL_BAND = gettext_lazy("nicht ausreichend")
_GRADE_TEXT = re.compile(r"^\s*([1-5])(?:[.,]([0-9]))?\s*$")


class GradeInputError(ValueError):
    """A typed grade that is not on the scale; the message says what is allowed."""


def parse_grade(text: str) -> Decimal:
    """A grade as an instructor types it: "2,3" or "2.3" (or "2"). Anything not on the scale is refused."""
    allowed = ", ".join(format_grade(step, decimal_comma=True) for step in STEPS)
    match = _GRADE_TEXT.match(text or "")
    if not match:
        shown = (text or "").strip()[:20]
        if not shown:
            raise GradeInputError(_("Please enter a grade: %(allowed)s.") % {"allowed": allowed})
        raise GradeInputError(
            _("“%(text)s” is not a grade. Allowed: %(allowed)s.") % {"text": shown, "allowed": allowed}
        )
    value = Decimal(f"{match.group(1)}.{match.group(2) or '0'}")
    if value not in STEPS:
        raise GradeInputError(
            _("%(value)s is not a step of the grade scale. Allowed: %(allowed)s.")
            % {"value": format_grade(value, decimal_comma=True), "allowed": allowed}
        )
    return value


def format_grade(value: Decimal, *, decimal_comma: bool) -> str:
    """One decimal, with a decimal comma (German) or point: 2,3 / 2.3."""
    text = f"{value:.1f}"
    return text.replace(".", ",") if decimal_comma else text


def band(value: Decimal) -> str:
    """The German band of a final grade: up to 1.5 sehr gut, up to 2.5 gut, up to 3.5 befriedigend, up to
    4.0 ausreichend, above nicht ausreichend."""
    for limit, name in BANDS:
        if value <= limit:
            return str(name)
    return str(FAIL_BAND)


@dataclass(frozen=True)
class FinalGrade:
    value: Decimal | None  # None while incomplete
    band: str | None

    @property
    def incomplete(self) -> bool:
        return self.value is None


def _nearest_step(value: Decimal) -> Decimal:
    return min(STEPS, key=lambda step: (abs(step - value), step))


def final_grade(
    components: Mapping[str, Decimal | None],
    weights: Mapping[str, int],
    *,
    rounding: str = CUT,
    must_pass_all: bool = True,
) -> FinalGrade:
    if rounding not in (CUT, NEAREST_STEP):
        raise ValueError(f"unknown rounding {rounding!r}")
    if set(components) != set(weights):
        raise ValueError("every weighted component needs a grade entry (None while missing)")
    if sum(weights.values()) != 100:
        raise ValueError("the weights must sum to 100")
    if any(grade is None for grade in components.values()):
        return FinalGrade(None, None)
    if must_pass_all and any(grade >= FAILED for grade in components.values()):
        return FinalGrade(FAILED, band(FAILED))
    mean = sum(Decimal(weights[name]) * components[name] for name in components) / Decimal(100)
    if rounding == NEAREST_STEP:
        value = _nearest_step(mean)
    else:
        value = mean.quantize(ONE_DECIMAL, rounding=ROUND_DOWN)
    return FinalGrade(value, band(value))


def examiners_mean(values: list[Decimal]) -> Decimal | None:
    """The component grade from several examiners' grades: their mean, placed on the nearest step of the
    scale, a tie going to the better grade (1,3 and 1,7 -> 1,5 -> 1,3; 4,0 and 5,0 -> 4,0). None without
    any grade. The examiners can always set the component grade by hand instead, with a reason."""
    if not values:
        return None
    return _nearest_step(sum(values, Decimal(0)) / len(values))
