"""Write problems for people (text), programs (JSON) and GitHub Actions annotations.

``text`` prints ``path:line:col: CODE severity: message``, one problem per line (a line
break inside a message becomes a space) and nothing else; ``json`` wraps them in
``{"schema_version": 1, "problems": [...]}``; ``github`` prints workflow commands
(``::error file=…,line=…,col=…,title=CODE::message``) that GitHub shows as annotations.

Messages quote plan text and paths are what the user typed, so every format writes them
through :func:`~salesplan.render.text.clean` (a file whose name holds control characters
is named without them).  A workflow command is one line: its message escapes ``%`` and
line breaks, its properties also ``:`` and ``,``, so no message can end the command or
start another.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from salesplan.choices import ProblemFormat
from salesplan.problems import Location, Problem, Severity
from salesplan.render.text import clean

SCHEMA_VERSION = 1


def _cleaned(problem: Problem) -> Problem:
    """Return the problem with its path, code and message cleaned for output."""
    loc = problem.location
    return Problem(
        Location(clean(loc.path), loc.line, loc.col),
        clean(problem.code),
        problem.severity,
        clean(problem.message),
    )


def github_data(text: str) -> str:
    """Escape the message of a GitHub workflow command.

    >>> github_data("50% off\\nnow")
    '50%25 off%0Anow'
    """
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(text: str) -> str:
    """Escape a property value (file, title) of a GitHub workflow command.

    >>> github_property("a:b,c")
    'a%3Ab%2Cc'
    """
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


def github_line(problem: Problem) -> str:
    """Return one problem as a GitHub ``::error`` or ``::warning`` command."""
    problem = _cleaned(problem)
    command = "error" if problem.severity is Severity.ERROR else "warning"
    loc = problem.location
    props = [f"file={github_property(loc.path)}"]
    if loc.line > 0:
        props.append(f"line={loc.line}")
        if loc.col > 0:
            props.append(f"col={loc.col}")
    props.append(f"title={github_property(problem.code)}")
    return f"::{command} {','.join(props)}::{github_data(problem.message)}"


def problem_json(problem: Problem) -> dict[str, str | int]:
    """Return one problem as a JSON-ready dict."""
    problem = _cleaned(problem)
    loc = problem.location
    return {
        "path": loc.path,
        "line": loc.line,
        "col": loc.col,
        "code": problem.code,
        "severity": problem.severity.value,
        "message": problem.message,
    }


def render_problems(problems: Sequence[Problem], fmt: ProblemFormat) -> str:
    """Return the problems as text in the given format, one line per problem."""
    match fmt:
        case ProblemFormat.JSON:
            doc = {
                "schema_version": SCHEMA_VERSION,
                "problems": [problem_json(p) for p in problems],
            }
            return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
        case ProblemFormat.GITHUB:
            return "".join(github_line(p) + "\n" for p in problems)
        case ProblemFormat.TEXT:
            # One problem per line, always: a stray line break in a message becomes a space.
            return "".join(" ".join(str(_cleaned(p)).splitlines()) + "\n" for p in problems)
    raise ValueError(f"unknown problem format: {fmt!r}")
