"""Vietnamese labels the pages show for document types, fields, statuses, roles and errors.

One table here, sent to the browser as JSON, so the pages and the tests read the same words.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "COMPONENT_STATUS",
    "DOC_TYPES",
    "DOC_TYPE_FIELDS",
    "ERRORS",
    "FIELDS",
    "AUDIT_ACTIONS",
    "PROCEDURES",
    "REVIEW_STATUS",
    "ROLES",
    "VERIFICATION_STATUS",
    "all_labels",
]

# Order = the order the officer's page groups documents in.
DOC_TYPES: dict[str, str] = {
    "citizen_id_front": "Căn cước công dân (mặt trước)",
    "citizen_id_back": "Căn cước công dân (mặt sau)",
    "birth_certificate": "Giấy khai sinh",
    "marriage_certificate": "Giấy chứng nhận kết hôn",
    "marital_status_certificate": "Giấy xác nhận tình trạng hôn nhân",
    "residence_confirmation": "Xác nhận thông tin về cư trú (CT07)",
    "household_business_registration": "Giấy chứng nhận đăng ký hộ kinh doanh",
    "enterprise_registration": "Giấy chứng nhận đăng ký doanh nghiệp",
    "land_use_certificate": "Giấy chứng nhận quyền sử dụng đất",
    "diploma": "Bằng tốt nghiệp",
    "application_form": "Tờ khai / Đơn",
    "other": "Giấy tờ khác",
}

FIELDS: dict[str, str] = {
    "full_name": "Họ, chữ đệm và tên",
    "id_number": "Số định danh cá nhân",
    "date_of_birth": "Ngày, tháng, năm sinh",
    "sex": "Giới tính",
    "ethnicity": "Dân tộc",
    "nationality": "Quốc tịch",
    "place_of_birth": "Nơi sinh",
    "place_of_origin": "Quê quán",
    "place_of_residence": "Nơi thường trú",
    "date_of_expiry": "Có giá trị đến",
    "date_of_issue": "Ngày cấp",
    "mother_name": "Họ, chữ đệm và tên người mẹ",
    "father_name": "Họ, chữ đệm và tên người cha",
    "registration_date": "Ngày đăng ký",
    "registration_number": "Số đăng ký",
    "husband_name": "Họ, chữ đệm và tên người chồng",
    "husband_date_of_birth": "Ngày sinh của người chồng",
    "husband_id_number": "Số định danh cá nhân của người chồng",
    "wife_name": "Họ, chữ đệm và tên người vợ",
    "wife_date_of_birth": "Ngày sinh của người vợ",
    "wife_id_number": "Số định danh cá nhân của người vợ",
    "marital_status": "Tình trạng hôn nhân",
    "business_name": "Tên hộ kinh doanh / doanh nghiệp",
    "business_code": "Mã số đăng ký",
    "owner_name": "Họ, chữ đệm và tên chủ sở hữu",
    "owner_id_number": "Số định danh cá nhân của chủ sở hữu",
    "address": "Địa chỉ",
    "parcel_number": "Thửa đất số",
    "map_sheet_number": "Tờ bản đồ số",
    "area_m2": "Diện tích (m²)",
    "degree": "Văn bằng",
    "issue_date": "Ngày cấp",
}

# The fields each document type carries (documents.md), so a reviewer can fill a missing one.
DOC_TYPE_FIELDS: dict[str, list[str]] = {
    "citizen_id_front": [
        "id_number",
        "full_name",
        "date_of_birth",
        "sex",
        "nationality",
        "place_of_origin",
        "place_of_residence",
        "date_of_expiry",
    ],
    "citizen_id_back": ["id_number", "date_of_birth", "sex", "date_of_expiry", "date_of_issue"],
    "birth_certificate": [
        "full_name",
        "date_of_birth",
        "sex",
        "ethnicity",
        "nationality",
        "place_of_birth",
        "place_of_origin",
        "id_number",
        "mother_name",
        "father_name",
        "registration_date",
        "registration_number",
    ],
    "marriage_certificate": [
        "husband_name",
        "husband_date_of_birth",
        "husband_id_number",
        "wife_name",
        "wife_date_of_birth",
        "wife_id_number",
        "registration_date",
        "registration_number",
    ],
    "marital_status_certificate": [
        "full_name",
        "date_of_birth",
        "sex",
        "id_number",
        "place_of_residence",
        "marital_status",
    ],
    "residence_confirmation": [
        "full_name",
        "date_of_birth",
        "sex",
        "id_number",
        "place_of_residence",
    ],
    "household_business_registration": [
        "business_name",
        "business_code",
        "owner_name",
        "owner_id_number",
        "address",
    ],
    "enterprise_registration": [
        "business_name",
        "business_code",
        "owner_name",
        "owner_id_number",
        "address",
    ],
    "land_use_certificate": [
        "owner_name",
        "owner_id_number",
        "parcel_number",
        "map_sheet_number",
        "area_m2",
        "address",
    ],
    "diploma": ["full_name", "date_of_birth", "degree", "issue_date", "registration_number"],
    "application_form": ["full_name", "id_number"],
    "other": [],
}

# Fields whose values are ISO dates (shown and typed as dd/mm/yyyy).
DATE_FIELDS: list[str] = [name for name in FIELDS if "date" in name]

SEX: dict[str, str] = {"male": "Nam", "female": "Nữ"}

COMPONENT_STATUS: dict[str, str] = {
    "uploading": "Đang tải lên",
    "rejected": "Không tiếp nhận",
    "empty": "Chưa có thành phần",
    "queued": "Đang chờ xử lý",
    "processing": "Đang nhận dạng",
    "done": "Đã xử lý xong",
    "failed": "Xử lý lỗi",
}

VERIFICATION_STATUS: dict[str, str] = {
    "match": "Khớp CSDL dân cư",
    "mismatch": "Không khớp CSDL dân cư",
    "not_found": "Không có trong CSDL dân cư",
    "not_applicable": "Không đối chiếu",
}

REVIEW_STATUS: dict[str, str] = {
    "verified": "Đã xác thực tự động",
    "needs_review": "Cần kiểm tra",
    "approved": "Đã phê duyệt",
}

ROLES: dict[str, str] = {
    "clerk": "Cán bộ tiếp nhận",
    "officer": "Cán bộ giải quyết",
    "citizen": "Công dân",
    "admin": "Quản trị hệ thống",
}

# Common one-stop procedures (suggestions only; the code field accepts any text).
PROCEDURES: dict[str, str] = {
    "dang-ky-khai-sinh": "Đăng ký khai sinh",
    "dang-ky-ket-hon": "Đăng ký kết hôn",
    "xac-nhan-tinh-trang-hon-nhan": "Cấp giấy xác nhận tình trạng hôn nhân",
    "dang-ky-thuong-tru": "Đăng ký thường trú",
    "dang-ky-ho-kinh-doanh": "Đăng ký thành lập hộ kinh doanh",
    "cap-gcn-quyen-su-dung-dat": "Đăng ký, cấp giấy chứng nhận quyền sử dụng đất",
    "chung-thuc-ban-sao": "Chứng thực bản sao từ bản chính",
}

# What each audit-log action means (nhật ký truy cập).
AUDIT_ACTIONS: dict[str, str] = {
    "dossier.create": "Mở hồ sơ",
    "dossier.list": "Xem danh sách hồ sơ",
    "dossier.read": "Xem hồ sơ",
    "component.upload": "Tải lên thành phần hồ sơ",
    "component.read": "Xem kết quả số hóa",
    "component.retry": "Xử lý lại thành phần",
    "page.read": "Xem ảnh trang",
    "document.list": "Tra cứu giấy tờ",
    "document.read": "Xem giấy tờ",
    "document.file": "Mở bản PDF",
    "document.correct": "Sửa trường thông tin",
    "document.approve": "Phê duyệt giấy tờ",
    "document.reuse": "Sử dụng lại giấy tờ",
    "document.reuses": "Xem lịch sử sử dụng lại",
    "auth.logout": "Đăng xuất",
    "auth.revoke": "Thu hồi mọi phiên đăng nhập của người dùng",
}

# What the user should read for each error code of core.errors.
ERRORS: dict[str, str] = {
    "invalid_input": "Thông tin chưa hợp lệ; kiểm tra lại các ô và thử lại.",
    "unsupported_file": "Định dạng tệp không được hỗ trợ; hãy tải lên ảnh JPEG, PNG, TIFF hoặc tệp PDF.",
    "empty_file": "Tệp rỗng; hãy quét lại trang và tải lên tệp mới.",
    "corrupt_file": "Tệp bị hỏng, không đọc được; hãy quét lại trang.",
    "encrypted_pdf": "Tệp PDF có mật khẩu; hãy gỡ mật khẩu rồi tải lên lại.",
    "image_too_large": "Ảnh quá lớn; hãy quét lại với độ phân giải thấp hơn.",
    "image_too_small": "Ảnh quá nhỏ, không phải trang đã quét; hãy quét ở 150–300 dpi rồi tải lên lại.",
    "file_too_large": "Tệp vượt quá dung lượng cho phép; hãy quét lại với độ phân giải thấp hơn.",
    "request_too_large": "Dữ liệu gửi lên quá lớn; hãy gửi ít trường hơn hoặc nội dung ngắn hơn.",
    "too_many_pages": "Tệp PDF có quá nhiều trang; hãy tách hồ sơ và tải lên từng phần.",
    "too_many_pixels": "Các trang của tệp cộng lại quá lớn; hãy tách tệp thành nhiều phần (hoặc quét lại ở 150–300 dpi) rồi tải lên từng phần.",
    "unauthenticated": "Phiên đăng nhập không hợp lệ hoặc đã hết hạn; hãy đăng nhập lại.",
    "forbidden": "Vai trò của bạn không được thực hiện thao tác này.",
    "not_found": "Không tìm thấy dữ liệu.",
    "conflict": "Thao tác xung đột với trạng thái hiện tại; hãy tải lại trang và thử lại.",
    "malformed_request": "Yêu cầu gửi lên bị lỗi định dạng; hãy tải lại trang rồi tải tệp lên lại.",
    "insufficient_storage": "Bộ nhớ lưu trữ của máy chủ đã đầy; chưa có gì được lưu. Hãy báo quản trị hệ thống giải phóng dung lượng rồi thử lại.",
    "storage_unavailable": "Kho lưu trữ tạm thời không sẵn sàng; chưa có gì được lưu. Hãy thử lại sau ít phút.",
    "database_unavailable": "Cơ sở dữ liệu tạm thời không sẵn sàng; chưa có gì được lưu. Hãy thử lại sau ít phút.",
    "queue_unavailable": "Hàng đợi xử lý tạm thời không sẵn sàng; hãy thử lại sau ít phút.",
    "ocr_engine_error": "Bộ nhận dạng gặp lỗi với trang này; hãy bấm “Xử lý lại”.",
    "job_timeout": "Xử lý quá thời gian cho phép; hãy bấm “Xử lý lại”.",
    "worker_lost": "Tiến trình xử lý bị dừng nhiều lần với tệp này; hãy tách tệp hoặc quét lại ở độ phân giải thấp hơn rồi bấm “Xử lý lại”.",
    "method_not_allowed": "Thao tác không được hỗ trợ.",
    "internal_error": "Đã xảy ra lỗi ngoài dự kiến; hãy thử lại hoặc báo cho quản trị hệ thống.",
    "network": "Mất kết nối tới máy chủ; kiểm tra mạng rồi thử lại.",
}


def all_labels() -> dict[str, Any]:
    """Everything the browser scripts need, as one JSON-able mapping."""
    return {
        "docTypes": DOC_TYPES,
        "docTypeFields": DOC_TYPE_FIELDS,
        "fields": FIELDS,
        "dateFields": DATE_FIELDS,
        "sex": SEX,
        "componentStatus": COMPONENT_STATUS,
        "verificationStatus": VERIFICATION_STATUS,
        "reviewStatus": REVIEW_STATUS,
        "roles": ROLES,
        "procedures": PROCEDURES,
        "auditActions": AUDIT_ACTIONS,
        "errors": ERRORS,
    }
