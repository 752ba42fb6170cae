"""sohoa: OCR that reads Vietnamese, and the service that registers digitized dossiers."""

import os as _os

# One OpenMP thread per process, set before any library loads libgomp (which reads it
# only then): libtesseract, read in process, otherwise runs each line on four spinning
# threads, 2.0 s of CPU a page instead of 0.35 s. Workers scale by processes, one a core.
_os.environ.setdefault("OMP_THREAD_LIMIT", "1")

__version__ = "0.1.0"
