"""What ships beside the code stays true to it: starters, the schema file, the format docs,
the README's commands, and the example plans."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from tools.format_doc import plan_format_markdown
from typer.main import get_command
from typer.testing import CliRunner

from salesplan.cli import app
from salesplan.load.schema import json_schema
from tests.conftest import shell_words
from tests.paths import ROOT

STARTERS = ROOT / "src" / "salesplan" / "starters"
STAGES = ("seed", "series-a", "series-b", "growth")
COMMANDS = sorted(get_command(app).commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("stage", STAGES)
def test_starter_is_the_example_plan(stage: str) -> None:
    """`init` writes the example plan, with the schema line pointing beside it."""
    config = (ROOT / "configs" / f"{stage}.yaml").read_text("utf-8").splitlines()
    starter = (STARTERS / f"{stage}.yaml").read_text("utf-8").splitlines()
    assert config[0] == "# yaml-language-server: $schema=../schema/plan.schema.json"
    assert starter[0] == "# yaml-language-server: $schema=plan.schema.json"
    assert starter[1:] == config[1:]


def test_every_shipped_plan_names_the_schema() -> None:
    for path in sorted((ROOT / "configs").rglob("*.yaml")):
        first = path.read_text("utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        target = first.split("$schema=", 1)[1]
        assert (path.parent / target).resolve() == ROOT / "schema" / "plan.schema.json", path


# What a user of the repository does not have: the reference pages kept beside it.
OUTSIDE = ("../shared", "shared/MODEL.md", "shared/DOMAIN.md", "MODEL.md", "DOMAIN.md")
TEXT_FILES = (".py", ".md", ".yaml", ".yml", ".json", ".toml", ".txt")


def _shipped_text_files() -> list[Path]:
    """Return the README and the text files under docs/, src/, configs/ and schema/."""
    files = [ROOT / "README.md"]
    for top in ("docs", "src", "configs", "schema"):
        for path in sorted((ROOT / top).rglob("*")):
            skipped = any(
                part.endswith(".egg-info") or part == "__pycache__" for part in path.parts
            )
            if path.is_file() and path.suffix in TEXT_FILES and not skipped:
                files.append(path)
    return files


def test_the_repository_stands_alone() -> None:
    """README, docs and the package name no page outside the repository (docs/model.md and
    docs/sources.md say it all in the project's own words)."""
    found = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in _shipped_text_files()
        for name in OUTSIDE
        if name in path.read_text("utf-8")
    ]
    assert not found, found


def test_schema_file_matches_the_code() -> None:
    shipped = json.loads((ROOT / "schema" / "plan.schema.json").read_text("utf-8"))
    assert shipped == json_schema(), "run: salesplan schema -o schema/plan.schema.json"


def test_format_reference_matches_the_schema() -> None:
    shipped = (ROOT / "docs" / "plan-format.md").read_text("utf-8")
    assert shipped == plan_format_markdown(), "run: make docs"


def test_readme_lists_every_command() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    commands = set(COMMANDS)
    listed = set(re.findall(r"`salesplan ([a-z]+)", readme))
    assert commands <= listed, f"commands missing from the README: {commands - listed}"
    assert listed - {"--help"} <= commands, f"README names unknown commands: {listed - commands}"


def test_readme_starts_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    block = readme.split("```sh", 1)[1].split("```", 1)[0]
    assert [line.split("#")[0].strip() for line in block.strip().splitlines()] == [
        "make run",
        "make test",
    ]


def test_ci_runs_the_readme_test_command() -> None:
    script = (ROOT / ".ci" / "run").read_text("utf-8")
    commands = [line for line in script.splitlines() if line and not line.startswith("#")]
    assert commands[-1].strip() == "make test"


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_is_clear(command: str | None) -> None:
    args = ["--help"] if command is None else [command, "--help"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "Usage: salesplan" in result.stdout
    assert "Traceback" not in result.stdout


@pytest.mark.parametrize(
    ("path", "checked"),
    [
        ("plans/series-a.yaml", True),
        ("sales/plans/2027.yml", True),
        ("plan/base.yaml", True),
        ("q3.plan.yaml", True),
        (".github/workflows/ci.yaml", False),
        ("docker-compose.yml", False),
        ("configs/settings.yaml", False),
    ],
)
def test_pre_commit_hook_checks_plan_files_only(path: str, checked: bool) -> None:
    import yaml

    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert hook["entry"] == "salesplan check" and hook["language"] == "python"
    # pre-commit matches `files` with re.search against the path from the repository root.
    assert bool(re.search(hook["files"], path)) is checked


def _readme_examples() -> list[tuple[str, list[str]]]:
    """Return each ``$ salesplan ...`` example in the README and the lines it shows."""
    text = (ROOT / "README.md").read_text("utf-8")
    out = []
    for block in re.findall(r"```text\n(\$ salesplan [^\n]*)\n(.*?)```", text, re.S):
        command, shown = block
        out.append((command, shown.splitlines()))
    return out


@pytest.mark.parametrize(("command", "shown"), _readme_examples(), ids=lambda x: str(x)[:40])
def test_readme_examples_are_real_output(
    command: str, shown: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The output as the command prints it, blank lines included; a line "…" marks where an
    # excerpt leaves lines out, so each run of lines between marks is the output's own run,
    # and a block that does not start (end) with a mark starts (ends) where the output does.
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("NO_COLOR", "1")
    result = CliRunner().invoke(app, shell_words(command)[2:])  # after "$ salesplan"
    assert result.exit_code == 0
    out = result.stdout.rstrip("\n").splitlines()
    runs: list[list[str]] = [[]]
    for line in shown:
        if line == "…":
            runs.append([])
        else:
            runs[-1].append(line)
    at = 0
    for n, lines in enumerate(runs):
        if not lines:
            continue
        starts = [
            i
            for i in range(at, len(out) - len(lines) + 1)
            if out[i : i + len(lines)] == lines and (n or i == 0)
        ]
        assert starts, f"not the output's own lines: {lines[0]!r} … {lines[-1]!r}"
        at = starts[0] + len(lines)
    assert shown[-1] == "…" or at == len(out), "the block ends before the output: end it with …"


def test_readme_has_examples() -> None:
    assert len(_readme_examples()) >= 2
