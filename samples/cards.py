"""Identity cards, front and back: the chip cards (CCCD 2021, Căn cước 2024) drawn here, and
the card data shared with the older versions (samples/legacy_cards.py)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

import numpy as np
import segno
from PIL import Image, ImageDraw, ImageFont

from classifiers import doctypes

from .card_looks import LOOKS, hologram, security_background
from .model import Document, Subject
from .mrz import qr_payload, td1_lines
from .people import Person, make_person, random_date
from .render import MONO_FAMILIES, SANS_FAMILIES, Page

__all__ = [
    "CARD_H_MM",
    "CARD_W_MM",
    "CardData",
    "card_box",
    "finish_card",
    "full_front_fields",
    "make_card_data",
    "render_card_back",
    "render_card_front",
]

CARD_W_MM, CARD_H_MM = 85.6, 54.0
# The card front's template versions ("2021", "2024" = CardData.version): their titles.
_FRONT = doctypes.DOC_TYPES["citizen_id_front"]
RED = (196, 30, 36)
DARK = (25, 25, 35)


@dataclass(frozen=True)
class CardData:
    person: Person
    version: str  # "2021" | "2024" | "cccd_2016" | "cmnd_9digit" (samples/card_versions.py)
    issue: date
    expiry: date
    features: str  # đặc điểm nhân dạng (2021 back)
    # "plain": the historic pale tint and thin guilloche (the default sets stay as they were);
    # "real": the version's colours, rosette and hologram sheen (samples/card_looks.py)
    look: str = "plain"

    @property
    def mrz(self) -> list[str]:
        p = self.person
        return td1_lines(
            p.id_number, p.date_of_birth, p.sex, self.expiry, p.surname, f"{p.middle} {p.given}"
        )

    @property
    def qr(self) -> str:
        p = self.person
        return qr_payload(
            p.id_number,
            p.old_id,
            p.full_name,
            p.date_of_birth,
            p.sex,
            p.place_of_residence,
            self.issue,
        )


FEATURES = [
    "Nốt ruồi C:1cm trên sau đầu mày phải",
    "Sẹo chấm C:2cm dưới trước cánh mũi trái",
    "Nốt ruồi C:1,5cm dưới sau mép phải",
    "Sẹo chấm C:3cm trên đuôi mắt trái",
    "Nốt ruồi C:2cm trên trước đầu mày trái",
    "Sẹo chấm C:1cm dưới cằm",
]


def _expiry(dob: date, issue: date) -> date:
    """Valid until the next 25th/40th/60th birthday that is more than two years away."""
    for age in (25, 40, 60):
        try:
            bd = dob.replace(year=dob.year + age)
        except ValueError:  # 29 February
            bd = date(dob.year + age, 3, 1)
        if (bd - issue).days > 730:
            return bd
    raise ValueError("holder too old for a card with an expiry date")


def make_card_data(
    rng: random.Random, version: str, person: Person | None = None, *, look: str = "plain"
) -> CardData:
    if version == "cmnd_9digit":  # issued until the CCCD replaced it; valid 15 years
        issue = random_date(rng, date(2009, 1, 1), date(2020, 12, 31))
    elif version == "cccd_2016":
        issue = random_date(rng, date(2016, 1, 1), date(2020, 12, 31))
    elif version == "2021":
        issue = random_date(rng, date(2021, 1, 15), date(2024, 6, 30))
    else:
        issue = random_date(rng, date(2024, 7, 1), date(2026, 10, 31))
    if person is None or not _card_ok(person, issue):
        for _ in range(200):
            cand = (
                person
                if person is not None
                else make_person(rng, min_year=issue.year - 57, max_year=issue.year - 14)
            )
            if _card_ok(cand, issue):
                person = cand
                break
            person = None
        if person is None:
            person = make_person(rng, min_year=issue.year - 50, max_year=issue.year - 16)
    if version == "cmnd_9digit" and not person.old_id:
        person = person.with_changes(old_id=f"{rng.randrange(10**8, 10**9)}")
    return CardData(
        person, version, issue, _expiry(person.date_of_birth, issue), rng.choice(FEATURES), look
    )


def _card_ok(p: Person, issue: date) -> bool:
    age = (issue - p.date_of_birth).days / 365.25
    return 14 <= age <= 57


def _qr_image(payload: str, size: int) -> Image.Image:
    qr = segno.make(payload, error="l", boost_error=False, micro=False)
    m = np.array(list(qr.matrix), dtype=np.uint8)  # 1 = dark
    m = np.pad(m, 4)  # quiet zone
    img = Image.fromarray(((1 - m) * 255).astype(np.uint8), "L")
    return img.resize((size, size), Image.Resampling.NEAREST).convert("RGB")


def card_box(page: Page) -> tuple[float, float, float, float]:
    """The card's edges on its rendered page (the margin around it is the scanner's lid)."""
    mx = (page.width - page.mm(CARD_W_MM)) / 2
    my = (page.height - page.mm(CARD_H_MM)) / 2
    return mx, my, page.width - mx, page.height - my


def finish_card(rng: random.Random, page: Page, card: CardData, side: str) -> None:
    """The laminate's hologram sheen over the printed card (real look only)."""
    if card.look != "real":
        return
    x0, y0, x1, y1 = card_box(page)
    hx0, hy0, hx1, hy1 = LOOKS[(card.version, side)].hologram
    w, h = x1 - x0, y1 - y0
    hologram(rng, page.img, (x0 + hx0 * w, y0 + hy0 * h, x0 + hx1 * w, y0 + hy1 * h))
    page.draw = ImageDraw.Draw(page.img)


def _card_page(
    rng: random.Random, dpi: int, look: tuple[str, str] | None = None
) -> tuple[Page, float, float]:
    """A blank card on a scanner lid; `look` = (version, side) for the real colours."""
    if look is not None:
        return _card_page_real(rng, dpi, look)
    fam = rng.choice(list(SANS_FAMILIES.values()))
    margin_mm = rng.uniform(2.0, 6.0)
    w = round((CARD_W_MM + 2 * margin_mm) * dpi / 25.4)
    h = round((CARD_H_MM + 2 * margin_mm) * dpi / 25.4)
    scanner_bg = tuple(
        int(v) for v in np.clip(np.array([238, 238, 236]) + rng.randint(-10, 12), 0, 255)
    )
    page = Page(w, h, dpi, fam, bg=scanner_bg, ink=DARK)  # type: ignore[arg-type]
    ox = oy = page.mm(margin_mm)
    tint = rng.choice([(236, 242, 246), (240, 244, 236), (244, 240, 232), (238, 238, 246)])
    page.draw.rounded_rectangle(
        [ox, oy, ox + page.mm(CARD_W_MM), oy + page.mm(CARD_H_MM)],
        radius=page.mm(3.2),
        fill=tint,
        outline=(180, 180, 180),
        width=2,
    )
    g = Page(w, h, dpi, fam, bg=tint)
    g.guilloche(
        rng,
        (ox, oy, ox + page.mm(CARD_W_MM), oy + page.mm(CARD_H_MM)),
        [(120, 170, 205), (210, 150, 140), (150, 195, 150)],
        n=40,
    )
    mask = Image.new("L", (w, h), 0)
    ImageDraw.Draw(mask).rounded_rectangle(
        [ox + 3, oy + 3, ox + page.mm(CARD_W_MM) - 3, oy + page.mm(CARD_H_MM) - 3],
        radius=page.mm(3.0),
        fill=255,
    )
    page.img.paste(g.img, (0, 0), mask)
    page.draw = ImageDraw.Draw(page.img)
    return page, ox, oy


def _card_page_real(
    rng: random.Random, dpi: int, look: tuple[str, str]
) -> tuple[Page, float, float]:
    fam = rng.choice(list(SANS_FAMILIES.values()))
    margin_mm = rng.uniform(2.0, 6.0)
    w = round((CARD_W_MM + 2 * margin_mm) * dpi / 25.4)
    h = round((CARD_H_MM + 2 * margin_mm) * dpi / 25.4)
    lid = tuple(int(v) for v in np.clip(np.array([238, 238, 236]) + rng.randint(-10, 12), 0, 255))
    page = Page(w, h, dpi, fam, bg=lid, ink=DARK)  # type: ignore[arg-type]
    ox = oy = page.mm(margin_mm)
    cw, ch = round(page.mm(CARD_W_MM)), round(page.mm(CARD_H_MM))
    bg = security_background(rng, cw, ch, LOOKS[look])
    mask = Image.new("L", (cw, ch), 0)
    ImageDraw.Draw(mask).rounded_rectangle([0, 0, cw - 1, ch - 1], radius=page.mm(3.2), fill=255)
    page.img.paste(bg, (round(ox), round(oy)), mask)
    page.draw = ImageDraw.Draw(page.img)
    return page, ox, oy


def _photo(page: Page, rng: random.Random, box: tuple[float, float, float, float]) -> None:
    """Portrait placeholder (head and shoulders), clipped to its frame."""
    x0, y0, x1, y1 = (round(v) for v in box)
    w, h = x1 - x0, y1 - y0
    bgc = rng.choice([(228, 232, 240), (210, 225, 245), (235, 235, 235)])
    ph = Image.new("RGB", (w, h), bgc)
    d = ImageDraw.Draw(ph)
    cx = w / 2 + rng.uniform(-0.04, 0.04) * w
    skin = rng.choice([(222, 190, 160), (205, 170, 140), (230, 200, 175)])
    d.ellipse(
        [w * 0.02, h * 0.7, w * 0.98, h * 1.3],
        fill=rng.choice([(60, 60, 80), (235, 235, 235), (40, 40, 40)]),
    )
    d.rectangle([cx - w * 0.1, h * 0.55, cx + w * 0.1, h * 0.75], fill=skin)
    d.ellipse([cx - w * 0.25, h * 0.16, cx + w * 0.25, h * 0.66], fill=skin)
    d.chord([cx - w * 0.28, h * 0.1, cx + w * 0.28, h * 0.5], 180, 360, fill=(30, 25, 25))
    page.img.paste(ph, (x0, y0))
    page.draw.rectangle([x0, y0, x1, y1], outline=(150, 150, 150), width=2)


def _chip(page: Page, x: float, y: float) -> None:
    w, h = page.mm(11), page.mm(9)
    page.draw.rounded_rectangle(
        [x, y, x + w, y + h],
        radius=page.mm(1.5),
        fill=(212, 180, 100),
        outline=(150, 120, 50),
        width=3,
    )
    for k in (1, 2):
        page.draw.line([(x, y + h * k / 3), (x + w, y + h * k / 3)], fill=(150, 120, 50), width=2)
    page.draw.line([(x + w / 2, y), (x + w / 2, y + h)], fill=(150, 120, 50), width=2)


def _mrz(page: Page, rng: random.Random, ox: float, oy: float, lines: list[str]) -> None:
    rel = rng.choice(list(MONO_FAMILIES.values()))
    target_w = page.mm(CARD_W_MM - 14)
    f = page.mono(rel, 10)
    f = page.mono(rel, 10 * target_w / f.getlength("<" * 30))
    pitch = page.mm(3.9)
    y = oy + page.mm(CARD_H_MM - 3.4) - 2 * pitch
    for ln in lines:
        page.text(ox + page.mm(7), y, [(ln, f)], fill=(10, 10, 10))
        y += pitch


def _origin_and_residence(
    page: Page,
    x: float,
    y: float,
    origin: str,
    residence: str,
    lf: ImageFont.FreeTypeFont,
    right: float,
    oy: float,
    labels: tuple[str, str] = (
        "Quê quán / Place of origin:",
        "Nơi thường trú / Place of residence:",
    ),
) -> None:
    """Quê quán then Nơi thường trú, wrapped; the value font shrinks until both fit the card."""
    M = page.mm
    lead = M(2.9)
    lab_o, lab_r = labels
    for pt in (6.0, 5.6, 5.2, 4.8, 4.4):
        vf = page.font(pt, bold=True)
        n_o = len(
            page.wrap_words(right - x - lf.getlength(lab_o + " "), right - x, origin.split(), vf)
        )
        y_res = max(y + n_o * lead, oy + M(45.2))
        n_r = len(
            page.wrap_words(right - x - lf.getlength(lab_r + " "), right - x, residence.split(), vf)
        )
        if y_res + (n_r - 1) * lead <= oy + M(52.3):
            break
    page.field(x, y, lab_o, origin, lf=lf, vf=vf, right=right, leading=lead)
    page.field(x, y_res, lab_r, residence, lf=lf, vf=vf, right=right, leading=lead)


def full_front_fields(card: CardData) -> tuple[dict[str, str], dict[str, str]]:
    """The fields a front with both places prints (2016, 2021), and those the register checks."""
    p = card.person
    fields = {
        "id_number": p.id_number,
        "full_name": p.full_name,
        "date_of_birth": p.date_of_birth.isoformat(),
        "sex": p.sex,
        "nationality": p.nationality,
        "place_of_origin": p.place_of_origin,
        "place_of_residence": p.place_of_residence,
        "date_of_expiry": card.expiry.isoformat(),
    }
    compared = ("full_name", "date_of_birth", "sex", "place_of_origin", "place_of_residence")
    return fields, {k: k for k in compared}


def _fmt(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def _look(card: CardData, side: str) -> tuple[str, str] | None:
    return (card.version, side) if card.look == "real" else None


def render_card_front(rng: random.Random, card: CardData, dpi: int = 600) -> Document:
    page, ox, oy = _card_page(rng, dpi, _look(card, "front"))
    p = card.person
    M = page.mm
    lf = page.font(4.7)
    lf_small = page.font(4.0)
    vf = page.font(6.0, bold=True)
    page.emblem(ox + M(9.5), oy + M(9.5), M(6.5))
    hx = ox + M(44.5)
    page.text(
        hx,
        oy + M(5.0),
        "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        page.font(5.0, bold=True),
        align="center",
    )
    if card.version == "2021":
        page.text(
            hx,
            oy + M(8.0),
            "Độc lập - Tự do - Hạnh phúc",
            page.font(5.0, bold=True),
            align="center",
        )
        page.text(hx, oy + M(10.6), "SOCIALIST REPUBLIC OF VIET NAM", lf_small, align="center")
        page.text(hx, oy + M(12.9), "Independence - Freedom - Happiness", lf_small, align="center")
        title, subtitle = _FRONT.version("2021").titles  # CĂN CƯỚC CÔNG DÂN / Citizen ...
        page.text(
            hx,
            oy + M(17.0),
            title,
            page.font(8.6, bold=True),
            align="center",
            fill=RED,
        )
        page.text(
            hx,
            oy + M(19.6),
            subtitle,
            page.font(5.6, bold=True),
            align="center",
            fill=RED,
        )
        qr_size = round(M(17))
        page.img.paste(_qr_image(card.qr, qr_size), (round(ox + M(67.0)), round(oy + M(2.5))))
        _photo(page, rng, (ox + M(3.5), oy + M(21), ox + M(21.5), oy + M(44)))
        x = ox + M(24)
        right = ox + M(83)
        y = oy + M(25.0)
        page.text(x, y, [("Số / No.: ", lf), (p.id_number, page.font(8.0, bold=True))])
        y += M(3.8)
        page.text(x, y, [("Họ và tên / Full name:", lf)])
        y += M(3.4)
        page.text(x, y, [(p.full_name.upper(), vf)])
        y += M(3.3)
        page.text(x, y, [("Ngày sinh / Date of birth: ", lf), (_fmt(p.date_of_birth), vf)])
        y += M(3.2)
        page.text(x, y, [("Giới tính / Sex: ", lf), ("Nam" if p.sex == "male" else "Nữ", vf)])
        page.text(x + M(22), y, [("Quốc tịch / Nationality: ", lf), (p.nationality, vf)])
        y += M(3.2)
        _origin_and_residence(page, x, y, p.place_of_origin, p.place_of_residence, lf, right, oy)
        page.text(
            ox + M(3.0),
            oy + M(47.8),
            [("Có giá trị đến: ", lf_small), (_fmt(card.expiry), page.font(4.6, bold=True))],
        )
        page.text(ox + M(3.0), oy + M(50.3), "Date of expiry", lf_small)
        fields, compare = full_front_fields(card)
        qr = card.qr
    else:
        page.text(
            hx,
            oy + M(8.2),
            "SOCIALIST REPUBLIC OF VIET NAM",
            page.font(4.6, bold=True),
            align="center",
        )
        title, subtitle = _FRONT.version("2024").titles  # CĂN CƯỚC / IDENTITY CARD
        page.text(
            hx + M(4), oy + M(14.2), title, page.font(12, bold=True), align="center", fill=RED
        )
        page.text(
            hx + M(4),
            oy + M(17.4),
            subtitle,
            page.font(6.2, bold=True),
            align="center",
            fill=RED,
        )
        _photo(page, rng, (ox + M(3.5), oy + M(19), ox + M(22), oy + M(43)))
        _chip(page, ox + M(7), oy + M(44))
        x = ox + M(25)
        y = oy + M(23.0)
        page.text(x, y, "Số định danh cá nhân / Personal identification number", lf)
        y += M(4.4)
        page.text(x, y, p.id_number, page.font(9, bold=True))
        y += M(4.2)
        page.text(
            x, y, "Họ, chữ đệm và tên khai sinh / Surname, middle name and given name", lf_small
        )
        y += M(4.0)
        page.text(x, y, p.full_name.upper(), vf)
        y += M(4.2)
        page.text(
            x, y, [("Ngày, tháng, năm sinh / Date of birth: ", lf), (_fmt(p.date_of_birth), vf)]
        )
        y += M(4.2)
        page.text(x, y, [("Giới tính / Sex: ", lf), ("Nam" if p.sex == "male" else "Nữ", vf)])
        page.text(x + M(24), y, [("Quốc tịch / Nationality: ", lf), (p.nationality, vf)])
        fields = {
            "id_number": p.id_number,
            "full_name": p.full_name,
            "date_of_birth": p.date_of_birth.isoformat(),
            "sex": p.sex,
            "nationality": p.nationality,
        }
        compare = {"full_name": "full_name", "date_of_birth": "date_of_birth", "sex": "sex"}
        qr = None
    subj = Subject(p, "id_number", compare)
    finish_card(rng, page, card, "front")
    return Document(
        "citizen_id_front", [page], fields, [subj], card_version=card.version, qr_payload=qr
    )


def render_card_back(rng: random.Random, card: CardData, dpi: int = 600) -> Document:
    page, ox, oy = _card_page(rng, dpi, _look(card, "back"))
    p = card.person
    M = page.mm
    lf = page.font(4.5)
    lf_small = page.font(3.9)
    vf = page.font(5.6, bold=True)
    lines = card.mrz
    if card.version == "2021":
        # fingerprints on the right; their captions sit lower than the left column's first line
        # and are read after that column, so their GT lines move behind it (drawing order kept:
        # the issuing officer's signature is drawn over the captions' area)
        first_caption = len(page.lines)
        for i, (lab1, lab2) in enumerate(
            [("Ngón trỏ trái", "Left index finger"), ("Ngón trỏ phải", "Right index finger")]
        ):
            bx = ox + M(50 + i * 17.5)
            page.draw.rectangle(
                [bx, oy + M(3), bx + M(16), oy + M(21)],
                outline=(120, 120, 120),
                width=2,
                fill=(246, 246, 246),
            )
            for k in range(9):
                r = M(1 + k * 0.8)
                page.draw.ellipse(
                    [bx + M(8) - r * 0.8, oy + M(12) - r, bx + M(8) + r * 0.8, oy + M(12) + r],
                    outline=(110, 110, 120),
                    width=3,
                )
            page.text(bx + M(8), oy + M(23.5), lab1, lf_small, align="center")
            page.text(bx + M(8), oy + M(25.7), lab2, lf_small, align="center")
        captions = page.lines[first_caption:]
        del page.lines[first_caption:]
        _chip(page, ox + M(4), oy + M(3.5))
        x = ox + M(4)
        y = oy + M(15.5)
        y = page.field(
            x,
            y,
            "Đặc điểm nhân dạng / Personal identification:",
            card.features,
            lf=lf,
            vf=page.font(4.9),
            right=ox + M(48),
            leading=M(2.7),
            value_newline=True,
        )
        page.text(x, y, [("Ngày, tháng, năm / Date, month, year: ", lf), (_fmt(card.issue), vf)])
        y += M(3.0)
        cx = ox + M(25)
        page.text(cx, y, "CỤC TRƯỞNG CỤC CẢNH SÁT", page.font(4.6, bold=True), align="center")
        y += M(2.75)
        page.text(
            cx, y, "QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI", page.font(4.6, bold=True), align="center"
        )
        y += M(2.0)
        page.text(
            cx, y, "DIRECTOR GENERAL OF THE POLICE DEPARTMENT", page.font(3.5), align="center"
        )
        y += M(1.7)
        page.text(
            cx, y, "FOR ADMINISTRATIVE MANAGEMENT OF SOCIAL ORDER", page.font(3.5), align="center"
        )
        page.stamp(rng, cx + M(16), y - M(3.0), M(5.0), "BỘ CÔNG AN * CỤC CẢNH SÁT QLHC VỀ TTXH *")
        page.signature(rng, cx + M(22), y - M(1.5), M(14), M(3.5))
        page.text(
            cx + M(24),
            y + M(2.6),
            rng.choice(["Tô Văn Huệ", "Nguyễn Quốc Hùng"]),
            page.font(4.8, bold=True),
            align="center",
        )
        page.lines.extend(captions)
        fields = {
            "id_number": p.id_number,
            "date_of_birth": p.date_of_birth.isoformat(),
            "sex": p.sex,
            "date_of_expiry": card.expiry.isoformat(),
            "date_of_issue": card.issue.isoformat(),
        }
        qr = None
    else:
        qr_size = round(M(20))
        page.img.paste(_qr_image(card.qr, qr_size), (round(ox + M(3.0)), round(oy + M(2.5))))
        x = ox + M(25)
        right = ox + M(83)
        y = oy + M(6.0)
        y = page.field(
            x,
            y,
            "Nơi cư trú / Place of residence:",
            p.place_of_residence,
            lf=lf,
            vf=vf,
            right=right,
            leading=M(3.1),
            value_newline=True,
        )
        y = page.field(
            x,
            y,
            "Nơi đăng ký khai sinh / Place of birth:",
            p.birth_place.render("short"),
            lf=lf,
            vf=vf,
            right=right,
            leading=M(3.1),
            value_newline=True,
        )
        page.text(x, y, [("Ngày, tháng, năm cấp / Date of issue: ", lf), (_fmt(card.issue), vf)])
        y += M(3.1)
        page.text(
            x, y, [("Ngày, tháng, năm hết hạn / Date of expiry: ", lf), (_fmt(card.expiry), vf)]
        )
        cx = ox + M(12.5)
        page.text(cx, oy + M(26.0), "BỘ CÔNG AN", page.font(5.4, bold=True), align="center")
        page.text(
            cx,
            oy + M(28.2),
            "MINISTRY OF PUBLIC SECURITY",
            page.font(3.4, bold=True),
            align="center",
        )
        page.stamp(rng, cx, oy + M(32.5), M(4.0), "BỘ CÔNG AN * BỘ CÔNG AN *")
        fields = {
            "id_number": p.id_number,
            "date_of_birth": p.date_of_birth.isoformat(),
            "sex": p.sex,
            "date_of_expiry": card.expiry.isoformat(),
            "date_of_issue": card.issue.isoformat(),
        }
        qr = card.qr
    # MRZ band
    band_top = oy + M(CARD_H_MM - 14.0)
    page.draw.rectangle(
        [ox + M(1), band_top, ox + M(CARD_W_MM - 1), oy + M(CARD_H_MM - 1)], fill=(246, 246, 243)
    )
    ImageDraw.Draw(page.img)  # keep page.draw valid after paste
    _mrz(page, rng, ox, oy, lines)
    finish_card(rng, page, card, "back")
    subj = Subject(p, "id_number", {"date_of_birth": "date_of_birth", "sex": "sex"})
    return Document(
        "citizen_id_back",
        [page],
        fields,
        [subj],
        card_version=card.version,
        qr_payload=qr,
        mrz=lines,
    )
