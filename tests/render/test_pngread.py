"""The test-only PNG reader undoes every filter exactly: checked against a tiny encoder."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from pngread import read_png


def _filter(kind: int, row: list[int], above: list[int], channels: int) -> list[int]:
    out = []
    for i, x in enumerate(row):
        a = row[i - channels] if i >= channels else 0
        b = above[i]
        c = above[i - channels] if i >= channels else 0
        if kind == 0:
            p = 0
        elif kind == 1:
            p = a
        elif kind == 2:
            p = b
        elif kind == 3:
            p = (a + b) // 2
        else:
            pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
            p = a if pa <= pb and pa <= pc else b if pb <= pc else c
        out.append((x - p) & 0xFF)
    return out


def _png(pixels: np.ndarray, colour: int) -> bytes:
    height, width, channels = pixels.shape
    raw = bytearray()
    above = [0] * (width * channels)
    for y in range(height):
        row = pixels[y].reshape(-1).tolist()
        kind = y % 5  # every filter, in turn
        raw += bytes([kind, *_filter(kind, row, above, channels)])
        above = row

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, colour, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(raw)))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(("colour", "channels"), [(2, 3), (6, 4)])
def test_every_filter_round_trips(tmp_path: Path, colour: int, channels: int) -> None:
    pixels = np.random.default_rng(7).integers(0, 256, size=(11, 9, channels), dtype=np.uint8)
    path = tmp_path / "t.png"
    path.write_bytes(_png(pixels, colour))
    assert (read_png(path) == pixels).all()


def test_not_a_png(tmp_path: Path) -> None:
    path = tmp_path / "t.png"
    path.write_bytes(b"GIF89a")
    with pytest.raises(ValueError, match="not a PNG"):
        read_png(path)
