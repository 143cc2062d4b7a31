"""Property: whatever bytes an actuals file holds, reading it never raises.

It gives either actuals without errors or at least one located problem with a known code,
and the problems render in every format.  Inputs are arbitrary bytes and text, CSV-looking
text made of the format's own words, and small mutations of the shipped sample (the most
realistic way for a file of actuals to go wrong).
"""

from __future__ import annotations

import codecs
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salesplan.choices import ProblemFormat
from salesplan.load.actuals import Actuals, PlanNames, read_actuals
from salesplan.load.plan import load_plan
from salesplan.problems import has_errors
from salesplan.problems.codes import BY_CODE
from salesplan.render import render_problems
from tests.paths import CONFIGS

SAMPLE = (CONFIGS / "actuals" / "series-a-2027-q1.csv").read_text(encoding="utf-8")
SAMPLE_LINES = SAMPLE.splitlines(keepends=True)
FILE_LEVEL = {"SP500", "SP502"}  # about the whole file: no line to point at

FAST = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)


def series_a_names() -> PlanNames:
    loaded, _ = load_plan(str(CONFIGS / "series-a.yaml"))
    assert loaded is not None
    return PlanNames.of(loaded.plan)


NAMES = series_a_names()


def assert_reads_or_locates(data: str | bytes) -> None:
    """The property: no exception; actuals without errors, or located, coded problems."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    actuals, problems = read_actuals("actuals.csv", raw, NAMES)
    for p in problems:
        assert p.code in BY_CODE and p.code.startswith("SP5"), p
        assert p.message.strip(), p
        assert p.location.path == "actuals.csv"
        if p.code not in FILE_LEVEL and p.location.line:
            assert p.location.line >= 1 and p.location.col >= 1, p
    if actuals is None:
        assert has_errors(problems), problems
    else:
        assert not has_errors(problems), problems
        assert_whole(actuals)
    for fmt in ProblemFormat:
        render_problems(problems, fmt)


def assert_whole(actuals: Actuals) -> None:
    """Every metric reaches the last month of actuals, one value per key and month."""
    for metric, months in actuals.months.items():
        assert months.stop == actuals.through + 1 and 0 <= months.start <= actuals.through
        for key, series in actuals.values[metric].items():
            assert len(series) == len(months), (metric, key)
            assert all(v >= 0 for v in series)


@FAST
@given(st.binary(max_size=300))
def test_arbitrary_bytes(data: bytes) -> None:
    assert_reads_or_locates(data)


@FAST
@given(st.text(max_size=300))
def test_arbitrary_text(text: str) -> None:
    assert_reads_or_locates(text)


TOKENS = st.sampled_from(
    [",", ",", ",", ";", '"', '""', "\n", "\r\n", "\r", " ", "\t", "\ufeff", "\x00", "=", "-",
     "+", "@", "month", "metric", "tier", "motion", "stage", "role", "value", "2027-01",
     "2027-03", "2026-12", "2029-01", "2027-1", "entries", "wins", "heads", "marketing_cost",
     "new_mrr", "smb", "mid_market", "inbound", "outbound", "lead", "sql", "won", "ae", "sdr",
     "0", "1", "12", "-3", "1,5", "2.5", "1e99", "nan", "n/a", "x"]
)  # fmt: skip
HEADER = "month,metric,tier,motion,stage,role,value\n"


@FAST
@given(st.lists(TOKENS, max_size=80).map("".join))
def test_csv_looking_text(text: str) -> None:
    assert_reads_or_locates(text)
    assert_reads_or_locates(HEADER + text)


ROW = st.tuples(
    st.sampled_from(["2027-01", "2027-02", "2027-03", "2027-04", "2027-13", ""]),
    st.sampled_from(["entries", "wins", "heads", "starts", "marketing_cost", "mrr", "x"]),
    st.sampled_from(["", "smb", "mid_market", "enterprise"]),
    st.sampled_from(["", "inbound", "outbound"]),
    st.sampled_from(["", "lead", "mql", "sql", "opportunity", "won"]),
    st.sampled_from(["", "ae", "sdr", "vp"]),
    st.sampled_from(["0", "1", "3", "2.5", "-1", "", "=1", "1e14"]),
).map(",".join)


@FAST
@given(st.lists(ROW, max_size=40))
def test_rows_of_the_format(rows: list[str]) -> None:
    assert_reads_or_locates(HEADER + "\n".join(rows))


# -- mutations of the shipped sample --------------------------------------------------------

REPLACEMENTS = st.sampled_from(
    ["", "x", "-1", "1.5", "1,5", "=A1", "-A1", "@x", '"', '"a\nb"', "nan", "2027-04",
     "2026-12", "heads", "smb", "won", "ae", "sdr", ",", ";", "1e400", "\ufeff"]
)  # fmt: skip
LINE = st.integers(min_value=0, max_value=len(SAMPLE_LINES) - 1)
CELL = st.integers(min_value=0, max_value=6)


def delete_line(lines: list[str], i: int, *_: Any) -> list[str]:
    return lines[:i] + lines[i + 1 :]


def duplicate_line(lines: list[str], i: int, *_: Any) -> list[str]:
    return lines[: i + 1] + lines[i:]


def swap_lines(lines: list[str], i: int, j: int, *_: Any) -> list[str]:
    out = list(lines)
    j %= len(out)
    out[i], out[j] = out[j], out[i]
    return out


def change_cell(lines: list[str], i: int, cell: int, new: str) -> list[str]:
    cells = lines[i].rstrip("\n").split(",")
    cells[cell % len(cells)] = new
    return [*lines[:i], ",".join(cells) + "\n", *lines[i + 1 :]]


MUTATION = st.one_of(
    st.tuples(st.just(delete_line), LINE),
    st.tuples(st.just(duplicate_line), LINE),
    st.tuples(st.just(swap_lines), LINE, LINE),
    st.tuples(st.just(change_cell), LINE, CELL, REPLACEMENTS),
)


def test_the_sample_reads_clean() -> None:
    actuals, problems = read_actuals("actuals.csv", SAMPLE.encode(), NAMES)
    assert problems == [] and actuals is not None


@FAST
@given(st.lists(MUTATION, min_size=1, max_size=3), st.booleans())
def test_mutations_of_the_sample(mutations: list[tuple[Any, ...]], excel: bool) -> None:
    lines = list(SAMPLE_LINES)
    for fn, i, *args in mutations:
        if not lines:
            break
        lines = fn(lines, min(i, len(lines) - 1), *args)
    text = "".join(lines)
    if excel:
        text = text.replace(",", ";")
    raw = (codecs.BOM_UTF8 if excel else b"") + text.encode()
    assert_reads_or_locates(raw)
