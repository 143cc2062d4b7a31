"""Every problem code salesplan can report: the one registry the README table is tested against.

Codes are stable: never reuse or renumber one.  Families:
``SP1xx`` reading the file, ``SP2xx`` the plan's schema and references, ``SP3xx`` what the
engine finds when it runs the plan, ``SP4xx`` rules of thumb from the field, ``SP5xx`` an
actuals file read against a plan (docs/actuals.md), ``SP6xx`` the project's configuration
(``[tool.salesplan]`` or ``.salesplan.yaml``).
"""

from __future__ import annotations

from dataclasses import dataclass

from salesplan.problems import Location, Problem, Severity


@dataclass(frozen=True)
class Code:
    """A problem code: its default severity, a one-line reason, and the source of the rule."""

    code: str
    severity: Severity
    title: str
    source: str = ""
    # Field rules of thumb may be silenced in a plan; file and schema problems may not.
    suppressible: bool = False


E, W = Severity.ERROR, Severity.WARNING

CODES: tuple[Code, ...] = (
    # -- reading the file --------------------------------------------------------------------
    Code(
        "SP100",
        E,
        "the file cannot be read as a plan (missing, empty, binary, not UTF-8, too large)",
    ),
    Code("SP101", E, "YAML syntax error"),
    Code("SP102", E, "duplicate key: YAML would silently keep only the last one"),
    Code("SP103", E, "nesting deeper than the limit"),
    Code("SP104", E, "too many aliases or anchors (a 'billion laughs' file)"),
    Code(
        "SP105", E, "unsupported YAML feature (tags, merge keys, several documents, complex keys)"
    ),
    Code(
        "SP106", E, "ambiguous YAML 1.1 value: yes/no/on/off must be written true/false or quoted"
    ),
    # -- schema and references ---------------------------------------------------------------
    Code("SP200", E, "the plan must be a mapping of keys"),
    Code("SP201", E, "unknown key"),
    Code("SP202", E, "wrong type"),
    Code("SP203", E, "value out of range"),
    Code("SP204", E, "required key missing"),
    Code("SP205", E, "NaN or infinity is not a number a plan may use"),
    Code("SP206", E, "exactly one revenue target must be given"),
    Code("SP207", E, "invalid value"),
    Code("SP210", E, "unknown reference (tier, motion, stage or role)"),
    Code("SP211", E, "shares do not sum to 1"),
    Code("SP212", E, "roles that manage or hire each other form a cycle"),
    Code("SP213", E, "a role has no way to size it (no drivers and no heads schedule)"),
    Code("SP214", E, "bad 'extends': not a YAML plan file (or missing), a cycle, or too deep"),
    Code("SP215", E, "suppression of a code that does not exist or cannot be silenced"),
    # -- running the plan --------------------------------------------------------------------
    Code("SP300", E, "the revenue target is already met (by the opening base or explicit new_mrr)"),
    Code(
        "SP301",
        W,
        "capacity gap: a role is short of the work in months no hire can reach",
        "docs/model.md §4; Blueprints: late hiring is the costliest planning mistake",
        True,
    ),
    Code(
        "SP302",
        E,
        "the plan's numbers make the engine's figures infinite, not a number, or more people "
        "than it staffs (a billion)",
    ),
    Code(
        "SP303",
        W,
        "the plan cannot reach its target with the confidence it is sized to",
        "docs/model.md §14",
        True,
    ),
    # -- rules of thumb from the field (checks/field*.py; docs/sources.md has the sources) --
    Code(
        "SP401",
        W,
        "monthly churn of 3% or more: growth that leaks away",
        "docs/sources.md, Retention; docs/model.md §8",
        True,
    ),
    Code(
        "SP402",
        W,
        "LTV : CAC of a tier under 3 over the plan (on LTV capped in years)",
        "Skok, SaaS Metrics 2.0 (LTV : CAC ≥ 3)",
        True,
    ),
    Code(
        "SP403",
        W,
        "CAC payback of a tier over 24 months",
        "Skok; Insight (< 12 months, 12–18 for large ACV)",
        True,
    ),
    Code("SP404", W, "quota : OTE outside 4–6", "Balderton 2023; D. Sacks; ICONIQ 2023", True),
    Code(
        "SP405",
        W,
        "a quota carrier with more than 70% base: adverse selection",
        "Balderton 2023; docs/sources.md, Compensation",
        True,
    ),
    Code(
        "SP406",
        W,
        "a quota carrier with a team-pooled share over 30%: adverse selection",
        "docs/sources.md, Compensation",
        True,
    ),
    Code(
        "SP407", W, "manager span of control outside 4–10", "SaaStr; Balderton (span 1:7–8)", True
    ),
    Code(
        "SP408",
        W,
        "interviewing over 25% of an interviewer's month",
        "Blueprints: interviewing eats ~25% in hiring waves",
        True,
    ),
    Code(
        "SP409",
        W,
        "field or enterprise sales planned while ARR is far below $20–30M",
        "docs/sources.md: bottom-up companies add top-down sales at $20–30M ARR",
        True,
    ),
    Code(
        "SP410",
        W,
        "S&M cost of a year far above the usual share of revenue for the company's ARR",
        "Benchmarkit 2025 (47% median, VC-backed); early-stage VC-backed under $10M ARR ~95%",
        True,
    ),
    Code(
        "SP411",
        W,
        "a tier's net revenue retention below 90%",
        "Benchmarkit 2025 (NRR 101% median); KBCM (105–110% at $10–50M ARR)",
        True,
    ),
    Code(
        "SP412",
        W,
        "more first-line managers than one leader can run, and no sales leader",
        "SaaStr; Balderton (span 1:7–8, for leaders of managers too)",
        True,
    ),
    Code(
        "SP413",
        W,
        "recruiting capacity below the planned starts",
        "Blueprints: recruiting has its own people and lead times; hiring is capacity",
        True,
    ),
    Code(
        "SP414",
        W,
        "quota coverage (ramped quotas over the bookings they carry) under 1.0 or over 2.0",
        "Lowndes (10–20% over-assignment typical); TigerEye (past 50% a red flag); "
        "Forrester via LeanScale (47% reach quota)",
        True,
    ),
    # -- actuals files (load/csvread.py, load/actuals.py; docs/actuals.md) ------------------
    Code("SP500", E, "the actuals file cannot be read (missing, a directory, too large)"),
    Code(
        "SP501",
        E,
        "the actuals file is not UTF-8 text (UTF-16, another encoding, binary, control characters)",
    ),
    Code("SP502", E, "the actuals file is empty, or has a header and no rows"),
    Code("SP503", E, "CSV syntax error: a quote left open, or text beside a quoted cell"),
    Code("SP504", E, "a cell holds a line break (a quoted cell over several lines)"),
    Code("SP505", E, "a row with more or fewer cells than the header"),
    Code("SP506", E, "the header lacks a required column"),
    Code("SP507", E, "an unknown, repeated or unnamed column in the header"),
    Code("SP508", E, "too many problems: reading stopped (fix these first)"),
    Code("SP510", E, "unknown metric"),
    Code("SP511", E, "unknown tier, motion, stage or role: not in the plan"),
    Code("SP512", E, "a key the metric needs is empty (tier, motion, stage or role)"),
    Code("SP513", E, "a key given that does not apply to the metric"),
    Code("SP514", E, "a metric given at two breakdowns (e.g. a total and per tier)"),
    Code("SP515", E, "a month not written YYYY-MM"),
    Code("SP516", E, "a month outside the plan"),
    Code("SP517", E, "a month past the last month of actuals, the newest every metric reaches"),
    Code("SP518", E, "a missing month: a metric skips a month between its first and the last"),
    Code("SP519", E, "duplicate row: the same month, metric and keys twice"),
    Code("SP520", E, "the value is not a number (empty, text, NaN, thousands separators)"),
    Code("SP521", E, "a value out of range: negative, or above the metric's bound"),
    Code("SP522", E, "a count that is not a whole number"),
    Code("SP523", E, "a cell that looks like a spreadsheet formula (=, +, -, @)"),
    Code("SP530", W, "wins above the entries into the motion's last stage over the same months"),
    # -- the project's configuration (load/config.py; README, Configuration) -----------------
    Code("SP600", E, "the configuration cannot be read (TOML syntax, not a table of keys)"),
    Code("SP601", E, "unknown configuration key"),
    Code("SP602", E, "invalid configuration value (wrong type, unknown check code)"),
)

BY_CODE: dict[str, Code] = {c.code: c for c in CODES}


def problem(
    code: str, location: Location, message: str, severity: Severity | None = None
) -> Problem:
    """Make a problem with the code's default severity."""
    spec = BY_CODE[code]
    return Problem(location, code, severity or spec.severity, message)


def selected(code: str, select: tuple[str, ...] = (), ignore: tuple[str, ...] = ()) -> bool:
    """Return whether ``code`` is chosen by ``select`` prefixes (all if none) and not ignored.

    >>> selected("SP401", ("SP4",)), selected("SP401", (), ("SP401",)), selected("SP301")
    (True, False, True)
    """
    return (not select or code.startswith(select)) and not (ignore and code.startswith(ignore))
