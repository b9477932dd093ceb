"""The picture of app dependencies points one way (README, Where things live): core <- accounts <-
seminars <- papers <- schedule <- submissions <- grading; reminders, calendars, copying, dashboard and demo
read from all and no app imports them (the dashboard alone also reads reminders' sent log); core
imports no domain app. Read from the source with ast, import by import."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["core", "accounts", "seminars", "papers", "schedule", "submissions", "grading"]
READERS = {"reminders", "calendars", "copying", "dashboard", "demo"}
# The dashboard is the top of the picture: one page over everything, the reminders' sent log included (failed
# mails). It may read the other readers' models; nobody imports it.
TOP = {"dashboard": {"reminders"}}


def imports_of(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_dependencies_point_one_way():
    wrong = []
    for app in [*LAYERS, *READERS]:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for other in imports_of(path) & (set(LAYERS) | READERS) - {app}:
                upward = app in LAYERS and other in LAYERS and LAYERS.index(other) > LAYERS.index(app)
                if upward or (other in READERS and other not in TOP.get(app, set())):
                    wrong.append(f"{path.relative_to(ROOT)} imports {other}")
    assert wrong == []
