"""Tests for the strict, bounded, located YAML reader."""

from __future__ import annotations

import math
import re
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from salesplan.load.yamlread import MAX_ALIASES, MAX_BYTES, MAX_DEPTH, read_yaml, read_yaml_file
from salesplan.problems import Location, Severity, has_errors
from salesplan.problems.codes import BY_CODE
from tests.paths import ROOT

P = "plan.yaml"

# Nine levels of nine aliases: only 72 aliases, but 9**8 values once expanded.
LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]\n"
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True)
)

MALFORMED: list[tuple[str, str | bytes, str, int, int]] = [
    ("unclosed bracket", "a: [1, 2\n", "SP101", 2, 1),
    ("unclosed brace", "a: {b: 1\n", "SP101", 2, 1),
    ("unterminated quote", 'a: "abc\n', "SP101", 2, 1),
    ("bad indentation", "a:\n  b: 1\n c: 2\n", "SP101", 3, 2),
    ("over-indented key", "a: 1\n  b: 2\n", "SP101", 2, 4),
    ("two values on a line", "a: b: c\n", "SP101", 1, 5),
    ("tab indentation", "a:\n\tb: 1\n", "SP101", 2, 1),
    ("undefined alias", "a: *nope\n", "SP101", 1, 4),
    ("duplicate key", "a: 1\nb: 2\na: 3\n", "SP102", 3, 1),
    ("nested duplicate key", "x:\n  y:\n    a: 1\n    a: 2\n", "SP102", 4, 5),
    ("duplicate key written two ways", "1: a\n'1': b\n", "SP102", 2, 1),
    ("duplicate in flow mapping", "a: {k: 1, k: 2}\n", "SP102", 1, 11),
    ("billion laughs", LAUGHS, "SP104", 7, 8),
    ("10,000-deep brackets", "[" * 10_000, "SP103", 1, MAX_DEPTH + 1),
    ("100,000-deep brackets", "[" * 100_000, "SP103", 1, MAX_DEPTH + 1),
    ("30,000-deep flow mappings", "{a: " * 30_000, "SP103", 1, 4 * MAX_DEPTH + 1),
    ("100,000-deep block lists", "- " * 100_000 + "x\n", "SP103", 1, 2 * MAX_DEPTH + 1),
    ("deep block mappings", "".join(f"{' ' * i}k:\n" for i in range(70)), "SP103", 65, 65),
    ("too many aliases", "a: &a 1\nb: [" + ", ".join(["*a"] * 101) + "]\n", "SP104", 2, 405),
    ("python tag", "a: !!python/object/apply:os.system [ls]\n", "SP105", 1, 4),
    ("custom tag", "a: !money 5\n", "SP105", 1, 4),
    ("str tag", "a: !!str 5\n", "SP105", 1, 4),
    ("tag on a mapping", "a: !!map {b: 1}\n", "SP105", 1, 4),
    ("merge key", "base: &b {x: 1}\nc:\n  <<: *b\n", "SP105", 3, 3),
    ("two documents", "a: 1\n---\nb: 2\n", "SP105", 2, 1),
    ("complex key", "? [a, b]\n: 1\n", "SP105", 1, 3),
    ("complex key in flow", "{[a]: 1}\n", "SP105", 1, 2),
    ("alias to a mapping as key", "a: &m {x: 1}\n*m : 2\n", "SP105", 2, 1),
    ("recursive alias", "a: &r [1, *r]\n", "SP105", 1, 11),
    ("yes", "a: yes\n", "SP106", 1, 4),
    ("No", "a: No\n", "SP106", 1, 4),
    ("ON in a list", "a: [1, ON]\n", "SP106", 1, 8),
    ("off", "a:\n  - off\n", "SP106", 2, 5),
    ("y", "a: y\n", "SP106", 1, 4),
    ("empty file", "", "SP100", 0, 0),
    ("whitespace only", "  \n\n \t\n", "SP100", 0, 0),
    ("comments only", "# a plan\n  # nothing yet\n", "SP100", 0, 0),
    ("BOM then nothing", b"\xef\xbb\xbf\n", "SP100", 0, 0),
    ("NUL bytes", b"a: 1\nb: x\x00y\n", "SP100", 2, 5),
    ("latin-1 bytes", "a: 1\nname: caf\xe9\n".encode("latin-1"), "SP100", 2, 10),
    ("bad byte after multibyte text", "é: 1\nb: ü\xff\n".encode("latin-1"), "SP100", 1, 1),
    ("bad byte after valid UTF-8", "é: ü\n".encode() + b"bad: \xff\n", "SP100", 2, 6),
    ("UTF-16", "a: 1\n".encode("utf-16"), "SP100", 1, 1),
    ("control character", "a: 1\nb: \x07\n", "SP100", 2, 4),
    ("oversize", b"a: " + b"x" * MAX_BYTES, "SP100", 0, 0),
]


@pytest.mark.parametrize(
    ("text", "code", "line", "col"),
    [pytest.param(text, code, line, col, id=name) for name, text, code, line, col in MALFORMED],
)
def test_malformed_input_is_located(text: str | bytes, code: str, line: int, col: int) -> None:
    raw = text if isinstance(text, bytes) else text.encode()
    doc, problems = read_yaml(P, raw)
    # After a duplicate key the document is still whole (the later value stands), so the
    # loader can look for the plan's other problems; after any other error there is none.
    assert (doc is not None) == (code == "SP102")
    assert [(p.code, p.location.line, p.location.col) for p in problems][:1] == [(code, line, col)]
    assert problems[0].location.path == P
    assert all(p.severity is Severity.ERROR and p.message for p in problems)


def test_malformed_table_is_big_enough() -> None:
    assert len(MALFORMED) >= 25


def test_messages_are_readable() -> None:
    def message(text: str) -> str:
        return read_yaml(P, text.encode())[1][0].message

    assert message("a: [1, 2\n").startswith("expected ',' or ']', but got '<stream end>'")
    assert "started on line 1" in message("a: [1, 2\n")
    assert "tabs" in message("a:\n\tb: 1\n")
    assert "indentation" in message("a:\n  b: 1\n c: 2\n")
    assert "'a'" in message("a: 1\na: 2\n") and "line 1" in message("a: 1\na: 2\n")
    assert "extends" in message("<<: {a: 1}\n")
    assert "true/false" in message("a: on\n")
    assert "!!python/object" in message("a: !!python/object:os.system x\n")


def test_every_duplicate_is_reported_in_one_pass() -> None:
    text = "a: 1\nb:\n  x: 1\n  x: 2\na: 3\nc: yes\n"
    doc, problems = read_yaml(P, text.encode())
    assert doc is None
    found = [(p.code, p.location.line, p.location.col) for p in problems]
    assert found == [("SP102", 4, 3), ("SP102", 5, 1), ("SP106", 6, 4)]


def test_problems_keep_coming_after_a_refused_feature() -> None:
    text = "a: !x 1\n<<: {b: 1}\n? [k]\n: 2\nc: 1\nc: 2\n"
    codes = [p.code for p in read_yaml(P, text.encode())[1]]
    assert codes == ["SP105", "SP105", "SP105", "SP102"]


def test_billion_laughs_is_rejected_fast() -> None:
    start = time.perf_counter()
    doc, problems = read_yaml(P, LAUGHS.encode())
    assert time.perf_counter() - start < 0.5
    assert doc is None and problems[0].code == "SP104"


@pytest.mark.parametrize("text", ["[" * 100_000, "{a: " * 30_000, "- " * 100_000])
def test_pathological_nesting_stops_fast(text: str) -> None:
    start = time.perf_counter()
    _, problems = read_yaml(P, text.encode())
    assert time.perf_counter() - start < 0.5
    assert [p.code for p in problems] == ["SP103"]


def test_depth_limit_is_exact() -> None:
    ok, _ = read_yaml(P, ("[" * MAX_DEPTH + "]" * MAX_DEPTH).encode())
    assert ok is not None
    deep = "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)
    assert [p.code for p in read_yaml(P, deep.encode())[1]] == ["SP103"]
    block = "".join(f"{' ' * i}k:\n" for i in range(MAX_DEPTH - 1)) + " " * MAX_DEPTH + "k: [1]\n"
    assert read_yaml(P, block.encode())[1][0].code == "SP103"


def test_alias_limit_is_exact() -> None:
    ok = "a: &a 1\nb: [" + ", ".join(["*a"] * MAX_ALIASES) + "]\n"
    doc, problems = read_yaml(P, ok.encode())
    assert problems == [] and doc is not None and doc.data["b"] == [1] * MAX_ALIASES


def test_small_alias_expansion_is_fine() -> None:
    doc, problems = read_yaml(P, "\n".join(LAUGHS.splitlines()[:4]).encode())
    assert problems == [] and doc is not None
    assert len(doc.data["d"]) == 9 and doc.data["d"][0][0][0][0] == "lol"


def test_oversize_and_bom_are_decided_on_bytes() -> None:
    assert read_yaml(P, b"a: " + b"x" * (MAX_BYTES - 3))[0] is not None
    doc, problems = read_yaml(P, b"\xef\xbb\xbfa: 1\nb: [x]\n")
    assert problems == [] and doc is not None and doc.data == {"a": 1, "b": ["x"]}
    assert doc.where(("a",), key=True) == Location(P, 1, 1)
    assert doc.where(("b", 0)) == Location(P, 2, 5)


SCALARS: list[tuple[str, Any]] = [
    ("1e6", 1e6),
    ("1.5e-3", 1.5e-3),
    (".5", 0.5),
    ("2.", 2.0),
    ("-1.25", -1.25),
    ("1_000.5", 1000.5),
    ("1_000", 1000),
    ("1_000_000", 1_000_000),
    ("-5", -5),
    ("+5", 5),
    ("007", 7),
    ("0x1F", "0x1F"),
    ("0o17", "0o17"),
    ("1__0", "1__0"),
    ("1_", "1_"),
    ("9" * 5000, "9" * 5000),
    ("2027-01", "2027-01"),
    ("2027-01-15", "2027-01-15"),
    ("12:30", "12:30"),
    ("1,000", "1,000"),
    ("true", True),
    ("True", True),
    ("TRUE", True),
    ("false", False),
    ("FALSE", False),
    ("tRUE", "tRUE"),
    ("'true'", "true"),
    ('"yes"', "yes"),
    ("'1e6'", "1e6"),
    ("'~'", "~"),
    ("~", None),
    ("null", None),
    ("Null", None),
    ("NULL", None),
    ("", None),
    (".inf", math.inf),
    ("-.INF", -math.inf),
    ("+.Inf", math.inf),
    ("yesterday", "yesterday"),
    ("no way", "no way"),
    ("|\n  text\n", "text\n"),
    ("<<", "<<"),
    ("=", "="),
]


@pytest.mark.parametrize(("text", "expected"), SCALARS)
def test_plain_scalars_follow_the_yaml_1_2_core_schema(text: str, expected: Any) -> None:
    doc, problems = read_yaml(P, f"v: {text}\n".encode())
    assert problems == [] and doc is not None
    assert doc.data["v"] == expected
    assert type(doc.data["v"]) is type(expected)


@pytest.mark.parametrize("text", [".nan", ".NaN", ".NAN"])
def test_nan_is_read_for_the_schema_to_reject(text: str) -> None:
    doc, _ = read_yaml(P, f"v: {text}\n".encode())
    assert doc is not None and math.isnan(doc.data["v"])


def test_keys_are_kept_as_written() -> None:
    doc, problems = read_yaml(P, b"1: a\ntrue: b\nyes: c\n~: d\n1.50: e\n'q': f\n")
    assert problems == [] and doc is not None
    assert doc.data == {"1": "a", "true": "b", "yes": "c", "~": "d", "1.50": "e", "q": "f"}
    assert list(doc.data) == ["1", "true", "yes", "~", "1.50", "q"]


PLAN = """\
name: Acme
tiers:
  - name: smb
    acv: 12_000
  - name: ent
    acv: 1e5
targets: {arr: 10_000_000, year: 2027}
empty:
"""


def test_where_locates_keys_values_and_list_items() -> None:
    doc, problems = read_yaml(P, PLAN.encode())
    assert problems == [] and doc is not None
    assert doc.where(()) == Location(P, 1, 1)
    assert doc.where(("name",)) == Location(P, 1, 7)
    assert doc.where(("name",), key=True) == Location(P, 1, 1)
    assert doc.where(("tiers",)) == Location(P, 3, 3)
    assert doc.where(("tiers", 1)) == Location(P, 5, 5)
    assert doc.where(("tiers", 1), key=True) == Location(P, 5, 5)
    assert doc.where(("tiers", 1, "acv")) == Location(P, 6, 10)
    assert doc.where(("tiers", 1, "acv"), key=True) == Location(P, 6, 5)
    assert doc.where(("targets", "year")) == Location(P, 7, 34)
    assert doc.where(("targets", "year"), key=True) == Location(P, 7, 28)
    assert doc.where(("empty",), key=True) == Location(P, 8, 1)


def test_where_falls_back_to_the_nearest_existing_ancestor() -> None:
    doc, _ = read_yaml(P, PLAN.encode())
    assert doc is not None
    assert doc.where(("nope",)) == Location(P, 1, 1)
    assert doc.where(("tiers", 7, "acv")) == Location(P, 3, 3)
    assert doc.where(("tiers", 0, "missing"), key=True) == Location(P, 3, 5)
    assert doc.where(("name", "deeper")) == Location(P, 1, 7)
    assert doc.where(("tiers", "0")) == Location(P, 3, 3)
    assert doc.where(("tiers", -1)) == Location(P, 3, 3)


def test_where_counts_lines_like_the_parser_with_crlf() -> None:
    doc, _ = read_yaml(P, b"a: 1\r\nb:\r\n  - x\r\n")
    assert doc is not None and doc.where(("b", 0)) == Location(P, 3, 5)
    _, problems = read_yaml(P, b"a: 1\r\nb: \x07\r\n")
    assert problems[0].location == Location(P, 2, 4)


def test_aliases_share_the_anchored_value() -> None:
    text = "base: &b\n  acv: 100\n  list: [1, 2]\ncopy: *b\nitems: [*b, *b]\n"
    doc, problems = read_yaml(P, text.encode())
    assert problems == [] and doc is not None
    assert doc.data["copy"] is doc.data["base"]
    assert doc.data["items"][0] is doc.data["base"] and doc.data["items"][1] is doc.data["base"]
    assert doc.where(("copy",)) == Location(P, 4, 7)
    assert doc.where(("copy", "acv")) == Location(P, 2, 8)
    assert doc.where(("items", 1, "list", 1)) == Location(P, 3, 13)


def test_scalar_anchors_and_explicit_single_document() -> None:
    doc, problems = read_yaml(P, b"---\na: &n 5\nb: *n\n...\n")
    assert problems == [] and doc is not None and doc.data == {"a": 5, "b": 5}
    doc, problems = read_yaml(P, b"--- 3\n")
    assert problems == [] and doc is not None and doc.data == 3


def test_read_yaml_file(tmp_path: Path) -> None:
    good = tmp_path / "plan.yaml"
    good.write_text("a: 1\n", encoding="utf-8")
    doc, problems = read_yaml_file(str(good))
    assert problems == [] and doc is not None and doc.data == {"a": 1} and doc.path == str(good)
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: " + b"x" * (3 * MAX_BYTES))
    for path in (tmp_path / "missing.yaml", tmp_path, big):
        doc, problems = read_yaml_file(str(path))
        assert doc is None
        assert [(p.code, p.location) for p in problems] == [("SP100", Location(str(path)))]


def test_read_yaml_file_reads_at_most_one_byte_past_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"x" * (2 * MAX_BYTES))
    sizes: list[int] = []

    def spy(path: str, raw: bytes) -> tuple[None, list[Any]]:
        sizes.append(len(raw))
        return None, []

    monkeypatch.setattr("salesplan.load.yamlread.read_yaml", spy)
    read_yaml_file(str(big))
    assert sizes == [MAX_BYTES + 1]


def _check_outcome(raw: bytes) -> None:
    doc, problems = read_yaml(P, raw)
    assert has_errors(problems) == (doc is None)
    for p in problems:
        assert p.code in BY_CODE and p.location.line >= 0 and p.location.col >= 0


@settings(deadline=None)
@given(st.text())
def test_any_text_gives_a_doc_or_located_problems(text: str) -> None:
    _check_outcome(text.encode("utf-8", "surrogatepass"))


@settings(deadline=None)
@given(st.binary())
def test_any_bytes_give_a_doc_or_located_problems(raw: bytes) -> None:
    _check_outcome(raw)


YAML_ISH = st.text(st.sampled_from(list("ab:-[]{}#&*!|>'\"?,.~ \n\t01eEyn%@`<")), max_size=40)


@settings(deadline=None)
@given(YAML_ISH)
def test_yaml_looking_text_gives_a_doc_or_located_problems(text: str) -> None:
    _check_outcome(text.encode())


# Strings YAML 1.2 types, or this reader refuses, that safe_dump (YAML 1.1) may leave unquoted.
_TYPED_IN_1_2 = re.compile(
    r"(?i:yes|no|on|off|y|n|true|false|null|~|<<|[-+]?\.inf|\.nan)"
    r"|[-+]?[0-9._]*[0-9][0-9._]*(?:[eE][-+]?[0-9]+)?"
)
# PyYAML mangles YAML 1.1 line breaks (NEL, LS, PS) inside quoted scalars on its own round trip.
_CHARS = st.characters(exclude_categories=("Cs",), exclude_characters="\x85\u2028\u2029")
PLAIN_STRINGS = st.text(_CHARS, max_size=20).filter(lambda s: not _TYPED_IN_1_2.fullmatch(s))
JSON_LIKE = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False)
    | PLAIN_STRINGS,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(PLAIN_STRINGS, inner, max_size=5),
    max_leaves=25,
)


@settings(deadline=None)
@given(JSON_LIKE, st.booleans(), st.booleans())
def test_safe_dump_round_trips(value: Any, flow: bool, unicode: bool) -> None:
    text = yaml.safe_dump(value, default_flow_style=flow, allow_unicode=unicode)
    doc, problems = read_yaml(P, text.encode())
    assert problems == []
    assert doc is not None and doc.data == value


# Each file holds the marker where the reader's message would quote it, if it quoted anything.
QUIET: list[tuple[str, bytes, str]] = [
    ("duplicate key", b"zqx: 1\nzqx: 2\n", "SP102"),
    ("tag", b"a: !zqx 1\n", "SP105"),
    ("undefined alias", b"a: *zqx\n", "SP101"),
    ("recursive alias", b"a: &zqx [*zqx]\n", "SP105"),
    ("unknown escape", b'a: "\\zqx"\n', "SP101"),
    ("undefined tag handle", b"a: !zqx!b 1\n", "SP101"),
    ("ambiguous OFF", b"a: OFF\n", "SP106"),
    ("not UTF-8", b"a: \xff\n", "SP100"),
    ("control character", b"a: \x07\n", "SP100"),
]


@pytest.mark.parametrize(("name", "raw", "code"), QUIET, ids=[q[0] for q in QUIET])
def test_a_quiet_read_locates_without_quoting(name: str, raw: bytes, code: str) -> None:
    _, loud = read_yaml(P, raw)
    _, problems = read_yaml(P, raw, quiet=True)
    assert [(p.code, p.location) for p in problems] == [(p.code, p.location) for p in loud]
    assert code in [p.code for p in problems]
    for p in problems:
        for shown in ("zqx", "OFF", "0xff", "U+0007", "\\z", "!"):
            assert shown not in p.message, (name, p.message)


# -- libyaml's parser, behind the flow-depth bound ----------------------------------------

YAML_FILES = sorted(
    p
    for folder in ("configs", "tests/plans", "src/salesplan/starters")
    for p in (ROOT / folder).rglob("*.y*ml")
)


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_libyaml_and_the_python_parser_build_the_same_document(path: Path) -> None:
    from salesplan.load import yamlread

    text = path.read_text("utf-8")
    assert yamlread._flow_bound(text) < yamlread.MAX_DEPTH
    fast = yamlread._parse(str(path), text, False, yamlread._FAST, fallible=True)
    slow = yamlread._parse(str(path), text, False, yamlread._Loader, fallible=False)
    assert fast is not None and slow is not None
    # repr: a .nan in a plan is equal to nothing, itself included.
    assert repr(fast.root) == repr(slow.root)
    # Spots are keyed by each container's id: compare them in the order they were built.
    assert repr(list(fast.spots.values())) == repr(list(slow.spots.values()))
    assert fast.problems == slow.problems


@pytest.mark.parametrize(
    "text",
    ["a: [1, 2\n", "a: 'open\n", "a:\n  - b\n c: 1\n", "a: {b: 1\n", "- [\n"],
)
def test_a_file_libyaml_cannot_read_gets_the_python_parsers_message(text: str) -> None:
    from salesplan.load import yamlread

    assert yamlread._parse("p.yaml", text, False, yamlread._FAST, fallible=True) is None
    _, problems = yamlread.read_yaml("p.yaml", text.encode())
    slow = yamlread._parse("p.yaml", text, False, yamlread._Loader, fallible=False)
    assert slow is not None and problems == slow.problems and problems
