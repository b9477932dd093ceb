"""The picture of app dependencies points one way (README, Where things live): core <- accounts <-
seminars <- papers <- schedule <- submissions <- reviews <- grading, and matching beside papers on seminars
(it imports core, accounts and seminars; no other layer imports it); reminders, calendars, copying, dashboard
and demo read from all and no app imports them (the dashboard alone also reads reminders' sent log); core
imports no domain app. Read from the source with ast, import by import."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["core", "accounts", "seminars", "papers", "schedule", "submissions", "reviews", "grading"]
READERS = {"reminders", "calendars", "copying", "dashboard", "demo"}
# Apps beside the layers: each may import the layers up to the one named, and no layer imports them.
SIDE = {"matching": "seminars"}
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


def test_side_apps_sit_on_their_layer_and_no_layer_imports_them():
    wrong = []
    for app, highest in SIDE.items():
        allowed = set(LAYERS[: LAYERS.index(highest) + 1])
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                wrong += [
                    f"{path.relative_to(ROOT)} imports {other}"
                    for other in imports_of(path) & (set(LAYERS) | READERS) - allowed
                ]
    for app in LAYERS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                wrong += [
                    f"{path.relative_to(ROOT)} imports {other}" for other in imports_of(path) & set(SIDE)
                ]
    assert wrong == []
