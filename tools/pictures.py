"""Make the README's pictures from real output: ``make pictures``.

``docs/images/first-screen.png``: ``salesplan plan configs/series-a.yaml`` run in a real
terminal (tmux, 100 columns, colour), its screen captured with its colours, drawn as SVG
by Rich and photographed by headless Chromium.  ``docs/images/board-report.png``: the top
of ``salesplan report configs/series-a.yaml -o board.html`` in headless Chromium.

Needs ``tmux`` and ``chromium`` (Debian's packages); the pictures are committed, so
nothing else (tests, CI) needs either.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.text import Text

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT / "docs" / "images"
PLAN = "configs/series-a.yaml"
COLUMNS, ROWS = 100, 60
BOARD_WINDOW = (1280, 1500)


def _require(*tools: str) -> None:
    missing = [t for t in tools if shutil.which(t) is None]
    if missing:
        sys.exit(f"pictures: install {' and '.join(missing)} first (apt-get install {missing[0]})")


def terminal_capture(command: str) -> str:
    """Return the screen of ``command`` run in a tmux terminal, with its ANSI colours."""
    session = "salesplan-pictures"
    subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True, check=False)
    size = ["-x", str(COLUMNS), "-y", str(ROWS)]
    run = f"{command}; echo __done__; sleep 60"
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, *size, "-c", str(ROOT), run], check=True
    )
    try:
        for _ in range(600):
            time.sleep(0.1)
            screen = subprocess.run(
                ["tmux", "capture-pane", "-t", session, "-e", "-p"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            if "__done__" in screen:
                return screen.split("__done__")[0].rstrip() + "\n"
        raise SystemExit(f"pictures: {command!r} did not finish")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True, check=False)


def screenshot(page: Path, png: Path, size: tuple[int, int]) -> None:
    """Photograph a page (HTML or SVG) with headless Chromium at ``size``."""
    subprocess.run(
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            f"--window-size={size[0]},{size[1]}",
            f"--screenshot={png}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
    )


def first_screen(work: Path) -> None:
    """The first screen, as a terminal shows it."""
    shown = f"salesplan plan {PLAN}"
    command = f".venv/bin/salesplan plan {PLAN} --no-pager"
    screen = terminal_capture(command)
    console = Console(
        record=True,
        width=COLUMNS,
        force_terminal=True,
        color_system="standard",
        file=io.StringIO(),
    )
    console.print(Text("$ " + shown, style="bold"))
    console.print(Text.from_ansi(screen), soft_wrap=True)
    svg = console.export_svg(title=shown)
    page = work / "first-screen.svg"
    page.write_text(svg, encoding="utf-8")
    match = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg)
    assert match, "Rich's SVG has a viewBox"
    size = (round(float(match[1])), round(float(match[2])))
    screenshot(page, IMAGES / "first-screen.png", size)


def board_report(work: Path) -> None:
    """The top of the board report, as a browser shows it."""
    page = work / "board.html"
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "salesplan"), "report", PLAN, "-o", str(page)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    screenshot(page, IMAGES / "board-report.png", BOARD_WINDOW)


def main() -> None:
    _require("tmux", "chromium")
    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        first_screen(Path(tmp))
        board_report(Path(tmp))
    for name in ("first-screen.png", "board-report.png"):
        print(f"wrote docs/images/{name}")


if __name__ == "__main__":
    main()
