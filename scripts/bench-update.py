#!/usr/bin/env python3
"""update-build speed on files full of comments of every form.

For each size, writes a v3 build.toml of about that many bytes with
`go run ./scripts/bigtoml -comments`, then runs `build2cmake validate` and
`build2cmake update-build --license MIT` on a fresh copy several times and
prints the median wall and CPU time (user + system, which a busy machine
inflates less than wall time) per run and per MB. A linear conversion costs
the same per MB at every size: the last column is the CPU time per MB
relative to the smallest size.

usage: bench-update.py BUILD2CMAKE [SIZES...]   (default: 700000 16000000)
"""
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUNS = 3


def timed(args):
    """Runs args and returns (wall seconds, CPU seconds of the child)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    binary = os.path.abspath(sys.argv[1])
    sizes = [int(s) for s in sys.argv[2:]] or [700000, 16000000]
    base = None
    print(f"{'command':<13} {'size':>8} {'wall':>8} {'CPU':>8} {'CPU/MB':>8} {'ratio':>6}")
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            src = os.path.join(tmp, f"big-{size}.toml")
            with open(src, "wb") as f:
                subprocess.run(["go", "run", "./scripts/bigtoml", "-comments", "-size", str(size)],
                               cwd=REPO, check=True, stdout=f)
            mb = os.path.getsize(src) / 1e6
            work = os.path.join(tmp, "kernel")
            results = {}
            for name in ("validate", "update-build"):
                walls, cpus = [], []
                for _ in range(RUNS):
                    shutil.rmtree(work, ignore_errors=True)
                    os.makedirs(work)
                    shutil.copy(src, os.path.join(work, "build.toml"))
                    args = [binary, name, os.path.join(work, "build.toml")]
                    if name == "update-build":
                        args = [binary, name, "--license", "MIT", work]
                    wall, cpu = timed(args)
                    walls.append(wall)
                    cpus.append(cpu)
                results[name] = (statistics.median(walls), statistics.median(cpus))
            if base is None:
                base = results["update-build"][1] / mb
            for name, (wall, cpu) in results.items():
                ratio = f"{cpu / mb / base:.2f}" if name == "update-build" else ""
                print(f"{name:<13} {mb:>6.1f}MB {wall:>7.2f}s {cpu:>7.2f}s {cpu / mb:>7.3f}s {ratio:>6}")


if __name__ == "__main__":
    main()
