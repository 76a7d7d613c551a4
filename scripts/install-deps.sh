#!/usr/bin/env bash
# Installs what the end-to-end CPU builds need on Debian bookworm:
# CMake >= 3.26 (bookworm-backports; bookworm's own 3.25 is too old),
# Debian's PyTorch (python3-torch, libtorch-dev), the Python build tools and
# ccache, through which the generated CMake compiles when it is on PATH;
# then, when scripts/stage-sources.sh has staged their sources (SOURCES, by
# default ${XDG_CACHE_HOME:-$HOME/.cache}/build2cmake/sources), Apache TVM
# FFI and the kernels loader through scripts/install-tvm-ffi.sh.
# Run as root. Safe to run again.
set -euo pipefail

if ! command -v apt-get >/dev/null; then
  echo "install-deps: apt-get not found; install cmake>=3.26, ninja, torch and python3 dev tools by hand" >&2
  exit 1
fi

. /etc/os-release
if [ "${VERSION_CODENAME:-}" = bookworm ] && ! grep -rqs bookworm-backports /etc/apt/sources.list /etc/apt/sources.list.d/; then
  echo "deb http://deb.debian.org/debian bookworm-backports main" >/etc/apt/sources.list.d/bookworm-backports.list
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
if [ "${VERSION_CODENAME:-}" = bookworm ]; then
  apt-get install -y -qq -t bookworm-backports cmake cmake-data python3-scikit-build-core >/dev/null
else
  apt-get install -y -qq cmake python3-scikit-build-core >/dev/null
fi
# The second line: what building tvm-ffi (scikit-build-core above) and
# importing the kernels loader and huggingface_hub need.
apt-get install -y -qq --no-install-recommends \
  ninja-build g++ ccache git python3-dev python3-venv python3-setuptools python3-wheel \
  python3-pytest python3-torch libtorch-dev \
  python3-pip python3-setuptools-scm python3-typing-extensions python3-packaging \
  python3-yaml python3-httpx python3-tqdm python3-filelock python3-fsspec >/dev/null

cmake --version | head -n1
/usr/bin/python3 -c 'import torch; print("torch", torch.__version__)'

sources=${SOURCES:-${XDG_CACHE_HOME:-$HOME/.cache}/build2cmake/sources}
if [ -f "$sources/REVISIONS" ]; then
  "$(dirname "$0")/install-tvm-ffi.sh" "$sources"
else
  echo "install-deps: no staged sources in $sources, so tvm-ffi is not installed;" \
    "run scripts/stage-sources.sh MIRROR_DIR, then this script again (docs/testing.md)" >&2
fi
