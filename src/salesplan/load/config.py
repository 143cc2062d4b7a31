"""Project configuration: which checks run, and how strictly, for the plans of a project.

As ruff and yamllint do, salesplan looks for its configuration from the current directory
upwards and stops at the first directory that has one: a ``.salesplan.yaml`` there, else a
``pyproject.toml`` with a ``[tool.salesplan]`` table (a ``pyproject.toml`` without one is
passed over).  Both hold the same keys::

    [tool.salesplan]
    select = ["SP2", "SP3", "SP4"]   # only these codes (or prefixes); default: all
    ignore = ["SP409"]               # never these
    strict = true                    # warnings fail `check` too

    [tool.salesplan.per-path]
    "configs/scenarios/*.yaml" = { ignore = ["SP301"] }

A ``per-path`` pattern is matched against the plan's path relative to the configuration
file's directory (``*`` stays within a directory, ``**`` spans any number of them; a
pattern without ``/`` matches the file's name in any directory).  For a plan it matches,
``ignore`` adds to the ignored codes, while ``select`` and ``strict`` replace the top-level
values; several matching patterns apply in the order written.  Options given on the command
line replace the configuration's value of the same key, per-path values included.

Reading never prints, exits or raises: a configuration that cannot be used comes back as
located problems (SP600-SP602; a YAML file's reading problems keep their SP1xx codes).
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from salesplan.load.yamlread import MAX_BYTES, Doc, read_bytes, read_yaml_file
from salesplan.problems import Location, Problem, did_you_mean, sorted_problems
from salesplan.problems.codes import CODES, problem

YAML_NAME = ".salesplan.yaml"
TOML_NAME = "pyproject.toml"
KEYS = ("select", "ignore", "strict", "per-path")
PATH_KEYS = ("select", "ignore", "strict")

KeyPath = tuple[str, ...]


@dataclass(frozen=True)
class Settings:
    """What applies to one plan: the codes chosen and whether warnings fail."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    strict: bool = False


@dataclass(frozen=True)
class PathRule:
    """Settings for the plans a pattern matches (None: the key is not given)."""

    pattern: str
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    strict: bool | None = None


@dataclass(frozen=True)
class Config:
    """A project's configuration, or none (``path`` None): the defaults."""

    path: str | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    strict: bool | None = None
    per_path: tuple[PathRule, ...] = field(default=())
    # The directory patterns start from, absolute: it stays right if the process moves.
    root: str = field(default="", compare=False)

    def settings(
        self,
        plan: str,
        *,
        select: Iterable[str] | None = None,
        ignore: Iterable[str] | None = None,
        strict: bool | None = None,
    ) -> Settings:
        """Return the settings for one plan: per-path rules over the top level, and the
        command line's ``select``, ``ignore`` and ``strict`` (when given) over both."""
        chosen, ignored, is_strict = self.select, list(self.ignore), self.strict
        for rule in self.per_path:
            if not self._matches(rule.pattern, plan):
                continue
            chosen = rule.select if rule.select is not None else chosen
            ignored += rule.ignore
            is_strict = rule.strict if rule.strict is not None else is_strict
        if select is not None:
            chosen = tuple(select)
        if ignore is not None:
            ignored = list(ignore)
        if strict is not None:
            is_strict = strict
        return Settings(tuple(chosen or ()), tuple(dict.fromkeys(ignored)), bool(is_strict))

    def _matches(self, pattern: str, plan: str) -> bool:
        """Return whether a per-path pattern matches a plan's path."""
        if "/" not in pattern:
            return glob_match(pattern, os.path.basename(plan))
        relative = os.path.relpath(os.path.abspath(plan), self.root).replace(os.sep, "/")
        return not relative.startswith("../") and glob_match(pattern, relative)


def glob_match(pattern: str, path: str) -> bool:
    """Return whether a ``/``-separated path matches a glob (``**`` spans directories).

    >>> glob_match("plans/*.yaml", "plans/a.yaml"), glob_match("plans/*.yaml", "plans/x/a.yaml")
    (True, False)
    >>> glob_match("configs/**/*.yaml", "configs/x/y/a.yaml"), glob_match("**/a.yaml", "a.yaml")
    (True, True)
    """
    return re.fullmatch(_glob_regex(pattern), path) is not None


def _glob_regex(pattern: str) -> str:
    """Translate a glob to a regular expression: ``*`` and ``?`` stay within a directory."""
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return "".join(out)


def find_config(start: str) -> str | None:
    """Return the configuration file that applies in ``start``: the first found upwards."""
    directory = os.path.abspath(start)
    while True:
        candidate = os.path.join(directory, YAML_NAME)
        if os.path.isfile(candidate):
            return candidate
        candidate = os.path.join(directory, TOML_NAME)
        if os.path.isfile(candidate) and _has_table(candidate):
            return candidate
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def _has_table(path: str) -> bool:
    """Return whether a pyproject.toml is salesplan's: it has, or mentions, the table.

    One that cannot be parsed counts only if it names ``tool.salesplan`` (then its error is
    reported); otherwise it is someone else's file and is passed over.
    """
    raw = read_bytes(path)
    if isinstance(raw, str) or len(raw) > MAX_BYTES:
        return False
    text = raw.decode("utf-8", "replace")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return re.search(r"tool\s*\.\s*[\"']?salesplan", text) is not None
    tool = data.get("tool")
    return isinstance(tool, dict) and "salesplan" in tool


def load_config(start: str = ".") -> tuple[Config, list[Problem]]:
    """Find and read the configuration that applies in ``start`` (none: the defaults)."""
    found = find_config(start)
    if found is None:
        return Config(), []
    # Named from the current directory, as messages name plans (``../pyproject.toml``).
    config, problems = read_config(os.path.relpath(found))
    return config, sorted_problems(problems)


def read_config(path: str) -> tuple[Config, list[Problem]]:
    """Read one configuration file: ``.salesplan.yaml``, or a ``pyproject.toml``'s table."""
    if os.path.basename(path) == TOML_NAME:
        return _read_toml(path)
    doc, problems = read_yaml_file(path)
    if doc is None:
        return Config(path), problems
    if not isinstance(doc.data, dict):
        msg = "a configuration is a mapping of keys (select, ignore, strict, per-path)"
        return Config(path), [*problems, problem("SP600", doc.where(()), msg)]
    return _typed(path, doc.data, _YamlPlaces(doc), problems)


def _read_toml(path: str) -> tuple[Config, list[Problem]]:
    """Read the ``[tool.salesplan]`` table of a pyproject.toml."""
    raw = read_bytes(path)
    if isinstance(raw, str):
        return Config(path), [problem("SP600", Location(path), raw)]
    if len(raw) > MAX_BYTES:
        msg = f"the file is larger than {MAX_BYTES:,} bytes"
        return Config(path), [problem("SP600", Location(path), msg)]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return Config(path), [problem("SP600", Location(path), "the file is not UTF-8")]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        return Config(path), [problem("SP600", *_toml_error(path, text, err))]
    table = data.get("tool", {}).get("salesplan") if isinstance(data.get("tool"), dict) else None
    places = _TomlPlaces(path, text)
    if not isinstance(table, dict):
        msg = "[tool.salesplan] must be a table of keys (select, ignore, strict, per-path)"
        return Config(path), [problem("SP600", places.where(()), msg)]
    return _typed(path, table, places, [])


def _toml_error(path: str, text: str, err: tomllib.TOMLDecodeError) -> tuple[Location, str]:
    """Locate a TOML syntax error (tomllib says where only in its message)."""
    message = str(err)
    found = re.search(r"\s*\(at line (\d+), column (\d+)\)$", message)
    if found:
        where = Location(path, int(found.group(1)), int(found.group(2)))
        return where, message[: found.start()]
    if message.endswith("(at end of document)"):
        lines = text.splitlines() or [""]
        where = Location(path, len(lines), len(lines[-1]) + 1)
        return where, message.removesuffix("(at end of document)").rstrip()
    return Location(path), message


class _YamlPlaces:
    """Locations of keys in a ``.salesplan.yaml``, from the reader's marks."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc

    def where(self, path: KeyPath, *, key: bool = False) -> Location:
        return self.doc.where(path, key=key)


class _TomlPlaces:
    """Locations of keys in a pyproject.toml's ``[tool.salesplan]`` table.

    tomllib keeps no positions, so each key is looked for in the text, in order, from the
    table's header on: good enough to point at the line, and never worse than the header.
    """

    def __init__(self, path: str, text: str) -> None:
        self.path, self.text = path, text
        header = re.search(r"(?m)^[ \t]*\[[ \t]*tool[ \t]*\.[ \t]*[\"']?salesplan\b", text)
        dotted = re.search(r"(?m)^[ \t]*[\"']?salesplan[\"']?[ \t]*[.=]", text)
        self.start = header.start() if header else dotted.start() if dotted else -1

    def where(self, path: KeyPath, *, key: bool = False) -> Location:
        if self.start < 0:
            return Location(self.path)
        at = self.start
        for part in path:
            found = re.compile(rf"[\"']?{re.escape(part)}[\"']?[ \t]*[=.\]]").search(self.text, at)
            if found is None:
                break
            at = found.start()
        before = self.text[:at].split("\n")
        return Location(self.path, len(before), len(before[-1]) + 1)


Places = _YamlPlaces | _TomlPlaces


def _typed(
    path: str, data: Mapping[str, Any], places: Places, problems: list[Problem]
) -> tuple[Config, list[Problem]]:
    """Check a configuration's keys and values; return it with every problem found."""
    found = list(problems)
    found += _unknown(data, KEYS, (), places)
    select = _codes(data, ("select",), places, found)
    ignore = _codes(data, ("ignore",), places, found)
    strict = _flag(data, ("strict",), places, found)
    rules: list[PathRule] = []
    per_path = data.get("per-path")
    if per_path is not None and not isinstance(per_path, dict):
        found.append(
            problem(
                "SP602",
                places.where(("per-path",)),
                "per-path: expected a mapping of path patterns to settings",
            )
        )
    elif isinstance(per_path, dict):
        for pattern, settings in per_path.items():
            at: KeyPath = ("per-path", str(pattern))
            if not str(pattern).strip():
                found.append(problem("SP602", places.where(at), "per-path: a pattern is empty"))
                continue
            if not isinstance(settings, dict):
                msg = f"per-path {pattern!r}: expected a mapping (select, ignore, strict)"
                found.append(problem("SP602", places.where(at), msg))
                continue
            found += _unknown(settings, PATH_KEYS, at, places)
            rules.append(
                PathRule(
                    str(pattern),
                    _codes(settings, (*at, "select"), places, found),
                    _codes(settings, (*at, "ignore"), places, found) or (),
                    _flag(settings, (*at, "strict"), places, found),
                )
            )
    root = os.path.dirname(os.path.abspath(path))
    config = Config(path, select, ignore or (), strict, tuple(rules), root)
    return config, found


def _unknown(
    data: Mapping[str, Any], allowed: tuple[str, ...], at: KeyPath, places: Places
) -> list[Problem]:
    """Return a problem for each key not in ``allowed``."""
    return [
        problem(
            "SP601",
            places.where((*at, str(k)), key=True),
            f"unknown key {k!r}{did_you_mean(str(k), list(allowed))} (keys: {', '.join(allowed)})",
        )
        for k in data
        if k not in allowed
    ]


_KNOWN = sorted(c.code for c in CODES)


def _codes(
    data: Mapping[str, Any], at: KeyPath, places: Places, found: list[Problem]
) -> tuple[str, ...] | None:
    """Return a list of codes (or prefixes) at ``at``; None when it is not given or bad."""
    value = data.get(at[-1])
    if value is None:
        return None
    name = " ".join(at if at[0] != "per-path" else (at[0], repr(at[1]), at[2]))
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        msg = f'{name}: expected a list of check codes or prefixes, e.g. ["SP4", "SP301"]'
        found.append(problem("SP602", places.where(at), msg))
        return None
    unknown = [v for v in value if not any(code.startswith(v) for code in _KNOWN) or not v]
    if unknown:
        listed = ", ".join(map(repr, unknown))
        msg = f"{name}: no check code is or starts with {listed}"
        found.append(problem("SP602", places.where(at), msg))
        return None
    return tuple(value)


def _flag(
    data: Mapping[str, Any], at: KeyPath, places: Places, found: list[Problem]
) -> bool | None:
    """Return a boolean at ``at``; None when it is not given or bad."""
    value = data.get(at[-1])
    if value is None:
        return None
    if not isinstance(value, bool):
        name = " ".join(at if at[0] != "per-path" else (at[0], repr(at[1]), at[2]))
        msg = f"{name}: expected true or false"
        found.append(problem("SP602", places.where(at), msg))
        return None
    return value
