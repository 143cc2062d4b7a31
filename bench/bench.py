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

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tools.synthetic import synthetic_plan

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SALESPLAN = str(BIN / "salesplan")
PLANS = ("seed", "series-a", "series-b", "growth")
# The import floor: the runtime dependencies imported and nothing else.
DEPENDENCIES = "import typer, numpy, pydantic, rich, yaml"
# The same, with numpy's OpenBLAS on one thread as the command line runs it (the threads
# OpenBLAS starts beside the first spin while they wait, which the plain floor pays for).
ONE_THREAD = "import os; os.environ['OPENBLAS_NUM_THREADS'] = '1'; " + DEPENDENCIES


# Every command, for its --help.
COMMANDS = (
    "plan",
    "report",
    "check",
    "schema",
    "init",
    "diff",
    "compare",
    "simulate",
    "sensitivity",
    "track",
    "reforecast",
    "solve",
    "explain",
    "pods",
    "comp",
    "economics",
)


def cpu(cmd: list[str]) -> tuple[float, float]:
    """Return (CPU seconds, wall seconds) of one run of a command, its output discarded.

    CPU is the child's user + system time as the kernel accounts it (``os.wait4``): on a
    shared machine it moves far less than wall time when other work competes for the cores.
    """
    start = time.perf_counter()
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = 0  # reaped by wait4
    return usage.ru_utime + usage.ru_stime, elapsed


def paired(a: list[str], b: list[str], runs: int) -> tuple[float, float, float]:
    """Run A and B in turn ``runs`` times; return the median A/B ratio of CPU time (pair by
    pair, so that drift in the machine's speed hits both alike) and A's and B's median CPU."""
    cpu(a), cpu(b)  # warm the file cache
    ratios, times_a, times_b = [], [], []
    for _ in range(runs):
        ta, _ = cpu(a)
        tb, _ = cpu(b)
        ratios.append(ta / tb)
        times_a.append(ta)
        times_b.append(tb)
    return statistics.median(ratios), statistics.median(times_a), statistics.median(times_b)


def startup(runs: int = 9) -> None:
    """Print the issue's speed targets as ratios measured in this run (CPU time, medians of
    alternating pairs)."""
    bare = [sys.executable, "-c", "pass"]
    floor = [sys.executable, "-c", DEPENDENCIES]
    plan = [SALESPLAN, "plan", "configs/series-a.yaml"]
    rows: list[tuple[str, float, float, str]] = []

    def ratio(name: str, a: list[str], b: list[str], target: float, against: str) -> None:
        r, ta, _ = paired(a, b, runs)
        rows.append((name, ta, r, f"{r:5.2f}x {against:<22s} target <= {target:g}x"))

    one_thread = [sys.executable, "-c", ONE_THREAD]
    ratio("plan (terminal view)", plan, floor, 1.2, "the import floor")
    ratio("", plan, one_thread, 1.2, "the floor, 1 thread")
    ratio("plan -f csv", [*plan, "-f", "csv"], floor, 1.0, "the import floor")
    ratio("", [*plan, "-f", "csv"], one_thread, 1.0, "the floor, 1 thread")
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        text = (ROOT / "configs" / "series-a.yaml").read_text("utf-8")
        for i in range(100):
            path = Path(tmp) / f"plan{i:03d}.yaml"
            path.write_text(text, encoding="utf-8")
            files.append(str(path))
        ratio(
            "check, 100 files",
            [SALESPLAN, "check", *files],
            [SALESPLAN, "check", files[0]],
            3.0,
            "check of one file",
        )
    ratio(
        "simulate, 10,000 trials",
        [SALESPLAN, "simulate", "configs/series-a.yaml"],
        plan,
        3.0,
        "plan",
    )
    helps = [[SALESPLAN, "--help"]] + [[SALESPLAN, c, "--help"] for c in COMMANDS]
    worst = ("", 0.0, 0.0)
    for cmd in helps:
        r, ta, _ = paired(cmd, bare, max(3, runs // 3))
        if r > worst[2]:
            worst = (" ".join(cmd[1:]), ta, r)
    rows.append(
        (
            f"slowest --help: {worst[0]}",
            worst[1],
            worst[2],
            f"{worst[2]:5.2f}x {'bare python':<22s} target <= 8x",
        )
    )
    _, floor_cpu, bare_cpu = paired(floor, bare, runs)
    _, one_cpu, _ = paired(one_thread, bare, runs)
    print(f"bare python {bare_cpu * 1000:6.1f} ms CPU; the import floor (typer, numpy, pydantic,")
    print(f"Rich, PyYAML) {floor_cpu * 1000:6.1f} ms CPU, {one_cpu * 1000:6.1f} ms with numpy's")
    print(f"OpenBLAS on one thread as salesplan runs it; ratios are medians of {runs} pairs\n")
    for name, ta, _, text in rows:
        print(f"{name:34s}{ta * 1000:8.1f} ms   {text}")


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

    from salesplan.engine.compile import Compiled, set_input
    from salesplan.engine.run import run
    from salesplan.pipeline import run_plan

    def loaded(path: str) -> Compiled:
        evaluation = run_plan(path).evaluation
        assert evaluation is not None, path
        return evaluation.compiled

    if kind == "one":
        compiled = loaded(f"configs/{arg}.yaml")
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
        compiled = loaded("configs/series-a.yaml")
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
            compiled = loaded(path)
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
    if kind == "simulate-largest":
        from salesplan.pipeline import run_plan

        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "largest.yaml")
            Path(path).write_text(synthetic_plan(120, 10, 15), encoding="utf-8")
            evaluation = run_plan(path).evaluation
        assert evaluation is not None
        start = time.perf_counter()
        evaluation.simulate(int(arg), 0)
        return {"s": time.perf_counter() - start, "peak_mb": peak_mb()}
    raise SystemExit(f"unknown figure {kind}")


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
    f = child("simulate-largest", "10000")
    print(
        f"\nsimulate 10,000 trials, largest plan {f['s']:8.1f} s   peak {f['peak_mb']:6.0f} MB"
        "  (target < 1 GB)"
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
