"""Plan rules: what the schema cannot say about one plan (docs/model.md §8), checked first.

One function per code: exactly one target (SP206), schedules within the plan and a horizon
long enough for the target (SP203; every other bound is the schema's), keys required by
another key (SP204), invalid combinations (SP207), unknown references between tiers,
motions, stages and roles (SP210), shares that do not sum to 1 (SP211), managers in a cycle
(SP212) and suppressions of codes that cannot be silenced (SP215).  The engine relies on
them: a plan with any of these errors is never compiled.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from salesplan.checks.rule import Context, Needs, Rule
from salesplan.choices import TargetKind
from salesplan.engine.structure import month_labels
from salesplan.problems import Problem
from salesplan.problems.codes import BY_CODE, problem

if TYPE_CHECKING:
    from salesplan.load.schema import Driver, Plan, Role
    from salesplan.load.sources import KeyPath

SHARE_TOLERANCE = 1e-6
DRIVER_KINDS = ("stage", "stock", "manages", "starts")


def one_target(ctx: Context) -> Iterator[Problem]:
    """SP206: exactly one revenue target is given (docs/model.md §1).

    A plan gives one of ``ending_arr``, ``first_year_revenue``, ``new_arr_per_year`` or
    ``new_mrr_per_month``, unless every tier books an explicit ``new_mrr`` (then there is
    nothing left to solve, and a target is an error).
    """
    plan = ctx.plan
    given = [k.value for k in TargetKind if getattr(plan.target, k.value) is not None]
    explicit = any(tier.new_mrr is not None for tier in plan.tiers.values())
    shared = any(tier.new_mrr is None for tier in plan.tiers.values())
    if len(given) > 1:
        yield problem(
            "SP206", ctx.where(("target", given[1])), f"give one target, not {' and '.join(given)}"
        )
    elif not given and shared:
        yield problem(
            "SP206",
            ctx.where(("target",), key=True),
            "give one target: ending_arr, first_year_revenue, new_arr_per_year or "
            "new_mrr_per_month",
        )
    elif given and not shared and explicit:
        yield problem(
            "SP206",
            ctx.where(("target", given[0])),
            "every tier gives new_mrr, so there is nothing left for a target to solve",
        )


def out_of_range(ctx: Context) -> Iterator[Problem]:
    """SP203: a schedule month is outside the plan, or a yearly target's horizon is short.

    Every value's own bounds, a range's ends included, are the schema's
    (:mod:`salesplan.load.schema`).  Here, bounds that join two keys: a schedule names
    months up to the plan's last (one before the start gives the level in force at the
    start), dated requisitions start within the plan, and heads still ramping started
    before it; a first-year revenue or new-ARR-a-year target needs a horizon of at least
    the first year's months (``target.first_year_months``, 12 in a new plan).
    """
    yield from _schedules_in_plan(ctx)
    yield from _opening_months(ctx)
    given = [k.value for k in TargetKind if getattr(ctx.plan.target, k.value) is not None]
    yearly = ("first_year_revenue", "new_arr_per_year")
    year = ctx.plan.target.first_year_months
    if len(given) == 1 and given[0] in yearly and ctx.plan.company.horizon_months < year:
        yield problem(
            "SP203",
            ctx.where(("company", "horizon_months")),
            f"{given[0]} needs a horizon of at least {year} months (its first year's)",
        )


def _schedules_in_plan(ctx: Context) -> Iterator[Problem]:
    """Yield a problem for each schedule month after the plan's last month.

    A month before the start is allowed: the latest of those is the level in force at the
    start (a plan that starts part-way through another keeps the other's schedule).
    """
    company = ctx.plan.company
    labels = month_labels(company.start, company.horizon_months)
    schedules: list[tuple[KeyPath, dict[str, Any]]] = [
        (("roles", n, "heads"), r.heads) for n, r in ctx.plan.roles.items() if r.heads
    ]
    schedules += [
        (("programmes", n, "schedule"), p.schedule)
        for n, p in ctx.plan.programmes.items()
        if p.schedule
    ]
    for path, schedule in schedules:
        for label in schedule:
            if label > labels[-1]:
                yield problem(
                    "SP203",
                    ctx.where((*path, label), key=True),
                    f"{path[-1]}: {label} is after the plan's last month, {labels[-1]}",
                )


def _opening_months(ctx: Context) -> Iterator[Problem]:
    """Yield a problem for each month of a role's opening state out of its place: heads
    still ramping started before the plan, dated requisitions start within it."""
    company = ctx.plan.company
    labels = month_labels(company.start, company.horizon_months)
    for name, role in ctx.plan.roles.items():
        for label in role.ramping or {}:
            if label >= labels[0]:
                yield problem(
                    "SP203",
                    ctx.where(("roles", name, "ramping", label), key=True),
                    f"ramping: {label} is not before the plan's start, {labels[0]} (heads "
                    "who start in the plan are its starts)",
                )
        if isinstance(role.open_requisitions, dict):
            for label in role.open_requisitions:
                if label not in labels:
                    yield problem(
                        "SP203",
                        ctx.where(("roles", name, "open_requisitions", label), key=True),
                        f"open_requisitions: {label} is not a month of the plan "
                        f"({labels[0]} to {labels[-1]})",
                    )


def missing(ctx: Context) -> Iterator[Problem]:
    """SP204: a key another key requires is missing.

    A tier gives ``mrr`` or ``acv`` (one), and ``share`` (of new MRR) or ``new_mrr`` unless
    it is the only tier; ``function: split`` needs ``acquisition_share``; a driver needs a
    ``capacity`` unless it counts new ARR against its role's ``comp.quota``.
    """
    tiers = ctx.plan.tiers
    for name, tier in tiers.items():
        if (tier.mrr is None) == (tier.acv is None):
            yield problem(
                "SP204", ctx.where(("tiers", name), key=True), f"tier {name}: give mrr or acv (one)"
            )
    unshared = [n for n, t in tiers.items() if t.new_mrr is None and t.share is None]
    if len([t for t in tiers.values() if t.new_mrr is None]) > 1:
        for n in unshared:
            yield problem(
                "SP204",
                ctx.where(("tiers", n), key=True),
                f"tier {n}: give share (of new MRR) or new_mrr",
            )
    for name, role in ctx.plan.roles.items():
        if role.function == "split" and role.acquisition_share is None:
            yield problem(
                "SP204",
                ctx.where(("roles", name, "function")),
                "function split needs acquisition_share",
            )
        for i, d in enumerate(role.drivers):
            if (
                _well_formed(d)
                and d.capacity is None
                and not (d.measure == "new_arr" and role.comp.quota)
            ):
                yield problem(
                    "SP204",
                    ctx.where(("roles", name, "drivers", i)),
                    "driver needs capacity (or measure new_arr with a comp quota)",
                )


def _well_formed(d: Driver) -> bool:
    """Return whether a driver works exactly one of stage, stock, manages or starts."""
    return sum(getattr(d, k) is not None for k in DRIVER_KINDS) == 1


def invalid(ctx: Context) -> Iterator[Problem]:
    """SP207: a value is invalid in its context.

    A tier gives ``share`` or ``new_mrr``, not both; ``won`` ends every motion and is not a
    stage; a stage is named once per motion; ``acquisition_share`` goes with
    ``function: split``; a ``ramp_curve`` rises to 1 and replaces ``ramp_months``; a driver
    works exactly one of stage, stock or manages, filters by
    motion only as a stage driver, by tier not as a manages driver, and counts new ARR only
    as a stage driver; ``staffing: pod`` needs a pod template.  Seasonality books something:
    its weights are not all 0, and the months the target measures have some weight (docs/
    model.md §14); an explicit ``quota_ramp`` rises to 1, ends at 1 and goes with a quota;
    ``max_ramping_share`` goes with drivers (a schedule counts people); recruiting capacity
    needs a recruiter (a role with a ``starts`` driver); the heads still ``ramping`` are
    some of the ``opening_heads``, no more.
    """
    yield from _invalid_tiers(ctx)
    yield from _invalid_seasonality(ctx)
    for name, role in ctx.plan.roles.items():
        yield from _invalid_role(ctx, name, role)
    if ctx.plan.hiring.recruiting_capacity and not any(
        d.starts for r in ctx.plan.roles.values() for d in r.drivers
    ):
        yield problem(
            "SP207",
            ctx.where(("hiring", "recruiting_capacity")),
            "recruiting_capacity needs a recruiter: a role with a starts driver",
        )
    if ctx.plan.staffing == "pod" and not ctx.plan.pods:
        yield problem(
            "SP207", ctx.where(("staffing",)), "staffing: pod needs at least one pod template"
        )
    for name, pod in ctx.plan.pods.items():
        for r in pod.members:
            member = ctx.plan.roles.get(r)
            if member is not None and member.heads is not None:
                yield problem(
                    "SP207",
                    ctx.where(("pods", name, "members", r), key=True),
                    f"pod {name}: {r} is staffed by its headcount schedule, not in pods",
                )
    for name, prog in ctx.plan.programmes.items():
        if prog.schedule is not None and prog.growth_rate != 0:
            yield problem(
                "SP207",
                ctx.where(("programmes", name, "growth_rate")),
                f"programme {name}: give growth_rate or a schedule, not both",
            )


def _invalid_tiers(ctx: Context) -> Iterator[Problem]:
    for name, tier in ctx.plan.tiers.items():
        base: KeyPath = ("tiers", name)
        if tier.share is not None and tier.new_mrr is not None:
            yield problem(
                "SP207",
                ctx.where((*base, "new_mrr")),
                f"tier {name}: give share or new_mrr, not both",
            )
        for mname, motion in tier.motions.items():
            names = [s.name for s in motion.stages]
            for i, n in enumerate(names):
                at: KeyPath = (*base, "motions", mname, "stages", i, "name")
                if n == "won":
                    yield problem(
                        "SP207",
                        ctx.where(at),
                        "'won' is the end of every motion; it is not listed as a stage",
                    )
                if n in names[:i]:
                    yield problem("SP207", ctx.where(at), f"stage{ctx.quoted(at, n)} twice")


def _seasonalities(ctx: Context) -> Iterator[tuple[KeyPath, list[float]]]:
    """Yield every list of booking weights the plan gives, with its key path."""
    plan = ctx.plan
    if plan.seasonality is not None:
        yield ("seasonality",), plan.seasonality
    for tname, tier in plan.tiers.items():
        if tier.seasonality is not None:
            yield ("tiers", tname, "seasonality"), tier.seasonality
        for mname, motion in tier.motions.items():
            if motion.seasonality is not None:
                yield ("tiers", tname, "motions", mname, "seasonality"), motion.seasonality


def _invalid_seasonality(ctx: Context) -> Iterator[Problem]:
    """Yield a problem for weights that book nothing, or a target month that books nothing."""
    lists = list(_seasonalities(ctx))
    for path, weights in lists:
        if not any(weights):
            yield problem(
                "SP207", ctx.where(path), "seasonality: the weights are all 0: no month books"
            )
    if not lists or any(not any(w) for _, w in lists):
        return
    plan = ctx.plan
    given = [k.value for k in TargetKind if getattr(plan.target, k.value) is not None]
    year = plan.target.first_year_months
    if len(given) != 1 or (given[0] not in ("new_mrr_per_month", "ending_arr") and year >= 12):
        return  # a whole year's target measures every calendar month
    months = {
        "new_mrr_per_month": 1,
        "ending_arr": min(plan.company.horizon_months, 12),
    }.get(given[0], year)  # a first year that is partly over: the months left of it
    first = int(plan.company.start.split("-")[1]) - 1
    measured = [(first + t) % 12 for t in range(months)]
    if _booked(plan, measured) <= 0:
        labels = month_labels(plan.company.start, months)
        when = labels[0] if months == 1 else f"{labels[0]} to {labels[-1]}"
        yield problem(
            "SP207",
            ctx.where(("target", given[0])),
            f"{given[0]} measures {when}, which the seasonality weights give nothing to book",
        )


def _booked(plan: Plan, calendar_months: list[int]) -> float:
    """Return the share tiers' weight of new bookings summed over ``calendar_months``."""
    total = 0.0
    for tier in plan.tiers.values():
        if tier.new_mrr is not None:
            continue
        for motion in tier.motions.values():
            weights = motion.seasonality or tier.seasonality or plan.seasonality
            if weights is None:
                total += motion.share * len(calendar_months)
                continue
            mean = sum(weights) / 12
            total += motion.share * sum(weights[c] for c in calendar_months) / (mean or 1.0)
    return total


def _invalid_role(ctx: Context, name: str, role: Role) -> Iterator[Problem]:
    base: KeyPath = ("roles", name)
    ramping = sum((role.ramping or {}).values())
    if ramping > role.opening_heads:
        yield problem(
            "SP207",
            ctx.where((*base, "ramping"), key=True),
            f"role {name}: {ramping} heads ramping, more than its opening_heads "
            f"({role.opening_heads}): the ramping heads are some of the opening heads",
        )
    if role.heads is not None and role.max_ramping_share is not None:
        yield problem(
            "SP207",
            ctx.where((*base, "max_ramping_share")),
            f"role {name}: max_ramping_share goes with drivers; a heads schedule counts people",
        )
    quota_ramp = role.comp.quota_ramp
    if isinstance(quota_ramp, list):
        at = (*base, "comp", "quota_ramp")
        if quota_ramp[-1] != 1 or any(b < a for a, b in itertools.pairwise(quota_ramp)):
            yield problem("SP207", ctx.where(at), "quota_ramp must rise to 1 and end at 1")
        if not role.comp.quota:
            yield problem("SP207", ctx.where(at), "quota_ramp goes with a comp quota")
    if role.heads is not None and role.drivers:
        yield problem(
            "SP207",
            ctx.where((*base, "heads"), key=True),
            f"role {name}: give drivers or a heads schedule, not both",
        )
    if role.function != "split" and role.acquisition_share is not None:
        yield problem(
            "SP207",
            ctx.where((*base, "acquisition_share")),
            "acquisition_share goes with function: split",
        )
    curve = role.ramp_curve
    if curve is not None:
        if curve[-1] != 1 or any(b < a for a, b in itertools.pairwise(curve)):
            yield problem(
                "SP207", ctx.where((*base, "ramp_curve")), "ramp_curve must rise to 1 and end at 1"
            )
        if "ramp_months" in _raw(ctx, base):
            yield problem(
                "SP207", ctx.where((*base, "ramp_months")), "give ramp_months or ramp_curve"
            )
    for i, d in enumerate(role.drivers):
        path: KeyPath = (*base, "drivers", i)
        if not _well_formed(d):
            yield problem(
                "SP207",
                ctx.where(path),
                "a driver works exactly one of stage, stock, manages or starts",
            )
            continue
        if d.stage is None and d.motions is not None:
            yield problem(
                "SP207", ctx.where((*path, "motions")), "motions filter only a stage driver"
            )
        if (d.manages is not None or d.starts is not None) and d.tiers is not None:
            yield problem(
                "SP207",
                ctx.where((*path, "tiers")),
                "a manages or starts driver follows its people, not tiers",
            )
        if d.measure == "new_arr" and d.stage is None:
            yield problem(
                "SP207", ctx.where((*path, "measure")), "measure new_arr goes with a stage driver"
            )


def _raw(ctx: Context, path: KeyPath) -> Any:
    """Return the plan data as written (after ``extends``) at ``path``."""
    node: Any = ctx.loaded.source.data
    for part in path:
        node = node[part]
    return node


def unknown_reference(ctx: Context) -> Iterator[Problem]:
    """SP210: a driver or pod names a tier, motion, stage or role the plan does not have.

    A stage must also be reachable: some motion of the driver's chosen tiers and motions has
    it.  An unknown tier or motion is reported once, not again as an unreachable stage.
    """
    plan = ctx.plan
    for name, role in plan.roles.items():
        for i, d in enumerate(role.drivers):
            if _well_formed(d):
                yield from _driver_references(ctx, name, ("roles", name, "drivers", i), d)
    for name, role in plan.roles.items():
        for i, other in enumerate(role.interviewers or []):
            if other not in plan.roles:
                at: KeyPath = ("roles", name, "interviewers", i)
                named = ctx.quoted(at, other, list(plan.roles))
                yield problem("SP210", ctx.where(at), f"role {name}: unknown role{named}")
    yield from _programme_references(ctx)
    motion_names = _motion_names(plan)
    for name, pod in plan.pods.items():
        base: KeyPath = ("pods", name)
        for i, t in enumerate(pod.tiers or []):
            if t not in plan.tiers:
                at = (*base, "tiers", i)
                named = ctx.quoted(at, t, list(plan.tiers))
                yield problem("SP210", ctx.where(at), f"pod {name}: unknown tier{named}")
        for i, m in enumerate(pod.motions or []):
            if m not in motion_names:
                at = (*base, "motions", i)
                named = ctx.quoted(at, m, sorted(motion_names))
                yield problem("SP210", ctx.where(at), f"pod {name}: unknown motion{named}")
        for r in pod.members:
            if r not in plan.roles:
                at = (*base, "members", r)
                named = ctx.quoted(at, r, list(plan.roles))
                yield problem("SP210", ctx.where(at, key=True), f"pod {name}: unknown role{named}")


def _programme_references(ctx: Context) -> Iterator[Problem]:
    """Yield a problem for each tier or motion a programme names that the plan lacks."""
    plan = ctx.plan
    motions = _motion_names(plan)
    for name, prog in plan.programmes.items():
        for key, known, given in (
            ("tiers", list(plan.tiers), prog.tiers),
            ("motions", sorted(motions), prog.motions),
        ):
            for i, x in enumerate(given or []):
                if x not in known:
                    at: KeyPath = ("programmes", name, key, i)
                    named = ctx.quoted(at, x, known)
                    yield problem(
                        "SP210", ctx.where(at), f"programme {name}: unknown {key[:-1]}{named}"
                    )


def _motion_names(plan: Plan) -> set[str]:
    return {m for t in plan.tiers.values() for m in t.motions}


def _driver_references(ctx: Context, role: str, path: KeyPath, d: Driver) -> Iterator[Problem]:
    plan = ctx.plan
    tiers, motions = plan.tiers, _motion_names(plan)
    stages = {"won"} | {
        s.name for t in tiers.values() for m in t.motions.values() for s in m.stages
    }
    for i, t in enumerate(d.tiers or []):
        if t not in tiers:
            at: KeyPath = (*path, "tiers", i)
            named = ctx.quoted(at, t, list(tiers))
            yield problem("SP210", ctx.where(at), f"role {role}: unknown tier{named}")
    for i, m in enumerate(d.motions or []):
        if m not in motions:
            at = (*path, "motions", i)
            named = ctx.quoted(at, m, sorted(motions))
            yield problem("SP210", ctx.where(at), f"role {role}: unknown motion{named}")
    known = all(t in tiers for t in d.tiers or []) and all(m in motions for m in d.motions or [])
    if d.stage is not None:
        names = [d.stage] if isinstance(d.stage, str) else d.stage
        for i, s in enumerate(names):
            spath = (*path, "stage") if isinstance(d.stage, str) else (*path, "stage", i)
            if s not in stages:
                named = ctx.quoted(spath, s, sorted(stages))
                yield problem("SP210", ctx.where(spath), f"role {role}: unknown stage{named}")
            elif known and not _stage_reached(plan, s, d.tiers, d.motions):
                yield problem(
                    "SP210",
                    ctx.where(spath),
                    f"role {role}: no motion in the chosen tiers/motions has stage"
                    f"{ctx.quoted(spath, s)}",
                )
    for key in ("manages", "starts"):
        for i, r in enumerate(getattr(d, key) or []):
            if r not in plan.roles:
                at = (*path, key, i)
                named = ctx.quoted(at, r, list(plan.roles))
                yield problem("SP210", ctx.where(at), f"role {role}: unknown role{named}")


def _stage_reached(
    plan: Plan, stage: str, tiers: list[str] | None, motions: list[str] | None
) -> bool:
    """Return whether some motion of the chosen tiers and motions has ``stage``."""
    for tname, tier in plan.tiers.items():
        if tiers is not None and tname not in tiers:
            continue
        for mname, motion in tier.motions.items():
            if motions is not None and mname not in motions:
                continue
            if stage == "won" or any(s.name == stage for s in motion.stages):
                return True
    return False


def shares(ctx: Context) -> Iterator[Problem]:
    """SP211: shares do not sum to 1 (within 1e-6).

    The motions of a tier share its new customers; the tiers that take a ``share`` share
    the solved new MRR (a single tier without one takes it all).
    """
    tiers = ctx.plan.tiers
    for name, tier in tiers.items():
        total = sum(motion.share for motion in tier.motions.values())
        if abs(total - 1) > SHARE_TOLERANCE:
            yield problem(
                "SP211",
                ctx.where(("tiers", name, "motions"), key=True),
                f"tier {name}: motion shares sum to {total:.6g}, not 1",
            )
    parts = [t.share for t in tiers.values() if t.new_mrr is None]
    if parts and None not in parts:
        total = sum(s for s in parts if s is not None)
        if abs(total - 1) > SHARE_TOLERANCE:
            yield problem(
                "SP211",
                ctx.where(("tiers",), key=True),
                f"tier shares of new MRR sum to {total:.6g}, not 1",
            )


def manager_cycle(ctx: Context) -> Iterator[Problem]:
    """SP212: roles manage (or hire) each other, directly or through others, or a role
    manages or hires itself.

    Managers and recruiters are staffed after the people they manage or hire
    (docs/model.md, "Staffing"), which needs an order.
    """
    roles = ctx.plan.roles
    for name, role in roles.items():
        for i, d in enumerate(role.drivers):
            for key, verb in (("manages", "manages"), ("starts", "hires")):
                for j, r in enumerate(getattr(d, key) or []):
                    if r == name and _well_formed(d):
                        yield problem(
                            "SP212",
                            ctx.where(("roles", name, "drivers", i, key, j)),
                            f"role {name} {verb} itself",
                        )
    graph = {
        name: [r for d in role.drivers for r in (d.manages or d.starts or []) if r in roles]
        for name, role in roles.items()
    }
    state: dict[str, int] = {}  # 1: on the path being walked, 2: done
    for start in graph:
        if state.get(start) == 2:
            continue
        state[start] = 1
        stack = [(start, iter(graph[start]))]
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                state[node] = 2
                stack.pop()
            elif state.get(nxt, 0) == 1 and nxt != node:
                yield problem(
                    "SP212",
                    ctx.where(("roles", node), key=True),
                    f"roles {node} and {nxt} manage each other (directly or through others)",
                )
                return
            elif state.get(nxt, 0) == 0:
                state[nxt] = 1
                stack.append((nxt, iter(graph[nxt])))


def unsized(ctx: Context) -> Iterator[Problem]:
    """SP213: a role has nothing to size it: no drivers and no headcount schedule.

    A role is sized by the work it does (``drivers``) or by a schedule of heads (``heads``,
    for leaders, RevOps, enablement and other fixed roles).
    """
    for name, role in ctx.plan.roles.items():
        if not role.drivers and role.heads is None:
            yield problem(
                "SP213",
                ctx.where(("roles", name), key=True),
                f"role {name} has no drivers and no heads schedule: give what sizes it",
            )


def suppressions(ctx: Context) -> Iterator[Problem]:
    """SP215: ``suppress:`` names a code that does not exist or cannot be silenced.

    Only rules of thumb may be silenced, each with a reason; a plan cannot silence an error
    that would let the engine run on a broken plan.
    """
    for i, s in enumerate(ctx.plan.suppress):
        spec = BY_CODE.get(s.code)
        at = ctx.where(("suppress", i, "code"))
        if spec is None:
            yield problem("SP215", at, f"no check has the code {s.code}")
        elif not spec.suppressible:
            yield problem("SP215", at, f"{s.code} ({spec.title}) cannot be silenced")


RULES: tuple[Rule, ...] = tuple(
    Rule(code, check, Needs.PLAN)
    for code, check in (
        ("SP203", out_of_range),
        ("SP204", missing),
        ("SP206", one_target),
        ("SP207", invalid),
        ("SP210", unknown_reference),
        ("SP211", shares),
        ("SP212", manager_cycle),
        ("SP213", unsized),
        ("SP215", suppressions),
    )
)
