"""Reviewer assignment, pure: ids in, pairs out; no database, no clock.

Who reviews whose report (`assign`):
- never one's own report, never the same report twice;
- every reviewer gets k reports (fewer only when fewer other reports exist);
- the reviews are spread evenly over the reports: the numbers of reviews two reports get differ by at most
  one, so when the reviewers are the authors (the usual case: everyone who handed in reviews) every
  report gets exactly k reviews;
- a report on the reviewer's own topic is preferred whenever the two rules above allow it;
- the same input and seed give the same pairs, whatever order the ids come in.

It works in rounds: each round gives every reviewer who still needs one at most one more report, by a
minimum-cost assignment (scipy's linear_sum_assignment) whose costs are, in this order of weight, the
number of reviews a report has already (spreading them), a different topic, and a small random number drawn
from the seed (the tie-break). When the reviewers are the authors, round r asks for a perfect matching in
a bipartite graph where everyone still has n - r allowed partners; a regular bipartite graph always has one
(Hall), so each round completes and after k rounds everyone has given and received exactly k reviews.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

SPREAD = 1_000_000.0  # per review a report already has: spreading beats everything else
OTHER_TOPIC = 1_000.0  # a report on another topic than the reviewer's
FORBIDDEN = 1e12  # one's own report, or a report one reviews already


@dataclass(frozen=True)
class Pair:
    reviewer: int
    author: int


def assign(
    *,
    reviewers: Iterable[int],
    authors: Iterable[int],
    k: int,
    seed: int,
    topics: Mapping[int, object] | None = None,
) -> list[Pair]:
    """The pairs (reviewer, author), sorted. `topics` maps a person to their topic (None or absent: no
    topic); `authors` are the people with a report to review."""
    reviewers = sorted(set(reviewers))
    authors = sorted(set(authors))
    topics = topics or {}
    if k < 1 or not reviewers or not authors:
        return []
    rng = np.random.default_rng(seed)
    # One tie-break per (reviewer, author), drawn once, so the rounds agree on what the seed prefers.
    noise = rng.random((len(reviewers), len(authors)))
    same_topic = np.array(
        [[topics.get(r) is not None and topics.get(r) == topics.get(a) for a in authors] for r in reviewers],
        dtype=bool,
    )
    allowed = np.array([[r != a for a in authors] for r in reviewers], dtype=bool)
    quota = np.array([min(k, int(row.sum())) for row in allowed])
    given = np.zeros(len(reviewers), dtype=int)
    received = np.zeros(len(authors), dtype=int)
    pairs: list[Pair] = []
    while True:
        rows = [i for i in range(len(reviewers)) if given[i] < quota[i]]
        if not rows:
            break
        # Each report may take several reviewers in one round when there are more reviewers than reports.
        copies = -(-len(rows) // len(authors))
        columns = [(j, copy) for copy in range(copies) for j in range(len(authors))]
        cost = np.empty((len(rows), len(columns)))
        for x, i in enumerate(rows):
            for y, (j, copy) in enumerate(columns):
                if not allowed[i, j]:
                    cost[x, y] = FORBIDDEN
                else:
                    cost[x, y] = (
                        SPREAD * (received[j] + copy)
                        + (0.0 if same_topic[i, j] else OTHER_TOPIC)
                        + noise[i, j]
                    )
        chosen_rows, chosen_columns = linear_sum_assignment(cost)
        progress = False
        for x, y in zip(chosen_rows, chosen_columns, strict=True):
            i, (j, _copy) = rows[x], columns[y]
            if cost[x, y] >= FORBIDDEN or not allowed[i, j]:
                continue
            allowed[i, j] = False
            given[i] += 1
            received[j] += 1
            pairs.append(Pair(reviewers[i], authors[j]))
            progress = True
        if not progress:
            break
    return sorted(pairs, key=lambda pair: (pair.reviewer, pair.author))
