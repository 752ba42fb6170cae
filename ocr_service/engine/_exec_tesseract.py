"""Thin wrapper around Tesseract (OCRmyPDF's ``_exec`` style): read an image, parse the TSV.

Tesseract runs in this process through ``tesserocr`` (libtesseract, the model loaded once)
when that is installed, else as the ``tesseract`` binary, one process per image. The
binary pays for a process start, the ``vie`` model load and a PNG round trip on every
page: 0.45 s a page against 0.35 s in process, the same words, on 12 generated pages.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import threading
from dataclasses import dataclass
from functools import cache
from typing import Any

import cv2
import numpy as np

from core.errors import OcrEngineError

__all__ = ["TsvWord", "available", "has_language", "image_to_words", "tessdata_dir"]

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


@cache
def _list_langs() -> str:
    """What ``tesseract --list-langs`` prints: the model folder, then one language a line.
    Asked once per process (every recognizer lookup asks whether ``vie`` is there)."""
    out = subprocess.run([_BINARY, "--list-langs"], capture_output=True, text=True, check=False)
    return out.stdout + out.stderr


def has_language(lang: str) -> bool:
    return available() and lang in _list_langs().split()


def tessdata_dir() -> str | None:
    """Where the installed ``tesseract`` keeps its models (the in-process reader uses them)."""
    if not available():
        return None
    m = re.search(r'"([^"]+)"', _list_langs())
    return m.group(1) if m else None


_APIS: dict[tuple[str, int, str], tuple[Any, threading.Lock]] = {}
_APIS_LOCK = threading.Lock()


def _in_process(lang: str, psm: int, whitelist: str = "") -> tuple[Any, threading.Lock] | None:
    """One libtesseract handle per (language, page mode, character whitelist) and process,
    with its lock (a handle reads one image at a time); None without ``tesserocr`` or the
    model files."""
    try:
        import tesserocr
    except ImportError:
        return None
    path = tessdata_dir()
    if path is None:
        return None
    with _APIS_LOCK:
        if (lang, psm, whitelist) not in _APIS:
            api = tesserocr.PyTessBaseAPI(path=path, lang=lang, psm=psm)
            if whitelist:
                api.SetVariable("tessedit_char_whitelist", whitelist)
            _APIS[lang, psm, whitelist] = (api, threading.Lock())
        return _APIS[lang, psm, whitelist]


def image_to_words(
    image: np.ndarray,
    *,
    lang: str = "vie",
    psm: int = 6,
    dpi: int = 300,
    timeout: float = 120,
    whitelist: str = "",
) -> list[TsvWord]:
    """Tesseract's words on a greyscale image, of the ``whitelist`` characters only when one
    is given; ``timeout`` applies to the binary only."""
    gray = image.ndim == 2 and image.dtype == np.uint8
    reader = _in_process(lang, psm, whitelist) if gray else None
    if reader is None:
        return _parse_tsv(
            _run_binary(image, lang=lang, psm=psm, dpi=dpi, timeout=timeout, whitelist=whitelist)
        )
    api, lock = reader
    h, w = image.shape
    with lock:
        try:
            api.SetImageBytes(np.ascontiguousarray(image).tobytes(), w, h, 1, w)
            api.SetSourceResolution(dpi)
            if not api.Recognize():
                raise OcrEngineError("tesseract could not read the page.")
            return _iterate_words(api)
        except RuntimeError as exc:
            raise OcrEngineError(f"tesseract failed: {exc}") from exc


def _iterate_words(api: Any) -> list[TsvWord]:
    """The words of the image ``api`` just recognized, as its TSV gives them, walked with
    the result iterator instead of asking for the TSV text.

    ``GetTSVText`` asks at every word whether it opens a paragraph, and libtesseract
    answers by walking the page from its first word: quadratic in the words of a block,
    and a stacked sheet of lines is one block (0.046 CPU-s of a 40-line letter page's
    0.6 s in Tesseract). Numbered here as the TSV numbers them (a block, paragraph or line
    counted where a word opens one), the confidence rounded to the TSV's six decimals."""
    from tesserocr import RIL, iterate_level

    words = []
    block = par = line = 0
    for r in iterate_level(api.GetIterator(), RIL.WORD):
        if r.Empty(RIL.WORD):
            continue
        if r.IsAtBeginningOf(RIL.BLOCK):
            block, par, line = block + 1, 0, 0
        if r.IsAtBeginningOf(RIL.PARA):
            par, line = par + 1, 0
        if r.IsAtBeginningOf(RIL.TEXTLINE):
            line += 1
        text = r.GetUTF8Text(RIL.WORD)
        if not text or not text.strip():
            continue
        x0, y0, x1, y1 = r.BoundingBox(RIL.WORD)
        words.append(
            TsvWord(
                text=text,
                left=x0,
                top=y0,
                width=x1 - x0,
                height=y1 - y0,
                confidence=float(f"{r.Confidence(RIL.WORD):.6f}"),
                block=block,
                par=par,
                line=line,
            )
        )
    return words


def _run_binary(
    image: np.ndarray, *, lang: str, psm: int, dpi: int, timeout: float, whitelist: str = ""
) -> str:
    """The binary's TSV for an image given on stdin."""
    ok, png = cv2.imencode(".png", image)
    if not ok:
        raise OcrEngineError("Could not encode the page for tesseract.")
    cmd = [_BINARY, "stdin", "stdout", "-l", lang, "--psm", str(psm), "--dpi", str(dpi)]
    if whitelist:
        cmd += ["-c", f"tessedit_char_whitelist={whitelist}"]
    cmd.append("tsv")
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
    return proc.stdout.decode("utf-8", errors="replace")


def _parse_tsv(tsv: str) -> list[TsvWord]:
    """The word rows (level 5) of Tesseract's TSV, with or without its header row."""
    words = []
    for row in tsv.splitlines():
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
