"""A corpus of malformed plans: each is reported with the right code at the exact line:col.

Most cases are one edit of ``BASE`` (a small, clean plan); the expected problems are the
whole list, so a case also fails when a consequence of the mistake is reported as noise.
The YAML-syntax level is tested in ``test_yamlread.py``; a few cases here go end to end.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from salesplan.load.plan import load_plan_text
from salesplan.pipeline import run_plan
from salesplan.problems import Problem, sorted_problems
from salesplan.problems.codes import BY_CODE

BASE = """\
company:
  name: Probe
  start: "2027-01"
  horizon_months: 24
target:
  ending_arr: 3_000_000
  growth_rate: 0.01
tiers:
  smb:
    mrr: 500
    churn_rate: 0.02
    share: 0.6
    opening_arr: 600_000
    opening_customers: 100
    motions:
      inbound:
        share: 1
        stages:
          - {name: lead, rate: 0.1, days: 7}
          - {name: sql, rate: 0.25, days: 21}
  mid:
    acv: 30_000
    share: 0.4
    motions:
      outbound:
        share: 1
        stages:
          - {name: prospect, rate: 0.05, days: 21}
          - {name: opportunity, rate: 0.2, days: 60}
roles:
  sdr:
    title: SDR
    opening_heads: 10
    ramp_months: 2
    drivers:
      - {stage: sql, tiers: [smb], capacity: 12}
  ae:
    opening_heads: 3
    ramp_months: 3
    hiring_lead_months: 2
    drivers:
      - {stage: won, measure: new_arr}
    comp:
      ote: 130_000
      quota: 650_000
  manager:
    drivers:
      - {manages: [ae, sdr], capacity: 8}
pods:
  pod:
    tiers: [smb]
    members: {ae: 1, sdr: 1}
"""

# What no message may show: pydantic's internal names, regular expressions, union tags.
LEAKS = ("function-after", "constrained-", "instance of", "[key]", "pattern '^", "Value error")

COMPANY = 'company:\n  name: Probe\n  start: "2027-01"\n  horizon_months: 24\n'
SMB_INBOUND = "        share: 1\n        stages:\n          - {name: lead"
MID_MOTIONS = """\
    motions:
      outbound:
        share: 1
        stages:
          - {name: prospect, rate: 0.05, days: 21}
          - {name: opportunity, rate: 0.2, days: 60}
"""
MID_STAGES = """\
        stages:
          - {name: prospect, rate: 0.05, days: 21}
          - {name: opportunity, rate: 0.2, days: 60}
"""
SDR_DRIVER = "{stage: sql, tiers: [smb], capacity: 12}"


def case(name: str, old: str, new: str, *expected: str, says: str = "") -> object:
    """One malformed plan: replace ``old`` (found once in BASE) by ``new``."""
    return pytest.param(old, new, list(expected), says, id=name)


CASES = [
    # -- unknown keys, with "did you mean" -----------------------------------------------
    case("unknown-top-level", "pods:", "podz:", "SP201 49:1", says="did you mean 'pods'?"),
    case(
        "unknown-in-tier",
        "    churn_rate: 0.02",
        "    churn_rat: 0.02",
        "SP201 11:5",
        says="did you mean 'churn_rate'?",
    ),
    case(
        "unknown-in-stage",
        "{name: lead, rate: 0.1, days: 7}",
        "{name: lead, rate: 0.1, dayz: 7}",
        "SP201 19:37",
        says="did you mean 'days'?",
    ),
    case("unknown-in-comp", "ote: 130_000", "otee: 130_000", "SP201 44:7", says="'ote'?"),
    case(
        "unknown-in-range",
        "rate: 0.1,",
        "rate: {low: 0.1, likly: 0.15, high: 0.2},",
        "SP204 19:26",
        "SP201 19:43",
        says="did you mean 'likely'?",
    ),
    case("unknown-no-close-match", "pods:", "zzz: 1\npods:", "SP201 49:1", says="'zzz'"),
    # -- wrong types ------------------------------------------------------------------------
    case(
        "text-for-number",
        "horizon_months: 24",
        "horizon_months: lots",
        "SP202 4:19",
        says="'lots' (text)",
    ),
    case(
        "quoted-number",
        "opening_customers: 100",
        'opening_customers: "100"',
        "SP202 14:24",
        says="(got '100' (text)); write numbers without quotes",
    ),
    case(
        "list-for-mapping",
        "    comp:\n      ote: 130_000\n      quota: 650_000",
        "    comp: [1, 2]",
        "SP202 43:11",
        says="comp: expected a mapping of keys (got a list of 2)",
    ),
    case(
        "bool-for-int",
        "opening_heads: 3",
        "opening_heads: true",
        "SP202 38:20",
        says="true (a boolean)",
    ),
    case("bool-for-number", "churn_rate: 0.02", "churn_rate: false", "SP202 11:17"),
    case("list-for-number", "churn_rate: 0.02", "churn_rate: [0.02]", "SP202 11:17"),
    case("float-for-int", "ramp_months: 3", "ramp_months: 3.5", "SP202 39:18"),
    case("number-for-stage-name", "{stage: sql, tiers", "{stage: 5, tiers", "SP202 36:17"),
    case("null-for-company", COMPANY, "company:\n", "SP202 1:9", says="got nothing"),
    # -- NaN and infinity -------------------------------------------------------------------
    case("nan", "churn_rate: 0.02", "churn_rate: .nan", "SP205 11:17"),
    case("inf", "acv: 30_000", "acv: .inf", "SP205 22:10"),
    case(
        "minus-inf-in-range",
        "rate: 0.1,",
        "rate: {low: -.inf, likely: 0.1, high: 0.2},",
        "SP205 19:38",
    ),
    # -- out of range -----------------------------------------------------------------------
    case("churn-1.2", "churn_rate: 0.02", "churn_rate: 1.2", "SP203 11:17", says="< 1"),
    case("rate-0", "rate: 0.05,", "rate: 0,", "SP203 28:36", says=">= 1e-06"),
    case(
        "rate-1.5-in-range",
        "rate: 0.1,",
        "rate: {low: 0.1, likely: 0.2, high: 1.5},",
        "SP203 19:62",
        says="rate: must be >= 1e-06 and <= 1 (got 1.5)",
    ),
    case("horizon-121", "horizon_months: 24", "horizon_months: 121", "SP203 4:19"),
    case("horizon-0", "horizon_months: 24", "horizon_months: 0", "SP203 4:19"),
    case("negative-ote", "ote: 130_000", "ote: -5", "SP203 44:12"),
    case("negative-capacity", "capacity: 12}", "capacity: -12}", "SP203 36:46"),
    case("huge-int", "opening_heads: 3", "opening_heads: 10000000000000000000000", "SP203 38:20"),
    case("pod-member-zero", "{ae: 1, sdr: 1}", "{ae: 0, sdr: 1}", "SP203 52:19"),
    case("empty-stages", MID_STAGES, "        stages: []\n", "SP203 27:17", says="at least 1"),
    case(
        "empty-members",
        "{ae: 1, sdr: 1}",
        "{}",
        "SP203 52:14",
        says="(got an empty mapping)",
    ),
    case(
        "first-year-revenue-short-horizon",
        "horizon_months: 24\ntarget:\n  ending_arr: 3_000_000",
        "horizon_months: 6\ntarget:\n  first_year_revenue: 1_000_000",
        "SP203 4:19",
        says="at least 12 months",
    ),
    # -- missing required -------------------------------------------------------------------
    case(
        "missing-company-start",
        '  start: "2027-01"\n',
        "",
        "SP204 1:1",
        says="company: missing required key 'start'",
    ),
    case("missing-tier-motions", MID_MOTIONS, "", "SP204 21:3", says="'motions'"),
    case("missing-stages", MID_STAGES, "", "SP204 25:7", says="'stages'"),
    case(
        "stage-missing-rate",
        "{name: lead, rate: 0.1, days: 7}",
        "{name: lead, days: 7}",
        "SP204 19:13",
        says="stages item 1: missing required key 'rate'",
    ),
    case(
        "role-missing-drivers",
        "    drivers:\n      - " + SDR_DRIVER + "\n",
        "",
        "SP213 31:3",
        says="role sdr has no drivers and no heads schedule",
    ),
    case("empty-driver", SDR_DRIVER, "{}", "SP207 36:9"),
    case("tier-without-price", "    acv: 30_000\n", "", "SP204 21:3", says="mrr or acv"),
    case(
        "split-without-acquisition-share",
        "    title: SDR\n",
        "    title: SDR\n    function: split\n",
        "SP204 33:15",
        says="acquisition_share",
    ),
    case(
        "driver-no-capacity-no-quota",
        SDR_DRIVER,
        "{stage: sql, tiers: [smb]}",
        "SP204 36:9",
        says="capacity",
    ),
    # -- invalid values ---------------------------------------------------------------------
    case(
        "bad-month",
        'start: "2027-01"',
        'start: "2027-13"',
        "SP207 3:10",
        says="YYYY-MM",
    ),
    case("bad-month-unquoted", 'start: "2027-01"', "start: 2027-13", "SP207 3:10"),
    case("currency-lowercase", "  name: Probe\n", "  name: Probe\n  currency: usd\n", "SP207 3:13"),
    case("empty-company-name", "name: Probe", "name: ''", "SP207 2:9", says="must not be empty"),
    case(
        "stage-name-pattern",
        "{name: lead,",
        "{name: 1lead,",
        "SP207 19:20",
        says="must start with a letter",
    ),
    case(
        "tier-name-with-space",
        "  mid:\n",
        "  mid tier:\n",
        "SP207 21:3",
        says="tiers: name 'mid tier' must start with a letter",
    ),
    case(
        "unknown-motion-kind", SMB_INBOUND, "        kind: webinar\n" + SMB_INBOUND, "SP207 17:15"
    ),
    case("staffing-typo", "pods:", "staffing: pods\npods:", "SP207 49:11", says="'role' or 'pod'"),
    case("stage-named-won", "{name: lead,", "{name: won,", "SP207 19:20", says="'won'"),
    case(
        "duplicate-stage",
        "          - {name: sql, rate: 0.25, days: 21}\n",
        "          - {name: sql, rate: 0.25, days: 21}\n"
        "          - {name: sql, rate: 0.5, days: 3}\n",
        "SP207 21:20",
        says="stage 'sql' twice",
    ),
    case(
        "driver-stage-and-stock",
        SDR_DRIVER,
        "{stage: sql, stock: customers, capacity: 12}",
        "SP207 36:9",
        says="exactly one of stage, stock, manages or starts",
    ),
    case(
        "ramp-curve-not-ending-at-1",
        "    ramp_months: 2\n",
        "    ramp_curve: [0.3, 0.6, 0.9]\n",
        "SP207 34:17",
        says="end at 1",
    ),
    case(
        "ramp-curve-empty",
        "    ramp_months: 2\n",
        "    ramp_curve: []\n",
        "SP203 34:17",
        says="ramp_curve: needs at least 1 item(s) (got an empty list)",
    ),
    case(
        "quota-ramp-empty",
        "      quota: 650_000\n",
        "      quota: 650_000\n      quota_ramp: []\n",
        "SP203 46:19",
        says="quota_ramp: needs at least 1 item(s) (got an empty list)",
    ),
    case(
        "range-low-above-likely",
        "rate: 0.1,",
        "rate: {low: 0.3, likely: 0.2, high: 0.4},",
        "SP207 19:32",
        says="(got low 0.3, likely 0.2, high 0.4)",
    ),
    case(
        "suppress-code-pattern",
        "pods:",
        "suppress:\n  - {code: X1, reason: not real}\npods:",
        "SP207 50:12",
        says="like SP401",
    ),
    # -- targets and shares -----------------------------------------------------------------
    case("no-target", "  ending_arr: 3_000_000\n", "", "SP206 5:1", says="give one target"),
    case(
        "empty-target",
        "target:\n  ending_arr: 3_000_000\n  growth_rate: 0.01\n",
        "target: {}\n",
        "SP206 5:1",
    ),
    case(
        "two-targets",
        "  ending_arr: 3_000_000\n",
        "  ending_arr: 3_000_000\n  new_arr_per_year: 1_000_000\n",
        "SP206 7:21",
        says="not ending_arr and new_arr_per_year",
    ),
    case("tier-shares", "share: 0.4", "share: 0.3", "SP211 8:1", says="sum to 0.9"),
    case(
        "motion-shares",
        SMB_INBOUND,
        SMB_INBOUND.replace("share: 1", "share: 0.7"),
        "SP211 15:5",
        says="tier smb: motion shares sum to 0.7",
    ),
    # -- references -------------------------------------------------------------------------
    case(
        "driver-unknown-stage",
        "{stage: sql, tiers",
        "{stage: sqll, tiers",
        "SP210 36:17",
        says="did you mean 'sql'?",
    ),
    case(
        "driver-unknown-tier",
        "tiers: [smb], capacity",
        "tiers: [smbb], capacity",
        "SP210 36:30",
        says="did you mean 'smb'?",
    ),
    case(
        "driver-unknown-motion",
        SDR_DRIVER,
        "{stage: sql, motions: [inbund], capacity: 12}",
        "SP210 36:32",
        says="did you mean 'inbound'?",
    ),
    case(
        "driver-stage-not-in-its-tiers",
        "tiers: [smb], capacity",
        "tiers: [mid], capacity",
        "SP210 36:17",
        says="no motion in the chosen tiers/motions has stage 'sql'",
    ),
    case(
        "manages-unknown-role",
        "manages: [ae, sdr]",
        "manages: [ae, sdrr]",
        "SP210 48:24",
        says="did you mean 'sdr'?",
    ),
    case(
        "pod-member-unknown-role",
        "{ae: 1, sdr: 1}",
        "{ae: 1, sdrs: 1}",
        "SP210 52:22",
        says="did you mean 'sdr'?",
    ),
    case(
        "pod-unknown-tier",
        "    tiers: [smb]\n    members",
        "    tiers: [smbs]\n    members",
        "SP210 51:13",
        says="did you mean 'smb'?",
    ),
    # -- managers ---------------------------------------------------------------------------
    case(
        "manager-cycle",
        "      - {stage: won, measure: new_arr}\n",
        "      - {stage: won, measure: new_arr}\n      - {manages: [manager], capacity: 8}\n",
        "SP212 47:3",
        says="manage each other",
    ),
    case(
        "manages-itself",
        "manages: [ae, sdr]",
        "manages: [ae, manager]",
        "SP212 48:24",
        says="manages itself",
    ),
    # -- suppressions -----------------------------------------------------------------------
    case(
        "suppress-unknown-code",
        "pods:",
        "suppress:\n  - {code: SP999, reason: not real}\npods:",
        "SP215 50:12",
        says="no check has the code SP999",
    ),
    case(
        "suppress-unsuppressible-code",
        "pods:",
        "suppress:\n  - {code: SP201, reason: not real}\npods:",
        "SP215 50:12",
        says="cannot be silenced",
    ),
    # -- YAML level, end to end -------------------------------------------------------------
    case("ambiguous-yes", "title: SDR", "title: yes", "SP106 32:12"),
    case(
        "duplicate-key",
        "    title: SDR\n",
        "    title: SDR\n    title: SDR2\n",
        "SP102 33:5",
        says="first written on line 32",
    ),
    case("tab-indent", "    title: SDR\n", "\ttitle: SDR\n", "SP101 32:1", says="tabs"),
    # -- fixed roles, recruiters, interviewers and programmes (the whole cost) -------------
    case(
        "heads-and-drivers",
        "  manager:\n    drivers:",
        '  manager:\n    heads: {"2027-01": 1}\n    drivers:',
        "SP207 47:5",
        says="give drivers or a heads schedule, not both",
    ),
    case(
        "schedule-month-outside-the-plan",
        "  manager:\n    drivers:\n      - {manages: [ae, sdr], capacity: 8}",
        '  manager:\n    heads: {"2031-01": 1}',
        "SP203 47:13",
        says="2031-01 is after the plan's last month",
    ),
    case(
        "starts-unknown-role",
        "{manages: [ae, sdr], capacity: 8}",
        "{starts: [ae, sdrs], capacity: 8}",
        "SP210 48:23",
        says="did you mean 'sdr'?",
    ),
    case(
        "hires-itself",
        "{manages: [ae, sdr], capacity: 8}",
        "{starts: [manager], capacity: 8}",
        "SP212 48:19",
        says="manager hires itself",
    ),
    case(
        "interviewers-unknown-role",
        "  ae:\n    opening_heads: 3",
        "  ae:\n    interviewers: [mgr]\n    opening_heads: 3",
        "SP210 38:20",
        says="did you mean 'manager'?",
    ),
    case(
        "programme-unknown-tier",
        "    members: {ae: 1, sdr: 1}\n",
        "    members: {ae: 1, sdr: 1}\nprogrammes:\n  events: {per_month: 1000, tiers: [smbb]}\n",
        "SP210 54:37",
        says="did you mean 'smb'?",
    ),
    case(
        "programme-growth-and-schedule",
        "    members: {ae: 1, sdr: 1}\n",
        "    members: {ae: 1, sdr: 1}\nprogrammes:\n  events:\n    growth_rate: 0.1\n"
        '    schedule: {"2027-06": 2000}\n',
        "SP207 55:18",
        says="give growth_rate or a schedule, not both",
    ),
    # -- seasonality, ramped quotas, hiring limits and confidence (docs/model.md §14) --------
    case(
        "seasonality-all-zero",
        "pods:",
        "seasonality: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]\npods:",
        "SP207 49:14",
        says="the weights are all 0",
    ),
    case(
        "seasonality-eleven-months",
        "pods:",
        "seasonality: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\npods:",
        "SP203 49:14",
        says="needs at least 12 item(s)",
    ),
    case(
        "seasonality-negative",
        "pods:",
        "seasonality: [1, 1, 1, 1, 1, -1, 1, 1, 1, 1, 1, 1]\npods:",
        "SP203 49:30",
    ),
    case(
        "first-month-books-nothing",
        "target:\n  ending_arr: 3_000_000\n",
        "seasonality: [0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\ntarget:\n  new_mrr_per_month: 30_000\n",
        "SP207 7:22",
        says="new_mrr_per_month measures 2027-01, which the seasonality weights give nothing",
    ),
    case(
        "capacity-seasonality-zero",
        "    title: SDR\n",
        "    title: SDR\n    capacity_seasonality: [1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1]\n",
        "SP203 33:49",
    ),
    case(
        "ramping-share-on-a-schedule",
        "  manager:\n    drivers:\n      - {manages: [ae, sdr], capacity: 8}",
        '  manager:\n    heads: {"2027-01": 1}\n    max_ramping_share: 0.5',
        "SP207 48:24",
        says="a heads schedule counts people",
    ),
    case(
        "quota-ramp-falls",
        "      quota: 650_000",
        "      quota: 650_000\n      quota_ramp: [0.5, 0.25, 1]",
        "SP207 46:19",
        says="quota_ramp must rise to 1",
    ),
    case(
        "quota-ramp-without-quota",
        "    title: SDR\n",
        "    title: SDR\n    comp: {quota_ramp: [0.5, 1]}\n",
        "SP207 33:24",
        says="quota_ramp goes with a comp quota",
    ),
    case(
        "negative-start-cap",
        "    title: SDR\n",
        "    title: SDR\n    max_starts_per_month: -1\n",
        "SP203 33:27",
    ),
    case(
        "recruiting-capacity-without-a-recruiter",
        "pods:",
        "hiring: {recruiting_capacity: true}\npods:",
        "SP207 49:31",
        says="needs a recruiter",
    ),
    case("confidence-above-0.99", "pods:", "confidence: 1.2\npods:", "SP203 49:13"),
    case(
        "fixed-role-in-a-pod",
        "    drivers:\n      - {stage: sql, tiers: [smb], capacity: 12}",
        '    heads: {"2027-01": 10}',
        "SP207 51:22",
        says="staffed by its headcount schedule, not in pods",
    ),
    # -- the opening state of a plan that starts part-way (a reforecast) -------------------
    case(
        "ramping-from-inside-the-plan",
        "  ae:\n    opening_heads: 3",
        '  ae:\n    opening_heads: 3\n    ramping: {"2027-02": 1}',
        "SP203 39:15",
        says="ramping: 2027-02 is not before the plan's start, 2027-01",
    ),
    case(
        "more-ramping-than-opening-heads",
        "  ae:\n    opening_heads: 3",
        '  ae:\n    opening_heads: 3\n    ramping: {"2026-11": 2, "2026-12": 2}',
        "SP207 39:5",
        says="4 heads ramping, more than its opening_heads (3)",
    ),
    case(
        "dated-requisition-after-the-plan",
        "  ae:\n    opening_heads: 3",
        '  ae:\n    opening_heads: 3\n    open_requisitions: {"2029-01": 1}',
        "SP203 39:25",
        says="open_requisitions: 2029-01 is not a month of the plan (2027-01 to 2028-12)",
    ),
    case(
        "dated-requisition-not-a-month",
        "  ae:\n    opening_heads: 3",
        '  ae:\n    opening_heads: 3\n    open_requisitions: {"2027-13": 1}',
        "SP207 39:25",
        says="must be a month written YYYY-MM",
    ),
    case(
        "open-requisitions-text",
        "  ae:\n    opening_heads: 3",
        '  ae:\n    opening_heads: 3\n    open_requisitions: "two"',
        "SP202 39:24",
        says="open_requisitions: input should be a valid integer (got 'two' (text))",
    ),
    case(
        "accrued-departures-a-whole-person",
        "  ae:\n    opening_heads: 3",
        "  ae:\n    opening_heads: 3\n    accrued_departures: 1",
        "SP203 39:25",
        says="less than 1",
    ),
    case(
        "first-year-longer-than-the-plan",
        "  horizon_months: 24\ntarget:\n  ending_arr: 3_000_000",
        "  horizon_months: 6\ntarget:\n  first_year_revenue: 900_000\n  first_year_months: 9",
        "SP203 4:19",
        says="first_year_revenue needs a horizon of at least 9 months",
    ),
    case(
        "first-year-months-13",
        "  growth_rate: 0.01",
        "  growth_rate: 0.01\n  first_year_months: 13",
        "SP203 8:22",
        says="less than or equal to 12",
    ),
]


def brief(problems: list[Problem]) -> list[str]:
    return [f"{p.code} {p.location.line}:{p.location.col}" for p in sorted_problems(problems)]


def test_base_plan_is_clean() -> None:
    loaded, problems = load_plan_text("plan.yaml", BASE)
    assert loaded is not None
    assert problems == []


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize(("old", "new", "expected", "says"), CASES)
def test_malformed_plan(old: str, new: str, expected: list[str], says: str) -> None:
    assert BASE.count(old) == 1, f"the edit must hit BASE once: {old!r}"
    checked = run_plan("plan.yaml", text=(BASE.replace(old, new)).encode())
    problems = list(checked.problems)
    assert checked.evaluation is None
    assert brief(problems) == expected, "\n".join(map(str, problems))
    for p in problems:
        assert p.code in BY_CODE
        assert p.location.path == "plan.yaml"
        assert not any(leak in p.message for leak in LEAKS), p.message
    if says:
        assert any(says in p.message for p in problems), "\n".join(map(str, problems))


def test_corpus_cases_go_the_same_way_through_a_file(tmp_path: Path) -> None:
    """A plan read from disk and the same plan given as text go the same way."""
    for param in CASES:
        old, new, expected, _ = param.values  # type: ignore[attr-defined]
        path = tmp_path / f"{param.id}.yaml"  # type: ignore[attr-defined]
        path.write_text(BASE.replace(old, new), encoding="utf-8")
        checked = run_plan(str(path))
        problems = list(checked.problems)
        assert checked.evaluation is None
        assert brief(problems) == expected, param.id  # type: ignore[attr-defined]
        assert all(p.location.path == str(path) for p in problems)


def test_all_schema_problems_in_one_pass() -> None:
    text = (
        BASE.replace("horizon_months: 24", "horizon_months: lots")
        .replace("churn_rate: 0.02", "churn_rat: 0.02")
        .replace("acv: 30_000", "acv: .inf")
        .replace("opening_heads: 3", "opening_heads: -1")
        .replace("ote: 130_000", "ote: [1]")
    )
    problems = list(run_plan("plan.yaml", text=(text).encode()).problems)
    assert brief(problems) == [
        "SP202 4:19",
        "SP201 11:5",
        "SP205 22:10",
        "SP203 38:20",
        "SP202 44:12",
    ]


def test_all_reference_problems_in_one_pass() -> None:
    text = (
        BASE.replace("share: 0.4", "share: 0.3")
        .replace("{stage: sql, tiers", "{stage: sqll, tiers")
        .replace("ramp_months: 3", "ramp_curve: [0.5, 0.9]")
        .replace("manages: [ae, sdr]", "manages: [ae, sdrr]")
        .replace("{ae: 1, sdr: 1}", "{ae: 1, sdrs: 1}")
        .replace("rate: 0.05,", "rate: 1.5,")
    )
    problems = list(run_plan("plan.yaml", text=(text).encode()).problems)
    assert brief(problems) == [
        "SP211 8:1",
        "SP203 28:36",
        "SP210 36:17",
        "SP207 39:17",
        "SP210 48:24",
        "SP210 52:22",
    ]


def test_schema_reference_and_bound_problems_in_one_pass() -> None:
    # Past unknown keys and out-of-range numbers the loader still finds the problems that
    # need a typed plan (an uncertain value's bounds, references): one run shows them all.
    text = (
        BASE.replace("horizon_months: 24", "horizon_months: 0")
        .replace("  name: Probe\n", "  name: Probe\n  titel: x\n")
        .replace("churn_rate: 0.02", "churn_rate: 2")
        .replace("{stage: sql, tiers", "{stage: sqll, tiers")
    )
    problems = list(run_plan("plan.yaml", text=(text).encode()).problems)
    assert brief(problems) == ["SP201 3:3", "SP203 5:19", "SP203 12:17", "SP210 37:17"]


def test_a_duplicate_key_does_not_hide_the_other_problems() -> None:
    text = BASE.replace("  name: Probe\n", "  name: Probe\n  name: Probe 2\n").replace(
        "churn_rate: 0.02", "churn_rate: 2"
    )
    checked = run_plan("plan.yaml", text=(text).encode())
    problems = list(checked.problems)
    assert checked.evaluation is None
    assert brief(problems) == ["SP102 3:3", "SP203 12:17"]


def test_a_share_out_of_range_is_not_summed_again() -> None:
    # share 1.5 is out of range; the second look moves it to 1, and a sum over that would
    # misquote the plan ("sum to 1.4"): only the range error is reported.
    problems = list(
        run_plan("plan.yaml", text=(BASE.replace("share: 0.6", "share: 1.5")).encode()).problems
    )
    assert brief(problems) == ["SP203 12:12"]


def test_a_missing_key_stops_the_second_look() -> None:
    # A plan that cannot be repaired past its schema errors reports just those (an uncertain
    # value out of range among them): nothing is guessed about what the missing value would
    # have been, so the references are not looked at.
    text = (
        BASE.replace("  name: Probe\n", "")
        .replace("churn_rate: 0.02", "churn_rate: 2")
        .replace("{stage: sql, tiers", "{stage: sqll, tiers")
    )
    problems = list(run_plan("plan.yaml", text=(text).encode()).problems)
    assert [p.code for p in problems] == ["SP204", "SP203"]


def test_not_a_mapping() -> None:
    problems = list(run_plan("plan.yaml", text=(b"- just\n- a list\n")).problems)
    assert brief(problems) == ["SP200 1:1"]


# -- extends --------------------------------------------------------------------------------


def write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_extends_missing_file_is_located_at_the_extends_line(tmp_path: Path) -> None:
    child = write(tmp_path / "child.yaml", "company:\n  name: Child\nextends: nowhere.yaml\n")
    checked = run_plan(child)
    problems = list(checked.problems)
    assert checked.evaluation is None
    assert [str(p) for p in problems] == [
        f"{child}:3:10: SP214 error: extends: no plan file at {tmp_path / 'nowhere.yaml'}"
    ]


def test_extends_cycle_is_located_in_the_file_that_closes_it(tmp_path: Path) -> None:
    a = write(tmp_path / "a.yaml", "extends: b.yaml\n")
    b = write(tmp_path / "b.yaml", "# b\nextends: a.yaml\n")
    problems = list(run_plan(str(a)).problems)
    assert [(p.location.path, p.location.line, p.code) for p in problems] == [(b, 2, "SP214")]
    assert "cycle" in problems[0].message


def test_extends_itself(tmp_path: Path) -> None:
    a = write(tmp_path / "a.yaml", "extends: a.yaml\n")
    problems = list(run_plan(str(a)).problems)
    assert brief(problems) == ["SP214 1:10"]


def test_extends_from_text_resolves_beside_the_named_path(tmp_path: Path) -> None:
    write(tmp_path / "base.yaml", BASE)
    name = str(tmp_path / "child.yaml")
    loaded, problems = load_plan_text(name, "extends: base.yaml\ncompany:\n  name: Child\n")
    assert problems == []
    assert loaded is not None
    assert loaded.plan.company.name == "Child"
    assert loaded.plan.company.start == "2027-01"


def test_error_in_a_base_plan_points_into_the_base_file(tmp_path: Path) -> None:
    base = write(tmp_path / "base.yaml", BASE.replace("churn_rate: 0.02", "churn_rate: 1.5"))
    child = write(tmp_path / "child.yaml", "extends: base.yaml\ncompany:\n  name: Child\n")
    problems = list(run_plan(str(child)).problems)
    assert [str(p.location) for p in problems] == [f"{base}:11:17"]
    assert problems[0].code == "SP203"


def test_errors_in_child_and_base_are_each_located_in_their_own_file(tmp_path: Path) -> None:
    base = write(tmp_path / "base.yaml", BASE.replace("title: SDR", "titel: SDR"))
    child = write(
        tmp_path / "child.yaml",
        "extends: base.yaml\ntiers:\n  smb:\n    churn_rat: 0.1\n",
    )
    problems = list(run_plan(str(child)).problems)
    assert sorted(str(p.location) + " " + p.code for p in problems) == sorted(
        [f"{base}:32:5 SP201", f"{child}:4:5 SP201"]
    )


# -- a target the opening base already meets (the engine's first problem) ----------------


def test_target_already_met(tmp_path: Path) -> None:
    path = write(
        tmp_path / "met.yaml", BASE.replace("ending_arr: 3_000_000", "ending_arr: 100_000")
    )
    problems = list(run_plan(path, ignore=["SP4"]).problems)  # field rules are tested elsewhere
    assert [(p.code, p.location.line, p.location.col) for p in problems] == [("SP300", 6, 15)]
    assert "already meets" in problems[0].message


def test_base_plan_checks_clean(tmp_path: Path) -> None:
    assert list(run_plan(write(tmp_path / "plan.yaml", BASE), ignore=["SP4"]).problems) == []
