"""Print salesplan's speed and memory figures (`make bench`).  Figures, not asserts.

Start-up is measured as whole processes against bare `python -c pass` on the same machine in
the same run (medians of alternating runs, so drift hits both alike).  Engine figures are
medians of in-process timings.  Each heavy figure runs in its own process so that its peak
memory is its own.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SALESPLAN = str(BIN / "salesplan")
PLANS = ("seed", "series-a", "series-b", "growth")
DEPENDENCIES = (
    "import typer, numpy, yaml, rich.console, rich.table; "
    "from pydantic import BaseModel, TypeAdapter"
)


def wall(cmd: list[str]) -> float:
    """Return the wall time of one run of a command, output discarded."""
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def startup(runs: int = 15) -> None:
    """Print whole-process times of `plan` and `--help` as ratios to bare Python."""
    bare = [sys.executable, "-c", "pass"]
    commands = {
        "salesplan plan configs/series-a.yaml": [SALESPLAN, "plan", "configs/series-a.yaml"],
        "salesplan --help": [SALESPLAN, "--help"],
        # What `plan` cannot go below: importing its runtime dependencies and nothing else
        # (typer 0.29 builds a pydantic TypeAdapter for every option it parses).
        "the dependencies' imports alone": [sys.executable, "-c", DEPENDENCIES],
    }
    for cmd in (bare, *commands.values()):
        wall(cmd)  # warm the file cache
    base: list[float] = []
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        base.append(wall(bare))
        for name, cmd in commands.items():
            times[name].append(wall(cmd))
    b = statistics.median(base)
    print(f"bare python start-up            {b * 1000:8.1f} ms (median of {runs})")
    targets = {"salesplan plan configs/series-a.yaml": 15, "salesplan --help": 8}
    for name, t in times.items():
        m = statistics.median(t)
        target = f" (target <= {targets[name]}x)" if name in targets else ""
        print(f"{name:32s}{m * 1000:8.1f} ms  = {m / b:5.1f}x bare{target}")


def child(kind: str, arg: str = "") -> dict[str, float]:
    """Run one engine figure in a fresh process; return its numbers."""
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, arg],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return dict(json.loads(out.stdout))


def peak_mb() -> float:
    """Return this process's peak resident memory in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_child(kind: str, arg: str) -> dict[str, float]:
    """Measure inside the child process."""
    import numpy as np

    from salesplan.engine.compile import compile_plan, set_input
    from salesplan.engine.run import run
    from salesplan.load.plan import load_plan

    def load(path: str) -> Any:
        loaded, problems = load_plan(path)
        assert loaded is not None, problems
        return loaded

    if kind == "one":
        compiled = compile_plan(load(f"configs/{arg}.yaml").plan)
        run(compiled.structure, compiled.params)
        times = []
        for _ in range(100):
            start = time.perf_counter()
            run(compiled.structure, compiled.params)
            times.append(time.perf_counter() - start)
        return {
            "ms": statistics.median(times) * 1000,
            "best_ms": min(times) * 1000,
            "peak_mb": peak_mb(),
        }
    if kind == "batch":
        n = int(arg)
        compiled = compile_plan(load("configs/series-a.yaml").plan)
        params = compiled.params.repeat(n)
        # Vary every input with a range across the batch, so the variants differ.
        rng = np.random.default_rng(0)
        for inp in compiled.inputs:
            if inp.range is not None:
                values = rng.uniform(inp.range.low, inp.range.high, n)
                params = set_input(params, inp, values)
        times = []
        for _ in range(3):
            start = time.perf_counter()
            run(compiled.structure, params)
            times.append(time.perf_counter() - start)
        return {"s": statistics.median(times), "peak_mb": peak_mb()}
    if kind == "size":
        months, tiers, roles = (int(x) for x in arg.split(","))
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "big.yaml")
            Path(path).write_text(synthetic_plan(months, tiers, roles), encoding="utf-8")
            start = time.perf_counter()
            compiled = compile_plan(load(path).plan)
            load_s = time.perf_counter() - start
        run(compiled.structure, compiled.params)
        times = []
        for _ in range(5):
            start = time.perf_counter()
            run(compiled.structure, compiled.params)
            times.append(time.perf_counter() - start)
        return {
            "ms": statistics.median(times) * 1000,
            "load_ms": load_s * 1000,
            "peak_mb": peak_mb(),
        }
    raise SystemExit(f"unknown figure {kind}")


def synthetic_plan(months: int, tiers: int, roles: int) -> str:
    """Return a valid plan with the given size: 3 motions a tier, `roles` roles."""
    lines = [
        f"company: {{name: Bench, start: '2027-01', horizon_months: {months}}}",
        "target: {ending_arr: 80_000_000, growth_rate: 0.01}",
        "tiers:",
    ]
    for k in range(tiers):
        lines += [
            f"  t{k}:",
            f"    mrr: {300 + 200 * k}",
            "    churn_rate: 0.01",
            "    expansion_rate: 0.005",
            f"    share: {1 / tiers!r}",
            "    opening_arr: 1_000_000",
            "    opening_customers: 100",
            "    motions:",
        ]
        for m, name in enumerate(("inbound", "outbound", "partner")):
            lines += [
                f"      {name}:",
                f"        share: {[0.5, 0.3, 0.2][m]}",
                "        stages:",
                "          - {name: lead, rate: 0.1, days: 10}",
                "          - {name: sql, rate: 0.4, days: 14}",
                "          - {name: opportunity, rate: 0.25, days: 45}",
            ]
    lines.append("roles:")
    workers = max(1, roles - 2)
    stages = ("lead", "sql", "opportunity", "won")
    for r in range(workers):
        lines += [
            f"  r{r}:",
            f"    opening_heads: {5 + r}",
            f"    ramp_months: {r % 6}",
            "    attrition_rate: 0.3",
            f"    hiring_lead_months: {r % 3}",
            f"    drivers: [{{stage: {stages[r % 4]}, capacity: {50 + 25 * r}}}]",
        ]
    lines += [
        "  manager:",
        "    ramp_months: 2",
        "    hiring_lead_months: 3",
        f"    drivers: [{{manages: [{', '.join(f'r{r}' for r in range(workers))}], capacity: 8}}]",
        "  director:",
        "    hiring_lead_months: 3",
        "    drivers: [{manages: [manager], capacity: 6}]",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    """Print every figure."""
    os.chdir(ROOT)
    print(f"salesplan bench  python {sys.version.split()[0]}  cpus {os.cpu_count()}\n")
    startup()
    print()
    for plan in PLANS:
        f = child("one", plan)
        print(
            f"one evaluation, {plan:10s}       {f['ms']:8.2f} ms  (best {f['best_ms']:.2f};"
            " target <= 5 ms)"
        )
    print()
    for n in (1_000, 10_000):
        f = child("batch", str(n))
        print(
            f"batch of {n:6,d} series-a variants {f['s']:8.3f} s   peak {f['peak_mb']:6.0f} MB"
            + ("  (target <= 1 s)" if n == 10_000 else "")
        )
    print()
    print("size (months x tiers x roles)        run        per unit   load+compile  peak")
    for size in ((24, 3, 5), (60, 5, 10), (120, 10, 15)):
        f = child("size", ",".join(map(str, size)))
        units = size[0] * size[1] * size[2]
        print(
            f"  {size[0]:3d} x {size[1]:2d} x {size[2]:2d} = {units:6d}       {f['ms']:8.1f} ms"
            f"  {f['ms'] * 1000 / units:7.2f} us  {f['load_ms']:8.1f} ms  {f['peak_mb']:5.0f} MB"
        )
    extra = ROOT / "bench" / "bench_simulate.py"
    if extra.exists():
        print()
        subprocess.run([sys.executable, str(extra)], check=False, cwd=ROOT)


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        print(json.dumps(run_child(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else "")))
    else:
        main()
