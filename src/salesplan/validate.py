"""Turn plan data into a typed Plan, and check what a schema cannot: ranges of uncertain
values, references between tiers, motions, stages and roles, and shares that sum to 1.

All problems are collected in one pass and located at the line they concern.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from salesplan.codes import BY_CODE, problem
from salesplan.load import KeyPath, LoadedPlan, Source, closest_field, did_you_mean
from salesplan.problems import Problem

if TYPE_CHECKING:
    from salesplan.schema import Plan, Range

SHARE_TOLERANCE = 1e-6

_SCALAR_TAGS = {"float", "int", "str", "bool", "constrained-str", "constrained-float", "none"}


def schema_problems(source: Source) -> tuple[Plan | None, list[Problem]]:
    """Validate merged data against the schema; map every error to a located problem."""
    from pydantic import ValidationError

    from salesplan.schema import Plan

    try:
        return Plan.model_validate(source.data), []
    except ValidationError as err:
        errors = err.errors(include_url=False)
    mapped = [_map_error(source, e) for e in errors]
    # A union reports one error per member; keep those matching the shape of what was
    # written.  A member that does not fit is reported only when no member fits, at or
    # below the same place (a range missing 'likely' is not also "not a number").
    fitting = [path for path, _, fits in mapped if fits]
    problems: list[Problem] = []
    reported: set[KeyPath] = set()
    for path, p, fits in mapped:
        if fits:
            problems.append(p)
        elif path not in reported and not any(f[: len(path)] == path for f in fitting):
            problems.append(p)
            reported.add(path)
    return None, problems


# Schema errors a repaired copy can step over to look for more problems (see repaired_plan).
_BOUND_ERRORS = {
    "greater_than": ("gt", 1),
    "greater_than_equal": ("ge", 0),
    "less_than": ("lt", -1),
    "less_than_equal": ("le", 0),
}
_REPAIR_ROUNDS = 3


def repaired_plan(source: Source) -> tuple[Plan | None, bool]:
    """Return the plan with its unknown keys dropped and out-of-range numbers moved to their
    bound, if that is all that kept it from the schema (else None), and whether a number
    was moved.

    The copy is only ever used to look for more problems in the same pass (references,
    bounds of uncertain values, targets) when the schema has already failed: a value moved
    to the bound it broke stays on the wrong side of every rule about that value, and an
    unknown key means nothing.  A sum over moved values (shares) would misquote the plan, so
    the caller leaves those checks out when a number was moved.  A missing key, a wrong type
    or a bad range cannot be stepped over.
    """
    import copy

    from pydantic import ValidationError

    from salesplan.schema import Plan

    data = copy.deepcopy(source.data)
    moved = False
    for _ in range(_REPAIR_ROUNDS):
        try:
            return Plan.model_validate(data), moved
        except ValidationError as err:
            errors = err.errors(include_url=False)
        for e in errors:
            repair = _repair(data, source, e)
            if repair is None:
                return None, moved
            moved |= repair == "moved"
    return None, moved


def _repair(data: Any, source: Source, e: Any) -> str | None:
    """Repair one schema error in ``data`` in place: "dropped" an unknown key, "moved" a
    number to its bound, or None when it cannot be repaired."""
    path, _, _ = _map_error(source, e)
    if not path or "[key]" in e["loc"]:
        return None
    parent: Any = data
    for part in path[:-1]:
        if not _has(parent, part):
            return None
        parent = parent[part]
    last = path[-1]
    if not _has(parent, last):
        return None
    etype = e["type"]
    if etype == "extra_forbidden":
        del parent[last]
        return "dropped"
    if etype in _BOUND_ERRORS and isinstance(parent[last], int | float):
        name, step = _BOUND_ERRORS[etype]
        limit = (e.get("ctx") or {}).get(name)
        if not isinstance(limit, int | float) or isinstance(parent[last], bool):
            return None
        if isinstance(parent[last], int) and isinstance(limit, int):
            parent[last] = limit + step
        else:
            parent[last] = float(limit) + step * 1e-9 * max(1.0, abs(float(limit)))
        return "moved"
    return None


def _map_error(source: Source, e: Any) -> tuple[KeyPath, Problem, bool]:
    """Map one pydantic error to (data path, problem, whether it fits the data's shape)."""
    loc: tuple[Any, ...] = e["loc"]
    node: Any = source.data
    path: list[str | int] = []
    fits = True
    etype: str = e["type"]
    at_key = False
    for i, part in enumerate(loc):
        if part == "[key]":
            # The error is about the key itself (a tier or role name), not its value.
            at_key = True
        elif _has(node, part):
            path.append(part)
            node = node[part]
        elif etype == "missing" and i == len(loc) - 1:
            parent = tuple(path)
            where = source.where(parent, key=bool(parent))
            message = f"{_owner(parent)}missing required key {part!r}"
            return (*parent, part), problem("SP204", where, message), True
        elif isinstance(part, str):
            # A union member's tag (e.g. 'float' or 'Range'): keep only the member that
            # matches the shape of the data actually written.
            is_scalar_tag = part in _SCALAR_TAGS or part.startswith("constrained-")
            is_list_tag = part.startswith("list[")
            if isinstance(node, dict):
                fits &= not (is_scalar_tag or is_list_tag)
            elif isinstance(node, list):
                fits &= is_list_tag
            else:
                fits &= is_scalar_tag
    key = tuple(path)
    name = next((str(p) for p in reversed(path) if isinstance(p, str)), "plan")
    if etype == "extra_forbidden":
        allowed = closest_field(_plan_type(), key[:-1])
        hint = did_you_mean(str(key[-1]), allowed)
        where = source.where(key, key=True)
        return key, problem("SP201", where, f"unknown key {key[-1]!r}{hint}"), True
    code = _code_for(etype)
    if at_key:
        container = next((str(p) for p in reversed(path[:-1]) if isinstance(p, str)), "plan")
        message = f"{container}: name {key[-1]!r} {_message(e, etype)}"
        return key, problem(code, source.where(key, key=True), message), fits
    message = f"{name}: {_message(e, etype)}"
    if code in ("SP202", "SP207", "SP203"):
        message += f" (got {_describe(node)})"
    if etype in ("float_type", "int_type") and isinstance(node, str) and _numeric(node):
        message += "; write numbers without quotes"
    return key, problem(code, source.where(key), message), fits


# Plain words for the schema's patterns, so no message shows a regular expression.
_PATTERNS = {
    r"^[A-Za-z][A-Za-z0-9_\-]*$": "must start with a letter and hold only letters, digits, "
    "'_' and '-'",
    r"^\d{4}-(0[1-9]|1[0-2])$": "must be a month written YYYY-MM, e.g. 2027-01",
    r"^[A-Z]{3}$": "must be a three-letter ISO 4217 currency code in capitals, e.g. USD",
    r"^SP\d{3}$": "must be a check code like SP401",
}


def _message(e: Any, etype: str) -> str:
    """Return pydantic's message in the plan's words: no internals, no regular expressions."""
    ctx = e.get("ctx") or {}
    if etype == "value_error":
        return _lower_first(str(e["msg"]).removeprefix("Value error, "))
    if etype == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        return _PATTERNS.get(pattern, f"must match the pattern {pattern}")
    if etype in ("model_type", "model_attributes_type", "dict_type"):
        return "expected a mapping of keys"
    if etype == "string_too_short":
        n = ctx.get("min_length")
        return "must not be empty" if n == 1 else f"must be at least {n} characters"
    if etype == "string_too_long":
        return f"must be at most {ctx.get('max_length')} characters"
    if etype == "too_short":
        return f"needs at least {ctx.get('min_length')} item(s)"
    if etype == "too_long":
        return f"may have at most {ctx.get('max_length')} items"
    return _lower_first(str(e["msg"]))


def _owner(path: KeyPath) -> str:
    """Name what holds a missing key: ``company: ``, ``stages item 2: ``, or nothing at the top."""
    if not path:
        return ""
    if isinstance(path[-1], int):
        container = next((str(p) for p in reversed(path) if isinstance(p, str)), "plan")
        return f"{container} item {path[-1] + 1}: "
    return f"{path[-1]}: "


def _has(node: Any, part: Any) -> bool:
    """Return True if ``part`` is a key (or index) present in ``node``."""
    if isinstance(node, dict):
        return isinstance(part, str) and part in node
    if isinstance(node, list):
        return isinstance(part, int) and 0 <= part < len(node)
    return False


def _plan_type() -> Any:
    from salesplan.schema import Plan

    return Plan


def _code_for(etype: str) -> str:
    if etype == "finite_number":
        return "SP205"
    if etype.startswith(("greater", "less", "too_short", "too_long")):
        return "SP203"
    if etype in (
        "literal_error",
        "string_pattern_mismatch",
        "string_too_short",
        "string_too_long",
        "value_error",
        "enum",
    ):
        return "SP207"
    return "SP202"


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean)"
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:37] + "..."
        return f"{text!r} (text)"
    if isinstance(value, dict):
        ends = [k for k in ("low", "likely", "high") if k in value]
        if ends:  # a range: show what was written
            return ", ".join(f"{k} {_describe(value[k])}" for k in ends)
        return "a mapping" if value else "an empty mapping"
    if isinstance(value, list):
        return f"a list of {len(value)}" if value else "an empty list"
    if value is None:
        return "nothing"
    return repr(value)


def _numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


# -- cross-field checks ---------------------------------------------------------------------


def validate_plan(loaded: LoadedPlan) -> list[Problem]:
    """Check bounds of uncertain values, references, shares, targets and manager cycles."""
    checker = _Checker(loaded)
    checker.run()
    return checker.problems


class _Checker:
    def __init__(self, loaded: LoadedPlan) -> None:
        self.loaded = loaded
        self.plan: Plan = loaded.plan
        self.problems: list[Problem] = []

    def add(self, code: str, path: KeyPath, message: str, *, key: bool = False) -> None:
        self.problems.append(problem(code, self.loaded.where(path, key=key), message))

    def run(self) -> None:
        self.target()
        self.tiers()
        self.roles()
        self.pods()
        self.suppressions()

    # -- target and tiers -----------------------------------------------------------------
    def target(self) -> None:
        t = self.plan.target
        given = [
            k
            for k in ("ending_arr", "first_year_revenue", "new_arr_per_year", "new_mrr_per_month")
            if getattr(t, k) is not None
        ]
        explicit = [k for k, tier in self.plan.tiers.items() if tier.new_mrr is not None]
        shared = [k for k, tier in self.plan.tiers.items() if tier.new_mrr is None]
        if len(given) > 1:
            self.add("SP206", ("target", given[1]), f"give one target, not {' and '.join(given)}")
        elif not given and shared:
            self.add(
                "SP206",
                ("target",),
                "give one target: ending_arr, first_year_revenue, new_arr_per_year or "
                "new_mrr_per_month",
                key=True,
            )
        elif given and not shared and explicit:
            self.add(
                "SP206",
                ("target", given[0]),
                "every tier gives new_mrr, so there is nothing left for a target to solve",
            )
        if given == ["first_year_revenue"] and self.plan.company.horizon_months < 12:
            self.add(
                "SP203",
                ("company", "horizon_months"),
                "first_year_revenue needs a horizon of at least 12 months",
            )

    def tiers(self) -> None:
        tiers = self.plan.tiers
        shares = []
        for name, tier in tiers.items():
            base: KeyPath = ("tiers", name)
            if (tier.mrr is None) == (tier.acv is None):
                self.add("SP204", base, f"tier {name}: give mrr or acv (one)", key=True)
            for fld in ("mrr", "acv"):
                self.bound(tier, base, fld, lo=0, lo_open=True)
            self.bound(tier, base, "churn_rate", lo=0, hi=1, hi_open=True)
            self.bound(tier, base, "expansion_rate", lo=0, hi=1)
            if tier.share is not None and tier.new_mrr is not None:
                self.add(
                    "SP207", (*base, "new_mrr"), f"tier {name}: give share or new_mrr, not both"
                )
            if tier.new_mrr is None:
                shares.append((name, tier.share))
            mshare = 0.0
            for mname, motion in tier.motions.items():
                mpath: KeyPath = (*base, "motions", mname)
                mshare += motion.share
                for i, stage in enumerate(motion.stages):
                    spath: KeyPath = (*mpath, "stages", i)
                    self.bound(stage, spath, "rate", lo=0, lo_open=True, hi=1)
                    self.bound(stage, spath, "days", lo=0, hi=3650)
                    if stage.name == "won":
                        self.add(
                            "SP207",
                            (*spath, "name"),
                            "'won' is the end of every motion; it is not listed as a stage",
                        )
                names = [s.name for s in motion.stages]
                for i, n in enumerate(names):
                    if n in names[:i]:
                        self.add("SP207", (*mpath, "stages", i, "name"), f"stage {n!r} twice")
            if abs(mshare - 1) > SHARE_TOLERANCE:
                self.add(
                    "SP211",
                    (*base, "motions"),
                    f"tier {name}: motion shares sum to {mshare:.6g}, not 1",
                    key=True,
                )
        missing = [n for n, s in shares if s is None]
        if len(shares) == 1 and missing:
            return  # one tier takes all new MRR
        for n in missing:
            self.add(
                "SP204", ("tiers", n), f"tier {n}: give share (of new MRR) or new_mrr", key=True
            )
        if shares and not missing:
            total = sum(s for _, s in shares if s is not None)
            if abs(total - 1) > SHARE_TOLERANCE:
                self.add(
                    "SP211",
                    ("tiers",),
                    f"tier shares of new MRR sum to {total:.6g}, not 1",
                    key=True,
                )

    # -- roles ------------------------------------------------------------------------------
    def roles(self) -> None:
        plan = self.plan
        stage_names = {"won"} | {
            s.name for t in plan.tiers.values() for m in t.motions.values() for s in m.stages
        }
        motion_names = {m for t in plan.tiers.values() for m in t.motions}
        for name, role in plan.roles.items():
            base: KeyPath = ("roles", name)
            self.bound(role, base, "attrition_rate", lo=0, hi=1, hi_open=True)
            self.bound(role, base, "ramp_months", lo=0, hi=36, whole=True)
            self.bound(role, base, "hiring_lead_months", lo=0, hi=24, whole=True)
            self.bound(role.comp, (*base, "comp"), "attainment", lo=0, lo_open=True, hi=2)
            if role.function == "split" and role.acquisition_share is None:
                self.add("SP204", (*base, "function"), "function split needs acquisition_share")
            if role.function != "split" and role.acquisition_share is not None:
                self.add(
                    "SP207",
                    (*base, "acquisition_share"),
                    "acquisition_share goes with function: split",
                )
            curve = role.ramp_curve
            if curve is not None:
                if curve[-1] != 1 or any(b < a for a, b in itertools.pairwise(curve)):
                    self.add(
                        "SP207", (*base, "ramp_curve"), "ramp_curve must rise to 1 and end at 1"
                    )
                if "ramp_months" in self.raw(base):
                    self.add("SP207", (*base, "ramp_months"), "give ramp_months or ramp_curve")
            for i, d in enumerate(role.drivers):
                self.driver(name, (*base, "drivers", i), d, stage_names, motion_names)
        self.manager_cycles()

    def driver(self, role: str, path: KeyPath, d: Any, stages: set[str], motions: set[str]) -> None:
        kinds = [k for k in ("stage", "stock", "manages") if getattr(d, k) is not None]
        if len(kinds) != 1:
            self.add("SP207", path, "a driver works exactly one of stage, stock or manages")
            return
        tiers = self.plan.tiers
        for i, t in enumerate(d.tiers or []):
            if t not in tiers:
                self.add(
                    "SP210",
                    (*path, "tiers", i),
                    f"role {role}: unknown tier {t!r}{did_you_mean(t, list(tiers))}",
                )
        for i, m in enumerate(d.motions or []):
            if m not in motions:
                self.add(
                    "SP210",
                    (*path, "motions", i),
                    f"role {role}: unknown motion {m!r}{did_you_mean(m, sorted(motions))}",
                )
        # An unknown tier or motion is reported once, not again as an unreachable stage.
        known_filters = all(t in tiers for t in d.tiers or []) and all(
            m in motions for m in d.motions or []
        )
        if d.stage is not None:
            names = [d.stage] if isinstance(d.stage, str) else d.stage
            for i, s in enumerate(names):
                at: KeyPath = (*path, "stage") if isinstance(d.stage, str) else (*path, "stage", i)
                if s not in stages:
                    self.add(
                        "SP210",
                        at,
                        f"role {role}: unknown stage {s!r}{did_you_mean(s, sorted(stages))}",
                    )
                elif known_filters and not self.stage_reached(s, d.tiers, d.motions):
                    self.add(
                        "SP210",
                        at,
                        f"role {role}: no motion in the chosen tiers/motions has stage {s!r}",
                    )
        elif d.motions is not None:
            self.add("SP207", (*path, "motions"), "motions filter only a stage driver")
        if d.manages is not None:
            for i, r in enumerate(d.manages):
                if r not in self.plan.roles:
                    self.add(
                        "SP210",
                        (*path, "manages", i),
                        f"role {role}: unknown role {r!r}{did_you_mean(r, list(self.plan.roles))}",
                    )
                elif r == role:
                    self.add("SP212", (*path, "manages", i), f"role {role} manages itself")
            if d.tiers is not None:
                self.add(
                    "SP207", (*path, "tiers"), "a manages driver follows its people, not tiers"
                )
        if d.capacity is None:
            role_obj = self.plan.roles[role]
            if not (d.measure == "new_arr" and role_obj.comp.quota):
                self.add(
                    "SP204", path, "driver needs capacity (or measure new_arr with a comp quota)"
                )
        else:
            self.bound(d, path, "capacity", lo=0, lo_open=True)
        if d.measure == "new_arr" and d.stage is None:
            self.add("SP207", (*path, "measure"), "measure new_arr goes with a stage driver")

    def stage_reached(self, stage: str, tiers: list[str] | None, motions: list[str] | None) -> bool:
        for tname, tier in self.plan.tiers.items():
            if tiers is not None and tname not in tiers:
                continue
            for mname, motion in tier.motions.items():
                if motions is not None and mname not in motions:
                    continue
                if stage == "won" or any(s.name == stage for s in motion.stages):
                    return True
        return False

    def manager_cycles(self) -> None:
        graph = {
            name: [r for d in role.drivers for r in (d.manages or []) if r in self.plan.roles]
            for name, role in self.plan.roles.items()
        }
        state: dict[str, int] = {}
        for start in graph:
            stack = [(start, iter(graph[start]))]
            state[start] = state.get(start, 0) or 1
            if state[start] == 2:
                continue
            while stack:
                node, it = stack[-1]
                nxt = next(it, None)
                if nxt is None:
                    state[node] = 2
                    stack.pop()
                elif state.get(nxt, 0) == 1 and nxt != node:
                    self.add(
                        "SP212",
                        ("roles", node),
                        f"roles {node} and {nxt} manage each other (directly or through others)",
                        key=True,
                    )
                    return
                elif state.get(nxt, 0) == 0:
                    state[nxt] = 1
                    stack.append((nxt, iter(graph[nxt])))

    # -- pods and suppressions --------------------------------------------------------------
    def pods(self) -> None:
        plan = self.plan
        motion_names = {m for t in plan.tiers.values() for m in t.motions}
        for name, pod in plan.pods.items():
            base: KeyPath = ("pods", name)
            for i, t in enumerate(pod.tiers or []):
                if t not in plan.tiers:
                    self.add(
                        "SP210",
                        (*base, "tiers", i),
                        f"pod {name}: unknown tier {t!r}{did_you_mean(t, list(plan.tiers))}",
                    )
            for i, m in enumerate(pod.motions or []):
                if m not in motion_names:
                    self.add(
                        "SP210",
                        (*base, "motions", i),
                        f"pod {name}: unknown motion {m!r}{did_you_mean(m, sorted(motion_names))}",
                    )
            for r in pod.members:
                if r not in plan.roles:
                    self.add(
                        "SP210",
                        (*base, "members", r),
                        f"pod {name}: unknown role {r!r}{did_you_mean(r, list(plan.roles))}",
                        key=True,
                    )
        if plan.staffing == "pod" and not plan.pods:
            self.add("SP207", ("staffing",), "staffing: pod needs at least one pod template")
        seen: dict[str, str] = {}
        for name, pod in plan.pods.items():
            for r in pod.members:
                if r in seen and plan.staffing == "pod":
                    # Two templates may share a role; its heads are the sum of both.
                    continue
                seen[r] = name

    def suppressions(self) -> None:
        for i, s in enumerate(self.plan.suppress):
            spec = BY_CODE.get(s.code)
            if spec is None:
                self.add("SP215", ("suppress", i, "code"), f"no check has the code {s.code}")
            elif not spec.suppressible:
                self.add(
                    "SP215", ("suppress", i, "code"), f"{s.code} ({spec.title}) cannot be silenced"
                )

    # -- helpers ----------------------------------------------------------------------------
    def raw(self, path: KeyPath) -> Any:
        node: Any = self.loaded.source.data
        for part in path:
            node = node[part]
        return node

    def bound(
        self,
        model: Any,
        path: KeyPath,
        fld: str,
        *,
        lo: float | None = None,
        hi: float | None = None,
        lo_open: bool = False,
        hi_open: bool = False,
        whole: bool = False,
    ) -> None:
        """Check a (possibly uncertain) value's bounds, at the value or its range's ends."""
        value = getattr(model, fld)
        if value is None:
            return
        for sub, v in _values(value):
            ok = True
            if lo is not None:
                ok &= v > lo if lo_open else v >= lo
            if hi is not None:
                ok &= v < hi if hi_open else v <= hi
            if whole and v != int(v):
                self.add("SP207", (*path, fld, *sub), f"{fld}: must be a whole number (got {v:g})")
                continue
            if ok and math.isfinite(v):
                continue
            lo_s = "" if lo is None else (f"> {lo:g}" if lo_open else f">= {lo:g}")
            hi_s = "" if hi is None else (f"< {hi:g}" if hi_open else f"<= {hi:g}")
            want = " and ".join(s for s in (lo_s, hi_s) if s)
            self.add("SP203", (*path, fld, *sub), f"{fld}: must be {want} (got {v:g})")


def _values(value: float | Range) -> Iterator[tuple[tuple[str, ...], float]]:
    from salesplan.schema import Range

    if isinstance(value, Range):
        for k in ("low", "likely", "high"):
            yield (k,), float(getattr(value, k))
    else:
        yield (), float(value)
