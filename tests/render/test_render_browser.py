"""The HTML report in a real browser: headless Chromium draws it, prints it, logs nothing.

Skipped when Chromium is not installed (Debian: ``apt-get install -y chromium``; ``.ci/run``
installs it).  Set ``SALESPLAN_SCREENSHOT=path.png`` to keep the screenshot for a look.

How a console error is detected: Chromium started with ``--enable-logging=stderr --v=0``
writes every message of a page's console to stderr as a line tagged ``CONSOLE`` (e.g.
``[...:INFO:CONSOLE:0] "message", source: file:///... (1)``), whatever its level: script
errors, ``console.*`` calls and the browser's own complaints.  The page has no script, and
its Content-Security-Policy (``default-src 'none'``) turns any attempt to load a URL, font,
image or file into a console message.  So a clean page logs no ``CONSOLE`` line at all,
and any such line fails the test (Chromium's other stderr noise, such as D-Bus errors in
a container, is not tagged ``CONSOLE``).  Because "no line" would also be what a Chromium
that logs elsewhere prints, a canary checks the channel first: the same page with one
``<img>`` added must log a CSP violation, or the test fails rather than pass blind.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
from pathlib import Path

import numpy as np
import pytest
from pngread import read_png
from render_sample import chart_report

from salesplan.render.html import render_html
from salesplan.render.svg_canvas import PALETTE

CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="chromium is not installed: apt-get install -y chromium (.ci/run does it)",
)

WIDTH, HEIGHT = 1280, 2000
TIMEOUT_SECONDS = 120
CONSOLE = re.compile(r"\bCONSOLE[:(]")
FLAGS = (
    "--headless",
    "--no-sandbox",  # CI runs as root, where the sandbox cannot start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",  # a container's small /dev/shm would crash the renderer
    "--hide-scrollbars",
    "--enable-logging=stderr",
    "--v=0",
)


def chromium(page: Path, *action: str) -> list[str]:
    """Run headless Chromium on a page with a fresh profile; return its CONSOLE lines."""
    assert CHROMIUM is not None
    profile = page.parent / f"profile-{page.stem}"
    command = [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *action, page.as_uri()]
    # A session of its own, so a hung browser and its helpers are ended together.
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        out, err = process.communicate(timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail(f"chromium did not finish within {TIMEOUT_SECONDS}s: {command}")
    assert process.returncode == 0, f"chromium exited {process.returncode}:\n{err[-3000:]}"
    return [line for line in (out + err).splitlines() if CONSOLE.search(line)]


def write_page(directory: Path, name: str, text: str) -> Path:
    page = directory / f"{name}.html"
    page.write_text(text, encoding="utf-8")
    return page


@pytest.fixture(scope="module")
def report_html() -> str:
    return render_html(chart_report())


def test_canary_console_errors_are_seen(tmp_path: Path, report_html: str) -> None:
    canary = report_html.replace("</body>", '<img src="canary.png" alt="">\n</body>')
    lines = chromium(write_page(tmp_path, "canary", canary), "--dump-dom")
    assert any("Content Security Policy" in line and "canary.png" in line for line in lines), (
        "chromium logged no CONSOLE line for a page with a known CSP violation: it logs "
        "elsewhere in this version, so a clean console proves nothing"
    )


def test_screenshot_is_drawn_without_console_messages(tmp_path: Path, report_html: str) -> None:
    png = tmp_path / "report.png"
    page = write_page(tmp_path, "report", report_html)
    lines = chromium(page, f"--screenshot={png}", f"--window-size={WIDTH},{HEIGHT}")
    assert lines == [], "\n".join(lines)
    assert png.is_file() and png.stat().st_size > 0
    if target := os.environ.get("SALESPLAN_SCREENSHOT"):
        shutil.copyfile(png, target)
    pixels = read_png(png)[:, :, :3]
    assert pixels.shape == (HEIGHT, WIDTH, 3)
    assert (pixels[0, 0] == 255).all()  # a white page, no dark background
    inked = (pixels < 200).any(axis=2).mean()
    assert inked > 0.02, f"only {inked:.2%} of the screenshot is drawn on"
    packed = pixels.astype(np.uint32) @ np.array([1 << 16, 1 << 8, 1], dtype=np.uint32)
    colours = len(np.unique(packed))
    assert colours > 100, f"{colours} colours: text and charts draw many shades"
    for hex_colour in PALETTE[:5]:  # the charts drew their series
        count = int((packed == int(hex_colour[1:], 16)).sum())
        assert count > 300, f"{hex_colour}: {count} pixels"


def test_prints_landscape_without_console_messages(tmp_path: Path, report_html: str) -> None:
    pdf = tmp_path / "report.pdf"
    page = write_page(tmp_path, "print", report_html)
    lines = chromium(page, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    assert lines == [], "\n".join(lines)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", data)
    assert boxes, "no page in the PDF"
    for width, height in boxes:  # @page { size: landscape }
        assert float(width) > float(height), (width, height)


def test_the_board_report_is_drawn_without_console_messages(tmp_path: Path) -> None:
    """``salesplan report`` for the series-A plan, as a board member's browser opens it."""
    from tests.paths import ROOT

    from salesplan.api import evaluate
    from salesplan.choices import Period
    from salesplan.report.board_report import board_report

    ev = evaluate(str(ROOT / "configs" / "series-a.yaml"))
    text = render_html(board_report(ev, ev.outlook(200, 0), ev.sensitivity(0.2), Period.QUARTER))
    png = tmp_path / "board.png"
    page = write_page(tmp_path, "board", text)
    lines = chromium(page, f"--screenshot={png}", f"--window-size={WIDTH},{HEIGHT}")
    assert lines == [], "\n".join(lines)
    pixels = read_png(png)[:, :, :3]
    inked = (pixels < 200).any(axis=2).mean()
    assert inked > 0.02, f"only {inked:.2%} of the screenshot is drawn on"
