#!/usr/bin/env bash
# Installs what the end-to-end CPU builds need on Debian bookworm:
# CMake >= 3.26 (bookworm-backports; bookworm's own 3.25 is too old),
# Debian's PyTorch (python3-torch, libtorch-dev), the Python build tools and
# ccache, through which the generated CMake compiles when it is on PATH.
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
  apt-get install -y -qq -t bookworm-backports cmake cmake-data >/dev/null
else
  apt-get install -y -qq cmake >/dev/null
fi
apt-get install -y -qq --no-install-recommends \
  ninja-build g++ ccache git python3-dev python3-venv python3-setuptools python3-wheel \
  python3-pytest python3-torch libtorch-dev >/dev/null

cmake --version | head -n1
/usr/bin/python3 -c 'import torch; print("torch", torch.__version__)'
