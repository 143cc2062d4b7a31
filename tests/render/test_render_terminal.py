"""Terminal view: golden text at width 100, colour only on request, wide tables split."""

from __future__ import annotations

from render_sample import GOLDEN, sample_report, wide_report
from tests.golden import assert_golden

from salesplan.render.terminal import render_terminal


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


def test_wide_table_is_split_not_squeezed() -> None:
    text = render_terminal(wide_report(), width=100)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 100
    assert "Quota by month (1/3)" in text and "Quota by month (3/3)" in text
    for month in range(1, 15):  # every figure printed whole on one line
        assert f"${1_000_000 * month:,}" in text
        assert f"Month {month}" in text
    assert text.count("(enterprise)") == 3  # the key column repeats in each part
    assert_golden(text, GOLDEN / "wide.txt")


def test_narrow_width() -> None:
    text = render_terminal(sample_report(), width=60)
    assert max(len(line) for line in text.splitlines()) <= 60
    assert "$1,234,567" in text


def test_labels_never_break_and_text_wraps_at_spaces() -> None:
    from salesplan.report.table import Column, Kind, Report, Table

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
    parts = text.count("Labels (")
    assert parts >= 2 and text.count("2027-01..2028-12") == parts  # whole, in every part
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
