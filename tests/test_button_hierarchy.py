"""Primary, secondary and dangerous actions look different (DESIGN.md, Style), read from the templates:
- an action whose label (the English msgid) removes, revokes, deletes, withdraws, resets or unpublishes
  something is `button-danger` (a button or a link, the link to a confirmation page included) and never
  `button-primary`;
- a <form> and a <section> each offer at most one primary action in any one rendering: the branches of an
  {% if %} are alternatives (the larger counts), a {% for %} body is one row and counts once.
Everything else is secondary: `.button`, `.button-secondary` or a plain submit button, which look alike.
The Django admin and the mails are not ours to style and are left out."""

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
LEFT_OUT = {"admin", "email"}
DESTRUCTIVE = re.compile(
    r"\b(remove|revoke|delete|withdraw|reset|unpublish|discard|erase)\b|stops working", re.IGNORECASE
)
ACTION = re.compile(r"<(?P<tag>button|a)\b(?P<attrs>[^>]*)>(?P<body>.*?)</(?P=tag)>", re.DOTALL)
LABEL = re.compile(
    r"""\{%\s*translate\s+(?:"(?P<double>[^"]*)"|'(?P<single>[^']*)')"""
    r"|\{%\s*blocktranslate\b[^%]*%\}(?P<block>.*?)\{%\s*(?:endblocktranslate|plural)",
    re.DOTALL,
)
CLASS = re.compile(r'\bclass="(?P<value>[^"]*)"')
# The pieces that decide the count of primary actions: the scopes, the if-structure, and the primaries.
PIECE = re.compile(
    r"<(?P<open>form|section)\b|</(?P<close>form|section)>"
    r"|\{%\s*(?P<tag>if|elif|else|endif)\b[^%]*%\}|(?P<primary>\bbutton-primary\b)"
)


@dataclass
class Branching:
    branches: list[list] = field(default_factory=lambda: [[]])


@dataclass
class Scope:
    kind: str
    line: int
    children: list = field(default_factory=list)


def label_of(body: str) -> str:
    found = LABEL.search(body)
    if found:
        return next(group for group in found.groups() if group is not None).strip()
    return re.sub(r"<[^>]*>|\{[{%].*?[%}]\}", "", body).strip()


def danger_problems(name: str, text: str) -> list[str]:
    """Destructive actions that are not `button-danger`, or are also `button-primary`."""
    problems = []
    for action in ACTION.finditer(text):
        label = label_of(action.group("body"))
        if not DESTRUCTIVE.search(label):
            continue
        classes = CLASS.search(action.group("attrs"))
        words = set(re.split(r"\s+", classes.group("value"))) if classes else set()
        line = text.count("\n", 0, action.start()) + 1
        if "button-danger" not in words:
            problems.append(f"{name}:{line}: {label!r} is destructive but not button-danger")
        if "button-primary" in words:
            problems.append(f"{name}:{line}: {label!r} is destructive and button-primary")
    return problems


def parse(name: str, text: str) -> Scope:
    """The template as a tree of scopes (form, section) and if-branchings around its primary actions.
    A scope opened in one branch of an {% if %} and closed in another is refused: it cannot be counted."""
    page = Scope("page", 1)
    stack: list = [page]  # Scope or Branching; the innermost last

    def children() -> list:
        top = stack[-1]
        return top.branches[-1] if isinstance(top, Branching) else top.children

    for piece in PIECE.finditer(text):
        line = text.count("\n", 0, piece.start()) + 1
        if piece.group("primary"):
            children().append("primary")
        elif piece.group("open"):
            scope = Scope(piece.group("open"), line)
            children().append(scope)
            stack.append(scope)
        elif piece.group("close"):
            top = stack.pop()
            if not isinstance(top, Scope) or top.kind != piece.group("close"):
                raise ValueError(f"{name}:{line}: </{piece.group('close')}> does not close its own scope")
        elif piece.group("tag") == "if":
            branching = Branching()
            children().append(branching)
            stack.append(branching)
        elif piece.group("tag") in ("elif", "else"):
            if not isinstance(stack[-1], Branching):
                raise ValueError(
                    f"{name}:{line}: {{% {piece.group('tag')} %}} inside an unclosed form or section"
                )
            stack[-1].branches.append([])
        elif piece.group("tag") == "endif":
            closed = stack.pop()
            if not isinstance(closed, Branching):
                raise ValueError(f"{name}:{line}: {{% endif %}} inside an unclosed form or section")
    if stack != [page]:
        raise ValueError(f"{name}: an unclosed form, section or if")
    return page


def most_primaries(nodes: list) -> int:
    """The largest number of primary actions one rendering shows among `nodes`, nested scopes included."""
    total = 0
    for node in nodes:
        if node == "primary":
            total += 1
        elif isinstance(node, Branching):
            total += max(most_primaries(branch) for branch in node.branches)
        else:
            total += most_primaries(node.children)
    return total


def scopes_in(nodes: list):
    for node in nodes:
        if isinstance(node, Scope):
            yield node
            yield from scopes_in(node.children)
        elif isinstance(node, Branching):
            for branch in node.branches:
                yield from scopes_in(branch)


def primary_problems(name: str, text: str) -> list[str]:
    page = parse(name, text)
    return [
        f"{name}:{scope.line}: a <{scope.kind}> with {count} primary actions"
        for scope in scopes_in(page.children)
        if (count := most_primaries(scope.children)) > 1
    ]


def our_templates() -> list[Path]:
    return [
        path
        for path in sorted(TEMPLATES.rglob("*.html"))
        if not LEFT_OUT & set(path.relative_to(TEMPLATES).parts)
    ]


def test_the_check_reads_the_templates():
    names = {str(path.relative_to(TEMPLATES)) for path in our_templates()}
    assert "seminars/people.html" in names
    assert "confirm.html" in names
    assert not any(name.startswith("admin/") or "/email/" in name for name in names)


def test_destructive_actions_are_danger_buttons():
    problems = []
    for path in our_templates():
        problems += danger_problems(str(path.relative_to(TEMPLATES)), path.read_text())
    assert problems == []


def test_each_form_and_section_has_at_most_one_primary_action():
    problems = []
    for path in our_templates():
        problems += primary_problems(str(path.relative_to(TEMPLATES)), path.read_text())
    assert problems == []


# The checks on counter-examples: each must catch what it is there to catch, and let the right thing pass.


@pytest.mark.parametrize(
    "markup",
    [
        '<button type="submit">{% translate "Remove" %}</button>',
        '<button type="submit" class="button">{% translate "Delete this paper" %}</button>',
        '<a href="/x/">{% translate "Revoke…" %}<span class="visually-hidden"> Mia</span></a>',
        '<button class="button button-primary button-danger">{% blocktranslate %}Withdraw {{ name }}'
        "{% endblocktranslate %}</button>",
        "<button type=\"submit\">{% translate 'Replace the address (the old one stops working)' %}</button>",
    ],
)
def test_danger_check_refuses_a_destructive_action_that_does_not_look_dangerous(markup):
    assert danger_problems("example.html", markup) != []


@pytest.mark.parametrize(
    "markup",
    [
        '<button type="submit" class="button button-danger">{% translate "Remove from the seminar" %}'
        "</button>",
        '<a class="button button-danger" href="/x/">{% translate "Revoke…" %}</a>',
        '<button type="submit">{% translate "Take back" %}</button>',
        '<a class="button button-primary" href="/x/">{% translate "Publish the schedule…" %}</a>',
    ],
)
def test_danger_check_lets_danger_buttons_and_harmless_actions_pass(markup):
    assert danger_problems("example.html", markup) == []


@pytest.mark.parametrize(
    "markup",
    [
        '<form><button class="button button-primary">A</button><button class="button button-primary">B'
        "</button></form>",
        '<section><form><button class="button-primary">A</button></form>'
        '<a class="button button-primary" href="/">B</a></section>',
        '<form>{% if a %}<button class="button-primary">A</button>{% endif %}'
        '<button class="button-primary">B</button></form>',
        '<section>{% for row in rows %}<a class="button button-primary">A</a>'
        '<a class="button button-primary">B</a>{% endfor %}</section>',
    ],
)
def test_primary_check_refuses_two_primary_actions_in_one_form_or_section(markup):
    assert primary_problems("example.html", markup) != []


@pytest.mark.parametrize(
    "markup",
    [
        '<form><button class="button button-primary">Save</button><a class="button">Cancel</a></form>',
        '<section>{% if not done %}<button class="button-primary">Run</button>{% elif ready %}'
        '<a class="button button-primary">Publish</a>{% else %}<a class="button">Figures</a>{% endif %}'
        "</section>",
        '<button class="button{% if not preview %} button-primary{% endif %}">Show</button>',
        '<section><form><button class="button-primary">A</button></form></section>'
        '<section><form><button class="button-primary">B</button></form></section>',
    ],
)
def test_primary_check_lets_one_primary_action_per_form_and_section_pass(markup):
    assert primary_problems("example.html", markup) == []


def test_primary_check_refuses_a_form_that_an_if_branch_closes():
    with pytest.raises(ValueError, match="does not close its own scope"):
        parse("example.html", "<form>{% if a %}</form>{% endif %}")
