"""Print the speed of `simulate` and `sensitivity` on the series-A plan.  Figures, not asserts.

    python bench/bench_simulate.py                 # 10,000 trials: the 1 s target
    python bench/bench_simulate.py --big 200000    # also a long run, with its peak memory

Times are medians of in-process runs after a warm-up.  ``main()`` returns the figures as a
dict so a harness (bench/bench.py) may call it.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLAN = str(ROOT / "configs" / "series-a.yaml")


def median_seconds(fn: Callable[[], object], runs: int) -> float:
    """Return the median wall time of ``runs`` calls after one warm-up call."""
    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_mb() -> float:
    """Return this process's peak resident memory in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def figures(trials: int = 10_000, runs: int = 5, big: int = 0) -> dict[str, float]:
    """Measure and return the figures (seconds, MB)."""
    import numpy as np

    from salesplan.api import evaluate
    from salesplan.engine.confidence import at_confidence, target_probability
    from salesplan.engine.forward import fixed_plan, run_forward
    from salesplan.engine.simulate import draw_inputs, simulate, uncertain, with_inputs

    ev = evaluate(PLAN)
    compiled, result = ev.compiled, ev.result
    s, params = result.structure, compiled.params
    fixed = fixed_plan(result)
    drawn = uncertain(compiled.inputs)

    def draw() -> object:
        return with_inputs(params, drawn, draw_inputs(drawn, trials, np.random.default_rng(0)))

    batch = draw()
    out = {
        "draw_s": median_seconds(draw, runs),
        "forward_s": median_seconds(lambda: run_forward(s, batch, fixed), runs),
        "forward_simulation_s": median_seconds(
            lambda: simulate(s, params, compiled.inputs, fixed, trials, 0, sample=0), runs
        ),
        "simulate_s": median_seconds(
            lambda: simulate(s, params, compiled.inputs, fixed, trials, 0), max(1, runs // 2)
        ),
        "sensitivity_s": median_seconds(lambda: ev.sensitivity(0.2), runs),
        # What the first screen of `plan` asks for: the probability of the plan it prints.
        "probability_s": median_seconds(
            lambda: target_probability(result, compiled.inputs, 500, 0), runs
        ),
        "confidence_s": median_seconds(
            lambda: at_confidence(result, compiled.inputs, 0.8), max(1, runs // 2)
        ),
    }
    if big:
        start = time.perf_counter()
        simulate(s, params, compiled.inputs, fixed, big, 0, sample=0)
        out["big_trials"] = float(big)
        out["big_s"] = time.perf_counter() - start
    out["peak_mb"] = peak_mb()
    return out


def main(argv: list[str] | None = None) -> dict[str, float]:
    """Print the figures and return them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--big", type=int, default=0, help="also time this many trials")
    args = parser.parse_args(argv)
    os.chdir(ROOT)
    f = figures(args.trials, args.runs, args.big)
    n = f"{args.trials:,d}"
    print(f"salesplan simulate bench  python {sys.version.split()[0]}  cpus {os.cpu_count()}")
    print(f"draw {n} trials                  {f['draw_s']:8.3f} s")
    print(f"forwards, {n} drawn variants     {f['forward_s']:8.3f} s")
    print(f"forward simulation, {n} trials   {f['forward_simulation_s']:8.3f} s  (target <= 1 s)")
    print(f"simulate incl. heads at confidence {f['simulate_s']:8.3f} s")
    print(f"sensitivity (one batched run)       {f['sensitivity_s']:8.3f} s")
    print(f"probability of the target, 500 trials {f['probability_s']:6.3f} s  (target < 0.1 s)")
    print(f"the plan at confidence 0.8           {f['confidence_s']:8.3f} s")
    if args.big:
        print(f"forward simulation, {args.big:,d} trials {f['big_s']:8.1f} s")
    print(f"peak memory                          {f['peak_mb']:8.0f} MB")
    return f


if __name__ == "__main__":
    main()
