"""Excel workbook: sheets, typed cells, formats, frozen panes, n/a comments, same bytes."""

from __future__ import annotations

import csv
import io
import math
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import Cell as XlCell
from openpyxl.comments import Comment
from openpyxl.utils import get_column_letter
from openpyxl.utils.escape import unescape
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from render_sample import GOLDEN, NO_CUSTOMERS, sample_report
from tests.golden import assert_golden

from salesplan.render.json_out import report_json
from salesplan.render.xlsx import (
    ABOUT_SHEET,
    COMMENT_AUTHOR,
    SHEET_NAME_FORBIDDEN,
    cell_text,
    number_format,
    render_xlsx,
    sheet_names,
)
from salesplan.report.table import AS_WRITTEN, NA, Cell, Column, Kind, Report, Table

REPO = Path(__file__).resolve().parents[2]


def load(report: Report) -> Workbook:
    """Return the rendered workbook as openpyxl reads it back."""
    return openpyxl.load_workbook(io.BytesIO(render_xlsx(report)))


def comment_text(comment: Comment) -> str:
    """Return a comment's text as Excel shows it.

    OOXML stores a literal ``_xHHHH_`` as ``_x005F_xHHHH_``; openpyxl undoes that for cell
    text but not for comments.
    """
    return unescape(comment.text)


def one_table(*columns: Column, rows: tuple[tuple[Cell, ...], ...], **kw: Any) -> Report:
    """Return a report holding one table named ``t``."""
    return Report("plan", "P", (Table("t", "T", columns, rows, **kw),))


def describe(cell: XlCell) -> str:
    """Return one line for the golden dump: place, type, value, number format, style."""
    parts = [cell.coordinate, cell.data_type, repr(cell.value), cell.number_format]
    parts += [name for name, on in (("bold", cell.font.b), ("italic", cell.font.i)) if on]
    color = cell.font.color.rgb if cell.font.color is not None else None
    if isinstance(color, str):
        parts.append(f"color={color}")
    if cell.alignment.horizontal:
        parts.append(f"align={cell.alignment.horizontal}")
    if cell.alignment.wrap_text:
        parts.append("wrap")
    if cell.hyperlink is not None:
        parts.append(f"link={cell.hyperlink.location or cell.hyperlink.target}")
    if cell.comment is not None:
        parts.append(f"comment={cell.comment.text!r} by {cell.comment.author}")
    return "  ".join(parts)


def dump(book: Workbook) -> str:
    """Return a readable text dump of a workbook: per sheet its layout, then every cell."""
    lines = []
    for sheet in book.worksheets:
        widths = " ".join(
            f"{get_column_letter(dim.min)}:{get_column_letter(dim.max)}={dim.width:g}"
            for dim in sheet.column_dimensions.values()
        )
        lines += [
            f"[{sheet.title}]",
            f"freeze={sheet.freeze_panes} filter={sheet.auto_filter.ref} widths: {widths}",
        ]
        lines += [describe(c) for row in sheet.iter_rows() for c in row if c.value is not None]
        lines.append("")
    return "\n".join(lines)


def test_golden() -> None:
    assert_golden(dump(load(sample_report())), GOLDEN / "report.xlsx.txt")


def test_sheets_and_headers() -> None:
    book = load(sample_report())
    assert book.sheetnames == [ABOUT_SHEET, "plan", "pods"]
    plan = book["plan"]
    titles = [c.value for c in plan[1]]
    assert titles == [
        "Tier",
        "New customers (customers)",
        "New ARR",
        "Win rate",
        "CAC payback (months)",
        "Note",
    ]
    assert all(c.font.b for c in plan[1])
    assert [c.value for c in book["pods"][1]] == ["POD", "Heads (people)", "Quota (per year)"]


def test_about_sheet() -> None:
    about = load(sample_report())[ABOUT_SHEET]
    assert about["A1"].value == "Acme 2027 sales plan" and about["A1"].font.b
    assert (about["A3"].value, about["B3"].value) == ("plan", "acme.yaml")
    assert (about["A4"].value, about["B4"].value) == ("currency", "USD")
    assert about["A6"].value == "Target: $10M new ARR in 2027" and not about["A6"].font.b
    warning = about["A7"]
    assert warning.value == "Warning: Capacity gap: 3 more AEs needed in Q2" and warning.font.b
    assert about["A10"].value == "plan" and about["A10"].hyperlink.location == "'plan'!A1"
    assert about["B11"].value == "PODs"


def as_openpyxl_reads(text: str) -> str:
    """Return text as openpyxl 3.1 reads it from the shared strings: it deletes every
    ``x005F_`` (meaning to undo the ``_x005F_`` escape), so ``"x005F_"`` reads as ``""``.
    The workbook holds the text as written; this is the reader's doing."""
    return text.replace("x005F_", "")


def assert_same_values(sheet: Worksheet, table: dict[str, Any]) -> None:
    """Assert that a sheet's data cells hold the JSON renderer's values, NA as n/a + reason."""
    names = [c["name"] for c in table["columns"]]
    reasons = {(na["row"], na["column"]): na["reason"] for na in table["na"]}
    for i, record in enumerate(table["rows"]):
        for j, name in enumerate(names):
            cell = sheet.cell(row=i + 2, column=j + 1)
            expected = record[name]
            if (i, name) in reasons:
                assert cell.value == "n/a" and cell.data_type == "s"
                assert cell.comment is not None
                assert comment_text(cell.comment) == cell_text(reasons[i, name])
                assert cell.comment.author == COMMENT_AUTHOR
            elif isinstance(expected, str) and cell_text(expected):
                assert cell.data_type == "s"
                assert cell.value == as_openpyxl_reads(cell_text(expected)), (i, name)
            elif isinstance(expected, str) or expected is None:
                # Excel has no empty string: empty text is an empty cell.
                assert cell.value is None, (i, name)
            else:
                assert cell.data_type == "n" and cell.value == expected, (i, name)
                assert cell.comment is None


def test_values_equal_the_json_values() -> None:
    report = sample_report()
    book = load(report)
    for sheet, table in zip(book.worksheets[1:], report_json(report)["tables"], strict=True):
        assert_same_values(sheet, table)


def test_number_formats_by_kind() -> None:
    book = load(sample_report())
    plan, pods = book["plan"], book["pods"]
    assert [c.number_format for c in plan[2]] == [
        "General",
        "#,##0.0",
        "$#,##0",
        "0.0%",
        "0.0",
        "General",
    ]
    assert [c.number_format for c in pods[2]] == ["General", "#,##0", '"€"#,##0.00']


@pytest.mark.parametrize(
    ("column", "currency", "expected"),
    [
        (Column("m", "M", Kind.MONEY), "USD", "$#,##0"),
        (Column("m", "M", Kind.MONEY, digits=2), "GBP", '"£"#,##0.00'),
        (Column("m", "M", Kind.MONEY), "JPY", '"¥"#,##0'),
        (Column("m", "M", Kind.MONEY, digits=1), "CHF", '"CHF "#,##0.0'),
        (Column("m", "M", Kind.MONEY), 'X"Y', '"XY "#,##0'),
        (Column("r", "R", Kind.RATE), "USD", "0%"),
        (Column("r", "R", Kind.RATE, digits=2), "USD", "0.00%"),
        (Column("c", "C", Kind.COUNT), "USD", "#,##0"),
        (Column("c", "C", Kind.COUNT, digits=2), "USD", "#,##0.00"),
        (Column("n", "N", Kind.NUMBER), "USD", "0"),
        (Column("n", "N", Kind.NUMBER, digits=3), "USD", "0.000"),
        (Column("n", "N", Kind.NUMBER, digits=AS_WRITTEN), "USD", "General"),
        (Column("t", "T", Kind.TEXT), "USD", "General"),
    ],
)
def test_number_format(column: Column, currency: str, expected: str) -> None:
    assert number_format(column, currency) == expected


def test_currency_comes_from_the_table_then_the_report() -> None:
    money = Column("m", "M", Kind.MONEY)
    table = Table("t", "T", (money,), ((1.0,),))
    gbp = Report("plan", "P", (table,), meta={"currency": "GBP"})
    assert load(gbp)["t"]["A2"].number_format == '"£"#,##0'
    chf = Table("t", "T", (money,), ((1.0,),), meta={"currency": "chf"})
    assert load(Report("plan", "P", (chf,), meta={"currency": "GBP"}))["t"]["A2"].number_format == (
        '"CHF "#,##0'
    )


def test_frozen_panes_filter_and_notes() -> None:
    book = load(sample_report())
    plan = book["plan"]
    assert plan.freeze_panes == "B2"
    assert plan.auto_filter.ref == "A1:F4"
    assert plan["A5"].value is None and plan["A6"].value == "Win rate is per qualified opportunity."
    two_keys = one_table(
        Column("tier", "Tier", Kind.TEXT),
        Column("month", "Month", Kind.TEXT),
        Column("heads", "Heads", Kind.COUNT),
        rows=(("SMB", "2027-01", 3),),
        key_columns=2,
    )
    assert load(two_keys)["t"].freeze_panes == "C2"


def test_column_widths_follow_the_longest_value_and_are_capped() -> None:
    report = one_table(
        Column("a", "A", Kind.TEXT),
        Column("b", "B", Kind.TEXT),
        Column("m", "M", Kind.MONEY),
        rows=(("x", "y" * 500, 1234567.0),),
    )
    widths = {k: d.width for k, d in load(report)["t"].column_dimensions.items()}
    assert widths["A"] < widths["C"] < widths["B"] <= 61  # "$1,234,567" is 10 wide


def test_formula_looking_text_stays_text() -> None:
    data = load(sample_report())
    cell = data["plan"]["F2"]
    assert cell.value == "=SUM(A1)" and cell.data_type == "s"
    assert data["plan"]["F3"].value == "-foo" and data["plan"]["F3"].data_type == "s"
    with zipfile.ZipFile(io.BytesIO(render_xlsx(sample_report()))) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any(b"<f>" in archive.read(n) for n in sheets)


def test_control_and_bidi_characters_are_dropped() -> None:
    report = Report(
        "plan",
        "Acme\x1b[31m\u202e",
        (
            Table(
                "t\x07a[b]",
                "Title\x1b",
                (Column("x", "X\x00", Kind.TEXT, unit="u\x9b"), Column("n", "N", Kind.NUMBER)),
                (("red\x1b[0m\r\nnext\x07", NA("why\x1b\u2066")),),
                notes=("note\x08\rline",),
            ),
        ),
        meta={"plan\x1b": "a\x85b"},
        summary=("! gap\x1b",),
    )
    book = load(report)
    assert book.sheetnames == [ABOUT_SHEET, "ta_b_"]
    sheet = book["ta_b_"]
    assert sheet["A1"].value == "X (u)"
    assert sheet["A2"].value == "red[0m\nnext" and sheet["A2"].alignment.wrap_text
    assert sheet["B2"].comment.text == "why"
    assert sheet["A4"].value == "note\nline"
    about = book[ABOUT_SHEET]
    assert about["A1"].value == "Acme[31m"
    assert (about["A3"].value, about["B3"].value) == ("plan", "a\nb")
    assert about["A5"].value == "Warning: gap"
    assert about["B8"].value == "Title"


def test_none_and_empty_text_are_empty_cells() -> None:
    report = one_table(
        Column("a", "A", Kind.TEXT), Column("b", "B", Kind.MONEY), rows=(("", None),)
    )
    sheet = load(report)["t"]
    assert sheet["A2"].value is None and sheet["B2"].value is None


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_is_refused(bad: float) -> None:
    with pytest.raises(ValueError, match="row 0 column x"):
        render_xlsx(one_table(Column("x", "X", Kind.NUMBER), rows=((bad,),)))


def test_sheet_names_are_made_valid_and_unique() -> None:
    names = [
        "plan",
        "PLAN",
        "a/b:c*d?e[f]g\\h",
        "x" * 40,
        "x" * 40,
        "'quoted'",
        "",
        "history",
        "about",
        "Straße",
        "STRASSE",
    ]
    assert sheet_names(names) == [
        "plan",
        "PLAN (2)",
        "a_b_c_d_e_f_g_h",
        "x" * 31,
        "x" * 27 + " (2)",
        "quoted",
        "Sheet 7",
        "history (2)",
        "about (2)",
        "Straße",
        "STRASSE (2)",
    ]


def report_with_tables(names: list[str]) -> Report:
    """Return a report with one single-cell table per name."""
    column = (Column("x", "X", Kind.COUNT),)
    return Report("plan", "P", tuple(Table(n, n, column, ((i,),)) for i, n in enumerate(names)))


# Names Excel refuses or reserves, characters it forbids or counts twice, controls.
SHEET_NAMES = st.sampled_from(["About", "history", "x" * 31]) | st.text(
    st.sampled_from("aAß'[]:*?/\\ \t\x1b\u202e\U0001f600") | st.characters(), max_size=40
)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(SHEET_NAMES, max_size=5))
def test_any_table_names_give_a_valid_workbook(names: list[str]) -> None:
    chosen = sheet_names(names)
    for name in chosen:
        assert name and len(name.encode("utf-16-le")) // 2 <= 31
        assert not set(name) & set(SHEET_NAME_FORBIDDEN) and not name.startswith("'")
        assert not name.endswith("'")
    assert len({n.casefold() for n in [ABOUT_SHEET, *chosen]}) == len(chosen) + 1
    book = load(report_with_tables(names))
    assert book.sheetnames == [ABOUT_SHEET, *chosen]


def render_elsewhere(env: dict[str, str]) -> bytes:
    """Return the sample workbook rendered by a fresh Python process with extra env vars."""
    code = (
        "import sys; from render_sample import sample_report; "
        "from salesplan.render.xlsx import render_xlsx; "
        "sys.stdout.buffer.write(render_xlsx(sample_report()))"
    )
    full_env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), **env}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, env=full_env, check=True, cwd=REPO
    )
    return result.stdout


def test_same_report_same_bytes() -> None:
    here = render_xlsx(sample_report())
    assert render_xlsx(sample_report()) == here
    # Another process, hash seed and time zone must not change a byte.
    assert render_elsewhere({"PYTHONHASHSEED": "1", "TZ": "UTC"}) == here
    assert render_elsewhere({"PYTHONHASHSEED": "2", "TZ": "Pacific/Kiritimati"}) == here
    with zipfile.ZipFile(io.BytesIO(here)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert re.findall(r"<dcterms:\w+ [^>]*>([^<]*)<", core) == ["2000-01-01T00:00:00Z"] * 2


def test_xlsxwriter_is_imported_only_to_write_a_workbook() -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    code = "import sys, salesplan.render.xlsx; print('xlsxwriter' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert result.stdout.strip() == "False"
    help_run = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "salesplan", "--help"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert "xlsxwriter" not in help_run.stderr


def soffice_csv(workbook: bytes, tmp_path: Path) -> dict[str, list[list[str]]]:
    """Return each sheet of a workbook as LibreOffice exports it to CSV, by sheet name."""
    soffice = shutil.which("soffice")
    assert soffice is not None
    source = tmp_path / "report.xlsx"
    source.write_bytes(workbook)
    out = tmp_path / "out"
    # Fields: comma, double quote, UTF-8, from line 1, -, -, quote text only as needed,
    # -, raw values (not as shown), -, -, sheet -1 = every sheet to its own file.
    csv_filter = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            csv_filter,
            "--outdir",
            str(out),
            str(source),
        ],
        capture_output=True,
        check=True,
        timeout=180,
    )
    sheets = {}
    for path in sorted(out.glob("report*.csv")):
        # LibreOffice before 7.2 writes only the first sheet, as report.csv.
        name = path.stem.removeprefix("report-") if path.stem != "report" else ABOUT_SHEET
        with path.open(encoding="utf-8", newline="") as handle:
            sheets[name] = list(csv.reader(handle))
    return sheets


def lo_number(text: str) -> float:
    """Return a number as LibreOffice writes it raw (a percent-formatted cell keeps its %)."""
    return float(text[:-1]) / 100 if text.endswith("%") else float(text)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not on PATH")
def test_libreoffice_reads_the_workbook(tmp_path: Path) -> None:
    report = sample_report()
    sheets = soffice_csv(render_xlsx(report), tmp_path)
    about = sheets[ABOUT_SHEET]
    assert about[0][0] == "Acme 2027 sales plan"
    assert ["plan", "acme.yaml"] in about and ["currency", "USD"] in about
    assert about[6][0] == "Warning: Capacity gap: 3 more AEs needed in Q2"
    if "plan" not in sheets:
        return
    plan = sheets["plan"]
    table = report_json(report)["tables"][0]
    assert plan[0][0] == "Tier" and plan[0][4] == "CAC payback (months)"
    for i, record in enumerate(table["rows"]):
        for j, expected in enumerate(record.values()):
            got = plan[i + 1][j]
            if isinstance(expected, int | float):
                assert lo_number(got) == pytest.approx(expected, rel=1e-12), (i, j)
            elif expected is None:
                assert got in {"n/a", ""}
            else:
                assert got == expected
    assert plan[5][0] == "Win rate is per qualified opportunity."


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not on PATH")
def test_libreoffice_reads_escape_lookalike_text(tmp_path: Path) -> None:
    report = one_table(Column("a", "A", Kind.TEXT), rows=(("_x0041_ =1+1",),))
    sheets = soffice_csv(render_xlsx(report), tmp_path)
    assert sheets["t"][1] == ["_x0041_ =1+1"]


# Excel holds numbers as doubles and shows 15 significant digits: larger ints lose digits.
EXCEL_INTS = st.integers(min_value=-(10**15), max_value=10**15)
FINITE = st.floats(allow_nan=False, allow_infinity=False)
# Text that looks like OOXML's own _xHHHH_ escape must come back as written.
TEXT = st.text(max_size=12) | st.from_regex(r"_x[0-9A-Fa-f]{4}_", fullmatch=True)
CELLS = st.one_of(
    st.none(),
    TEXT,
    EXCEL_INTS,
    FINITE,
    st.builds(NA, TEXT),
)


@st.composite
def tables(draw: st.DrawFn) -> Table:
    """Draw a table of random kinds, digits and cells."""
    kinds = draw(st.lists(st.sampled_from(list(Kind)), min_size=1, max_size=4))
    columns = tuple(
        Column(f"c{i}", f"C{i}", kind, digits=draw(st.integers(AS_WRITTEN, 3)))
        for i, kind in enumerate(kinds)
    )
    row = st.tuples(*(CELLS for _ in columns))
    rows = tuple(draw(st.lists(row, max_size=4)))
    currency = draw(st.sampled_from(["USD", "EUR", "JPY", "CHF"]))
    keys = draw(st.integers(0, len(columns)))
    return Table("t", "T", columns, rows, key_columns=keys, meta={"currency": currency})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_any_table_round_trips(table: Table) -> None:
    report = Report("plan", "P", (table,))
    assert_same_values(load(report)["t"], report_json(report)["tables"][0])


def test_na_reason_text_is_kept() -> None:
    report = one_table(Column("x", "X", Kind.MONEY), rows=((NO_CUSTOMERS,), (NO_CUSTOMERS,)))
    sheet = load(report)["t"]
    assert [sheet["A2"].comment.text, sheet["A3"].comment.text] == [NO_CUSTOMERS.reason] * 2
    assert sheet["A2"].alignment.horizontal == "right"


def test_lone_surrogates_are_dropped() -> None:
    report = one_table(Column("a", "A", Kind.TEXT), rows=(("a\ud800b",),))
    assert load(report)["t"]["A2"].value == "ab"
