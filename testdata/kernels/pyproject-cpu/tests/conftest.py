"""Provides the kernel under test as the `kernel` fixture.

With KERNEL_REPO set, the kernel is loaded from KERNEL_REPO/build/<variant>/
by the rules of the kernels package (v0.13.0, get_local_kernel): the
variant of this Torch, ABI, backend, CPU and OS; its metadata.json; then
<variant>/__init__.py imported under a module name unique to its path.
Without it, the installed package (pip install -e .) is imported.
"""

import ctypes
import importlib.util
import json
import os
import platform
import sys
from pathlib import Path

import pytest
import torch


def variant_name() -> str:
    version = torch.__version__.split("+")[0].split(".")
    framework = f"torch{version[0]}{version[1]}"
    os_name = platform.system().lower()
    if os_name == "linux":
        framework += "-cxx11" if torch.compiled_with_cxx11_abi() else "-cxx98"
    cpu = platform.machine()
    if os_name == "darwin" and cpu == "arm64":
        cpu = "aarch64"
    return f"{framework}-cpu-{cpu}-{os_name}"


def import_variant(package: str, variant_path: Path):
    metadata = json.loads((variant_path / "metadata.json").read_text())
    init = variant_path / "__init__.py"
    if not init.exists():
        init = variant_path / package / "__init__.py"
    name = "{}_{:x}".format(package, ctypes.c_size_t(hash(init)).value)
    spec = importlib.util.spec_from_file_location(name, init)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module, metadata


@pytest.fixture(scope="session")
def loaded():
    repo = os.environ.get("KERNEL_REPO")
    if repo:
        return import_variant("scale_clamp", Path(repo) / "build" / variant_name())
    import scale_clamp

    return scale_clamp, None


@pytest.fixture(scope="session")
def kernel(loaded):
    return loaded[0]
