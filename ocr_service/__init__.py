"""sohoa: OCR that reads Vietnamese, and the service that registers digitized dossiers."""

import os as _os
import sys as _sys
import warnings as _warnings
from pathlib import Path as _Path


def _openmp_loaded() -> bool:
    """Whether libgomp is already in this process: among its mapped files (Linux), else
    whether ``tesserocr``, the one module here that brings it, was imported."""
    try:
        with _Path("/proc/self/maps").open(encoding="utf-8", errors="replace") as maps:
            return any("libgomp" in line for line in maps)
    except OSError:
        return "tesserocr" in _sys.modules


# One OpenMP thread per process, set before any library loads libgomp (which reads it
# only then): libtesseract, read in process, otherwise runs each line on four spinning
# threads, 2.0 s of CPU a page instead of 0.35 s. Workers scale by processes, one a core.
# Every entry point (the CLI, the RQ jobs, the API, the benches) imports this package
# before ``tesserocr``; a process that loaded libgomp first (a script importing
# ``tesserocr`` before ``ocr_service``) is told, as the limit can no longer take effect.
if "OMP_THREAD_LIMIT" not in _os.environ and _openmp_loaded():
    _warnings.warn(
        "libgomp (OpenMP, loaded with tesserocr) was loaded before ocr_service set "
        "OMP_THREAD_LIMIT=1, so in-process Tesseract runs on several spinning threads "
        "(five to six times the CPU). Import ocr_service before tesserocr, or set "
        "OMP_THREAD_LIMIT=1 in the environment.",
        RuntimeWarning,
        stacklevel=2,
    )
_os.environ.setdefault("OMP_THREAD_LIMIT", "1")

__version__ = "0.1.0"
