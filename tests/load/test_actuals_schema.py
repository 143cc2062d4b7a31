"""The JSON Schema of an actuals row says what the reader says of a row on its own.

The schema is generated from the same table of metrics the reader checks rows against;
here every row of the shipped sample is valid, and rows the reader refuses for what they
hold (not for the plan's names or the file as a whole) are invalid, and the other way round.
"""

from __future__ import annotations

import contextlib
import csv
import json

import jsonschema
import pytest

from salesplan.load.actuals import read_actuals
from salesplan.load.actuals_format import COLUMNS, actuals_json_schema
from tests.conftest import Cli
from tests.load.actuals_base import names
from tests.paths import CONFIGS, ROOT

SCHEMA = actuals_json_schema()
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def as_object(cells: list[str]) -> dict[str, object]:
    """Return a row as the schema reads it: cells by column, the value as a number."""
    row: dict[str, object] = dict(zip(COLUMNS, cells, strict=True))
    # Text that is not a number stays text: the schema says it is not a number.
    with contextlib.suppress(ValueError):
        row["value"] = float(str(row["value"]))
    return row


def test_the_schema_is_valid_and_shipped() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    shipped = json.loads((ROOT / "schema" / "actuals.schema.json").read_text("utf-8"))
    assert shipped == SCHEMA


def test_the_schema_command_prints_it(cli: Cli) -> None:
    code, out, _ = cli("schema", "--actuals")
    assert code == 0
    assert out == (ROOT / "schema" / "actuals.schema.json").read_text("utf-8")


def test_every_row_of_the_sample_is_valid() -> None:
    path = CONFIGS / "actuals" / "series-a-2027-q1.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    assert tuple(header) == COLUMNS
    for cells in rows:
        errors = list(VALIDATOR.iter_errors(as_object(cells)))
        assert not errors, (cells, [e.message for e in errors])


ROWS = [
    # valid on their own (and for tests/plans/actuals/plan.yaml)
    ("2027-01,entries,smb,inbound,lead,,400", True),
    ("2027-01,pipeline,mid,outbound,opportunity,,12", True),
    ("2027-01,wins,smb,outbound,,,3", True),
    ("2027-01,new_mrr,smb,,,,4500.5", True),
    ("2027-01,heads,,,,ae,6", True),
    ("2027-01,open_requisitions,,,,sdr,0", True),
    ("2027-01,marketing_cost,,,,,12000", True),
    ("2027-01,marketing_cost,smb,,,,12000", True),
    ("2027-01,marketing_cost,smb,inbound,,,12000", True),
    # invalid on their own
    ("2027-01,headcount,,,,ae,6", False),  # unknown metric
    ("2027-13,heads,,,,ae,6", False),  # not a month
    ("2027-01,entries,smb,inbound,,,400", False),  # a key it needs
    ("2027-01,heads,smb,,,ae,6", False),  # a key that does not apply
    ("2027-01,marketing_cost,,inbound,,,12000", False),  # a motion without its tier
    ("2027-01,heads,,,,ae,-1", False),  # negative
    ("2027-01,wins,smb,inbound,,,2.5", False),  # a count not whole
    ("2027-01,new_mrr,smb,,,,1e14", False),  # above the bound
    ("2027-01,heads,,,,ae,x", False),  # not a number
]


@pytest.mark.parametrize(("row", "valid"), ROWS)
def test_the_schema_and_the_reader_agree_on_a_row(row: str, valid: bool) -> None:
    cells = row.split(",")
    assert VALIDATOR.is_valid(as_object(cells)) is valid
    raw = (",".join(COLUMNS) + "\n" + row + "\n").encode()
    actuals, problems = read_actuals("actuals.csv", raw, names())
    assert (actuals is not None) is valid, [str(p) for p in problems]
