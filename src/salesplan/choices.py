"""The closed sets of choices the command line offers, with nothing heavy to import.

``salesplan.cli`` builds its options from these at start-up (``salesplan --help`` must stay
quick); the modules that act on a choice re-export the one they own.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType


class OutputFormat(enum.StrEnum):
    """The formats a report can be written in: one enum feeds the option, help and dispatch."""

    TABLE = "table"
    TEXT = "text"  # the same view as table: the word `check --format` and reviewers use
    CSV = "csv"
    JSON = "json"
    MARKDOWN = "markdown"
    HTML = "html"
    XLSX = "xlsx"


# The one map from the extension of ``-o FILE`` to the format written when ``--format`` is
# not given: the option's help, the CLI's choice and the README's table all read it.
FORMAT_OF_EXTENSION: Mapping[str, OutputFormat] = MappingProxyType(
    {
        ".csv": OutputFormat.CSV,
        ".json": OutputFormat.JSON,
        ".md": OutputFormat.MARKDOWN,
        ".html": OutputFormat.HTML,
        ".xlsx": OutputFormat.XLSX,
        ".txt": OutputFormat.TABLE,
    }
)

# Formats written as bytes, not text: never to a terminal.
BINARY_FORMATS = frozenset({OutputFormat.XLSX})


def same_format(a: OutputFormat, b: OutputFormat) -> bool:
    """Return whether two formats write the same thing (``text`` is ``table``).

    >>> same_format(OutputFormat.TEXT, OutputFormat.TABLE)
    True
    """
    terminal = {OutputFormat.TABLE, OutputFormat.TEXT}
    return a == b or {a, b} <= terminal


class CsvDialect(enum.StrEnum):
    """Which flavour of CSV to write."""

    RFC = "rfc"
    EXCEL = "excel"
    EXCEL_SEMICOLON = "excel-semicolon"


class ProblemFormat(enum.StrEnum):
    """How to print problems."""

    TEXT = "text"
    JSON = "json"
    GITHUB = "github"
    SARIF = "sarif"  # for code-scanning uploads (GitHub, GitLab, Azure DevOps)


class Period(enum.StrEnum):
    """How months are grouped in tables (see salesplan.engine.periods)."""

    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    PLAN = "plan"


class TargetKind(enum.StrEnum):
    """The revenue targets a plan may give, one each (docs/model.md §1); the schema's key names."""

    ENDING_ARR = "ending_arr"
    FIRST_YEAR_REVENUE = "first_year_revenue"
    NEW_ARR_PER_YEAR = "new_arr_per_year"
    NEW_MRR_PER_MONTH = "new_mrr_per_month"


class Rates(enum.StrEnum):
    """Which conversion rates a reforecast carries forward (docs/reforecast.md)."""

    PLAN = "plan"  # the plan's own
    ACTUAL = "actual"  # what the actuals realised, where they show a rate
    BLEND = "blend"  # the plan's rate as a prior, updated with the actuals (credibility)
