# Counts Python processes that import torch. Put this folder on PYTHONPATH
# and name a log file in TORCH_IMPORT_LOG: every process that imports torch
# appends its pid once. Used by the configure tests (one torch import per
# CMake configure: docs/design.md, "Python is asked once") and by
# scripts/bench-devloop.py.
import os
import sys


def _log_torch_import(event, args, seen=[]):
    if event == "import" and args[0] == "torch" and not seen:
        seen.append(True)
        with open(os.environ["TORCH_IMPORT_LOG"], "a") as log:
            log.write("%d\n" % os.getpid())


sys.addaudithook(_log_torch_import)
