"""The older identity cards still in citizens' hands: the 9-digit CMND and the 2016 CCCD.

Giấy chứng minh nhân dân (9 digits, Vietnamese only, number in red, no sex printed, the
back dated "Ngày … tháng … năm …" by the provincial police) and the 2016 Căn cước công dân
(12 digits printed in red, no chip, no MRZ, a barcode on the back). Layouts approximate the
real ones; names, numbers and places are synthetic.
"""

from __future__ import annotations

import random
from datetime import date

from PIL import ImageFont

from .card_looks import barcode
from .cards import (
    CARD_H_MM,
    RED,
    CardData,
    _card_page,
    _fmt,
    _look,
    _origin_and_residence,
    _photo,
    card_box,
    finish_card,
    full_front_fields,
)
from .model import Document, Subject
from .people import PROVINCES
from .render import GtLine, Page

__all__ = ["render_cccd2016_back", "render_cccd2016_front", "render_cmnd_back", "render_cmnd_front"]

_HEADER = ("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


def _label_value(
    page: Page,
    x: float,
    y: float,
    label: tuple[str, ImageFont.FreeTypeFont],
    value: tuple[str, ImageFont.FreeTypeFont],
    value_fill: tuple[int, int, int],
) -> None:
    """Label and value in two inks on one printed line: one GT line (as Page.text records)."""
    lb = page.text(x, y, [label], record=False)
    vb = page.text(lb[2] + label[1].getlength(" "), y, [value], record=False, fill=value_fill)
    pad = max(1.0, page.px(1.2))
    l_, t_, r_, b_ = min(lb[0], vb[0]), min(lb[1], vb[1]), max(lb[2], vb[2]), max(lb[3], vb[3])
    page.lines.append(
        GtLine(
            f"{label[0].strip()} {value[0]}",
            [
                [l_ - pad, t_ - pad],
                [r_ + pad, t_ - pad],
                [r_ + pad, b_ + pad],
                [l_ - pad, b_ + pad],
            ],
        )
    )


def _issue_words(d: date) -> str:
    return f"Ngày {d.day:02d} tháng {d.month:02d} năm {d.year}"


def _fingerprints(page: Page, x: float, y: float, w: float, h: float, lf: ImageFont.FreeTypeFont):
    """Two fingerprint boxes side by side, captions under them (recorded after the boxes)."""
    M = page.mm
    for i, lab in enumerate(("Ngón trỏ trái", "Ngón trỏ phải")):
        bx = x + i * (w + M(1.5))
        page.draw.rectangle([bx, y, bx + w, y + h], outline=(110, 110, 110), width=2)
        for k in range(8):
            r = M(0.9 + k * 0.75)
            c = (bx + w / 2, y + h / 2)
            page.draw.ellipse(
                [c[0] - r * 0.8, c[1] - r, c[0] + r * 0.8, c[1] + r],
                outline=(105, 105, 115),
                width=3,
            )
        page.text(bx + w / 2, y + h + M(2.6), lab, lf, align="center")


def _top(
    page: Page,
    rng: random.Random,
    emblem: tuple[float, float, float],
    photo: tuple[float, float, float, float],
    hx: float,
    header_y: float,
) -> None:
    """The national emblem, the portrait and the two-line national header (mm from the card)."""
    x0, y0, _, _ = card_box(page)
    M = page.mm
    page.emblem(x0 + M(emblem[0]), y0 + M(emblem[1]), M(emblem[2]))
    _photo(page, rng, (x0 + M(photo[0]), y0 + M(photo[1]), x0 + M(photo[2]), y0 + M(photo[3])))
    for k, line in enumerate(_HEADER):
        page.text(
            x0 + M(hx), y0 + M(header_y + 3.1 * k), line, page.font(5.0, bold=True), align="center"
        )


def render_cmnd_front(rng: random.Random, card: CardData, dpi: int = 600) -> Document:
    page, ox, oy = _card_page(rng, dpi, _look(card, "front"))
    p = card.person
    M = page.mm
    lf = page.font(5.0)
    vf = page.font(6.0, bold=True)
    _top(page, rng, (12.5, 12.0, 8.5), (4.5, 24, 20.5, 45), 54, 5.0)
    hx = ox + M(54)
    page.text(
        hx,
        oy + M(14.0),
        "GIẤY CHỨNG MINH NHÂN DÂN",
        page.font(8.2, bold=True),
        align="center",
        fill=RED,
    )
    page.text(
        hx - M(8),
        oy + M(20.0),
        [("Số ", page.font(8.0, bold=True)), (p.old_id, page.font(10.0, bold=True))],
        fill=RED,
    )
    x, right = ox + M(24), ox + M(83)
    lead = M(3.4)
    y = page.field(
        x,
        oy + M(25.5),
        "Họ tên",
        p.full_name.upper(),
        lf=lf,
        vf=vf,
        right=right,
        leading=lead,
        leaders=True,
    )
    y = page.field(
        x,
        y + M(0.6),
        "Sinh ngày",
        p.date_of_birth.strftime("%d-%m-%Y"),
        lf=lf,
        vf=vf,
        right=right,
        leading=lead,
        leaders=True,
    )
    y = page.field(
        x,
        y + M(0.6),
        "Nguyên quán",
        p.place_of_origin,
        lf=lf,
        vf=vf,
        right=right,
        leading=lead,
        leaders=True,
    )
    page.field(
        x,
        y + M(0.6),
        "Nơi ĐKHK thường trú",
        p.place_of_residence,
        lf=lf,
        vf=vf,
        right=right,
        leading=lead,
        leaders=True,
    )
    finish_card(rng, page, card, "front")
    fields = {
        "old_id_number": p.old_id,
        "full_name": p.full_name,
        "date_of_birth": p.date_of_birth.isoformat(),
        "place_of_origin": p.place_of_origin,
        "place_of_residence": p.place_of_residence,
    }
    # no 12-digit number printed: nothing to look the holder up by (verification not_applicable)
    return Document("citizen_id_front", [page], fields, [], card_version=card.version)


def render_cmnd_back(rng: random.Random, card: CardData, dpi: int = 600) -> Document:
    page, ox, oy = _card_page(rng, dpi, _look(card, "back"))
    p = card.person
    M = page.mm
    lf = page.font(4.8)
    vf = page.font(5.6, bold=True)
    x, right = ox + M(4), ox + M(44)
    page.text(x, oy + M(6.0), [("Dân tộc: ", lf), (p.ethnicity, vf)])
    page.text(
        x, oy + M(10.0), [("Tôn giáo: ", lf), (rng.choice(["Không", "Phật giáo", "Không"]), vf)]
    )
    page.field(
        x,
        oy + M(15.0),
        "DẤU VẾT RIÊNG VÀ DỊ HÌNH",
        card.features,
        lf=page.font(4.8, bold=True),
        vf=page.font(5.0),
        right=right,
        leading=M(3.0),
        value_newline=True,
    )
    cx = ox + M(65)
    page.text(
        cx, oy + M(6.0), _issue_words(card.issue), page.font(5.0, italic=True), align="center"
    )
    province = PROVINCES[p.residence.province_code][0]
    page.text(
        cx,
        oy + M(9.6),
        "GIÁM ĐỐC CA " + province.upper(),
        page.font(4.8, bold=True),
        align="center",
    )
    page.stamp(rng, cx - M(6), oy + M(17.5), M(6.0), f"CÔNG AN {province.upper()} * PHÒNG PC64 *")
    page.signature(rng, cx + M(2), oy + M(17.0), M(14), M(3.5))
    page.text(
        cx,
        oy + M(25.5),
        rng.choice(["Nguyễn Văn Bình", "Trần Quốc Hưng", "Lê Minh Tuấn"]),
        page.font(5.0, bold=True),
        align="center",
    )
    _fingerprints(page, ox + M(8), oy + M(31.0), M(18), M(16.0), page.font(4.4, bold=True))
    finish_card(rng, page, card, "back")
    fields = {"date_of_issue": card.issue.isoformat()}
    return Document("citizen_id_back", [page], fields, [], card_version=card.version)


def render_cccd2016_front(rng: random.Random, card: CardData, dpi: int = 600) -> Document:
    page, ox, oy = _card_page(rng, dpi, _look(card, "front"))
    p = card.person
    M = page.mm
    lf = page.font(5.0)
    vf = page.font(6.0, bold=True)
    _top(page, rng, (11.5, 10.5, 7.0), (3.5, 20.5, 21.0, 42.5), 53, 4.8)
    hx = ox + M(53)
    # the 2016 card prints no English subtitle
    page.text(
        hx, oy + M(13.8), "CĂN CƯỚC CÔNG DÂN", page.font(9.0, bold=True), align="center", fill=RED
    )
    _label_value(
        page,
        ox + M(33),
        oy + M(19.6),
        ("Số:", page.font(6.0, bold=True)),
        (p.id_number, page.font(9.0, bold=True)),
        RED,
    )
    x, right = ox + M(23.5), ox + M(83)
    page.text(x, oy + M(24.2), [("Họ và tên: ", lf), (p.full_name.upper(), vf)])
    page.text(x, oy + M(28.0), [("Ngày, tháng, năm sinh: ", lf), (_fmt(p.date_of_birth), vf)])
    y = oy + M(31.6)
    page.text(x, y, [("Giới tính: ", lf), ("Nam" if p.sex == "male" else "Nữ", vf)])
    page.text(x + M(20), y, [("Quốc tịch: ", lf), (p.nationality, vf)])
    _origin_and_residence(
        page,
        x,
        y + M(3.4),
        p.place_of_origin,
        p.place_of_residence,
        lf,
        right,
        oy,
        labels=("Quê quán:", "Nơi thường trú:"),
    )
    page.text(
        ox + M(2.5),
        oy + M(CARD_H_MM - 6.2),
        [("Có giá trị đến: ", page.font(4.4)), (_fmt(card.expiry), page.font(4.6, bold=True))],
    )
    finish_card(rng, page, card, "front")
    fields, compare = full_front_fields(card)
    return Document(
        "citizen_id_front",
        [page],
        fields,
        [Subject(p, "id_number", compare)],
        card_version=card.version,
    )


def render_cccd2016_back(rng: random.Random, card: CardData, dpi: int = 600) -> Document:
    page, ox, oy = _card_page(rng, dpi, _look(card, "back"))
    p = card.person
    M = page.mm
    lf = page.font(4.8)
    barcode(
        page.draw,
        (ox + M(4), oy + M(2.5), ox + M(44), oy + M(8.5)),
        p.id_number + p.full_name,
        max(2, round(M(0.28))),
    )
    x = ox + M(4)
    y = page.field(
        x,
        oy + M(13.0),
        "Đặc điểm nhân dạng:",
        card.features,
        lf=lf,
        vf=page.font(5.0),
        right=ox + M(46),
        leading=M(3.0),
        value_newline=True,
    )
    cx = ox + M(25)
    page.text(cx, y + M(0.5), _issue_words(card.issue), page.font(5.0, italic=True), align="center")
    y += M(4.0)
    page.text(cx, y, "CỤC TRƯỞNG CỤC CẢNH SÁT", page.font(4.6, bold=True), align="center")
    page.text(
        cx, y + M(2.7), "ĐKQL CƯ TRÚ VÀ DLQG VỀ DÂN CƯ", page.font(4.6, bold=True), align="center"
    )
    page.stamp(rng, cx - M(8), y + M(9.5), M(5.5), "BỘ CÔNG AN * CỤC CẢNH SÁT ĐKQL CƯ TRÚ *")
    page.signature(rng, cx + M(4), y + M(9.0), M(14), M(3.5))
    page.text(
        cx,
        y + M(16.0),
        rng.choice(["Trần Văn Vệ", "Nguyễn Văn Long"]),
        page.font(5.0, bold=True),
        align="center",
    )
    _fingerprints(page, ox + M(50), oy + M(4.0), M(15.5), M(18.0), page.font(4.2))
    finish_card(rng, page, card, "back")
    fields = {"date_of_issue": card.issue.isoformat()}
    # the 2016 back prints no id number (its barcode is not read here)
    return Document("citizen_id_back", [page], fields, [], card_version=card.version)
