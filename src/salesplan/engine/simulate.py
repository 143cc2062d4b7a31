"""Monte Carlo simulation (docs/model.md §9): draw inputs, run batches forwards, summarise.

Pure numpy, no I/O.  Random numbers come only from the ``numpy.random.Generator`` made by
``np.random.default_rng(seed)``; trials run in chunks sized to the plan
(:func:`chunk_size`) so that memory stays bounded for any plan and up to
:data:`MAX_TRIALS` trials, and the same plan, seed and trial count give the same draws.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from salesplan.engine.compile import Input, set_input
from salesplan.engine.cost import MIN_CUSTOMERS, cost_arrays, revenues, to_tiers
from salesplan.engine.economics import lagged
from salesplan.engine.forward import FixedPlan, Forward, fixed_plan, run_forward
from salesplan.engine.revenue import first_year_sum
from salesplan.engine.run import PlanResult, run
from salesplan.engine.structure import FloatArray, IntArray, Params, Structure

MAX_CHUNK = 10_000  # trials per batch at most: ~150 MB peak for the series-A plan
MIN_CHUNK = 64  # and at least (a batch's cost is mostly numpy's per-call overhead below it)
# What one batch of trials may take by the estimate of chunk_size, which overshoots what a
# batch really takes two- to four-fold (measured): the peak of any valid plan stays far
# under 1 GB.
MEMORY_BUDGET = 512 * 2**20
# What one forward run of a slice of a batch may take by the same estimate: a batch runs
# forwards in slices this size (the draws stay the batch's).  Arrays that fit the caches
# better cost less CPU than one big run (10,000 series-A trials: 1.1 to 1.3 s, from 1.7 s).
RUN_BUDGET = 128 * 2**20
MAX_TRIALS = 1_000_000  # the most trials a simulation takes (a minute or so on series A)
PLANNING_SAMPLE = 2_000  # drawn worlds re-planned for "heads at confidence" (run is slower)
PATH_TRIALS = 20_000  # trials whose month-by-month ARR is kept for the bands (memory stays flat)
PERT_LAMBDA = 4.0
REACHED = 1e-9  # relative slack when comparing an outcome with the target

# Outcomes per trial, in reading order: (key, title, is money).
OUTCOMES = (
    ("new_customers", "New customers", False),
    ("new_arr", "New ARR booked", True),
    ("ending_arr", "Ending ARR", True),
    ("first_year_revenue", "First-year revenue", True),
    ("months_short", "Role-months short of capacity", False),
)


def cost_keys(structure: Structure) -> tuple[str, ...]:
    """Return the keys of the cost outcomes per trial: S&M cost, CAC blended and by tier.

    The keys are those of ``salesplan diff`` (``sm_cost``, ``cac``, ``cac:<tier>``).
    """
    return ("sm_cost", "cac", *(f"cac:{tier}" for tier in structure.tiers))


Progress = Callable[[int, int], None]  # (work done, total work), in trials


def pert(rng: np.random.Generator, low: float, likely: float, high: float, size: int) -> FloatArray:
    """Draw ``size`` values from the beta-PERT distribution over [low, high].

    Notes
    -----
    With ``λ = 4``: ``α = 1 + λ (m − a) / (c − a)``, ``β = 1 + λ (c − m) / (c − a)`` and the
    draw is ``a + (c − a) · Beta(α, β)``; its mean is ``(a + 4m + c) / 6``.  A range of zero
    width gives the likely value exactly.

    >>> rng = np.random.default_rng(0)
    >>> x = pert(rng, 0.0, 0.25, 1.0, 200_000)
    >>> round(float(x.mean()), 2), bool(x.min() >= 0.0), bool(x.max() <= 1.0)
    (0.33, True, True)
    >>> pert(rng, 2.0, 2.0, 2.0, 3).tolist()
    [2.0, 2.0, 2.0]
    """
    width = high - low
    if width <= 0:
        return np.full(size, float(likely))
    alpha = 1.0 + PERT_LAMBDA * (likely - low) / width
    beta = 1.0 + PERT_LAMBDA * (high - likely) / width
    return np.asarray(low + width * rng.beta(alpha, beta, size), dtype=np.float64)


def triangular(
    rng: np.random.Generator, low: float, likely: float, high: float, size: int
) -> FloatArray:
    """Draw ``size`` values from the triangular distribution over [low, high] with mode likely.

    Its mean is ``(a + m + c) / 3``: wider tails than PERT.  Zero width gives the likely value.

    >>> rng = np.random.default_rng(0)
    >>> round(float(triangular(rng, 0.0, 0.25, 1.0, 200_000).mean()), 2)
    0.42
    """
    if high - low <= 0:
        return np.full(size, float(likely))
    return np.asarray(rng.triangular(low, likely, high, size), dtype=np.float64)


def uncertain(inputs: Sequence[Input]) -> tuple[Input, ...]:
    """Return the inputs given as ranges, in plan order (the order they are drawn in)."""
    return tuple(inp for inp in inputs if inp.range is not None)


def draw_inputs(inputs: Sequence[Input], size: int, rng: np.random.Generator) -> FloatArray:
    """Draw every input with a range ``size`` times; return [size, len(inputs)] in plan units.

    Integer inputs (ramp months, hiring lead time) are rounded to whole months; every draw
    stays within the input's bounds.
    """
    out = np.empty((size, len(inputs)))
    for i, inp in enumerate(inputs):
        r = inp.range
        assert r is not None, "draw_inputs takes inputs with ranges (see uncertain())"
        sample = pert if r.dist == "pert" else triangular
        values = sample(rng, r.low, r.likely, r.high, size)
        if inp.integer:
            values = np.rint(values)
        out[:, i] = np.clip(values, inp.lower, inp.upper)
    return out


def with_inputs(params: Params, inputs: Sequence[Input], values: FloatArray) -> Params:
    """Return ``len(values)`` copies of a batch-of-one with ``values`` [n, I] set (plan units)."""
    batch = params.repeat(values.shape[0])
    for i, inp in enumerate(inputs):
        batch = set_input(batch, inp, values[:, i])
    return batch


@dataclass(frozen=True)
class Simulation:
    """Per-trial outcomes of a simulation, and the heads its drawn worlds would need."""

    trials: int
    seed: int
    chunk: int  # trials drawn and run together (the draws depend on it: see chunk_size)
    outcomes: dict[str, FloatArray]  # key of OUTCOMES or cost_keys -> [trials]; "target"
    months_short_by_role: IntArray  # [trials, R]
    # The planning engine re-run on the first PLANNING_SAMPLE drawn worlds: the heads each
    # world needs to reach the same target, at the end of the horizon and at their peak.
    needed_heads_end: FloatArray  # [sample, R]
    needed_heads_peak: FloatArray  # [sample, R]
    at_likely: dict[str, float]  # the same outcomes, forwards at the likely values
    # ARR and new ARR by month: P10, P50, P90 over the first PATH_TRIALS trials [3, T], and
    # forwards at the likely values [T].
    arr_band: FloatArray
    new_arr_band: FloatArray
    likely_arr: FloatArray
    likely_new_arr: FloatArray


def trial_costs(
    structure: Structure, params: Params, fwd: Forward
) -> tuple[FloatArray, FloatArray]:
    """Return each variant's S&M cost [S] and acquisition cost by tier [S, K] over the horizon.

    The cost model of docs/model.md ("Cost") applied to forwards: each variant's heads and
    (moved) starts at the plan's pay (variable paid in full; a drawn attainment moves
    capacity, not pay), each role's cost following the load it was offered in each cell,
    marketing paying for the entries into each motion's first stage, programmes and
    overhead shared out as in the plan.  Acquisition cost is taken ``cac_lag_months``
    earlier, as CAC counts it.  Months 0 … T-1, as ``economics --period plan`` counts them.
    """
    p, T = params, structure.months
    costs = cost_arrays(
        heads=fwd.heads,
        starts=fwd.starts,
        need_by_cell=fwd.load_by_cell,
        month_need=fwd.load,
        entries=fwd.entries,
        revenue=revenues(fwd.new_mrr, fwd.mrr, structure.cell_tier, p.cell_share),
        cell_tier=structure.cell_tier,
        ote=p.ote,
        base_share=p.base_share,
        payout=p.payout_rate,
        burden=p.burden_rate,
        tools=p.tools_per_month,
        cost_per_hire=p.cost_per_hire,
        acquisition_share=p.acquisition_share,
        overhead=np.array([f == "overhead" for f in structure.role_function], dtype=bool),
        cost_per_entry=p.cost_per_entry,
        motion_programme=p.programme_per_month,
        programme_spend=p.programme_spend[:, :, :T],
        programme_function=structure.programme_function,
        programme_cells=structure.programme_cells,
    )
    K = len(structure.tiers)
    acquisition = lagged(
        to_tiers(costs.acquisition, structure.cell_tier, K), structure.cac_lag_months
    )
    return costs.total.sum(axis=1), acquisition.sum(axis=2)


def cac(acquisition: FloatArray, won: FloatArray) -> FloatArray:
    """Return ``acquisition / won``, NaN where fewer than :data:`MIN_CUSTOMERS` were won.

    >>> cac(np.array([3000.0, 500.0]), np.array([3.0, 0.0])).tolist()
    [1000.0, nan]
    """
    defined = won > MIN_CUSTOMERS
    return np.asarray(np.where(defined, acquisition / np.where(defined, won, 1.0), np.nan))


def target_outcome(structure: Structure, fwd: Forward, year: IntArray | None = None) -> FloatArray:
    """Return each variant's figure of the plan's target kind [S] (docs/model.md §1).

    Ending ARR, revenue of the first year's months (``year`` [S], the plan's
    ``target.first_year_months``; None: 0 … 11), new ARR booked in them, or new MRR booked
    in month 0; first-year revenue is NaN for a plan shorter than its first year.
    """
    T = structure.months
    if structure.target_kind == "ending_arr":
        return np.asarray(12.0 * fwd.mrr[:, :, T - 1].sum(axis=1))
    months = np.full(fwd.mrr.shape[0], 12) if year is None else year
    if structure.target_kind == "first_year_revenue":
        revenue = first_year_sum(fwd.mrr.sum(axis=1), months)
        return np.asarray(np.where(months <= T, revenue, np.nan))
    if structure.target_kind == "new_arr_per_year":
        return np.asarray(12.0 * first_year_sum(fwd.new_mrr.sum(axis=1), months))
    return np.asarray(fwd.new_mrr[:, :, 0].sum(axis=1))


def outcomes_of(structure: Structure, params: Params, fwd: Forward) -> dict[str, FloatArray]:
    """Return each outcome per variant: :data:`OUTCOMES`, :func:`cost_keys` and the target.

    ``target`` is measured like the plan's target kind (docs/model.md §1): ending ARR, revenue
    of the first year's months (0 … 11 in a new plan, ``target.first_year_months``), new ARR
    booked in them, or new MRR booked in month 0.  ``first_year_revenue`` is NaN for a plan
    shorter than its first year, and a CAC is NaN in a variant whose org won no new
    customers (in that tier).
    """
    T = structure.months
    year = params.first_year_months
    ending = 12.0 * fwd.mrr[:, :, T - 1].sum(axis=1)
    first_year = first_year_sum(fwd.mrr.sum(axis=1), year)
    first_year = np.where(year <= T, first_year, np.nan)
    target = target_outcome(structure, fwd, year)
    sm_cost, acquisition = trial_costs(structure, params, fwd)
    won = fwd.new_customers.sum(axis=2)  # [S, K]
    return {
        "new_customers": fwd.new_customers.sum(axis=(1, 2)),
        "new_arr": 12.0 * fwd.new_mrr.sum(axis=(1, 2)),
        "ending_arr": ending,
        "first_year_revenue": first_year,
        "months_short": fwd.months_short.astype(np.float64),
        "sm_cost": sm_cost,
        "cac": cac(acquisition.sum(axis=1), won.sum(axis=1)),
        **{
            f"cac:{tier}": cac(acquisition[:, k], won[:, k])
            for k, tier in enumerate(structure.tiers)
        },
        "target": target,
    }


def chunk_size(structure: Structure, extended: int, budget: int = MEMORY_BUDGET) -> int:
    """Return how many trials to run in one batch so a batch stays within ``budget``.

    The largest arrays of a forward run are the load of each role in each cell by month
    ([trials, R, M, TE]), the volume at each funnel node ([trials, N, TE]), and heads,
    capacity, starts and revenue by role or tier; a trial costs about
    ``32 × (R·M + N + 4R + 6K) × TE`` bytes (with room for temporaries).

    >>> from dataclasses import dataclass
    >>> @dataclass
    ... class S:
    ...     roles: tuple[str, ...]; cells: tuple[int, ...]; stages: tuple[int, ...]
    ...     tiers: tuple[str, ...]
    >>> chunk_size(S(("r",) * 12, (0,) * 4, (0,) * 12, ("t",) * 2), 31)  # series A
    4364
    >>> chunk_size(S(("r",) * 15, (0,) * 30, (0,) * 90, ("t",) * 10), 126)  # the largest plan
    192
    >>> chunk_size(S(("r",) * 12, (0,) * 4, (0,) * 12, ("t",) * 2), 31, RUN_BUDGET)  # a slice
    1091
    """
    R, M, K = len(structure.roles), len(structure.cells), len(structure.tiers)
    N = len(structure.stages) + M
    per_trial = 32 * (R * M + N + 4 * R + 6 * K) * extended
    return int(min(MAX_CHUNK, max(MIN_CHUNK, budget // per_trial)))


def simulate(
    structure: Structure,
    params: Params,
    inputs: Sequence[Input],
    fixed: FixedPlan,
    trials: int,
    seed: int,
    *,
    progress: Progress | None = None,
    sample: int = PLANNING_SAMPLE,
) -> Simulation:
    """Draw ``trials`` worlds and run the fixed hiring plan forwards in each (docs/model.md §9).

    ``params`` is the point plan (a batch of one) and ``fixed`` its hiring plan and arrivals.
    The first ``sample`` worlds are also re-planned with :func:`run` for heads at confidence.
    ``progress(done, total)`` is called after every chunk.
    """
    if not 1 <= trials <= MAX_TRIALS:
        raise ValueError(f"trials must be from 1 to {MAX_TRIALS:,}")
    drawn = uncertain(inputs)
    rng = np.random.default_rng(seed)
    sample = min(sample, trials)
    total = trials + sample
    keys = [k for k, _, _ in OUTCOMES] + list(cost_keys(structure)) + ["target"]
    out = {k: np.empty(trials) for k in keys}
    R = len(structure.roles)
    short = np.empty((trials, R), dtype=np.int64)
    heads_end = np.empty((sample, R))
    heads_peak = np.empty((sample, R))
    T = structure.months
    paths = min(trials, PATH_TRIALS)
    arr_paths, new_paths = np.empty((paths, T)), np.empty((paths, T))
    done = 0
    chunk = chunk_size(structure, fixed.starts.shape[-1])
    step = chunk_size(structure, fixed.starts.shape[-1], RUN_BUDGET)
    for begin in range(0, trials, chunk):
        n = min(chunk, trials - begin)
        batch = with_inputs(params, drawn, draw_inputs(drawn, n, rng))
        for lo in range(0, n, step):
            hi = min(n, lo + step)
            part = batch.take(slice(lo, hi))
            fwd = run_forward(structure, part, fixed)
            at = begin + lo
            for k, v in outcomes_of(structure, part, fwd).items():
                out[k][at : begin + hi] = v
            short[at : begin + hi] = fwd.short.sum(axis=2)
            if at < paths:
                kept = min(hi - lo, paths - at)
                arr_paths[at : at + kept] = 12.0 * fwd.mrr[:kept].sum(axis=1)
                new_paths[at : at + kept] = 12.0 * fwd.new_mrr[:kept].sum(axis=1)
        done += n
        if begin < sample:
            # Re-plan the first worlds: the hires each would need to reach the target.
            m = min(n, sample - begin)
            for lo in range(0, m, step):
                hi = min(m, lo + step)
                planned = run(structure, batch.take(slice(lo, hi)))
                heads_end[begin + lo : begin + hi] = planned.heads[:, :, T - 1]
                heads_peak[begin + lo : begin + hi] = planned.heads[:, :, :T].max(axis=2)
            done += m
        if progress is not None:
            progress(done, total)
    likely_fwd = run_forward(structure, params, fixed)
    likely = outcomes_of(structure, params, likely_fwd)
    qs = [0.1, 0.5, 0.9]
    return Simulation(
        trials=trials,
        seed=seed,
        chunk=chunk,
        outcomes=out,
        months_short_by_role=short,
        needed_heads_end=heads_end,
        needed_heads_peak=heads_peak,
        at_likely={k: float(v[0]) for k, v in likely.items()},
        arr_band=quantiles(arr_paths, qs),
        new_arr_band=quantiles(new_paths, qs),
        likely_arr=12.0 * likely_fwd.mrr[0].sum(axis=0),
        likely_new_arr=12.0 * likely_fwd.new_mrr[0].sum(axis=0),
    )


def simulate_plan(
    result: PlanResult,
    inputs: Sequence[Input],
    trials: int,
    seed: int,
    *,
    progress: Progress | None = None,
    sample: int = PLANNING_SAMPLE,
) -> Simulation:
    """Simulate a planned batch of one: its hires held fixed, its ranges drawn."""
    fixed = fixed_plan(result)
    return simulate(
        result.structure, result.params, inputs, fixed, trials, seed, progress=progress,
        sample=sample,
    )  # fmt: skip


def quantiles(values: FloatArray, qs: Sequence[float]) -> FloatArray:
    """Return the quantiles ``qs`` of ``values`` along axis 0 (``[len(qs), ...]``), exactly
    as ``np.quantile(values, qs, axis=0)`` does (numpy's default, linear between order
    statistics; a column holding NaN gives NaN).

    Here rather than numpy's own because numpy's linear quantile imports ``numpy.ma``
    (some 20 ms, paid by every first screen) to ask whether its input is masked.  The
    partition and the interpolation are numpy's, step for step, so the figures are the
    same to the last bit, the sign of a zero included (a property test compares bytes).
    Worked example: 11 values 0 … 10, q = 0.25: the virtual index is 0.25 × 10 = 2.5,
    between the order statistics 2 and 3 with weight 0.5, so 2 + (3 - 2) × 0.5 = 2.5.

    >>> quantiles(np.arange(11.0), [0.25, 0.5, 1.0]).tolist()
    [2.5, 5.0, 10.0]
    """
    data = np.array(values, dtype=float)  # a copy, partitioned in place as numpy does
    n = data.shape[0]
    q = np.asarray(qs, dtype=float)
    virtual = (n - 1) * q
    below = np.floor(virtual)
    above = below + 1
    below[virtual >= n - 1] = above[virtual >= n - 1] = -1
    below[virtual < 0] = above[virtual < 0] = 0
    # numpy partitions at the same sorted set of places (0, the last, the neighbours), so
    # equal values (0.0 and -0.0) land where numpy puts them.
    data.partition(
        sorted({0, -1, *below.astype(int).tolist(), *above.astype(int).tolist()}), axis=0
    )
    shape = (len(q),) + (1,) * (data.ndim - 1)
    gamma = (virtual - below).reshape(shape)
    a, b = data[below.astype(np.intp)], data[above.astype(np.intp)]
    diff = b - a
    out: FloatArray = a + diff * gamma
    np.subtract(b, diff * (1 - gamma), out=out, where=gamma >= 0.5)
    nan = np.isnan(data[-1])  # NaN sorts last: the quantile is that NaN
    if nan.any():
        np.copyto(out, data[-1], where=nan)
    return out


def band(values: FloatArray, qs: Sequence[float] = (0.1, 0.5, 0.9)) -> list[float]:
    """Return the P10 / P50 / P90 (or other quantiles) of per-trial values.

    Quantiles are numpy's default (linear between order statistics).

    >>> band(np.arange(11.0))
    [1.0, 5.0, 9.0]
    """
    return [float(x) for x in quantiles(values, list(qs))]


def probability_reached(values: FloatArray, target: float) -> float:
    """Return the share of trials whose outcome reaches ``target`` (within 1e-9 relative).

    >>> probability_reached(np.array([90.0, 100.0, 110.0, 120.0]), 100.0)
    0.75
    """
    return float(np.mean(values >= target - REACHED * abs(target)))


def at_confidence(values: FloatArray, confidence: float) -> FloatArray:
    """Return, per column, the smallest value at least ``confidence`` of the trials need.

    This is the ``confidence`` quantile taken as an observed value (``inverted_cdf``), so
    whole heads stay whole: with that many people a role is enough in at least that share
    of the drawn worlds.

    >>> at_confidence(np.array([[1.0], [2.0], [3.0], [4.0], [5.0]]), 0.8).tolist()
    [4.0]
    """
    return np.asarray(np.quantile(values, confidence, axis=0, method="inverted_cdf"))
