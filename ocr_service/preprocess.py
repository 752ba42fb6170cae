"""Image clean-up before OCR, as plain functions on BGR ndarrays.

Each one does nothing to an image that does not need it, so clean flatbed scans pass
through untouched: finding a page/card photographed on a desk and flattening it,
quarter-turn orientation, small-angle deskew, denoising of noisy photos, and resolution
normalisation so text lines reach the recognizer at a useful size.
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

__all__ = [
    "MAX_LONG_SIDE",
    "NOISE_SIGMA",
    "denoise",
    "estimate_noise",
    "find_document",
    "is_rotated_quarter",
    "limit_size",
    "line_height",
    "rotate_quarter",
    "rotate_quads_180",
    "rotate_small",
    "rotation_matrix",
    "scale_for_text",
    "skew_angle",
    "transform_quads",
    "warp_quad",
]

MAX_LONG_SIDE = 4200  # ~A4 at 360 dpi; more only costs time
NOISE_SIGMA = 12.0  # estimated sensor noise above which a page is filtered
_MIN_LINE_HEIGHT = 22.0  # px; below this, characters lose their diacritics
_MAX_LINE_HEIGHT = 90.0


def limit_size(image: np.ndarray, max_long_side: int = MAX_LONG_SIDE) -> tuple[np.ndarray, float]:
    """Downscale huge images (a 48-MP phone photo) to ``max_long_side``; returns (image, scale)."""
    h, w = image.shape[:2]
    long_side = max(h, w)
    if long_side <= max_long_side:
        return image, 1.0
    s = max_long_side / long_side
    return cv2.resize(image, (round(w * s), round(h * s)), interpolation=cv2.INTER_AREA), s


# --- page / card on a background -------------------------------------------------------------


def _order(q: np.ndarray) -> np.ndarray:
    s = q.sum(axis=1)
    d = np.diff(q, axis=1).ravel()
    return np.array([q[s.argmin()], q[d.argmin()], q[s.argmax()], q[d.argmax()]], dtype=np.float32)


def find_document(
    image: np.ndarray, *, min_area: float = 0.12, max_area: float = 0.92
) -> np.ndarray | None:
    """Corners of a paper page or card photographed on a darker/textured background.

    Returns None when the image already is the page (a scan), i.e. when no convex
    quadrilateral covering ``min_area``..``max_area`` of the frame stands out.
    """
    h, w = image.shape[:2]
    s = 800.0 / max(h, w)
    small = cv2.resize(
        image, (max(1, round(w * s)), max(1, round(h * s))), interpolation=cv2.INTER_AREA
    )
    gray = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
    gray = cv2.GaussianBlur(gray, (5, 5), 0)
    area_total = float(small.shape[0] * small.shape[1])
    candidates: list[np.ndarray] = []
    # Two views: edges (a card on a busy desk) and a bright-region mask (white paper on wood).
    edges = cv2.Canny(gray, 40, 120)
    edges = cv2.dilate(edges, np.ones((5, 5), np.uint8))
    _, bright = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    bright = cv2.morphologyEx(bright, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
    for mask in (edges, bright):
        contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        for c in sorted(contours, key=cv2.contourArea, reverse=True)[:5]:
            hull = cv2.convexHull(c)
            area = cv2.contourArea(hull)
            if not min_area * area_total <= area <= max_area * area_total:
                continue
            peri = cv2.arcLength(hull, True)
            for eps in (0.02, 0.03, 0.05):
                approx = cv2.approxPolyDP(hull, eps * peri, True)
                if len(approx) == 4:
                    candidates.append(approx.reshape(4, 2).astype(np.float32))
                    break
    # A real page/card edge separates two different surfaces; a text block's outline on a
    # flatbed scan has the same paper on both sides.
    candidates = [q for q in candidates if _edge_contrast(small, q) >= _MIN_EDGE_CONTRAST]
    if not candidates:
        return None
    best = max(candidates, key=lambda q: cv2.contourArea(q))
    quad = _order(best) / s
    # A page edge that runs along the image border is a scan margin, not a photo: skip.
    x0, y0 = quad.min(axis=0)
    x1, y1 = quad.max(axis=0)
    if x0 < 0.01 * w and y0 < 0.01 * h and x1 > 0.99 * w and y1 > 0.99 * h:
        return None
    return quad


_MIN_EDGE_CONTRAST = 30.0


def _edge_contrast(image: np.ndarray, quad: np.ndarray) -> float:
    """Colour distance between the median of a thin band just inside ``quad`` and just
    outside it."""
    h, w = image.shape[:2]
    mask = np.zeros((h, w), np.uint8)
    cv2.fillConvexPoly(mask, quad.astype(np.int32), (255,))
    k = np.ones((9, 9), np.uint8)
    inside = cv2.subtract(mask, cv2.erode(mask, k))
    outside = cv2.subtract(cv2.dilate(mask, k), mask)
    if not inside.any() or not outside.any():
        return 0.0
    a = np.median(image[inside > 0].reshape(-1, image.shape[2] if image.ndim == 3 else 1), axis=0)
    b = np.median(image[outside > 0].reshape(-1, image.shape[2] if image.ndim == 3 else 1), axis=0)
    return float(np.linalg.norm(a.astype(np.float64) - b.astype(np.float64)))


# Paper and card shapes a counter sees (height / width): A4/A5 portrait and landscape,
# ID-1 cards (CCCD) landscape and portrait.
_KNOWN_RATIOS = (1.4142, 1 / 1.4142, 53.98 / 85.6, 85.6 / 53.98)


def warp_quad(image: np.ndarray, quad: np.ndarray) -> np.ndarray:
    """Flatten the quadrilateral ``quad`` (clockwise from top-left) to a rectangle.

    A photo taken at an angle foreshortens the page; when the measured shape is within
    12% of a known paper/card shape, that exact shape is used.
    """
    q = _order(np.asarray(quad, dtype=np.float32))
    w = int(round(max(np.linalg.norm(q[0] - q[1]), np.linalg.norm(q[3] - q[2]))))
    h = int(round(max(np.linalg.norm(q[0] - q[3]), np.linalg.norm(q[1] - q[2]))))
    ratio = h / max(w, 1)
    known = min(_KNOWN_RATIOS, key=lambda r: abs(np.log(ratio / r)))
    if abs(np.log(ratio / known)) < 0.12:
        # keep the larger side, set the other from the known ratio
        if h >= w:
            w = max(2, round(h / known))
        else:
            h = max(2, round(w * known))
    dst = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], dtype=np.float32)
    m = cv2.getPerspectiveTransform(q, dst)
    return cv2.warpPerspective(
        image, m, (w, h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE
    )


# --- orientation and skew, from detected text-line boxes -----------------------------------


def _edges(quads: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    q = np.asarray(quads, dtype=np.float32).reshape(-1, 4, 2)
    top = q[:, 1] - q[:, 0]
    side = q[:, 3] - q[:, 0]
    return np.linalg.norm(top, axis=1), np.linalg.norm(side, axis=1)


def is_rotated_quarter(quads: Sequence[np.ndarray]) -> bool:
    """True when most text-line boxes are tall and thin: the page lies on its side."""
    if not quads:
        return False
    widths, heights = _edges(quads)
    long_boxes = np.maximum(widths, heights) > 2.5 * np.minimum(widths, heights)
    if not long_boxes.any():
        return False
    tall = (heights > widths) & long_boxes
    # weight by box length: long lines are the most reliable evidence
    length = np.maximum(widths, heights)
    return float((length * tall).sum()) > 0.6 * float((length * long_boxes).sum())


def rotate_quarter(image: np.ndarray, degrees_clockwise: int) -> np.ndarray:
    """Rotate by 0/90/180/270 degrees clockwise (lossless)."""
    k = (degrees_clockwise // 90) % 4
    if k == 0:
        return image
    codes = {1: cv2.ROTATE_90_CLOCKWISE, 2: cv2.ROTATE_180, 3: cv2.ROTATE_90_COUNTERCLOCKWISE}
    return cv2.rotate(image, codes[k])


def skew_angle(quads: Sequence[np.ndarray]) -> float:
    """Median slope in degrees of the long horizontal text-line boxes (positive = lines run
    down to the right); pass it to ``rotate_small`` to level them. 0 without evidence."""
    if not quads:
        return 0.0
    q = np.asarray(quads, dtype=np.float32).reshape(-1, 4, 2)
    vec = q[:, 1] - q[:, 0]
    widths, heights = _edges(quads)
    keep = widths > 3 * np.maximum(heights, 1)
    if keep.sum() < 3:
        return 0.0
    angles = np.degrees(np.arctan2(vec[keep, 1], vec[keep, 0]))
    angles = angles[np.abs(angles) < 20]
    if angles.size < 3:
        return 0.0
    return float(np.median(angles))


def rotation_matrix(shape: tuple[int, ...], angle: float) -> tuple[np.ndarray, tuple[int, int]]:
    """The 2×3 affine map of ``rotate_small`` and the new (width, height)."""
    h, w = shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = int(h * sin + w * cos), int(h * cos + w * sin)
    m[0, 2] += nw / 2 - w / 2
    m[1, 2] += nh / 2 - h / 2
    return m, (nw, nh)


def rotate_small(image: np.ndarray, angle: float) -> np.ndarray:
    """Rotate by ``angle`` degrees counter-clockwise (OpenCV's convention), growing the
    canvas so no corner is cut; the new area is filled with the border colour.

    Bilinear, not bicubic: 0.06 s instead of 0.25 s CPU on a 300-dpi page, and the line
    crops are area-averaged down to the recognizer's 32 px afterwards anyway."""
    m, size = rotation_matrix(image.shape, angle)
    return cv2.warpAffine(image, m, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def transform_quads(quads: Sequence[np.ndarray], m: np.ndarray) -> list[np.ndarray]:
    """Apply a 2×3 affine map to text-line quads (so a rotated page need not be re-detected)."""
    return [
        cv2.transform(np.asarray(q, np.float32).reshape(-1, 1, 2), m).reshape(4, 2) for q in quads
    ]


def rotate_quads_180(quads: Sequence[np.ndarray], shape: tuple[int, ...]) -> list[np.ndarray]:
    """Quads of a page turned 180°, re-ordered clockwise from the new top-left."""
    h, w = shape[:2]
    out = []
    for q in quads:
        r = np.array([w - 1, h - 1], np.float32) - np.asarray(q, np.float32)
        out.append(r[[2, 3, 0, 1]])
    return out


# --- scale and noise -----------------------------------------------------------------------


def line_height(quads: Sequence[np.ndarray]) -> float | None:
    """Median height of the detected text lines (px), None without lines."""
    if not quads:
        return None
    widths, heights = _edges(quads)
    h = np.minimum(widths, heights)
    return float(np.median(h)) if h.size else None


def scale_for_text(height: float | None) -> float:
    """Factor that brings the median line height into the recognizer's comfortable range."""
    if not height or height <= 0:
        return 1.0
    if height < _MIN_LINE_HEIGHT:
        return min(3.0, _MIN_LINE_HEIGHT * 1.4 / height)
    if height > _MAX_LINE_HEIGHT:
        return max(0.25, _MAX_LINE_HEIGHT * 0.7 / height)
    return 1.0


def estimate_noise(image: np.ndarray) -> float:
    """Gaussian noise sigma estimate (Immerkær 1996) on the grey image."""
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
    h, w = gray.shape
    if h < 3 or w < 3:
        return 0.0
    kernel = np.array([[1, -2, 1], [-2, 4, -2], [1, -2, 1]], dtype=np.float32)
    conv = cv2.filter2D(gray.astype(np.float32), -1, kernel)
    return float(np.sqrt(np.pi / 2) * np.abs(conv[1:-1, 1:-1]).sum() / (6 * (w - 2) * (h - 2)))


def denoise(image: np.ndarray, sigma: float | None = None) -> np.ndarray:
    """Soften heavy sensor noise; images with moderate noise are returned unchanged.

    The detector downsamples and the recognizers resize lines with area averaging, which
    already removes moderate noise; measured, non-local means on a 300-dpi page cost
    seconds and lost faint lines, so only a light median filter is used, and only when
    the noise is heavy."""
    sigma = estimate_noise(image) if sigma is None else sigma
    if sigma < NOISE_SIGMA:
        return image
    return cv2.medianBlur(image, 3)
