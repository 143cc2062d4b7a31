"""Write problems for people (text), programs (JSON), GitHub annotations and code scanning.

``text`` prints ``path:line:col: CODE severity: message``, one problem per line (a line
break inside a message becomes a space) and nothing else; ``json`` wraps them in
``{"schema_version": 1, "problems": [...]}``; ``github`` prints workflow commands
(``::error file=…,line=…,col=…,title=CODE::message``) that GitHub shows as annotations;
``sarif`` writes a SARIF 2.1.0 log (see :func:`sarif_log`) for code-scanning uploads.

Messages quote plan text and paths are what the user typed, so every format writes them
through :func:`~salesplan.render.text.clean` (a file whose name holds control characters
is named without them; SARIF instead percent-encodes the path as written, which keeps it
exact and lets no control character through either).  A workflow command is one line: its
message escapes ``%`` and line breaks, its properties also ``:`` and ``,``, so no message
can end the command or start another.
"""

from __future__ import annotations

import json
import os
import urllib.parse
from collections.abc import Sequence
from typing import Any

from salesplan import __version__
from salesplan.choices import ProblemFormat
from salesplan.problems import Location, Problem, Severity
from salesplan.problems.codes import CODES
from salesplan.render.text import clean

SCHEMA_VERSION = 1

SARIF_VERSION = "2.1.0"
# The schema's name, for editors; nothing here fetches it.
SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)


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


def sarif_uri(path: str) -> str:
    """Return a path as written as a SARIF artifact URI: POSIX separators, percent-encoded.

    >>> sarif_uri("my plans/a:b #1.yaml")
    'my%20plans/a%3Ab%20%231.yaml'
    """
    if os.sep != "/":
        path = path.replace(os.sep, "/")
    return urllib.parse.quote(path, safe="/")


def sarif_rules() -> list[dict[str, Any]]:
    """Return every problem code as a SARIF reporting descriptor, in registry order."""
    rules: list[dict[str, Any]] = []
    for code in CODES:
        rule: dict[str, Any] = {
            "id": code.code,
            "shortDescription": {"text": code.title},
            "defaultConfiguration": {"level": code.severity.value},
        }
        if code.source:
            rule["properties"] = {"source": code.source}
        rules.append(rule)
    return rules


def sarif_result(problem: Problem, rule_index: dict[str, int]) -> dict[str, Any]:
    """Return one problem as a SARIF result; ``rule_index`` maps codes to rule positions."""
    loc = problem.location
    physical: dict[str, Any] = {"artifactLocation": {"uri": sarif_uri(loc.path)}}
    if loc.line > 0:  # line 0 means unknown: then there is no region at all
        region = {"startLine": loc.line}
        if loc.col > 0:
            region["startColumn"] = loc.col
        physical["region"] = region
    result: dict[str, Any] = {"ruleId": problem.code}
    if problem.code in rule_index:
        result["ruleIndex"] = rule_index[problem.code]
    result["level"] = problem.severity.value
    result["message"] = {"text": clean(problem.message)}
    result["locations"] = [{"physicalLocation": physical}]
    return result


def sarif_log(problems: Sequence[Problem]) -> dict[str, Any]:
    """Return the problems as a SARIF 2.1.0 log: one run, every rule, one result each.

    The driver lists every code salesplan has (not just those found), so ``ruleIndex`` is
    stable from run to run.  Columns count characters (``columnKind``), as PyYAML does.
    Nothing varies but the problems: no timestamps, no invocation record.
    """
    rules = sarif_rules()
    rule_index = {rule["id"]: i for i, rule in enumerate(rules)}
    driver = {"name": "salesplan", "version": __version__, "rules": rules}
    run = {
        "tool": {"driver": driver},
        "columnKind": "unicodeCodePoints",
        "results": [sarif_result(p, rule_index) for p in problems],
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def warnings_line(problems: Sequence[Problem], path: str, width: int) -> str:
    """Return a plan's warnings said in one line, wrapped between words to ``width``: how
    many, their codes, and the command that prints each (``path``: ``-`` for stdin).

    For a first screen that must fit a terminal; elsewhere, and always in pipes and CI,
    every problem is printed in full.  A plan that plans has warnings only (an error stops
    it).  A terminal would cut a path, so no word is broken.
    """
    import textwrap
    from collections import Counter

    codes = Counter(p.code for p in problems)
    total = sum(codes.values())
    listed = ", ".join(f"{c} ×{n}" if n > 1 else c for c, n in sorted(codes.items()))
    line = (
        f"salesplan: {total} warning{'s' if total != 1 else ''} ({listed}): "
        f"see salesplan check {clean(path)}"
    )
    return textwrap.fill(line, width, break_on_hyphens=False, break_long_words=False) + "\n"


def render_problems(problems: Sequence[Problem], fmt: ProblemFormat) -> str:
    """Return the problems as text in the given format."""
    match fmt:
        case ProblemFormat.JSON:
            doc = {
                "schema_version": SCHEMA_VERSION,
                "problems": [problem_json(p) for p in problems],
            }
            return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
        case ProblemFormat.GITHUB:
            return "".join(github_line(p) + "\n" for p in problems)
        case ProblemFormat.SARIF:
            log = sarif_log(problems)
            return json.dumps(log, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
        case ProblemFormat.TEXT:
            # One problem per line, always: a stray line break in a message becomes a space.
            return "".join(" ".join(str(_cleaned(p)).splitlines()) + "\n" for p in problems)
    raise ValueError(f"unknown problem format: {fmt!r}")
