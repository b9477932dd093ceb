"""core/spreadsheets.py: the formula guard of our CSV files and its reading back (the grade import reads
the grade export's file)."""

from hypothesis import given
from hypothesis import strategies as st

from core.spreadsheets import FORMULA_STARTS, guarded_text, unguarded_text


@given(st.text())
def test_a_guarded_text_never_starts_like_a_formula(text):
    assert not guarded_text(text).startswith(FORMULA_STARTS)


@given(st.text().filter(lambda text: not text.startswith("'")))
def test_reading_a_guarded_text_back_gives_the_text_as_typed(text):
    assert unguarded_text(guarded_text(text)) == text


def test_only_a_text_that_would_be_a_formula_gets_the_apostrophe():
    assert [guarded_text(text) for text in ("=SUM(A1)", "+49 89", "-x", "@y", "Müller", "")] == [
        "'=SUM(A1)",
        "'+49 89",
        "'-x",
        "'@y",
        "Müller",
        "",
    ]
