"""Terminal view: golden text at width 100, colour only on request, wide tables fitted by
leaving out the least important columns, never a line wider than the width."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st
from render_sample import GOLDEN, chart_report, sample_report, wide_report
from rich.cells import cell_len
from tests.golden import assert_golden

from salesplan.render.terminal import render_terminal
from salesplan.render.terminal_chart import chart_lines
from salesplan.report.table import NA, Column, Kind, Report, Table


def test_golden() -> None:
    assert_golden(render_terminal(sample_report(), width=100, color=False), GOLDEN / "report.txt")


def test_plain_has_no_ansi_and_colour_has() -> None:
    plain = render_terminal(sample_report(), width=100, color=False)
    assert "\x1b" not in plain
    assert "!" not in plain and "Capacity gap" in plain
    coloured = render_terminal(sample_report(), width=100, color=True)
    assert "\x1b[" in coloured
    assert "\x1b[1;33mCapacity gap" in coloured  # the warning is bold yellow


def test_default_width_is_100() -> None:
    assert render_terminal(sample_report()) == render_terminal(sample_report(), width=100)


def test_wide_table_keeps_the_columns_that_fit_and_says_which_are_left_out() -> None:
    text = render_terminal(wide_report(), width=100)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 100
    assert "(1/" not in text  # no numbered parts
    shown = [m for m in range(1, 15) if f"Month {m}" in text.split("Not shown")[0]]
    assert shown == list(range(1, len(shown) + 1)) and 3 <= len(shown) < 14  # left to right
    for month in shown:  # every figure shown is printed whole
        assert f"${1_000_000 * month:,}" in text
    note = " ".join(text.split("Not shown at 100 columns: ")[1].split())
    left_out = ", ".join(f"Month {m}" for m in range(len(shown) + 1, 15))
    assert note.startswith(f"{left_out}. See every column with --width ")
    assert note.endswith("-t quota -f csv, or -o plan.xlsx.")
    needed = int(note.split("--width ")[1].split(",")[0])
    assert "Not shown" not in render_terminal(wide_report(), width=needed)
    assert "Not shown" in render_terminal(wide_report(), width=needed - 1)
    assert_golden(text, GOLDEN / "wide.txt")


def test_priority_decides_which_columns_stay() -> None:
    table = wide_report().tables[0]
    columns = list(table.columns)
    columns[14] = replace(columns[14], priority=0)  # month 14 matters most
    columns[1] = replace(columns[1], priority=99)  # month 1 least
    report = Report("plan", "Wide", (replace(table, columns=tuple(columns)),))
    shown = render_terminal(report, width=100).split("Not shown")[0]
    assert "Month 14" in shown and "Month 1 " not in shown and "Month 2" in shown
    # Shown in the table's own order, whatever their priority.
    assert shown.index("Month 2") < shown.index("Month 14")


def test_a_machine_key_goes_before_any_figure_and_the_note_reads_as_the_header() -> None:
    columns = (
        Column("metric", "Metric", Kind.TEXT, machine=True),
        Column("outcome", "Outcome", Kind.TEXT),
        *(Column(f"v{i}", f"Q{i % 4 + 1}", Kind.MONEY, unit=str(2027 + i // 4)) for i in range(6)),
    )
    rows = (("first_year_revenue", "First-year revenue", *[1_234_567.0] * 6),)
    table = Table("t", "T", columns, (*rows, *rows), key_columns=2)
    wide = render_terminal(Report("x", "R", (table,)), width=200)
    assert "first_year_revenue" in wide and "Not shown" not in wide
    narrow = render_terminal(Report("x", "R", (table,)), width=90)
    shown, note = narrow.split("Not shown")
    assert "first_year_revenue" not in shown and "First-year revenue" in shown
    assert " ".join(note.split()).startswith("at 90 columns: Metric")
    narrower = render_terminal(Report("x", "R", (table,)), width=60)
    assert "Metric, Q3 (2028), Q4 (2028), Q1 (2028), Q2 (2028)" not in narrower  # in order
    note = " ".join(narrower.split("Not shown at 60 columns: ")[1].split())
    assert note.startswith("Metric, ") and "(2028)" in note


def test_a_long_key_path_breaks_between_its_parts() -> None:
    columns = (Column("input", "Input", Kind.TEXT), Column("v", "Value"))
    path = "tiers.mid_market.motions.inbound.stages.opportunity.rate"
    table = Table("t", "T", columns, ((path, 0.25), ("x", 1.0)))
    text = render_terminal(Report("x", "R", (table,)), width=30)
    body = text.split("─\n", 1)[1]  # the rows, under the header's rule
    firsts = [line.split()[0] for line in body.splitlines() if line.strip()]
    pieces = firsts[: firsts.index("x")]
    assert "".join(pieces) == path and len(pieces) > 1
    assert all(piece.endswith(".") for piece in pieces[:-1])  # cut after a dot, not mid-word


def test_a_footnote_goes_with_its_column() -> None:
    columns = (Column("k", "Key", Kind.TEXT), *(Column(f"v{i}", f"Value {i}") for i in range(9)))
    rows = (("a", *[1234567.0] * 8, NA("the reason")), ("b", *[1.0] * 9))
    table = Table("t", "T", columns, rows)
    wide = render_terminal(Report("x", "R", (table,)), width=200)
    narrow = render_terminal(Report("x", "R", (table,)), width=60)
    assert "¹ the reason" in wide
    assert "Value 8" not in narrow.split("Not shown")[0] and "the reason" not in narrow


def test_narrow_width() -> None:
    text = render_terminal(sample_report(), width=60)
    assert max(len(line) for line in text.splitlines()) <= 60
    assert "$1,234,567" in text


def test_labels_never_break_and_text_wraps_at_spaces() -> None:
    table = Table(
        "t",
        "Labels",
        (
            Column("period", "Period", Kind.TEXT),
            Column("note", "Note", Kind.TEXT),
            *(Column(f"v{i}", f"Value {i}", Kind.MONEY) for i in range(6)),
        ),
        (
            ("2027-01..2028-12", "a reason that is long enough to wrap", *[1e6] * 6),
            ("2029-01..2029-12", "short", *[2e6] * 6),
        ),
    )
    text = render_terminal(Report("test", "Labels", (table,)), width=60)
    assert "Not shown at 60 columns: " in text
    assert text.count("2027-01..2028-12") == 1  # whole
    words = [w for line in text.splitlines() for w in line.split()]
    for word in ("reason", "long", "enough", "wrap"):
        assert word in words  # wrapped between words, none cut in two


def test_control_characters_never_reach_the_terminal() -> None:
    from salesplan.report.table import Column, Kind, Report, Table

    table = Table(
        "t",
        "Pods \x1b[2J",
        (Column("title", "Title", Kind.TEXT), Column("n", "Heads", Kind.COUNT)),
        (("\x1b]0;owned\x07SMB pod", 1), ("Mid\x9b31m", 2)),
        notes=("note\x1b[31m",),
    )
    report = Report("test", "Acme \x1b[31mred", (table,), summary=("hi\x08",))
    for color in (False, True):
        text = render_terminal(report, color=color)
        assert "]0;owned" in text and "SMB pod" in text  # the printable text stays
        assert "\x07" not in text and "\x08" not in text and "\x9b" not in text
        assert "\x1b[2J" not in text and "\x1b]" not in text and "\x1b[31mred" not in text


BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


def test_bidi_controls_never_reach_the_terminal() -> None:
    from salesplan.report.table import Column, Kind, Report, Table

    def hostile(text: str) -> str:
        return "".join(f"{c}{text}" for c in BIDI)

    table = Table(
        "t",
        hostile("Pods"),
        (
            Column("title", hostile("Title"), Kind.TEXT, unit=hostile("u")),
            Column("n", "Heads", Kind.COUNT),
        ),
        ((hostile("exe.txt"), 1), ("Mid", 2)),
        notes=(hostile("note"),),
    )
    report = Report("test", hostile("Acme"), (table,), summary=(hostile("hi"), "! " + hostile("w")))
    wide = Table(  # one row too wide for the width is drawn as "title  value" lines
        "w",
        hostile("Wide"),
        tuple(Column(f"c{i}", hostile(f"Column {i}"), Kind.TEXT) for i in range(12)),
        (tuple(hostile(f"value {i}") for i in range(12)),),
    )
    for color in (False, True):
        for shown in (report, Report("test", "W", (wide,))):
            text = render_terminal(shown, width=60, color=color)
            assert not set(text) & set(BIDI), text
    text = render_terminal(report, width=100)
    assert "Acme" in text and "exe.txt" in text and "note" in text and "Title" in text


def test_carriage_return_in_a_cell_is_a_line_break() -> None:
    from salesplan.report.table import Column, Kind, Report, Table

    table = Table("t", "T", (Column("a", "A", Kind.TEXT),), (("over\rwrite",),))
    text = render_terminal(Report("test", "R", (table,)))
    assert "\r" not in text
    assert "over\n" in text and " write\n" in text


def test_charts_come_after_the_summary_and_before_the_tables() -> None:
    report = chart_report()
    text = render_terminal(report, width=80)
    first_chart = chart_lines(report.charts[0], 80, currency="USD")
    assert first_chart[0] in text
    at = text.index(first_chart[0])
    assert text.index("Capacity gap") < at < text.index("Plan by tier")
    for chart in report.charts:
        for line in chart_lines(chart, 80, currency="USD"):
            assert line in text
    assert max(cell_len(line) for line in text.splitlines()) <= 80


# Text a plan could hold: wide and combining characters, tabs, line breaks, controls.
_TEXT = st.text(
    st.sampled_from([*"abc xyz-./:", "日", "本", "é", "\u0301", "\t", "\n", "\x1b", "\u202e"])
    | st.characters(),
    max_size=30,
)
_KINDS = st.sampled_from(list(Kind))
_CELLS = {
    Kind.TEXT: _TEXT,
    Kind.COUNT: st.floats(-1e12, 1e12),
    Kind.MONEY: st.floats(-1e15, 1e15),
    Kind.RATE: st.floats(-100, 100),
    Kind.NUMBER: st.floats(-1e9, 1e9) | st.integers(-(10**9), 10**9),
}


@st.composite
def tables(draw: st.DrawFn) -> Table:
    """Return a table of 1 to 14 columns of any kind, any text and 0 to 6 rows."""
    kinds = draw(st.lists(_KINDS, min_size=1, max_size=14))
    columns = tuple(
        Column(
            f"c{i}",
            draw(_TEXT),
            kind,
            unit=draw(st.sampled_from(["", "months", "per year and per head"])),
            digits=draw(st.integers(0, 3)),
            priority=draw(st.none() | st.integers(0, 20)),
        )
        for i, kind in enumerate(kinds)
    )
    rows = draw(
        st.lists(
            st.tuples(*(_CELLS[k] | st.just(NA("why")) | st.none() for k in kinds)),
            max_size=6,
        )
    )
    return Table(
        "t",
        draw(_TEXT),
        columns,
        tuple(rows),
        key_columns=draw(st.integers(0, 3)),
        notes=tuple(draw(st.lists(_TEXT, max_size=2))),
    )


@settings(max_examples=150, deadline=None)
@given(table=tables(), width=st.integers(40, 300), title=_TEXT)
def test_no_line_is_ever_wider_than_the_width(table: Table, width: int, title: str) -> None:
    report = Report("plan", title, (table,), summary=(title,))
    for color in (False, True):
        text = render_terminal(report, width=width, color=color)
        if not color:
            widths = [cell_len(line) for line in text.splitlines()]
            assert max(widths) <= width, text
