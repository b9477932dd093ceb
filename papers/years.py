"""Which years a paper may carry: the model, the paper form and both import formats ask here."""

from django.utils import timezone

# Four digits: a two- or three-digit year is an abbreviation ("99"), not a paper from the first millennium.
EARLIEST_PAPER_YEAR = 1000


def latest_paper_year() -> int:
    """Next year by the server's clock: a paper accepted now may be dated next year; later is a typo."""
    return timezone.localdate().year + 1
