"""Shared layout for A4 administrative pages: national header, title, signature block, dates."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from PIL import ImageFont

from .people import PROVINCES, Address
from .render import FONT_FAMILIES, Page

__all__ = [
    "A4",
    "new_a4",
    "national_header",
    "title",
    "signature_block",
    "fmt_date",
    "date_words",
    "issuer_for",
    "Style",
]

A4 = (210.0, 297.0)


@dataclass
class Style:
    """Per-sample typographic choices (so a set of samples does not all look alike)."""

    body_pt: float
    leading: float  # baseline-to-baseline in px
    left: float
    right: float
    top: float
    hoa: str  # "HOÀ" or "HÒA" (both spellings are in use)
    uy: str  # "UỶ" or "ỦY"
    leaders: bool

    def lf(self, page: Page) -> ImageFont.FreeTypeFont:
        return page.font(self.body_pt)

    def vf(self, page: Page) -> ImageFont.FreeTypeFont:
        return page.font(self.body_pt, bold=self._bold_values)

    _bold_values: bool = False


def new_a4(rng: random.Random, dpi: int = 300) -> tuple[Page, Style]:
    fam = rng.choice(list(FONT_FAMILIES.values()))
    page = Page(round(A4[0] * dpi / 25.4), round(A4[1] * dpi / 25.4), dpi, fam)
    body = rng.choice([12.5, 13.0, 13.0, 14.0])
    st = Style(
        body_pt=body,
        leading=page.px(body) * rng.uniform(1.45, 1.75),
        left=page.mm(rng.uniform(22, 30)),
        right=page.width - page.mm(rng.uniform(15, 20)),
        top=page.mm(rng.uniform(14, 22)),
        hoa=rng.choice(["HOÀ", "HÒA"]),
        uy=rng.choice(["UỶ", "ỦY"]),
        leaders=rng.random() < 0.5,
    )
    st._bold_values = rng.random() < 0.5
    return page, st


def national_header(
    page: Page,
    st: Style,
    issuer: list[str],
    number: str | None,
    place_date: str | None,
    *,
    number_label: str = "Số: ",
) -> float:
    """Left issuing-body block then the national motto block; returns the y below both.

    Drawing order = reading order: left block (issuer, Số) before right block (motto, date).
    """
    W = page.width
    rx = W * 0.66
    f_m = page.font(12.5, bold=True)
    motto_left = rx - f_m.getlength(f"CỘNG {st.hoa} XÃ HỘI CHỦ NGHĨA VIỆT NAM") / 2
    lx = (page.mm(8) + motto_left - page.mm(6)) / 2
    max_w = motto_left - page.mm(6) - page.mm(8)
    y = st.top + page.px(13)
    f_iss = page.font(12.5)
    f_iss_b = page.font(12.5, bold=True)
    lead = page.px(12.5) * 1.42
    yl = y
    for i, ln in enumerate(issuer):
        last = i == len(issuer) - 1
        f = f_iss_b if (last or len(issuer) == 1) else f_iss
        for part in page.wrap_words(max_w, max_w, ln.split(), f):
            page.text(lx, yl, part, f, align="center")
            yl += lead
    page.hline(lx - page.mm(12), lx + page.mm(12), yl - lead + page.px(8), width=page.px(0.8))
    yl += page.px(12)
    if number:
        page.text(lx, yl, number_label + number, page.font(13), align="center")
        yl += lead
    f_m = page.font(12.5, bold=True)
    f_m2 = page.font(13.5, bold=True)
    yr = y
    page.text(rx, yr, f"CỘNG {st.hoa} XÃ HỘI CHỦ NGHĨA VIỆT NAM", f_m, align="center")
    yr += lead
    bb = page.text(rx, yr, "Độc lập - Tự do - Hạnh phúc", f_m2, align="center")
    page.hline(bb[0], bb[2], bb[3] + page.px(4), width=page.px(0.8))
    yr += lead + page.px(8)
    if place_date:
        page.text(rx, yr, place_date, page.font(13, italic=True), align="center")
        yr += lead
    return max(yl, yr) + page.px(10)


def title(
    page: Page, y: float, lines: list[str], pt: float = 15.5, sub_bold: bool = False
) -> float:
    """Centred title; following lines smaller (bold or italic); long lines wrap."""
    maxw = page.width * 0.8
    for i, ln in enumerate(lines):
        f = (
            page.font(pt, bold=True)
            if i == 0
            else page.font(13, bold=sub_bold, italic=not sub_bold)
        )
        for part in page.wrap_words(maxw, maxw, ln.split(), f):
            page.text(page.width / 2, y, part, f, align="center")
            y += page.px(pt if i == 0 else 13) * 1.45
    return y + page.px(8)


def signature_block(
    page: Page,
    rng: random.Random,
    st: Style,
    y: float,
    role: str,
    hint: str | None,
    signer: str,
    ring: str,
    *,
    cx: float | None = None,
    stamp: bool = True,
    extra_title: str | None = None,
) -> float:
    """Right-hand block: role, (hint), signature + red seal, signer name."""
    cx = cx or page.width * 0.68
    f_b = page.font(st.body_pt, bold=True)
    # keep the widest line (often "Thành phố Hồ Chí Minh, ngày …") inside the right margin
    widest = max(f_b.getlength(t) for t in (role, extra_title or "", signer))
    cx = min(cx, page.width - page.mm(12) - widest / 2)
    page.text(cx, y, role, f_b, align="center")
    y += st.leading
    if extra_title:
        page.text(cx, y, extra_title, f_b, align="center")
        y += st.leading * 0.95
    if hint:
        page.text(cx, y, hint, page.font(st.body_pt - 1.5, italic=True), align="center")
        y += st.leading * 0.8
    sig_y = y + page.mm(12)
    if stamp:
        page.stamp(
            rng,
            cx - page.mm(rng.uniform(10, 20)),
            sig_y - page.mm(rng.uniform(0, 6)),
            page.mm(rng.uniform(17, 20)),
            ring,
        )
    page.signature(rng, cx + page.mm(rng.uniform(-4, 6)), sig_y, page.mm(30), page.mm(9))
    y = sig_y + page.mm(17)
    page.text(cx, y, signer, f_b, align="center")
    return y + st.leading


_NUM = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]


def _words_lt100(n: int) -> str:
    if n < 10:
        return _NUM[n]
    if n < 20:
        u = n % 10
        return "mười" + ("" if u == 0 else " " + ("lăm" if u == 5 else _NUM[u]))
    t, u = divmod(n, 10)
    s = _NUM[t] + " mươi"
    if u == 1:
        s += " mốt"
    elif u == 5:
        s += " lăm"
    elif u == 4:
        s += " tư"
    elif u:
        s += " " + _NUM[u]
    return s


def _year_words(y: int) -> str:
    th, rest = divmod(y, 1000)
    h, r = divmod(rest, 100)
    s = f"{_NUM[th]} nghìn"
    if h or r:
        s += f" {_NUM[h]} trăm"
    if r:
        s += " " + (f"lẻ {_NUM[r]}" if r < 10 else _words_lt100(r))
    return s


def date_words(d: date) -> str:
    """'Ngày mười lăm, tháng tám, năm một nghìn chín trăm chín mươi hai' (ghi bằng chữ)."""
    day = _words_lt100(d.day)
    if d.day < 11:
        day = "mùng " + _NUM[d.day] if d.day < 10 else "mười"
    month = {1: "một", 4: "tư", 12: "mười hai"}.get(d.month, _words_lt100(d.month))
    return f"Ngày {day}, tháng {month}, năm {_year_words(d.year)}"


def fmt_date(rng: random.Random, d: date, style: str | None = None) -> str:
    style = style or rng.choice(["slash", "slash", "words", "dash"])
    if style == "slash":
        return d.strftime("%d/%m/%Y")
    if style == "dash":
        return d.strftime("%d-%m-%Y")
    return (
        f"ngày {d.day:02d} tháng {d.month:02d} năm {d.year}"
        if rng.random() < 0.5
        else f"ngày {d.day} tháng {d.month} năm {d.year}"
    )


def place_date(rng: random.Random, place: str, d: date) -> str:
    day = f"{d.day:02d}" if rng.random() < 0.6 else str(d.day)
    month = f"{d.month:02d}" if rng.random() < 0.6 else str(d.month)
    return f"{place}, ngày {day} tháng {month} năm {d.year}"


def issuer_for(
    rng: random.Random, st: Style, addr: Address, level: str = "ward"
) -> tuple[list[str], str, str]:
    """Issuer header lines, a ring text for its seal, and the place name for the date line."""
    name, prefix, _ = PROVINCES[addr.province_code]
    if level == "ward":
        unit = addr.ward
        lines = [f"{st.uy} BAN NHÂN DÂN", unit.upper()]
        if rng.random() < 0.4:
            lines.insert(1, addr.district.upper())
        ring = f"{st.uy} BAN NHÂN DÂN {unit} * {addr.district} *"
    elif level == "district":
        lines = [f"{st.uy} BAN NHÂN DÂN", addr.district.upper()]
        ring = f"{st.uy} BAN NHÂN DÂN {addr.district} * {name} *"
    elif level == "police":
        lines = [f"CÔNG AN {prefix.upper()} {name.upper()}", f"CÔNG AN {addr.ward.upper()}"]
        ring = f"CÔNG AN {addr.ward} * {addr.district} *"
    else:  # province department
        lines = [f"{st.uy} BAN NHÂN DÂN {prefix.upper()} {name.upper()}", level.upper()]
        ring = f"{level} * {name} *"
    return lines, ring, name


__all__ += ["place_date"]
