#!/usr/bin/env bash
# Builds Apache TVM FFI from source and installs it, with the `kernels`
# loader and huggingface_hub, into a virtual environment that sees the base
# Python's packages (Torch): what the tvm-ffi tests build and load kernels
# with. Works offline, from the folder scripts/stage-sources.sh fills.
#
# Usage: scripts/install-tvm-ffi.sh [SOURCES]
#
#   SOURCES  default ${XDG_CACHE_HOME:-$HOME/.cache}/build2cmake/sources
#   PYTHON   the base Python (default /usr/bin/python3 where it exists,
#            else python3)
#   VENV     where the environment goes (default
#            ${XDG_CACHE_HOME:-$HOME/.cache}/build2cmake/tvm-ffi-venv);
#            the tests find it there, or through BUILD2CMAKE_TVM_FFI_PYTHON
#   TARGET   install into this folder (pip --target) instead of a virtual
#            environment; put it on PYTHONPATH (what the GPU script does)
#   JOBS     parallel compile jobs (default: the CPU count)
#
# The tvm-ffi wheel is built once per source revision, Python and platform
# and kept in ${XDG_CACHE_HOME:-$HOME/.cache}/build2cmake/wheels/<key>/, so
# running this again (a new VENV, a CI run) takes seconds. It needs CMake,
# Ninja, a C++ compiler, pip and venv for the base Python, and the Python
# packages scikit-build-core (0.10 or newer), setuptools-scm, setuptools,
# wheel, typing-extensions, and for kernels/huggingface_hub packaging, pyyaml,
# httpx, tqdm, filelock and fsspec; scripts/install-deps.sh installs them on
# Debian. Cython 3 and huggingface_hub 1.x are used from the base Python
# when it has them, else from SOURCES (Cython as pure Python);
# setuptools-scm only names the version, which is set without it.
set -euo pipefail

cache=${XDG_CACHE_HOME:-$HOME/.cache}/build2cmake
sources=${1:-$cache/sources}
venv=${VENV:-$cache/tvm-ffi-venv}
if [ -z "${PYTHON:-}" ]; then
  PYTHON=python3
  [ -x /usr/bin/python3 ] && PYTHON=/usr/bin/python3
fi
jobs=${JOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)}

if [ ! -f "$sources/REVISIONS" ]; then
  echo "install-tvm-ffi: $sources has no staged sources; run scripts/stage-sources.sh MIRROR_DIR first" >&2
  exit 1
fi
for d in tvm-ffi cython kernels huggingface_hub; do
  if [ ! -d "$sources/$d" ]; then
    echo "install-tvm-ffi: $sources/$d is missing; run scripts/stage-sources.sh again" >&2
    exit 1
  fi
done

# The version the tag names, for setuptools-scm, which finds no git here.
version=$(sed -n 's|^apache/tvm-ffi v\([0-9][^ ]*\) .*|\1|p' "$sources/REVISIONS")
if [ -z "$version" ]; then
  echo "install-tvm-ffi: $sources/REVISIONS names no apache/tvm-ffi release" >&2
  exit 1
fi
platform=$("$PYTHON" -c 'import sys, sysconfig; print(sysconfig.get_platform(), sys.implementation.cache_tag)')
key=$( (cat "$sources/REVISIONS"; echo "$platform") | sha256sum | cut -c1-16)
wheels=$cache/wheels/$key

if ! compgen -G "$wheels/apache_tvm_ffi-*.whl" >/dev/null; then
  echo "install-tvm-ffi: building tvm-ffi $version (once per revision, Python and platform)"
  work=$(mktemp -d "${TMPDIR:-/tmp}/tvm-ffi-build.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  cp -R "$sources/tvm-ffi" "$work/src"
  if "$PYTHON" -c 'import setuptools_scm' 2>/dev/null; then
    # setuptools-scm older than 8 (Debian bookworm has 7) does not know the
    # version_file key, and write_to, which it does know, says the same.
    sed -i.orig '/^version_file = /d' "$work/src/pyproject.toml"
  else
    # Without setuptools-scm the version is written where it would write it.
    sed -i.orig -e 's/^dynamic = \["version"\]$/version = "'"$version"'"/' \
      -e '/^metadata.version.provider = /d' "$work/src/pyproject.toml"
    printf '__version__ = "%s"\n__version_tuple__ = (%s)\n' "$version" "${version//./, }" \
      >"$work/src/python/tvm_ffi/_version.py"
  fi
  cython_path=""
  if ! "$PYTHON" -c 'import sys, Cython; sys.exit(int(Cython.__version__.split(".")[0]) < 3)' 2>/dev/null; then
    cython_path=$sources/cython
  fi
  # libbacktrace is a git submodule that is not staged; without it errors
  # still carry messages, only C++ frames are not symbolised.
  PYTHONPATH="$cython_path${PYTHONPATH:+:$PYTHONPATH}" \
    SETUPTOOLS_SCM_PRETEND_VERSION="$version" \
    CMAKE_BUILD_PARALLEL_LEVEL="$jobs" \
    "$PYTHON" -m pip wheel --no-build-isolation --no-deps --no-index -q \
    --wheel-dir "$work/wheels" \
    --config-settings=cmake.define.TVM_FFI_USE_LIBBACKTRACE=OFF \
    --config-settings=cmake.define.TVM_FFI_ATTACH_DEBUG_SYMBOLS=OFF \
    "$work/src"
  mkdir -p "$cache/wheels"
  rm -rf "$wheels.part"
  mv "$work/wheels" "$wheels.part"
  mv "$wheels.part" "$wheels"
fi
wheel=$(compgen -G "$wheels/apache_tvm_ffi-*.whl" | head -n1)

# huggingface_hub: the base Python's when kernels 0.13.0 accepts it.
packages=("$wheel" "$sources/kernels")
if ! "$PYTHON" -c '
import sys, huggingface_hub
major, minor = (int(p) for p in huggingface_hub.__version__.split(".")[:2])
sys.exit(not (major == 1 and minor >= 3))' 2>/dev/null; then
  packages+=("$sources/huggingface_hub")
fi

if [ -n "${TARGET:-}" ]; then
  rm -rf "$TARGET"
  "$PYTHON" -m pip install -q --no-deps --no-index --no-build-isolation --target "$TARGET" "${packages[@]}"
  python=$PYTHON
  export PYTHONPATH="$TARGET${PYTHONPATH:+:$PYTHONPATH}"
else
  stamp=$venv/.build2cmake-tvm-ffi
  want="$key $($PYTHON -c 'import sys; print(sys.executable, sys.version.split()[0])')"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    rm -rf "$venv"
    "$PYTHON" -m venv --system-site-packages "$venv"
    "$venv/bin/python" -m pip install -q --no-deps --no-index --no-build-isolation "${packages[@]}"
    echo "$want" >"$stamp"
  fi
  python=$venv/bin/python
fi

TVM_FFI_DISABLE_TORCH_C_DLPACK=1 "$python" -c '
import importlib.metadata as m
import kernels, tvm_ffi
print("install-tvm-ffi: tvm-ffi %s, kernels %s, huggingface_hub %s in %s" % (
    tvm_ffi.__version__, m.version("kernels"), m.version("huggingface_hub"),
    __import__("os").path.dirname(tvm_ffi.__path__[0])))'
