#!/usr/bin/env bash
# Builds the CPU end-to-end kernel projects for real, printing each step and
# how long it took: the flow of internal/e2e (TestCPUBuild), by hand.
#
#   scripts/e2e-cpu.sh [case...]     cases: cpu-relu cpu-multi cpu-avx2 (default: all)
#
# For each case: copy testdata/kernels/<case> to a scratch folder, run
# `build2cmake generate-torch` with the case's args, build with plain CMake
# (configure without a build type, which builds Release, build, install;
# with ccache on PATH, again from an empty build folder, served from the
# cache), then `pip install -e .` into a fresh venv
# that sees Debian's torch, run the case's pytest suite, and reinstall once
# unchanged (which should compile nothing, SPEC B6).
#
# Environment: PYTHON (default /usr/bin/python3, which has Debian's torch;
# the python3 first on PATH may not), KEEP=1 keeps the scratch folder.
# scripts/install-deps.sh installs what this needs.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-/usr/bin/python3}
cases=("$@")
if [ ${#cases[@]} -eq 0 ]; then
  # Keep in step with cpuCases in internal/e2e/cpu_test.go.
  cases=(cpu-relu cpu-multi cpu-avx2)
fi

# Never let pip reach for an index, nor Python for packages outside the
# venv and Debian's dist-packages.
export PIP_NO_INDEX=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONNOUSERSITE=1 PYTHONDONTWRITEBYTECODE=1
unset PYTHONPATH PYTHONHOME VIRTUAL_ENV PIP_INDEX_URL PIP_EXTRA_INDEX_URL

missing=()
command -v cmake >/dev/null || missing+=("cmake>=3.26")
command -v ninja >/dev/null || missing+=(ninja)
command -v go >/dev/null || missing+=(go)
if [ -x "$python" ]; then
  "$python" -c 'import torch, venv, ensurepip, setuptools, wheel, pytest' 2>/dev/null ||
    missing+=("torch, venv, setuptools, wheel and pytest for $python")
else
  missing+=("$python")
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "e2e-cpu: missing: ${missing[*]} (scripts/install-deps.sh installs them)" >&2
  exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/build2cmake-e2e.XXXXXX")
if [ "${KEEP:-}" = 1 ]; then
  echo "e2e-cpu: scratch folder $work (kept)"
else
  trap 'rm -rf "$work"' EXIT
fi

# step LABEL CMD...: prints the command, runs it, prints its wall time.
step() {
  local label=$1 start ms took
  shift
  printf '\n==> %s: %s\n' "$label" "$*"
  start=$(date +%s%N)
  "$@"
  ms=$((($(date +%s%N) - start) / 1000000))
  took=$(printf '%d.%ds' $((ms / 1000)) $((ms % 1000 / 100)))
  printf '<== %s: %s\n' "$label" "$took"
  timings+=("$(printf '%-34s %8s' "$case: $label" "$took")")
}
timings=()

case=build2cmake
step "go build" go build -C "$root" -o "$work/bin/build2cmake" ./cmd/build2cmake

for case in "${cases[@]}"; do
  src=$root/testdata/kernels/$case
  if [ ! -f "$src/build.toml" ] || [ ! -f "$src/args" ]; then
    echo "e2e-cpu: $src has no build.toml and args" >&2
    exit 2
  fi
  proj=$work/$case
  cp -r "$src" "$proj"
  rm -rf "$proj/expected" "$proj/shared.txt" "$proj/build" "$proj/build-ext"
  cd "$proj"

  # The ops name is _<python name>_<ops id>: name with dashes as
  # underscores, id from --ops-id in args.
  name=$(sed -n 's/^name *= *"\(.*\)".*/\1/p' build.toml | head -n1)
  ops_id=$(sed -n 's/.*--ops-id[ =]\([^ ]*\).*/\1/p' args)
  ops_name=_${name//-/_}_${ops_id}

  # shellcheck disable=SC2046 # args holds flags split on spaces on purpose
  step generate "$work/bin/build2cmake" generate-torch $(cat args) build.toml

  step "cmake configure" cmake -B build-ext -G Ninja -DPython3_EXECUTABLE="$python"
  step "cmake build" cmake --build build-ext
  if command -v ccache >/dev/null; then
    rm -rf build-ext
    step "cmake configure (again)" cmake -B build-ext -G Ninja -DPython3_EXECUTABLE="$python"
    step "cmake build (from ccache)" cmake --build build-ext
  fi
  step "cmake install" cmake --install build-ext --prefix "$work/$case-install"
  ls "$work/$case-install/$ops_name/$ops_name".*.so

  step venv "$python" -m venv --system-site-packages "$work/$case-venv"
  venv_python=$work/$case-venv/bin/python
  step "pip install -e (first)" "$venv_python" -m pip install --no-build-isolation --no-deps --no-index -e .
  step pytest env KERNEL_OPS_NAME="$ops_name" "$venv_python" -m pytest -q -p no:cacheprovider tests

  # An unchanged reinstall should compile nothing: Ninja's log of the
  # persistent build folder must not grow.
  log=$(find build -name .ninja_log 2>/dev/null | head -n1)
  before=$( [ -n "$log" ] && wc -l <"$log" || echo 0)
  step "pip install -e (again)" "$venv_python" -m pip install --no-build-isolation --no-deps --no-index -e .
  if [ -z "$log" ]; then
    echo "note: no persistent Ninja build folder under build/; the reinstall rebuilt from scratch"
  elif [ "$(wc -l <"$log")" != "$before" ]; then
    echo "e2e-cpu: $case: reinstalling an unchanged project ran Ninja again:" >&2
    tail -n +"$((before + 1))" "$log" >&2
    exit 1
  else
    echo "reinstall compiled nothing ($log unchanged)"
  fi
done

printf '\nAll cases passed. Wall time per step:\n'
printf '  %s\n' "${timings[@]}"
