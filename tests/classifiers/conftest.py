"""Fixtures for understanding tests."""

from __future__ import annotations

import pytest

from core.records import PersonRecord
from tests.classifiers._helpers import MemoryRegister


@pytest.fixture
def register() -> MemoryRegister:
    return MemoryRegister(
        [
            PersonRecord(
                "001192012345",
                "Nguyễn Thị Minh Hằng",
                "1992-08-15",
                "female",
                "Kinh",
                "Việt Nam",
                "xã Cổ Loa, huyện Đông Anh, Hà Nội",
                "Số 12 phố Nghi Tàm, phường Yên Phụ, quận Tây Hồ, Thành phố Hà Nội",
            ),
            PersonRecord(
                "036089001234",
                "Trần Văn Đức",
                "1989-02-01",
                "male",
                "Kinh",
                "Việt Nam",
                "xã Tam Quang, huyện Vũ Thư, Thái Bình",
                "Xóm 3, xã Tam Quang, huyện Vũ Thư, tỉnh Thái Bình",
            ),
        ]
    )
