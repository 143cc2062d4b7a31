"""CSV: raw numbers, formula neutralisation, sections for several tables, Excel dialects."""

from __future__ import annotations

import csv
import io

from hypothesis import given
from hypothesis import strategies as st
from render_sample import GOLDEN, plan_table, sample_report
from tests.golden import assert_golden

from salesplan.render.cells import tidy_float
from salesplan.render.csv_out import BOM, CsvDialect, raw_number, render_csv
from salesplan.report.table import Report


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
