"""Write the generated parts of docs/actuals.md and schema/actuals.schema.json.

docs/actuals.md is prose written by hand with three generated blocks, each between
``<!-- NAME:start -->`` and ``<!-- NAME:end -->``: ``metrics`` (the table of metrics, from
:data:`salesplan.load.actuals_format.METRICS`), ``checks`` (the SP5xx codes, from
:data:`salesplan.problems.codes.CODES`) and ``example`` (rows of the shipped sample).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from salesplan.load.actuals_format import METRICS, Unit, actuals_json_schema
from salesplan.problems.codes import CODES
from salesplan.render.markdown import escape_cell

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "configs" / "actuals" / "series-a-2027-q1.csv"
# A metric's unit and its bound (Metric.bound: a role's people as the plan format bounds them).
UNITS = {
    Unit.COUNT: "count (whole, at most {:,.0f})",
    Unit.MONEY: "money, the plan's currency (at most {:,.0f})",
}


class BlockError(Exception):
    """A document lacks the markers of a generated block."""


def with_block(text: str, name: str, body: str) -> str:
    """Return ``text`` with the block between ``<!-- name:start/end -->`` replaced by body.

    >>> with_block("a <!-- x:start -->old<!-- x:end --> b", "x", "new\\n")
    'a <!-- x:start -->\\nnew\\n<!-- x:end --> b'
    """
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    i, j = text.find(start), text.find(end)
    if i < 0 or j < i:
        raise BlockError(f"markers {start} ... {end} not found (in this order)")
    return text[: i + len(start)] + "\n" + body + text[j:]


def metrics_table() -> str:
    """Return the markdown table of every metric: its keys, unit, kind and meaning."""
    lines = [
        "| metric | keys | unit | kind | what it is |",
        "|---|---|---|---|---|",
    ]
    for m in METRICS:
        keys = m.ways.removeprefix("as ")
        kind = "flow: in the month" if m.kind.value == "flow" else "stock: at the month's end"
        cells = (f"`{m.name}`", keys, UNITS[m.unit].format(m.bound), kind, escape_cell(m.meaning))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def checks_table() -> str:
    """Return the markdown table of the actuals codes (SP5xx)."""
    lines = ["| code | severity | what it means |", "|---|---|---|"]
    for c in sorted(CODES, key=lambda c: c.code):
        if c.code.startswith("SP5"):
            lines.append(f"| {c.code} | {c.severity.value} | {escape_cell(c.title)} |")
    return "\n".join(lines) + "\n"


README_ROWS = (
    ("entries", "smb", "inbound", "sql", ""),
    ("wins", "smb", "inbound", "", ""),
    ("new_mrr", "smb", "", "", ""),
    ("heads", "", "", "", "ae"),
    ("marketing_cost", "smb", "inbound", "", ""),
)
"""The rows of the sample's first month the README shows: (metric, tier, motion, stage, role)."""


def example_block(keys: tuple[tuple[str, ...], ...] = ()) -> str:
    """Return rows of the sample's first month as a CSV code block: those with these
    (metric, tier, motion, stage, role), or else the first row of each metric."""
    with SAMPLE.open(encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    first = [r for r in rows if r[0] == rows[0][0]]
    picked = [r for k in keys for r in first if tuple(r[1:6]) == k]
    if not keys:
        seen: set[str] = set()
        for r in first:
            if r[1] not in seen:
                seen.add(r[1])
                picked.append(r)
    text = "\n".join(",".join(r) for r in [header, *picked])
    return f"```csv\n{text}\n```\n"


def actuals_markdown(current: str) -> str:
    """Return docs/actuals.md with its generated blocks brought up to date."""
    text = with_block(current, "metrics", metrics_table())
    text = with_block(text, "checks", checks_table())
    return with_block(text, "example", example_block())


def readme_with_example(readme: str) -> str:
    """Return the README with its excerpt of the sample actuals brought up to date."""
    return with_block(readme, "actuals-example", example_block(README_ROWS))


def actuals_schema_text() -> str:
    """Return schema/actuals.schema.json as ``salesplan schema --actuals`` prints it."""
    return json.dumps(actuals_json_schema(), indent=2, ensure_ascii=False) + "\n"
