"""Who may do what in the department's matching: coordinators (a site permission) open, run and publish
rounds and see their figures; every logged-in person may rank the seminars of a round and read their own
result; the instructors of a seminar taking part rank its applicants."""

import rules

from seminars.rules import is_instructor_of, site_permission

COORDINATE_MATCHING = "coordinate_matching"


# The site permission of a department's coordinator (Round's Meta permission "coordinate_matching").
coordinates_matching = site_permission("matching", COORDINATE_MATCHING)


rules.add_perm("matching.coordinate", coordinates_matching)
# Students are nobody's students before the matching: any logged-in person ranks and reads their result.
rules.add_perm("matching.rank", rules.is_authenticated)
# Asked about a RoundSeminar (its .seminar is the seminar whose instructors rank).
rules.add_perm("matching.rank_applicants", is_instructor_of)
