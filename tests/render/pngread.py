"""Read a PNG into a numpy array (8-bit RGB or RGBA, not interlaced): what Chromium writes.

A test-only reader, so that checking a screenshot needs no imaging package.  The filters
of PNG (RFC 2083, 6.2) that depend only on the row above are undone with numpy; Average
and Paeth depend on the pixel to the left, so they run per byte in Python.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHANNELS = {2: 3, 6: 4}  # colour type: RGB, RGBA


def _paeth(line: list[int], above: list[int], channels: int) -> list[int]:
    out = [0] * len(line)
    for i, value in enumerate(line):
        a = out[i - channels] if i >= channels else 0
        c = above[i - channels] if i >= channels else 0
        b = above[i]
        pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
        predictor = a if pa <= pb and pa <= pc else b if pb <= pc else c
        out[i] = (value + predictor) & 0xFF
    return out


def _average(line: list[int], above: list[int], channels: int) -> list[int]:
    out = [0] * len(line)
    for i, value in enumerate(line):
        a = out[i - channels] if i >= channels else 0
        out[i] = (value + ((a + above[i]) >> 1)) & 0xFF
    return out


def read_png(path: Path) -> NDArray[np.uint8]:
    """Return the pixels of a PNG as an array of shape (height, width, channels)."""
    data = path.read_bytes()
    if not data.startswith(SIGNATURE):
        raise ValueError(f"{path} is not a PNG")
    pos, chunks, header = len(SIGNATURE), [], None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        pos += length + 12
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
        elif kind == b"IEND":
            break
    if header is None:
        raise ValueError(f"{path} has no IHDR chunk")
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in CHANNELS or interlace:
        raise ValueError(f"{path}: only 8-bit RGB(A) without interlacing is read here")
    channels = CHANNELS[colour]
    stride = width * channels
    raw = np.frombuffer(zlib.decompress(b"".join(chunks)), dtype=np.uint8)
    rows = raw.reshape(height, stride + 1)
    pixels = np.zeros((height, stride), dtype=np.uint8)
    above = np.zeros(stride, dtype=np.int64)
    for y in range(height):
        kind, line = int(rows[y, 0]), rows[y, 1:].astype(np.int64)
        if kind == 0:
            row = line
        elif kind == 1:  # Sub: a running sum along each channel
            row = np.cumsum(line.reshape(width, channels), axis=0).reshape(-1) & 0xFF
        elif kind == 2:  # Up
            row = (line + above) & 0xFF
        elif kind == 3:
            row = np.array(_average(line.tolist(), above.tolist(), channels), dtype=np.int64)
        elif kind == 4:
            row = np.array(_paeth(line.tolist(), above.tolist(), channels), dtype=np.int64)
        else:
            raise ValueError(f"{path}: unknown filter {kind} in row {y}")
        pixels[y] = row
        above = row
    return pixels.reshape(height, width, channels)
