"""Reviewer assignment, pure: ids in, pairs out; no database, no clock.

Who reviews whose report (`assign`):
- never one's own report, never the same report twice;
- every reviewer gets k reports (fewer only when fewer other reports exist);
- the reviews are spread evenly over the reports: the numbers of reviews two reports get differ by at most
  one, so when the reviewers are the authors (the usual case: everyone who handed in reviews) every
  report gets exactly k reviews;
- a report on the reviewer's own topic is preferred whenever the two rules above allow it;
- the same input and seed give the same pairs, whatever order the ids come in.

It is one minimum-cost flow, solved as a linear programme by scipy's HiGHS: a variable per allowed
(reviewer, report) pair, each reviewer's pairs summing to their number of reports, and each report's reviews
counted in three tiers — up to the even share L = reviews // reports at no cost, one more at cost 1, any
beyond at cost 3. A flow network's matrix is totally unimodular, so the simplex's optimum (a vertex) is
whole pairs. All the pairs' own costs together stay below 1 (a different topic, and a small random number
drawn from the seed: the tie-break), so the spread is decided first: whenever an even spread exists (every
report L or L + 1 reviews), only an even one costs as little as r (r reports above L), and among those the
programme takes the fewest reviews outside the reviewer's topic. The costs are kept this small on purpose:
with costs in the hundreds of thousands HiGHS's dual simplex gave up ("model status unknown") on a class of
twelve. A round-by-round greedy matching, the first version, could paint itself into a corner: 5 and 7
reviews where 6 and 6 were possible.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_array

OTHER_TOPIC = 1_000.0  # a report on another topic than the reviewer's, against a tie-break below 1
# What one review of a report costs: up to the even share, the one above it, any beyond.
TIER_COSTS = (0.0, 1.0, 3.0)


class AssignmentFailedError(RuntimeError):
    """The solver found no whole-pairs optimum (it always exists: a solver failure, not the class's)."""


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
    # One tie-break per (reviewer, author), drawn from the seed over the sorted ids.
    noise = rng.random((len(reviewers), len(authors)))
    edges = [(i, j) for i, r in enumerate(reviewers) for j, a in enumerate(authors) if r != a]
    quota = np.minimum(np.bincount([i for i, _j in edges], minlength=len(reviewers)), k)
    total = int(quota.sum())
    if total == 0:
        return []
    share = total // len(authors)
    # Scaled so that the chosen pairs (at most `total`) together cost less than one review above the even
    # share. Not by the number of allowed pairs: the tie-break would sink below the solver's tolerance.
    scale = (OTHER_TOPIC + 1.0) * (total + 1)

    def pair_cost(i: int, j: int) -> float:
        reviewer_topic = topics.get(reviewers[i])
        same = reviewer_topic is not None and reviewer_topic == topics.get(authors[j])
        return ((0.0 if same else OTHER_TOPIC) + noise[i, j]) / scale

    capacities = (share, 1, total)
    cost = [pair_cost(i, j) for i, j in edges] + [price for _j in authors for price in TIER_COSTS]
    bounds = [(0, 1)] * len(edges) + [(0, capacity) for _j in authors for capacity in capacities]
    # One row per reviewer (their pairs = their quota), one per report (its pairs = its tiers).
    rows, columns = [], []
    for column, (i, j) in enumerate(edges):
        rows += [i, len(reviewers) + j]
        columns += [column, column]
    tier_columns = range(len(edges), len(cost))
    rows += [len(reviewers) + (column - len(edges)) // len(TIER_COSTS) for column in tier_columns]
    columns += list(tier_columns)
    values = [1.0] * (2 * len(edges)) + [-1.0] * len(tier_columns)
    matrix = coo_array((values, (rows, columns)), shape=(len(reviewers) + len(authors), len(cost)))
    wanted = np.concatenate([quota, np.zeros(len(authors))])
    chosen = _solve(cost, matrix.tocsr(), wanted, bounds)[: len(edges)]
    pairs = [Pair(reviewers[i], authors[j]) for (i, j), x in zip(edges, chosen, strict=True) if x > 0.5]
    return sorted(pairs, key=lambda pair: (pair.reviewer, pair.author))


def _solve(cost, matrix, wanted, bounds) -> np.ndarray:
    """The optimum vertex: HiGHS's dual simplex, else its interior-point method with crossover (which also
    ends on a vertex); whole numbers or AssignmentFailedError."""
    messages = []
    for method in ("highs-ds", "highs-ipm"):
        result = linprog(cost, A_eq=matrix, b_eq=wanted, bounds=bounds, method=method)
        if result.status == 0 and np.allclose(result.x, np.round(result.x), atol=1e-6):
            return result.x
        messages.append(f"{method}: {result.message}")
    raise AssignmentFailedError("reviewer assignment: " + "; ".join(messages))
