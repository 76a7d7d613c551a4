#!/usr/bin/env python3
"""Generation speed: build2cmake generate-torch and validate against Python's tomllib.

For each size, writes a build.toml with that many CUDA/ROCm kernels (ten
sources each) and creates the files it lists, as in a real project. Then,
round after round, it times side by side
  - tomllib.loads of the file, inside Python (interpreter start excluded),
  - a whole `build2cmake generate-torch` process (start, parse, validate,
    look up every source path, render, write), and
  - a whole `build2cmake validate` process (the same checks and lookups,
    and the warnings),
and prints the median of the per-round ratios, in wall time and in CPU time
(user + system; the CPU figure holds up better on a busy machine). Then
scripts/lookups times the path lookups alone, in the ways they can be
done, against the same tomllib figures: the floor under generate-torch.
It also prints how generation time grows from the smallest to the
largest size.

usage: bench-generate.py BUILD2CMAKE [SIZES...]   (default sizes: 2000 20000)
environment: ROUNDS (default 15 up to 5,000 kernels, else 5); BASELINE, the
path of another build2cmake (an older commit's), timed in the same rounds.
"""
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Goals for the ratio to tomllib (generate-torch: at most 0.15, aim 0.10).
GENERATE_GOAL, GENERATE_AIM = 0.15, 0.10


def child_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_timed(cmd):
    """Wall and CPU seconds of one process."""
    cpu0, start = child_cpu(), time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start, child_cpu() - cpu0


def parse_timed(text):
    cpu0, start = time.process_time(), time.perf_counter()
    tomllib.loads(text)
    return time.perf_counter() - start, time.process_time() - cpu0


def make_project(root, n):
    toml_path = os.path.join(root, "build.toml")
    with open(toml_path, "wb") as f:
        subprocess.run(["go", "run", "./scripts/bigtoml", "-kernels", str(n)],
                       cwd=REPO, stdout=f, check=True)
    text = open(toml_path, "rb").read().decode()
    parsed = tomllib.loads(text)
    tables = [parsed["torch"]] + list(parsed["kernel"].values())
    for t in tables:
        for d in t.get("include", []):
            os.makedirs(os.path.join(root, d), exist_ok=True)
        for s in t.get("src", []):
            path = os.path.join(root, s)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            open(path, "w").close()
    return toml_path, text


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    binaries = {"": os.path.abspath(sys.argv[1])}
    if os.environ.get("BASELINE"):
        binaries["baseline "] = os.path.abspath(os.environ["BASELINE"])
    sizes = [int(s) for s in sys.argv[2:]] or [2000, 20000]
    generate_times = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            project = os.path.join(tmp, f"k{n}")
            os.makedirs(project)
            toml_path, text = make_project(project, n)
            commands = {}
            for label, binary in binaries.items():
                commands[label + "generate-torch"] = [binary, "generate-torch", "--force", "--backend", "cuda",
                                                      "--ops-id", "bench", toml_path]
                commands[label + "validate"] = [binary, "validate", toml_path]
            for cmd in commands.values():
                run_timed(cmd)  # writes the files once and warms the caches
            rounds = int(os.environ.get("ROUNDS", 15 if n <= 5000 else 5))
            rows = {name: [] for name in ["tomllib", *commands]}
            # Each round in a new order: the process that follows the
            # tomllib parse pays for Python freeing its result.
            order = list(rows)
            shuffle = random.Random(n)
            for _ in range(rounds):
                shuffle.shuffle(order)
                for name in order:
                    if name == "tomllib":
                        rows[name].append(parse_timed(text))
                    else:
                        rows[name].append(run_timed(commands[name]))
            parse = rows["tomllib"]
            print(f"{n:>6} kernels ({len(text)/1e6:.2f} MB), {rounds} rounds, medians:")
            print(f"    tomllib.loads              {statistics.median(w for w, _ in parse)*1000:8.1f} ms wall"
                  f" {statistics.median(c for _, c in parse)*1000:8.1f} ms CPU")
            for name in commands:
                rs = rows[name]
                wall = statistics.median(w for w, _ in rs)
                cpu = statistics.median(c for _, c in rs)
                wall_ratio = statistics.median(w / p for (w, _), (p, _) in zip(rs, parse))
                cpu_ratio = statistics.median(c / p for (_, c), (_, p) in zip(rs, parse))
                goal = f"   (goal <= {GENERATE_GOAL}, aim {GENERATE_AIM})" if name == "generate-torch" else ""
                print(f"    {name:<26} {wall*1000:8.1f} ms wall {cpu*1000:8.1f} ms CPU"
                      f"   ratio {wall_ratio:.3f} wall, {cpu_ratio:.3f} CPU{goal}")
            generate_times[n] = statistics.median(w for w, _ in rows["generate-torch"])
            print("    path lookups alone (scripts/lookups):")
            lookups = subprocess.run(
                ["go", "run", "./scripts/lookups", "-rounds", str(rounds),
                 "-wall-ms", f"{statistics.median(w for w, _ in parse)*1000:.3f}",
                 "-cpu-ms", f"{statistics.median(c for _, c in parse)*1000:.3f}", toml_path],
                cwd=REPO, stdout=subprocess.PIPE, text=True, check=True)
            print("\n".join("    " + line for line in lookups.stdout.splitlines()))
    if len(sizes) > 1:
        lo, hi = min(sizes), max(sizes)
        print(f"scaling {lo} -> {hi} kernels ({hi/lo:.0f}x): generate-torch took "
              f"{generate_times[hi]/generate_times[lo]:.1f}x as long (target <= {1.2*hi/lo:.0f}x)")


if __name__ == "__main__":
    main()
