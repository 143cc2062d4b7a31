"""Project configuration: where it is found, what it sets for each plan, and its problems."""

from __future__ import annotations

from pathlib import Path

import pytest

from salesplan.load.config import Config, PathRule, Settings, find_config, load_config
from salesplan.problems import Problem


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _brief(problems: list[Problem]) -> list[str]:
    return [f"{p.location.line}:{p.location.col} {p.code} {p.message}" for p in problems]


TOML = """\
[project]
name = "plans"

[tool.salesplan]
select = ["SP2", "SP3", "SP4"]
ignore = ["SP409"]
strict = true

[tool.salesplan.per-path]
"configs/scenarios/*.yaml" = { ignore = ["SP301"] }
"drafts/**" = { strict = false, select = ["SP2"] }
"""


# -- where it is found ------------------------------------------------------------------------


def test_found_from_the_current_directory_upwards(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", TOML)
    deep = tmp_path / "configs" / "scenarios"
    deep.mkdir(parents=True)
    assert find_config(str(deep)) == str(tmp_path / "pyproject.toml")


def test_a_pyproject_without_the_table_is_passed_over(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", TOML)
    _write(tmp_path / "sub" / "pyproject.toml", '[project]\nname = "other"\n')
    _write(tmp_path / "sub" / "broken" / "pyproject.toml", "[project\n")  # not ours: no error
    assert find_config(str(tmp_path / "sub" / "broken")) == str(tmp_path / "pyproject.toml")


def test_the_first_directory_with_either_file_wins(tmp_path: Path) -> None:
    _write(tmp_path / ".salesplan.yaml", "strict: true\n")
    _write(tmp_path / "sub" / "pyproject.toml", TOML)
    assert find_config(str(tmp_path / "sub")) == str(tmp_path / "sub" / "pyproject.toml")


def test_in_one_directory_the_yaml_file_wins(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", TOML)
    _write(tmp_path / ".salesplan.yaml", "strict: false\n")
    assert find_config(str(tmp_path)) == str(tmp_path / ".salesplan.yaml")


def test_no_configuration_is_the_defaults(tmp_path: Path) -> None:
    config, problems = load_config(str(tmp_path))
    assert (config, problems) == (Config(), [])
    assert config.settings("plan.yaml") == Settings()


# -- what it sets for each plan ----------------------------------------------------------------


def _loaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, text: str) -> Config:
    _write(tmp_path / name, text)
    monkeypatch.chdir(tmp_path)
    config, problems = load_config(str(tmp_path))
    assert problems == []
    return config


def test_toml_and_yaml_say_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    toml = _loaded(tmp_path / "a", monkeypatch, "pyproject.toml", TOML)
    yaml = _loaded(
        tmp_path / "b",
        monkeypatch,
        ".salesplan.yaml",
        "select: [SP2, SP3, SP4]\nignore: [SP409]\nstrict: true\nper-path:\n"
        '  "configs/scenarios/*.yaml": {ignore: [SP301]}\n'
        '  "drafts/**": {strict: false, select: [SP2]}\n',
    )
    rules = (
        PathRule("configs/scenarios/*.yaml", None, ("SP301",), None),
        PathRule("drafts/**", ("SP2",), (), False),
    )
    expected = (("SP2", "SP3", "SP4"), ("SP409",), True, rules)
    for config in (toml, yaml):
        assert (config.select, config.ignore, config.strict, config.per_path) == expected
    assert (toml.path, yaml.path) == ("pyproject.toml", ".salesplan.yaml")


def test_per_path_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = _loaded(tmp_path, monkeypatch, "pyproject.toml", TOML)
    top = Settings(("SP2", "SP3", "SP4"), ("SP409",), True)
    assert config.settings("configs/series-a.yaml") == top
    # A matching pattern adds its ignores; select and strict replace the top level's.
    assert config.settings("configs/scenarios/base.yaml") == Settings(
        ("SP2", "SP3", "SP4"), ("SP409", "SP301"), True
    )
    assert config.settings("drafts/q3/plan.yaml") == Settings(("SP2",), ("SP409",), False)
    # `*` stays in its directory; the path is the plan's, from the configuration's directory.
    assert config.settings("configs/scenarios/old/base.yaml") == top
    (tmp_path / "configs").mkdir()
    monkeypatch.chdir(tmp_path / "configs")  # a plan named from elsewhere matches the same
    assert config.settings("scenarios/base.yaml").ignore == ("SP409", "SP301")


def test_a_pattern_without_a_slash_matches_a_file_name_anywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = _loaded(
        tmp_path, monkeypatch, ".salesplan.yaml", 'per-path:\n  "*.draft.yaml": {ignore: [SP4]}\n'
    )
    assert config.settings("a/b/q3.draft.yaml").ignore == ("SP4",)
    assert config.settings("a/b/q3.yaml").ignore == ()


def test_command_line_options_replace_the_configuration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = _loaded(tmp_path, monkeypatch, "pyproject.toml", TOML)
    plan = "configs/scenarios/base.yaml"
    assert config.settings(plan, select=["SP301"]) == Settings(("SP301",), ("SP409", "SP301"), True)
    assert config.settings(plan, ignore=["SP4"], strict=False) == Settings(
        ("SP2", "SP3", "SP4"), ("SP4",), False
    )


# -- a configuration that cannot be used: located problems, never a traceback -----------------

BAD = [
    (
        "pyproject.toml",
        '[tool.salesplan]\nselect = ["SP4"\n',
        ["2:16 SP600 Unclosed array"],
    ),
    (
        "pyproject.toml",
        "[tool.salesplan]\nignroe = []\nstrict = 1\nselect = 'SP4'\n",
        [
            "2:1 SP601 unknown key 'ignroe' (did you mean 'ignore'?) (keys: select, ignore, "
            "strict, per-path)",
            "3:1 SP602 strict: expected true or false",
            '4:1 SP602 select: expected a list of check codes or prefixes, e.g. ["SP4", "SP301"]',
        ],
    ),
    (
        "pyproject.toml",
        '[tool]\nsalesplan = "strict"\n',
        ["2:1 SP600 [tool.salesplan] must be a table of keys (select, ignore, strict, per-path)"],
    ),
    (
        "pyproject.toml",
        '[tool.salesplan.per-path]\n"plans/*.yaml" = { ignore = ["SP999"] }\n',
        ["2:20 SP602 per-path 'plans/*.yaml' ignore: no check code is or starts with 'SP999'"],
    ),
    (
        ".salesplan.yaml",
        "per-path:\n  plans/*.yaml: {strikt: true}\n  other.yaml: [SP4]\n",
        [
            "2:18 SP601 unknown key 'strikt' (did you mean 'strict'?) (keys: select, ignore, "
            "strict)",
            "3:15 SP602 per-path 'other.yaml': expected a mapping (select, ignore, strict)",
        ],
    ),
    (".salesplan.yaml", "- SP4\n", ["1:1 SP600 a configuration is a mapping of keys "
                                    "(select, ignore, strict, per-path)"]),
    (".salesplan.yaml", "strict: yes\n", ["1:9 SP106 'yes' is ambiguous: write true/false, or "
                                          "quote it if you mean the text"]),
]  # fmt: skip


@pytest.mark.parametrize(("name", "text", "expected"), BAD, ids=[b[1][:30] for b in BAD])
def test_a_bad_configuration_is_located_problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, text: str, expected: list[str]
) -> None:
    _write(tmp_path / name, text)
    monkeypatch.chdir(tmp_path)
    config, problems = load_config(str(tmp_path))
    assert config.path == name
    assert _brief(problems) == expected
    assert all(p.location.path == name for p in problems)
