"""The explanation's words, in English and German, for each kind of evidence."""

import pytest
from django.utils import translation

from matching.explanations import RefusalView, ResultView, ordinal


@pytest.mark.parametrize(
    ("number", "english"),
    [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"), (21, "21st")],
)
def test_ordinals(number, english):
    assert ordinal(number) == english
    with translation.override("de"):
        assert ordinal(number) == f"{number}."


def test_a_lottery_a_rank_and_a_reason_each_explained_without_naming_anyone():
    view = ResultView(
        seminar_title="Robotics",
        choice=3,
        refusals=[
            RefusalView(1, "Deep learning", "lottery"),
            RefusalView(2, "Vision", "ranked_higher"),
        ],
    )

    assert view.lines() == [
        "You got your 3rd choice: Robotics.",
        "Your 1st choice, Deep learning, filled all its seats with applicants its chair ranked higher than "
        "you or equally, and the lottery drew those ranked equally before you.",
        "Your 2nd choice, Vision, filled all its seats with applicants its chair ranked higher than you.",
    ]


def test_an_unmatched_student_learns_which_seminars_still_have_seats_in_their_language():
    view = ResultView(
        seminar_title=None,
        choice=None,
        refusals=[
            RefusalView(1, "Deep learning", "not_accepted", "No linear algebra."),
            RefusalView(2, "Vision", "not_accepted"),
        ],
        seats_left=[("Robotics", 2), ("Compilers", 1)],
    )

    assert view.lines() == [
        "You have no seat in this round.",
        "Your 1st choice, Deep learning, did not accept your application: No linear algebra.",
        "Your 2nd choice, Vision, takes only applicants its chair ranked, and its chair did not rank you.",
        "These seminars still have seats: Robotics (2 left), Compilers (1 left).",
    ]
    with translation.override("de"):
        lines = view.lines()
    assert lines[0] == "Sie haben in dieser Runde keinen Platz."
    assert lines[-1] == "Diese Seminare haben noch Plätze: Robotics (2 frei), Compilers (1 frei)."
