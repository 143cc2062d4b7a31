"""Write a report as JSON for programs: raw numbers, n/a reasons beside the rows.

Shape (``schema_version`` 1; keys in this order)::

    {"schema_version": 1, "kind": ..., "title": ..., "meta": {...}, "summary": [...],
     "tables": [{"name", "title", "meta", "columns": [{"name", "title", "kind", "unit"}],
                 "rows": [{column name: value}], "notes": [...],
                 "na": [{"row", "column", "reason"}]}]}

Numbers are written raw (rates as fractions, floats to 12 significant digits in Python's
shortest round-trip form); an ``NA`` cell is ``null`` in ``rows`` and its reason is in
``na`` (``row`` is the 0-based index into ``rows``).  Summary lines are kept as written, a
leading ``!`` marking a warning.  NaN and infinity are refused: they are not JSON.

Every string, keys included, goes through :func:`~salesplan.render.text.clean`: JSON would
carry an escape as ``\\u001b`` straight to the terminal of whatever prints it, and
``ensure_ascii=False`` writes the C1 and bidi controls raw.
"""

from __future__ import annotations

import json
from typing import Any

from salesplan.render.cells import check_finite, tidy_float
from salesplan.render.prose import sentence_text
from salesplan.render.text import clean
from salesplan.report.prose import Figure, Sentence
from salesplan.report.table import NA, Cell, Report, Table

SCHEMA_VERSION = 1


def _cleaned(record: dict[str, Any]) -> dict[str, Any]:
    """Return a JSON-ready dict with every string in it, keys included, cleaned."""
    return {clean(key): _cleaned_value(value) for key, value in record.items()}


def _cleaned_value(value: object) -> object:
    """Return a JSON-ready value with every string in it cleaned."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return _cleaned(value)
    if isinstance(value, list):
        return [_cleaned_value(item) for item in value]
    return value


def _value(cell: Cell, where: str) -> str | int | float | None:
    """Return a cell as a JSON value; NA becomes null."""
    if isinstance(cell, NA):
        return None
    if isinstance(cell, float):
        check_finite(cell, where)
        return tidy_float(cell)
    return cell


def table_json(table: Table) -> dict[str, Any]:
    """Return one table as a JSON-ready dict."""
    names = [c.name for c in table.columns]
    rows: list[dict[str, Any]] = []
    na: list[dict[str, Any]] = []
    for i, row in enumerate(table.rows):
        record: dict[str, Any] = {}
        for name, cell in zip(names, row, strict=True):
            record[name] = _value(cell, f"table {table.name} row {i} column {name}")
            if isinstance(cell, NA):
                na.append({"row": i, "column": name, "reason": cell.reason})
        rows.append(record)
    return _cleaned(
        {
            "name": table.name,
            "title": table.title,
            "meta": dict(table.meta),
            "columns": [
                {"name": c.name, "title": c.title, "kind": c.kind.value, "unit": c.unit}
                for c in table.columns
            ],
            "rows": rows,
            "notes": list(table.notes),
            "na": na,
        }
    )


def report_json(report: Report) -> dict[str, Any]:
    """Return the report as a JSON-ready dict."""
    head = {
        "kind": report.kind,
        "title": report.title,
        "meta": dict(report.meta),
        "summary": list(report.summary),
    }
    currency = report.meta.get("currency", "USD")
    headline = [sentence_json(s, currency) for s in report.headline]
    return {
        "schema_version": SCHEMA_VERSION,
        **_cleaned(head),
        **({"headline": headline} if headline else {}),
        "tables": [table_json(t) for t in report.tables],
    }


def sentence_json(sentence: Sentence, currency: str) -> dict[str, Any]:
    """Return a headline sentence: its tone, its text, and its figures as raw numbers."""
    figures = [
        {"value": p.value, "kind": p.kind.value} for p in sentence.parts if isinstance(p, Figure)
    ]
    return {
        "tone": sentence.tone.value,
        "text": sentence_text(sentence, currency, clean),
        "figures": figures,
    }


def render_json(report: Report) -> str:
    """Return the report as indented JSON text ending in a newline."""
    return json.dumps(report_json(report), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
