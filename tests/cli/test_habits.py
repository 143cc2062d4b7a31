"""The command line's habits: examples in every --help (each one run), plain metavars,
errors in salesplan's own words, shell completion, and ``-`` as PLAN reading stdin."""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from salesplan.cli import (
    app,
    ask,
    check,
    plan,
    reforecast,
    report,
    review,
    setup,
    simulate,
    track,
)
from tests.conftest import Cli, shell_words
from tests.paths import ROOT

COMMANDS = sorted(get_command(app).commands)  # type: ignore[attr-defined]
EXAMPLES = {
    name: examples
    for module in (ask, check, plan, reforecast, report, review, setup, simulate, track)
    for name, examples in module.EXAMPLES.items()
}
SERIES_A = "configs/series-a.yaml"
# What Typer and Click would print of their own: none of it may reach the user.
FOREIGN = re.compile(
    r"\{[A-Z]+(\.\.\.)?\}|<list\[|<int range>|<float range>|<path>|<str>|<int>|<float>"
)


# -- help -----------------------------------------------------------------------------------


def test_every_command_has_examples() -> None:
    assert set(EXAMPLES) == set(COMMANDS)


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_has_examples_and_plain_metavars(cli: Cli, command: str | None) -> None:
    args = ["--help"] if command is None else [command, "--help"]
    code, out, _ = cli(*args)
    assert code == 0
    assert "\n  Examples:\n" in out
    assert not FOREIGN.search(out), FOREIGN.search(out)
    for what, line in EXAMPLES.get(command or "", ()):
        # Each example shows in full, its comment above it (long ones continued with \).
        shown = " ".join(out.split()).replace(" \\ ", " ")
        assert f"# {line} {what}" in shown


def test_usage_lines_name_arguments_plainly(cli: Cli) -> None:
    usage = {c: cli(c, "--help").out.splitlines()[0] for c in ("check", "plan", "diff", "compare")}
    assert usage == {
        "check": "Usage: salesplan check [OPTIONS] PLAN...",
        "plan": "Usage: salesplan plan [OPTIONS] PLAN",
        "diff": "Usage: salesplan diff [OPTIONS] BASE HEAD",
        "compare": "Usage: salesplan compare [OPTIONS] PLAN...",
    }


def _sandbox(tmp_path: Path) -> Path:
    """Return a directory holding a copy of the example plans, committed to git when git is
    there (the diff examples name HEAD:configs/…)."""
    shutil.copytree(ROOT / "configs", tmp_path / "configs")
    shutil.copytree(ROOT / "schema", tmp_path / "schema")
    if shutil.which("git"):
        for args in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "plans"]):
            subprocess.run(
                ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
                cwd=tmp_path,
                check=True,
                capture_output=True,
            )
    return tmp_path


@pytest.mark.parametrize(
    "example",
    [line for examples in EXAMPLES.values() for line, _ in examples],
)
def test_every_example_runs(example: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if "HEAD:" in example and not shutil.which("git"):
        pytest.skip("git is not installed")
    monkeypatch.chdir(_sandbox(tmp_path))
    monkeypatch.setenv("NO_COLOR", "1")
    words = shell_words(example)  # as a shell reads it: `<` is a redirection
    assert words[0] == "salesplan"
    stdin = None
    if "<" in words:  # `salesplan plan - < FILE`: the file on stdin
        at = words.index("<")
        stdin = Path(words[at + 1]).read_text("utf-8")
        words = words[:at]
    args = [w for word in words[1:] for w in (sorted(glob.glob(word)) if "*" in word else [word])]
    result = CliRunner().invoke(app, args, input=stdin)
    assert result.exit_code == 0, (example, result.stderr)


# -- errors in salesplan's words ------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["plan", SERIES_A, "--period", "week"],
            "--period week: choose month, quarter, year or plan",
        ),
        (
            ["plan", SERIES_A, "-f", "xml"],
            "--format xml: choose table, text, csv, json, markdown, html or xlsx",
        ),
        (["plan", SERIES_A, "--width", "10"], "--width 10: choose a whole number from 60 to 400"),
        (["plan", SERIES_A, "--width", "wide"], "--width wide: expected a whole number"),
        (["plan", SERIES_A, "--width"], "--width needs a value"),
        (
            ["plan", SERIES_A, "--csv-dialect", "tsv"],
            "--csv-dialect tsv: choose rfc, excel or excel-semicolon",
        ),
        (
            ["simulate", SERIES_A, "-n", "0"],
            "--trials 0: choose a whole number from 1 to 1,000,000",
        ),
        (["simulate", SERIES_A, "--seed", "-1"], "--seed -1: choose a whole number of 0 or more"),
        (
            ["simulate", SERIES_A, "--confidence", "2"],
            "--confidence 2: choose a number from 0.01 to 0.99",
        ),
        (["simulate", SERIES_A, "--confidence", "most"], "--confidence most: expected a number"),
        (["sensitivity", SERIES_A, "--swing", "1"], "--swing 1: choose a number from 0.01 to 0.9"),
        (["init", "--stage", "ipo"], "--stage ipo: choose seed, series-a, series-b or growth"),
        (["check", SERIES_A, "-f", "yaml"], "--format yaml: choose text, json, github or sarif"),
        (["plan"], "missing PLAN (see salesplan plan --help)"),
        (["diff", SERIES_A], "missing HEAD (see salesplan diff --help)"),
        (["plan", SERIES_A, "--widht", "80"], "no such option --widht; did you mean --width?"),
        (["plan", SERIES_A, "extra"], "unexpected argument extra (see salesplan plan --help)"),
        (
            ["nope"],
            "no such command nope; commands: check, plan, report, schema, init, diff, "
            "compare, simulate, sensitivity, track, reforecast, solve, explain, pods, comp, "
            "economics",
        ),
    ],
)
def test_usage_errors_are_one_line_in_salesplans_words(
    cli: Cli, args: list[str], message: str
) -> None:
    code, out, err = cli(*args)
    assert (code, out) == (2, "")
    assert err == f"salesplan: error: {message}\n"


def test_no_command_shows_the_help(cli: Cli) -> None:
    code, out, err = cli()
    assert "Usage: salesplan" in out + err
    assert code in (0, 2)


# -- shell completion -----------------------------------------------------------------------


def test_completion_is_on(cli: Cli) -> None:
    out = cli("--help").out
    assert "--install-completion" in out and "--show-completion" in out
    code, script, _ = cli("--show-completion", "bash")
    assert code == 0 and "_SALESPLAN_COMPLETE" in script


@pytest.mark.parametrize(
    ("words", "cword", "offered"),
    [("salesplan pl", 1, ["plan"]), (f"salesplan plan {SERIES_A} --period q", 4, ["quarter"])],
)
def test_completion_completes(words: str, cword: int, offered: list[str]) -> None:
    env = {
        "_SALESPLAN_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(cword),
    }
    result = CliRunner().invoke(app, [], env=env, prog_name="salesplan")
    assert result.stdout.split() == offered


# -- "-" reads the plan from stdin ----------------------------------------------------------


def test_plan_reads_stdin(cli: Cli) -> None:
    text = (ROOT / SERIES_A).read_text("utf-8")
    from_stdin = cli("plan", "-", "--width", "100", stdin=text)
    from_file = cli("plan", SERIES_A, "--width", "100")
    assert from_stdin.code == 0
    assert from_stdin.out == from_file.out
    assert from_stdin.err == from_file.err.replace(SERIES_A, "<stdin>")


@pytest.mark.parametrize("command", ["pods", "comp", "economics", "sensitivity", "check"])
def test_every_plan_command_reads_stdin(cli: Cli, command: str) -> None:
    text = (ROOT / "configs" / "seed.yaml").read_text("utf-8")
    code, out, err = cli(command, "-", stdin=text)
    assert code == 0, err
    assert "<stdin>:" in (out + err)  # problems name the plan as <stdin>


def test_simulate_reads_stdin(cli: Cli) -> None:
    text = (ROOT / SERIES_A).read_text("utf-8")
    assert cli("simulate", "-", "-n", "50", stdin=text).code == 0


def test_problems_in_stdin_are_located_there(cli: Cli) -> None:
    code, out, _ = cli("check", "-", stdin="company: {name: x}\n")
    assert code == 1
    assert out.startswith("<stdin>:")
    assert "SP204" in out


def test_extends_from_stdin_resolves_from_the_current_directory(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    scenario = (ROOT / "configs" / "scenarios" / "hire-faster.yaml").read_text("utf-8")
    monkeypatch.chdir(ROOT / "configs" / "scenarios")  # where its `extends: base.yaml` is
    code, out, err = cli("diff", "base.yaml", "-", "-f", "json", stdin=scenario)
    assert code == 0, err
    assert '"title": "Plan diff: base.yaml → <stdin>"' in out
    monkeypatch.chdir(ROOT)
    code, _, err = cli("plan", "-", stdin=scenario)
    assert code == 1
    assert "<stdin>:" in err and "SP214" in err  # no base.yaml here: said plainly


def test_only_one_plan_from_stdin(cli: Cli) -> None:
    for args in (["diff", "-", "-"], ["compare", SERIES_A, "-", "-"], ["check", "-", "-"]):
        code, _, err = cli(*args, stdin="")
        assert code == 2
        assert err == "salesplan: error: only one plan can be read from stdin (-)\n"


def test_stdin_in_a_real_pipe() -> None:
    text = (ROOT / "configs" / "seed.yaml").read_bytes()
    env = {**os.environ, "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "salesplan", "check", "-"],
        input=text,
        capture_output=True,
        cwd=ROOT,
        env=env,
        check=False,
    )
    assert done.returncode == 0
    assert done.stdout.decode().startswith("<stdin>:")


@pytest.mark.parametrize("command", ["plan", "check", "diff", "simulate"])
def test_help_loads_no_pydantic(command: str) -> None:
    # Typer coerces options through pydantic adapters; the app's own flags are processed on
    # every run, so --help once paid for pydantic to pass None through (see QuickParam).
    code = (
        "import sys\n"
        "from salesplan.cli.app import main\n"
        f"sys.argv = ['salesplan', {command!r}, '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write(str(sorted(m for m in sys.modules if m.startswith('pydantic'))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert "Usage: salesplan" in done.stdout
    assert done.stderr == "[]"


@pytest.mark.parametrize(
    ("args", "absent"),
    [
        # numpy's linear quantile imports numpy.ma (20 ms); CSV and check draw no worlds;
        # no option needs a pydantic adapter (QuickParam: 30 ms).
        (["plan", "configs/series-a.yaml"], ("numpy.ma", "typer._adapters")),
        (
            ["plan", "configs/series-a.yaml", "-f", "csv", "-p", "year"],
            ("numpy.ma", "numpy.random", "typer._adapters"),
        ),
        (["check", "configs/series-a.yaml"], ("numpy.ma", "numpy.random", "typer._adapters")),
        (["simulate", "configs/series-a.yaml", "--trials", "50"], ("typer._adapters",)),
    ],
)
def test_a_run_leaves_out_what_it_does_not_use(args: list[str], absent: tuple[str, ...]) -> None:
    code = (
        "import os, sys\n"
        "os.environ.pop('PYDANTIC_DISABLE_PLUGINS', None)\n"
        "from salesplan.cli.app import main\n"
        f"sys.argv = ['salesplan', *{args!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"sys.stderr.write('loaded: ' + str([m for m in {absent!r} if m in sys.modules]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.stderr.endswith("loaded: []"), done.stderr[-300:]


@pytest.mark.parametrize(
    ("name", "ours", "theirs"),
    [("PYDANTIC_DISABLE_PLUGINS", "__all__", "some_plugin"), ("OPENBLAS_NUM_THREADS", "1", "2")],
)
def test_the_command_line_sets_its_variables_unless_the_user_has(
    name: str, ours: str, theirs: str
) -> None:
    # Set before pydantic and numpy are first imported (each reads its own as it loads).
    code = (
        "import os, sys\n"
        "from salesplan.cli.app import main\n"
        "assert 'numpy' not in sys.modules and 'pydantic' not in sys.modules\n"
        "sys.argv = ['salesplan', 'check', 'configs/seed.yaml']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "assert 'numpy' in sys.modules and 'pydantic' in sys.modules\n"
        f"sys.stderr.write(os.environ[{name!r}])\n"
    )
    for setting, expected in ((theirs, theirs), (None, ours)):
        env = {k: v for k, v in os.environ.items() if k != name}
        if setting is not None:
            env[name] = setting
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env
        )
        assert done.stderr.endswith(expected), done.stderr[-300:]


def test_the_app_builds_only_the_command_that_runs() -> None:
    # Typer would build all sixteen commands (some 30 ms) before running one.
    from typer._click import Context

    from salesplan.cli.parsing import Commands

    group = get_command(app)
    lazy = group.commands  # type: ignore[attr-defined]
    assert isinstance(lazy, Commands)
    ctx = Context(group, info_name="salesplan")
    listed = group.get_help(ctx)
    assert list(lazy) == COMMANDS_IN_ORDER and not lazy._built  # the help built none
    assert group.get_command(ctx, "plan").name == "plan"  # type: ignore[attr-defined]
    assert list(lazy._built) == ["plan"]
    for name in lazy:
        lazy[name]  # build every one: each line of the help is then Click's own
    assert group.get_help(ctx) == listed


COMMANDS_IN_ORDER = [
    "check", "plan", "report", "schema", "init", "diff", "compare", "simulate", "sensitivity",
    "track", "reforecast", "solve", "explain", "pods", "comp", "economics",
]  # fmt: skip


@pytest.mark.parametrize(
    "value",
    [None, "", "7", "007", "-3", "+2", " 7", "1.5", ".5", "5.", "1e3", "1_000", "inf", "nan",
     "abc", "year", "YEAR", "csv", "plans/a.yaml", "-", ("a.yaml", "b.yaml"), ("SP4",), (),
     3, 0.25, True, False, "0" * 4300 + "100", "1" * 4301, "a\x00b", "./configs//seed.yaml"],
)  # fmt: skip
def test_quick_coercion_is_typers_own(value: object) -> None:
    # Every parameter of every command, with values it may meet: QuickParam returns what
    # Typer's pydantic adapter returns, and refuses what it refuses with Typer's words.
    from typer._click import Context
    from typer._click.exceptions import BadParameter
    from typer._coercion import build_runtime_param

    from salesplan.cli.parsing import QuickParam

    group = get_command(app)
    for name in COMMANDS:
        command = group.get_command(Context(group), name)  # type: ignore[attr-defined]
        ctx = Context(command, info_name=name)
        for param in command.params:
            d = param.type_descriptor
            if d.file_annotation is not None:
                continue
            quick = QuickParam(annotation=d.annotation, parameter_info=d.parameter_info)
            typers = build_runtime_param(d)
            outcomes = []
            for runtime in (quick, typers):
                param._runtime_param = None
                try:
                    got = runtime.coerce(value, param, ctx)
                    outcomes.append(("value", type(got), repr(got)))
                except BadParameter as error:
                    outcomes.append(("refused", BadParameter, error.message))
                except Exception as error:  # compared, not hidden
                    outcomes.append(("raised", type(error), str(error)))
            assert outcomes[0] == outcomes[1], (name, param.name, value)


def test_a_path_typer_refuses_is_quoted_as_typed(monkeypatch: pytest.MonkeyPatch) -> None:
    # An existing file that cannot be read: Typer's message quotes './configs//seed.yaml',
    # not the path pydantic would make of it.
    monkeypatch.setattr(os, "access", lambda *args, **kwargs: False)
    test_quick_coercion_is_typers_own("./configs//seed.yaml")
