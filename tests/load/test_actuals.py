"""Reading actuals: what a clean file gives, and the ways of writing one that are accepted.

The bad files are in ``test_actuals_corpus.py``; here the shape of :class:`Actuals`
(metric × key × month, zeros for keys without a row, the last month of actuals), the
dialects and layouts spreadsheets write (a BOM, Excel's ``;`` with decimal commas, CR LF,
quoted cells, padding rows, columns in another order), and the CSV scanner's records.
"""

from __future__ import annotations

import codecs

import pytest

from salesplan.load.actuals import TOTAL, Actuals, Key, PlanNames, read_actuals
from salesplan.load.actuals_data import PlanNames as DataPlanNames
from salesplan.load.csvread import Dialect, read_csv
from tests.load.actuals_base import BASE, names


def read(text: str | bytes) -> Actuals:
    raw = text.encode() if isinstance(text, str) else text
    actuals, problems = read_actuals("actuals.csv", raw, names())
    assert problems == [], "\n".join(map(str, problems))
    assert actuals is not None
    return actuals


BASE_ACTUALS = read(BASE)


def test_plan_names_are_the_plans() -> None:
    n = names()
    assert n.start == "2027-01" and n.months == 12
    assert n.motions == {
        "smb": {"inbound": ("lead", "sql"), "outbound": ("prospect", "sql")},
        "mid": {"outbound": ("prospect", "opportunity")},
    }
    assert n.roles == ("sdr", "ae", "manager")
    assert PlanNames is DataPlanNames


@pytest.mark.parametrize(
    ("start", "index", "label"),
    [("2027-01", 0, "2027-01"), ("2027-01", 11, "2027-12"), ("2027-11", 2, "2028-01")],
)
def test_month_labels_and_indexes(start: str, index: int, label: str) -> None:
    n = PlanNames(start, 24, {}, ())
    assert n.label(index) == label
    assert n.index(int(label[:4]), int(label[5:])) == index


def test_values_by_metric_key_and_month() -> None:
    a = BASE_ACTUALS
    assert a.through == 2 and a.first == 0
    assert set(a.months) == {"entries", "wins", "new_mrr", "heads", "marketing_cost"}
    assert all(r == range(0, 3) for r in a.months.values())
    assert a.series("entries", Key("smb", "inbound", "lead")) == (400, 410, 395)
    assert a.series("wins", Key("smb", "inbound")) == (9, 11, 10)
    assert a.series("heads", Key(role="ae")) == (6, 7, 7)
    assert a.value("new_mrr", Key("smb"), 1) == 5500
    assert a.breakdowns == {
        "entries": ("tier", "motion", "stage"),
        "wins": ("tier", "motion"),
        "new_mrr": ("tier",),
        "heads": ("role",),
        "marketing_cost": ("tier", "motion"),
    }
    assert str(a.cells["heads", Key(role="ae"), 2]) == "actuals.csv:18:7"
    assert a.dialect == Dialect(",", bom=False)


def test_a_key_without_a_row_is_zero_and_a_metric_without_one_is_none() -> None:
    a = BASE_ACTUALS
    assert a.value("heads", Key(role="sdr"), 0) == 0.0  # no sdr rows: none in post
    assert a.series("heads", Key(role="sdr")) == (0.0, 0.0, 0.0)
    assert a.value("heads", Key(role="ae"), 3) is None  # past the last month of actuals
    assert a.value("customers", Key("smb"), 0) is None  # a metric the file does not give
    assert a.series("customers", Key("smb")) == ()


def test_a_metric_may_start_later_than_the_others() -> None:
    later = BASE + "2027-02,customers,smb,,,,120\n2027-03,customers,smb,,,,125\n"
    a = read(later)
    assert a.months["customers"] == range(1, 3)
    assert a.series("customers", Key("smb")) == (120, 125)
    assert a.value("customers", Key("smb"), 0) is None
    assert a.first == 0


def test_a_total_has_the_empty_key() -> None:
    text = "\n".join(
        [
            "month,metric,tier,motion,stage,role,value",
            "2027-01,marketing_cost,,,,,12000.5",
            "2027-02,marketing_cost,,,,,13000",
        ]
    )
    a = read(text)
    assert a.series("marketing_cost") == (12000.5, 13000)
    assert a.breakdowns["marketing_cost"] == ()
    assert str(TOTAL) == "total" and str(Key("smb", "inbound")) == "smb/inbound"


def test_warnings_come_with_the_actuals() -> None:
    raw = BASE.replace("2027-01,wins,smb,inbound,,,9", "2027-01,wins,smb,inbound,,,50").encode()
    actuals, problems = read_actuals("actuals.csv", raw, names())
    assert [p.code for p in problems] == ["SP530"]
    assert actuals is not None and actuals.series("wins", Key("smb", "inbound"))[0] == 50


# -- ways of writing the same file ----------------------------------------------------------


def semicolons(text: str) -> str:
    """Write BASE as Excel does in a comma-decimal locale (values here are whole)."""
    return text.replace(",", ";")


ACCEPTED = {
    "utf-8-bom": codecs.BOM_UTF8 + BASE.encode(),
    "excel-semicolon": codecs.BOM_UTF8 + semicolons(BASE).encode(),
    "crlf": BASE.replace("\n", "\r\n").encode(),
    "cr": BASE.replace("\n", "\r").encode(),
    "no-final-line-break": BASE.rstrip("\n").encode(),
    "quoted-cells": BASE.replace("2027-01,heads,,,,ae,6", '"2027-01","heads","","","","ae","6"')
    .replace("smb,,,,4500", 'smb,,,,"4500"')
    .encode(),
    "spaces-around-cells": BASE.replace("2027-01,heads,,,,ae,6", " 2027-01 , heads,,,, ae ,6 ")
    .replace("smb,,,,4500", 'smb,,,, "4500" ')
    .encode(),
    "blank-lines": BASE.replace("\n2027-02", "\n\n2027-02").encode(),
    "padding-rows": (BASE + ",,,,,,\n,,,,,,\n").encode(),
    "leading-blank-line": ("\n" + BASE).encode(),
    "other-column-order": "\n".join(
        ",".join(reversed(line.split(","))) for line in BASE.splitlines()
    ).encode(),
    "plus-sign": BASE.replace("ae,6", "ae,+6").encode(),
    "exponent-and-decimals": BASE.replace("4500", "4.5e3").replace("8000", "8000.00").encode(),
}


@pytest.mark.parametrize("raw", ACCEPTED.values(), ids=list(ACCEPTED))
def test_accepted_ways_give_the_same_values(raw: bytes) -> None:
    a = read(raw)
    assert a.values == BASE_ACTUALS.values
    assert a.months == BASE_ACTUALS.months


def test_the_dialect_is_detected() -> None:
    assert read(ACCEPTED["utf-8-bom"]).dialect == Dialect(",", bom=True)
    assert read(ACCEPTED["excel-semicolon"]).dialect == Dialect(";", bom=True)


def test_decimal_commas_in_the_semicolon_dialect() -> None:
    text = semicolons(BASE).replace("8000", "8000,25").replace("4500", '"4500,5"')
    a = read(text)
    assert a.value("marketing_cost", Key("smb", "inbound"), 0) == 8000.25
    assert a.value("new_mrr", Key("smb"), 0) == 4500.5


def test_what_salesplan_writes_as_excel_semicolon_is_read() -> None:
    # render/csv_out.py's excel-semicolon dialect: a BOM, ';' and decimal commas.
    from salesplan.render.csv_out import BOM, raw_number

    rows = [
        ["month", "metric", "tier", "motion", "stage", "role", "value"],
        ["2027-01", "new_mrr", "smb", "", "", "", raw_number(4500.25, decimal_comma=True)],
    ]
    a = read(BOM + "\n".join(";".join(r) for r in rows) + "\n")
    assert a.value("new_mrr", Key("smb"), 0) == 4500.25


# -- the CSV scanner ------------------------------------------------------------------------


def test_records_know_their_lines_past_a_line_break_in_a_cell() -> None:
    text = 'a,b\n1,"x\ny"\n2,z\n'
    table, problems = read_csv("f.csv", text.encode())
    assert table is not None
    assert [(r.line, r.cells) for r in table.records] == [(2, ("1", "x\ny")), (4, ("2", "z"))]
    assert [str(p) for p in problems] == [
        "f.csv:2:2: SP504 error: the cell holds a line break (a quoted cell over several "
        "lines): an actuals cell is one line"
    ]


def test_doubled_quotes_are_one_quote() -> None:
    table, problems = read_csv("f.csv", b'a,b\n"say ""hi""",2\n')
    assert problems == [] and table is not None
    assert table.records[0].cells == ('say "hi"', "2")


def test_a_directory_and_a_missing_file_are_problems(tmp_path: object) -> None:
    from salesplan.load.actuals import read_actuals_file

    actuals, problems = read_actuals_file(str(tmp_path), names())
    assert actuals is None and [p.code for p in problems] == ["SP500"]
    assert "directory" in problems[0].message
    actuals, problems = read_actuals_file("no/such/actuals.csv", names())
    assert actuals is None and [p.message for p in problems] == ["no such file"]
