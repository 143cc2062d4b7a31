"""The docs are generated from the code: the README's table of checks and the rule registry."""

from __future__ import annotations

import pytest

from salesplan.checks.registry import RULES
from salesplan.problems.codes import BY_CODE, CODES
from tests.conftest import Cli
from tools import docs


def test_readme_codes_block_is_current() -> None:
    readme = docs.README.read_text(encoding="utf-8")
    assert readme == docs.with_codes_block(readme), "README checks table is stale: run make docs"


def test_every_code_is_in_the_readme_table() -> None:
    table = docs.codes_table()
    for c in CODES:
        assert f"| {c.code} | {c.severity.value}" in table


def test_the_registry_has_one_rule_per_code() -> None:
    codes = [r.code for r in RULES]
    assert codes == sorted(set(codes))


def test_every_rule_code_is_registered_and_documented() -> None:
    for rule in RULES:
        assert rule.code in BY_CODE, rule.code
        doc = rule.check.__doc__ or ""
        assert doc.startswith(f"{rule.code}: "), f"{rule.code}: docstring must name its code"


def test_every_field_code_has_a_rule() -> None:
    ruled = {r.code for r in RULES}
    field = {c.code for c in CODES if c.code.startswith("SP4")}
    missing = field - ruled
    assert not missing, f"SP4xx codes without a rule: {sorted(missing)}"


def test_field_codes_are_suppressible_warnings_with_a_source() -> None:
    for c in CODES:
        if c.code.startswith("SP4"):
            assert c.suppressible and c.severity.value == "warning" and c.source, c.code


def test_codes_are_unique_and_sorted() -> None:
    names = [c.code for c in CODES]
    assert len(names) == len(set(names)) and names == sorted(names)


def test_tables_reference_is_current() -> None:
    from tools.tables_doc import tables_markdown

    shipped = docs.TABLES.read_text(encoding="utf-8")
    assert shipped == tables_markdown(), "docs/tables.md is stale: run make docs"


def test_tables_reference_names_the_csv_headers(cli: Cli) -> None:
    # Every column of a CSV the CLI writes is documented under its table (tiers generic).
    reference = docs.TABLES.read_text(encoding="utf-8")
    plan = str(docs.ROOT / "configs" / "series-a.yaml")
    runs = [
        ["plan", plan, "--period", "quarter"],
        ["economics", plan],
        ["pods", plan],
        ["comp", plan],
        ["sensitivity", plan],
        ["simulate", plan, "--trials", "20"],
        ["track", plan, str(docs.ROOT / "configs" / "actuals" / "series-a-2027-q1.csv")],
        ["solve", plan, "--for", "roles.ae.comp.quota", "--to", "payback<=30"],
        ["explain", plan, "need", "se", "2027-03"],
    ]
    for args in runs:
        code, out, err = cli(*args, "--format", "csv")
        assert code == 0, err
        for line in out.splitlines():
            if not line.startswith("table,"):
                continue
            for name in line.split(",")[1:]:
                generic = name.replace("_smb", "_<tier>").replace("_mid_market", "_<tier>")
                assert f"| `{generic}` |" in reference, (args[0], name)


def test_actuals_reference_is_current() -> None:
    from tools.actuals_doc import actuals_markdown

    shipped = docs.ACTUALS.read_text(encoding="utf-8")
    assert shipped == actuals_markdown(shipped), "docs/actuals.md is stale: run make docs"


def test_readme_actuals_example_is_current() -> None:
    from tools.actuals_doc import readme_with_example

    readme = docs.README.read_text(encoding="utf-8")
    assert readme == readme_with_example(readme), "README's actuals example: run make docs"


def test_actuals_schema_file_is_current() -> None:
    from tools.actuals_doc import actuals_schema_text

    shipped = docs.ACTUALS_SCHEMA.read_text(encoding="utf-8")
    assert shipped == actuals_schema_text(), "schema/actuals.schema.json is stale: run make docs"


def test_actuals_reference_lists_every_metric_and_code() -> None:
    from salesplan.load.actuals_format import METRICS

    reference = docs.ACTUALS.read_text(encoding="utf-8")
    for m in METRICS:
        assert f"| `{m.name}` |" in reference, m.name
    for c in CODES:
        if c.code.startswith("SP5"):
            assert f"| {c.code} |" in reference, c.code


def test_actuals_python_example_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(docs.ROOT)
    reference = docs.ACTUALS.read_text(encoding="utf-8")
    code = reference.split("```python\n", 1)[1].split("```", 1)[0]
    scope: dict[str, object] = {}
    exec(compile(code, "docs/actuals.md", "exec"), scope)
    assert scope["actuals"] is not None
