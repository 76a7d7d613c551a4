#!/usr/bin/env python3
"""Dev-loop figures for one kernel project: how long a kernel author waits.

Copies a test case into a scratch folder, generates it with build2cmake and
prints:
  - the time of a plain `cmake -B build-ext` configure,
  - how many Python processes imported torch during that configure
    (counted by the audit hook in scripts/torch-import-counter),
  - the first and second `pip install --no-build-isolation -e .` times and
    their ratio (the second changes nothing and should do no build work),
  - the time of a reinstall after touching one kernel source.

usage: bench-devloop.py BUILD2CMAKE CASE_DIR [--backend B] [--python PY] [--no-venv]
No numbers are asserted here: docs/performance.md records them.
"""
import argparse
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

HOOK_DIR = pathlib.Path(__file__).resolve().parent / "torch-import-counter"


def run(cmd, cwd, env=None):
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{proc.stdout}\n{proc.stderr}")
    return elapsed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("case")
    ap.add_argument("--backend", default="cpu")
    ap.add_argument("--python", default="/usr/bin/python3")
    ap.add_argument("--no-venv", action="store_true",
                    help="install into PYTHON itself (e.g. when torch lives in a venv already)")
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)
    case = pathlib.Path(args.case).resolve()

    with tempfile.TemporaryDirectory() as tmp:
        proj = pathlib.Path(tmp) / case.name
        shutil.copytree(case, proj, ignore=shutil.ignore_patterns("expected", "shared.txt", "args", "stderr.txt"))
        run([binary, "generate-torch", "--backend", args.backend, "--ops-id", "bench", "build.toml"], proj)

        log = pathlib.Path(tmp) / "torch-imports.log"
        env = dict(os.environ, PYTHONPATH=str(HOOK_DIR), TORCH_IMPORT_LOG=str(log))
        configure = run(["cmake", "-B", "build-ext", "-G", "Ninja",
                         f"-DPython3_EXECUTABLE={args.python}"], proj, env)
        imports = len(log.read_text().splitlines()) if log.exists() else 0

        vpy = args.python
        if not args.no_venv:
            venv = pathlib.Path(tmp) / "venv"
            run([args.python, "-m", "venv", "--system-site-packages", str(venv)], tmp)
            vpy = str(venv / "bin" / "python")
        env = {k: v for k, v in os.environ.items()
               if k not in ("BUILD2CMAKE_FRESH_BUILD", "CMAKE_ARGS", "CMAKE_GENERATOR")}
        env.update(PIP_NO_INDEX="1", PYTHONNOUSERSITE="1")
        pip = [vpy, "-m", "pip", "install", "-q", "--no-build-isolation", "--no-deps", "-e", "."]
        first = run(pip, proj, env)
        second = run(pip, proj, env)
        sources = sorted(p for p in proj.rglob("*")
                         if p.suffix in (".cpp", ".cu") and "torch-ext" not in p.parts
                         and "build" not in p.parts and "build-ext" not in p.parts)
        sources[0].touch()
        touched = run(pip, proj, env)

    print(f"{case.name} ({args.backend}):")
    print(f"  cmake configure                 {configure:7.1f} s")
    print(f"  torch-importing Python runs     {imports:7d}   (target <= 1)")
    print(f"  first pip install -e .          {first:7.1f} s")
    print(f"  second pip install -e .         {second:7.1f} s")
    print(f"  second / first                  {second / first:7.3f}   (target <= 0.25)")
    print(f"  after touching {sources[0].name:<16} {touched:7.1f} s")


if __name__ == "__main__":
    main()
