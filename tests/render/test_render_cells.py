"""Human cell formatting: signs, separators, percent, n/a markers, never -0."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesplan.render.cells import (
    Footnotes,
    currency_of,
    format_cell,
    format_count,
    format_money,
    format_number,
    format_rate,
)
from salesplan.report.table import NA, Column, Kind, Report, Table

finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15)
NEGATIVE_ZERO = re.compile(r"-\D*0(\.0*)?%?$")


@pytest.mark.parametrize(
    ("value", "digits", "currency", "expected"),
    [
        (1234567, 0, "USD", "$1,234,567"),
        (-1234, 0, "USD", "-$1,234"),
        (1234.5678, 2, "EUR", "€1,234.57"),
        (99.5, 0, "GBP", "£100"),
        (1500000, 0, "JPY", "¥1,500,000"),
        (1234, 0, "CHF", "CHF 1,234"),
        (-1234, 0, "chf", "-CHF 1,234"),
        (-0.4, 0, "USD", "$0"),
    ],
)
def test_money(value: float, digits: int, currency: str, expected: str) -> None:
    assert format_money(value, digits, currency) == expected


def test_rate_count_number() -> None:
    assert format_rate(0.253, 1) == "25.3%"
    assert format_rate(0.25) == "25%"
    assert format_rate(-0.05, 0) == "-5%"
    assert format_count(1234567) == "1,234,567"
    assert format_count(12.25, 1) == "12.2"  # round half to even on the binary value
    assert format_number(14.25, 1) == "14.2"
    assert format_number(12345.6, 1) == "12345.6"


@given(finite, st.integers(min_value=0, max_value=3))
def test_never_negative_zero(value: float, digits: int) -> None:
    for text in (
        format_money(value, digits),
        format_rate(value / 1e6, digits),
        format_count(value, digits),
        format_number(value, digits),
    ):
        assert not NEGATIVE_ZERO.match(text), text


def test_cell_kinds_and_na() -> None:
    notes = Footnotes()
    money = Column("cac", "CAC", Kind.MONEY)
    assert format_cell(NA("no customers"), money, "USD", notes) == "n/a¹"
    assert format_cell(NA("zero churn"), money, "USD", notes) == "n/a²"
    assert format_cell(NA("no customers"), money, "USD", notes) == "n/a¹"
    assert notes.lines() == ["¹ no customers", "² zero churn"]
    assert format_cell(NA("x"), money) == "n/a"
    assert format_cell(None, money) == ""
    assert format_cell("=text", money) == "=text"
    assert format_cell(3, Column("month", "Month", Kind.TEXT)) == "3"


def test_non_finite_is_refused() -> None:
    with pytest.raises(ValueError, match="NA"):
        format_cell(math.nan, Column("x", "X", Kind.NUMBER))


def test_currency_of_prefers_the_table() -> None:
    euro = Table("t", "T", (), (), meta={"currency": "eur"})
    plain = Table("u", "U", (), ())
    report = Report("plan", "P", (euro, plain), meta={"currency": "GBP"})
    assert currency_of(euro, report) == "EUR"
    assert currency_of(plain, report) == "GBP"
    assert currency_of(plain) == "USD"
