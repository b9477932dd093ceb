"""Who may do what in the department's matching: coordinators (a site permission) open, run and publish
rounds and see their figures; every logged-in person may rank the seminars of a round and read their own
result; the instructors of a seminar taking part rank its applicants."""

import rules
from django.contrib.auth.models import Permission
from django.db.models import Q

from seminars.rules import is_instructor_of

COORDINATE_MATCHING = "coordinate_matching"
_COORDINATES = "_coordinates_matching"


@rules.predicate
def coordinates_matching(user) -> bool:
    """The site permission of a department's coordinator (Round's Meta permission "coordinate_matching"),
    given in the Django admin to the person or one of their groups. Read once per user object; never
    implied by being a superuser."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    found = getattr(user, _COORDINATES, None)
    if found is None:
        found = (
            Permission.objects.filter(content_type__app_label="matching", codename=COORDINATE_MATCHING)
            .filter(Q(user=user) | Q(group__user=user))
            .exists()
        )
        setattr(user, _COORDINATES, found)
    return found


rules.add_perm("matching.coordinate", coordinates_matching)
# Students are nobody's students before the matching: any logged-in person ranks and reads their result.
rules.add_perm("matching.rank", rules.is_authenticated)
# Asked about a RoundSeminar (its .seminar is the seminar whose instructors rank).
rules.add_perm("matching.rank_applicants", is_instructor_of)
