"""Synthetic Vietnamese people and places: names, addresses, structurally valid id numbers."""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

__all__ = [
    "Person",
    "PROVINCES",
    "make_person",
    "make_id_number",
    "name_capitalised",
    "strip_diacritics",
    "random_date",
]

SURNAMES = [
    ("Nguyễn", 30),
    ("Trần", 11),
    ("Lê", 9),
    ("Phạm", 7),
    ("Hoàng", 5),
    ("Huỳnh", 4),
    ("Phan", 4),
    ("Vũ", 4),
    ("Võ", 3),
    ("Đặng", 2),
    ("Bùi", 2),
    ("Đỗ", 2),
    ("Hồ", 2),
    ("Ngô", 2),
    ("Dương", 1),
    ("Lý", 1),
    ("Đinh", 1),
    ("Trương", 1),
    ("Lương", 1),
    ("Đoàn", 1),
    ("Trịnh", 1),
    ("Mai", 1),
    ("Tạ", 1),
    ("Quách", 1),
    ("Lại", 1),
]
MIDDLE_MALE = [
    "Văn",
    "Đức",
    "Minh",
    "Quốc",
    "Hữu",
    "Thành",
    "Công",
    "Xuân",
    "Tuấn",
    "Ngọc",
    "Đình",
    "Quang",
    "Trọng",
    "Thế",
    "Bá",
    "Hoàng",
    "Việt",
    "Anh",
]
MIDDLE_FEMALE = [
    "Thị",
    "Ngọc",
    "Thu",
    "Thanh",
    "Minh",
    "Thuỳ",
    "Phương",
    "Mỹ",
    "Hồng",
    "Bích",
    "Khánh",
    "Diệu",
    "Kim",
    "Quỳnh",
    "Hải",
]
GIVEN_MALE = [
    "Hùng",
    "Dũng",
    "Tuấn",
    "Cường",
    "Hiếu",
    "Thắng",
    "Quyết",
    "Nghĩa",
    "Khải",
    "Đạt",
    "Huy",
    "Phúc",
    "Lộc",
    "Thịnh",
    "Vĩnh",
    "Trường",
    "Sơn",
    "Hải",
    "Bảo",
    "Khoa",
    "Nguyên",
    "Toàn",
    "Hưng",
    "Duy",
    "Tiến",
    "Kiên",
    "Luận",
    "Quân",
    "Thiện",
    "Đông",
    "Nhật",
    "Khánh",
    "Lực",
    "Mạnh",
    "Hoà",
    "Tú",
    "Vũ",
    "Ẩn",
    "Tường",
    "Chiến",
    "Thạch",
    "Hoàng",
    "Phong",
    "Đức",
    "Tài",
]
GIVEN_FEMALE = [
    "Hằng",
    "Lan",
    "Hương",
    "Thảo",
    "Trang",
    "Ngọc",
    "Hà",
    "Linh",
    "Mai",
    "Phượng",
    "Nguyệt",
    "Thuỷ",
    "Yến",
    "Loan",
    "Huyền",
    "Nhung",
    "Diệp",
    "Quyên",
    "Oanh",
    "Ánh",
    "Dung",
    "Hạnh",
    "Giang",
    "Châu",
    "Tuyết",
    "Ngân",
    "Xuân",
    "Thư",
    "Vy",
    "Trâm",
    "Hiền",
    "Liễu",
    "Nhàn",
    "Lụa",
    "Hậu",
    "Nga",
    "Uyên",
    "Ly",
    "Thoa",
    "Diễm",
    "Khuê",
    "Thương",
    "Ngần",
    "Mỹ",
]
ETHNICITIES = [
    ("Kinh", 88),
    ("Tày", 2),
    ("Thái", 2),
    ("Mường", 2),
    ("Khmer", 1),
    ("Hoa", 1),
    ("Nùng", 1),
    ("H'Mông", 1),
    ("Dao", 1),
    ("Ê Đê", 1),
]

# Province code (first 3 digits of the 12-digit id) → (short name, official prefix,
# {district: [wards/communes]}) — a realistic subset, older three-level addresses.
PROVINCES: dict[str, tuple[str, str, dict[str, list[str]]]] = {
    "001": (
        "Hà Nội",
        "Thành phố",
        {
            "quận Ba Đình": [
                "phường Phúc Xá",
                "phường Trúc Bạch",
                "phường Quán Thánh",
                "phường Điện Biên",
                "phường Ngọc Hà",
            ],
            "quận Tây Hồ": [
                "phường Yên Phụ",
                "phường Quảng An",
                "phường Nhật Tân",
                "phường Bưởi",
                "phường Xuân La",
            ],
            "quận Hoàn Kiếm": [
                "phường Hàng Bạc",
                "phường Hàng Trống",
                "phường Tràng Tiền",
                "phường Lý Thái Tổ",
            ],
            "quận Đống Đa": [
                "phường Văn Miếu",
                "phường Quốc Tử Giám",
                "phường Láng Thượng",
                "phường Kim Liên",
                "phường Ô Chợ Dừa",
            ],
            "quận Cầu Giấy": [
                "phường Dịch Vọng",
                "phường Nghĩa Đô",
                "phường Quan Hoa",
                "phường Yên Hoà",
            ],
            "huyện Đông Anh": ["xã Uy Nỗ", "xã Cổ Loa", "xã Liên Hà", "thị trấn Đông Anh"],
            "huyện Sóc Sơn": ["xã Phù Lỗ", "xã Mai Đình", "xã Tiên Dược"],
        },
    ),
    "079": (
        "Hồ Chí Minh",
        "Thành phố",
        {
            "Quận 1": ["phường Bến Nghé", "phường Bến Thành", "phường Đa Kao", "phường Tân Định"],
            "Quận 3": ["phường Võ Thị Sáu", "Phường 9", "Phường 14"],
            "quận Bình Thạnh": ["Phường 1", "Phường 17", "Phường 25", "Phường 26"],
            "quận Gò Vấp": ["Phường 10", "Phường 5", "Phường 16"],
            "thành phố Thủ Đức": [
                "phường Linh Trung",
                "phường Hiệp Bình Chánh",
                "phường Thảo Điền",
            ],
            "huyện Củ Chi": ["xã Tân Thông Hội", "xã Phước Vĩnh An", "thị trấn Củ Chi"],
        },
    ),
    "048": (
        "Đà Nẵng",
        "Thành phố",
        {
            "quận Hải Châu": ["phường Thạch Thang", "phường Hoà Cường Bắc", "phường Phước Ninh"],
            "quận Sơn Trà": ["phường An Hải Bắc", "phường Phước Mỹ", "phường Mân Thái"],
            "huyện Hoà Vang": ["xã Hoà Phước", "xã Hoà Tiến"],
        },
    ),
    "031": (
        "Hải Phòng",
        "Thành phố",
        {
            "quận Ngô Quyền": ["phường Máy Chai", "phường Lạch Tray", "phường Cầu Đất"],
            "quận Lê Chân": ["phường An Biên", "phường Trại Cau", "phường Dư Hàng Kênh"],
            "huyện Thuỷ Nguyên": ["xã Lập Lễ", "xã Thuỷ Đường"],
        },
    ),
    "092": (
        "Cần Thơ",
        "Thành phố",
        {
            "quận Ninh Kiều": ["phường Tân An", "phường An Hoà", "phường Xuân Khánh"],
            "huyện Phong Điền": ["xã Nhơn Ái", "xã Mỹ Khánh"],
        },
    ),
    "040": (
        "Nghệ An",
        "tỉnh",
        {
            "thành phố Vinh": ["phường Hưng Bình", "phường Lê Lợi", "phường Bến Thuỷ"],
            "huyện Nghi Lộc": ["xã Nghi Phong", "xã Nghi Thạch", "xã Nghi Xuân"],
            "huyện Diễn Châu": ["xã Diễn Thịnh", "xã Diễn Hồng"],
        },
    ),
    "038": (
        "Thanh Hoá",
        "tỉnh",
        {
            "huyện Hoằng Hoá": ["xã Hoằng Đạo", "xã Hoằng Phụ", "xã Hoằng Thanh"],
            "thành phố Thanh Hoá": ["phường Điện Biên", "phường Ba Đình", "phường Đông Thọ"],
            "huyện Thọ Xuân": ["xã Xuân Lập", "xã Xuân Thiên"],
        },
    ),
    "036": (
        "Nam Định",
        "tỉnh",
        {
            "huyện Hải Hậu": ["xã Hải Lý", "xã Hải Đường", "thị trấn Yên Định"],
            "huyện Giao Thuỷ": ["xã Giao Thiện", "xã Giao Lạc"],
            "thành phố Nam Định": ["phường Trần Hưng Đạo", "phường Vị Xuyên"],
        },
    ),
    "034": (
        "Thái Bình",
        "tỉnh",
        {
            "huyện Kiến Xương": ["xã Quang Trung", "xã Vũ Ninh"],
            "huyện Vũ Thư": ["xã Song Lãng", "xã Tam Quang"],
        },
    ),
    "046": (
        "Thừa Thiên Huế",
        "tỉnh",
        {
            "thành phố Huế": ["phường Phú Hội", "phường Vĩnh Ninh", "phường Thuận Lộc"],
            "huyện Phú Vang": ["xã Phú Thượng", "xã Vinh Thanh"],
        },
    ),
    "049": (
        "Quảng Nam",
        "tỉnh",
        {
            "thành phố Hội An": ["phường Minh An", "phường Cẩm Phô", "xã Cẩm Thanh"],
            "huyện Duy Xuyên": ["xã Duy Nghĩa", "thị trấn Nam Phước"],
        },
    ),
    "027": (
        "Bắc Ninh",
        "tỉnh",
        {
            "thành phố Từ Sơn": ["phường Đình Bảng", "phường Đồng Kỵ"],
            "huyện Gia Bình": ["xã Đông Cứu", "xã Lãng Ngâm"],
        },
    ),
    "042": (
        "Hà Tĩnh",
        "tỉnh",
        {
            "huyện Đức Thọ": ["xã Tùng Ảnh", "xã Trường Sơn"],
            "huyện Nghi Xuân": ["xã Xuân Hội", "xã Cổ Đạm"],
        },
    ),
    "066": (
        "Đắk Lắk",
        "tỉnh",
        {
            "thành phố Buôn Ma Thuột": ["phường Tân Lợi", "phường Thành Nhất", "xã Ea Kao"],
            "huyện Krông Pắc": ["xã Ea Kênh", "thị trấn Phước An"],
        },
    ),
    "075": (
        "Đồng Nai",
        "tỉnh",
        {
            "thành phố Biên Hoà": ["phường Tân Phong", "phường Quyết Thắng", "phường Hố Nai"],
            "huyện Nhơn Trạch": ["xã Phước Thiền", "xã Long Tân"],
        },
    ),
    "089": (
        "An Giang",
        "tỉnh",
        {
            "thành phố Long Xuyên": ["phường Mỹ Bình", "phường Mỹ Long"],
            "huyện Chợ Mới": ["xã Kiến An", "xã Mỹ Hội Đông"],
        },
    ),
    "022": (
        "Quảng Ninh",
        "tỉnh",
        {
            "thành phố Hạ Long": ["phường Bãi Cháy", "phường Hồng Gai", "phường Hà Khẩu"],
            "thành phố Uông Bí": ["phường Quang Trung", "phường Yên Thanh"],
        },
    ),
    "037": (
        "Ninh Bình",
        "tỉnh",
        {
            "huyện Gia Viễn": ["xã Gia Hưng", "xã Gia Thịnh"],
            "thành phố Hoa Lư": ["phường Đông Thành", "phường Ninh Khánh"],
        },
    ),
}
_PROV_WEIGHTS = {"001": 8, "079": 8, "048": 2, "031": 2, "092": 2}

STREETS_URBAN = [
    "phố Nghi Tàm",
    "phố Thụy Khuê",
    "đường Lạc Long Quân",
    "phố Hàng Bông",
    "đường Nguyễn Trãi",
    "đường Lê Lợi",
    "đường Trần Hưng Đạo",
    "phố Kim Mã",
    "đường Hoàng Hoa Thám",
    "đường Nguyễn Thị Minh Khai",
    "đường Võ Văn Tần",
    "đường Điện Biên Phủ",
    "phố Đội Cấn",
    "đường Cách Mạng Tháng Tám",
    "đường Phan Đình Phùng",
    "phố Tô Hiến Thành",
    "đường Bạch Đằng",
    "đường Hùng Vương",
    "phố Lý Thường Kiệt",
    "đường Nguyễn Văn Cừ",
]
HAMLETS = [
    "thôn Đông",
    "thôn Đoài",
    "thôn Thượng",
    "thôn Hạ",
    "xóm 3",
    "xóm 7",
    "ấp Bình An",
    "ấp 2",
    "tổ dân phố số 4",
    "khu phố 6",
    "thôn Phú Mỹ",
    "bản Na Hang",
    "thôn Yên Lạc",
]


@dataclass(frozen=True)
class Address:
    """A three-level Vietnamese address; `render` prints it the way documents do."""

    street: str  # "Số 12 phố Nghi Tàm" / "thôn Đông" / "" (for place of origin)
    ward: str  # "phường Yên Phụ"
    district: str  # "quận Tây Hồ"
    province_code: str

    @property
    def province(self) -> str:
        return PROVINCES[self.province_code][0]

    def render(self, style: str = "full") -> str:
        """`full`: with 'Thành phố'/'tỉnh'; `short`: province name only; `card`: as on CCCD."""
        name, prefix, _ = PROVINCES[self.province_code]
        prov = f"{prefix} {name}" if style == "full" else name
        if style == "full" and name == "Hồ Chí Minh":
            prov = "Thành phố Hồ Chí Minh"
        ward, district = self.ward, self.district
        if style == "card":
            ward = _cap_first(ward)
            district = _cap_first(district)
        parts = [p for p in (self.street, ward, district, prov) if p]
        return ", ".join(parts)


def _cap_first(s: str) -> str:
    return s[:1].upper() + s[1:]


@dataclass(frozen=True)
class Person:
    """One citizen as the population register knows them (the truth behind a document)."""

    id_number: str
    old_id: str
    surname: str
    middle: str
    given: str
    sex: str  # male | female
    date_of_birth: date
    ethnicity: str
    nationality: str
    origin: Address
    residence: Address
    birth_place: Address
    extra: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.surname, self.middle, self.given) if p)

    @property
    def place_of_origin(self) -> str:
        return self.origin.render("short")

    @property
    def place_of_residence(self) -> str:
        return self.residence.render("full")

    def register_row(self) -> dict[str, str]:
        return {
            "id_number": self.id_number,
            "full_name": self.full_name,
            "date_of_birth": self.date_of_birth.isoformat(),
            "sex": self.sex,
            "ethnicity": self.ethnicity,
            "nationality": self.nationality,
            "place_of_origin": self.place_of_origin,
            "place_of_residence": self.place_of_residence,
        }

    def with_changes(self, **kw: object) -> Person:
        return replace(self, **kw)  # type: ignore[arg-type]


def _weighted(rng: random.Random, items: list[tuple[str, int]]) -> str:
    return rng.choices([i for i, _ in items], weights=[w for _, w in items])[0]


def random_date(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def random_province(rng: random.Random) -> str:
    codes = list(PROVINCES)
    return rng.choices(codes, weights=[_PROV_WEIGHTS.get(c, 1) for c in codes])[0]


def random_address(rng: random.Random, code: str | None = None, *, street: bool = True) -> Address:
    code = code or random_province(rng)
    _, _, districts = PROVINCES[code]
    district = rng.choice(list(districts))
    ward = rng.choice(districts[district])
    s = ""
    if street:
        if ward.startswith("xã"):
            s = _cap_first(rng.choice(HAMLETS))
        else:
            r = rng.random()
            if r < 0.5:
                s = f"Số {rng.randint(1, 199)} {rng.choice(STREETS_URBAN)}"
            elif r < 0.8:
                s = f"Số {rng.randint(1, 60)} ngõ {rng.randint(2, 250)} {rng.choice(STREETS_URBAN)}"
            else:
                s = f"Tổ {rng.randint(1, 30)}"
    return Address(s, ward, district, code)


def make_id_number(rng: random.Random, province_code: str, sex: str, dob: date) -> str:
    """12-digit số định danh: province(3) + century/sex(1) + yy(2) + 6 random digits."""
    century = 0 if dob.year < 2000 else 2
    digit = century + (1 if sex == "female" else 0)
    return f"{province_code}{digit}{dob.year % 100:02d}{rng.randrange(10**6):06d}"


def make_person(
    rng: random.Random, *, min_year: int = 1950, max_year: int = 2006, sex: str | None = None
) -> Person:
    sex = sex or rng.choice(["male", "female"])
    surname = _weighted(rng, SURNAMES)
    if sex == "male":
        middle = rng.choice(MIDDLE_MALE)
        given = rng.choice(GIVEN_MALE)
        if rng.random() < 0.15:
            middle = f"{middle} {rng.choice(MIDDLE_MALE)}"
    else:
        middle = rng.choice(MIDDLE_FEMALE)
        given = rng.choice(GIVEN_FEMALE)
        if rng.random() < 0.2:
            middle = f"{rng.choice(MIDDLE_FEMALE)} {rng.choice(['Minh', 'Ngọc', 'Thanh', 'Bảo'])}"
    dob = random_date(rng, date(min_year, 1, 1), date(max_year, 12, 31))
    origin_code = random_province(rng)
    origin = random_address(rng, origin_code, street=False)
    birth_code = origin_code if rng.random() < 0.7 else random_province(rng)
    birth_place = random_address(rng, birth_code, street=False)
    residence = random_address(rng)
    id_number = make_id_number(rng, birth_code, sex, dob)
    old_id = f"{rng.randrange(10**8, 10**9)}" if dob.year < 1998 and rng.random() < 0.8 else ""
    return Person(
        id_number=id_number,
        old_id=old_id,
        surname=surname,
        middle=middle,
        given=given,
        sex=sex,
        date_of_birth=dob,
        ethnicity=_weighted(rng, ETHNICITIES),
        nationality="Việt Nam",
        origin=origin,
        residence=residence,
        birth_place=birth_place,
    )


def name_capitalised(name: str) -> str:
    """Spec person-name format: NFC, single spaces, each word capitalised."""
    words = unicodedata.normalize("NFC", name).split()
    return " ".join(w[:1].upper() + w[1:].lower() for w in words)


def strip_diacritics(s: str) -> str:
    """ASCII fold (đ→d) — used for MRZ names and diacritics-only register variants."""
    s = s.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")
