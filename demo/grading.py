"""The demo seminar's grade components, as its description states them: presentation 60 % (linked to the
slides) and written report 40 % (linked to the report), saved so that the components page shows them."""

from grading.services import grade_components_ensure
from seminars.models import Seminar


def demo_grade_components_load(*, seminar: Seminar) -> None:
    """Only into a seminar without components (after its deliverables, which they link): a later run keeps
    what the instructor changed since."""
    grade_components_ensure(seminar=seminar)
