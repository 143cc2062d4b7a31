"""Problems as text, JSON and GitHub annotations."""

from __future__ import annotations

import json

import pytest
from render_sample import GOLDEN, sample_problems
from tests.golden import assert_golden

from salesplan.problems import Location, Problem, Severity
from salesplan.render.problems import ProblemFormat, render_problems, warnings_line


@pytest.mark.parametrize(
    ("fmt", "name"),
    [
        (ProblemFormat.TEXT, "problems.txt"),
        (ProblemFormat.JSON, "problems.json"),
        (ProblemFormat.GITHUB, "problems-github.txt"),
    ],
)
def test_golden(fmt: ProblemFormat, name: str) -> None:
    assert_golden(render_problems(sample_problems(), fmt), GOLDEN / name)


def test_text_is_one_line_each() -> None:
    text = render_problems(sample_problems()[:1], ProblemFormat.TEXT)
    assert text == "plans/acme.yaml:12:5: SP201 error: unknown role 'AE2'; did you mean 'AE'?\n"
    assert render_problems([], ProblemFormat.TEXT) == ""


def test_json() -> None:
    doc = json.loads(render_problems(sample_problems(), ProblemFormat.JSON))
    assert doc["schema_version"] == 1
    assert doc["problems"][0] == {
        "path": "plans/acme.yaml",
        "line": 12,
        "col": 5,
        "code": "SP201",
        "severity": "error",
        "message": "unknown role 'AE2'; did you mean 'AE'?",
    }


def test_github_escaping() -> None:
    lines = render_problems(sample_problems(), ProblemFormat.GITHUB).splitlines()
    assert lines[0] == (
        "::error file=plans/acme.yaml,line=12,col=5,title=SP201::"
        "unknown role 'AE2'; did you mean 'AE'?"
    )
    assert lines[1] == (
        "::warning file=plans/a%2Cb%3Ac.yaml,line=3,title=SP401::"
        "win rate 60%25 is above the 40%25 benchmark%0Asee DOMAIN.md"
    )
    assert lines[2] == "::error file=plans/base.yaml,title=SP101::cannot read the file"


HOSTILE_PATH = "plans/\x1b[31mevil\u202e\x9b.yaml"
HOSTILE_MESSAGE = "bad\x1b]8;;http://x\x1b\\ \x07\u2066value\r\n::error file=x::pwned\x85%0A"
CONTROLS = {"\x1b", "\x07", "\x9b", "\u202e", "\u2066", "\x85", "\r"}


def _hostile() -> list[Problem]:
    return [Problem(Location(HOSTILE_PATH, 2, 3), "SP201", Severity.ERROR, HOSTILE_MESSAGE)]


def test_text_is_cleaned() -> None:
    text = render_problems(_hostile(), ProblemFormat.TEXT)
    assert not set(text) & CONTROLS
    assert text == (
        "plans/[31mevil.yaml:2:3: SP201 error: bad]8;;http://x\\ value ::error file=x::pwned %0A\n"
    )


def test_json_is_cleaned() -> None:
    text = render_problems(_hostile(), ProblemFormat.JSON)
    assert not set(text) & CONTROLS
    assert "\\u001b" not in text and "\\u0007" not in text and "\\r" not in text
    problem = json.loads(text)["problems"][0]
    assert problem["path"] == "plans/[31mevil.yaml"
    assert problem["message"] == "bad]8;;http://x\\ value\n::error file=x::pwned\n%0A"


def test_github_message_cannot_break_out_of_its_command() -> None:
    text = render_problems(_hostile(), ProblemFormat.GITHUB)
    assert not set(text) & CONTROLS
    assert text.count("\n") == 1 and text.endswith("\n")
    assert text == (
        "::error file=plans/[31mevil.yaml,line=2,col=3,title=SP201::"
        "bad]8;;http://x\\ value%0A::error file=x::pwned%0A%250A\n"
    )


def test_github_property_cannot_end_the_properties() -> None:
    problem = Problem(Location("a::b,c\nd.yaml", 1), "SP101", Severity.WARNING, "m")
    line = render_problems([problem], ProblemFormat.GITHUB)
    assert line == "::warning file=a%3A%3Ab%2Cc%0Ad.yaml,line=1,title=SP101::m\n"


def test_the_warnings_line_counts_codes_and_names_the_path_cleanly() -> None:
    # A path is what the user typed: control characters go, and it is never split.
    at = Location("p.yaml", 1, 1)
    found = [Problem(at, "SP402", Severity.WARNING, "x")] * 2 + [
        Problem(at, "SP301", Severity.WARNING, "y")
    ]
    path = "plans/\x1b[31mred/" + "a" * 60 + ".yaml"
    text = warnings_line(found, path, 40)
    assert "\x1b" not in text and text.endswith("\n")
    said = " ".join(text.split())
    assert said.startswith("salesplan: 3 warnings (SP301, SP402 ×2): see salesplan check")
    assert all(len(line) <= 40 for line in text.splitlines()[:-1])
    assert text.split()[-1].startswith("plans/") and text.split()[-1].endswith("a.yaml")
