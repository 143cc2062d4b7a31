"""``salesplan schema`` and ``init``: the plan format (and the actuals'), and a starter plan."""

from __future__ import annotations

import os
from enum import StrEnum
from typing import Annotated

import typer

from salesplan.cli.common import note, usage
from salesplan.cli.options import FileOpt
from salesplan.cli.output import write
from salesplan.cli.parsing import Example


class Stage(StrEnum):
    """Company stages that `init` has a starter plan for."""

    SEED = "seed"
    SERIES_A = "series-a"
    SERIES_B = "series-b"
    GROWTH = "growth"


# Shown under each command's --help (tests run every one).
EXAMPLES: dict[str, tuple[Example, ...]] = {
    "schema": (
        ("salesplan schema -o plan.schema.json", "the schema beside your plans, for editors"),
        ("salesplan schema --actuals", "the schema of a row of an actuals file"),
    ),
    "init": (
        ("salesplan init --stage series-a -o plan.yaml", "a commented series-A plan to start from"),
    ),
}


def schema(
    output: FileOpt = None,
    actuals: Annotated[
        bool,
        typer.Option("--actuals", help="The schema of one row of an actuals file instead."),
    ] = False,
) -> None:
    """Print the JSON Schema of the plan format, or of an actuals row (editors, validators)."""
    import json

    if actuals:
        from salesplan.load.actuals_format import actuals_json_schema

        document = actuals_json_schema()
    else:
        from salesplan.load.schema import json_schema

        document = json_schema()
    write(json.dumps(document, indent=2, ensure_ascii=False) + "\n", output)


def init(
    stage: Annotated[Stage, typer.Option("--stage", "-s", help="Company stage.")] = Stage.SERIES_A,
    output: Annotated[
        str, typer.Option("--output", "-o", metavar="FILE", help="Where to write the plan.")
    ] = "plan.yaml",
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented starter plan for a company stage (never overwrites without --force).

    Also writes plan.schema.json beside it, if there is none, so editors can validate and
    complete the plan.
    """
    from importlib.resources import files

    text = files("salesplan").joinpath("starters", f"{stage.value}.yaml").read_text("utf-8")
    if output != "-" and os.path.exists(output) and not force:
        usage(f"{output} exists; use --force to overwrite it")
    write(text, output)
    if output == "-":
        return
    # The starter's first line points editors at plan.schema.json beside it.
    schema_path = os.path.join(os.path.dirname(output) or ".", "plan.schema.json")
    if os.path.exists(schema_path):
        note(f"wrote {output} (kept the existing {schema_path}); try: salesplan plan {output}")
        return
    import json

    from salesplan.load.schema import json_schema

    write(json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n", schema_path)
    note(f"wrote {output} (and {schema_path} for editors); try: salesplan plan {output}")
