"""Vietnamese labels the pages show for document types, fields, statuses, roles and errors.

One table here, sent to the browser as JSON, so the pages and the tests read the same words.
Document types and their fields come from the types' records (classifiers.doctypes).
"""

from __future__ import annotations

from typing import Any

from classifiers import doctypes

__all__ = [
    "COMPONENT_STATUS",
    "DOC_TYPES",
    "DOSSIER_STAGE",
    "DOC_TYPE_FIELDS",
    "ERRORS",
    "FIELDS",
    "AUDIT_ACTIONS",
    "PROCEDURES",
    "READING_SOURCES",
    "RELATIONS",
    "REVIEW_STATUS",
    "ROLES",
    "SIGNATURE_STATUS",
    "VERIFICATION_STATUS",
    "all_labels",
]

# Per document type, from its record (classifiers/doctypes/<type>.py), in the order the
# officer's page groups documents in: its label, and the fields it carries in the order a
# reviewer sees them (documents.md), so a reviewer can fill a missing one.
DOC_TYPES: dict[str, str] = {t.name: t.label for t in doctypes.all_types()}
DOC_TYPE_FIELDS: dict[str, list[str]] = {t.name: list(t.field_names) for t in doctypes.all_types()}
# Every field's label; a field a type does not list is shown after the type's, in this order.
FIELDS: dict[str, str] = doctypes.field_labels()

# Fields whose values are ISO dates (shown and typed as dd/mm/yyyy).
DATE_FIELDS: list[str] = [name for name in FIELDS if "date" in name]

SEX: dict[str, str] = {"male": "Nam", "female": "Nữ"}

# Who read a field, as the review page names each reading beside it ("QR: … · MRZ: … · Chữ in: …").
READING_SOURCES: dict[str, str] = {"ocr": "Chữ in", "qr": "QR", "mrz": "MRZ"}

COMPONENT_STATUS: dict[str, str] = {
    "uploading": "Đang tải lên",
    "rejected": "Không tiếp nhận",
    "empty": "Chưa có thành phần",
    "queued": "Đang chờ xử lý",
    "processing": "Đang nhận dạng",
    # the scan is read; the dossier's own stage says whether anything is left to review
    "done": "Đã số hóa",
    "failed": "Xử lý lỗi",
}

# A dossier's stage (ocr_service.attention.dossier_stage): never "done" while a document
# still needs review.
DOSSIER_STAGE: dict[str, str] = {
    "received": "Đã tiếp nhận, đang số hóa",
    "digitized": "Đã số hóa, cần kiểm tra",
    "reviewed": "Đã kiểm tra, chờ phê duyệt",
    "complete": "Hoàn tất",
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

# The digital signature on the digitized copy (ký số bản số hóa), as the badges say it.
SIGNATURE_STATUS: dict[str, str] = {
    "valid": "Đã ký số",
    "invalid": "Chữ ký không hợp lệ",
    "untrusted": "Chữ ký chưa được tin cậy",
    "pending": "Chờ ký số",
    "unsigned": "Chưa ký số",
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
    "dossier.checklist": "Xem danh mục thành phần hồ sơ",
    "dossier.receipt": "In giấy tiếp nhận hồ sơ",
    "component.upload": "Tải lên thành phần hồ sơ",
    "component.read": "Xem kết quả số hóa",
    "component.retry": "Xử lý lại thành phần",
    "page.read": "Xem ảnh trang",
    "document.list": "Tra cứu giấy tờ",
    "search.documents": "Tìm kiếm giấy tờ theo nội dung",
    "search.dossiers": "Tìm kiếm hồ sơ",
    "citizen.register": "Tra cứu CSDL dân cư khi tiếp nhận",
    "document.read": "Xem giấy tờ",
    "document.file": "Mở bản PDF",
    "document.correct": "Sửa trường thông tin",
    "document.approve": "Phê duyệt giấy tờ",
    "document.register": "Đối chiếu với dữ liệu dân cư",
    "worklist.read": "Xem danh sách việc hôm nay",
    "document.sign": "Ký số bản số hóa",
    "document.signature_invalid": "Phát hiện chữ ký số không hợp lệ",
    "document.qr": "Xem mã QR",
    "document.reuse": "Sử dụng lại giấy tờ",
    "document.reuses": "Xem lịch sử sử dụng lại",
    "auth.login": "Đăng nhập",
    "auth.login_failed": "Đăng nhập sai tên hoặc mật khẩu",
    "auth.lockout": "Tạm khóa đăng nhập do sai nhiều lần",
    "auth.login_locked": "Đăng nhập khi đang bị tạm khóa",
    "auth.logout": "Đăng xuất",
    "account.create": "Tạo tài khoản cán bộ",
    "account.disable": "Khóa tài khoản cán bộ",
    "account.enable": "Mở lại tài khoản cán bộ",
    "account.password": "Đặt lại mật khẩu",
    "citizen_code.issue": "Cấp mã truy cập một lần cho công dân",
    "citizen_code.redeem": "Công dân đăng nhập bằng mã truy cập",
    "citizen_code.refused": "Mã truy cập sai, đã dùng hoặc hết hạn",
    "auth.revoke": "Thu hồi mọi phiên đăng nhập của người dùng",
    "document.subject.confirm": "Xác nhận người có tên trong giấy tờ",
    "audit.read": "Xem nhật ký truy cập",
    "access_log.read": "Xem nhật ký ai đã xem giấy tờ",
}

# How a person a document names relates to the dossier's citizen (storage.models.RELATIONS).
RELATIONS: dict[str, str] = {
    "self": "Chính chủ (người nộp hồ sơ)",
    "spouse": "Vợ/chồng của người nộp hồ sơ",
    "child": "Con của người nộp hồ sơ",
    "parent": "Cha/mẹ của người nộp hồ sơ",
    "ward": "Người được người nộp hồ sơ giám hộ",
    "principal": "Người ủy quyền cho người nộp hồ sơ",
}

# What the user should read for each error code of core.errors.
ERRORS: dict[str, str] = {
    "csrf_failed": "Trang đã cũ hoặc phiên đăng nhập đã thay đổi; hãy tải lại trang rồi thử lại.",
    "too_many_attempts": "Sai quá nhiều lần; hãy chờ ít phút rồi thử lại.",
    "invalid_input": "Thông tin chưa hợp lệ; kiểm tra lại các ô và thử lại.",
    "unsupported_file": "Định dạng tệp không được hỗ trợ; hãy tải lên ảnh JPEG, PNG, TIFF, WebP, HEIC hoặc tệp PDF.",
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
    "approval_reason_required": "Giấy tờ có trường khác dữ liệu dân cư: sửa lại cho đúng giấy tờ, hoặc ghi lý do phê duyệt khi giấy tờ đúng là như vậy.",
    "subject_unconfirmed": "Giấy tờ có tên người khác chưa được xác nhận quan hệ với người nộp hồ sơ: xác nhận quan hệ trước khi phê duyệt.",
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
    "signing_certificate_invalid": "Chứng thư số của người ký không hợp lệ nên chưa ký bản số hóa; kiểm tra chứng thư số rồi phê duyệt lại.",
    "signing_certificate_expired": "Chứng thư số của người ký đã hết hạn (hoặc chưa đến ngày có hiệu lực) nên chưa ký bản số hóa; gia hạn hoặc xin cấp chứng thư số mới rồi phê duyệt lại.",
    "signing_certificate_revoked": "Chứng thư số của người ký đã bị thu hồi nên chưa ký bản số hóa; liên hệ tổ chức cung cấp dịch vụ chứng thực chữ ký số để được cấp chứng thư số mới.",
    "signing_certificate_untrusted": "Chứng thư số của người ký không do tổ chức chứng thực được tin cậy cấp nên chưa ký bản số hóa; kiểm tra cấu hình chứng thư số (SOHOA_SIGNING_TRUST_ROOTS).",
    "signing_pin_refused": "Mã PIN (mật khẩu) của chứng thư số không đúng nên chưa phê duyệt và chưa ký bản số hóa; sửa mã PIN trong cấu hình rồi phê duyệt lại.",
    "signing_unavailable": "Không kết nối được thiết bị ký số (token) hoặc dịch vụ ký số; tài liệu đã phê duyệt nhưng chưa ký. Kiểm tra thiết bị ký số rồi ký lại.",
    "signing_pin_incorrect": "Mã PIN của thiết bị ký số không đúng nên chưa ký bản số hóa; sửa mã PIN trong cấu hình (SOHOA_SIGNING_PKCS11_PIN) rồi ký lại.",
    "signing_not_configured": "Chưa cấu hình chữ ký số cho bản số hóa (SOHOA_SIGNING_BACKEND); tài liệu đã phê duyệt nhưng chưa ký.",
}


def all_labels() -> dict[str, Any]:
    """Everything the browser scripts need, as one JSON-able mapping."""
    return {
        "docTypes": DOC_TYPES,
        "docTypeFields": DOC_TYPE_FIELDS,
        "fields": FIELDS,
        "dateFields": DATE_FIELDS,
        "sex": SEX,
        "readingSources": READING_SOURCES,
        "componentStatus": COMPONENT_STATUS,
        "dossierStage": DOSSIER_STAGE,
        "verificationStatus": VERIFICATION_STATUS,
        "reviewStatus": REVIEW_STATUS,
        "signatureStatus": SIGNATURE_STATUS,
        "roles": ROLES,
        "procedures": PROCEDURES,
        "auditActions": AUDIT_ACTIONS,
        "relations": RELATIONS,
        "errors": ERRORS,
    }
