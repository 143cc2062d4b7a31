"""Where a report goes: the format from ``-o FILE``'s extension, ``-o DIR/`` (one CSV a table),
workbooks and HTML, and the refusals (a conflicting pair, several tables in one CSV)."""

from __future__ import annotations

import csv
import io
import json
import sys
import zipfile
from pathlib import Path

import pytest
import typer
from typer.main import get_command
from typer.testing import CliRunner

from salesplan.choices import FORMAT_OF_EXTENSION, OutputFormat
from salesplan.cli import app
from salesplan.cli.output import destination, emit
from tests.conftest import Cli, warnings_of
from tests.paths import ROOT

OK = "tests/plans/cli/ok.yaml"
SCENARIOS = sorted(
    str(p.relative_to(ROOT)) for p in (ROOT / "configs" / "scenarios").glob("*.yaml")
)
SHIPPED = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "configs").glob("*.yaml")) + SCENARIOS


# -- the format from the extension ------------------------------------------------------------


def test_the_extension_map_is_closed_and_covers_every_format() -> None:
    assert list(FORMAT_OF_EXTENSION) == [".csv", ".json", ".md", ".html", ".xlsx", ".txt"]
    named = set(FORMAT_OF_EXTENSION.values()) | {OutputFormat.TEXT}
    assert named == set(OutputFormat)


def test_format_help_lists_the_extensions(cli: Cli) -> None:
    out = " ".join(cli("plan", "--help").out.split())
    for ext, fmt in FORMAT_OF_EXTENSION.items():
        assert f"{ext} {fmt.value}" in out


@pytest.mark.parametrize(
    ("name", "check"),
    [
        ("plan.json", lambda data: json.loads(data)["kind"] == "plan"),
        ("plan.md", lambda data: data.startswith(b"# Sales plan: ")),
        ("plan.html", lambda data: data.startswith(b"<!DOCTYPE html>")),
        ("plan.xlsx", lambda data: zipfile.is_zipfile(io.BytesIO(data))),
        ("plan.txt", lambda data: data.startswith(b"Sales plan: ") and b"\x1b" not in data),
        ("plan.CSV", lambda data: data.startswith(b"role,start_month,")),
    ],
)
def test_the_extension_picks_the_format(cli: Cli, tmp_path: Path, name: str, check: object) -> None:
    args = ["-t", "hires"] if name.lower().endswith(".csv") else []
    code, out, err = cli("plan", OK, "-o", str(tmp_path / name), *args)
    assert (code, out, err) == (0, "", "")
    assert callable(check) and check((tmp_path / name).read_bytes())


def test_an_unknown_extension_gets_the_terminal_view(cli: Cli, tmp_path: Path) -> None:
    code, _, _ = cli("plan", OK, "-o", str(tmp_path / "plan.out"))
    assert code == 0
    assert (tmp_path / "plan.out").read_text("utf-8") == cli("plan", OK, "--width", "100").out


@pytest.mark.parametrize(
    ("name", "fmt"), [("x.csv", "json"), ("x.xlsx", "csv"), ("x.md", "table"), ("x.txt", "html")]
)
def test_a_conflicting_pair_is_a_usage_error(cli: Cli, tmp_path: Path, name: str, fmt: str) -> None:
    code, out, err = cli("plan", OK, "-o", str(tmp_path / name), "-f", fmt)
    assert (code, out) == (2, "")
    by_name = FORMAT_OF_EXTENSION[Path(name).suffix].value
    article = "an" if by_name == "xlsx" else "a"
    assert err == (
        f"salesplan: error: -o {tmp_path / name} names {article} {by_name} file but --format is "
        f"{fmt}; drop one of them, or name the file for its format\n"
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("name", "fmt"), [("x.txt", "text"), ("x.txt", "table"), ("x.md", "markdown")]
)
def test_an_agreeing_pair_is_fine(cli: Cli, tmp_path: Path, name: str, fmt: str) -> None:
    assert cli("plan", OK, "-o", str(tmp_path / name), "-f", fmt).code == 0


def test_format_wins_over_a_name_without_a_known_extension(cli: Cli, tmp_path: Path) -> None:
    code, _, _ = cli("plan", OK, "-o", str(tmp_path / "report"), "-f", "json")
    assert code == 0
    assert json.loads((tmp_path / "report").read_text("utf-8"))["kind"] == "plan"


# -- workbooks: bytes, never to a terminal --------------------------------------------------


def test_a_workbook_goes_down_a_pipe(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(app, ["comp", OK, "-f", "xlsx"])
    assert result.exit_code == 0
    assert zipfile.is_zipfile(io.BytesIO(result.stdout_bytes))


class _Terminal(io.StringIO):
    """A stdout that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_a_workbook_to_a_terminal_is_refused(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdout", _Terminal())
    with pytest.raises(typer.Exit) as caught:
        destination(OutputFormat.XLSX, None, None)
    assert caught.value.exit_code == 2
    assert capsys.readouterr().err == (
        "salesplan: error: --format xlsx writes a binary workbook, not for a terminal: "
        "name a file (-o report.xlsx) or pipe it\n"
    )
    assert destination(OutputFormat.XLSX, "plan.xlsx", None).target == "plan.xlsx"


# -- CSV: one table a file ------------------------------------------------------------------


def test_a_directory_gets_one_csv_per_table(cli: Cli, tmp_path: Path) -> None:
    out_dir = tmp_path / "new"  # made when missing, as the trailing / says it is a directory
    code, out, err = cli("comp", OK, "-o", f"{out_dir}/")
    assert (code, out) == (0, "")
    names = ["comp", "comp_cost", "quota_cohorts", "quota_coverage"]
    written = ", ".join(f"{n}.csv" for n in names)
    assert err == f"salesplan: wrote {len(names)} table(s) to {out_dir}/: {written}\n"
    assert sorted(p.name for p in out_dir.iterdir()) == [f"{n}.csv" for n in names]
    # An existing directory needs no slash; files are replaced, others left alone.
    (out_dir / "mine.txt").write_text("keep", "utf-8")
    assert cli("comp", OK, "-o", str(out_dir)).code == 0
    assert sorted(p.name for p in out_dir.iterdir()) == sorted(
        [*(f"{n}.csv" for n in names), "mine.txt"]
    )
    assert (out_dir / "comp.csv").read_text("utf-8") == cli(
        "comp", OK, "-f", "csv", "-t", "comp"
    ).out


def test_a_directory_with_another_format_is_refused(cli: Cli, tmp_path: Path) -> None:
    code, _, err = cli("comp", OK, "-o", f"{tmp_path}/", "-f", "json")
    assert code == 2
    assert err == (
        f"salesplan: error: -o {tmp_path}/: a directory takes one CSV file per table; "
        f"--format json writes one file: name it (e.g. -o {tmp_path}/report.json)\n"
    )


def test_a_directory_in_a_missing_directory_is_a_usage_error(cli: Cli, tmp_path: Path) -> None:
    code, _, err = cli("comp", OK, "-o", f"{tmp_path}/no/such/")
    assert code == 2
    assert err.startswith(f"salesplan: error: -o {tmp_path}/no/such/: cannot make the directory")


def test_a_directory_takes_the_tables_asked_for(cli: Cli, tmp_path: Path) -> None:
    code, _, _ = cli("plan", OK, "-t", "hires", "-t", "headcount", "-o", f"{tmp_path}/")
    assert code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["headcount.csv", "hires.csv"]


def _report_commands() -> list[str]:
    """Return the commands that write reports: those with a --table option."""
    group = get_command(app)
    return sorted(
        name
        for name, command in group.commands.items()  # type: ignore[attr-defined]
        if any("--table" in getattr(param, "opts", ()) for param in command.params)
    )


REPORT_COMMANDS = _report_commands()
# The plans each command takes: diff two, compare several, the rest one; track a plan and
# its actuals, which only some plans have.
TWO_PLANS = ("diff",)
MANY_PLANS = ("compare",)
ACTUALS = {"configs/series-a.yaml": "configs/actuals/series-a-2027-q1.csv"}
# What solve and explain are asked on every plan (a budget some plans cannot meet: exit 1).
QUESTIONS = {"solve": ["--budget", "20000000"], "explain": ["arr", "plan"]}


def _assert_rectangles(directory: Path) -> None:
    """Every file parses with Python's csv into rows as long as its header."""
    files = list(directory.iterdir())
    assert files
    for path in files:
        rows = list(csv.reader(io.StringIO(path.read_text("utf-8"), newline="")))
        assert rows, path
        assert {len(row) for row in rows} == {len(rows[0])}, path


def test_the_report_commands_are_found() -> None:
    assert {
        "plan",
        "pods",
        "comp",
        "economics",
        "simulate",
        "sensitivity",
        "diff",
        "compare",
    } <= set(REPORT_COMMANDS)


@pytest.mark.parametrize("plan", SHIPPED)
def test_every_csv_of_every_shipped_plan_is_a_rectangle(
    cli: Cli, tmp_path: Path, plan: str
) -> None:
    for command in REPORT_COMMANDS:
        if command in TWO_PLANS:
            plans = [SHIPPED[0], plan]
        elif command in MANY_PLANS:
            plans = [plan, SHIPPED[0]]
        elif command in ("track", "reforecast"):
            if plan not in ACTUALS:
                continue
            plans = [plan, ACTUALS[plan]]
        else:
            plans = [plan]
        extra = (
            ["--trials", "50"]
            if command in ("simulate", "reforecast")
            else QUESTIONS.get(command, [])
        )
        # plan: the first screen's tables, and every table by month.
        for period in (["--all", "--period", "month"], []) if command == "plan" else ([],):
            directory = tmp_path / f"{command}{''.join(period)}"
            result = cli(command, *plans, *extra, *period, "-o", f"{directory}/")
            assert result.code == 0 or (result.code == 1 and command == "solve"), result.err
            _assert_rectangles(directory)


def test_warnings_still_go_to_stderr_with_a_directory(cli: Cli, tmp_path: Path) -> None:
    plan = "configs/series-a.yaml"
    code, _, err = cli("comp", plan, "-o", f"{tmp_path}/")
    assert code == 0
    assert err.startswith(warnings_of(plan))


# -- charts: pictures where a format can draw them, data where it cannot -----------------------


def _emitted(capsys: pytest.CaptureFixture[str], *args: object, **kwargs: object) -> str:
    from tests.render.render_sample import chart_report

    emit(chart_report(), destination(*args, **kwargs))  # type: ignore[arg-type]
    return capsys.readouterr().out


def test_a_chart_named_comes_as_the_table_of_its_series_in_csv(
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = _emitted(capsys, OutputFormat.CSV, None, None, tables=["funnel"])
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["series", "label", "value", "low", "high"]
    assert rows[1] == ["Volume", "Leads", "12400.0", "9920.0", "14260.0"]
    assert len(rows) == 1 + 5
    tornado = list(
        csv.reader(
            io.StringIO(_emitted(capsys, OutputFormat.CSV, None, None, tables=["sensitivity"]))
        )
    )
    assert tornado[0] == ["series", "label", "value", "base"]


def test_a_directory_leaves_charts_out_unless_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _emitted(capsys, None, f"{tmp_path}/all/", None)
    assert sorted(p.name for p in (tmp_path / "all").iterdir()) == ["plan.csv", "pods.csv"]
    _emitted(capsys, None, f"{tmp_path}/some/", None, tables=["pods", "arr"])
    assert sorted(p.name for p in (tmp_path / "some").iterdir()) == ["arr.csv", "pods.csv"]


def test_charts_stay_charts_where_they_can_be_drawn(capsys: pytest.CaptureFixture[str]) -> None:
    only = json.loads(_emitted(capsys, OutputFormat.JSON, None, None, tables=["arr"]))
    assert (only["tables"], [c["name"] for c in only["charts"]]) == ([], ["arr"])
    every = json.loads(_emitted(capsys, OutputFormat.JSON, None, None))
    assert len(every["charts"]) == 5
    text = _emitted(capsys, OutputFormat.TABLE, None, 80, tables=["arr"])
    assert "Ending ARR by month" in text and "▁" in text and "Plan by tier" not in text


def test_an_unknown_name_lists_the_tables_and_the_charts(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(typer.Exit):
        _emitted(capsys, OutputFormat.CSV, None, None, tables=["nope"])
    assert capsys.readouterr().err == (
        "salesplan: error: no table nope; tables: plan, pods; "
        "charts: arr, heads, funnel, sensitivity, hires\n"
    )


# -- the pager ----------------------------------------------------------------------------------


def _terminal(monkeypatch: pytest.MonkeyPatch) -> _Terminal:
    """Make stdout a terminal 10 lines tall, colour off, for the rest of the test (set in
    the test itself: pytest puts its own capture back on sys.stdout after the fixtures)."""
    stream = _Terminal()
    monkeypatch.setattr(sys, "stdout", stream)
    monkeypatch.setenv("LINES", "10")
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("NO_COLOR", "1")
    return stream


def _report() -> object:
    from tests.render.render_sample import sample_report

    return sample_report()


def test_a_view_longer_than_the_terminal_goes_to_the_pager(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    terminal = _terminal(monkeypatch)
    paged = tmp_path / "paged.txt"
    monkeypatch.setenv("PAGER", f'cat > {paged}; echo "$LESS" > {tmp_path / "less"}')
    emit(_report(), destination(None, None, None))  # type: ignore[arg-type]
    assert terminal.getvalue() == ""
    assert paged.read_text("utf-8").startswith("Acme 2027 sales plan\n")
    assert (tmp_path / "less").read_text("utf-8") == "FRX\n"  # as git sets it


def test_no_pager_and_short_views_and_other_formats_print_straight(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    terminal = _terminal(monkeypatch)
    monkeypatch.setenv("PAGER", f"cat > {tmp_path / 'paged.txt'}")
    emit(_report(), destination(None, None, None, no_pager=True))  # type: ignore[arg-type]
    emit(_report(), destination(OutputFormat.MARKDOWN, None, None))  # type: ignore[arg-type]
    monkeypatch.setenv("LINES", "500")
    emit(_report(), destination(None, None, None))  # type: ignore[arg-type]
    assert not (tmp_path / "paged.txt").exists()
    assert terminal.getvalue().count("Acme 2027 sales plan") == 3


def test_a_pager_that_cannot_be_found_leaves_the_view_on_stdout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    terminal = _terminal(monkeypatch)
    monkeypatch.setenv("PAGER", "no-such-pager-salesplan")
    emit(_report(), destination(None, None, None))  # type: ignore[arg-type]
    assert terminal.getvalue().startswith("Acme 2027 sales plan\n")


def test_never_a_pager_when_piped(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAGER", "false")  # would swallow the view
    monkeypatch.setenv("LINES", "5")
    assert cli("plan", OK).out.startswith("Sales plan: Probe")
