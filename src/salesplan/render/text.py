"""Text a plan wrote, made safe for every output format.

A plan's names, titles and company name are free text: an escape written ``"\\e"`` in YAML
would drive a terminal, an OSC-8 sequence would plant a hyperlink, a right-to-left override
(U+202E) would make a table read backwards, and a carriage return would let a CSV reader
start a new row.  Every renderer passes text through :func:`clean` before writing it.
"""

from __future__ import annotations

# C0 controls but tab and line feed, DEL, and the C1 controls (U+0080-U+009F).
_CONTROLS = [*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F, *range(0x80, 0xA0)]
# Invisible marks that reorder text: LRM/RLM, ALM, the embeddings and overrides, the
# isolates (Unicode bidirectional algorithm, the "Trojan Source" characters).
_BIDI = [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_DROP = dict.fromkeys([*_CONTROLS, *_BIDI])
# Line breaks other than LF become LF, so "a line" means the same thing in every format.
_BREAKS = str.maketrans({"\x85": "\n", "\u2028": "\n", "\u2029": "\n"})


def clean(text: str) -> str:
    r"""Return ``text`` without control or bidirectional-override characters.

    Tabs and line feeds stay; CR LF and a lone CR (and Unicode's line and paragraph
    separators) become LF; everything else below U+0020, DEL, the C1 range and the bidi
    controls are dropped.

    >>> clean("Acme\x1b[31m red\x07")
    'Acme[31m red'
    >>> clean("a\r\nb\rc"), clean("evil\u202etxt.exe")
    ('a\nb\nc', 'eviltxt.exe')
    """
    return text.replace("\r\n", "\n").replace("\r", "\n").translate(_BREAKS).translate(_DROP)
