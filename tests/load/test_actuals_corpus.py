"""A corpus of bad actuals files: each is reported with the right code at the exact line:col.

Every case is one edit of ``BASE`` (``actuals_base.py``: three clean months of actuals for
``tests/plans/actuals/plan.yaml``), made to its text or to its bytes, and runs end to end:
``salesplan check PLAN --actuals FILE`` exits 1 (under ``--strict`` for the one warning),
prints the whole expected list of ``CODE line:col`` and no traceback.  The expected list is
the whole list, so a case also fails when a consequence of the mistake is reported as noise.
Columns are cells: 1 month, 2 metric, 3 tier, 4 motion, 5 stage, 6 role, 7 value.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from salesplan.load.actuals import read_actuals
from salesplan.load.csvread import MAX_BYTES
from salesplan.problems import Problem
from salesplan.problems.codes import BY_CODE
from tests.conftest import Cli
from tests.load.actuals_base import BASE, PLAN_ARG, names

Edit = Callable[[bytes], bytes]


def line(n: int) -> str:
    """Return line ``n`` of BASE (1-based) with its line break."""
    return BASE.splitlines(keepends=True)[n - 1]


def case(name: str, edit: tuple[str, str] | Edit, *expected: str, says: str = "") -> object:
    """One bad file: BASE with ``old`` replaced by ``new`` (once), or its bytes edited."""
    return pytest.param(edit, list(expected), says, id=name)


def at(n: int, new: str) -> tuple[str, str]:
    """Replace line ``n`` of BASE (``new`` without its line break; '' deletes the line)."""
    return line(n), new + "\n" if new else ""


def add(new: str) -> tuple[str, str]:
    """Add a line at the end of BASE."""
    return line(19), line(19) + new + "\n"


CASES = [
    # -- the file ---------------------------------------------------------------------------
    case("empty", lambda b: b"", "SP502 0:0", says="the file is empty"),
    case("blank-lines-only", lambda b: b"\n\n  \n", "SP502 0:0"),
    case("header-only", lambda b: b.splitlines(keepends=True)[0], "SP502 1:1", says="no rows"),
    case(
        "utf-16",
        lambda b: codecs.BOM_UTF16_LE + b.decode().encode("utf-16-le"),
        "SP501 1:1",
        says="UTF-16",
    ),
    case(
        "nul-bytes",
        lambda b: b.replace(b"4500", b"45\x0000"),
        "SP501 5:1",
        says="NUL bytes",
    ),
    case(
        "latin-1",
        lambda b: b.replace(b"2027-01,new_mrr,smb", "2027-01,new_mrr,smé".encode("latin-1")),
        "SP501 5:1",
        says="not UTF-8 (byte 0xe9",
    ),
    case(
        "control-character",
        lambda b: b.replace(b"heads,,,,ae,6", b"heads,,,,ae\x07,6"),
        "SP501 6:1",
        says="U+0007",
    ),
    case(
        "too-large",
        lambda b: b + b"\n" * (MAX_BYTES - len(b) + 1),
        "SP500 0:0",
        says="larger than 16,000,000 bytes",
    ),
    # -- CSV syntax ---------------------------------------------------------------------
    case(
        "quote-never-closed",
        at(9, '2027-02,entries,smb,inbound,sql,,"38'),
        "SP503 9:7",
        says="never closed",
    ),
    case(
        "text-after-closing-quote",
        at(9, '2027-02,entries,smb,inbound,sql,,"3"8'),
        "SP503 9:7",
        says="written twice",
    ),
    case(
        "quote-inside-unquoted-cell",
        at(9, '2027-02,entries,smb,inbound,sql,,3"8'),
        "SP503 9:7",
    ),
    case(
        "line-break-in-quoted-cell",
        at(9, '2027-02,entries,"smb\n",inbound,sql,,38'),
        "SP504 9:3",
        says="line break",
    ),
    case("ragged-more-cells", at(5, "2027-01,new_mrr,smb,,,,4,500"), "SP505 5:8"),
    case("ragged-fewer-cells", at(6, "2027-01,heads,,,,ae"), "SP505 6:7", says="missing"),
    # -- the header -------------------------------------------------------------------------
    case(
        "header-missing-column",
        at(1, "month,metric,tier,motion,stage,value"),
        "SP506 1:1",
        says="lacks role",
    ),
    case(
        "header-unknown-column",
        at(1, "month,metric,teir,motion,stage,role,value"),
        "SP506 1:1",
        "SP507 1:3",
        says="did you mean 'tier'?",
    ),
    case(
        "header-repeated-column",
        at(1, "month,metric,tier,motion,stage,role,value,value"),
        "SP507 1:8",
        says="twice",
    ),
    case(
        "header-capitalised",
        at(1, "Month,metric,tier,motion,stage,role,value"),
        "SP506 1:1",
        "SP507 1:1",
        says="did you mean 'month'?",
    ),
    case(
        "header-tabs",
        lambda b: b.replace(b"month,metric,tier,motion,stage,role,value", b"month\tmetric\tvalue"),
        "SP506 1:1",
        "SP507 1:1",
        says="separated by tabs",
    ),
    # -- names and keys ---------------------------------------------------------------------
    case(
        "unknown-metric",
        at(5, "2027-01,new_mrrr,smb,,,,4500"),
        "SP510 5:2",
        says="did you mean 'new_mrr'?",
    ),
    case("metric-alias", at(6, "2027-01,headcount,,,,ae,6"), "SP510 6:2", says="'heads'"),
    case("unknown-tier", at(5, "2027-01,new_mrr,smbb,,,,4500"), "SP511 5:3", says="'smb'?"),
    case(
        "unknown-motion",
        at(4, "2027-01,wins,smb,inbund,,,9"),
        "SP511 4:4",
        says="did you mean 'inbound'?",
    ),
    case(
        "stage-of-another-motion",
        at(3, "2027-01,entries,smb,inbound,prospect,,40"),
        "SP511 3:5",
        says="its stages: lead, sql",
    ),
    case(
        "stage-won",
        at(3, "2027-01,entries,smb,inbound,won,,40"),
        "SP511 3:5",
        says="wins are their own metric",
    ),
    case("unknown-role", at(6, "2027-01,heads,,,,aee,6"), "SP511 6:6", says="'ae'?"),
    case("key-missing", at(3, "2027-01,entries,smb,inbound,,,40"), "SP512 3:5", says="a stage"),
    case(
        "key-missing-for-a-breakdown",
        at(7, "2027-01,marketing_cost,,inbound,,,8000"),
        "SP512 7:3",
    ),
    case(
        "key-that-does-not-apply",
        at(6, "2027-01,heads,smb,,,ae,6"),
        "SP513 6:3",
        says="heads has no tier",
    ),
    case(
        "two-breakdowns",
        at(13, "2027-02,marketing_cost,,,,,8200"),
        "SP514 13:2",
        says="per tier and motion on line 7",
    ),
    # -- months -----------------------------------------------------------------------------
    case("month-badly-written", at(8, "2027-2,entries,smb,inbound,lead,,410"), "SP515 8:1"),
    case(
        "month-made-a-date",
        at(8, "01/02/2027,entries,smb,inbound,lead,,410"),
        "SP515 8:1",
        says="made it a date",
    ),
    case("month-13", at(8, "2027-13,entries,smb,inbound,lead,,410"), "SP515 8:1"),
    case(
        "month-before-the-plan",
        at(2, "2026-12,entries,smb,inbound,lead,,400"),
        "SP516 2:1",
        says="before the plan starts (2027-01)",
    ),
    case(
        "month-after-the-plan",
        add("2028-01,heads,,,,ae,7"),
        "SP516 20:1",
        says="after its end (2027-12)",
    ),
    case(
        "month-past-the-data",
        add("2027-04,heads,,,,ae,7"),
        "SP517 20:1",
        says="entries, marketing_cost, new_mrr and wins have no rows for 2027-04",
    ),
    case(
        "missing-month",
        at(12, ""),
        "SP518 17:1",
        says="heads has no rows for 2027-02, between 2027-01 and 2027-03",
    ),
    case("duplicate-row", at(6, line(6).strip() + "\n" + line(6).strip()), "SP519 7:1"),
    # -- values -----------------------------------------------------------------------------
    case("thousands-separator", at(5, '2027-01,new_mrr,smb,,,,"4,500"'), "SP520 5:7"),
    case("currency-sign", at(5, "2027-01,new_mrr,smb,,,,$4500"), "SP520 5:7", says="alone"),
    case("empty-value", at(5, "2027-01,new_mrr,smb,,,,"), "SP520 5:7", says="write 0"),
    case("not-available", at(5, "2027-01,new_mrr,smb,,,,n/a"), "SP520 5:7"),
    case("nan", at(5, "2027-01,new_mrr,smb,,,,NaN"), "SP520 5:7"),
    case("negative-count", at(6, "2027-01,heads,,,,ae,-1"), "SP521 6:7", says="negative"),
    case("too-large-value", at(5, "2027-01,new_mrr,smb,,,,1e14"), "SP521 5:7"),
    # A role's people as the plan format bounds them: a reforecast opens a plan from them.
    case(
        "too-many-people",
        at(6, "2027-01,heads,,,,ae,100001"),
        "SP521 6:7",
        says="100001 is above 100,000, the most people a plan's role may count (heads)",
    ),
    case("fractional-count", at(4, "2027-01,wins,smb,inbound,,,9.5"), "SP522 4:7"),
    case("formula-value", at(5, "2027-01,new_mrr,smb,,,,=SUM(G2:G4)"), "SP523 5:7"),
    case("formula-minus-letters", at(5, "2027-01,new_mrr,smb,,,,-G2"), "SP523 5:7"),
    case("formula-in-a-key", at(6, "2027-01,heads,,,,@ae,6"), "SP523 6:6"),
    case("formula-metric", at(6, "2027-01,+heads,,,,ae,6"), "SP523 6:2"),
    # -- wins against entries (a warning: fails under --strict) ------------------------------
    case(
        "wins-above-entries",
        at(4, "2027-01,wins,smb,inbound,,,50"),
        "SP530 4:7",
        says="wins of smb/inbound come to 50 in 2027-01, more than the 40 entries into its last",
    ),
    case(
        "too-many-problems",
        lambda b: b + b"".join(b"2027-03,heads,,,,ae%d,1\n" % n for n in range(1_005)),
        *[f"SP511 {n}:6" for n in range(20, 1_020)],
        "SP508 1020:1",
        says="reading stopped here, after 1,000 problems",
    ),
    case(
        "a-row-of-too-many-cells",
        at(5, "2027-01,new_mrr,smb" + "," * 70),
        "SP505 5:65",
        says="more than 64 cells",
    ),
    # -- several at once --------------------------------------------------------------------
    case(
        "row-problems-together",
        lambda b: (
            b.replace(b"smb,,,,4500", b"smbb,,,,4500")
            .replace(b"heads,,,,ae,7\n2027-02", b"heads,,,,ae,-7\n2027-02")
            .replace(b"wins,smb,inbound,,,10", b"wins,smb,inbound,,,=J16")
        ),
        "SP511 5:3",
        "SP521 12:7",
        "SP523 16:7",
    ),
    case(
        "one-row-every-cell-wrong",
        at(5, "2027-1,new_mrrr,smb,inbound,,ae,x"),
        "SP515 5:1",
        "SP510 5:2",
        "SP520 5:7",
    ),
    case(
        "excel-semicolons-with-errors",
        lambda b: (
            codecs.BOM_UTF8
            + b.replace(b",", b";").replace(b"4500", b"4500.5").replace(b";ae;6", b";ae;6,5")
        ),
        "SP520 5:7",
        "SP522 6:7",
        says="in a ';'-separated file decimals take a comma",
    ),
    case(
        "gap-and-past-month",
        lambda b: b.replace(line(12).encode(), b"") + b"2027-04,heads,,,,ae,8\n",
        "SP518 17:1",
        "SP517 19:1",
    ),
]


def apply(edit: tuple[str, str] | Edit) -> bytes:
    if callable(edit):
        return edit(BASE.encode())
    old, new = edit
    assert BASE.count(old) == 1, f"the edit must hit BASE once: {old!r}"
    return BASE.replace(old, new).encode()


def brief(problems: list[Problem] | list[dict[str, object]]) -> list[str]:
    out = []
    for p in problems:
        if isinstance(p, Problem):
            out.append(f"{p.code} {p.location.line}:{p.location.col}")
        else:
            out.append(f"{p['code']} {p['line']}:{p['col']}")
    return out


def test_base_reads_clean() -> None:
    actuals, problems = read_actuals("actuals.csv", BASE.encode(), names())
    assert problems == []
    assert actuals is not None and actuals.through == 2


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 25


def test_every_actuals_code_has_a_case() -> None:
    found = {e.split()[0] for c in CASES for e in c.values[1]}  # type: ignore[attr-defined]
    codes = {c for c in BY_CODE if c.startswith("SP5")}
    assert codes <= found, sorted(codes - found)


@pytest.mark.parametrize(("edit", "expected", "says"), CASES)
def test_bad_actuals(
    edit: tuple[str, str] | Edit, expected: list[str], says: str, tmp_path: Path, cli: Cli
) -> None:
    raw = apply(edit)
    actuals, problems = read_actuals("actuals.csv", raw, names())
    assert brief(problems) == expected, "\n".join(map(str, problems))
    assert all(p.location.path == "actuals.csv" for p in problems)
    errors = [p for p in problems if p.severity.value == "error"]
    assert (actuals is None) == bool(errors)
    if says:
        assert any(says in p.message for p in problems), "\n".join(map(str, problems))
    # End to end: the same problems, exit 1, and no traceback in any format.
    path = tmp_path / "actuals.csv"
    path.write_bytes(raw)
    # Only the actuals' codes: the plan's rules of thumb may grow, the corpus is the file's.
    strict = ["--select", "SP5", *([] if errors else ["--strict"])]
    code, out, err = cli("check", PLAN_ARG, "--actuals", str(path), "-f", "json", *strict)
    assert code == 1, out + err
    shown = json.loads(out)["problems"]
    assert brief(shown) == expected
    assert {p["path"] for p in shown} == {str(path)}
    code, out, err = cli("check", PLAN_ARG, "--actuals", str(path), *strict)
    assert code == 1
    assert "Traceback" not in out + err
    assert len(out.splitlines()) == len(expected)
