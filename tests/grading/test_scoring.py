"""The pure grade arithmetic of grading/scoring.py: table tests computed by hand and property tests with
independent oracles (fractions.Fraction). No database."""

import math
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grading.scoring import CUT, NEAREST_STEP, STEPS, GradeInputError, band, final_grade, parse_grade

WEIGHTS_60_40 = {"presentation": 60, "report": 40}
WEIGHTS_50_50 = {"presentation": 50, "report": 50}
ALLOWED_IN_MESSAGE = [f"{step:.1f}".replace(".", ",") for step in STEPS]


def _grade(presentation, report, weights=WEIGHTS_60_40, **options):
    components = {
        "presentation": None if presentation is None else Decimal(presentation),
        "report": None if report is None else Decimal(report),
    }
    return final_grade(components, weights, **options)


# --- Table: 60/40, CUT -------------------------------------------------------------------------------

# (presentation, report, with must_pass_all, without must_pass_all); 0.6 P + 0.4 R worked out by hand.
CUT_TABLE = [
    ("3.0", "2.0", "2.6", "2.6"),  # 1.8 + 0.8 = 2.6; in floats 2.5999999999999996 would cut to 2.5
    ("1.3", "2.0", "1.5", "1.5"),  # 0.78 + 0.8 = 1.58
    ("4.0", "4.0", "4.0", "4.0"),
    ("5.0", "1.0", "5.0", "3.4"),  # 3.0 + 0.4 = 3.4
    ("1.0", "5.0", "5.0", "2.6"),  # 0.6 + 2.0 = 2.6
    ("1.0", "1.0", "1.0", "1.0"),
    ("1.7", "2.3", "1.9", "1.9"),  # 1.02 + 0.92 = 1.94
    ("2.7", "3.3", "2.9", "2.9"),  # 1.62 + 1.32 = 2.94
    ("3.7", "4.0", "3.8", "3.8"),  # 2.22 + 1.6 = 3.82
    ("2.3", "1.0", "1.7", "1.7"),  # 1.38 + 0.4 = 1.78
    ("1.0", "1.3", "1.1", "1.1"),  # 0.6 + 0.52 = 1.12
    ("3.3", "1.7", "2.6", "2.6"),  # 1.98 + 0.68 = 2.66
    ("4.0", "1.0", "2.8", "2.8"),  # 2.4 + 0.4 = 2.8
    ("2.0", "3.7", "2.6", "2.6"),  # 1.2 + 1.48 = 2.68
    ("1.7", "1.3", "1.5", "1.5"),  # 1.02 + 0.52 = 1.54
    ("4.0", "5.0", "5.0", "4.4"),  # 2.4 + 2.0 = 4.4
    ("5.0", "5.0", "5.0", "5.0"),
]


@pytest.mark.parametrize(("presentation", "report", "expected", "_"), CUT_TABLE)
def test_final_grade_cut_matches_hand_computed_table_with_must_pass_all(presentation, report, expected, _):
    result = _grade(presentation, report, rounding=CUT, must_pass_all=True)
    assert result.value == Decimal(expected)
    assert str(result.value) == expected
    assert result.band == band(Decimal(expected))


@pytest.mark.parametrize(("presentation", "report", "_", "expected"), CUT_TABLE)
def test_final_grade_cut_matches_hand_computed_table_without_must_pass_all(presentation, report, _, expected):
    result = _grade(presentation, report, rounding=CUT, must_pass_all=False)
    assert result.value == Decimal(expected)
    assert str(result.value) == expected


def test_final_grade_defaults_are_cut_and_must_pass_all():
    assert _grade("3.0", "2.0").value == Decimal("2.6")
    assert _grade("5.0", "1.0").value == Decimal("5.0")


def test_final_grade_cut_does_not_fall_into_the_float_trap():
    # The trap the table guards against: the same computation in binary floats lands just below 2.6.
    assert 0.6 * 3.0 + 0.4 * 2.0 < 2.6
    assert _grade("3.0", "2.0", rounding=CUT).value == Decimal("2.6")


# --- Table: NEAREST_STEP ---------------------------------------------------------------------------------

NEAREST_TABLE = [
    ("1.3", "2.0", WEIGHTS_60_40, True, "1.7"),  # 1.58: 1.7 is 0.12 away, 1.3 is 0.28
    ("3.0", "2.0", WEIGHTS_60_40, True, "2.7"),  # 2.6: 2.7 is 0.1 away, 2.3 is 0.3
    ("1.7", "2.3", WEIGHTS_60_40, True, "2.0"),  # 1.94
    ("1.0", "1.3", WEIGHTS_60_40, True, "1.0"),  # 1.12: 1.0 is 0.12 away, 1.3 is 0.18
    ("3.7", "4.0", WEIGHTS_60_40, True, "3.7"),  # 3.82: 3.7 is 0.12 away, 4.0 is 0.18
    ("5.0", "1.0", WEIGHTS_60_40, True, "5.0"),  # failed component
    ("5.0", "1.0", WEIGHTS_60_40, False, "3.3"),  # 3.4: 3.3 is 0.1 away, 3.7 is 0.3
    ("1.0", "5.0", WEIGHTS_60_40, False, "2.7"),  # 2.6
    ("4.0", "5.0", WEIGHTS_60_40, False, "4.0"),  # 4.4: 4.0 is 0.4 away, 5.0 is 0.6
]

# The docstring: "a tie goes to the better grade", i.e. to the smaller number.
NEAREST_TIES = [
    ("1.0", "1.3", "1.0"),  # 1.15 exactly between 1.0 and 1.3
    ("1.3", "1.7", "1.3"),  # 1.5 exactly between 1.3 and 1.7
    ("2.0", "2.3", "2.0"),  # 2.15
    ("3.7", "4.0", "3.7"),  # 3.85
    ("4.0", "5.0", "4.0"),  # 4.5 exactly between 4.0 and 5.0 (only without must_pass_all)
]


@pytest.mark.parametrize(("presentation", "report", "weights", "must_pass_all", "expected"), NEAREST_TABLE)
def test_final_grade_nearest_step_matches_hand_computed_table(
    presentation, report, weights, must_pass_all, expected
):
    result = _grade(presentation, report, weights, rounding=NEAREST_STEP, must_pass_all=must_pass_all)
    assert result.value == Decimal(expected)
    assert str(result.value) == expected


@pytest.mark.parametrize(("presentation", "report", "expected"), NEAREST_TIES)
def test_final_grade_nearest_step_tie_goes_to_better_grade(presentation, report, expected):
    result = _grade(presentation, report, WEIGHTS_50_50, rounding=NEAREST_STEP, must_pass_all=False)
    assert result.value == Decimal(expected)
    # The same tie with the components swapped lands on the same grade.
    swapped = _grade(report, presentation, WEIGHTS_50_50, rounding=NEAREST_STEP, must_pass_all=False)
    assert swapped.value == Decimal(expected)


# --- Table: three components -----------------------------------------------------------------------------

WEIGHTS_50_30_20 = {"presentation": 50, "report": 30, "participation": 20}
WEIGHTS_34_33_33 = {"presentation": 34, "report": 33, "participation": 33}

# (presentation, report, participation, weights, cut, nearest step), all with must_pass_all; worked out by
# hand: 50/30/20 is 0.5 P + 0.3 R + 0.2 X, 34/33/33 is 0.34 P + 0.33 R + 0.33 X.
THREE_TABLE = [
    ("1.0", "2.0", "3.0", WEIGHTS_50_30_20, "1.7", "1.7"),  # 0.5 + 0.6 + 0.6 = 1.7
    ("1.3", "1.7", "2.0", WEIGHTS_50_30_20, "1.5", "1.7"),  # 0.65 + 0.51 + 0.4 = 1.56
    ("2.3", "2.7", "1.0", WEIGHTS_50_30_20, "2.1", "2.3"),  # 1.15 + 0.81 + 0.2 = 2.16: 2.3 is 0.14 away
    ("3.7", "4.0", "1.3", WEIGHTS_50_30_20, "3.3", "3.3"),  # 1.85 + 1.2 + 0.26 = 3.31
    ("2.0", "3.3", "2.7", WEIGHTS_50_30_20, "2.5", "2.7"),  # 1.0 + 0.99 + 0.54 = 2.53
    ("1.7", "1.3", "1.0", WEIGHTS_50_30_20, "1.4", "1.3"),  # 0.85 + 0.39 + 0.2 = 1.44
    ("3.0", "2.0", "4.0", WEIGHTS_50_30_20, "2.9", "3.0"),  # 1.5 + 0.6 + 0.8 = 2.9
    ("4.0", "4.0", "4.0", WEIGHTS_50_30_20, "4.0", "4.0"),
    ("1.0", "1.0", "5.0", WEIGHTS_50_30_20, "5.0", "5.0"),  # failed component
    ("1.0", "2.0", "3.0", WEIGHTS_34_33_33, "1.9", "2.0"),  # 0.34 + 0.66 + 0.99 = 1.99: cut, not rounded
    ("1.3", "1.7", "2.0", WEIGHTS_34_33_33, "1.6", "1.7"),  # 0.442 + 0.561 + 0.66 = 1.663
    ("2.3", "2.7", "1.0", WEIGHTS_34_33_33, "2.0", "2.0"),  # 0.782 + 0.891 + 0.33 = 2.003
    ("3.7", "4.0", "1.3", WEIGHTS_34_33_33, "3.0", "3.0"),  # 1.258 + 1.32 + 0.429 = 3.007
    ("2.0", "3.3", "2.7", WEIGHTS_34_33_33, "2.6", "2.7"),  # 0.68 + 1.089 + 0.891 = 2.66
]
# Without must_pass_all a failed component is averaged like any other.
THREE_FAILED_TABLE = [
    ("1.0", "1.0", "5.0", WEIGHTS_50_30_20, "1.8", "1.7"),  # 0.5 + 0.3 + 1.0 = 1.8: 1.7 is 0.1 away
    ("5.0", "1.0", "1.0", WEIGHTS_50_30_20, "3.0", "3.0"),  # 2.5 + 0.3 + 0.2 = 3.0
    ("1.0", "1.0", "5.0", WEIGHTS_34_33_33, "2.3", "2.3"),  # 0.34 + 0.33 + 1.65 = 2.32
    ("5.0", "1.0", "1.0", WEIGHTS_34_33_33, "2.3", "2.3"),  # 1.7 + 0.33 + 0.33 = 2.36
]


def _three(presentation, report, participation, weights, **options):
    grades = {"presentation": presentation, "report": report, "participation": participation}
    return final_grade(
        {name: None if grade is None else Decimal(grade) for name, grade in grades.items()},
        weights,
        **options,
    )


@pytest.mark.parametrize(("presentation", "report", "participation", "weights", "cut", "_"), THREE_TABLE)
def test_final_grade_of_three_components_cut_matches_hand_computed_table(
    presentation, report, participation, weights, cut, _
):
    result = _three(presentation, report, participation, weights, rounding=CUT)
    assert str(result.value) == cut
    assert result.band == band(Decimal(cut))


@pytest.mark.parametrize(("presentation", "report", "participation", "weights", "_", "nearest"), THREE_TABLE)
def test_final_grade_of_three_components_nearest_step_matches_hand_computed_table(
    presentation, report, participation, weights, _, nearest
):
    result = _three(presentation, report, participation, weights, rounding=NEAREST_STEP)
    assert str(result.value) == nearest


@pytest.mark.parametrize(
    ("presentation", "report", "participation", "weights", "cut", "nearest"), THREE_FAILED_TABLE
)
def test_final_grade_of_three_components_without_must_pass_all_averages_a_failed_one(
    presentation, report, participation, weights, cut, nearest
):
    assert str(_three(presentation, report, participation, weights, must_pass_all=False).value) == cut
    result = _three(presentation, report, participation, weights, rounding=NEAREST_STEP, must_pass_all=False)
    assert str(result.value) == nearest


@pytest.mark.parametrize("missing", ["presentation", "report", "participation"])
def test_final_grade_of_three_components_with_one_missing_is_incomplete(missing):
    grades = {"presentation": "1.0", "report": "1.0", "participation": "1.0", missing: None}

    result = _three(**grades, weights=WEIGHTS_50_30_20)

    assert (result.value, result.band, result.incomplete) == (None, None, True)


# --- Bands -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1.0", "sehr gut"),
        ("1.5", "sehr gut"),
        ("1.6", "gut"),
        ("2.5", "gut"),
        ("2.6", "befriedigend"),
        ("3.5", "befriedigend"),
        ("3.6", "ausreichend"),
        ("4.0", "ausreichend"),
        ("4.1", "nicht ausreichend"),
        ("4.9", "nicht ausreichend"),
        ("5.0", "nicht ausreichend"),
    ],
)
def test_band_boundaries_belong_to_the_better_band(value, expected):
    assert band(Decimal(value)) == expected


def test_final_grade_band_follows_the_value():
    assert _grade("1.3", "2.0").band == "sehr gut"  # 1.5
    assert _grade("3.0", "2.0").band == "befriedigend"  # 2.6
    assert _grade("5.0", "1.0").band == "nicht ausreichend"


# --- parse_grade -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2,3", "2.3"),
        ("2.3", "2.3"),
        (" 1,0 ", "1.0"),
        ("2", "2.0"),
        ("1", "1.0"),
        ("5", "5.0"),
        ("\t4,0\n", "4.0"),
    ],
)
def test_parse_grade_accepts_typed_grade(text, expected):
    value = parse_grade(text)
    assert value == Decimal(expected)
    assert str(value) == expected


@pytest.mark.parametrize("step", STEPS, ids=str)
def test_parse_grade_accepts_every_step_in_both_notations(step):
    dotted = f"{step:.1f}"
    assert parse_grade(dotted) == step
    assert parse_grade(dotted.replace(".", ",")) == step


@pytest.mark.parametrize(
    "text",
    [
        "6",
        "0",
        "0.9",
        "2.35",
        "4.3",
        "4.7",
        "5.5",
        "NaN",
        "nan",
        "Infinity",
        "-Infinity",
        "inf",
        "1e3",
        "1E0",
        "-2.3",
        "+2.3",
        "",
        "   ",
        "text",
        "2,,3",
        "2..3",
        "2.",
        ",3",
        "2 3",
        "2,3,",
        "٢٫٣",  # Arabic-Indic digits with the Arabic decimal separator
        "٢.٣",  # Arabic-Indic digits
        "２.３",  # full-width digits
        "2.3.0",
    ],
)
def test_parse_grade_refuses_text_off_the_scale(text):
    with pytest.raises(GradeInputError) as caught:
        parse_grade(text)
    message = str(caught.value)
    assert all(allowed in message for allowed in ALLOWED_IN_MESSAGE), message


def test_parse_grade_refuses_none_like_empty():
    with pytest.raises(GradeInputError) as caught:
        parse_grade(None)
    assert all(allowed in str(caught.value) for allowed in ALLOWED_IN_MESSAGE)


def test_parse_grade_error_is_a_value_error():
    with pytest.raises(ValueError, match="not a grade"):
        parse_grade("text")


@given(st.text())
def test_parse_grade_raises_only_grade_input_error_on_arbitrary_text(text):
    # Any other exception escapes and fails the test.
    try:
        value = parse_grade(text)
    except GradeInputError as error:
        message = str(error)
        value = None
    if value is None:
        assert all(allowed in message for allowed in ALLOWED_IN_MESSAGE)
    else:
        assert value in STEPS


@given(
    st.sampled_from(STEPS),
    st.sampled_from([".", ","]),
    st.text(alphabet=" \t\n", max_size=3),
    st.text(alphabet=" \t\n", max_size=3),
)
def test_parse_grade_round_trips_every_step_with_surrounding_whitespace(step, separator, before, after):
    text = before + f"{step:.1f}".replace(".", separator) + after
    assert parse_grade(text) == step


# --- Incomplete ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("presentation", "report"), [(None, "2.0"), ("2.0", None), (None, None), (None, "5.0"), ("5.0", None)]
)
@pytest.mark.parametrize("rounding", [CUT, NEAREST_STEP])
@pytest.mark.parametrize("must_pass_all", [True, False])
def test_final_grade_missing_component_is_incomplete(presentation, report, rounding, must_pass_all):
    result = _grade(presentation, report, rounding=rounding, must_pass_all=must_pass_all)
    assert result.value is None
    assert result.band is None
    assert result.incomplete


def test_final_grade_complete_is_not_incomplete():
    assert not _grade("2.0", "2.0").incomplete


# --- Validation ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "weights",
    [
        {"presentation": 60, "report": 60},
        {"presentation": 50, "report": 40},
        {"presentation": 0, "report": 0},
        {"presentation": 99, "report": 0},
    ],
)
def test_final_grade_weights_not_summing_to_100_raise_value_error(weights):
    with pytest.raises(ValueError, match="sum to 100"):
        _grade("2.0", "2.0", weights)


@pytest.mark.parametrize(
    "components",
    [
        {"presentation": Decimal("2.0")},
        {"presentation": Decimal("2.0"), "report": Decimal("2.0"), "exam": Decimal("2.0")},
        {"presentation": Decimal("2.0"), "paper": Decimal("2.0")},
        {},
    ],
)
def test_final_grade_mismatched_component_names_raise_value_error(components):
    with pytest.raises(ValueError, match="component"):
        final_grade(components, WEIGHTS_60_40)


@pytest.mark.parametrize("rounding", ["round", "CUT", "", None])
def test_final_grade_unknown_rounding_raises_value_error(rounding):
    with pytest.raises(ValueError, match="unknown rounding"):
        _grade("2.0", "2.3", rounding=rounding)


@pytest.mark.parametrize(("presentation", "report"), [(None, "2.0"), ("5.0", "1.0")])
def test_final_grade_unknown_rounding_raises_value_error_whatever_the_grades(presentation, report):
    with pytest.raises(ValueError, match="unknown rounding"):
        _grade(presentation, report, rounding="round", must_pass_all=True)


# --- Properties ------------------------------------------------------------------------------------------

steps = st.sampled_from(STEPS)
roundings = st.sampled_from([CUT, NEAREST_STEP])
presentation_weights = st.integers(min_value=0, max_value=100)


def _weights(presentation_weight):
    return {"presentation": presentation_weight, "report": 100 - presentation_weight}


def _exact_mean(presentation, report, presentation_weight):
    return (
        Fraction(presentation_weight) * Fraction(str(presentation))
        + Fraction(100 - presentation_weight) * Fraction(str(report))
    ) / 100


@given(steps, presentation_weights, roundings, st.booleans())
def test_final_grade_equal_components_give_that_component(step, weight, rounding, must_pass_all):
    result = _grade(step, step, _weights(weight), rounding=rounding, must_pass_all=must_pass_all)
    assert result.value == step


@given(steps, steps, presentation_weights, roundings, st.booleans())
def test_final_grade_stays_within_the_scale(presentation, report, weight, rounding, must_pass_all):
    result = _grade(presentation, report, _weights(weight), rounding=rounding, must_pass_all=must_pass_all)
    assert Decimal("1.0") <= result.value <= Decimal("5.0")
    assert result.band == band(result.value)


@given(steps, steps, presentation_weights, roundings, st.booleans())
def test_final_grade_has_exactly_one_decimal_place(presentation, report, weight, rounding, must_pass_all):
    result = _grade(presentation, report, _weights(weight), rounding=rounding, must_pass_all=must_pass_all)
    assert result.value.as_tuple().exponent == -1
    assert len(str(result.value)) == 3


@given(steps, steps, steps, st.booleans(), presentation_weights, roundings, st.booleans())
def test_final_grade_worse_component_never_gives_better_grade(
    first, second, other, worsen_presentation, weight, rounding, must_pass_all
):
    better, worse = sorted((first, second))
    options = {"rounding": rounding, "must_pass_all": must_pass_all}
    if worsen_presentation:
        before = _grade(better, other, _weights(weight), **options)
        after = _grade(worse, other, _weights(weight), **options)
    else:
        before = _grade(other, better, _weights(weight), **options)
        after = _grade(other, worse, _weights(weight), **options)
    assert after.value >= before.value


@given(steps, steps, presentation_weights, st.booleans())
def test_final_grade_cut_equals_fraction_floor_oracle(presentation, report, weight, must_pass_all):
    result = _grade(presentation, report, _weights(weight), rounding=CUT, must_pass_all=must_pass_all)
    if must_pass_all and Decimal("5.0") in (presentation, report):
        expected = Fraction(5)
    else:
        expected = Fraction(math.floor(10 * _exact_mean(presentation, report, weight)), 10)
    assert Fraction(result.value) == expected


@given(steps, steps, presentation_weights)
def test_final_grade_nearest_step_equals_fraction_oracle(presentation, report, weight):
    result = _grade(presentation, report, _weights(weight), rounding=NEAREST_STEP, must_pass_all=False)
    exact = _exact_mean(presentation, report, weight)
    # Nearest step; on a tie the smaller (better) step.
    expected = min(STEPS, key=lambda step: (abs(Fraction(step) - exact), Fraction(step)))
    assert result.value == expected


@given(steps, presentation_weights, roundings, st.booleans())
def test_final_grade_must_pass_all_any_failed_component_gives_5(other, weight, rounding, failed_first):
    failed = Decimal("5.0")
    presentation, report = (failed, other) if failed_first else (other, failed)
    result = _grade(presentation, report, _weights(weight), rounding=rounding, must_pass_all=True)
    assert result.value == failed
    assert result.band == "nicht ausreichend"
