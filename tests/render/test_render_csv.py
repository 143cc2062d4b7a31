"""CSV: one rectangular table, raw numbers, formula neutralisation, cleaned text, dialects."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st
from render_sample import GOLDEN, plan_table, sample_report
from tests.golden import assert_golden

from salesplan.render.cells import tidy_float
from salesplan.render.csv_out import (
    BOM,
    FORMULA_PREFIXES,
    CsvDialect,
    raw_number,
    render_csv,
    render_csv_table,
)
from salesplan.report.table import Column, Kind, Report, Table


def test_golden() -> None:
    assert_golden(render_csv_table(plan_table()), GOLDEN / "report.csv")


def test_a_report_of_several_tables_is_refused() -> None:
    with pytest.raises(ValueError, match=r"CSV holds one table; the report has 2: plan, pods$"):
        render_csv(sample_report())
    assert render_csv(sample_report().only(["pods"])) == render_csv_table(sample_report().tables[1])


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
    for table in sample_report().tables:
        rows = list(csv.reader(io.StringIO(render_csv_table(table))))
        assert {len(row) for row in rows} == {len(table.columns)}  # rectangular, no blank row
    plan = list(csv.reader(io.StringIO(render_csv_table(plan_table()))))[1:]
    assert [float(r[2]) for r in plan] == [1234567, -1234.4, -0.2]
    assert [r[3] for r in plan] == ["0.253", "0.1", "n/a"]
    pods = list(csv.reader(io.StringIO(render_csv_table(sample_report().tables[1]))))
    assert pods[:2] == [["pod", "heads", "quota"], ["Pod |A|", "5", "2500000.5"]]


def test_no_ansi_no_currency_no_percent() -> None:
    for table in sample_report().tables:
        text = render_csv_table(table)
        assert "\x1b" not in text and "$" not in text.replace("$10M", "") and "%" not in text


def test_excel_dialects() -> None:
    excel = render_csv_table(plan_table(), CsvDialect.EXCEL)
    assert excel.startswith(BOM) and excel[1:] == render_csv_table(plan_table())
    semi = render_csv_table(plan_table(), CsvDialect.EXCEL_SEMICOLON)
    assert semi.startswith(BOM)
    rows = list(csv.reader(io.StringIO(semi[1:]), delimiter=";"))
    assert rows[1] == ["Enterprise", "12,0", "1234567", "0,253", "14,25", "'=SUM(A1)"]
    assert rows[3][0] == 'SMB, "self-serve"\nonline'
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


def test_headers_are_cleaned_and_neutralised() -> None:
    table = Table(
        "t", "T", (Column("+x\r", "X", Kind.COUNT), Column("=y", "Y", Kind.TEXT)), ((1, "a"),)
    )
    rows = list(csv.reader(io.StringIO(render_csv_table(table))))
    assert rows == [["'+x\n", "'=y"], ["1", "a"]]


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
    cells=st.lists(st.tuples(_HOSTILE_TEXT, _HOSTILE_TEXT), min_size=0, max_size=4),
    name=_HOSTILE_TEXT,
    dialect=st.sampled_from(list(CsvDialect)),
)
def test_any_text_parses_back_safely(
    cells: list[tuple[str, str]], name: str, dialect: CsvDialect
) -> None:
    columns = (
        Column("a", "A", Kind.TEXT),
        Column("n", "N", Kind.NUMBER),
        Column(name, "B", Kind.TEXT),
    )
    rows = tuple((a, 1.5, b) for a, b in cells)
    text = render_csv_table(Table("t", "T", columns, rows), dialect)
    assert "\r" not in text
    body = text.removeprefix(BOM)
    delimiter = ";" if dialect is CsvDialect.EXCEL_SEMICOLON else ","
    parsed = list(csv.reader(io.StringIO(body), delimiter=delimiter))
    # One header and a row a row, every one as long as the header: a rectangle.
    assert len(parsed) == 1 + len(cells)
    assert {len(row) for row in parsed} == {3}
    for row in parsed:
        for cell in row:
            assert not set(cell) & _DROPPED
            for line in cell.split("\n"):
                assert not line.startswith(FORMULA_PREFIXES), (cell, row)
    for line in body.split("\n"):
        assert not line.startswith(FORMULA_PREFIXES)
