"""A rubric as text and back, pure: the form an instructor types it in.

One criterion per line: its name, optionally a short description after a colon, and its levels after a
vertical bar, separated by slashes, best first:

    Understanding of the paper: summarises the main result | excellent / good / adequate / insufficient

`parse` turns the text into criteria (or names every line it cannot read), `text_of` writes criteria back
as the same text, so the form shows what was saved."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

MAX_CRITERIA = 20
MAX_LEVELS = 10


@dataclass(frozen=True)
class Criterion:
    name: str
    description: str
    levels: tuple[str, ...]

    def as_data(self) -> dict:
        return {"name": self.name, "description": self.description, "levels": list(self.levels)}


class RubricError(ValueError):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def parse(text: str) -> list[Criterion]:
    criteria, problems = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        head, bar, tail = line.partition("|")
        name, _colon, description = head.partition(":")
        levels = tuple(level.strip() for level in tail.split("/") if level.strip())
        if not bar or len(levels) < 2:
            problems.append(
                _("Line %(line)d: give at least two levels after a “|”, separated by “/”.") % {"line": number}
            )
        elif not name.strip():
            problems.append(_("Line %(line)d: the criterion has no name.") % {"line": number})
        elif len(levels) > MAX_LEVELS:
            problems.append(
                _("Line %(line)d: at most %(count)d levels.") % {"line": number, "count": MAX_LEVELS}
            )
        else:
            criteria.append(Criterion(name.strip(), description.strip(), levels))
    if len(criteria) > MAX_CRITERIA:
        problems.append(_("At most %(count)d criteria.") % {"count": MAX_CRITERIA})
    names = [criterion.name.casefold() for criterion in criteria]
    if len(set(names)) != len(names):
        problems.append(_("Two criteria have the same name."))
    if problems:
        raise RubricError(problems)
    return criteria


def from_data(data: list[dict]) -> list[Criterion]:
    return [
        Criterion(item["name"], item.get("description", ""), tuple(item["levels"])) for item in data or []
    ]


def text_of(criteria: list[Criterion]) -> str:
    lines = []
    for criterion in criteria:
        head = f"{criterion.name}: {criterion.description}" if criterion.description else criterion.name
        lines.append(f"{head} | {' / '.join(criterion.levels)}")
    return "\n".join(lines)
