"""Read a plan file as strict, bounded YAML that remembers where every value was written.

The tree is built here from PyYAML's event stream, by a loop rather than recursion, so every
bound is enforced before anything large exists: a hostile file costs at most ``MAX_BYTES`` of
scanning and can neither exhaust the stack nor expand into memory.  The events come from
libyaml's C parser when the text's flow nesting is bounded under ``MAX_DEPTH`` (its scanner
has no depth limit of ours), else, and for any file it cannot parse, from PyYAML's
pure-Python parser, whose scanner refuses deeper nesting and whose messages are the ones
shown.
Plain scalars are typed by the YAML 1.2 core schema, not PyYAML's YAML 1.1 rules, so ``no``
never silently becomes ``False`` and ``2027-01-15`` stays the text it looks like.

A file read *quietly* (a plan another ``extends``, which may not be a plan at all) gets
messages that never quote its text: no keys, values, tags, characters or bytes, only where.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from dataclasses import dataclass, field
from typing import Any

import yaml

from salesplan.problems import Location, Problem, has_errors, sorted_problems
from salesplan.problems.codes import problem

MAX_BYTES = 1_000_000
"""Largest plan file read, in bytes; real plans are a few kilobytes."""

MAX_DEPTH = 64
"""Deepest nesting of mappings and lists; a collection at the top of the file is depth 1."""

MAX_ALIASES = 100
"""Most ``*alias`` uses one file may hold."""

MAX_EXPANDED = 1_000_000
"""Most values a file may hold once each alias is counted as a copy of what it names.

Catches "billion laughs" files that stay under ``MAX_ALIASES`` (nine levels of nine aliases);
no alias-free file under ``MAX_BYTES`` can reach it, since each value costs at least 2 bytes.
"""

# Where each key and value of a mapping or list was written: (line, column), 1-based, of the
# key and of the value; a Location is made only when one is asked for (the reader's hot path
# makes hundreds of spots a plan).
_Spot = tuple[int, int]
_Spots = dict[str | int, tuple[_Spot, _Spot]]

_NON_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
_LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")  # what PyYAML counts as a new line
_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_DIGITS = "[0-9]+(?:_[0-9]+)*"
_INT = re.compile(f"[-+]?{_DIGITS}")
_FLOAT = re.compile(rf"[-+]?(?:\.{_DIGITS}|{_DIGITS}(?:\.(?:{_DIGITS})?)?)(?:[eE][-+]?[0-9]+)?")
_INF_NAN = re.compile(r"[-+]?\.inf|\.nan", re.IGNORECASE)
_YES_NO = re.compile(r"yes|no|on|off|y|n", re.IGNORECASE)
_STD_TAG = "tag:yaml.org,2002:"
_NUMBER_START = frozenset("+-.0123456789")


@dataclass(frozen=True)
class Doc:
    """A parsed YAML document: plain Python data plus where each value was written."""

    path: str
    data: Any
    root: Location | None = field(default=None, repr=False, compare=False)
    # Keyed by id() of each dict and list in ``data``: an alias shares its target object, so
    # one entry serves every place it appears and expansion never multiplies the index.  Each
    # entry holds its node too, so a node the caller later drops cannot lend its id to another.
    spots: dict[int, tuple[Any, _Spots]] = field(default_factory=dict, repr=False, compare=False)

    def where(self, keypath: tuple[str | int, ...], *, key: bool = False) -> Location:
        """Locate the value at keypath (or its key), else its nearest existing ancestor."""
        node, here = self.data, self.root or Location(self.path)
        key_here = here
        for part in keypath:
            owner, spots = self.spots.get(id(node), (None, {}))
            if owner is not node or isinstance(part, bool) or part not in spots:
                return here
            (key_line, key_col), (line, col) = spots[part]
            key_here, here = Location(self.path, key_line, key_col), Location(self.path, line, col)
            node = node[part]
        return key_here if key else here


# libyaml's safe loader where PyYAML was built with it (the wheels are).
_FAST: Any = getattr(yaml, "CSafeLoader", None)
_OPENERS = frozenset("[{")
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def _flow_bound(text: str) -> int:
    """Return an upper bound of the text's flow nesting: brackets opened and not yet closed,
    counted anywhere (in quotes and comments too).  Under MAX_DEPTH, no flow collection
    can nest deeper, so libyaml may read the text (its scanner has no depth limit of ours).

    >>> _flow_bound("a: [1, {b: [2]}]"), _flow_bound("a: '[[['")
    (3, 3)
    """
    if "[" not in text and "{" not in text:
        return 0
    depth = deepest = 0
    for char in _NOT_BRACKET.sub("", text):
        if char in _OPENERS:
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}" and depth:
            depth -= 1
    return deepest


class _TooDeep(Exception):
    """Raised by the scanner, with the mark of the bracket that opens past MAX_DEPTH."""


class _Loader(yaml.SafeLoader):
    """The pure-Python safe loader, refusing to scan flow nesting past MAX_DEPTH."""

    def fetch_flow_collection_start(self, TokenClass: Any) -> None:
        # The scanner reads up to 1024 characters ahead for simple keys and rechecks every open
        # bracket's candidate key at each token: a line of '[' turns quadratic unless cut here.
        if self.flow_level >= MAX_DEPTH:
            raise _TooDeep(self.get_mark())
        super().fetch_flow_collection_start(TokenClass)


def _at(path: str, mark: Any) -> Location:
    """Turn a 0-based PyYAML mark into a 1-based location (no mark: the file)."""
    return Location(path, *_spot(mark))


def _spot(mark: Any) -> _Spot:
    """Turn a 0-based PyYAML mark into a 1-based (line, column); (0, 0) for no mark."""
    return (0, 0) if mark is None else (mark.line + 1, mark.column + 1)


def _text_at(path: str, text: str, index: int) -> Location:
    """Locate a character index in text, counting line breaks as PyYAML does."""
    lines = _LINE_BREAK.split(text[:index])
    return Location(path, len(lines), len(lines[-1]) + 1)


def _plain(text: str) -> Any:
    """Type an unquoted scalar by the YAML 1.2 core schema."""
    if text in _NULL:
        return None
    if text in _BOOL:
        return _BOOL[text]
    if text[0] not in _NUMBER_START:  # a word: no number, infinity or NaN starts this way
        return text
    if _INT.fullmatch(text):
        try:
            return int(text)
        except ValueError:  # more digits than Python will convert; let the schema reject it
            return text
    if _FLOAT.fullmatch(text):
        return float(text)
    if _INF_NAN.fullmatch(text):
        return float(text.replace(".", "", 1))  # float() reads inf and nan without YAML's dot
    return text


@dataclass
class _Frame:
    """A mapping or list under construction."""

    node: dict[str, Any] | list[Any]
    loc: _Spot
    first: int  # the node count before this one, so its expanded size is known at its end
    anchor: str | None
    spots: _Spots
    want_key: bool = True
    key: str | None = None  # None: the pending key was refused, so drop its value
    key_loc: _Spot | None = None
    seen: dict[str, int] = field(default_factory=dict)  # key -> line it was first written on


class _Builder:
    """Build plain data from parse events, enforcing every bound as each event arrives."""

    def __init__(self, path: str, *, quiet: bool = False) -> None:
        self.path = path
        self.quiet = quiet  # messages must not quote the file's text
        self.problems: list[Problem] = []
        self.stack: list[_Frame] = []
        self.root: Any = None
        self.root_loc: Location | None = None
        self.spots: dict[int, tuple[Any, _Spots]] = {}
        self.anchors: dict[str, tuple[Any, int, str | None]] = {}  # value, size, scalar text
        self.open_anchors: set[str] = set()
        self.documents = 0
        self.aliases = 0
        self.nodes = 0

    def report(self, code: str, loc: Location | _Spot, message: str) -> None:
        """Record one problem."""
        if isinstance(loc, tuple):
            loc = Location(self.path, *loc)
        self.problems.append(problem(code, loc, message))

    def feed(self, event: yaml.Event) -> bool:
        """Take one event; return False when a bound is hit and reading must stop."""
        if isinstance(event, yaml.ScalarEvent):
            return self.scalar(event)
        if isinstance(event, yaml.AliasEvent):
            return self.alias(event)
        if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            return self.start(event)
        if isinstance(event, yaml.CollectionEndEvent):
            self.end()
        elif isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                msg = "a plan file holds one YAML document: remove the second '---' and below"
                self.report("SP105", _spot(event.start_mark), msg)
                return False
        return True

    def count(self, size: int, loc: _Spot) -> bool:
        """Count values as if aliases were copies; False once past MAX_EXPANDED."""
        self.nodes += size
        if self.nodes <= MAX_EXPANDED:
            return True
        msg = f"aliases would expand this file to more than {MAX_EXPANDED:,} values"
        self.report("SP104", loc, msg)
        return False

    def check_tag(self, tag: str | None, loc: _Spot) -> None:
        """Refuse explicit tags, which would let the file pick Python types."""
        if tag is None:
            return
        if self.quiet:
            self.report("SP105", loc, "tags are not allowed: write plain values")
            return
        shown = "!!" + tag[len(_STD_TAG) :] if tag.startswith(_STD_TAG) else tag
        self.report("SP105", loc, f"tags are not allowed (found {shown}): write plain values")

    def key_wanted(self) -> bool:
        """Say whether the next node is a mapping key."""
        return (
            bool(self.stack) and isinstance(self.stack[-1].node, dict) and self.stack[-1].want_key
        )

    def scalar(self, event: yaml.ScalarEvent) -> bool:
        """Add a scalar, typed by the core schema when it is plain and untagged.

        Every scalar of every plan comes through here (hundreds a plan): the work is done
        inline, and a key is never typed (it stays the text written).
        """
        loc = _spot(event.start_mark)
        tag, text = event.tag, event.value
        if tag is not None:
            self.check_tag(tag, loc)
        if not self.count(1, loc):
            return False
        plain = not event.style and tag is None  # libyaml writes a plain style as ""
        stack = self.stack
        if stack and stack[-1].want_key and isinstance(stack[-1].node, dict):
            if event.anchor:
                self.anchors[event.anchor] = (_plain(text) if plain else text, 1, text)
            self.add(text, loc, text, merge=plain and text == "<<")
            return True
        value = _plain(text) if plain else text
        if event.anchor:
            self.anchors[event.anchor] = (value, 1, text)
        if plain and value.__class__ is str and _YES_NO.fullmatch(text):
            shown = "this yes/no/on/off" if self.quiet else f"'{text}'"
            msg = f"{shown} is ambiguous: write true/false, or quote it if you mean the text"
            self.report("SP106", loc, msg)
        self.add(value, loc, text)
        return True

    def alias(self, event: yaml.AliasEvent) -> bool:
        """Add the value an alias names, shared rather than copied."""
        loc = _spot(event.start_mark)
        self.aliases += 1
        if self.aliases > MAX_ALIASES:
            self.report("SP104", loc, f"more than {MAX_ALIASES} aliases (*name) in one file")
            return False
        name = event.anchor or ""
        alias, anchor = ("an alias", "an anchor") if self.quiet else (f"alias *{name}", f"&{name}")
        # Placeholders for a bad alias: its problem is reported, so the document is dropped.
        entry: tuple[Any, int, str | None] = (None, 1, f"*{name}")
        if name in self.open_anchors:
            msg = f"{alias} is inside the value it names: recursive data is not supported"
            self.report("SP105", loc, msg)
        elif name not in self.anchors:
            self.report("SP101", loc, f"{alias} names no anchor {anchor} written before it")
        else:
            entry = self.anchors[name]
        value, size, text = entry
        if not self.count(size, loc):
            return False
        self.add(value, loc, text)
        return True

    def start(self, event: yaml.MappingStartEvent | yaml.SequenceStartEvent) -> bool:
        """Open a mapping or list, refusing it past MAX_DEPTH."""
        loc = _spot(event.start_mark)
        if len(self.stack) >= MAX_DEPTH:
            self.report("SP103", loc, f"nesting is deeper than {MAX_DEPTH} levels")
            return False
        self.check_tag(event.tag, loc)
        if not self.count(1, loc):
            return False
        node: dict[str, Any] | list[Any] = {} if isinstance(event, yaml.MappingStartEvent) else []
        frame = _Frame(node, loc, self.nodes - 1, event.anchor, {})
        self.spots[id(node)] = (node, frame.spots)
        if event.anchor:
            self.open_anchors.add(event.anchor)
        self.stack.append(frame)
        return True

    def end(self) -> None:
        """Close the innermost mapping or list and add it to its parent."""
        frame = self.stack.pop()
        if frame.anchor:
            self.open_anchors.discard(frame.anchor)
            self.anchors[frame.anchor] = (frame.node, self.nodes - frame.first, None)
        self.add(frame.node, frame.loc, None)

    def add(self, value: Any, loc: _Spot, text: str | None, *, merge: bool = False) -> None:
        """Place a finished node: as the root, a list item, a key, or a key's value."""
        if not self.stack:
            self.root, self.root_loc = value, Location(self.path, *loc)
            return
        top = self.stack[-1]
        if isinstance(top.node, list):
            top.spots[len(top.node)] = (loc, loc)
            top.node.append(value)
        elif top.want_key:
            top.want_key, top.key, top.key_loc = False, self.check_key(top, text, loc, merge), loc
        else:
            top.want_key = True
            if top.key is not None and top.key_loc is not None:
                top.node[top.key] = value
                top.spots[top.key] = (top.key_loc, loc)

    def check_key(self, top: _Frame, text: str | None, loc: _Spot, merge: bool) -> str | None:
        """Return the key as written, or None after reporting why it cannot be used."""
        if text is None:
            self.report("SP105", loc, "a mapping key must be a plain value, not a list or mapping")
            return None
        if merge:
            msg = "merge keys (<<) are not supported: use 'extends:' to reuse another plan"
            self.report("SP105", loc, msg)
            return None
        if text in top.seen:
            shown = "" if self.quiet else f" '{text}'"
            msg = f"duplicate key{shown}: first written on line {top.seen[text]}"
            self.report("SP102", loc, msg)
        else:
            top.seen[text] = loc[0]
        return text


def _syntax_message(err: yaml.MarkedYAMLError, quiet: bool) -> str:
    """Phrase a PyYAML error as one readable line (quietly: without the characters it quotes)."""
    text = err.problem or err.context or "invalid YAML"
    hint = ""
    if "'\\t'" in text:
        hint = "; indent with spaces: YAML does not allow tabs there"
    elif "<block end>" in text or "mapping values are not allowed" in text:
        hint = "; check the indentation and that each 'key: value' is on its own line"
    if quiet:
        # PyYAML quotes what it found (an escape, a tag handle, a character): say only where.
        return f"not valid YAML here{hint}"
    if err.problem and err.context:
        mark = err.context_mark
        started = f" that started on line {mark.line + 1}" if mark is not None else ""
        text = f"{text} ({err.context}{started})"
    return text + hint


def _decode(path: str, raw: bytes, quiet: bool = False) -> tuple[str | None, list[Problem]]:
    """Turn bytes into YAML text, or say why they are not a text file."""
    if len(raw) > MAX_BYTES:
        msg = f"the file is larger than {MAX_BYTES:,} bytes, too large for a plan"
        return None, [problem("SP100", Location(path), msg)]
    if raw[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        msg = "the file is UTF-16: save it as UTF-8"
        return None, [problem("SP100", Location(path, 1, 1), msg)]
    raw = raw.removeprefix(codecs.BOM_UTF8)
    nul = raw.find(b"\0")
    if nul >= 0:
        loc = _text_at(path, raw[:nul].decode("utf-8", "replace"), nul)
        return None, [problem("SP100", loc, "the file holds NUL bytes: it is binary, not YAML")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        before = raw[: err.start].decode("utf-8")  # everything before the first bad byte is valid
        loc = _text_at(path, before, len(before))
        byte = "" if quiet else f" (byte 0x{raw[err.start]:02x} here)"
        msg = f"the file is not UTF-8{byte}: save it as UTF-8"
        return None, [problem("SP100", loc, msg)]
    bad = _NON_PRINTABLE.search(text)
    if bad:
        char = "a control character" if quiet else f"the control character U+{ord(bad.group()):04X}"
        msg = f"the file holds {char}, not allowed in YAML"
        return None, [problem("SP100", _text_at(path, text, bad.start()), msg)]
    if not text.strip():
        return None, [problem("SP100", Location(path), "the file is empty")]
    return text, []


def _parse(path: str, text: str, quiet: bool, loader: Any, *, fallible: bool) -> _Builder | None:
    """Feed the events of ``text`` parsed by ``loader`` to a builder and return it.

    ``fallible``: a parser error returns None (the caller parses again) instead of being
    reported; a bound the builder enforces is reported either way.
    """
    build = _Builder(path, quiet=quiet)
    events = yaml.parse(text, Loader=loader)
    while True:
        try:
            event = next(events)
        except StopIteration:
            break
        except _TooDeep as err:
            build.report(
                "SP103", _at(path, err.args[0]), f"nesting is deeper than {MAX_DEPTH} levels"
            )
            break
        except yaml.MarkedYAMLError as err:
            if fallible:
                return None
            build.report("SP101", _at(path, err.problem_mark), _syntax_message(err, quiet))
            break
        except RecursionError:
            build.report("SP103", Location(path), "nesting is too deep to read")
            break
        except MemoryError:
            build.report("SP100", Location(path), "the file is too large to read into memory")
            break
        except Exception as err:  # a PyYAML bug on odd input must still be a problem, not a crash
            if fallible:
                return None
            why = "" if quiet else f": {err}"
            build.report("SP101", Location(path), f"the YAML cannot be read{why}")
            break
        if not build.feed(event):
            break
    return build


def read_yaml(path: str, raw: bytes, *, quiet: bool = False) -> tuple[Doc | None, list[Problem]]:
    """Parse raw bytes as one bounded YAML document; never raise.

    ``quiet``: the messages never quote the file's text (for a file another plan names).
    """
    text, problems = _decode(path, raw, quiet)
    if text is None:
        return None, problems
    build = None
    if _FAST is not None and _flow_bound(text) < MAX_DEPTH:
        # libyaml's C parser: the same events and marks, several times faster.  Any error it
        # meets is read again by the pure-Python parser, so messages stay exactly its own.
        build = _parse(path, text, quiet, _FAST, fallible=True)
    if build is None:
        build = _parse(path, text, quiet, _Loader, fallible=False)
    assert build is not None  # an infallible parse always builds
    problems = build.problems
    if build.documents == 0 and not problems:
        problems = [problem("SP100", Location(path), "the file is empty (it holds only comments)")]
    # A duplicate key is the only error after which the document is still whole (the later
    # value stands, as PyYAML would keep it): the caller may look for the plan's other
    # problems in it, but must not accept the plan.
    only_duplicates = all(p.code == "SP102" for p in problems if p.severity.value == "error")
    if has_errors(problems) and not only_duplicates:
        return None, sorted_problems(problems)
    return Doc(path, build.root, build.root_loc, build.spots), sorted_problems(problems)


def read_bytes(path: str) -> bytes | str:
    """Read at most MAX_BYTES + 1 bytes of a regular file, or say why it is not one to read.

    Only a regular file is opened at all: a FIFO would block and a device might have effects.
    It is checked again once open, so a file swapped for another after the first look is not
    read either.
    """
    try:
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode):
            return _not_regular(mode)
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
        fd = os.open(path, flags)
        with open(fd, "rb") as handle:
            mode = os.fstat(handle.fileno()).st_mode
            if not stat.S_ISREG(mode):
                return _not_regular(mode)
            return handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        return "no such file"
    except PermissionError:
        return "permission denied: cannot read the file"
    except (OSError, ValueError) as err:
        reason = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
        return f"cannot read the file: {reason}"


def _not_regular(mode: int) -> str:
    """Say why a file that is not a regular file is not read."""
    if stat.S_ISDIR(mode):
        return "this is a directory, not a plan file"
    return "this is not a regular file"


def read_yaml_file(path: str) -> tuple[Doc | None, list[Problem]]:
    """Read at most MAX_BYTES + 1 bytes of a file and parse them; never raise."""
    raw = read_bytes(path)
    if isinstance(raw, str):
        return None, [problem("SP100", Location(path), raw)]
    return read_yaml(path, raw)
