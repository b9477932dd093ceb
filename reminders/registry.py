"""The kinds of reminder there are: the beat's scan and the send task take them from here, and
Reminder.kind its choices (a callable, so registering a kind needs no migration).

No models here: models.py imports this module, and reminders/kinds.py (imported when the app is ready)
registers the built-in kinds.
"""

KEY_MAX_LENGTH = 12  # the width of Reminder.kind

_kinds: dict = {}


def register(kind_class: type) -> type:
    """Registers one instance of `kind_class` under its `key`; usable as a class decorator."""
    key = kind_class.key
    if not key or len(key) > KEY_MAX_LENGTH:
        raise ValueError(f"a reminder kind's key has 1 to {KEY_MAX_LENGTH} characters: {key!r}")
    if key in _kinds:
        raise ValueError(f"the reminder kind {key!r} is registered already")
    _kinds[key] = kind_class()
    return kind_class


def unregister(key: str) -> None:
    del _kinds[key]


def registered_kinds() -> list:
    """Every registered kind, in the order of registration."""
    return list(_kinds.values())


def kind_of(key: str):
    """The registered kind with this key, or None (a row of a kind no longer registered)."""
    return _kinds.get(key)


def kind_choices() -> list[tuple[str, str]]:
    return [(kind.key, kind.label) for kind in _kinds.values()]
