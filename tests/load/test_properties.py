"""Property: whatever bytes a plan file holds, the route from it never raises.

It gives either a plan with no errors or at least one located problem with a known code.
Inputs are arbitrary text, arbitrary YAML documents, and small mutations of a shipped plan
(the most realistic way for a plan to go wrong).
"""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salesplan.load.plan import load_plan_text
from salesplan.pipeline import run_plan
from salesplan.problems import has_errors
from salesplan.problems.codes import BY_CODE
from tests.paths import ROOT

SERIES_A = (ROOT / "configs" / "series-a.yaml").read_text(encoding="utf-8")
SERIES_A_LINES = SERIES_A.splitlines(keepends=True)
# A path in no real directory, so an `extends:` the generator writes finds nothing by chance.
PLAN_PATH = str(ROOT / "no-such-dir" / "plan.yaml")

FAST = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)


def assert_loads_or_locates(text: str | bytes) -> None:
    """The property: no exception anywhere on the route; an evaluation without errors, or
    located, coded problems."""
    raw = text.encode("utf-8") if isinstance(text, str) else text
    checked = run_plan(PLAN_PATH, text=raw)
    problems = checked.problems
    for p in problems:
        assert p.code in BY_CODE, p
        assert p.message.strip(), p
        if p.code != "SP100":
            assert p.location.line >= 1, p
            assert p.location.col >= 1, p
    if checked.evaluation is None:
        assert has_errors(problems), problems
    else:
        assert not has_errors(problems), problems


# -- arbitrary text --------------------------------------------------------------------------


@FAST
@given(st.text(max_size=300))
def test_arbitrary_text(text: str) -> None:
    assert_loads_or_locates(text)


@FAST
@given(st.binary(max_size=200))
def test_arbitrary_bytes(data: bytes) -> None:
    assert_loads_or_locates(data)


YAMLISH = st.lists(
    st.sampled_from(
        [" ", "  ", "\n", "\t", ":", "- ", "{", "}", "[", "]", ",", "#", "&a", "*a", "!!str", "<<",
         '"', "'", "?", "|", ">", "---", "...", "yes", "no", "~", ".nan", "-.inf", "0x1f", "1e9",
         "2027-01", "company", "tiers", "roles", "extends", "name", "x"]
    ),
    max_size=60,
).map("".join)  # fmt: skip


@FAST
@given(YAMLISH)
def test_yaml_looking_text(text: str) -> None:
    assert_loads_or_locates(text)


# -- arbitrary YAML documents ----------------------------------------------------------------

KEYS = st.sampled_from(
    ["company", "target", "tiers", "roles", "pods", "suppress", "staffing", "extends", "name",
     "start", "share", "rate", "motions", "stages", "drivers", "stage", "capacity", "low",
     "likely", "high", "members", "code", "smb", "ae"]
) | st.text(max_size=8)  # fmt: skip

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
)

DOCUMENTS = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(KEYS, children, max_size=5),
    max_leaves=25,
)


@FAST
@given(DOCUMENTS)
def test_arbitrary_yaml_documents(doc: Any) -> None:
    assert_loads_or_locates(yaml.safe_dump(doc, sort_keys=False))


@FAST
@given(st.dictionaries(st.sampled_from(["company", "target", "tiers", "roles"]), DOCUMENTS))
def test_plan_shaped_documents(doc: dict[str, Any]) -> None:
    assert_loads_or_locates(yaml.safe_dump(doc, sort_keys=False))


# -- mutations of a shipped plan -------------------------------------------------------------

REPLACEMENTS = st.sampled_from(
    ["lots", '"5"', "[1, 2]", "{a: 1}", "true", ".nan", "-.inf", "-1", "0", "1.5", "~", "''",
     "yes", "2027-13", "1e400", "won", "{low: 3, likely: 2, high: 1}", "&x 1", "*x", "!!int 1"]
)  # fmt: skip

LINE = st.integers(min_value=0, max_value=len(SERIES_A_LINES) - 1)


def delete_line(lines: list[str], i: int) -> list[str]:
    return lines[:i] + lines[i + 1 :]


def duplicate_line(lines: list[str], i: int) -> list[str]:
    return lines[: i + 1] + lines[i:]


def change_value(lines: list[str], i: int, new: str) -> list[str]:
    line = lines[i]
    if ": " not in line:
        return lines
    key = line.split(": ", 1)[0]
    return [*lines[:i], f"{key}: {new}\n", *lines[i + 1 :]]


def change_inline_value(lines: list[str], i: int, new: str) -> list[str]:
    """Change the first value of a flow mapping such as ``{name: lead, rate: 0.1}``."""
    line = lines[i]
    start = line.find("{")
    if start < 0 or ": " not in line[start:]:
        return lines
    head, tail = line[start:].split(": ", 1)
    rest = tail.split(",", 1)[1] if "," in tail else "}\n"
    return [*lines[:i], f"{line[:start]}{head}: {new},{rest}", *lines[i + 1 :]]


MUTATION = st.one_of(
    st.tuples(st.just(delete_line), LINE),
    st.tuples(st.just(duplicate_line), LINE),
    st.tuples(st.just(change_value), LINE, REPLACEMENTS),
    st.tuples(st.just(change_inline_value), LINE, REPLACEMENTS),
)


def test_series_a_loads_clean() -> None:
    loaded, problems = load_plan_text(PLAN_PATH, SERIES_A)
    assert loaded is not None
    assert problems == []


@FAST
@given(st.lists(MUTATION, min_size=1, max_size=3))
def test_mutations_of_a_shipped_plan(mutations: list[tuple[Any, ...]]) -> None:
    lines = list(SERIES_A_LINES)
    for fn, i, *args in mutations:
        lines = fn(lines, min(i, len(lines) - 1), *args)
    assert_loads_or_locates("".join(lines))
