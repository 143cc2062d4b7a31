"""Problems are values: located, coded findings gathered from every stage.

Every stage (load, schema, checks, engine) returns problems instead of raising or exiting;
only the CLI turns them into an exit code.  Locations are 1-based here and everywhere.
"""

from __future__ import annotations

import difflib
import enum
from dataclasses import dataclass


class Severity(enum.StrEnum):
    """How bad a problem is: errors fail ``check``; warnings fail it under ``--strict``."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Location:
    """A place in a plan file, 1-based line and column (0 means unknown)."""

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.path
        return f"{self.path}:{self.line}:{max(self.col, 1)}"


@dataclass(frozen=True)
class Problem:
    """One finding: where, which rule, how bad, and a one-line message."""

    location: Location
    code: str
    severity: Severity
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.code} {self.severity.value}: {self.message}"

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        """Order problems by file, position and code."""
        loc = self.location
        return (loc.path, loc.line, loc.col, self.code)


def sorted_problems(problems: list[Problem] | tuple[Problem, ...]) -> list[Problem]:
    """Return problems in file order, each once."""
    return sorted(dict.fromkeys(problems), key=lambda p: p.sort_key)


def has_errors(problems: list[Problem] | tuple[Problem, ...]) -> bool:
    """Return True if any problem is an error."""
    return any(p.severity is Severity.ERROR for p in problems)


def did_you_mean(word: str, choices: list[str]) -> str:
    """Return ' (did you mean 'x'?)' when a close choice exists, else ''.

    >>> did_you_mean("aee", ["ae", "sdr"])
    " (did you mean 'ae'?)"
    """
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""
