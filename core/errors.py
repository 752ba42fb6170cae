"""One error taxonomy for the API, the CLI and the workers (OCRmyPDF's exit-coded exceptions).

Every failure a user can meet is a ``SohoaError`` subclass with a stable ``code``, the
HTTP status the API answers with, the CLI exit code, whether retrying can help, and a
message that says what to do next. Nothing else invents status codes.
"""

from __future__ import annotations

import errno
from typing import Any, ClassVar

__all__ = [
    "ApprovalReasonRequiredError",
    "AuthenticationError",
    "ConflictError",
    "CorruptFileError",
    "CsrfError",
    "DatabaseUnavailableError",
    "DecompressionBombError",
    "EmptyFileError",
    "EncryptedFileError",
    "FileTooLargeError",
    "ImageTooSmallError",
    "InsufficientStorageError",
    "InvalidInputError",
    "JobTimeoutError",
    "MalformedRequestError",
    "NotFoundError",
    "OcrEngineError",
    "PermissionDeniedError",
    "QueueUnavailableError",
    "SigningCertificateError",
    "SigningCertificateExpiredError",
    "SigningCertificateRevokedError",
    "SigningCertificateUntrustedError",
    "SigningNotConfiguredError",
    "SigningPinError",
    "SigningPinRefusedError",
    "SigningUnavailableError",
    "RequestTooLargeError",
    "SohoaError",
    "StorageUnavailableError",
    "SubjectUnconfirmedError",
    "TooManyPagesError",
    "TooManyPixelsError",
    "TooManyAttemptsError",
    "UnsupportedFileError",
    "WorkerLostError",
    "storage_error",
]


class SohoaError(Exception):
    """Base error: carries everything the API, the CLI and the workers need to report it."""

    code: ClassVar[str] = "internal_error"
    http_status: ClassVar[int] = 500
    exit_code: ClassVar[int] = 1
    retryable: ClassVar[bool] = False
    default_message: ClassVar[str] = "An unexpected error occurred; try again or report it."

    def __init__(self, message: str | None = None, **details: Any) -> None:
        self.message = message or self.default_message
        self.details = details
        super().__init__(self.message)

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.details:
            body["details"] = self.details
        return {"error": body}


# --- the caller's input (HTTP 4xx, CLI exit 2) -------------------------------------------


class InvalidInputError(SohoaError):
    code = "invalid_input"
    http_status = 422
    exit_code = 2
    default_message = "The request is not valid; check the fields and try again."


class MalformedRequestError(InvalidInputError):
    """The request itself is broken (not its content): e.g. an unusable multipart boundary."""

    code = "malformed_request"
    http_status = 400
    default_message = "The request is malformed; send the scan as multipart/form-data."


class UnsupportedFileError(InvalidInputError):
    code = "unsupported_file"
    http_status = 415
    default_message = (
        "This file type is not supported; upload a JPEG, PNG, TIFF, WebP, HEIC or PDF scan."
    )


class EmptyFileError(InvalidInputError):
    code = "empty_file"
    http_status = 422
    default_message = "The file is empty; scan the page again and upload the new file."


class CorruptFileError(InvalidInputError):
    code = "corrupt_file"
    http_status = 422
    default_message = "The file is damaged and cannot be read; scan the page again."


class EncryptedFileError(InvalidInputError):
    code = "encrypted_pdf"
    http_status = 422
    default_message = (
        "The PDF is password-protected; remove the password (e.g. `qpdf --decrypt`) "
        "or scan the paper again."
    )


class DecompressionBombError(InvalidInputError):
    code = "image_too_large"
    http_status = 413
    default_message = (
        "The image has too many pixels to be a scan; rescan at 150-300 dpi and upload again."
    )


class ImageTooSmallError(InvalidInputError):
    code = "image_too_small"
    http_status = 422
    default_message = (
        "The image is too small to be a scanned page; scan at 150-300 dpi and upload again."
    )


class FileTooLargeError(InvalidInputError):
    code = "file_too_large"
    http_status = 413
    default_message = "The file is larger than the upload limit; rescan at a lower resolution."


class RequestTooLargeError(InvalidInputError):
    code = "request_too_large"
    http_status = 413
    default_message = "The request body is too large; send fewer or shorter values."


class TooManyPagesError(InvalidInputError):
    code = "too_many_pages"
    http_status = 413
    default_message = "The PDF has more pages than allowed; split the dossier and upload each part."


class TooManyPixelsError(InvalidInputError):
    """Each page is within the limits, but all of a file's pages together are too many pixels."""

    code = "too_many_pixels"
    http_status = 413
    default_message = (
        "The file's pages together have more pixels than one file may have; split the file "
        "into smaller parts (or rescan at 150-300 dpi) and upload each part."
    )


class AuthenticationError(SohoaError):
    code = "unauthenticated"
    http_status = 401
    exit_code = 2
    default_message = "Sign in again: the token is missing, invalid or expired."


class PermissionDeniedError(SohoaError):
    code = "forbidden"
    http_status = 403
    exit_code = 2
    default_message = "Your role may not do this."


class CsrfError(PermissionDeniedError):
    code = "csrf_failed"
    default_message = (
        "The request did not carry this page's anti-forgery token (CSRF); reload the page "
        "and try again."
    )


class TooManyAttemptsError(SohoaError):
    code = "too_many_attempts"
    http_status = 429
    exit_code = 2
    default_message = "Too many failed attempts; wait and try again later."


class NotFoundError(SohoaError):
    code = "not_found"
    http_status = 404
    exit_code = 2
    default_message = "Nothing was found with that id."


class ConflictError(SohoaError):
    code = "conflict"
    http_status = 409
    exit_code = 2
    default_message = "The request conflicts with the current state; reload and try again."


class ApprovalReasonRequiredError(InvalidInputError):
    """Approving a document whose fields still differ from the population register."""

    code = "approval_reason_required"
    default_message = (
        "Giấy tờ có trường khác dữ liệu dân cư: sửa lại cho đúng giấy tờ, hoặc ghi lý do phê "
        "duyệt (reason) khi giấy tờ đúng là như vậy."
    )


class SubjectUnconfirmedError(ConflictError):
    """Approving a document that names someone whose relation to the dossier's citizen no
    clerk has confirmed."""

    code = "subject_unconfirmed"
    default_message = (
        "Giấy tờ có tên người khác với công dân của hồ sơ mà chưa được xác nhận quan hệ: xác "
        "nhận quan hệ (hoặc sửa số định danh đọc sai) rồi phê duyệt."
    )


# --- our side or a dependency (HTTP 5xx, CLI exit 1) -------------------------------------


class StorageUnavailableError(SohoaError):
    code = "storage_unavailable"
    http_status = 503
    retryable = True
    default_message = "The document store is unavailable; nothing was saved. Try again shortly."


class InsufficientStorageError(StorageUnavailableError):
    """Our disk (or bucket) is full: not the caller's doing, and retrying later can work."""

    code = "insufficient_storage"
    http_status = 507
    default_message = (
        "The server's storage is full; nothing was saved. Ask the operator to free space, "
        "then try again."
    )


_FULL = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


def storage_error(exc: OSError, message: str | None = None) -> StorageUnavailableError:
    """The taxonomy's error for a failed read or write on our own storage: a full disk or
    quota is 507 (``InsufficientStorageError``), anything else 503. The message names no
    path (the caller's answer must not show where the server keeps files)."""
    if exc.errno in _FULL:
        return InsufficientStorageError()
    return StorageUnavailableError(message)


class DatabaseUnavailableError(SohoaError):
    code = "database_unavailable"
    http_status = 503
    retryable = True
    default_message = "The database is unavailable; nothing was saved. Try again shortly."


class QueueUnavailableError(SohoaError):
    code = "queue_unavailable"
    http_status = 503
    retryable = True
    default_message = "The job queue is unavailable; try again shortly."


class OcrEngineError(SohoaError):
    code = "ocr_engine_error"
    http_status = 500
    retryable = True
    default_message = "The OCR engine failed on this page; retry the component."


class JobTimeoutError(SohoaError):
    code = "job_timeout"
    http_status = 504
    retryable = True
    default_message = "Processing took longer than the job time limit; retry the component."


class WorkerLostError(SohoaError):
    code = "worker_lost"
    http_status = 500
    retryable = True
    default_message = (
        "The worker processing this scan stopped (killed or out of memory) several times; "
        "split the file or rescan at a lower resolution, then retry the component."
    )


# --- the digital signature on a digitized copy (ký số bản số hóa) ------------------------


class SigningCertificateError(SohoaError):
    """The signer's certificate may not sign: the approval is refused, nothing is signed."""

    code = "signing_certificate_invalid"
    http_status = 422
    exit_code = 2
    default_message = (
        "Chứng thư số của người ký không hợp lệ nên chưa ký bản số hóa; "
        "kiểm tra chứng thư số rồi phê duyệt lại."
    )


class SigningCertificateExpiredError(SigningCertificateError):
    code = "signing_certificate_expired"
    default_message = (
        "Chứng thư số của người ký đã hết hạn (hoặc chưa đến ngày có hiệu lực) nên chưa ký bản "
        "số hóa; gia hạn hoặc xin cấp chứng thư số mới rồi phê duyệt lại."
    )


class SigningCertificateRevokedError(SigningCertificateError):
    code = "signing_certificate_revoked"
    default_message = (
        "Chứng thư số của người ký đã bị thu hồi nên chưa ký bản số hóa; liên hệ tổ chức cung "
        "cấp dịch vụ chứng thực chữ ký số để được cấp chứng thư số mới."
    )


class SigningCertificateUntrustedError(SigningCertificateError):
    code = "signing_certificate_untrusted"
    default_message = (
        "Chứng thư số của người ký không do tổ chức chứng thực được tin cậy cấp nên chưa ký bản "
        "số hóa; kiểm tra cấu hình chứng thư số (SOHOA_SIGNING_TRUST_ROOTS)."
    )


class SigningPinRefusedError(SigningCertificateError):
    """A wrong PIN or password at approval: the approval is refused, nothing is recorded.

    The signer reports ``SigningPinError`` (it cannot sign now); approving, which must sign,
    refuses with this one (issue #15: "a wrong PIN → approval refused")."""

    code = "signing_pin_refused"
    default_message = (
        "Mã PIN (mật khẩu) của chứng thư số không đúng nên chưa phê duyệt và chưa ký bản số "
        "hóa; sửa mã PIN trong cấu hình (SOHOA_SIGNING_PKCS11_PIN hoặc "
        "SOHOA_SIGNING_PKCS12_PASSWORD) rồi phê duyệt lại."
    )


class SigningUnavailableError(SohoaError):
    """The token or the signing service cannot be reached: the copy stays unsigned, retry."""

    code = "signing_unavailable"
    http_status = 503
    retryable = True
    default_message = (
        "Không kết nối được thiết bị ký số (token) hoặc dịch vụ ký số; tài liệu đã phê duyệt "
        "nhưng chưa ký. Kiểm tra thiết bị ký số rồi ký lại."
    )


class SigningPinError(SigningUnavailableError):
    code = "signing_pin_incorrect"
    default_message = (
        "Mã PIN của thiết bị ký số không đúng nên chưa ký bản số hóa; sửa mã PIN trong cấu hình "
        "(SOHOA_SIGNING_PKCS11_PIN) rồi ký lại."
    )


class SigningNotConfiguredError(SigningUnavailableError):
    code = "signing_not_configured"
    retryable = False
    default_message = (
        "Chưa cấu hình chữ ký số cho bản số hóa (SOHOA_SIGNING_BACKEND); tài liệu đã phê duyệt "
        "nhưng chưa ký."
    )
