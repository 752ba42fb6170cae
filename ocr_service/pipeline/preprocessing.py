"""Stage 2, preprocess: a page image made ready to read, upright, level and at a size for text.

The page or card is found and its perspective undone, noise removed, the page turned upright
(a quarter turn from the lines' direction, a half turn from the line orientation classifier),
levelled and scaled so that its text lines are the height the recognizers read best. Turning
and levelling need the text lines, so this stage runs the detector and hands its boxes on.
The image operations are ``ocr_service.preprocess``'s; the models are the engine's.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import cv2
import numpy as np

from core.records import PageImage
from ocr_service import preprocess as pp
from ocr_service.engine import OcrEngine
from ocr_service.engine.crops import crop_quad

__all__ = ["PreparedPage", "preprocess_page"]

log = logging.getLogger(__name__)


@dataclass
class PreparedPage:
    """A page ready to read: the upright, cleaned image and the text-line boxes found on it
    (in its pixels), with what preprocessing did."""

    source: str
    page: int  # 1-based within the source file
    image: np.ndarray  # BGR uint8
    quads: list[np.ndarray]  # 4×2, clockwise from top-left
    rotation: int = 0  # degrees the page was turned (clockwise) to read it upright
    dpi: float | None = None  # of ``image``, when known
    steps: list[str] = field(default_factory=list)  # what preprocessing did, for logs/debug


_MIN_SKEW = 0.4  # degrees; below this a line box already crops cleanly


def preprocess_page(page: PageImage, source: str, *, engine: OcrEngine) -> PreparedPage:
    """Preprocess one page image: crop, denoise, turn upright, deskew, rescale for text."""
    steps: list[str] = []
    image, scale = pp.limit_size(page.image)
    dpi = page.dpi * scale if page.dpi else None
    if scale != 1.0:
        steps.append(f"downscaled x{scale:.2f}")

    image, cropped = _crop_to_document(image, steps)
    dpi = None if cropped else dpi

    # Noise is filtered at the scale the text is read. An image smaller than the detector's
    # input is filtered last, after any enlargement for its small print: a 3-px median on a
    # 600-px card blurred its letters' diacritics away before they were enlarged.
    sigma = pp.estimate_noise(image)
    noisy = sigma >= pp.NOISE_SIGMA
    filter_last = noisy and max(image.shape[:2]) < engine.detector.limit_side_len
    if noisy and not filter_last:
        image = pp.denoise(image, sigma)
        steps.append(f"denoised (sigma {sigma:.1f})")

    rotation = 0
    if _sideways_page(engine, image):
        image = pp.rotate_quarter(image, 90)
        rotation = 90
    quads = engine.detect(image)
    region = _text_region(image, quads, engine.detector.limit_side_len)
    if region is not None:
        # A card or page taking a small part of a big photo: the detector saw its print
        # shrunk with the whole photo. Cropped to where the lines are, it is found again at
        # the size the detector reads best (and the card's own edges looked for in the crop).
        x0, y0, x1, y1 = region
        image = np.ascontiguousarray(image[y0:y1, x0:x1])
        steps.append("text region cropped")
        image, cropped = _crop_to_document(image, steps)
        dpi = None if cropped else dpi
        quads = engine.detect(image)
    if pp.is_rotated_quarter(quads):
        # not caught by the probe, or (rarely) a landscape page the probe turned wrongly.
        # Which way to turn is asked of the line classifier on the lying lines turned one
        # way, so that the lines are then found once, on the upright page: the detector
        # does not find the same boxes on upside-down print.
        turn = 270 if rotation else 90
        turned = pp.rotate_quads_quarter(quads, image.shape, turn)
        image = pp.rotate_quarter(image, turn)
        if _upside_down(engine, image, turned):
            image = pp.rotate_quarter(image, 180)
            turn = (turn + 180) % 360
        rotation = (rotation + turn) % 360
        quads = engine.detect(image)
    if quads and _upside_down(engine, image, quads):
        quads = pp.rotate_quads_180(quads, image.shape)
        image = pp.rotate_quarter(image, 180)
        rotation = (rotation + 180) % 360
    if rotation:
        steps.append(f"rotated {rotation}°")

    # A page enlarged for its small print is enlarged before it is levelled, one shrunk is
    # shrunk after: the rotation resamples the pixels, and at the smaller size it blurs
    # letters only a few pixels high.
    factor = pp.scale_for_text(pp.line_height(quads))
    if factor > 1:
        image = cv2.resize(image, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)
        quads = [q * factor for q in quads]
    angle = pp.skew_angle(quads)
    if abs(angle) >= _MIN_SKEW:
        m, _ = pp.rotation_matrix(image.shape, angle)
        image = pp.rotate_small(image, angle)
        quads = pp.transform_quads(quads, m)
        steps.append(f"deskewed {angle:.1f}°")

    if factor < 1:
        image = cv2.resize(image, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
        quads = [q * factor for q in quads]
    if filter_last:
        image = pp.denoise(image, sigma)
        steps.append(f"denoised (sigma {sigma:.1f})")
    if factor != 1.0:
        # The detector never upsamples: re-detecting pays only when the image was smaller
        # than the detector's input (a card photo), else the boxes just scale.
        small_input = max(image.shape[:2]) / factor < engine.detector.limit_side_len
        if factor > 1 and small_input:
            quads = engine.detect(image)
        dpi = dpi * factor if dpi else None
        steps.append(f"rescaled x{factor:.2f}")

    if steps:
        log.debug("%s p%d: %s", source, page.page, ", ".join(steps))
    return PreparedPage(
        source=source,
        page=page.page,
        image=image,
        quads=quads,
        rotation=rotation,
        dpi=dpi,
        steps=steps,
    )


def _crop_to_document(image: np.ndarray, steps: list[str]) -> tuple[np.ndarray, bool]:
    """The page or card photographed on a background, flattened; the image as it is when
    it is the page already. Also whether it was cropped."""
    quad = pp.find_document(image)
    if quad is None:
        return image, False
    steps.append("document cropped")
    return pp.warp_quad(image, quad), True


# A big photo whose lines all lie within a region this small (with its margin) shows a card
# or page far from the lens: at most this share of the photo's long side and of its area.
_REGION_SIDE = 0.6
_REGION_AREA = 0.3
_REGION_MARGIN = 0.1  # of the lines' extent's long side, on each side
_REGION_MIN_LINES = 3


def _text_region(
    image: np.ndarray, quads: list[np.ndarray], detector_side: int
) -> tuple[int, int, int, int] | None:
    """The box (x0, y0, x1, y1) around the text lines, with a margin, when the image is
    bigger than the detector's input and the lines fill only a small part of it; else None.
    Costs nothing more on a page whose lines spread over it."""
    h, w = image.shape[:2]
    if max(h, w) <= detector_side or len(quads) < _REGION_MIN_LINES:
        return None
    pts = np.concatenate([np.asarray(q, np.float32).reshape(-1, 2) for q in quads])
    (x0, y0), (x1, y1) = pts.min(axis=0), pts.max(axis=0)
    m = _REGION_MARGIN * max(x1 - x0, y1 - y0)
    x0, y0 = max(0, int(x0 - m)), max(0, int(y0 - m))
    x1, y1 = min(w, int(np.ceil(x1 + m))), min(h, int(np.ceil(y1 + m)))
    if max(x1 - x0, y1 - y0) > _REGION_SIDE * max(h, w):
        return None
    if (x1 - x0) * (y1 - y0) > _REGION_AREA * h * w:
        return None
    return x0, y0, x1, y1


# The longest lines vote on a half turn: the classifier sees real letters in a long line's
# middle (engine.orientation). A crop less than twice as wide as high (a word, a seal's
# ring) tells it little. Each line's answer is evidence, summed as log-odds: a line the
# classifier reads surely outweighs several it barely makes out (a small blurred card's).
# On 96 generated counter photos of cards, their voters' answers upright and turned, the
# mean of the probabilities called 14 of the 192 the wrong way, the log-odds 9.
_ORIENTATION_VOTERS = 12
_MIN_VOTER_ASPECT = 2
_SUREST = 1e-4  # a probability is taken no surer than this from 0 or 1


def _upside_down(engine: OcrEngine, image: np.ndarray, quads: list[np.ndarray]) -> bool:
    """Vote of the 0°/180° line classifier over the longest lines: more likely upside down
    than not, their log-odds summed."""
    longest = sorted(quads, key=lambda q: -float(np.linalg.norm(q[1] - q[0])))
    crops = [crop_quad(image, _middle(q)) for q in longest[:_ORIENTATION_VOTERS]]
    crops = [c for c in crops if c.shape[1] > _MIN_VOTER_ASPECT * c.shape[0]]
    if not crops:
        return False
    probs = np.clip(engine.orientation.upside_down_probability(crops), _SUREST, 1 - _SUREST)
    return float(np.sum(np.log(probs / (1 - probs)))) > 0


# The classifier looks at the middle four line heights of a long line
# (engine.orientation); a voter is cropped to its middle six, not end to end: the same
# letters for a fraction of the warping (a 300-dpi line is 40 heights long).
_VOTER_HEIGHTS = 6


def _middle(quad: np.ndarray) -> np.ndarray:
    """The middle ``_VOTER_HEIGHTS`` line heights of a long horizontal line's quad (the
    quad itself for a shorter or tall one)."""
    q = np.asarray(quad, dtype=np.float32)
    length = float(np.linalg.norm(q[1] - q[0]))
    height = float(np.linalg.norm(q[3] - q[0]))
    keep = _VOTER_HEIGHTS * height
    if height <= 0 or length <= keep:
        return q
    a, b = 0.5 - keep / length / 2, 0.5 + keep / length / 2
    top = [q[0] + a * (q[1] - q[0]), q[0] + b * (q[1] - q[0])]
    bottom = [q[3] + a * (q[2] - q[3]), q[3] + b * (q[2] - q[3])]
    return np.array([top[0], top[1], bottom[1], bottom[0]], dtype=np.float32)


# A4 on its side: landscape, with the sides of a sheet of A4 (a card, 85.6 × 54 mm, is wider)
_A4_SIDEWAYS = (1.3, 1.5)
_PROBE_SIDE = 640  # px, long side of the orientation probe


def _sideways_page(engine: OcrEngine, image: np.ndarray) -> bool:
    """Whether a big landscape image is an A4 page scanned on its side, asked of the
    detector at a quarter of its usual pixels (0.13 s, not 0.55 s): lying lines are still
    found. Without it a sideways page was detected in full twice, once only to learn it
    lay on its side; on the 38 such pages of the evaluation sets, the probe and the full
    detection agreed every time. Portrait pages and cards are not probed."""
    h, w = image.shape[:2]
    if w <= engine.detector.limit_side_len or not _A4_SIDEWAYS[0] <= w / h <= _A4_SIDEWAYS[1]:
        return False
    f = _PROBE_SIDE / w
    small = cv2.resize(image, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
    return pp.is_rotated_quarter(engine.detector.detect(small))
