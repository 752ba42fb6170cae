"""The OCR engine: text-line detection, line recognition (pluggable) and reading order.

``get_engine(settings)`` loads the models once per process and returns the same engine
on every call with the same recognizer.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from core.records import OcrLine
from core.settings import Settings
from ocr_service.engine.base import Recognition, Recognizer, WordReader
from ocr_service.engine.colour import (
    colour_ink_share,
    colour_regions,
    is_colour_line,
    neutral_view,
)
from ocr_service.engine.crops import (
    clean_line,
    clean_line_at,
    crop_quad,
    is_dot_row,
    pad_quad,
    split_at_column,
    split_point,
    split_wide_gaps,
)
from ocr_service.engine.detection import TextDetector
from ocr_service.engine.orientation import LineOrientationClassifier
from ocr_service.engine.reading_order import column_edges, reading_order
from ocr_service.engine.registry import (
    available_recognizers,
    create_recognizer,
    create_second_reader,
    register,
)
from ocr_service.engine.scribble_filter import is_scribble
from ocr_service.engine.text_fixes import tidy_line
from ocr_service.engine.vote import PAD_BOTTOM, PAD_TOP, vote_readings
from ocr_service.engine.word_vote import revise_doubtful_words

__all__ = [
    "OcrEngine",
    "Recognition",
    "Recognizer",
    "WordReader",
    "available_recognizers",
    "create_recognizer",
    "get_engine",
    "register",
]


def _order_corners(quad: np.ndarray) -> np.ndarray:
    """Clockwise from top-left."""
    q = np.asarray(quad, dtype=np.float32).reshape(4, 2)
    s = q.sum(axis=1)
    d = np.diff(q, axis=1).ravel()
    return np.array([q[s.argmin()], q[d.argmin()], q[s.argmax()], q[d.argmax()]], dtype=np.float32)


_COLOUR_PAGE = 0.03  # share of coloured ink above which a page has seals/signatures
_MIN_COLOUR_LINE_CONFIDENCE = 0.9


def _overlap(a: np.ndarray, b: np.ndarray) -> float:
    """Intersection of the two quads' bounding boxes over the area of ``a``'s."""
    ax0, ay0 = a.min(axis=0)
    ax1, ay1 = a.max(axis=0)
    bx0, by0 = b.min(axis=0)
    bx1, by1 = b.max(axis=0)
    iw = max(0.0, min(ax1, bx1) - max(ax0, bx0))
    ih = max(0.0, min(ay1, by1) - max(ay0, by0))
    area = max((ax1 - ax0) * (ay1 - ay0), 1e-6)
    return float(iw * ih / area)


# The national motto heads the right block of every administrative document; when the
# detector runs it together with the agency name on the left, split it off.
_MOTTO = re.compile(
    r"^(?P<left>.*\S)\s+(?P<right>(?:C[ỘÔO]NG\s+H[OÒ][AÀ]?\s+X[ÃA]\s+H[ỘÔOỒ]I|Độc\s+lập\s*-\s*Tự\s+do).*)$",
    re.IGNORECASE,
)


def _split_motto(crop: np.ndarray, quad: np.ndarray, text: str) -> list[tuple[np.ndarray, str]]:
    m = _MOTTO.match(text)
    if m is None or len(m.group("left")) < 3:
        return [(quad, text)]
    left, right = m.group("left"), m.group("right")
    w = crop.shape[1]
    x = split_point(crop, len(left) / (len(left) + len(right) + 1))
    q = np.asarray(quad, np.float32)
    t = x / max(w, 1)
    top, bot = q[0] + (q[1] - q[0]) * t, q[3] + (q[2] - q[3]) * t
    return [
        (np.array([q[0], top, bot, q[3]], np.float32), left),
        (np.array([top, q[1], q[2], bot], np.float32), right),
    ]


@dataclass
class OcrEngine:
    """Detector + recognizer + line orientation classifier, loaded once."""

    detector: TextDetector
    recognizer: Recognizer
    orientation: LineOrientationClassifier
    # the second opinion on tone marks (the registry's second reader): re-reads the doubtful
    # words of a recognizer that reads words (a WordReader, engine.word_vote), or breaks the
    # ties between two readings of each line of any other (engine.vote)
    second_reader: Recognizer | None = None
    # each line's box grown by this share of its height above and below before it is read
    line_pad: float = 0.0

    def detect(self, image: np.ndarray) -> list[np.ndarray]:
        """Text-line quads. On pages with seals or signatures, lines are found on a view
        with the coloured ink faded (so a seal does not break a printed line apart), plus
        the lines printed only in colour, looked for only where there is coloured ink."""
        small = cv2.resize(image, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
        if colour_ink_share(small) < _COLOUR_PAGE:
            return [_order_corners(q) for q in self.detector.detect(image)]
        neutral = [_order_corners(q) for q in self.detector.detect(neutral_view(image))]
        # Regions are read at full resolution. Shrunk to the page's detection scale (0.03 s
        # instead of 0.18 s a seal) or to twice it, the same lines were found but in boxes
        # tighter (a diploma title 110 px high, not 129), and a red title read from them fell below
        # the confidence a coloured line needs (a diploma's degree lost on 2 of 20).
        coloured: list[np.ndarray] = []
        for x0, y0, x1, y1 in colour_regions(small, 4.0, image.shape[:2]):
            found = self.detector.detect(np.ascontiguousarray(image[y0:y1, x0:x1]))
            shift = np.array([x0, y0], dtype=np.float32)
            coloured += [_order_corners(q) + shift for q in found]
        return neutral + [q for q in coloured if not any(_overlap(q, n) > 0.3 for n in neutral)]

    def read(self, image: np.ndarray, quads: list[np.ndarray] | None = None) -> list[OcrLine]:
        """OCR one upright BGR page: lines in reading order, boxes in this image's pixels."""
        if quads is None:
            quads = self.detect(image)
        if not quads:
            return []
        if self.line_pad:
            quads = [pad_quad(q, self.line_pad, self.line_pad) for q in quads]
        # a line that is not split keeps its first crop (one perspective warp per line)
        split: list[np.ndarray] = []
        raw: list[np.ndarray] = []
        edges = column_edges(quads)
        for k, q in enumerate(quads):
            crop = crop_quad(image, q)
            parts = split_at_column(crop, q, edges[k]) if k in edges else [q]
            if len(parts) == 1:
                parts = split_wide_gaps(crop, q)
            if len(parts) == 1 and parts[0] is q:
                split.append(q)
                raw.append(crop)
            else:
                split.extend(parts)
                raw.extend(crop_quad(image, part) for part in parts)
        # a row of dots alone (a dotted rule, a leader boxed apart) has nothing to read
        rows = [(q, c) for q, c in zip(split, raw, strict=True) if not is_dot_row(c)]
        if not rows:
            return []
        quads = [q for q, _ in rows]
        raw = [c for _, c in rows]
        cleaned = [clean_line_at(c) for c in raw]
        crops = [c for c, _ in cleaned]
        if self.second_reader is not None and isinstance(self.recognizer, WordReader):
            words = self.recognizer.read_words(crops)
            offsets = [x for _, x in cleaned]
            recs = revise_doubtful_words(
                image, quads, raw, offsets, words, self.second_reader, clean_line
            )
        else:
            recs = self.recognizer.recognize(crops)
            if self.second_reader is not None:
                padded = [crop_quad(image, q, pad=PAD_TOP, pad_bottom=PAD_BOTTOM) for q in quads]
                recs = vote_readings(
                    recs, padded, self.recognizer, self.second_reader, clean_line, raw
                )
        found: list[tuple[np.ndarray, str, float]] = []
        for q, c, r in zip(quads, raw, recs, strict=True):
            text = tidy_line(r.text)
            if not text:
                continue
            # seal ring text and signatures read as junk; coloured titles read confidently
            if r.confidence < _MIN_COLOUR_LINE_CONFIDENCE and is_colour_line(c):
                continue
            if is_scribble(text, r.confidence, c):  # a signature in dark ink
                continue
            for part_q, part_text in _split_motto(c, q, text):
                found.append((part_q, part_text, float(r.confidence)))
        order = reading_order([f[0] for f in found], float(image.shape[1]))
        lines = []
        for i in order:
            q, text, conf = found[i]
            box = tuple((float(x), float(y)) for x, y in q)
            lines.append(OcrLine(text=text, box=box, confidence=conf))  # type: ignore[arg-type]
        return lines


# The int8 detector's boxes jitter: 5% of them are at least 10% shorter than the fp32
# detector's, enough to cut off the dot below a line ("Mạnh" read "Manh"; fields 1396/1444
# against 1416). Grown by 6% of their height above and below: 1418/1444 (README).
INT8_LINE_PAD = 0.06

_ENGINES: dict[tuple[str, int, int, str, bool], OcrEngine] = {}
_LOCK = threading.Lock()


def get_engine(settings: Settings, recognizer: str | None = None) -> OcrEngine:
    """The process-wide engine for ``settings.recognizer`` (or ``recognizer``), built once."""
    name = recognizer or settings.recognizer
    det_limit = settings.ocr_det_limit
    key = (name, settings.ocr_threads, det_limit, settings.ocr_det_weights, settings.ocr_tone_vote)
    with _LOCK:
        engine = _ENGINES.get(key)
        if engine is None:
            cache = Path(settings.data_dir) / "models"
            engine = OcrEngine(
                detector=TextDetector(
                    cache,
                    limit_side_len=det_limit,
                    threads=settings.ocr_threads,
                    precision=settings.ocr_det_weights,
                ),
                recognizer=create_recognizer(name, settings),
                orientation=LineOrientationClassifier(threads=settings.ocr_threads),
                second_reader=create_second_reader(name, settings),
                line_pad=INT8_LINE_PAD if settings.ocr_det_weights == "int8" else 0.0,
            )
            _ENGINES[key] = engine
        return engine
