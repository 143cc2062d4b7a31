"""The sample actuals: tools/actuals_sample.py writes them from the plan, and they tell the
story the docs tell (a win-rate miss in SMB inbound, an AE who starts a month late)."""

from __future__ import annotations

from salesplan.api import evaluate, plan_report
from salesplan.load.actuals import Actuals, Key, PlanNames, read_actuals
from tests.paths import CONFIGS
from tools import actuals_sample

SAMPLE = CONFIGS / "actuals" / "series-a-2027-q1.csv"


def shipped() -> tuple[Actuals, PlanNames]:
    names = PlanNames.of(evaluate(str(actuals_sample.PLAN)).loaded.plan)
    actuals, problems = read_actuals(str(SAMPLE), SAMPLE.read_bytes(), names)
    assert problems == [] and actuals is not None
    return actuals, names


def test_the_generator_writes_a_clean_file_for_the_current_plan() -> None:
    text = actuals_sample.sample_text(actuals_sample.sample_rows())
    names = PlanNames.of(evaluate(str(actuals_sample.PLAN)).loaded.plan)
    actuals, problems = read_actuals("sample.csv", text.encode(), names)
    assert problems == [] and actuals is not None
    assert actuals.first == 0 and actuals.through == actuals_sample.MONTHS - 1
    assert text.startswith("month,metric,tier,motion,stage,role,value\n")


def test_the_sample_is_three_months_of_every_metric_but_pipeline() -> None:
    actuals, names = shipped()
    assert [names.label(m) for m in range(actuals.first, actuals.through + 1)] == [
        "2027-01",
        "2027-02",
        "2027-03",
    ]
    assert set(actuals.months) == {
        "entries",
        "wins",
        "new_mrr",
        "churned_mrr",
        "expansion_mrr",
        "mrr",
        "customers",
        "churned_customers",
        "heads",
        "starts",
        "departures",
        "open_requisitions",
        "marketing_cost",
    }


def test_smb_inbound_wins_fewer_than_planned_from_its_sqls() -> None:
    actuals, _ = shipped()
    funnel = plan_report(evaluate(str(actuals_sample.PLAN)), "month").table("funnel")
    planned = {
        (r["tier"], r["motion"], r["stage"], r["period"]): r["volume"] for r in funnel.records()
    }
    months = ("2027-01", "2027-02", "2027-03")
    won = sum(actuals.series("wins", Key("smb", "inbound")))
    sqls = sum(actuals.series("entries", Key("smb", "inbound", "sql")))
    planned_won = sum(float(str(planned["smb", "inbound", "won", m])) for m in months)
    assert won < 0.8 * planned_won
    assert won / sqls < 0.2  # the plan converts 25% of SQLs


def test_an_ae_starts_a_month_late() -> None:
    actuals, _ = shipped()
    view = evaluate(str(actuals_sample.PLAN)).plan
    ae = view.structure.roles.index("ae")
    planned_heads = [float(view.heads[ae, m]) for m in range(3)]
    heads = list(actuals.series("heads", Key(role="ae")))
    late = next(m for m in range(3) if heads[m] != planned_heads[m])
    assert heads[late] == planned_heads[late] - 1
    assert actuals.series("starts", Key(role="ae"))[late] == float(view.starts[ae, late]) - 1
    reqs = actuals.series("open_requisitions", Key(role="ae"))
    assert reqs[late] >= 1  # the requisition is still open
