#!/usr/bin/env python3
"""Generation speed: build2cmake generate-torch against Python's tomllib.

For each size, writes a build.toml with that many CUDA/ROCm kernels (ten
sources each), then times
  - tomllib.loads of the file, inside Python (interpreter start excluded), and
  - a whole `build2cmake generate-torch` process (start, parse, render, write),
taking the median of several runs, and prints the ratio. It also prints how
generation time grows from the smallest to the largest size.

usage: bench-generate.py BUILD2CMAKE [SIZES...]   (default sizes: 2000 20000)
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def median_time(fn, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    binary = os.path.abspath(sys.argv[1])
    sizes = [int(s) for s in sys.argv[2:]] or [2000, 20000]
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            project = os.path.join(tmp, f"k{n}")
            os.makedirs(project)
            toml_path = os.path.join(project, "build.toml")
            with open(toml_path, "wb") as f:
                subprocess.run(["go", "run", "./scripts/bigtoml", "-kernels", str(n)],
                               cwd=REPO, stdout=f, check=True)
            text = open(toml_path, "rb").read().decode()
            runs = 7 if n <= 5000 else 3
            parse = median_time(lambda: tomllib.loads(text), runs)
            cmd = [binary, "generate-torch", "--force", "--backend", "cuda",
                   "--ops-id", "bench", toml_path]
            subprocess.run(cmd, check=True, capture_output=True)  # warm the page cache
            gen = median_time(lambda: subprocess.run(cmd, check=True, capture_output=True), runs)
            results[n] = gen
            print(f"{n:>6} kernels: tomllib {parse*1000:8.1f} ms   generate-torch {gen*1000:8.1f} ms"
                  f"   ratio {gen/parse:.3f} (target <= 0.25)")
    if len(sizes) > 1:
        lo, hi = min(sizes), max(sizes)
        print(f"scaling {lo} -> {hi} kernels ({hi/lo:.0f}x): generate-torch took "
              f"{results[hi]/results[lo]:.1f}x as long (target <= {1.2*hi/lo:.0f}x)")


if __name__ == "__main__":
    main()
