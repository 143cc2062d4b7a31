"""A written scenario reads back as its base plan with one value changed (load/scenario.py)."""

from __future__ import annotations

import shutil
from dataclasses import fields
from pathlib import Path

import numpy as np
import pytest
import yaml

from salesplan.api import evaluate
from salesplan.engine.levers import lever
from salesplan.load.scenario import scenario_text
from salesplan.pipeline import run_plan
from tests.engine.plans import PLAN_PATH
from tests.engine.test_levers import EVERY_KIND
from tests.paths import CONFIGS


@pytest.mark.parametrize(
    ("base", "key", "value"),
    [
        ("series-a", "tiers.mid_market.motions.inbound.stages.opportunity.rate", 0.27),
        ("series-a", "tiers.mid_market.motions.inbound.stages.opportunity.rate", 0.4),
        ("series-a", "tiers.mid_market.acv", 31_500.0),
        ("series-a", "roles.se.drivers.0.capacity", 11.5),
        ("series-a", "roles.ae.comp.quota", 712_345.5),
        ("series-a", "roles.revops.heads.2028-01", 3),
        ("series-a", "roles.ae.hiring_lead_months", 1),
        ("series-a", "target.ending_arr", 5_500_000),
        ("series-a", "tiers.smb.onboarding_cost", 250.0),
        ("every kind", "roles.ae.ramp_curve.1", 0.6),
        ("every kind", "roles.sdr.drivers.0.capacity", 30.0),
        ("every kind", "programmes.ads.schedule.2027-06", 2_500.0),
        ("every kind", "pods.team.members.sdr", 0.75),
    ],
)
def test_a_written_scenario_is_the_base_with_one_value_set(
    tmp_path: Path, base: str, key: str, value: float
) -> None:
    if base == "series-a":
        shutil.copy(CONFIGS / "series-a.yaml", tmp_path / "base.yaml")
    else:
        text = yaml.safe_dump(EVERY_KIND, sort_keys=False)
        (tmp_path / "base.yaml").write_text(text, encoding="utf-8")
    ev = evaluate(str(tmp_path / "base.yaml"))
    c = ev.compiled
    lv = lever(ev.loaded.plan, c.structure, c.params, c.inputs, key)
    out = tmp_path / "out" / "solved.yaml"
    out.parent.mkdir()
    data = ev.loaded.source.data
    text = scenario_text(str(tmp_path / "base.yaml"), str(out), data, lv.path, value, ["a note"])
    out.write_text(text, encoding="utf-8")
    assert text.startswith("# a note\n") and "\nextends: ../base.yaml\n" in text
    checked = run_plan(str(out))
    assert checked.evaluation is not None, [str(p) for p in checked.problems]
    want = lv.apply(c.params, np.array([value]))
    got = checked.evaluation.compiled.params
    for f in fields(got):
        assert np.array_equal(getattr(got, f.name), getattr(want, f.name)), f.name


def test_a_range_keeps_its_spread_when_the_value_lies_in_it(tmp_path: Path) -> None:
    ev = evaluate(str(CONFIGS / "series-a.yaml"))
    key = ("tiers", "mid_market", "motions", "inbound", "stages", 3, "rate")
    data = ev.loaded.source.data
    inside = scenario_text(
        str(CONFIGS / "series-a.yaml"), str(tmp_path / "a.yaml"), data, key, 0.27, []
    )
    outside = scenario_text(
        str(CONFIGS / "series-a.yaml"), str(tmp_path / "b.yaml"), data, key, 0.4, []
    )
    assert "name: opportunity\n            rate:\n              likely: 0.27\n" in inside
    assert "rate: 0.4\n" in outside and "replaces it" in outside
    (tmp_path / "a.yaml").write_text(inside, encoding="utf-8")
    checked = run_plan(str(tmp_path / "a.yaml"))
    assert checked.evaluation is not None
    (inp,) = [i for i in checked.evaluation.compiled.inputs if i.path == key]
    assert inp.range is not None and (inp.range.low, inp.range.likely, inp.range.high) == (
        0.2,
        0.27,
        0.3,
    )


def test_keys_that_yaml_could_misread_are_quoted(tmp_path: Path) -> None:
    data = {"tiers": {"no": {"mrr": 1.0}}, "roles": {"x": {"heads": {"2027-06": 1}}}}
    text = scenario_text(PLAN_PATH, str(tmp_path / "s.yaml"), data, ("tiers", "no", "mrr"), 2.0, [])
    assert '"no":' in text
    text = scenario_text(
        PLAN_PATH, str(tmp_path / "s.yaml"), data, ("roles", "x", "heads", "2027-06"), 2, []
    )
    assert '"2027-06": 2' in text
