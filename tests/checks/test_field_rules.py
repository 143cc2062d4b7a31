"""Rules of thumb (SP4xx): each passes on a sound plan and fails, located, on one changed key."""

from __future__ import annotations

from pathlib import Path

import pytest

from salesplan.pipeline import Evaluation, run_plan
from salesplan.problems import Problem
from tests.conftest import Cli
from tests.paths import PLANS

BASE = PLANS / "field_base.yaml"
BASE_TEXT = BASE.read_text(encoding="utf-8")


def patched(old: str, new: str) -> str:
    """Return the base plan with one exact piece of text replaced (line numbers kept)."""
    assert BASE_TEXT.count(old) == 1, old
    return BASE_TEXT.replace(old, new)


def rules_found(text: str, *codes: str) -> list[Problem]:
    """Return the problems the rules ``codes`` find in a plan text (which must plan)."""
    checked = run_plan("plan.yaml", text=text.encode(), select=codes)
    assert checked.evaluation is not None, [str(p) for p in checked.problems]
    return [p for p in checked.problems if p.code.startswith(codes)]


def evaluated(text: str) -> Evaluation:
    """Return the evaluation of a plan text."""
    checked = run_plan("plan.yaml", text=text.encode())
    assert checked.evaluation is not None, [str(p) for p in checked.problems]
    return checked.evaluation


def found(text: str, code: str) -> list[str]:
    """Return 'line:col' of every problem with ``code`` the rules find in a plan text."""
    problems = rules_found(text, code)
    assert all(p.code == code and p.severity.value == "warning" for p in problems)
    return [f"{p.location.line}:{p.location.col}" for p in problems]


def test_base_plan_passes_every_rule_of_thumb() -> None:
    assert rules_found(BASE_TEXT, "SP4") == []


# The AE's lines between its opening heads and its attainment.
AE_BLOCK = BASE_TEXT.split("opening_heads: 4\n", 1)[1].split("attainment: 0.7", 1)[0]

# Each rule of thumb breached by one edit of the base plan: (code, old, new, where found).
BREACHES = [
    ("SP401", "churn_rate: 0.02", "churn_rate: 0.03", ["14:17"]),
    ("SP404", "quota: 600_000", "quota: 400_000", ["44:14"]),
    ("SP404", "quota: 600_000", "quota: 800_000", ["44:14"]),
    # A quota with no OTE has no ratio at all.
    ("SP404", "ote: 120_000", "ote: 0", ["44:14"]),
    ("SP405", "base_share: 0.5\n", "base_share: 0.75\n", ["43:19"]),
    # Without base_share a quota carrier is all base: located at its comp block.
    ("SP405", "      base_share: 0.5\n", "", ["42:7"]),
    ("SP406", "attainment: 0.7\n", "attainment: 0.7\n      pooled_share: 0.4\n", ["46:21"]),
    ("SP407", "capacity: 8}", "capacity: 12}", ["49:40"]),
    ("SP407", "capacity: 8}", "capacity: 3}", ["49:40"]),
    (
        "SP408",
        "interview_hours_per_hire: 10\n    drivers:\n      - {stage: won",
        "interview_hours_per_hire: 200\n    drivers:\n      - {stage: won",
        ["46:3"],
    ),
    ("SP409", "kind: inbound", "kind: field", ["21:15"]),
    ("SP409", "segment: smb", "segment: enterprise", ["12:14"]),
    (
        "SP410",
        "\neconomics:",
        "\nprogrammes:\n  brand: {per_month: 300_000}\n\neconomics:",
        ["7:1"],
    ),
    ("SP411", "expansion_rate: 0.012", "expansion_rate: 0.0", ["14:17"]),
    ("SP412", "capacity: 8}", "capacity: 2}", ["46:3"]),
    ("SP413", "  sdr:\n    opening_heads: 3", "  sdr:\n    opening_heads: 0", ["27:1"]),
    # Quotas far above what the plan books (0.4 attainment staffs 2.5x the quota it needs),
    # or below it (a plan that counts on sellers beating quota by 60%).
    ("SP414", "attainment: 0.7", "attainment: 0.4", ["44:14"]),
    (
        "SP414",
        "opening_heads: 4\n" + AE_BLOCK + "attainment: 0.7",
        "opening_heads: 1\n" + AE_BLOCK + "attainment: 1.6",
        ["44:14"],
    ),
]


@pytest.mark.parametrize(("code", "old", "new", "where"), BREACHES)
def test_rule_fails_at_the_line_it_concerns(
    code: str, old: str, new: str, where: list[str]
) -> None:
    assert found(BASE_TEXT, code) == []
    assert found(patched(old, new), code) == where


@pytest.mark.parametrize(
    ("code", "old", "new"),
    [
        ("SP401", "churn_rate: 0.02", "churn_rate: 0.0299"),
        ("SP404", "quota: 600_000", "quota: 480_000"),  # exactly 4x
        ("SP404", "quota: 600_000", "quota: 720_000"),  # exactly 6x
        ("SP405", "base_share: 0.5\n", "base_share: 0.7\n"),
        ("SP405", "comp: {ote: 70_000, base_share: 0.65}", "comp: {ote: 70_000}"),  # no quota
        ("SP406", "attainment: 0.7\n", "attainment: 0.7\n      pooled_share: 0.3\n"),
        ("SP407", "capacity: 8}", "capacity: 10}"),
        ("SP407", "capacity: 8}", "capacity: 4}"),
        (
            "SP408",
            "interview_hours_per_hire: 10\n    drivers:\n      - {stage: won",
            "interview_hours_per_hire: 0\n    drivers:\n      - {stage: won",
        ),
    ],
)
def test_rule_passes_at_its_edge(code: str, old: str, new: str) -> None:
    assert found(patched(old, new), code) == []


def test_top_down_passes_once_arr_is_near_the_band() -> None:
    text = patched("kind: inbound", "kind: field")
    text = text.replace("opening_arr: 1_200_000", "opening_arr: 12_000_000")
    text = text.replace("ending_arr: 3_000_000", "ending_arr: 20_000_000")
    assert found(text, "SP409") == []


def test_top_down_message_gives_opening_and_ending_arr() -> None:
    (p,) = rules_found(patched("kind: inbound", "kind: field"), "SP409")
    assert "opening ARR is 1.2M USD (ending 3.0M USD)" in p.message


def test_interviewing_with_no_manager_in_post_is_over_the_line() -> None:
    text = patched(
        "  manager:\n    opening_heads: 1",
        "  manager:\n    opening_heads: 0\n    hiring_lead_months: 3",
    )
    problems = rules_found(text, "SP408")
    assert [p.code for p in problems] == ["SP408"]
    assert "no manager in post" in problems[0].message


MARKETED = "kind: inbound\n        marketing: {cost_per_entry: %d}\n"


def _marketed(cost_per_entry: int, churn: str = "0.02") -> str:
    """Return the base plan with a marketing cost per lead and a churn rate (tier at 11:3)."""
    text = patched("kind: inbound\n", MARKETED % cost_per_entry)
    return text.replace("churn_rate: 0.02", f"churn_rate: {churn}")


def _economics(text: str) -> tuple[float, float, float]:
    """Return the plan-period LTV : CAC, payback months and CAC of the one tier."""
    econ = evaluated(text).whole_plan.economics
    return (
        float(econ.ltv_cac[0, 0]),
        float(econ.payback_months[0, 0]),
        float(econ.cac[0, 0]),
    )


def test_ltv_to_cac_under_3_is_found_at_the_tier() -> None:
    # $100 a lead and 1 win in 40 leads adds $4,000 to a CAC of ~$4,300: LTV $20,000
    # ($500 x 80% / 2%) is ~2.4 CAC, and payback (~21 months) is still within 24.
    text = _marketed(100)
    ratio, payback, _ = _economics(text)
    assert ratio < 3 and payback < 24
    assert found(text, "SP402") == ["11:3"]
    assert found(text, "SP403") == []


def test_payback_over_24_months_is_found_at_the_tier() -> None:
    # $200 a lead: CAC ~$12,000, over 30 months of $400 margin; with no churn the LTV capped
    # at the base plan's 8 years is 96 months of margin, over 3 times the CAC.
    text = _marketed(200, churn="0.0")
    ratio, payback, _ = _economics(text)
    assert ratio >= 3 and payback > 24
    assert found(text, "SP403") == ["11:3"]
    assert found(text, "SP402") == []


def test_economics_messages_give_the_plan_figures() -> None:
    text = _marketed(200)
    ratio, payback, cac = _economics(text)
    ltv_p, payback_p = rules_found(text, "SP402", "SP403")
    assert f"LTV : CAC is {ratio:.1f} over the plan" in ltv_p.message
    assert f"CAC {cac:,.0f} USD" in ltv_p.message
    assert f"CAC payback is {payback:.1f} months" in payback_p.message


def test_no_churn_is_judged_on_the_capped_ltv() -> None:
    # Without churn the lifetime value is unbounded, but the capped LTV is not: 8 years of
    # margin against a CAC of some 60 months of it.
    text = _marketed(400, churn="0.0")
    ratio, payback, _ = _economics(text)
    assert ratio == pytest.approx(96 / payback) and payback > 24
    assert found(text, "SP402") == ["11:3"]
    assert found(text, "SP403") == ["11:3"]


def test_economics_rules_pass_at_their_edge(monkeypatch: pytest.MonkeyPatch) -> None:
    from salesplan.checks import field_economics

    text = _marketed(200)
    ratio, payback, _ = _economics(text)
    monkeypatch.setattr(field_economics, "MIN_LTV_CAC", ratio)
    monkeypatch.setattr(field_economics, "MAX_PAYBACK_MONTHS", payback)
    assert found(text, "SP402") == found(text, "SP403") == []
    monkeypatch.setattr(field_economics, "MIN_LTV_CAC", ratio * (1 + 1e-9))
    monkeypatch.setattr(field_economics, "MAX_PAYBACK_MONTHS", payback * (1 - 1e-9))
    assert found(text, "SP402") == found(text, "SP403") == ["11:3"]


def test_a_tier_that_wins_nobody_is_not_judged() -> None:
    # A second tier with no share of new business: no customers won, so no CAC to judge.
    two_tiers = _marketed(400).replace(
        "roles:",
        "  idle:\n    segment: smb\n    mrr: 500\n    churn_rate: 0.02\n    share: 0.0\n"
        "    motions:\n      inbound:\n        kind: inbound\n        share: 1.0\n"
        "        marketing: {cost_per_entry: 400}\n        stages:\n"
        "          - {name: lead, rate: 0.1, days: 7}\n\nroles:",
        1,
    )
    found_at = [(p.code, p.message.split(":")[0]) for p in rules_found(two_tiers, "SP402", "SP403")]
    assert found_at == [("SP402", "tier smb"), ("SP403", "tier smb")]


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_plan_suppression_silences_a_rule(tmp_path: Path) -> None:
    text = patched("churn_rate: 0.02", "churn_rate: 0.05")
    assert "SP401" in [p.code for p in run_plan(str(_write(tmp_path, text))).problems]
    text += "suppress:\n  - {code: SP401, reason: churn falls once onboarding ships}\n"
    assert "SP401" not in [p.code for p in run_plan(str(_write(tmp_path, text))).problems]


def test_suppression_needs_a_reason(tmp_path: Path) -> None:
    text = BASE_TEXT + "suppress:\n  - {code: SP401}\n"
    problems = run_plan(str(_write(tmp_path, text))).problems
    assert [(p.code, p.location.line) for p in problems] == [("SP204", 55)]


def test_cli_select_and_ignore_take_rule_codes(cli: Cli, tmp_path: Path) -> None:
    text = patched("churn_rate: 0.02", "churn_rate: 0.05").replace("capacity: 8}", "capacity: 12}")
    path = str(_write(tmp_path, text))
    select = ["--select", "SP401", "--select", "SP407"]
    code, out, _ = cli("check", "--format", "text", *select, path)
    assert code == 0
    assert [line.split()[1] for line in out.splitlines()] == ["SP401", "SP407"]
    _, out, _ = cli("check", "--format", "text", *select, "--ignore", "SP401", path)
    assert [line.split()[1] for line in out.splitlines()] == ["SP407"]
    code, out, _ = cli("check", "--strict", "--select", "SP407", path)
    assert code == 1
    assert "SP407 warning: manager manages 12 people each" in out


LEADER = (
    "  vp:\n    category: leadership\n    function: overhead\n    opening_heads: 1\n"
    '    heads: {"2027-01": 1}\n'
)
RECRUITER = (
    "  recruiter:\n    opening_heads: 1\n    hiring_lead_months: 2\n    function: overhead\n"
    "    drivers:\n      - {starts: [sdr, ae], capacity: %s}\n"
)


def test_a_sales_leader_in_post_answers_many_managers() -> None:
    text = patched("capacity: 8}", "capacity: 2}").replace("\neconomics:", LEADER + "\neconomics:")
    assert found(text, "SP412") == []


def test_recruiters_hire_what_their_capacity_allows() -> None:
    # Recruiters are staffed to hire the starts they work; only months their own lead time
    # cannot reach fall short: then the rule names the recruiting role.
    many = patched("  sdr:\n    opening_heads: 3", "  sdr:\n    opening_heads: 0")
    enough = many.replace("\neconomics:", RECRUITER % 20 + "\neconomics:")
    assert found(enough, "SP413") == []
    scarce = many.replace("\neconomics:", RECRUITER % 0.5 + "\neconomics:")
    assert found(scarce, "SP413") == ["51:3"]


def test_sm_share_is_one_finding_naming_every_year_over_the_line() -> None:
    # Series B spends 122% of revenue on S&M in 2027 and 94% in 2028, both over 1.5 × 47%.
    from tests.paths import ROOT

    text = (ROOT / "configs" / "series-b.yaml").read_text(encoding="utf-8")
    (p,) = rules_found(text, "SP410")
    assert p.message.startswith("S&M costs 122% of revenue in 2027 (")
    assert " and 94% in 2028 (" in p.message
    assert "about 47% is usual at 19.8M USD ARR" in p.message
