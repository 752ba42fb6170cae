"""Thin wrapper around the ``tesseract`` binary (OCRmyPDF's ``_exec`` style): run, parse TSV."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass

import cv2
import numpy as np

from ocr_service.errors import OcrEngineError

__all__ = ["TsvWord", "available", "has_language", "image_to_words"]

_BINARY = "tesseract"


@dataclass(frozen=True)
class TsvWord:
    text: str
    left: int
    top: int
    width: int
    height: int
    confidence: float  # 0-100
    block: int
    par: int
    line: int


def available() -> bool:
    return shutil.which(_BINARY) is not None


def has_language(lang: str) -> bool:
    if not available():
        return False
    out = subprocess.run([_BINARY, "--list-langs"], capture_output=True, text=True, check=False)
    return lang in out.stdout.split()


def image_to_words(
    image: np.ndarray, *, lang: str = "vie", psm: int = 6, dpi: int = 300, timeout: float = 120
) -> list[TsvWord]:
    """Run tesseract on an image (stdin → TSV on stdout) and return its words."""
    ok, png = cv2.imencode(".png", image)
    if not ok:
        raise OcrEngineError("Could not encode the page for tesseract.")
    cmd = [_BINARY, "stdin", "stdout", "-l", lang, "--psm", str(psm), "--dpi", str(dpi), "tsv"]
    try:
        proc = subprocess.run(
            cmd,
            input=png.tobytes(),
            capture_output=True,
            timeout=timeout,
            check=False,
            env={"OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin:/usr/local/bin"},
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise OcrEngineError(f"tesseract failed: {exc}") from exc
    if proc.returncode != 0:
        raise OcrEngineError(f"tesseract failed: {proc.stderr.decode(errors='replace')[-300:]}")
    words = []
    for row in proc.stdout.decode("utf-8", errors="replace").splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
            continue
        words.append(
            TsvWord(
                text=cols[11],
                left=int(cols[6]),
                top=int(cols[7]),
                width=int(cols[8]),
                height=int(cols[9]),
                confidence=float(cols[10]),
                block=int(cols[2]),
                par=int(cols[3]),
                line=int(cols[4]),
            )
        )
    return words
