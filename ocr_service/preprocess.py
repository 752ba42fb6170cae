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
    "rotate_quads_quarter",
    "rotate_small",
    "rotation_matrix",
    "scale_for_text",
    "sharpen",
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
    quadrilateral covering ``min_area``..``max_area`` of the frame is bounded on all four
    sides by a sharp step between two surfaces.
    """
    h, w = image.shape[:2]
    s = 800.0 / max(h, w)
    small = cv2.resize(
        image, (max(1, round(w * s)), max(1, round(h * s))), interpolation=cv2.INTER_AREA
    )
    area_total = float(small.shape[0] * small.shape[1])
    # A median filter wipes out most text but keeps long straight steps: there the page
    # edge stands alone, and the side checks below are not fooled by print near the edge.
    # (5 px: as good as 11 px on the photo sets measured, and 4 ms instead of 80 ms.)
    flat = cv2.medianBlur(small, 5)
    gray = cv2.GaussianBlur(cv2.cvtColor(small, cv2.COLOR_BGR2GRAY), (5, 5), 0)
    # Several views, as each fails somewhere: edges (a card on a busy desk), a bright
    # region (white paper on wood), and both again on the text-free view, with low
    # thresholds for a light desk.
    masks = [cv2.dilate(cv2.Canny(gray, 40, 120), np.ones((5, 5), np.uint8))]
    _, bright = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    masks.append(cv2.morphologyEx(bright, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8)))
    for lo, hi in ((15, 45), (30, 90)):
        masks.append(cv2.dilate(cv2.Canny(flat, lo, hi), np.ones((3, 3), np.uint8)))
    flat_gray = cv2.cvtColor(flat, cv2.COLOR_BGR2GRAY)
    _, flat_bright = cv2.threshold(flat_gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    masks.append(flat_bright)
    reach = _REFINE_REACH * min(small.shape[:2])
    found: list[np.ndarray] = []
    framed: list[np.ndarray] = []
    for i, mask in enumerate(masks):
        for rough in _rough_quads(mask, min_area * area_total, max_area * area_total):
            quad = _snap_to_edges(flat, rough, reach)
            if quad is not None and _is_document_edge(flat, quad):
                found.append(quad)
            elif i < 2 and quad is not None and _is_frame(small, flat, rough, quad):
                framed.append(rough)
    found = found or framed
    if not found:
        return None
    quad = max(found, key=lambda q: cv2.contourArea(q)) / s
    # A page edge that runs along the image border is a scan margin, not a photo: skip.
    x0, y0 = quad.min(axis=0)
    x1, y1 = quad.max(axis=0)
    if x0 < 0.01 * w and y0 < 0.01 * h and x1 > 0.99 * w and y1 > 0.99 * h:
        return None
    return quad


_REFINE_REACH = 0.03  # of the shorter image side: how far a rough side may move
_MIN_SIDE_STEP = 30.0  # colour distance across a side, 5 px apart (at 800 px)
_MIN_SHARPNESS = 0.5  # share of that step already reached 1.5 px apart


def _rough_quads(mask: np.ndarray, min_area: float, max_area: float) -> list[np.ndarray]:
    """Four-corner approximations of the hulls of the largest blobs of ``mask``."""
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    out = []
    for c in sorted(contours, key=cv2.contourArea, reverse=True)[:5]:
        hull = cv2.convexHull(c)
        if not min_area <= cv2.contourArea(hull) <= max_area:
            continue
        peri = cv2.arcLength(hull, True)
        for eps in (0.02, 0.03, 0.05):
            approx = cv2.approxPolyDP(hull, eps * peri, True)
            if len(approx) == 4:
                out.append(approx.reshape(4, 2).astype(np.float32))
                break
    return out


def _side_frames(quad: np.ndarray, n: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """For each side of ``quad`` (clockwise from top-left): ``n`` points spread along it,
    and its unit normal pointing into the quad."""
    q = _order(quad).astype(np.float64)
    centre = q.mean(axis=0)
    frames = []
    for i in range(4):
        a, b = q[i], q[(i + 1) % 4]
        v = b - a
        normal = np.array([-v[1], v[0]]) / max(float(np.linalg.norm(v)), 1e-6)
        if np.dot(centre - (a + b) / 2, normal) < 0:
            normal = -normal
        t = np.linspace(0.08, 0.92, n)[:, None]
        frames.append((a + v * t, normal))
    return frames


def _snap_to_edges(image: np.ndarray, quad: np.ndarray, reach: float) -> np.ndarray | None:
    """Move each side of a rough quad onto the strongest step within ``reach`` px (a robust
    line through those edge points) and intersect neighbouring sides for the corners.

    The blob hulls the quads come from swell where a desk pattern or a shadow touches
    the page; this puts the corners back on the paper's edge, even where a corner lies
    just outside the frame."""
    img = image.astype(np.float32)
    h, w = img.shape[:2]
    offsets = np.arange(-reach, reach + 1.0)
    lines = []
    for points, normal in _side_frames(quad, 40):
        probe = points[:, None, :] + offsets[None, :, None] * normal
        profile = cv2.remap(
            img,
            probe[..., 0].astype(np.float32),
            probe[..., 1].astype(np.float32),
            cv2.INTER_LINEAR,
            borderMode=cv2.BORDER_REPLICATE,
        ).reshape(len(points), len(offsets), -1)
        step = np.linalg.norm(profile[:, 4:] - profile[:, :-4], axis=2)
        best = step.argmax(axis=1)
        strength = step[np.arange(len(points)), best]
        at = probe[np.arange(len(points)), best + 2]
        in_frame = (at[:, 0] >= 0) & (at[:, 0] <= w - 1) & (at[:, 1] >= 0) & (at[:, 1] <= h - 1)
        keep = in_frame & (strength >= max(_MIN_SIDE_STEP, 0.5 * float(np.median(strength))))
        if keep.sum() < 8:
            return None
        vx, vy, x0, y0 = cv2.fitLine(at[keep].astype(np.float32), cv2.DIST_HUBER, 0, 0.01, 0.01)
        lines.append((np.array([x0[0], y0[0]]), np.array([vx[0], vy[0]])))
    corners = []
    for (p1, d1), (p2, d2) in zip([lines[-1], *lines[:-1]], lines, strict=True):
        m = np.array([d1, -d2]).T
        if abs(np.linalg.det(m)) < 1e-6:
            return None
        t1, _ = np.linalg.solve(m, p2 - p1)
        corners.append(p1 + t1 * d1)
    out = np.array(corners, dtype=np.float32)
    if not cv2.isContourConvex(out.reshape(-1, 1, 2)):
        return None
    return _order(out)


def _side_steps(image: np.ndarray, quad: np.ndarray, d: float) -> np.ndarray:
    """Per side, the median colour distance between points ``d`` px inside and outside."""
    h, w = image.shape[:2]
    lim = np.array([w - 1, h - 1], np.float64)
    steps = []
    for points, normal in _side_frames(quad, 24):
        inner = np.rint(np.clip(points + normal * d, 0, lim)).astype(int)
        outer = np.rint(np.clip(points - normal * d, 0, lim)).astype(int)
        a = image[inner[:, 1], inner[:, 0]].astype(np.float64).reshape(len(points), -1)
        b = image[outer[:, 1], outer[:, 0]].astype(np.float64).reshape(len(points), -1)
        steps.append(float(np.median(np.linalg.norm(a - b, axis=1))))
    return np.array(steps)


def _is_frame(image: np.ndarray, flat: np.ndarray, quad: np.ndarray, snapped: np.ndarray) -> bool:
    """A printed border (a diploma's double red frame) with nothing printed outside it:
    the colour just inside ``quad`` differs from just outside, and none of the lines
    ``snapped`` to is the slow ramp of a shadow. Cropping to it keeps the ornaments around
    it away from the detector; a table, with text above or below it, is no frame."""
    h, w = image.shape[:2]
    mask = np.zeros((h, w), np.uint8)
    cv2.fillConvexPoly(mask, quad.astype(np.int32), (255,))
    k = np.ones((9, 9), np.uint8)
    grown = cv2.dilate(mask, k)
    inside = cv2.subtract(mask, cv2.erode(mask, k)) > 0
    outside = cv2.subtract(grown, mask) > 0
    if not inside.any() or not outside.any() or not (grown == 0).any():
        return False
    ink = cv2.Canny(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY), 40, 120) > 0
    if ink[grown == 0].mean() > 0.1 * ink[mask > 0].mean():
        return False
    a = np.median(image[inside].astype(np.float64), axis=0)
    b = np.median(image[outside].astype(np.float64), axis=0)
    if float(np.linalg.norm(a - b)) < _MIN_SIDE_STEP:
        return False
    near, wide = _side_steps(flat, snapped, 1.5), _side_steps(flat, snapped, 5.0)
    return bool((near >= _MIN_SHARPNESS * wide).all())


def _is_document_edge(image: np.ndarray, quad: np.ndarray) -> bool:
    """Every side is a sharp step between two surfaces: a page or card edge. A text
    block's or table's outline on a scan has the same paper on both sides, and the edge
    of a shadow falling across the page is a slow ramp."""
    wide = _side_steps(image, quad, 5.0)
    if wide.min() < _MIN_SIDE_STEP:
        return False
    return bool((_side_steps(image, quad, 1.5) >= _MIN_SHARPNESS * wide).all())


# Paper and card shapes a counter sees (height / width): A4/A5 portrait and landscape,
# ID-1 cards (CCCD) landscape and portrait.
_KNOWN_RATIOS = (1.4142, 1 / 1.4142, 53.98 / 85.6, 85.6 / 53.98)


def warp_quad(image: np.ndarray, quad: np.ndarray, *, sharpen_text: bool = True) -> np.ndarray:
    """Flatten the quadrilateral ``quad`` (clockwise from top-left) to a rectangle.

    A photo taken at an angle foreshortens the page; when the measured shape is within
    12% of a known paper/card shape, that exact shape is used. The result is sharpened
    (``sharpen``): a phone photo's optics and the resampling soften the strokes.
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
    flat = cv2.warpPerspective(
        image, m, (w, h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE
    )
    return sharpen(flat) if sharpen_text else flat


def sharpen(image: np.ndarray, sigma: float = 1.0, amount: float = 0.8) -> np.ndarray:
    """Unsharp mask: tone marks, dots and commas blurred into their letters come apart
    again. Measured on 63 held-out generated phone photos (seed 11), the same warp
    unsharpened: CER 2.18% → 1.82%."""
    blurred = cv2.GaussianBlur(image, (0, 0), sigma)
    return cv2.addWeighted(image, 1.0 + amount, blurred, -amount, 0)


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


# A scan or photo is skewed by a few degrees; lines at 20-45° are the page's own print
# (a stamp, a diagonal watermark) unless most of the text runs that way: then the whole
# page or card was photographed turned, and is turned back like a small skew.
_MAX_SMALL_SKEW = 20.0
_TILTED_MAJORITY = 0.6  # share of the long lines' length


def skew_angle(quads: Sequence[np.ndarray]) -> float:
    """Median slope in degrees of the long horizontal text-line boxes (positive = lines run
    down to the right); pass it to ``rotate_small`` to level them. 0 without evidence.
    Slopes of 20-45° count only when most of the lines' length runs at them."""
    if not quads:
        return 0.0
    q = np.asarray(quads, dtype=np.float32).reshape(-1, 4, 2)
    vec = q[:, 1] - q[:, 0]
    widths, heights = _edges(quads)
    keep = widths > 3 * np.maximum(heights, 1)
    if keep.sum() < 3:
        return 0.0
    angles = np.degrees(np.arctan2(vec[keep, 1], vec[keep, 0]))
    lengths = widths[keep]
    tilted = (np.abs(angles) >= _MAX_SMALL_SKEW) & (np.abs(angles) < 45)
    if tilted.sum() >= 3 and lengths[tilted].sum() > _TILTED_MAJORITY * lengths.sum():
        # a card photographed turned (30°, not a quarter): most of its lines say so
        return float(np.median(angles[tilted]))
    angles = angles[np.abs(angles) < _MAX_SMALL_SKEW]
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


def rotate_quads_quarter(
    quads: Sequence[np.ndarray], shape: tuple[int, ...], degrees_clockwise: int
) -> list[np.ndarray]:
    """Quads of a page turned by ``rotate_quarter(image, degrees_clockwise)``, re-ordered
    clockwise from the new top-left."""
    h, w = shape[:2]
    k = (degrees_clockwise // 90) % 4
    out = []
    for q in quads:
        p = np.asarray(q, np.float32)
        x, y = p[:, 0], p[:, 1]
        if k == 1:
            p = np.stack([h - 1 - y, x], axis=1)
        elif k == 2:
            p = np.stack([w - 1 - x, h - 1 - y], axis=1)
        elif k == 3:
            p = np.stack([y, w - 1 - x], axis=1)
        out.append(np.roll(p, k, axis=0).astype(np.float32))
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
    # integer responses (|r| <= 16 * 255 fits int16), summed exactly by cv2.norm: the same
    # estimate as in float32 at a third of the cost on a 300-dpi page
    conv = cv2.filter2D(gray, cv2.CV_16S, kernel)
    total = cv2.norm(conv[1:-1, 1:-1], cv2.NORM_L1)
    return float(np.sqrt(np.pi / 2) * total / (6 * (w - 2) * (h - 2)))


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
