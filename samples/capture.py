"""Photos as they reach the counter (`--realism counter`): phones, hands, tables, sleeves.

A card is photographed lying on a table or held in a hand, tilted up to about 60° (a
perspective from a 3-D rotation seen by a phone camera), turned any way, filling about a
fifth of the photo; or sent as a tight low-resolution crop of about 400×250 px. On top:
uneven light, glare, a plastic sleeve's sheen and edge, defocus or shake, sensor noise and a
phone's compression (JPEG, or HEIC's smoothing and halved chroma before the JPEG it is sent
as). A4 pages are photographed on a desk, filling most of the frame. Every capture returns
the 3×3 map from the clean render to the photo, so ground-truth boxes follow.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from .degrade import _desk

__all__ = ["CARD_CAPTURES", "CAPTURES", "Capture", "capture"]

CARD_CAPTURES = ["counter_table", "counter_hand", "counter_sleeve", "counter_crop"]
CAPTURES = [*CARD_CAPTURES, "counter_page"]

CARD_W_MM = 85.6

Quad = np.ndarray  # 4×2 float32, corners top-left, top-right, bottom-right, bottom-left


class Capture:
    """The photo, the map from render pixels to photo pixels, its dpi and its rotation."""

    def __init__(self, img: np.ndarray, hm: np.ndarray, dpi: int, rotation_cw: int) -> None:
        self.img, self.hm, self.dpi, self.rotation_cw = img, hm, dpi, rotation_cw


# --- geometry --------------------------------------------------------------------------------


def _projected(
    rng: np.random.Generator, aspect: float, tilt_deg: float, spin_deg: float, dist: float
) -> Quad:
    """Corners of a plane one unit wide (`aspect` = height / width) tilted by `tilt_deg` about a
    random in-plane axis and turned by `spin_deg` (clockwise), seen by a pinhole camera `dist`
    widths away (a card at a phone's arm's length: about 3), centred on the origin."""
    w, h = 1.0, aspect
    corners = np.array(
        [[-w / 2, -h / 2, 0], [w / 2, -h / 2, 0], [w / 2, h / 2, 0], [-w / 2, h / 2, 0]]
    )
    spin = math.radians(spin_deg)
    rz = np.array(
        [[math.cos(spin), -math.sin(spin), 0], [math.sin(spin), math.cos(spin), 0], [0, 0, 1]]
    )
    axis = rng.uniform(0, math.pi)
    ax = np.array([math.cos(axis), math.sin(axis), 0.0])
    t = math.radians(tilt_deg)
    k = np.array([[0, -ax[2], ax[1]], [ax[2], 0, -ax[0]], [-ax[1], ax[0], 0]])
    rt = np.eye(3) + math.sin(t) * k + (1 - math.cos(t)) * (k @ k)  # Rodrigues
    pts = corners @ rz.T @ rt.T
    z = pts[:, 2] + dist
    return np.stack([pts[:, 0] / z, pts[:, 1] / z], 1).astype(np.float32)


def _area(q: Quad) -> float:
    return float(abs(cv2.contourArea(q.astype(np.float32))))


def _place(
    rng: np.random.Generator, quad: Quad, ow: int, oh: int, frac: float, margin: float
) -> Quad:
    """Scale `quad` to cover `frac` of an ow×oh frame and put it at a random place inside."""
    quad = quad * math.sqrt(frac * ow * oh / _area(quad))
    lo, hi = quad.min(0), quad.max(0)
    size = hi - lo
    # too big for the frame (strong tilt + turn): shrink to fit
    fit = min(1.0, (ow * (1 - 2 * margin)) / size[0], (oh * (1 - 2 * margin)) / size[1])
    quad = quad * fit
    lo, hi = quad.min(0), quad.max(0)
    # (a quad shrunk to fit exactly leaves no room: low and high meet, up to rounding)
    xs = sorted((ow * margin - lo[0], ow * (1 - margin) - hi[0]))
    ys = sorted((oh * margin - lo[1], oh * (1 - margin) - hi[1]))
    x = rng.uniform(xs[0], xs[1])
    y = rng.uniform(ys[0], ys[1])
    return (quad + [x, y]).astype(np.float32)


def _rotation_cw(hm: np.ndarray, box: tuple[float, float, float, float]) -> int:
    """The object's upright x-axis direction in the photo, to the nearest quarter turn."""
    x0, y0, x1, y1 = box
    pts = np.array([[[x0, (y0 + y1) / 2]], [[x1, (y0 + y1) / 2]]], np.float64)
    (a,), (b,) = cv2.perspectiveTransform(pts, hm)
    ang = math.degrees(math.atan2(b[1] - a[1], b[0] - a[0]))  # y down: positive = clockwise
    return int(round(ang / 90)) % 4 * 90


def _spin(rng: np.random.Generator, any_angle: float) -> float:
    """Any rotation: a quarter turn (mostly upright) plus a small or, sometimes, any angle."""
    if rng.random() < any_angle:
        return float(rng.uniform(0, 360))
    quarter = float(rng.choice([0, 90, 180, 270], p=[0.55, 0.2, 0.1, 0.15]))
    return quarter + float(rng.uniform(-12, 12))


# --- what is around the card ----------------------------------------------------------------


def _room(rng: np.random.Generator, w: int, h: int) -> np.ndarray:
    """An out-of-focus room behind a hand: soft colour blobs on a wall colour."""
    base = np.array(rng.uniform(70, 200, 3), np.float32)
    img: np.ndarray = np.broadcast_to(base, (h, w, 3)).copy()
    for _ in range(int(rng.integers(4, 9))):
        c = (int(rng.integers(0, w)), int(rng.integers(0, h)))
        ax = (int(rng.uniform(0.1, 0.4) * w), int(rng.uniform(0.1, 0.4) * h))
        cv2.ellipse(
            img, c, ax, float(rng.uniform(0, 180)), 0, 360, rng.uniform(30, 230, 3).tolist(), -1
        )
    img = cv2.GaussianBlur(img, (0, 0), max(w, h) / 40)
    return np.clip(img, 0, 255).astype(np.uint8)


def _skin(rng: np.random.Generator) -> np.ndarray:
    return np.array(
        [rng.uniform(120, 175), rng.uniform(150, 195), rng.uniform(190, 235)], np.float32
    )  # BGR


def _paint(
    img: np.ndarray, mask: np.ndarray, colour: np.ndarray, shade: float = 0.25
) -> np.ndarray:
    """Fill `mask` (0-255) with a shaded colour, soft-edged."""
    soft = cv2.GaussianBlur(mask, (0, 0), 3).astype(np.float32) / 255.0
    inner = cv2.GaussianBlur(mask, (0, 0), max(4.0, mask.shape[0] / 60)).astype(np.float32) / 255.0
    fill = colour[None, None, :] * (1 - shade + shade * inner[..., None])
    out = img.astype(np.float32) * (1 - soft[..., None]) + fill * soft[..., None]
    return np.clip(out, 0, 255).astype(np.uint8)


def _hand_behind(rng: np.random.Generator, img: np.ndarray, quad: Quad, edge: int) -> np.ndarray:
    """The palm holding the card by one edge, the wrist running out of the frame (drawn
    before the card, so the card covers most of it)."""
    h, w = img.shape[:2]
    mask: np.ndarray = np.zeros((h, w), np.uint8)
    c = quad.mean(0)
    a, b = quad[edge], quad[(edge + 1) % 4]
    mid = (a + b) / 2
    out_dir = (mid - c) / (np.linalg.norm(mid - c) + 1e-6)
    span = np.linalg.norm(b - a)
    palm = mid + out_dir * span * 0.12
    cv2.ellipse(
        mask,
        (int(palm[0]), int(palm[1])),
        (int(span * 0.55), int(span * 0.45)),
        math.degrees(math.atan2(b[1] - a[1], b[0] - a[0])),
        0,
        360,
        (255,),
        -1,
    )
    # a wrist running out of the frame
    far = palm + out_dir * max(w, h)
    cv2.line(
        mask, (int(palm[0]), int(palm[1])), (int(far[0]), int(far[1])), (255,), int(span * 0.5)
    )
    return _paint(img, mask, _skin(rng))


def _thumb(rng: np.random.Generator, img: np.ndarray, quad: Quad, k: int) -> np.ndarray:
    """The thumb of that hand over edge `k` of the card, towards a corner (drawn after it)."""
    h, w = img.shape[:2]
    a, b = quad[k], quad[(k + 1) % 4]
    c = quad.mean(0)
    t = rng.uniform(0.08, 0.3) if rng.random() < 0.5 else rng.uniform(0.7, 0.92)
    at = a + (b - a) * t
    inward = (c - at) / (np.linalg.norm(c - at) + 1e-6)
    span = float(np.linalg.norm(quad[1] - quad[0]) + np.linalg.norm(quad[2] - quad[1])) / 2
    tip = at + inward * span * rng.uniform(0.06, 0.14)
    base = at - inward * span * 0.6
    mask: np.ndarray = np.zeros((h, w), np.uint8)
    cv2.line(
        mask, (int(base[0]), int(base[1])), (int(tip[0]), int(tip[1])), (255,), int(span * 0.19)
    )
    cv2.circle(mask, (int(tip[0]), int(tip[1])), int(span * 0.095), (255,), -1)
    return _paint(img, mask, _skin(rng), shade=0.35)


def _paper_under(rng: np.random.Generator, img: np.ndarray, quad: Quad) -> np.ndarray:
    """A form lying under the card on the counter: white sheet, grey printed bars."""
    h, w = img.shape[:2]
    c = quad.mean(0)
    size = np.linalg.norm(quad[1] - quad[0]) * rng.uniform(1.6, 2.4)
    ang = rng.uniform(-20, 20)
    rect = cv2.boxPoints(
        (
            (float(c[0] + rng.uniform(-0.3, 0.3) * size), float(c[1])),
            (float(size), float(size * 1.41)),
            float(ang),
        )
    )
    mask: np.ndarray = np.zeros((h, w), np.uint8)
    cv2.fillConvexPoly(mask, rect.astype(np.int32), (255,))
    out = _paint(img, mask, np.array([236, 238, 240], np.float32), shade=0.08)
    bars: np.ndarray = np.zeros((h, w), np.uint8)
    step = size / 30
    for i in range(2, 28):
        y = -size * 0.7 + i * step * 1.41
        x0, x1 = -size * 0.4, -size * 0.4 + size * rng.uniform(0.3, 0.8)
        m = cv2.getRotationMatrix2D((0, 0), -ang, 1.0)
        p0 = m @ [x0, y, 1] + c
        p1 = m @ [x1, y, 1] + c
        cv2.line(
            bars,
            (int(p0[0]), int(p0[1])),
            (int(p1[0]), int(p1[1])),
            (255,),
            max(1, int(step * 0.12)),
        )
    bars = cv2.bitwise_and(bars, mask)
    dark = cv2.GaussianBlur(bars, (0, 0), 1.0).astype(np.float32)[..., None] / 255.0 * 0.35
    return np.clip(out * (1 - dark), 0, 255).astype(np.uint8)


# --- light and the camera --------------------------------------------------------------------


def _light(rng: np.random.Generator, img: np.ndarray, strength: float = 1.0) -> np.ndarray:
    """Uneven light: a gradient, a vignette, a colour cast (warm lamps, cool daylight)."""
    h, w = img.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    gx, gy = rng.uniform(-1, 1, 2)
    light = 1 + 0.35 * strength * (gx * (xx / w - 0.5) + gy * (yy / h - 0.5))
    r2 = ((xx - w / 2) / w) ** 2 + ((yy - h / 2) / h) ** 2
    light *= 1 - rng.uniform(0.2, 0.6) * strength * r2
    light *= rng.uniform(0.75, 1.1)
    cast = np.array(
        [rng.uniform(0.8, 1.05), rng.uniform(0.9, 1.02), rng.uniform(0.95, 1.12)], np.float32
    )
    return np.clip(img.astype(np.float32) * light[..., None] * cast, 0, 255).astype(np.uint8)


def _glare(rng: np.random.Generator, img: np.ndarray, quad: Quad, size: float) -> np.ndarray:
    """A specular highlight from a lamp on the laminate: washes the print out to white."""
    h, w = img.shape[:2]
    wts = rng.dirichlet(np.ones(4))
    centre = (quad * wts[:, None]).sum(0)
    mask: np.ndarray = np.zeros((h, w), np.float32)
    ax = (int(size * rng.uniform(0.08, 0.25)), int(size * rng.uniform(0.04, 0.12)))
    cv2.ellipse(
        mask, (int(centre[0]), int(centre[1])), ax, float(rng.uniform(0, 180)), 0, 360, (1.0,), -1
    )
    mask = cv2.GaussianBlur(mask, (0, 0), max(2.0, ax[1] * 0.6))
    mask = np.clip(mask * rng.uniform(0.9, 1.6), 0, 1)
    return np.clip(
        img.astype(np.float32) * (1 - mask[..., None]) + 255 * mask[..., None], 0, 255
    ).astype(np.uint8)


def _sleeve(rng: np.random.Generator, img: np.ndarray, quad: Quad) -> np.ndarray:
    """A clear plastic sleeve over the card: a milky veil, its edge, long reflected streaks."""
    h, w = img.shape[:2]
    c = quad.mean(0)
    grow = rng.uniform(1.04, 1.1)
    outer = ((quad - c) * grow + c + rng.uniform(-0.02, 0.02, 2) * np.ptp(quad, 0)).astype(np.int32)
    mask: np.ndarray = np.zeros((h, w), np.uint8)
    cv2.fillConvexPoly(mask, outer, (255,))
    veil = mask.astype(np.float32)[..., None] / 255.0 * rng.uniform(0.06, 0.16)
    out = img.astype(np.float32) * (1 - veil) + 235 * veil
    edge: np.ndarray = np.zeros((h, w), np.uint8)
    cv2.polylines(edge, [outer], True, (255,), max(1, int(min(h, w) / 400)))
    out[edge > 0] = out[edge > 0] * 0.6 + 250 * 0.4
    # streaks: long soft bright bands at one angle, clipped to the sleeve
    streaks: np.ndarray = np.zeros((h, w), np.float32)
    ang = rng.uniform(0, math.pi)
    d = np.array([math.cos(ang), math.sin(ang)])
    n = np.array([-d[1], d[0]])
    span = float(np.ptp(quad, 0).max())
    for _ in range(int(rng.integers(1, 4))):
        off = rng.uniform(-0.4, 0.4) * span
        p0 = c + n * off - d * span
        p1 = c + n * off + d * span
        cv2.line(
            streaks,
            (int(p0[0]), int(p0[1])),
            (int(p1[0]), int(p1[1])),
            (1.0,),
            max(2, int(span * rng.uniform(0.02, 0.08))),
        )
    streaks = cv2.GaussianBlur(streaks, (0, 0), max(2.0, span * 0.02)) * (mask / 255.0)
    streaks *= rng.uniform(0.3, 0.75)
    out = out * (1 - streaks[..., None]) + 255 * streaks[..., None]
    return np.clip(out, 0, 255).astype(np.uint8)


def _camera(rng: np.random.Generator, img: np.ndarray, *, sharp: bool = False) -> np.ndarray:
    """Defocus or shake, sensor noise (stronger in the dark), then the phone's compression."""
    out: np.ndarray = img
    if rng.random() < 0.3:  # hand shake
        k = int(rng.integers(3, 8))
        kern: np.ndarray = np.zeros((k, k), np.float32)
        kern[k // 2, :] = 1.0 / k
        rot = cv2.getRotationMatrix2D((k / 2 - 0.5, k / 2 - 0.5), float(rng.uniform(0, 180)), 1.0)
        kern = cv2.warpAffine(kern, rot, (k, k))
        out = cv2.filter2D(out, -1, kern / kern.sum())
    else:
        sigma = float(rng.uniform(0.3, 0.8 if sharp else 1.6))
        out = cv2.GaussianBlur(out, (0, 0), sigma)
    f = out.astype(np.float32)
    sigma_n = rng.uniform(1.5, 5.0) * (1.6 - f.mean(axis=2, keepdims=True) / 255.0)
    f += rng.standard_normal(f.shape, dtype=np.float32) * sigma_n.astype(np.float32)
    out = np.clip(f, 0, 255).astype(np.uint8)
    if rng.random() < 0.4:  # HEIC: heavy in-loop smoothing, chroma at half resolution
        out = cv2.bilateralFilter(out, 5, 18, 3)
        ycc = cv2.cvtColor(out, cv2.COLOR_BGR2YCrCb)
        hh, ww = ycc.shape[:2]
        for ch in (1, 2):
            small = cv2.resize(
                ycc[:, :, ch], (max(1, ww // 2), max(1, hh // 2)), interpolation=cv2.INTER_AREA
            )
            ycc[:, :, ch] = cv2.resize(small, (ww, hh), interpolation=cv2.INTER_LINEAR)
        out = cv2.cvtColor(ycc, cv2.COLOR_YCrCb2BGR)
        q = int(rng.integers(80, 93))
    else:
        q = int(rng.integers(45, 88))
    ok, buf = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, q])
    assert ok
    return cv2.imdecode(buf, cv2.IMREAD_COLOR)


# --- the captures ----------------------------------------------------------------------------


def _frame(rng: np.random.Generator) -> tuple[int, int]:
    """A phone photo's size as sent: 4:3, long side 1280-3024 px, portrait or landscape."""
    long = int(rng.choice([1280, 1600, 2048, 3024], p=[0.3, 0.35, 0.25, 0.1]))
    short = long * 3 // 4
    return (long, short) if rng.random() < 0.6 else (short, long)


def _card_mask(w: int, h: int, radius: float) -> np.ndarray:
    mask: np.ndarray = np.zeros((h, w), np.uint8)
    r = int(radius)
    cv2.rectangle(mask, (r, 0), (w - 1 - r, h - 1), 255, -1)
    cv2.rectangle(mask, (0, r), (w - 1, h - 1 - r), 255, -1)
    for cx, cy in ((r, r), (w - 1 - r, r), (w - 1 - r, h - 1 - r), (r, h - 1 - r)):
        cv2.circle(mask, (cx, cy), r, (255,), -1)
    return mask


def _warp_onto(
    background: np.ndarray, obj: np.ndarray, mask: np.ndarray, hm: np.ndarray, shadow: bool
) -> np.ndarray:
    h, w = background.shape[:2]
    warped = cv2.warpPerspective(obj, hm, (w, h), flags=cv2.INTER_AREA, borderValue=(0, 0, 0))
    m = cv2.warpPerspective(mask, hm, (w, h), flags=cv2.INTER_LINEAR).astype(np.float32) / 255.0
    out = background.astype(np.float32)
    if shadow:
        off = max(3.0, min(w, h) / 150)
        sh = cv2.warpAffine(m, np.array([[1, 0, off], [0, 1, off * 1.3]], np.float32), (w, h))
        sh = cv2.GaussianBlur(sh, (0, 0), off * 1.5)
        out *= 1 - 0.45 * sh[..., None]
    out = out * (1 - m[..., None]) + warped.astype(np.float32) * m[..., None]
    return np.clip(out, 0, 255).astype(np.uint8)


def _shrunk(
    obj: np.ndarray, mask: np.ndarray, dst: Quad
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The object and its mask resized (area-averaged) to about the photo's scale, so the
    perspective warp does not alias; returns them, their corners and the render→them map."""
    oh_, ow_ = obj.shape[:2]
    s = min(1.0, 1.3 * math.sqrt(_area(dst) / (ow_ * oh_)))
    if s < 1.0:
        size = (max(1, round(ow_ * s)), max(1, round(oh_ * s)))
        obj = cv2.resize(obj, size, interpolation=cv2.INTER_AREA)
        mask = cv2.resize(mask, size, interpolation=cv2.INTER_AREA)
    sh, sw = obj.shape[:2]
    src = np.array([[0, 0], [sw, 0], [sw, sh], [0, sh]], np.float32)
    return obj, mask, src, np.diag([sw / ow_, sh / oh_, 1.0])


def capture(
    img: np.ndarray,
    name: str,
    rng: np.random.Generator,
    box: tuple[float, float, float, float],
    dpi: int,
    *,
    is_card: bool,
) -> Capture:
    """Photograph the object at `box` (its edges in the clean render `img`, BGR, at `dpi`)."""
    if name not in CAPTURES:
        raise ValueError(f"unknown capture {name!r}; choose from {', '.join(CAPTURES)}")
    x0, y0, x1, y1 = box
    ix0, iy0 = int(math.floor(x0)), int(math.floor(y0))
    obj = img[iy0 : int(math.ceil(y1)), ix0 : int(math.ceil(x1))]
    oh_, ow_ = obj.shape[:2]
    to_obj = np.array([[1, 0, -ix0], [0, 1, -iy0], [0, 0, 1]], np.float64)
    mask = (
        _card_mask(ow_, oh_, ow_ * 3.2 / CARD_W_MM)
        if is_card
        else np.full((oh_, ow_), 255, np.uint8)
    )

    if name == "counter_crop":
        # a tight crop of a card photo, sent small: the card fills it, a few px either way
        cw = int(rng.uniform(360, 460))
        ch = int(cw * rng.uniform(0.6, 0.66))
        tilt = float(rng.uniform(0, 20))
        spin = float(rng.choice([0, 90, 180, 270], p=[0.55, 0.2, 0.1, 0.15])) + float(
            rng.uniform(-6, 6)
        )
        quad = _projected(rng, oh_ / ow_, tilt, spin, dist=float(rng.uniform(2.5, 4.0)))
        lo, hi = quad.min(0), quad.max(0)
        portrait = round(spin / 90) % 2 == 1
        fw, fh = (ch, cw) if portrait else (cw, ch)
        pad = rng.uniform(-0.02, 0.06, 2)
        scale = min(fw / ((hi - lo)[0] * (1 + pad[0])), fh / ((hi - lo)[1] * (1 + pad[1])))
        dst = ((quad - (lo + hi) / 2) * scale + [fw / 2, fh / 2]).astype(np.float32)
        obj, mask, src, shrink = _shrunk(obj, mask, dst)
        hm = cv2.getPerspectiveTransform(src, dst)
        bg = _desk(rng, fw, fh)
        out = _warp_onto(bg, obj, mask, hm, shadow=False)
        out = _light(rng, out, 0.6)
        if rng.random() < 0.4:
            out = _glare(rng, out, dst, max(fw, fh))
        out = _camera(rng, out)
        full = hm @ shrink @ to_obj
        return Capture(out, full, _dpi(full, box, dpi), _rotation_cw(full, box))

    ow, oh = _frame(rng)
    if is_card:
        frac = float(rng.uniform(0.12, 0.3))  # about a fifth of the photo
        tilt = float(min(60.0, abs(rng.normal(0, 28))))
        spin = _spin(rng, 0.2)
    else:
        ow, oh = (min(ow, oh), max(ow, oh))  # pages are shot in portrait
        ow, oh = max(ow, 1536), max(oh, 2048)
        frac = float(rng.uniform(0.45, 0.75))
        tilt = float(min(35.0, abs(rng.normal(0, 14))))
        spin = _spin(rng, 0.0) if rng.random() < 0.3 else float(rng.uniform(-8, 8))
    dist = float(rng.uniform(2.2, 4.0) if is_card else rng.uniform(1.6, 2.6))
    quad = _projected(rng, oh_ / ow_, tilt, spin, dist)
    dst = _place(rng, quad, ow, oh, frac, margin=0.03)
    obj, mask, src, shrink = _shrunk(obj, mask, dst)
    hm = cv2.getPerspectiveTransform(src, dst)
    if name == "counter_hand":
        bg = _room(rng, ow, oh)
        edge = int(rng.integers(4))
        bg = _hand_behind(rng, bg, dst, edge)
    else:
        bg = _desk(rng, ow, oh)
        if is_card and rng.random() < 0.35:
            bg = _paper_under(rng, bg, dst)
    out = _warp_onto(bg, obj, mask, hm, shadow=name != "counter_hand")
    if name == "counter_hand":
        out = _thumb(rng, out, dst, edge)
    if name == "counter_sleeve":
        out = _sleeve(rng, out, dst)
    out = _light(rng, out)
    if rng.random() < (0.6 if is_card else 0.3):
        out = _glare(rng, out, dst, float(np.ptp(dst, 0).max()))
    out = _camera(rng, out, sharp=not is_card)
    full = hm @ shrink @ to_obj
    return Capture(out, full, _dpi(full, box, dpi), _rotation_cw(full, box))


def _dpi(hm: np.ndarray, box: tuple[float, float, float, float], dpi: int) -> int:
    """The photo's mean resolution on the object: the render's dpi times the width scale."""
    x0, y0, x1, y1 = box
    pts = np.array([[[x0, y0]], [[x1, y0]], [[x1, y1]], [[x0, y1]]], np.float64)
    q = cv2.perspectiveTransform(pts, hm).reshape(4, 2)
    width_px = (np.linalg.norm(q[1] - q[0]) + np.linalg.norm(q[2] - q[3])) / 2
    return max(1, int(round(dpi * width_px / (x1 - x0))))
