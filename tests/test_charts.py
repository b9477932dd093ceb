"""core.charts: the bars' geometry, for every list of counts."""

from hypothesis import given
from hypothesis import strategies as st

from core.charts import bars

LAYOUT = {"height": 200, "top": 20, "bottom": 40, "width": 44, "gap": 12}
USABLE = 200 - 20 - 40


@given(st.lists(st.tuples(st.text(max_size=5), st.integers(0, 10_000)), max_size=12))
def test_bars_stand_on_one_line_side_by_side_and_the_largest_fills_the_chart(counts):
    drawn = bars(counts, **LAYOUT)

    assert [(bar.label, bar.count) for bar in drawn] == counts
    assert all(bar.y + bar.height == 20 + USABLE for bar in drawn)  # one base line
    assert [bar.x for bar in drawn] == [12 + index * (44 + 12) for index in range(len(counts))]
    assert all(bar.text_x == bar.x + 22 for bar in drawn)
    if any(count for _label, count in counts):
        assert max(bar.height for bar in drawn) == USABLE
    assert all(bar.height == 0 for bar in drawn if bar.count == 0)
    by_count = sorted(drawn, key=lambda bar: bar.count)
    assert all(low.height <= high.height for low, high in zip(by_count, by_count[1:], strict=False))
