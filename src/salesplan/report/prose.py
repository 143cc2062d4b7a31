"""Sentences with numbers in them, kept neutral until a renderer writes them.

A report's headline and its actions are sentences such as "the hires deliver $5,987,379 of
the $6,000,000 target".  Like a table cell, each number in a sentence stays a number here
(a :class:`Figure` with its kind); the renderers write it with the plan's currency, as a
short figure ("$6.0M") or in full ("$5,987,379"), and escape the plan's own text.

A :class:`Sentence` is a template whose ``{}`` fields are filled in order by its parts:
figures, or plan text such as a role's name (which renderers clean of control characters
and escape for their format).  Templates are the tool's own words and hold no braces
other than the fields.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass

from salesplan.report.table import Kind


class Tone(enum.StrEnum):
    """What a sentence is: a plain statement, good news, a warning, or something to do."""

    INFO = "info"
    GOOD = "good"
    WARNING = "warning"
    ACTION = "action"


@dataclass(frozen=True)
class Figure:
    """A number in a sentence: its value, its kind, and whether it is written in full."""

    value: float
    kind: Kind = Kind.NUMBER
    # In full ("$5,987,379", "99.8%") where a short form would hide a difference that
    # matters ("$6.0M" against a $6.0M target); short ("$6.0M") otherwise.
    exact: bool = False
    digits: int | None = None  # digits after the point, where the kind's default will not do
    signed: bool = False  # a change: "+2", "-1"


Part = Figure | str


@dataclass(frozen=True)
class Sentence:
    """A line of prose: ``template`` with its ``{}`` fields filled by ``parts`` in order."""

    template: str
    parts: tuple[Part, ...] = ()
    tone: Tone = Tone.INFO

    def __post_init__(self) -> None:
        fields = self.template.count("{}")
        if fields != len(self.parts) or self.template.count("{") != fields:
            raise ValueError(
                f"sentence {self.template!r}: {fields} field(s) for {len(self.parts)} part(s)"
            )

    def fill(self, write: Callable[[Figure], str], text: Callable[[str], str]) -> str:
        """Return the sentence with each figure written by ``write``, each text by ``text``."""
        pieces = self.template.split("{}")
        out = [pieces[0]]
        for part, after in zip(self.parts, pieces[1:], strict=True):
            out.append(write(part) if isinstance(part, Figure) else text(part))
            out.append(after)
        return "".join(out)


def money(value: float, *, exact: bool = False) -> Figure:
    """Return an amount in the plan's currency."""
    return Figure(float(value), Kind.MONEY, exact)


def count(value: float) -> Figure:
    """Return a count of people, deals or customers."""
    return Figure(float(value), Kind.COUNT, exact=True)


def rate(value: float, *, exact: bool = False) -> Figure:
    """Return a fraction, written as a percentage."""
    return Figure(float(value), Kind.RATE, exact)


def fte(value: float) -> Figure:
    """Return full-time equivalents of work, to two decimals."""
    return Figure(float(value), Kind.NUMBER, exact=True, digits=2)
