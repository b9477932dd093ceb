"""core.rankings: one button press on a ranking, for every ranking and press."""

from hypothesis import given
from hypothesis import strategies as st

from core.rankings import ACTIONS, ranking_after

rankings = st.lists(st.integers(1, 20), unique=True, max_size=10)


@given(rankings, st.sampled_from([*ACTIONS, "sideways"]), st.integers(1, 20))
def test_a_press_keeps_the_ranking_a_ranking_and_changes_only_what_it_says(ranking, action, item):
    after = ranking_after(action, ranking, item)

    assert len(set(after)) == len(after)
    if action == "add":
        assert after == (ranking if item in ranking else [*ranking, item])
    elif action == "remove":
        assert after == [other for other in ranking if other != item]
    elif action in ("up", "down") and item in ranking:
        assert sorted(after) == sorted(ranking)
        moved = after.index(item) - ranking.index(item)
        edge = ranking.index(item) == (0 if action == "up" else len(ranking) - 1)
        assert moved == (0 if edge else -1 if action == "up" else 1)
    else:
        assert after == ranking


@given(rankings, st.integers(1, 20))
def test_up_then_down_is_where_it_was_unless_it_was_first(ranking, item):
    if item in ranking and ranking.index(item) > 0:
        assert ranking_after("down", ranking_after("up", ranking, item), item) == ranking
