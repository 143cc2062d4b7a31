"""Problems as text, JSON and GitHub annotations."""

from __future__ import annotations

import json

import pytest
from render_sample import GOLDEN, sample_problems
from tests.golden import assert_golden

from salesplan.render.problems import ProblemFormat, render_problems


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
