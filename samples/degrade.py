"""Named scan/photo degradations; each returns the new image and the 3×3 map of old→new pixels.

Ground-truth boxes are carried through the same matrix, so they stay in final-image coordinates.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

__all__ = ["DEGRADATIONS", "degrade", "apply_h"]

DEGRADATIONS = [
    "flatbed_300",
    "flatbed_200",
    "flatbed_150",
    "skew",
    "blur",
    "noise",
    "jpeg",
    "photo",
    "rot90",
    "rot180",
    "rot270",
]


def apply_h(h: np.ndarray, pts: list[list[float]]) -> list[list[float]]:
    arr = np.array(pts, dtype=np.float64).reshape(-1, 1, 2)
    out = cv2.perspectiveTransform(arr, h).reshape(-1, 2)
    return [[float(x), float(y)] for x, y in out]


def _scale(img: np.ndarray, f: float) -> tuple[np.ndarray, np.ndarray]:
    if abs(f - 1.0) < 1e-6:
        return img, np.eye(3)
    h, w = img.shape[:2]
    nw, nh = max(1, round(w * f)), max(1, round(h * f))
    interp = cv2.INTER_AREA if f < 1 else cv2.INTER_CUBIC
    out = cv2.resize(img, (nw, nh), interpolation=interp)
    return out, np.diag([nw / w, nh / h, 1.0])


def _paper(img: np.ndarray, rng: np.random.Generator, strength: float = 1.0) -> np.ndarray:
    """Scanner look: slightly grey/yellow paper, faint sensor noise, softened edges (uint8 math: fast)."""
    tone = np.array([rng.uniform(-8, 0), rng.uniform(-6, 0), rng.uniform(-4, 0)]) * strength
    out = cv2.GaussianBlur(img, (0, 0), 0.5)
    lut = np.clip(np.arange(256)[:, None] * (1 + tone / 255.0) + tone * 0.3, 0, 255).astype(
        np.uint8
    )
    out = cv2.LUT(out, lut.reshape(256, 1, 3))
    noise = np.rint(rng.standard_normal(img.shape[:2], dtype=np.float32) * (1.2 * strength)).astype(
        np.int16
    )
    return np.clip(out.astype(np.int16) + noise[..., None], 0, 255).astype(np.uint8)


def _rotate_expand(
    img: np.ndarray, angle: float, fill: tuple[int, int, int]
) -> tuple[np.ndarray, np.ndarray]:
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = int(math.ceil(h * sin + w * cos)), int(math.ceil(h * cos + w * sin))
    m[0, 2] += nw / 2 - w / 2
    m[1, 2] += nh / 2 - h / 2
    out = cv2.warpAffine(img, m, (nw, nh), flags=cv2.INTER_LINEAR, borderValue=fill)
    return out, np.vstack([m, [0, 0, 1]])


def _rot90s(img: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Rotate content k×90° clockwise; exact pixel maps in continuous coordinates."""
    h, w = img.shape[:2]
    if k == 1:
        return cv2.rotate(img, cv2.ROTATE_90_CLOCKWISE), np.array(
            [[0, -1, h], [1, 0, 0], [0, 0, 1]], float
        )
    if k == 2:
        return cv2.rotate(img, cv2.ROTATE_180), np.array([[-1, 0, w], [0, -1, h], [0, 0, 1]], float)
    return cv2.rotate(img, cv2.ROTATE_90_COUNTERCLOCKWISE), np.array(
        [[0, 1, 0], [-1, 0, w], [0, 0, 1]], float
    )


def _desk(rng: np.random.Generator, w: int, h: int) -> np.ndarray:
    """A desk/table texture: wood grain or grey fabric."""
    kind = rng.integers(3)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    if kind == 0:  # wood
        base = np.array([70, 110, 150], np.float32) + rng.uniform(-20, 20, 3)
        grain = np.sin(yy / rng.uniform(6, 14) + np.sin(xx / rng.uniform(80, 200)) * 3) * 14
        img = base[None, None, :] + grain[..., None]
    elif kind == 1:  # dark fabric
        base = np.array([60, 60, 62], np.float32) + rng.uniform(-15, 25, 3)
        img = np.broadcast_to(base, (h, w, 3)).copy()
    else:  # light laminate
        base = np.array([185, 195, 200], np.float32) + rng.uniform(-20, 10, 3)
        img = np.broadcast_to(base, (h, w, 3)).copy()
    noise = cv2.GaussianBlur(rng.normal(0, 18, (h, w)).astype(np.float32), (0, 0), 2.0)
    img = img + noise[..., None]
    return np.clip(img, 0, 255).astype(np.uint8)


def _photo(img: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    h, w = img.shape[:2]
    # output frame: the document fills 65-85% of the longer side, like a phone shot
    fill = rng.uniform(0.68, 0.85)
    long_out = max(w, h) / fill
    ow, oh = (
        (int(long_out * 0.75), int(long_out)) if h >= w else (int(long_out), int(long_out * 0.75))
    )
    scale = min(1.0, 2400 / max(ow, oh))  # phone images downscaled to ≈ 2400 px
    ow, oh = int(ow * scale), int(oh * scale)
    dw, dh = w * scale, h * scale
    cx, cy = ow / 2 + rng.uniform(-0.05, 0.05) * ow, oh / 2 + rng.uniform(-0.05, 0.05) * oh
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    base = np.array(
        [
            [cx - dw / 2, cy - dh / 2],
            [cx + dw / 2, cy - dh / 2],
            [cx + dw / 2, cy + dh / 2],
            [cx - dw / 2, cy + dh / 2],
        ],
        dtype=np.float32,
    )
    jitter = rng.uniform(-0.06, 0.06, (4, 2)) * np.array([dw, dh], dtype=np.float32)
    # a coherent perspective: one edge nearer the camera
    tilt = rng.uniform(-0.07, 0.07) * dw
    jitter[0, 0] += tilt
    jitter[1, 0] -= tilt
    ang = math.radians(rng.uniform(-6, 6))
    rot = np.array([[math.cos(ang), -math.sin(ang)], [math.sin(ang), math.cos(ang)]], np.float32)
    dst = ((base + jitter - [cx, cy]) @ rot.T + [cx, cy]).astype(np.float32)
    hm = cv2.getPerspectiveTransform(src, dst)
    desk = _desk(rng, ow, oh)
    warped = cv2.warpPerspective(
        img,
        hm,
        (ow, oh),
        flags=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=(0, 0, 0),
    )
    mask = cv2.warpPerspective(np.full((h, w), 255, np.uint8), hm, (ow, oh))
    # soft drop shadow under the paper
    shadow = cv2.GaussianBlur(
        cv2.warpAffine(mask, np.array([[1, 0, 8], [0, 1, 10]], dtype=np.float32), (ow, oh)),
        (0, 0),
        12,
    )
    out = desk.astype(np.float32) * (1 - 0.45 * shadow[..., None] / 255.0)
    m = mask[..., None].astype(np.float32) / 255.0
    out = out * (1 - m) + warped.astype(np.float32) * m
    # uneven lighting: gradient + vignette + warm/cool cast
    yy, xx = np.mgrid[0:oh, 0:ow].astype(np.float32)
    gx, gy = rng.uniform(-1, 1, 2)
    light = 1 + 0.18 * (gx * (xx / ow - 0.5) + gy * (yy / oh - 0.5))
    r2 = ((xx - ow / 2) / ow) ** 2 + ((yy - oh / 2) / oh) ** 2
    light *= 1 - rng.uniform(0.2, 0.45) * r2
    cast = np.array(
        [rng.uniform(0.88, 1.0), rng.uniform(0.93, 1.0), rng.uniform(0.95, 1.05)], np.float32
    )
    out = out * light[..., None] * cast
    out = cv2.GaussianBlur(out, (0, 0), rng.uniform(0.6, 1.3))
    out += rng.normal(0, 3.5, out.shape)
    return np.clip(out, 0, 255).astype(np.uint8), hm


def degrade(
    img: np.ndarray,
    name: str,
    dpi: int,
    rng: np.random.Generator,
    *,
    is_card: bool = False,
    base_dpi: int = 300,
) -> tuple[np.ndarray, np.ndarray, int]:
    """Apply the named degradation to a clean BGR render at `dpi`.

    Returns (image, 3×3 matrix mapping clean-render pixels to output pixels, output dpi).
    """
    if name not in DEGRADATIONS:
        raise ValueError(f"unknown degradation {name!r}; choose from {', '.join(DEGRADATIONS)}")
    if name.startswith("flatbed_"):
        target = int(name.split("_")[1])
    else:
        # non-flatbed degradations start from a `base_dpi` scan (cards: somewhat finer)
        target = int(rng.integers(base_dpi, int(base_dpi * 1.5) + 1)) if is_card else base_dpi
    out, h = _scale(img, target / dpi)
    if name.startswith("flatbed_"):
        return _paper(out, rng, 0.6 if target == 300 else 1.0), h, target
    if name == "skew":
        angle = float(rng.uniform(1, 5) * rng.choice([-1, 1]))
        out = _paper(out, rng)
        out, m = _rotate_expand(out, angle, (250, 250, 250))
        return out, m @ h, target
    if name == "blur":
        out = _paper(out, rng)
        sigma = float(rng.uniform(1.1, 1.9))
        if rng.random() < 0.4:  # motion blur instead of defocus
            k = int(rng.integers(5, 9))
            kern: np.ndarray = np.zeros((k, k), np.float32)
            kern[k // 2, :] = 1.0 / k
            kern = cv2.warpAffine(
                kern,
                cv2.getRotationMatrix2D(
                    (k / 2 - 0.5, k / 2 - 0.5), float(rng.uniform(0, 180)), 1.0
                ),
                (k, k),
            )
            kern = kern / kern.sum()
            return cv2.filter2D(out, -1, kern), h, target
        return cv2.GaussianBlur(out, (0, 0), sigma), h, target
    if name == "noise":
        out = _paper(out, rng).astype(np.float32)
        out += rng.standard_normal(out.shape, dtype=np.float32) * np.float32(rng.uniform(9, 18))
        specks = rng.random(out.shape[:2]) < float(rng.uniform(0.0005, 0.002))
        out[specks] = rng.uniform(0, 80)
        return np.clip(out, 0, 255).astype(np.uint8), h, target
    if name == "jpeg":
        out = _paper(out, rng)
        q = int(rng.integers(8, 22))
        ok, buf = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, q])
        assert ok
        return cv2.imdecode(buf, cv2.IMREAD_COLOR), h, target
    if name == "photo":
        out, m = _photo(out, rng)
        return out, m @ h, target
    k = {"rot90": 1, "rot180": 2, "rot270": 3}[name]
    out, m = _rot90s(_paper(out, rng), k)
    return out, m @ h, target
