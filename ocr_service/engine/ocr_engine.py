"""The OCR engine: a page's text lines found (``detect``) and read (``read``), and the
process-wide engine built once from the settings (``get_engine``)."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from core.records import OcrLine
from core.settings import Settings
from ocr_service.engine.base import Recognizer
from ocr_service.engine.colour import (
    colour_ink_share,
    colour_regions,
    is_colour_line,
    neutral_view,
)
from ocr_service.engine.crops import clean_line_at, crop_quad
from ocr_service.engine.detection import TextDetector
from ocr_service.engine.lines import (
    LineCrop,
    cut_lines,
    grow_boxes,
    in_reading_order,
    is_kept_by_colour,
    recognize_lines,
    tidy_readings,
)
from ocr_service.engine.mrz_text import reread_zone
from ocr_service.engine.orientation import LineOrientationClassifier
from ocr_service.engine.registry import create_recognizer, create_second_reader

__all__ = ["INT8_LINE_PAD", "OcrEngine", "get_engine"]

# The page is looked at for coloured ink at a quarter of its size: seals and signatures are
# still hundreds of pixels there, at a sixteenth of the cost.
_COLOUR_PROBE_SCALE = 0.25
_COLOUR_PAGE = 0.03  # share of coloured ink above which a page has seals/signatures
# A line found in colour that lies this much (of its own box) over a line found on the
# faded page is that line again.
_SAME_LINE_OVERLAP = 0.3
# a faded-view line more than half inside a line found in colour may be its ghost
_GHOST_OVERLAP = 0.5


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
        the lines printed only in colour, looked for only where there is coloured ink; a
        page in colour all over is detected once, on the faded view."""
        f = _COLOUR_PROBE_SCALE
        small = cv2.resize(image, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
        if colour_ink_share(small) < _COLOUR_PAGE:
            return self._lines(image)
        h, w = image.shape[:2]
        regions = colour_regions(small, 1 / f, (h, w))
        if regions == [(0, 0, w, h)]:
            # Colour all over (a chip card's guilloche, a phone photo's tint): the region to
            # search in colour would be the whole page, a second full detection that found
            # the faded view's lines again (on the 6 such real photos, 143 of their 145 and
            # 5 lines more in all, which changed no field).
            return self._lines(neutral_view(image))
        neutral = self._lines(neutral_view(image))
        coloured = self._lines_in_colour(image, regions)
        neutral = self._without_ghosts(image, neutral, coloured)
        return neutral + [
            q for q in coloured if not any(_overlap(q, n) > _SAME_LINE_OVERLAP for n in neutral)
        ]

    def read(self, image: np.ndarray, quads: list[np.ndarray] | None = None) -> list[OcrLine]:
        """OCR one upright BGR page: lines in reading order, boxes in this image's pixels."""
        if quads is None:
            quads = self.detect(image)
        lines = cut_lines(image, grow_boxes(quads, self.line_pad))
        if not lines:
            return []
        readings = recognize_lines(image, lines, self.recognizer, self.second_reader)
        found = tidy_readings(lines, readings)
        return reread_zone(image, in_reading_order(found, float(image.shape[1])))

    def _without_ghosts(
        self, image: np.ndarray, neutral: list[np.ndarray], coloured: list[np.ndarray]
    ) -> list[np.ndarray]:
        """The faded-view lines less the ghosts of coloured print. A faded-view line whose
        own ink is coloured and lies more than half inside a line found in colour may be its
        ghost (a JPEG or WebP's coarse colour leaves a red title's edges dark in the
        brightest channel, and the ghost, a piece of the title, pushed the whole title out):
        it yields to that line when the coloured line's reading will be kept
        (``is_kept_by_colour``, the test ``tidy_readings`` applies on a page printed in
        black), and only then. Yielding to a coloured line read too doubtfully to keep lost
        the line itself (a card printed in colour, its lines found alike in both views). The
        contested coloured lines, a few on a page, are read here as ``read`` reads them, and
        read again there: the image ``read`` gets may be greyed by background removal."""
        ghost_of: dict[int, list[int]] = {}
        for i, n in enumerate(neutral):
            over = [j for j, q in enumerate(coloured) if _overlap(n, q) > _GHOST_OVERLAP]
            if over and is_colour_line(_box_crop(image, n)):
                ghost_of[i] = over
        if not ghost_of:
            return neutral
        contested = sorted({j for over in ghost_of.values() for j in over})
        kept = dict(
            zip(
                contested,
                self._kept_in_colour(image, [coloured[j] for j in contested]),
                strict=True,
            )
        )
        return [n for i, n in enumerate(neutral) if not any(kept[j] for j in ghost_of.get(i, []))]

    def _kept_in_colour(self, image: np.ndarray, quads: list[np.ndarray]) -> list[bool]:
        """Whether each line's reading passes ``is_kept_by_colour``, each read whole as
        ``read`` reads a line."""
        lines = []
        for q in grow_boxes(quads, self.line_pad):
            raw = crop_quad(image, q)
            clean, offset = clean_line_at(raw)
            lines.append(LineCrop(q, raw, clean, offset))
        readings = recognize_lines(image, lines, self.recognizer, self.second_reader)
        return [is_kept_by_colour(line.raw, r) for line, r in zip(lines, readings, strict=True)]

    def _lines(self, image: np.ndarray) -> list[np.ndarray]:
        return [_order_corners(q) for q in self.detector.detect(image)]

    def _lines_in_colour(
        self, image: np.ndarray, regions: list[tuple[int, int, int, int]]
    ) -> list[np.ndarray]:
        """The lines found in the regions of coloured ink (``colour_regions``), in ``image``
        coordinates."""
        # Regions are read at full resolution. Shrunk to the page's detection scale (0.03 s
        # instead of 0.18 s a seal) or to twice it, the same lines were found but in boxes
        # tighter (a diploma title 110 px high, not 129), and a red title read from them fell
        # below the confidence a coloured line needs (a diploma's degree lost on 2 of 20).
        coloured: list[np.ndarray] = []
        for x0, y0, x1, y1 in regions:
            found = self.detector.detect(np.ascontiguousarray(image[y0:y1, x0:x1]))
            shift = np.array([x0, y0], dtype=np.float32)
            coloured += [_order_corners(q) + shift for q in found]
        return coloured


def _order_corners(quad: np.ndarray) -> np.ndarray:
    """Clockwise from top-left."""
    q = np.asarray(quad, dtype=np.float32).reshape(4, 2)
    s = q.sum(axis=1)
    d = np.diff(q, axis=1).ravel()
    return np.array([q[s.argmin()], q[d.argmin()], q[s.argmax()], q[d.argmax()]], dtype=np.float32)


def _box_crop(image: np.ndarray, quad: np.ndarray) -> np.ndarray:
    """The part of ``image`` inside ``quad``'s bounding box."""
    x0, y0 = np.maximum(quad.min(axis=0).astype(int), 0)
    x1, y1 = quad.max(axis=0).astype(int)
    return image[y0 : y1 + 1, x0 : x1 + 1]


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
