"""Write a report's sentences (``salesplan.report.prose``) as text, in every format.

A figure is written short (``$6.0M``, ``27%``) unless the sentence asks for it in full
(``$5,987,379``, ``99.8%``), where a short form would hide a difference that matters.  The
plan's own text in a sentence (a role's name, the company's) goes through the format's
escaping, given by the caller: control characters out for a terminal, Markdown and HTML
escaping for those formats.
"""

from __future__ import annotations

from collections.abc import Callable

from salesplan.render.cells import format_count, format_money, format_number, format_rate
from salesplan.render.scale import short
from salesplan.report.prose import Figure, Sentence, Tone
from salesplan.report.table import Kind


def figure_text(figure: Figure, currency: str) -> str:
    """Return one figure as text in the plan's currency, ``+`` before a rise in a change.

    >>> figure_text(Figure(2, Kind.COUNT, exact=True, signed=True), "USD")
    '+2'
    """
    text = _unsigned_text(figure, currency)
    if figure.signed and figure.value > 0 and any(ch in "123456789" for ch in text):
        return "+" + text
    return text


def _unsigned_text(figure: Figure, currency: str) -> str:
    """Return one figure as text in the plan's currency.

    >>> figure_text(Figure(5987379.07, Kind.MONEY, exact=True), "USD")
    '$5,987,379'
    >>> figure_text(Figure(6_000_000, Kind.MONEY), "EUR"), figure_text(Figure(0.251, Kind.RATE), "")
    ('€6M', '25%')
    >>> figure_text(Figure(0.99789, Kind.RATE, exact=True), "")
    '99.8%'
    >>> figure_text(Figure(31, Kind.COUNT), "")
    '31'
    """
    value, kind = figure.value, figure.kind
    if not figure.exact:
        digits = figure.digits
        if kind is Kind.RATE and digits is None:
            digits = 0
        return short(value, kind, currency, digits=digits)
    if kind is Kind.MONEY:
        return format_money(value, figure.digits or 0, currency)
    if kind is Kind.RATE:
        return format_rate(value, 1 if figure.digits is None else figure.digits)
    if kind is Kind.COUNT:
        digits = 0 if float(value).is_integer() else 1
        return format_count(value, figure.digits if figure.digits is not None else digits)
    return format_number(value, 1 if figure.digits is None else figure.digits)


def sentence_text(sentence: Sentence, currency: str, escape: Callable[[str], str]) -> str:
    """Return a sentence with its figures written and its plan text escaped by ``escape``."""
    return sentence.fill(lambda f: figure_text(f, currency), escape)


def headline_lines(
    sentences: tuple[Sentence, ...], currency: str, escape: Callable[[str], str]
) -> list[tuple[Tone, str]]:
    """Return each headline sentence's tone and text, for a renderer to lay out."""
    return [(s.tone, sentence_text(s, currency, escape)) for s in sentences]
