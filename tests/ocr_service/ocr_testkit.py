"""Helpers for the OCR tests: small Vietnamese page renders and a model-free fake engine."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from core.records import OcrLine, PageImage
from core.settings import Settings
from ocr_service.pages import RENDER_DPI, load_pages

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")


def render_line(text: str, size: int = 28) -> np.ndarray:
    """One line of dark-grey serif text on white, as a BGR crop with a margin around it."""
    font = ImageFont.truetype(str(FONT), size)
    width = int(font.getlength(text)) + 2 * size
    img = Image.new("RGB", (width, 2 * size), "white")
    ImageDraw.Draw(img).text((size, size // 3), text, font=font, fill=(40, 40, 40))
    return cv2.cvtColor(np.asarray(img), cv2.COLOR_RGB2BGR)


def dot_row(n: int, d: int, gap: int, grey: int = 110) -> np.ndarray:
    """A BGR crop of ``n`` filled discs ``d`` px wide, ``gap`` px apart, on one line."""
    crop = np.full((2 * d + 8, n * (d + gap) + 16, 3), 250, np.uint8)
    for i in range(n):
        cv2.circle(crop, (8 + d // 2 + i * (d + gap), d + 4), d // 2, (grey,) * 3, -1)
    return crop


# A small administrative page: two-column header, title, body (Vietnamese with all tones).
HEADER_LEFT = ["UỶ BAN NHÂN DÂN", "XÃ HOÀ BÌNH"]
HEADER_RIGHT = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
BODY = [
    "GIẤY XÁC NHẬN",
    "Họ và tên: Nguyễn Thị Minh Hằng",
    "Ngày sinh: 15/08/1992, nơi sinh: Quảng Ngãi",
    "Địa chỉ thường trú: số 12 đường Lê Lợi, phường Trần Hưng Đạo",
    "Lý do: bổ sung hồ sơ đăng ký kết hôn theo quy định.",
]


def render_page(scale: float = 1.0) -> tuple[np.ndarray, list[str]]:
    """An A4-ish page at ~150 dpi (× scale); returns (BGR image, lines in reading order)."""
    w, h = int(1240 * scale), int(1754 * scale)
    img = Image.new("RGB", (w, h), "white")
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(str(FONT), int(26 * scale))
    y = int(90 * scale)
    for left, right in zip(HEADER_LEFT, HEADER_RIGHT, strict=True):
        draw.text((int(80 * scale), y), left, font=font, fill="black")
        draw.text((int(560 * scale), y), right, font=font, fill="black")
        y += int(44 * scale)
    y += int(60 * scale)
    for line in BODY:
        draw.text((int(80 * scale), y), line, font=font, fill="black")
        y += int(56 * scale)
    bgr = np.ascontiguousarray(np.asarray(img)[:, :, ::-1])
    return bgr, [*HEADER_LEFT, *HEADER_RIGHT, *BODY]


class _FakeOrientation:
    def upside_down_probability(self, crops: list[np.ndarray]) -> list[float]:
        return [0.0 for _ in crops]


class _FakeDetector:
    limit_side_len = 1280

    def detect(self, image: np.ndarray) -> list[np.ndarray]:
        return []


class FakeEngine:
    """Stands in for the models: one line per page saying how big the page was."""

    orientation = _FakeOrientation()
    detector = _FakeDetector()

    def __init__(self, fail: bool = False) -> None:
        self.fail = fail

    def detect(self, image: np.ndarray) -> list[np.ndarray]:
        return []

    def read(self, image: np.ndarray, quads: list[np.ndarray] | None = None) -> list[OcrLine]:
        if self.fail:
            raise RuntimeError("injected recognizer failure")
        h, w = image.shape[:2]
        box = ((10.0, 10.0), (w - 10.0, 10.0), (w - 10.0, 40.0), (10.0, 40.0))
        return [OcrLine(text=f"Trang {w}x{h} tiếng Việt", box=box, confidence=0.9)]


def pdf_page(data: bytes, name: str = "to_khai.pdf") -> PageImage:
    """The one page of a one-page PDF, loaded (rendered, form environment, text layer)."""
    [page] = list(load_pages(data, name, Settings()))
    return page


def pdf_rect_pixels(rect: list[float], page_height: float) -> tuple[int, int, int, int]:
    """A PDF-space rectangle (x0, y0, x1, y1 from the bottom) in the rendering's pixels
    (x0, y0, x1, y1 from the top)."""
    s = RENDER_DPI / 72.0
    return (
        round(rect[0] * s),
        round((page_height - rect[3]) * s),
        round(rect[2] * s),
        round((page_height - rect[1]) * s),
    )
