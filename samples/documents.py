"""A4 document templates: one function per doc_type, each returns a Document with its fields.

Titles and the labels that tell template versions apart are printed from the types' records
(classifiers/doctypes), so the samples show what the classifier looks for.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta

from classifiers import doctypes

from .a4 import (
    date_words,
    fmt_date,
    issuer_for,
    national_header,
    new_a4,
    place_date,
    signature_block,
    title,
)
from .model import Document, Subject
from .people import (
    GIVEN_FEMALE,
    GIVEN_MALE,
    MIDDLE_FEMALE,
    MIDDLE_MALE,
    SURNAMES,
    Person,
    make_person,
    random_address,
    random_date,
)
from .render import Page

__all__ = ["TEMPLATES", "PersonSource"]

PersonSource = Callable[..., Person]
"""Hands out subjects: `source(rng, min_year=..., max_year=..., sex=...)` (registered in the pool)."""

SIGNERS = [
    "Nguyễn Văn Thành",
    "Trần Thị Thu Hà",
    "Lê Minh Tuấn",
    "Phạm Quốc Bảo",
    "Hoàng Thị Lan",
    "Vũ Đức Thắng",
    "Đỗ Thị Hồng Nhung",
    "Bùi Xuân Trường",
    "Ngô Thị Kim Oanh",
    "Đặng Hữu Phước",
]


def _sex_vi(sex: str) -> str:
    return "Nam" if sex == "male" else "Nữ"


def _name_print(rng: random.Random, name: str, upper_p: float = 0.6) -> str:
    return name.upper() if rng.random() < upper_p else name


def _random_name(rng: random.Random, sex: str) -> str:
    sur = rng.choices([s for s, _ in SURNAMES], weights=[w for _, w in SURNAMES])[0]
    if sex == "male":
        return f"{sur} {rng.choice(MIDDLE_MALE)} {rng.choice(GIVEN_MALE)}"
    return f"{sur} {rng.choice(MIDDLE_FEMALE)} {rng.choice(GIVEN_FEMALE)}"


def _fields(
    page: Page,
    st,
    y: float,
    rows: list[tuple[str, str]],
    *,
    x: float | None = None,
    right: float | None = None,
    newline: set[str] | None = None,
) -> float:
    lf, vf = st.lf(page), st.vf(page)
    for label, value in rows:
        y = page.field(
            x or st.left,
            y,
            label,
            value,
            lf=lf,
            vf=vf,
            right=right or st.right,
            leading=st.leading,
            leaders=st.leaders,
            value_newline=bool(newline and label in newline),
        )
    return y


def _inline(
    page: Page, st, y: float, parts: list[tuple[str, str]], *, x: float | None = None
) -> float:
    """Several short label/value pairs on one printed line, each its own GT line.

    Items sit on an even grid unless the previous one is too long; if they cannot fit on
    one line, each gets its own line.
    """
    lf, vf = st.lf(page), st.vf(page)
    x0 = x or st.left
    span = (st.right - x0) / len(parts)
    gap = page.mm(6)
    widths = [lf.getlength(label + " ") + vf.getlength(value) for label, value in parts]
    xs: list[float] = []
    cur = x0
    for i, w in enumerate(widths):
        xi = max(x0 + i * span, cur)
        xs.append(xi)
        cur = xi + w + gap
    if cur - gap > st.right:
        for label, value in parts:
            page.text(x0, y, [(label + " ", lf), (value, vf)])
            y += st.leading
        return y
    for xi, (label, value) in zip(xs, parts, strict=True):
        page.text(xi, y, [(label + " ", lf), (value, vf)])
    return y + st.leading


def _para(page: Page, x: float, y: float, text: str, font, right: float, leading: float) -> float:
    """A sentence that wraps at the right margin; returns the baseline after it."""
    for ln in page.wrap_words(right - x, right - x, text.split(), font):
        page.text(x, y, ln, font)
        y += leading
    return y


def _reg_number(rng: random.Random, year: int, suffix: str = "") -> tuple[str, str]:
    n = str(rng.randint(1, 1500))
    printed = f"{n}/{year}{suffix}" if rng.random() < 0.7 else n
    return n, printed


# -- birth certificate -------------------------------------------------------------------


def birth_certificate(rng: random.Random, source: PersonSource) -> Document:
    child = source(rng, min_year=1985, max_year=2024)
    page, st = new_a4(rng)
    reg_date = child.date_of_birth + timedelta(days=rng.randint(3, 55))
    reg_addr = child.birth_place
    issuer, ring, place = issuer_for(rng, st, reg_addr, "ward")
    num, num_printed = _reg_number(rng, reg_date.year)
    y = national_header(
        page, st, issuer, num_printed, None, number_label=rng.choice(["Số: ", "Số: "])
    )
    titles = list(doctypes.DOC_TYPES["birth_certificate"].version("ban_chinh").titles)
    y = title(page, y + page.mm(8), titles, pt=rng.choice([16, 17, 18]))
    y += page.mm(3)
    mother = _random_name(rng, "female")
    father = (
        child.surname + " " + _random_name(rng, "male").split(" ", 1)[1]
        if rng.random() < 0.92
        else None
    )
    prov = reg_addr.province
    pob = rng.choice(
        [
            f"Bệnh viện Phụ sản {prov}",
            f"Bệnh viện Đa khoa {prov}",
            f"Trạm y tế {reg_addr.ward}",
            "Bệnh viện Phụ sản Trung ương",
            "Bệnh viện Từ Dũ",
            "Bệnh viện Hùng Vương",
        ]
    )
    if rng.random() < 0.3:
        pob = (
            f"{pob}, {reg_addr.render('full')}"
            if pob.startswith("Bệnh")
            else reg_addr.render("full")
        )
    dob_style = rng.choice(["slash", "words", "dash"])
    name_p = _name_print(rng, child.full_name)
    rows: list[tuple[str, str]] = [("Họ, chữ đệm, tên:", name_p)]
    y = _fields(page, st, y, rows)
    y = _fields(
        page, st, y, [("Ngày, tháng, năm sinh:", fmt_date(rng, child.date_of_birth, dob_style))]
    )
    y = _fields(
        page, st, y, [("ghi bằng chữ:", date_words(child.date_of_birth))], x=st.left + page.mm(8)
    )
    y = _inline(
        page,
        st,
        y,
        [
            ("Giới tính:", _sex_vi(child.sex)),
            ("Dân tộc:", child.ethnicity),
            ("Quốc tịch:", child.nationality),
        ],
    )
    y = _fields(page, st, y, [("Nơi sinh:", pob), ("Quê quán:", child.place_of_origin)])
    show_id = rng.random() < 0.8
    if show_id:
        y = _fields(page, st, y, [("Số định danh cá nhân:", child.id_number)])
    y += page.mm(2)
    mother_dob_year = child.date_of_birth.year - rng.randint(19, 38)
    y = _fields(page, st, y, [("Họ, chữ đệm, tên người mẹ:", _name_print(rng, mother, 0.5))])
    y = _inline(
        page,
        st,
        y,
        [("Năm sinh:", str(mother_dob_year)), ("Dân tộc:", "Kinh"), ("Quốc tịch:", "Việt Nam")],
    )
    parents_home = random_address(rng, reg_addr.province_code).render("full")
    y = _fields(page, st, y, [("Nơi cư trú:", parents_home)])
    if father:
        y = _fields(page, st, y, [("Họ, chữ đệm, tên người cha:", _name_print(rng, father, 0.5))])
        y = _inline(
            page,
            st,
            y,
            [
                ("Năm sinh:", str(mother_dob_year - rng.randint(0, 8))),
                ("Dân tộc:", "Kinh"),
                ("Quốc tịch:", "Việt Nam"),
            ],
        )
        y = _fields(page, st, y, [("Nơi cư trú:", parents_home)])
    y += page.mm(2)
    declarant = father or mother
    y = _fields(
        page,
        st,
        y,
        [
            ("Họ, chữ đệm, tên người đi khai sinh:", declarant),
            (
                "Nơi đăng ký khai sinh:",
                f"{st.uy.capitalize()} ban nhân dân {reg_addr.ward}, {reg_addr.district}, {reg_addr.render('full').split(', ')[-1]}",
            ),
            ("Ngày, tháng, năm đăng ký:", fmt_date(rng, reg_date)),
        ],
    )
    y += page.mm(6)
    signer = rng.choice(SIGNERS)
    signature_block(
        page,
        rng,
        st,
        y,
        "NGƯỜI KÝ GIẤY KHAI SINH",
        "(Ký, ghi rõ họ, chữ đệm, tên, chức vụ và đóng dấu)",
        signer,
        ring,
    )
    fields = {
        "full_name": child.full_name,
        "date_of_birth": child.date_of_birth.isoformat(),
        "sex": child.sex,
        "ethnicity": child.ethnicity,
        "nationality": child.nationality,
        "place_of_birth": pob,
        "place_of_origin": child.place_of_origin,
        "mother_name": mother,
        "registration_date": reg_date.isoformat(),
        "registration_number": num,
    }
    if father:
        fields["father_name"] = father
    subjects = []
    if show_id:
        fields["id_number"] = child.id_number
        subjects.append(
            Subject(
                child,
                "id_number",
                {
                    "full_name": "full_name",
                    "date_of_birth": "date_of_birth",
                    "sex": "sex",
                    "place_of_origin": "place_of_origin",
                },
            )
        )
    return Document("birth_certificate", [page], fields, subjects)


# -- marriage certificate ----------------------------------------------------------------


def marriage_certificate(rng: random.Random, source: PersonSource) -> Document:
    husband = source(rng, min_year=1965, max_year=2002, sex="male")
    hy = husband.date_of_birth.year
    wife = source(rng, min_year=max(1967, hy - 3), max_year=min(2004, hy + 8), sex="female")
    page, st = new_a4(rng)
    youngest = max(husband.date_of_birth, wife.date_of_birth)
    reg_date = random_date(
        rng, max(youngest + timedelta(days=365 * 20 + 5), date(2016, 1, 1)), date(2026, 10, 1)
    )
    addr = wife.residence if rng.random() < 0.5 else husband.residence
    issuer, ring, place = issuer_for(rng, st, addr, "ward")
    num, num_printed = _reg_number(rng, reg_date.year)
    y = national_header(page, st, issuer, num_printed, None)
    two_columns = doctypes.DOC_TYPES["marriage_certificate"].version("hai_cot")
    y = title(page, y + page.mm(8), list(two_columns.titles), pt=16)  # both layouts' title
    y += page.mm(3)
    if rng.random() < 0.5:
        # two columns: husband (Chồng) left, wife (Vợ) right — read column by column
        col_w = (st.right - st.left) / 2
        xs = [st.left, st.left + col_w + page.mm(3)]
        y0 = y
        ends = []
        # "Thông tin người chồng", "Thông tin người vợ"
        headings = two_columns.printed_labels
        for (who, p), x in zip(zip(headings, (husband, wife), strict=True), xs, strict=True):
            yy = y0
            page.text(
                x + col_w / 2 - page.mm(3),
                yy,
                who,
                page.font(st.body_pt, bold=True),
                align="center",
            )
            yy += st.leading
            rows = [
                ("Họ, chữ đệm, tên:", _name_print(rng, p.full_name, 0.7)),
                ("Ngày, tháng, năm sinh:", fmt_date(rng, p.date_of_birth, "slash")),
                ("Dân tộc:", p.ethnicity),
                ("Quốc tịch:", p.nationality),
                ("Nơi cư trú:", p.place_of_residence),
                ("Số định danh cá nhân:", p.id_number),
            ]
            yy = _fields(
                page,
                st,
                yy,
                rows,
                x=x,
                right=x + col_w - page.mm(5),
                newline={"Nơi cư trú:", "Số định danh cá nhân:"}
                if rng.random() < 0.5
                else {"Số định danh cá nhân:"},
            )
            ends.append(yy)
        y = max(ends) + page.mm(3)
    else:
        # one column, husband's block then wife's block (older form, version "mot_cot")
        for who, p in (("chồng", husband), ("vợ", wife)):
            y = _fields(
                page, st, y, [(f"Họ, chữ đệm, tên {who}:", _name_print(rng, p.full_name, 0.7))]
            )
            y = _inline(
                page,
                st,
                y,
                [
                    ("Ngày, tháng, năm sinh:", fmt_date(rng, p.date_of_birth, "slash")),
                    ("Dân tộc:", p.ethnicity),
                    ("Quốc tịch:", p.nationality),
                ],
            )
            y = _fields(
                page,
                st,
                y,
                [("Nơi cư trú:", p.place_of_residence), ("Số định danh cá nhân:", p.id_number)],
            )
            y += page.mm(2)
    y = _fields(
        page,
        st,
        y,
        [
            (
                "Nơi đăng ký kết hôn:",
                f"{st.uy.capitalize()} ban nhân dân {addr.ward}, {addr.district}, {addr.render('full').split(', ')[-1]}",
            ),
            ("Ngày, tháng, năm đăng ký:", fmt_date(rng, reg_date)),
        ],
    )
    y += page.mm(6)
    # signatures of both spouses on the left, official on the right; each signer's block
    # (role, signature, name) is read whole, husband's, wife's, then the official's
    lx = page.mm(30)
    for sx, role, spouse in ((lx, "Chồng", husband), (lx + page.mm(52), "Vợ", wife)):
        page.text(sx, y, role, page.font(st.body_pt, bold=True), align="center")
        page.signature(rng, sx, y + page.mm(14), page.mm(24), page.mm(7), color=(30, 30, 60))
        page.text(sx, y + page.mm(28), spouse.full_name, page.font(st.body_pt - 2), align="center")
    signature_block(
        page,
        rng,
        st,
        y,
        "TM. " + issuer[0],
        "(Ký, ghi rõ họ tên, đóng dấu)",
        rng.choice(SIGNERS),
        ring,
        cx=page.width * 0.77,
        extra_title="CHỦ TỊCH" if rng.random() < 0.5 else None,
    )
    fields = {
        "husband_name": husband.full_name,
        "husband_date_of_birth": husband.date_of_birth.isoformat(),
        "husband_id_number": husband.id_number,
        "wife_name": wife.full_name,
        "wife_date_of_birth": wife.date_of_birth.isoformat(),
        "wife_id_number": wife.id_number,
        "registration_date": reg_date.isoformat(),
        "registration_number": num,
    }
    subjects = [
        Subject(
            husband,
            "husband_id_number",
            {"husband_name": "full_name", "husband_date_of_birth": "date_of_birth"},
        ),
        Subject(
            wife,
            "wife_id_number",
            {"wife_name": "full_name", "wife_date_of_birth": "date_of_birth"},
        ),
    ]
    return Document("marriage_certificate", [page], fields, subjects)


# -- marital status certificate -------------------------------------------------------------


def marital_status_certificate(rng: random.Random, source: PersonSource) -> Document:
    p = source(rng, min_year=1960, max_year=2006)
    page, st = new_a4(rng)
    issue = random_date(rng, date(2019, 1, 1), date(2026, 10, 31))
    issuer, ring, place = issuer_for(rng, st, p.residence, "ward")
    _, num_printed = _reg_number(rng, issue.year, "/XNTTHN")
    y = national_header(page, st, issuer, num_printed, place_date(rng, place, issue))
    titles = list(doctypes.DOC_TYPES["marital_status_certificate"].version("giay_xac_nhan").titles)
    y = title(page, y + page.mm(8), titles, pt=15.5)
    lf = st.lf(page)
    y += page.mm(2)
    y = page.field(
        st.left,
        y,
        f"{st.uy.capitalize()} ban nhân dân",
        f"{p.residence.ward}, {p.residence.district}, {p.residence.render('full').split(', ')[-1]}",
        lf=lf,
        vf=lf,
        right=st.right,
        leading=st.leading,
    )
    y = _para(
        page,
        st.left,
        y,
        "Xét đề nghị của ông/bà: " + _name_print(rng, p.full_name, 0.3),
        lf,
        st.right,
        st.leading,
    )
    y = _para(
        page,
        st.left,
        y,
        "về việc cấp Giấy xác nhận tình trạng hôn nhân cho người có tên dưới đây,",
        lf,
        st.right,
        st.leading,
    )
    page.text(page.width / 2, y, "XÁC NHẬN:", page.font(st.body_pt, bold=True), align="center")
    y += st.leading
    status = rng.choice(
        [
            "Hiện tại chưa đăng ký kết hôn với ai.",
            "Chưa đăng ký kết hôn với ai.",
            "Đã đăng ký kết hôn, nhưng đã ly hôn theo Bản án số 12/2019/HNGĐ-ST, hiện tại chưa đăng ký kết hôn với ai.",
            "Hiện tại đang có vợ/chồng.",
        ]
    )
    y = _fields(
        page,
        st,
        y,
        [
            ("Họ, chữ đệm, tên:", _name_print(rng, p.full_name)),
            ("Ngày, tháng, năm sinh:", fmt_date(rng, p.date_of_birth)),
        ],
    )
    y = _inline(
        page,
        st,
        y,
        [("Giới tính:", _sex_vi(p.sex)), ("Dân tộc:", p.ethnicity), ("Quốc tịch:", p.nationality)],
    )
    y = _fields(
        page,
        st,
        y,
        [
            ("Giấy tờ tùy thân:", f"Căn cước công dân số {p.id_number}"),
            ("Nơi cư trú:", p.place_of_residence),
            ("Trong thời gian cư trú tại:", f"{p.residence.ward}, {p.residence.district}"),
            (
                "từ ngày:",
                f"{fmt_date(rng, p.date_of_birth + timedelta(days=6570), 'slash')} đến ngày {fmt_date(rng, issue, 'slash')}",
            ),
            ("Tình trạng hôn nhân:", status),
            (
                "Giấy này được cấp để:",
                rng.choice(
                    [
                        "làm thủ tục đăng ký kết hôn.",
                        "bổ sung hồ sơ vay vốn ngân hàng.",
                        "làm thủ tục mua bán nhà đất.",
                    ]
                ),
            ),
        ],
    )
    y = (
        _para(
            page,
            st.left,
            y,
            "Giấy này có giá trị sử dụng trong thời hạn 6 tháng, kể từ ngày cấp.",
            page.font(st.body_pt, italic=True),
            st.right,
            st.leading,
        )
        + st.leading * 0.5
    )
    signature_block(
        page,
        rng,
        st,
        y,
        "NGƯỜI KÝ GIẤY XÁC NHẬN",
        "(Ký, ghi rõ họ, chữ đệm, tên, chức vụ, đóng dấu)",
        rng.choice(SIGNERS),
        ring,
    )
    marital = "married" if "đang có" in status else ("divorced" if "ly hôn" in status else "single")
    fields = {
        "full_name": p.full_name,
        "date_of_birth": p.date_of_birth.isoformat(),
        "sex": p.sex,
        "id_number": p.id_number,
        "place_of_residence": p.place_of_residence,
        "marital_status": marital,
    }
    subj = Subject(
        p,
        "id_number",
        {
            "full_name": "full_name",
            "date_of_birth": "date_of_birth",
            "sex": "sex",
            "place_of_residence": "place_of_residence",
        },
    )
    return Document("marital_status_certificate", [page], fields, [subj])


# -- residence confirmation (CT07) ---------------------------------------------------------


def residence_confirmation(rng: random.Random, source: PersonSource) -> Document:
    p = source(rng, min_year=1950, max_year=2010)
    page, st = new_a4(rng)
    issue = random_date(rng, date(2022, 1, 1), date(2026, 10, 31))
    issuer, ring, place = issuer_for(rng, st, p.residence, "police")
    ct07 = doctypes.DOC_TYPES["residence_confirmation"].version("ct07")
    page.text(
        st.right,
        st.top,
        ct07.printed_labels[0],  # "Mẫu CT07 ban hành kèm theo Thông tư số 66/2023/TT-BCA"
        page.font(10.5, italic=True),
        align="right",
    )
    st.top += page.mm(7)
    _, num_printed = _reg_number(rng, issue.year, "/XN")
    y = national_header(page, st, issuer, num_printed, place_date(rng, place, issue))
    y = title(page, y + page.mm(8), list(ct07.titles), pt=15.5)
    lf = st.lf(page)
    y += page.mm(2)
    y = _para(page, st.left, y, f"Theo đề nghị của ông/bà: {p.full_name}", lf, st.right, st.leading)
    y = _para(
        page,
        st.left,
        y,
        f"{issuer[1].title().replace('Công An', 'Công an')} xác nhận thông tin về cư trú như sau:",
        lf,
        st.right,
        st.leading,
    )
    rows = [
        ("1. Họ, chữ đệm và tên:", _name_print(rng, p.full_name, 0.7)),
        ("2. Ngày, tháng, năm sinh:", fmt_date(rng, p.date_of_birth)),
        ("3. Giới tính:", _sex_vi(p.sex)),
        ("4. Số định danh cá nhân:", p.id_number),
        ("5. Nơi thường trú:", p.place_of_residence),
        ("6. Nơi tạm trú:", "Không"),
        ("7. Nơi ở hiện tại:", p.place_of_residence),
        (
            "8. Họ, chữ đệm và tên chủ hộ:",
            _random_name(rng, rng.choice(["male", "female"]))
            if rng.random() < 0.5
            else p.full_name,
        ),
        ("9. Quan hệ với chủ hộ:", rng.choice(["Chủ hộ", "Con", "Vợ", "Chồng", "Cháu"])),
    ]
    y = _fields(page, st, y, rows)
    y += page.mm(2)
    page.text(
        st.left,
        y,
        "Xác nhận này có giá trị 30 ngày kể từ ngày cấp.",
        page.font(st.body_pt, italic=True),
    )
    y += st.leading * 1.5
    signature_block(
        page,
        rng,
        st,
        y,
        "THỦ TRƯỞNG CƠ QUAN ĐĂNG KÝ CƯ TRÚ",
        "(Ký, ghi rõ họ tên và đóng dấu)",
        "Thiếu tá " + rng.choice(SIGNERS),
        ring,
    )
    fields = {
        "full_name": p.full_name,
        "date_of_birth": p.date_of_birth.isoformat(),
        "sex": p.sex,
        "id_number": p.id_number,
        "place_of_residence": p.place_of_residence,
    }
    subj = Subject(
        p,
        "id_number",
        {
            "full_name": "full_name",
            "date_of_birth": "date_of_birth",
            "sex": "sex",
            "place_of_residence": "place_of_residence",
        },
    )
    return Document("residence_confirmation", [page], fields, [subj])


# -- business registrations ----------------------------------------------------------------

BUSINESS_WORDS = [
    "Hoa Mai",
    "Phúc Lộc",
    "Minh Khang",
    "Thành Đạt",
    "Ánh Dương",
    "Hưng Thịnh",
    "Bảo Ngọc",
    "An Khang",
    "Việt Tiến",
    "Trường Sơn",
    "Đại Phát",
    "Kim Ngân",
    "Hồng Hà",
    "Sao Việt",
]
HKD_KINDS = [
    "Cửa hàng tạp hoá",
    "Quán cà phê",
    "Tiệm may",
    "Cửa hàng điện thoại",
    "Tiệm bánh",
    "Quán phở",
    "Cửa hàng vật liệu xây dựng",
    "Tiệm sửa xe máy",
]
ENT_KINDS = ["CÔNG TY TNHH", "CÔNG TY CỔ PHẦN", "CÔNG TY TNHH MỘT THÀNH VIÊN"]
ENT_FIELDS = [
    "THƯƠNG MẠI VÀ DỊCH VỤ",
    "XÂY DỰNG",
    "CÔNG NGHỆ",
    "ĐẦU TƯ",
    "VẬN TẢI",
    "THỰC PHẨM",
    "DU LỊCH",
]


def household_business_registration(rng: random.Random, source: PersonSource) -> Document:
    owner = source(rng, min_year=1955, max_year=2003)
    page, st = new_a4(rng)
    issue = random_date(rng, date(2015, 1, 1), date(2026, 10, 31))
    addr = random_address(rng, owner.residence.province_code)
    issuer, ring, place = issuer_for(rng, st, addr, "district")
    issuer = [issuer[0] + " " + addr.district.upper(), "PHÒNG TÀI CHÍNH - KẾ HOẠCH"]
    code = f"{rng.randint(1, 99):02d}{rng.choice('ABCDEFGHKLMN')}{rng.randint(8, 9)}{rng.randint(10**5, 10**6 - 1)}"
    y = national_header(page, st, issuer, None, None)
    titles = list(
        doctypes.DOC_TYPES["household_business_registration"].version("giay_chung_nhan").titles
    )
    y = title(page, y + page.mm(8), titles, pt=15.5)
    lf = st.lf(page)
    page.text(
        page.width / 2, y, [("Số: ", lf), (code, page.font(st.body_pt, bold=True))], align="center"
    )
    y += st.leading
    page.text(
        page.width / 2,
        y,
        f"Đăng ký lần đầu: {fmt_date(rng, issue, 'words')}",
        page.font(st.body_pt, italic=True),
        align="center",
    )
    y += st.leading * 1.3
    name = f"{rng.choice(HKD_KINDS)} {rng.choice(BUSINESS_WORDS)}"
    if rng.random() < 0.5:
        name = name.upper()  # expected value is the printed string
    y = _fields(
        page,
        st,
        y,
        [
            ("1. Tên hộ kinh doanh:", name),
            ("2. Địa điểm kinh doanh:", addr.render("full")),
            ("Điện thoại:", f"09{rng.randint(10**7, 10**8 - 1)}"),
            (
                "3. Ngành, nghề kinh doanh:",
                rng.choice(
                    [
                        "Bán lẻ lương thực, thực phẩm, đồ uống",
                        "Dịch vụ ăn uống",
                        "Sửa chữa mô tô, xe máy",
                        "May trang phục",
                    ]
                ),
            ),
            ("4. Vốn kinh doanh:", f"{rng.randint(5, 90) * 10_000_000:,} đồng".replace(",", ".")),
            ("5. Họ và tên đại diện hộ kinh doanh:", _name_print(rng, owner.full_name, 0.7)),
        ],
    )
    y = _inline(
        page,
        st,
        y,
        [
            ("Giới tính:", _sex_vi(owner.sex)),
            ("Sinh ngày:", fmt_date(rng, owner.date_of_birth, "slash")),
        ],
    )
    y = _fields(
        page,
        st,
        y,
        [
            ("Dân tộc:", owner.ethnicity),
            ("Số định danh cá nhân:", owner.id_number),
            ("Nơi thường trú:", owner.place_of_residence),
        ],
    )
    y += page.mm(6)
    signature_block(page, rng, st, y, "TRƯỞNG PHÒNG", None, rng.choice(SIGNERS), ring)
    fields = {
        "business_name": name,
        "business_code": code,
        "owner_name": owner.full_name,
        "owner_id_number": owner.id_number,
        "address": addr.render("full"),
    }
    subj = Subject(owner, "owner_id_number", {"owner_name": "full_name"})
    return Document("household_business_registration", [page], fields, [subj])


def enterprise_registration(rng: random.Random, source: PersonSource) -> Document:
    owner = source(rng, min_year=1955, max_year=2003)
    page, st = new_a4(rng)
    issue = random_date(rng, date(2012, 1, 1), date(2026, 10, 31))
    addr = random_address(rng)
    from .people import PROVINCES

    prov_name, prov_prefix, _ = PROVINCES[addr.province_code]
    issuer = [
        "SỞ KẾ HOẠCH VÀ ĐẦU TƯ" if issue.year < 2025 else "SỞ TÀI CHÍNH",
        f"{prov_prefix.upper()} {prov_name.upper()}",
        "PHÒNG ĐĂNG KÝ KINH DOANH",
    ]
    code = f"0{rng.randint(100_000_000, 999_999_999)}"
    y = national_header(page, st, issuer, None, None)
    kind = rng.choice(ENT_KINDS)
    version = {
        "CÔNG TY TNHH": "tnhh_hai_thanh_vien",
        "CÔNG TY CỔ PHẦN": "co_phan",
        "CÔNG TY TNHH MỘT THÀNH VIÊN": "tnhh_mot_thanh_vien",
    }[kind]
    enterprise = doctypes.DOC_TYPES["enterprise_registration"]
    titles = list(enterprise.version(version).titles)  # the title, then the company's kind
    y = title(page, y + page.mm(8), titles, pt=15.5, sub_bold=True)
    lf = st.lf(page)
    page.text(
        page.width / 2,
        y,
        [("Mã số doanh nghiệp: ", lf), (code, page.font(st.body_pt, bold=True))],
        align="center",
    )
    y += st.leading
    page.text(
        page.width / 2,
        y,
        f"Đăng ký lần đầu: {fmt_date(rng, issue, 'words')}",
        page.font(st.body_pt, italic=True),
        align="center",
    )
    y += st.leading * 1.3
    name = f"{kind} {rng.choice(ENT_FIELDS)} {rng.choice(BUSINESS_WORDS).upper()}"
    page.text(st.left, y, "1. Tên công ty", page.font(st.body_pt, bold=True))
    y += st.leading
    y = _fields(
        page,
        st,
        y,
        [
            ("Tên công ty viết bằng tiếng Việt:", name),
            ("Tên công ty viết tắt:", "".join(w[0] for w in name.split()[2:]) + " CO., LTD"),
        ],
    )
    page.text(st.left, y, "2. Địa chỉ trụ sở chính", page.font(st.body_pt, bold=True))
    y += st.leading
    y = _fields(
        page,
        st,
        y,
        [("", addr.render("full")), ("Điện thoại:", f"02{rng.randint(10**8, 10**9 - 1)}")],
    )
    page.text(st.left, y, "3. Vốn điều lệ", page.font(st.body_pt, bold=True))
    y += st.leading
    y = _fields(
        page,
        st,
        y,
        [("Vốn điều lệ:", f"{rng.randint(1, 90) * 100_000_000:,} đồng".replace(",", "."))],
    )
    page.text(
        st.left, y, "4. Người đại diện theo pháp luật của công ty", page.font(st.body_pt, bold=True)
    )
    y += st.leading
    y = _fields(page, st, y, [("Họ và tên:", _name_print(rng, owner.full_name, 0.7))])
    y = _inline(page, st, y, [("Giới tính:", _sex_vi(owner.sex)), ("Chức danh:", "Giám đốc")])
    y = _fields(
        page,
        st,
        y,
        [
            ("Sinh ngày:", fmt_date(rng, owner.date_of_birth, "slash")),
            ("Dân tộc:", owner.ethnicity),
            ("Số định danh cá nhân:", owner.id_number),
            ("Địa chỉ thường trú:", owner.place_of_residence),
        ],
    )
    y += page.mm(5)
    signature_block(
        page,
        rng,
        st,
        y,
        "TRƯỞNG PHÒNG",
        None,
        rng.choice(SIGNERS),
        ring="PHÒNG ĐĂNG KÝ KINH DOANH * " + prov_name + " *",
    )
    fields = {
        "business_name": name,
        "business_code": code,
        "owner_name": owner.full_name,
        "owner_id_number": owner.id_number,
        "address": addr.render("full"),
    }
    subj = Subject(owner, "owner_id_number", {"owner_name": "full_name"})
    return Document("enterprise_registration", [page], fields, [subj])


# -- land use certificate ------------------------------------------------------------------


def land_use_certificate(rng: random.Random, source: PersonSource) -> Document:
    owner = source(rng, min_year=1945, max_year=2000)
    page, st = new_a4(rng)
    issue = random_date(rng, date(2010, 1, 1), date(2026, 10, 31))
    addr = random_address(rng, owner.residence.province_code, street=rng.random() < 0.6)
    issuer, ring, place = issuer_for(rng, st, addr, "district")
    y = st.top + page.px(13)
    f_m = page.font(13, bold=True)
    page.text(page.width / 2, y, f"CỘNG {st.hoa} XÃ HỘI CHỦ NGHĨA VIỆT NAM", f_m, align="center")
    y += page.px(13) * 1.4
    bb = page.text(
        page.width / 2, y, "Độc lập - Tự do - Hạnh phúc", page.font(14, bold=True), align="center"
    )
    page.hline(bb[0], bb[2], bb[3] + page.px(4), width=page.px(0.8))
    y += page.mm(14)
    titles = list(doctypes.DOC_TYPES["land_use_certificate"].version("2014").titles)
    y = title(page, y, titles, pt=17, sub_bold=True)
    y += page.mm(4)
    y = _para(
        page,
        st.left,
        y,
        "I. Người sử dụng đất, chủ sở hữu nhà ở và tài sản khác gắn liền với đất",
        page.font(st.body_pt, bold=True),
        st.right,
        st.leading,
    )
    honor = "Ông" if owner.sex == "male" else "Bà"
    y = _fields(
        page,
        st,
        y,
        [
            (f"{honor}:", _name_print(rng, owner.full_name, 0.8)),
            ("Năm sinh:", str(owner.date_of_birth.year)),
            ("CCCD số:", owner.id_number),
            ("Địa chỉ thường trú:", owner.place_of_residence),
        ],
    )
    y += page.mm(2)
    page.text(
        st.left,
        y,
        "II. Thửa đất, nhà ở và tài sản khác gắn liền với đất",
        page.font(st.body_pt, bold=True),
    )
    y += st.leading
    parcel = str(rng.randint(1, 999))
    sheet = str(rng.randint(1, 80))
    area = round(rng.uniform(40, 600), 1)
    area_s = f"{area:.1f}".replace(".", ",")
    # parcel table
    x0, x1 = st.left, st.right
    cols = [x0 + (x1 - x0) * k for k in (0, 0.2, 0.4, 0.62, 1.0)]
    heads = ["Thửa đất số", "Tờ bản đồ số", "Diện tích (m²)", "Hình thức sử dụng"]
    vals = [parcel, sheet, area_s, "Sử dụng riêng"]
    row_h = st.leading * 1.3
    top = y - st.leading * 0.45  # below the heading's descenders
    lw = page.px(0.8)
    for i in range(3):
        page.hline(x0, x1, top + i * row_h, width=lw)
    for cx in cols:
        page.draw.line([(cx, top), (cx, top + 2 * row_h)], fill=page.ink, width=max(1, round(lw)))
    fb = page.font(st.body_pt - 2, bold=True)
    fv = page.font(st.body_pt)
    for i, h in enumerate(heads):
        page.text((cols[i] + cols[i + 1]) / 2, top + row_h * 0.7, h, fb, align="center")
    for i, v in enumerate(vals):
        page.text((cols[i] + cols[i + 1]) / 2, top + row_h * 1.7, v, fv, align="center")
    y = top + 2 * row_h + st.leading * 1.2
    y = _fields(
        page,
        st,
        y,
        [
            ("a) Thửa đất số:", f"{parcel}; tờ bản đồ số: {sheet}"),
            ("b) Địa chỉ:", addr.render("full")),
            ("c) Diện tích:", f"{area_s} m²"),
            (
                "d) Mục đích sử dụng:",
                rng.choice(["Đất ở tại đô thị", "Đất ở tại nông thôn", "Đất trồng cây lâu năm"]),
            ),
            ("đ) Thời hạn sử dụng:", "Lâu dài"),
            (
                "e) Nguồn gốc sử dụng:",
                rng.choice(
                    [
                        "Nhận chuyển nhượng đất được Công nhận QSDĐ như giao đất có thu tiền sử dụng đất",
                        "Nhà nước giao đất có thu tiền sử dụng đất",
                        "Nhận thừa kế",
                    ]
                ),
            ),
        ],
    )
    y += page.mm(4)
    signature_block(
        page,
        rng,
        st,
        y,
        place_date(rng, place, issue),
        None,
        rng.choice(SIGNERS),
        ring,
        extra_title=f"TM. {st.uy} BAN NHÂN DÂN",
    )
    fields = {
        "owner_name": owner.full_name,
        "owner_id_number": owner.id_number,
        "parcel_number": parcel,
        "map_sheet_number": sheet,
        "area_m2": f"{area:.1f}",
        "address": addr.render("full"),
    }
    subj = Subject(owner, "owner_id_number", {"owner_name": "full_name"})
    return Document("land_use_certificate", [page], fields, [subj])


# -- diploma ---------------------------------------------------------------------------------

UNIVERSITIES = [
    "TRƯỜNG ĐẠI HỌC BÁCH KHOA HÀ NỘI",
    "TRƯỜNG ĐẠI HỌC KINH TẾ QUỐC DÂN",
    "TRƯỜNG ĐẠI HỌC SƯ PHẠM HÀ NỘI",
    "TRƯỜNG ĐẠI HỌC CẦN THƠ",
    "TRƯỜNG ĐẠI HỌC HUẾ",
    "TRƯỜNG ĐẠI HỌC KHOA HỌC TỰ NHIÊN, ĐẠI HỌC QUỐC GIA TP. HỒ CHÍ MINH",
]


def diploma(rng: random.Random, source: PersonSource) -> Document:
    p = source(rng, min_year=1970, max_year=2003)
    page, st = new_a4(rng)
    uni = rng.choice(UNIVERSITIES)
    high_school = rng.random() < 0.3
    grad_year = p.date_of_birth.year + (18 if high_school else rng.randint(21, 30))
    issue = random_date(rng, date(grad_year, 7, 1), date(grad_year, 12, 31))
    if issue > date(2026, 10, 31):
        issue = date(2026, 7, 20)
    # diploma frame
    m = page.mm(8)
    page.rect((m, m, page.width - m, page.height - m), width=page.px(3), color=(150, 40, 40))
    page.rect(
        (m + page.mm(3), m + page.mm(3), page.width - m - page.mm(3), page.height - m - page.mm(3)),
        width=page.px(1),
        color=(150, 40, 40),
    )
    y = st.top + page.mm(10)
    f_m = page.font(13, bold=True)
    page.text(page.width / 2, y, f"CỘNG {st.hoa} XÃ HỘI CHỦ NGHĨA VIỆT NAM", f_m, align="center")
    y += page.px(13) * 1.4
    bb = page.text(
        page.width / 2, y, "Độc lập - Tự do - Hạnh phúc", page.font(14, bold=True), align="center"
    )
    page.hline(bb[0], bb[2], bb[3] + page.px(4), width=page.px(0.8))
    y += page.mm(16)
    if high_school:
        prov = p.residence.render("full").split(", ")[-1]
        issuer_line = f"GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO {prov.upper()}"
        titles = list(doctypes.DOC_TYPES["diploma"].version("thpt").titles)
        ring = f"SỞ GIÁO DỤC VÀ ĐÀO TẠO * {p.residence.province.upper()} *"
        city = p.residence.province
    else:
        major = rng.choice(
            [
                "Kỹ thuật điện",
                "Kế toán",
                "Sư phạm Toán học",
                "Công nghệ thông tin",
                "Luật kinh tế",
                "Quản trị kinh doanh",
            ]
        )
        rank = "CỬ NHÂN" if rng.random() < 0.6 else "KỸ SƯ"
        issuer_line = f"HIỆU TRƯỞNG {uni}"
        titles = [
            *doctypes.DOC_TYPES["diploma"].version("dai_hoc").titles,
            f"{rank} {major.upper()}",
        ]
        ring = uni.replace("TRƯỜNG ", "") + " *"
        city = rng.choice(["Hà Nội", "Cần Thơ", "Huế", "Thành phố Hồ Chí Minh"])
    degree = titles[1]  # as printed (the subtitle under "BẰNG TỐT NGHIỆP")
    lf = st.lf(page)
    for ln in page.wrap_words(
        page.width * 0.7, page.width * 0.7, issuer_line.split(), page.font(13, bold=True)
    ):
        page.text(page.width / 2, y, ln, page.font(13, bold=True), align="center")
        y += page.px(13) * 1.5
    page.text(page.width / 2, y, "cấp", page.font(13, italic=True), align="center")
    y += page.mm(14)
    for i, t in enumerate(titles):
        page.text(
            page.width / 2,
            y,
            t,
            page.font(22 if i == 0 else 16, bold=True),
            align="center",
            fill=(170, 30, 30),
        )
        y += page.mm(11)
    y += page.mm(6)
    x = st.left + page.mm(15)
    y = _fields(page, st, y, [("Cho:", p.full_name)], x=x)
    y = _fields(page, st, y, [("Ngày sinh:", fmt_date(rng, p.date_of_birth))], x=x)
    if high_school:
        y = _fields(
            page,
            st,
            y,
            [
                (
                    "Học sinh trường:",
                    f"THPT {rng.choice(['Chu Văn An', 'Lê Quý Đôn', 'Phan Bội Châu', 'Trần Phú'])}",
                ),
                ("Khoá thi ngày:", fmt_date(rng, date(issue.year, 6, 27), "slash")),
                ("Xếp loại tốt nghiệp:", rng.choice(["Khá", "Giỏi", "Trung bình"])),
            ],
            x=x,
        )
    else:
        y = _fields(
            page,
            st,
            y,
            [
                ("Xếp loại tốt nghiệp:", rng.choice(["Khá", "Giỏi", "Xuất sắc", "Trung bình"])),
                ("Hình thức đào tạo:", rng.choice(["Chính quy", "Vừa làm vừa học"])),
            ],
            x=x,
        )
    y += page.mm(4)
    signature_block(
        page,
        rng,
        st,
        y,
        place_date(rng, city, issue),
        None,
        rng.choice(SIGNERS),
        ring,
        extra_title="HIỆU TRƯỞNG" if not high_school else "GIÁM ĐỐC",
    )
    reg = str(rng.randint(100, 99999))
    yb = page.height - page.mm(28)
    page.text(
        st.left, yb, f"Số hiệu: {rng.choice(['A', 'B', 'QH'])}{rng.randint(10**5, 10**6 - 1)}", lf
    )
    page.text(st.left, yb + st.leading, f"Số vào sổ cấp bằng: {reg}/{issue.year}", lf)
    fields = {
        "full_name": p.full_name,
        "date_of_birth": p.date_of_birth.isoformat(),
        "degree": degree,
        "issue_date": issue.isoformat(),
        "registration_number": reg,
    }
    return Document("diploma", [page], fields, [])


# -- application form (tờ khai), possibly two pages ----------------------------------------


def application_form(
    rng: random.Random, source: PersonSource, *, pages: int | None = None
) -> Document:
    p = source(rng, min_year=1950, max_year=2006)
    pages = pages or (2 if rng.random() < 0.35 else 1)
    page, st = new_a4(rng)
    issue = random_date(rng, date(2023, 1, 1), date(2026, 11, 15))
    # one of the form's template versions, by its one-line title
    kind = rng.choice([v.titles[0] for v in doctypes.DOC_TYPES["application_form"].versions])
    y = st.top + page.px(13)
    f_m = page.font(13, bold=True)
    page.text(page.width / 2, y, f"CỘNG {st.hoa} XÃ HỘI CHỦ NGHĨA VIỆT NAM", f_m, align="center")
    y += page.px(13) * 1.4
    bb = page.text(
        page.width / 2, y, "Độc lập - Tự do - Hạnh phúc", page.font(14, bold=True), align="center"
    )
    page.hline(bb[0], bb[2], bb[3] + page.px(4), width=page.px(0.8))
    y += page.mm(12)
    y = title(page, y, [kind], pt=15)
    lf = st.lf(page)
    page.text(
        page.width / 2,
        y,
        f"Kính gửi: {st.uy.capitalize()} ban nhân dân {p.residence.ward}",
        lf,
        align="center",
    )
    y += st.leading * 1.4
    leaders = True
    lf_, vf_ = lf, page.font(st.body_pt, italic=rng.random() < 0.3)
    rows = [
        ("Họ, chữ đệm, tên người yêu cầu:", p.full_name),
        ("Ngày, tháng, năm sinh:", fmt_date(rng, p.date_of_birth)),
        ("Giới tính:", _sex_vi(p.sex)),
        ("Nơi cư trú:", p.place_of_residence),
        (
            "Giấy tờ tùy thân:",
            f"CCCD số {p.id_number}, cấp ngày {fmt_date(rng, p.date_of_birth + timedelta(days=365 * 20), 'slash')}",
        ),
        ("Quan hệ với người được cấp bản sao:", rng.choice(["Bản thân", "Cha", "Mẹ", "Con"])),
    ]
    for label, value in rows:
        y = page.field(
            st.left,
            y,
            label,
            value,
            lf=lf_,
            vf=vf_,
            right=st.right,
            leading=st.leading,
            leaders=leaders,
        )
    y = _para(
        page,
        st.left,
        y,
        "Đề nghị cơ quan cấp bản sao/giải quyết nội dung sau:",
        lf,
        st.right,
        st.leading,
    )
    for _ in range(3 if pages == 1 else 6):
        reason = rng.choice(
            [
                "Bổ sung hồ sơ xin việc",
                "Nộp hồ sơ nhập học cho con",
                "Làm thủ tục vay vốn",
                "Bổ sung hồ sơ đất đai",
                "Đăng ký thường trú cho con",
            ]
        )
        bb = page.text(st.left + page.mm(5), y, f"- {reason}", vf_)
        page.dotted_leader(bb[2] + page.px(3), st.right, y)
        y += st.leading
    out_pages = [page]
    if pages == 2:
        page2, _ = new_a4(rng)
        page2.family = page.family
        y = st.top + page.mm(10)
        page2.text(
            st.left,
            y,
            "Số lượng bản sao đề nghị cấp: " + str(rng.randint(1, 5)) + " bản",
            page2.font(st.body_pt),
        )
        y += st.leading
        for _ in range(4):
            bb = page2.text(
                st.left,
                y,
                rng.choice(
                    [
                        "Tôi cam đoan những nội dung khai trên đây là đúng sự thật",
                        "và chịu trách nhiệm trước pháp luật về cam đoan của mình.",
                    ]
                ),
                page2.font(st.body_pt),
            )
            y += st.leading
        out_pages.append(page2)
        page, y0 = page2, y
    else:
        y0 = y + page.mm(2)
        y0 = _para(
            page,
            st.left,
            y0,
            "Tôi cam đoan những nội dung khai trên đây là đúng sự thật và chịu trách nhiệm.",
            page.font(st.body_pt),
            st.right,
            st.leading,
        )
    cx = page.width * 0.68
    page.text(
        cx,
        y0 + st.leading,
        place_date(rng, p.residence.province, issue),
        page.font(st.body_pt, italic=True),
        align="center",
    )
    page.text(
        cx, y0 + 2 * st.leading, "NGƯỜI YÊU CẦU", page.font(st.body_pt, bold=True), align="center"
    )
    page.text(
        cx,
        y0 + 2.9 * st.leading,
        "(Ký, ghi rõ họ, chữ đệm, tên)",
        page.font(st.body_pt - 1.5, italic=True),
        align="center",
    )
    page.signature(
        rng, cx, y0 + 2.9 * st.leading + page.mm(14), page.mm(28), page.mm(8), color=(30, 30, 120)
    )
    page.text(
        cx,
        y0 + 2.9 * st.leading + page.mm(30),
        p.full_name,
        page.font(st.body_pt, bold=True),
        align="center",
    )
    fields = {"full_name": p.full_name, "id_number": p.id_number}
    subj = Subject(p, "id_number", {"full_name": "full_name"})
    return Document("application_form", out_pages, fields, [subj])


# -- other (công văn / thông báo) ------------------------------------------------------------


def other(rng: random.Random, source: PersonSource) -> Document:
    page, st = new_a4(rng)
    addr = random_address(rng)
    issue = random_date(rng, date(2022, 1, 1), date(2026, 11, 15))
    issuer, ring, place = issuer_for(rng, st, addr, rng.choice(["ward", "district"]))
    kind = rng.choice(["THÔNG BÁO", "CÔNG VĂN", "KẾ HOẠCH"])
    y = national_header(
        page,
        st,
        issuer,
        f"{rng.randint(10, 999)}/{'TB' if kind == 'THÔNG BÁO' else 'UBND'}-VP",
        place_date(rng, place, issue),
    )
    topic = rng.choice(
        [
            "Về việc tiếp nhận hồ sơ trực tuyến mức độ toàn trình",
            "Về việc lịch tiếp công dân tháng này",
            "Về việc triển khai thu thập, cập nhật dữ liệu dân cư",
            "Về việc tạm dừng tiếp nhận hồ sơ để nâng cấp hệ thống",
        ]
    )
    y = title(page, y + page.mm(8), [kind, topic], pt=15)
    lf = st.lf(page)
    sentences = [
        "Thực hiện chỉ đạo của cấp trên về cải cách thủ tục hành chính và chuyển đổi số, Bộ phận một cửa thông báo tới toàn thể công dân trên địa bàn được biết và thực hiện.",
        "Công dân có nhu cầu giải quyết thủ tục hành chính vui lòng mang theo thẻ căn cước và các giấy tờ liên quan đến Bộ phận tiếp nhận và trả kết quả trong giờ hành chính.",
        "Mọi thắc mắc xin liên hệ số điện thoại đường dây nóng để được hướng dẫn kịp thời.",
        "Đề nghị các tổ dân phố, thôn, xóm phổ biến rộng rãi nội dung thông báo này.",
        "Thời gian tiếp nhận: buổi sáng từ 7 giờ 30 đến 11 giờ 30, buổi chiều từ 13 giờ 30 đến 17 giờ các ngày làm việc trong tuần.",
        "Hồ sơ nộp trực tuyến được tiếp nhận trên Cổng Dịch vụ công quốc gia, kết quả được trả qua dịch vụ bưu chính công ích.",
    ]
    order = rng.sample(sentences, k=len(sentences))
    for para in [" ".join(order[:3]), " ".join(order[3:])]:
        lines = page.wrap_words(
            st.right - st.left - page.mm(10), st.right - st.left, para.split(), lf
        )
        for i, ln in enumerate(lines):
            page.text(st.left + (page.mm(10) if i == 0 else 0), y, ln, lf)
            y += st.leading
        y += page.mm(2)
    y += page.mm(4)
    page.text(st.left, y, "Nơi nhận:", page.font(st.body_pt - 1, bold=True, italic=True))
    page.text(st.left, y + st.leading * 0.8, "- Như trên;", page.font(st.body_pt - 2))
    page.text(st.left, y + st.leading * 1.5, "- Lưu: VT.", page.font(st.body_pt - 2))
    signature_block(
        page,
        rng,
        st,
        y,
        "TM. " + issuer[0],
        None,
        rng.choice(SIGNERS),
        ring,
        extra_title="CHỦ TỊCH",
    )
    return Document("other", [page], {}, [])


TEMPLATES: dict[str, Callable[[random.Random, PersonSource], Document]] = {
    "birth_certificate": birth_certificate,
    "marriage_certificate": marriage_certificate,
    "marital_status_certificate": marital_status_certificate,
    "residence_confirmation": residence_confirmation,
    "household_business_registration": household_business_registration,
    "enterprise_registration": enterprise_registration,
    "land_use_certificate": land_use_certificate,
    "diploma": diploma,
    "application_form": application_form,
    "other": other,
}

_ = make_person  # re-exported helper used by callers building their own PersonSource
