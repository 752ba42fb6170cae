"""A clean birth-certificate page rendered with Pillow, for tests that need a scan of their own."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from PIL import Image, ImageDraw, ImageFont

__all__ = ["RenderedPage", "render_birth_certificate"]

_SERIF = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
_SERIF_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf"


@dataclass
class RenderedPage:
    png: bytes
    width: int
    height: int
    lines: list[dict[str, Any]]  # {"text", "box", "confidence"} as an OCR would report them
    person: dict[str, str]  # the register row this page agrees with


def render_birth_certificate(
    *,
    full_name: str = "Nguyễn Thị Minh Hằng",
    id_number: str = "001192012345",
    date_of_birth: tuple[int, int, int] = (15, 8, 1992),
    printed_name: str | None = None,
    register_origin: str | None = None,
) -> RenderedPage:
    """An A4 page at 150 dpi laid out like the 2016+ Giấy khai sinh (header, title, rows).

    ``printed_name`` puts another spelling on the paper than the register's ``full_name``;
    ``register_origin`` gives the register another place of origin than the paper's.
    """
    d, m, y = date_of_birth
    origin = "Xã Yên Phụ, huyện Yên Phong, tỉnh Bắc Ninh"
    rows: list[tuple[str, bool, int, str]] = [
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True, 30, "center"),
        ("Độc lập - Tự do - Hạnh phúc", True, 28, "center"),
        ("GIẤY KHAI SINH", True, 44, "center"),
        (f"Họ, chữ đệm, tên: {(printed_name or full_name).upper()}", False, 30, "left"),
        (f"Ngày, tháng, năm sinh: {d:02d}/{m:02d}/{y}", False, 30, "left"),
        ("Giới tính: Nữ    Dân tộc: Kinh    Quốc tịch: Việt Nam", False, 30, "left"),
        ("Nơi sinh: Bệnh viện Phụ sản Hà Nội", False, 30, "left"),
        (f"Quê quán: {origin}", False, 30, "left"),
        (f"Số định danh cá nhân: {id_number}", False, 30, "left"),
        ("Họ, chữ đệm, tên người mẹ: Trần Thị Lan", False, 30, "left"),
        ("Họ, chữ đệm, tên người cha: Nguyễn Văn Hùng", False, 30, "left"),
        ("Nơi đăng ký: Ủy ban nhân dân phường Yên Phụ", False, 30, "left"),
        (f"Ngày đăng ký: {min(d + 5, 28):02d}/{m:02d}/{y}        Số: 334/{y}", False, 30, "left"),
    ]
    width, height = 1240, 1754
    img = Image.new("RGB", (width, height), (252, 251, 247))
    draw = ImageDraw.Draw(img)
    lines: list[dict[str, Any]] = []
    y_pos = 110
    for text, bold, size, align in rows:
        font = ImageFont.truetype(_SERIF_BOLD if bold else _SERIF, size)
        left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
        x = (width - (right - left)) // 2 if align == "center" else 120
        draw.text((x, y_pos), text, fill=(20, 20, 24), font=font)
        x0, y0, x1, y1 = x + left - 6, y_pos + top - 6, x + right + 6, y_pos + bottom + 6
        lines.append(
            {"text": text, "box": [[x0, y0], [x1, y0], [x1, y1], [x0, y1]], "confidence": 0.95}
        )
        y_pos += int(size * 3.1) if bold else 88
    buf = io.BytesIO()
    img.save(buf, "PNG")
    person = {
        "id_number": id_number,
        "full_name": full_name,
        "date_of_birth": f"{y}-{m:02d}-{d:02d}",
        "sex": "female",
        "ethnicity": "Kinh",
        "nationality": "Việt Nam",
        "place_of_origin": register_origin or origin,
        "place_of_residence": "Số 12 phố Nghi Tàm, phường Yên Phụ, Hà Nội",
    }
    return RenderedPage(buf.getvalue(), width, height, lines, person)
