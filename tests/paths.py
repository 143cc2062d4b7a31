"""Where the tests find the repository, the golden files and the test plans."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
GOLDEN = TESTS / "golden"
PLANS = TESTS / "plans"
CONFIGS = ROOT / "configs"
