class ReviewError(Exception):
    """A peer review action that is refused, with the message to show."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
