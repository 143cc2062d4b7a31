"""The tables of ``salesplan pods``: each pod template's pods, members and slack (docs/model.md §5).

A pod layout is a tree (template, then its roles); here it is a table whose key columns are
the template and the role, so every format can carry it.  Pod counts come from the engine
(``PlanResult.pods_needed``, ``pod_need``); heads here are the people whole pods take at full
ramp, before ramp and attrition, so that pods and role-by-role staffing compare like for like.
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np

from salesplan.engine.periods import Period, Span, end, spans
from salesplan.engine.structure import EPS, FloatArray, month_labels
from salesplan.report.table import NA, Cell, Column, Kind, Report, Table, ranked, with_meta

if TYPE_CHECKING:
    from salesplan.engine.view import PlanView
    from salesplan.pipeline import Evaluation

TEXT, COUNT, MONEY, RATE, NUMBER = Kind.TEXT, Kind.COUNT, Kind.MONEY, Kind.RATE, Kind.NUMBER

MONTH = re.compile(r"^\d{4}-\d{2}$")
NO_PODS = NA("no pods needed this month")


def pods_report(
    evaluation: Evaluation, at: str | None = None, period: Period = Period.QUARTER
) -> Report:
    """Return the pod layout at month ``at`` (YYYY-MM; default the last), pods by period and
    the slack of whole pods; raise ValueError for a month outside the plan."""
    v = evaluation.plan
    s = v.structure
    t = month_index(s.start, s.months, at)
    label = month_labels(s.start, s.months)[t]
    meta = {"currency": s.currency, "plan": s.plan_name, "period": period.value, "at": label}
    tables = (
        templates_table(v, t),
        pods_table(v, t),
        pods_by_period_table(v, spans(s.start, s.months, period)),
        slack_table(v, t),
    )
    return Report(
        kind="pods",
        title=f"Pods: {s.plan_name}, {label}",
        tables=with_meta(tables, meta),
        meta=meta,
        summary=summary_lines(v, t),
    )


def month_index(start: str, months: int, at: str | None) -> int:
    """Return the plan month of label ``at`` (YYYY-MM), the last month when None.

    >>> month_index("2027-01", 24, "2027-03"), month_index("2027-01", 24, None)
    (2, 23)
    """
    if at is None:
        return months - 1
    labels = month_labels(start, months)
    if not MONTH.match(at) or at not in labels:
        raise ValueError(
            f"--at {at}: not a month of the plan; use YYYY-MM from {labels[0]} to {labels[-1]}"
        )
    return labels.index(at)


def sharing(members: float) -> str | None:
    """Return how a fractional member is shared, e.g. ``1 per 2 pods``; None when whole.

    >>> sharing(0.5), sharing(1.5), sharing(2.0)
    ('1 per 2 pods', '3 per 2 pods', None)
    """
    if abs(members - round(members)) < EPS:
        return None
    f = Fraction(members).limit_denominator(12)
    return f"{f.numerator} per {f.denominator} pods"


def pod_heads(pods: FloatArray, members: FloatArray) -> FloatArray:
    """Return the people whole pods take: ``ceil(P * members)`` (shared people rounded up).

    >>> pod_heads(np.array(5.0), np.array([2.0, 0.5])).tolist()
    [10.0, 3.0]
    """
    return np.asarray(np.maximum(np.ceil(pods * members - EPS), 0.0))


def _template_members(v: PlanView, p: int) -> list[int]:
    """Return the roles of template ``p`` in staffing order."""
    return [int(r) for r in np.nonzero(v.params.pod_members[p] > 0)[0]]


def _binding(v: PlanView, p: int, t: int) -> int | None:
    """Return the role whose need per member sets template ``p``'s pod count in month t."""
    members = v.params.pod_members[p]
    rows = _template_members(v, p)
    ratios = [float(v.pod_need[p, r, t] / members[r]) for r in rows]
    if not rows or max(ratios) <= 0:
        return None
    return rows[int(np.argmax(ratios))]


def _serves(v: PlanView, p: int) -> tuple[str, str | None]:
    """Return what a template serves (tiers; motions) and its region/industry label."""
    pod = v.structure.pod_templates[p]
    tiers = ", ".join(pod.tiers) if pod.tiers is not None else "all tiers"
    motions = ", ".join(pod.motions) if pod.motions is not None else "all motions"
    labels = [x for x in (pod.region, pod.industry) if x]
    return f"{tiers}; {motions}", ", ".join(labels) or None


def templates_table(v: PlanView, t: int) -> Table:
    """Template: what it serves, people per pod, pods and people at month t, the binding role."""
    s = v.structure
    named = (
        Column("template", "Template", TEXT),
        Column("title", "Title", TEXT),
        Column("serves", "Serves", TEXT),
        Column("label", "Region / industry", TEXT),
        Column("people_per_pod", "People per pod", COUNT, digits=2),
        Column("pods", "Pods", COUNT),
        Column("heads", "Heads", COUNT),
        Column("need_fte", "Need", COUNT, "FTE", 1),
        Column("utilisation", "Utilisation", RATE),
        Column("sets_pods", "Sets the pod count", TEXT),
    )
    # Too narrow for all: the pods and what sets them before how the template is described.
    columns = ranked(named, ("pods", "heads", "sets_pods", "utilisation", "need_fte"))
    rows: list[tuple[Cell, ...]] = []
    for p, name in enumerate(s.pods):
        members = v.params.pod_members[p]
        pods = float(v.pods_needed[p, t])
        need = float(v.pod_need[p, :, t].sum())
        capacity = pods * float(members.sum())
        binding = _binding(v, p, t)
        serves, label = _serves(v, p)
        rows.append(
            (
                name,
                s.pod_templates[p].title,
                serves,
                label,
                float(members.sum()),
                pods,
                float(pod_heads(np.asarray(pods), members).sum()),
                need,
                need / capacity if capacity > 0 else NO_PODS,
                s.roles[binding] if binding is not None else None,
            )
        )
    return Table(
        "pod_templates",
        "Pod templates",
        columns,
        tuple(rows),
        key_columns=1,
        notes=(
            "Pods = ceil(max over roles of need from the pod's business / members per pod); "
            "the role that sets the count is the busiest one.",
        ),
    )


def pods_table(v: PlanView, t: int) -> Table:
    """Template x role at month t: members, sharing, heads, capacity, need and utilisation."""
    s = v.structure
    label = month_labels(s.start, s.months)[t]
    columns = (
        Column("template", "Template", TEXT),
        Column("role", "Role", TEXT),
        Column("members", "Members per pod", NUMBER, digits=2),
        Column("shared", "Shared", TEXT),
        Column("pods", "Pods", COUNT),
        Column("heads", "Heads", COUNT),
        Column("capacity_fte", "Capacity", COUNT, "FTE", 1),
        Column("need_fte", "Need", COUNT, "FTE", 1),
        Column("utilisation", "Utilisation", RATE),
    )
    rows: list[tuple[Cell, ...]] = []
    for p, name in enumerate(s.pods):
        pods = float(v.pods_needed[p, t])
        for r in _template_members(v, p):
            members = float(v.params.pod_members[p, r])
            capacity = pods * members
            need = float(v.pod_need[p, r, t])
            rows.append(
                (
                    name,
                    s.roles[r],
                    members,
                    sharing(members),
                    pods,
                    float(pod_heads(np.asarray(pods), np.asarray(members))),
                    capacity,
                    need,
                    need / capacity if capacity > 0 else NO_PODS,
                )
            )
    return Table(
        "pods",
        f"Pods at {label}",
        columns,
        tuple(rows),
        key_columns=2,
        notes=(
            "Capacity: pods x members per pod, in fully ramped FTE; need: the role's work "
            "from the pod's business; heads round shared people up across pods.",
        ),
    )


def pods_by_period_table(v: PlanView, periods: list[Span]) -> Table:
    """Template x period: pods and people at the period's end, the peak, need and utilisation."""
    s = v.structure
    columns = (
        Column("template", "Template", TEXT),
        Column("period", "Period", TEXT),
        Column("pods", "Pods", COUNT),
        Column("pods_peak", "Peak pods", COUNT),
        Column("heads", "Heads", COUNT),
        Column("need_fte", "Need", COUNT, "FTE", 1),
        Column("capacity_fte", "Capacity", COUNT, "FTE", 1),
        Column("utilisation", "Utilisation", RATE),
    )
    rows: list[tuple[Cell, ...]] = []
    for p, name in enumerate(s.pods):
        members = v.params.pod_members[p]
        series = v.pods_needed[p]
        need_series = v.pod_need[p].sum(axis=0)
        for span in periods:
            pods = float(end(series, span))
            need = float(end(need_series, span))
            capacity = pods * float(members.sum())
            rows.append(
                (
                    name,
                    span.label,
                    pods,
                    float(series[span.months].max()),
                    float(pod_heads(np.asarray(pods), members).sum()),
                    need,
                    capacity,
                    need / capacity if capacity > 0 else NO_PODS,
                )
            )
    return Table(
        "pods_by_period",
        "Pods by period",
        columns,
        tuple(rows),
        key_columns=2,
        notes=("Pods, heads, need and capacity at the period's end; peak: the most in a month.",),
    )


def pod_and_role_fte(v: PlanView, t: int) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Return, per role at month t, the pods' capacity ``sum_p P_p * members_p,r`` (FTE),
    the work outside any pod and the role-by-role need."""
    members = v.params.pod_members  # [P, R]
    pods = v.pods_needed[:, t]  # [P]
    served = (members > 0).astype(np.float64).T @ v.params.pod_cells > 0  # [R, M]
    outside = (v.need_by_cell[:, :, t] * ~served).sum(axis=1)
    return np.asarray(pods @ members), outside, v.role_need[:, t]


def heads_by_pod(in_pods: FloatArray, outside: FloatArray) -> FloatArray:
    """Return the people pod staffing takes, as the engine staffs it (docs/model.md §5): whole
    pods' members rounded up across pods, with work outside any pod taken first by the
    spare capacity that rounding left, ``ceil(max(ceil(sum_p P_p m_p), sum_p P_p m_p +
    outside))``.

    >>> heads_by_pod(np.array([1.5, 3.0, 0.75]), np.array([0.0, 0.2, 0.2])).tolist()
    [2.0, 4.0, 1.0]
    """
    cover = np.maximum(np.ceil(in_pods - EPS), in_pods + outside)
    return np.asarray(np.ceil(cover - EPS))


def slack_table(v: PlanView, t: int) -> Table:
    """Role at month t: heads whole pods take against role-by-role heads, and the slack."""
    s = v.structure
    in_pods, outside, role_need = pod_and_role_fte(v, t)
    by_pod_all = heads_by_pod(in_pods, outside)
    by_role_all = np.ceil(role_need - EPS)
    columns = (
        Column("role", "Role", TEXT),
        Column("pod_capacity_fte", "Pods' capacity", COUNT, "FTE", 1),
        Column("outside_pods_fte", "Outside pods", COUNT, "FTE", 1),
        Column("pod_heads", "Heads by pod", COUNT),
        Column("role_need_fte", "Need", COUNT, "FTE", 1),
        Column("role_heads", "Heads by role", COUNT),
        Column("slack_heads", "Slack", COUNT, "heads"),
        Column("idle_fte", "Idle", COUNT, "FTE", 1),
    )
    rows: list[tuple[Cell, ...]] = []
    in_any = np.asarray((v.params.pod_members > 0).any(axis=0))
    sums = np.zeros(7)
    for r, role in enumerate(s.roles):
        if not in_any[r]:
            continue
        by_pod, by_role = float(by_pod_all[r]), float(by_role_all[r])
        values = (
            float(in_pods[r]),
            float(outside[r]),
            by_pod,
            float(role_need[r]),
            by_role,
            by_pod - by_role,
            by_pod - float(role_need[r]),
        )
        sums += values
        rows.append((role, *values))
    if rows:
        rows.append(("total", *(float(x) for x in sums)))
    return Table(
        "pod_slack",
        f"Slack of whole pods at {month_labels(s.start, s.months)[t]}",
        columns,
        tuple(rows),
        key_columns=1,
        notes=(
            "Heads at full ramp, before ramp and attrition: by pod, whole pods' members "
            "rounded up across pods, with work outside any pod taken first by the capacity "
            "that rounding left spare; by role, the need rounded up.  Idle: heads by pod "
            "less the need.",
        ),
    )


def _heads(n: int) -> str:
    """Return a count of heads in words: ``1 head``, ``2 heads``.

    >>> _heads(1), _heads(0), _heads(2)
    ('1 head', '0 heads', '2 heads')
    """
    return f"{n} head" if n == 1 else f"{n} heads"


def summary_lines(v: PlanView, t: int) -> tuple[str, ...]:
    """Return plain-language lines: the pods at the month and what whole pods cost."""
    s = v.structure
    if not s.pods:
        return ("The plan defines no pod templates (add them under `pods:`).",)
    label = month_labels(s.start, s.months)[t]
    parts = []
    for p, name in enumerate(s.pods):
        binding = _binding(v, p, t)
        by = f", set by {s.roles[binding]}" if binding is not None else ""
        parts.append(f"{int(v.pods_needed[p, t])} x {name}{by}")
    in_pods, outside, role_need = pod_and_role_fte(v, t)
    in_any = np.asarray((v.params.pod_members > 0).any(axis=0))
    by_pod = heads_by_pod(in_pods, outside)[in_any].sum()
    by_role = np.ceil(role_need - EPS)[in_any].sum()
    how = "by pod" if s.staffing == "pod" else "role by role (staffing: role)"
    return (
        f"At {label}: {'; '.join(parts)}.",
        f"Whole pods take {int(by_pod)} heads where role-by-role staffing takes "
        f"{int(by_role)}: {_heads(int(by_pod - by_role))} of slack.",
        f"This plan staffs {how}.",
    )
