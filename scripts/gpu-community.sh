#!/usr/bin/env bash
# Builds kernels of kernels-community with create-pyproject on a GPU machine
# and runs their own tests through the `kernels` loader, with build2cmake
# and, side by side, today's kernel-builder. docs/gpu.md explains it.
#
#   scripts/gpu-community.sh            (carry .bin/gpu-community.tar.xz,
#                                        made by scripts/gpu-community-prepare.sh)
#
# Each kernel of KERNELS (default: every kernel of the packed list) runs in
# its mode (scripts/gpu-community/kernels.txt):
#   build      create-pyproject --unique-id gpu0001; cmake configure (Ninja,
#              the GPU present, CUTLASS_SRC_DIR at the packed CUTLASS
#              release); cmake --build --target local_install; the variant
#              under build/ and its metadata.json archs; the kernel's tests
#   configure  create-pyproject and configure only (the capability report)
#   reject     configure must stop on the CUDA version (general.cuda.maxver)
#   noarch     create-pyproject; python setup.py build_kernel; the tests
#   allarchs   build2cmake only: a build with -DBUILD_ALL_SUPPORTED_ARCHS=ON
#              whose objects must hold SASS 7.5 ... 12.1, 10.3 included, and
#              PTX 12.1 (nvcc 13)
# The tests run as kernels-community's CI runs them (nix-builder's ci-test):
# LOCAL_KERNELS=<repo id>=<kernel folder>, `pytest tests -m kernels_ci` when
# a test carries that marker (exit 5, nothing selected, counts as a pass),
# plus a folder on PYTHONPATH in which the kernel's Python name is the
# built variant, for the tests that `import <python_name>` (CI sets
# PYTHONPATH to the variant folder, which made the package importable when
# variants held a <python_name>/ folder; today's variants hold the package
# itself). The tests are copied next to a `build` link first, so the
# kernel's source folders cannot shadow the package.
#
# Today's tool (the packed kernel-builder) runs create-pyproject and
# configure (noarch: build_kernel and the tests) for every kernel of
# TODAY_KERNELS (default: KERNELS), and builds and tests those in
# TODAY_BUILD ("all" for every one; default none).
#
# Environment: KERNELS, TODAY_KERNELS, TODAY_BUILD, TIME_LIMIT (seconds from the start,
# default 540: every step still running then is stopped and reported, so
# the summary always comes back inside a 10-minute call), PARALLEL (kernels
# at once, default 8), JOBS (ninja -j per kernel, default: the number of
# cores), NVCC_THREADS (default 4), TEST_TIMEOUT (default 240), WORK
# (default /tmp/gpu-community), ARCHIVE, OUT (where the summary and the
# logs go). Writes $OUT/community-summary.md, community-results.tsv,
# community-logs.tar.gz. Exit status 0 when every step met its expectation.
set -uo pipefail

START=$(date +%s)
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$REPO/scripts/scratch.sh"
ARCHIVE=${ARCHIVE:-$REPO/.bin/gpu-community.tar.xz}
WORK=${WORK:-/tmp/gpu-community}
TIME_LIMIT=${TIME_LIMIT:-540}
PARALLEL=${PARALLEL:-8}
NPROC=$(nproc)
JOBS=${JOBS:-$NPROC}
NVCC_THREADS=${NVCC_THREADS:-4}
TEST_TIMEOUT=${TEST_TIMEOUT:-240}
TODAY_BUILD=${TODAY_BUILD:-}
DEADLINE=$((START + TIME_LIMIT))
export PIP_NO_INDEX=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1
unset PYTHONPATH CMAKE_ARGS LOCAL_KERNELS TORCH_CUDA_ARCH_LIST CUTLASS_SRC_DIR

if [ ! -f "$ARCHIVE" ]; then
  echo "gpu-community: $ARCHIVE is missing: run scripts/gpu-community-prepare.sh and carry it" >&2
  exit 2
fi
find_nvcc
PY=$(command -v python3)
TORCH_BACKEND=$("$PY" -c 'import torch; print("cuda" if torch.version.cuda else "rocm" if torch.version.hip else "cpu")')
fresh_scratch gpu-community "$WORK"
mkdir "$WORK/pack" "$WORK/logs" "$WORK/results"
tar -xJf "$ARCHIVE" -C "$WORK/pack"
PACK=$WORK/pack
B2C=$PACK/build2cmake
KB=$PACK/kernel-builder
KERNELS_SRC=$PACK/kernels-v0.13.0
LOGS=$WORK/logs
[ -x "$KB" ] || KB=""
KERNELS=${KERNELS:-$(awk '{print $1}' "$PACK/kernels.txt")}

mode_of() { awk -v k="$1" '$1 == k {print $2}' "$PACK/kernels.txt"; }
cutlass_of() { awk -v k="$1" '$1 == k && $3 != "-" {print $3}' "$PACK/kernels.txt"; }
remaining() { echo $((DEADLINE - $(date +%s))); }

# record TOOL KERNEL STEP SECONDS STATUS DETAIL: one result row. STATUS is
# PASS or FAIL (an expectation) or INFO.
record() {
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "$6" >>"$WORK/results/$1.$2.tsv"
  printf '[%s %s] %s %s %ss %s\n' "$1" "$2" "$5" "$3" "$4" "$6"
}

# timed LOG CMD...: runs CMD with the time left (stopped at the deadline),
# output to LOG; sets SECS and RC (124: stopped).
timed() {
  local log=$1 left start
  shift
  left=$(remaining)
  if [ "$left" -le 5 ]; then SECS=0 RC=124; echo "not started: time limit" >"$log"; return; fi
  start=$(date +%s.%N)
  timeout -k 10 "$left" "$@" >"$log" 2>&1
  RC=$?
  SECS=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
}

python_name() { sed -n 's/^name *= *"\(.*\)".*/\1/p' "$1/build.toml" | head -n 1 | tr - _; }
repo_id() {
  local id
  id=$(sed -n 's/^repo-id *= *"\(.*\)".*/\1/p' "$1/build.toml" | head -n 1)
  echo "${id:-kernels-community/$(sed -n 's/^name *= *"\(.*\)".*/\1/p' "$1/build.toml" | head -n 1)}"
}

# run_tests TOOL KERNEL DIR VARIANT: the kernel's tests through `kernels`.
run_tests() {
  local tool=$1 k=$2 dir=$3 variant=$4 run=$WORK/run/$1-$2 py marker=() line
  if [ ! -d "$dir/tests" ]; then record "$tool" "$k" tests 0 INFO "no tests"; return; fi
  mkdir -p "$run/pythonpath"
  cp -r "$dir/tests" "$run/tests"
  # The pytest settings (kernels_ci marker) of the kernel folder.
  for f in pytest.ini pyproject.toml; do [ -f "$dir/$f" ] && cp "$dir/$f" "$run/"; done
  ln -s "$dir/build" "$run/build"
  py=$(python_name "$dir")
  ln -s "$variant" "$run/pythonpath/$py"
  if grep -rqs 'kernels_ci' "$dir/tests"; then marker=(-m kernels_ci); fi
  local left
  left=$(remaining)
  [ "$left" -gt "$TEST_TIMEOUT" ] && left=$TEST_TIMEOUT
  (
    cd "$run" || exit 1
    export PYTHONPATH=$run/pythonpath:$KERNELS_SRC${PYTHONPATH_EXTRA:+:$PYTHONPATH_EXTRA}
    export LOCAL_KERNELS="$(repo_id "$dir")=$run"
    DEADLINE=$(($(date +%s) + left)) timed "$LOGS/$tool.$k.pytest.log" \
      "$PY" -m pytest -q -p no:cacheprovider -o addopts= "${marker[@]}" tests
    line=$(grep -E '^(=+ )?[0-9]+ (passed|failed|error|skipped|deselected)|no tests ran|[0-9]+ errors? in ' "$LOGS/$tool.$k.pytest.log" | tail -n 1 | tr -d '=' | sed 's/^ *//; s/ *$//')
    case $RC in
    0) record "$tool" "$k" tests "$SECS" PASS "${marker[*]:+kernels_ci: }$line" ;;
    5) record "$tool" "$k" tests "$SECS" PASS "no test selected (${marker[*]:-all})" ;;
    124) record "$tool" "$k" tests "$SECS" FAIL "stopped after ${SECS}s: $line" ;;
    *) record "$tool" "$k" tests "$SECS" FAIL "${line:-exit $RC: $(grep -m1 -E 'Error|error' "$LOGS/$tool.$k.pytest.log" | cut -c1-160)}" ;;
    esac
  )
}

# all_archs TOOL KERNEL DIR: builds DIR with -DBUILD_ALL_SUPPORTED_ARCHS=ON
# and checks the SASS and PTX of its objects: with nvcc 13, today's
# defaults, 10.3 included (huggingface/kernels #783).
all_archs() {
  local tool=$1 k=$2 dir=$3 obj line nvcc_version want_sass want_ptx
  nvcc_version=$(nvcc --version | sed -n 's/.*release \([0-9]*\.[0-9]*\).*/\1/p')
  if [ "${nvcc_version%%.*}" -lt 13 ]; then
    record "$tool" "$k" all-archs 0 INFO "nvcc $nvcc_version: the nvcc 13 defaults cannot be checked"
    return
  fi
  want_sass=75,80,86,87,89,90,100,103,110,120,121 want_ptx=121
  timed "$LOGS/$tool.$k.configure-all-archs.log" cmake -S "$dir" -B "$dir/cmake-build-all" -G Ninja \
    -DPython3_EXECUTABLE="$PY" -DBUILD_ALL_SUPPORTED_ARCHS=ON -DNVCC_THREADS=11
  if [ "$RC" -ne 0 ]; then record "$tool" "$k" all-archs "$SECS" FAIL "configure: exit $RC"; return; fi
  timed "$LOGS/$tool.$k.build-all-archs.log" cmake --build "$dir/cmake-build-all" -j "$JOBS"
  if [ "$RC" -ne 0 ]; then record "$tool" "$k" all-archs "$SECS" FAIL "build: exit $RC"; return; fi
  while read -r obj; do
    if line=$("$PY" "$REPO/scripts/cuobjdump-check.py" --sass "$want_sass" --ptx "$want_ptx" "$obj"); then
      record "$tool" "$k" all-archs "$SECS" PASS "$(basename "$obj"): ${line#*: }"
    else
      record "$tool" "$k" all-archs "$SECS" FAIL "$(basename "$obj"): ${line#*: } (want sass=$want_sass ptx=$want_ptx)"
    fi
  done < <(find "$dir/cmake-build-all" -name '*.cu.o' -not -path '*/_deps/*')
}

# pipeline TOOL KERNEL: every step of the kernel's mode with one tool.
pipeline() {
  local tool=$1 k=$2 mode dir cutlass env=() variant archs n total
  mode=$(mode_of "$k")
  dir=$WORK/$tool/$k
  local gen=("$B2C")
  # Today's tool with the shared libraries packed beside it.
  [ "$tool" = today ] && gen=(env LD_LIBRARY_PATH="$PACK/lib" "$KB")
  cp -r "$PACK/kernels-community/$k" "$dir"
  timed "$LOGS/$tool.$k.create-pyproject.log" "${gen[@]}" create-pyproject --unique-id gpu0001 "$dir"
  if [ "$RC" -ne 0 ]; then
    record "$tool" "$k" create-pyproject "$SECS" FAIL "exit $RC: $(tail -n 1 "$LOGS/$tool.$k.create-pyproject.log")"
    return
  fi

  if [ "$mode" = noarch ]; then
    timed "$LOGS/$tool.$k.build_kernel.log" env -C "$dir" "$PY" setup.py build_kernel
    if [ "$RC" -ne 0 ]; then record "$tool" "$k" build_kernel "$SECS" FAIL "exit $RC"; return; fi
    variant=$dir/build/torch-$TORCH_BACKEND
    if [ -f "$variant/__init__.py" ]; then
      record "$tool" "$k" build_kernel "$SECS" PASS "$(cd "$dir/build" && ls -d torch-* | tr '\n' ' ')"
    elif ls -d "$dir"/build/torch-*/ >/dev/null 2>&1; then
      record "$tool" "$k" build_kernel "$SECS" PASS "$(cd "$dir/build" && ls -d torch-* | tr '\n' ' ')(none for this machine's $TORCH_BACKEND Torch: no tests)"
      return
    else
      record "$tool" "$k" build_kernel "$SECS" FAIL "no build/torch-*/"
      return
    fi
    run_tests "$tool" "$k" "$dir" "$variant"
    return
  fi

  cutlass=$(cutlass_of "$k")
  [ -n "$cutlass" ] && env=(CUTLASS_SRC_DIR="$PACK/cutlass/$cutlass")
  timed "$LOGS/$tool.$k.configure.log" env "${env[@]}" cmake -S "$dir" -B "$dir/cmake-build" -G Ninja \
    -DPython3_EXECUTABLE="$PY" -DNVCC_THREADS="$NVCC_THREADS"
  n=$(grep -c 'CMake Warning' "$LOGS/$tool.$k.configure.log")
  if [ "$mode" = reject ]; then
    if [ "$RC" -ne 0 ] && grep -qiE 'CUDA version .*(too new|is too old)|too new' "$LOGS/$tool.$k.configure.log"; then
      record "$tool" "$k" configure "$SECS" PASS "stopped on the CUDA version: $(grep -m1 -iE 'too new' "$LOGS/$tool.$k.configure.log" | sed 's/^ *//')"
    else
      record "$tool" "$k" configure "$SECS" FAIL "exit $RC; want a stop on the CUDA version"
    fi
    return
  fi
  if [ "$RC" -ne 0 ]; then
    record "$tool" "$k" configure "$SECS" FAIL "exit $RC: $(grep -m1 -A2 'CMake Error' "$LOGS/$tool.$k.configure.log" | tr '\n' ' ' | cut -c1-200)"
    return
  fi
  record "$tool" "$k" configure "$SECS" PASS "$n CMake warnings"
  if [ "$tool" = ours ]; then
    grep -E 'Kernel .*: CUDA capabilities built:' "$LOGS/$tool.$k.configure.log" | sed 's/^-- //' >"$WORK/results/$k.archs.txt"
  else
    grep -E 'CUDA kernel: .*capabilities:' "$LOGS/$tool.$k.configure.log" | sed 's/^-- //' >"$WORK/results/$k.archs-today.txt"
  fi
  if [ "$mode" = configure ]; then return; fi
  if [ "$mode" = allarchs ]; then
    all_archs "$tool" "$k" "$dir"
    return
  fi
  if [ "$tool" = today ] && [ "$TODAY_BUILD" != all ] && [[ " $TODAY_BUILD " != *" $k "* ]]; then return; fi

  timed "$LOGS/$tool.$k.local_install.log" cmake --build "$dir/cmake-build" --target local_install -j "$JOBS" -- -l $((NPROC + 2))
  if [ "$RC" -ne 0 ]; then
    total=$(ninja -C "$dir/cmake-build" -t commands local_install 2>/dev/null | grep -c -E ' -c ')
    n=$(find "$dir/cmake-build" -name '*.o' | wc -l)
    if [ "$RC" -eq 124 ]; then
      record "$tool" "$k" local_install "$SECS" FAIL "stopped at the time limit: $n of $total objects compiled"
    else
      record "$tool" "$k" local_install "$SECS" FAIL "exit $RC ($n of $total objects): $(grep -m1 -E 'error|FAILED' "$LOGS/$tool.$k.local_install.log" | cut -c1-200)"
    fi
    return
  fi
  variant=$(find "$dir/build" -mindepth 1 -maxdepth 1 -type d -name 'torch*' | head -n 1)
  archs=$("$PY" -c 'import json, sys; print(",".join(json.load(open(sys.argv[1]))["backend"].get("archs") or []))' "$variant/metadata.json" 2>&1)
  record "$tool" "$k" local_install "$SECS" PASS "$(basename "$variant") archs=$archs"
  timed "$LOGS/$tool.$k.local_install-again.log" cmake --build "$dir/cmake-build" --target local_install
  record "$tool" "$k" local_install-again "$SECS" INFO "exit $RC"
  run_tests "$tool" "$k" "$dir" "$variant"
}

echo "== gpu-community: machine"
{
  nvidia-smi -L 2>&1 | head -n 2
  nvcc --version 2>&1 | tail -n 1
  cmake --version | head -n 1
  "$PY" -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, "capability", "%d.%d" % torch.cuda.get_device_capability())'
  PYTHONPATH=$KERNELS_SRC${PYTHONPATH_EXTRA:+:$PYTHONPATH_EXTRA} "$PY" -c 'import kernels; print("kernels", kernels.__version__)' 2>&1 | tail -n 1
  for m in triton einops numpy pytest setuptools; do
    "$PY" -c "import $m; print('$m', getattr($m, '__version__', '?'))" 2>&1 | tail -n 1
  done
  echo "build2cmake: $("$B2C" --version 2>&1)"
  echo "kernel-builder: ${KB:+$(LD_LIBRARY_PATH=$PACK/lib "$KB" --version 2>&1)}"
  echo "kernels-community: $(awk '{print $1}' "$PACK/kernels.txt" | tr '\n' ' ')"
} | tee "$WORK/machine.txt" | sed 's/^/  /'

# Every kernel with build2cmake first, in the order of KERNELS (put the
# longest builds first), then with today's tool; PARALLEL at a time.
mkdir -p "$WORK/ours" "$WORK/today" "$WORK/run"
queue=()
for k in $KERNELS; do
  if [ -z "$(mode_of "$k")" ]; then echo "gpu-community: $k is not in the packed list" >&2; continue; fi
  queue+=("ours $k")
done
if [ -n "$KB" ]; then
  for k in ${TODAY_KERNELS-$KERNELS}; do
    case $(mode_of "$k") in "" | allarchs) ;; *) queue+=("today $k") ;; esac
  done
fi
for job in "${queue[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$PARALLEL" ]; do wait -n; done
  # shellcheck disable=SC2086 # "tool kernel"
  pipeline $job &
done
wait

# The summary: one row per kernel and tool.
summary=$WORK/community-summary.md
cat "$WORK"/results/*.tsv 2>/dev/null | sort >"$WORK/community-results.tsv"
{
  echo "# gpu-community: $(($(date +%s) - START)) s, TIME_LIMIT $TIME_LIMIT"
  echo
  sed 's/^/    /' "$WORK/machine.txt"
  echo
  echo "| kernel | tool | configure s | build s | variant, archs | tests |"
  echo "|---|---|---|---|---|---|"
  for k in $(printf '%s\n' $KERNELS ${TODAY_KERNELS-} | awk '!seen[$0]++'); do
    for tool in ours today; do
      f=$WORK/results/$tool.$k.tsv
      [ -f "$f" ] || continue
      cell() { awk -F'\t' -v s="$1" -v f="$2" '$3 == s {print (f == "secs" ? $4 : $5 ": " $6)}' "$f" | head -n 1; }
      gen=$(awk -F'\t' '$3 == "create-pyproject" {print $5 ": " $6}' "$f")
      printf '| %s (%s) | %s | %s | %s | %s | %s |\n' "$k" "$(mode_of "$k")" "$tool${gen:+ ($gen)}" \
        "$(cell configure secs) $(cell configure detail)" "$(cell local_install secs)$(cell build_kernel secs)$(cell all-archs secs)" \
        "$(cell local_install detail)$(cell build_kernel detail)$(cell all-archs detail)" "$(cell tests detail)"
    done
  done
  echo
  echo "## Capabilities built (build2cmake's report; today's tool's after it)"
  for k in $(printf '%s\n' $KERNELS ${TODAY_KERNELS-} | awk '!seen[$0]++'); do
    [ -s "$WORK/results/$k.archs.txt" ] && sed "s/^/    /" "$WORK/results/$k.archs.txt"
    [ -s "$WORK/results/$k.archs-today.txt" ] && sed "s/^/    today: /" "$WORK/results/$k.archs-today.txt"
  done
  echo
  echo "$(grep -c $'\tPASS\t' "$WORK/community-results.tsv") passed, $(grep -c $'\tFAIL\t' "$WORK/community-results.tsv") failed"
} >"$summary"
cat "$summary"
if [ -n "${OUT:-}" ]; then
  mkdir -p "$OUT"
  cp "$summary" "$WORK/community-results.tsv" "$OUT/"
  tar -C "$WORK" -czf "$OUT/community-logs.tar.gz" logs machine.txt results
fi
! grep -q $'\tFAIL\t' "$WORK/community-results.tsv"
