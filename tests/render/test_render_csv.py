"""CSV: raw numbers, formula neutralisation, cleaned text, sections for several tables, dialects."""

from __future__ import annotations

import csv
import io

from hypothesis import given
from hypothesis import strategies as st
from render_sample import GOLDEN, plan_table, sample_report
from tests.golden import assert_golden

from salesplan.render.cells import tidy_float
from salesplan.render.csv_out import BOM, FORMULA_PREFIXES, CsvDialect, raw_number, render_csv
from salesplan.report.table import Column, Kind, Report, Table


def test_golden() -> None:
    assert_golden(render_csv(sample_report()), GOLDEN / "report.csv")


def test_one_table_is_plain_csv() -> None:
    text = render_csv(Report("plan", "P", (plan_table(),)))
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["tier", "new_customers", "new_arr", "win_rate", "cac_payback", "note"]
    assert rows[1] == ["Enterprise", "12.0", "1234567", "0.253", "14.25", "'=SUM(A1)"]
    assert rows[2] == ["Mid-market", "1234", "-1234.4", "0.1", "n/a", "'-foo"]
    assert rows[3] == ['SMB, "self-serve"\nonline', "0.1", "-0.2", "n/a", "n/a", ""]
    assert "\r" not in text
    assert not text.startswith(BOM)


def test_parses_back_to_the_raw_numbers() -> None:
    report = sample_report()
    rows = list(csv.reader(io.StringIO(render_csv(report))))
    plan = [r for r in rows if r and r[0] == "plan"]
    assert [float(r[3]) for r in plan] == [1234567, -1234.4, -0.2]
    assert [r[4] for r in plan] == ["0.253", "0.1", "n/a"]
    assert rows[0][0] == "table" and [] in rows  # header names the table; one blank line
    pods_header = rows.index([]) + 1
    assert rows[pods_header] == ["table", "pod", "heads", "quota"]
    assert rows[pods_header + 1] == ["pods", "Pod |A|", "5", "2500000.5"]


def test_no_ansi_no_currency_no_percent() -> None:
    text = render_csv(sample_report())
    assert "\x1b" not in text and "$" not in text.replace("$10M", "") and "%" not in text


def test_excel_dialects() -> None:
    excel = render_csv(sample_report(), CsvDialect.EXCEL)
    assert excel.startswith(BOM) and excel[1:] == render_csv(sample_report())
    semi = render_csv(sample_report(), CsvDialect.EXCEL_SEMICOLON)
    assert semi.startswith(BOM)
    rows = list(csv.reader(io.StringIO(semi[1:]), delimiter=";"))
    assert rows[1] == ["plan", "Enterprise", "12,0", "1234567", "0,253", "14,25", "'=SUM(A1)"]
    assert rows[3][1] == 'SMB, "self-serve"\nonline'
    assert_golden(semi, GOLDEN / "report-excel-semicolon.csv")


@given(st.floats(allow_nan=False, allow_infinity=False) | st.integers())
def test_raw_numbers_round_trip(value: float) -> None:
    # Ints exactly; floats to 12 significant digits, which then round-trip exactly.
    parse = int if isinstance(value, int) else float
    want = value if isinstance(value, int) else tidy_float(value)
    assert parse(raw_number(value)) == want
    assert parse(raw_number(value, decimal_comma=True).replace(",", ".")) == want
    if isinstance(value, float):
        assert abs(want - value) <= 5e-12 * abs(value)
        assert tidy_float(want) == want


def _one_text_table(*texts: str, name: str = "t", column: str = "title") -> Report:
    """Return a report of one table whose text cells are ``texts``, one row each."""
    columns = (Column(column, "Title", Kind.TEXT), Column("n", "N", Kind.COUNT))
    return Report("pods", "P", (Table(name, "T", columns, tuple((t, 1) for t in texts)),))


def test_carriage_return_cannot_start_a_row() -> None:
    text = render_csv(_one_text_table("\r=2+2", "a\r\n@SUM(1)", "ok"))
    assert "\r" not in text
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["title", "n"], ["\n'=2+2", "1"], ["a\n'@SUM(1)", "1"], ["ok", "1"]]
    # A reader that splits at every line break regardless of quotes still sees no formula.
    assert not [line for line in text.split("\n") if line.startswith(FORMULA_PREFIXES)]


def test_escape_and_hyperlink_bytes_are_dropped() -> None:
    hostile = "\x1b]8;;http://x\x1b\\click\x1b]8;;\x1b\\ \x07\x9b31m\u202eevil"
    text = render_csv(_one_text_table(hostile, name="pods\x1b[2J", column="ti\x1btle"))
    assert not set(text) & {"\x1b", "\x07", "\x9b", "\u202e"}
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["title", "n"]
    assert rows[1][0] == "]8;;http://x\\click]8;;\\ 31mevil"


def test_line_break_in_a_cell_is_quoted() -> None:
    text = render_csv(_one_text_table("two\nlines", "\u2028-sep"))
    assert '"two\nlines",1\n' in text
    assert '"\n\'-sep",1\n' in text


def test_headers_and_table_names_are_cleaned_and_neutralised() -> None:
    first = Table("=cmd|' /C calc'!A0", "T", (Column("+x\r", "X", Kind.COUNT),), ((1,),))
    second = Table("ok", "T", (Column("y", "Y", Kind.COUNT),), ((2,),))
    rows = list(csv.reader(io.StringIO(render_csv(Report("p", "P", (first, second))))))
    assert rows[0] == ["table", "'+x\n"]
    assert rows[1] == ["'=cmd|' /C calc'!A0", "1"]


# Everything clean() drops: no cell of the CSV may hold one of them.
_DROPPED = {
    *map(chr, range(0x00, 0x09)),
    *map(chr, range(0x0B, 0x20)),
    *map(chr, range(0x7F, 0xA0)),
    *"\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
}

_HOSTILE_TEXT = st.text(
    st.sampled_from([*"=+-@\t\r\n,;\"' a1é", "\x1b", "\x07", "\x85", "\u2028", "\u202e"])
    | st.characters(),
    max_size=12,
)


@given(
    cells=st.lists(st.tuples(_HOSTILE_TEXT, _HOSTILE_TEXT), min_size=1, max_size=4),
    names=st.tuples(_HOSTILE_TEXT, _HOSTILE_TEXT),
    dialect=st.sampled_from(list(CsvDialect)),
)
def test_any_text_parses_back_safely(
    cells: list[tuple[str, str]], names: tuple[str, str], dialect: CsvDialect
) -> None:
    columns = (
        Column("a", "A", Kind.TEXT),
        Column("n", "N", Kind.NUMBER),
        Column(names[1], "B", Kind.TEXT),
    )
    rows = tuple((a, 1.5, b) for a, b in cells)
    tables = (Table(names[0], "T", columns, rows), Table("second", "T", columns, rows[:1]))
    text = render_csv(Report("plan", "P", tables), dialect)
    assert "\r" not in text
    body = text.removeprefix(BOM)
    delimiter = ";" if dialect is CsvDialect.EXCEL_SEMICOLON else ","
    parsed = list(csv.reader(io.StringIO(body), delimiter=delimiter))
    sections = [row for row in parsed if row]
    assert len(sections) == 2 + len(cells) + 1  # two headers, the rows of both tables
    assert {len(row) for row in sections} == {4}
    for row in sections:
        for cell in row:
            assert not set(cell) & _DROPPED
            for line in cell.split("\n"):
                assert not line.startswith(FORMULA_PREFIXES), (cell, row)
    for line in body.split("\n"):
        assert not line.startswith(FORMULA_PREFIXES)
