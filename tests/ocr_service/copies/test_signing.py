"""The clerk's signature on a copy: valid, tampered, untrusted, expired, revoked, token faults."""

from __future__ import annotations

import io
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pikepdf
import pytest
from pydantic import SecretStr

from core.errors import (
    SigningCertificateExpiredError,
    SigningCertificateRevokedError,
    SigningCertificateUntrustedError,
    SigningNotConfiguredError,
    SigningPinError,
    SigningUnavailableError,
)
from core.settings import Settings
from ocr_service.copies import pki
from ocr_service.copies.signing import (
    COPY_STATEMENT,
    Pkcs11CopySigner,
    Pkcs12CopySigner,
    RemoteCopySigner,
    SignatureState,
    Trust,
    sign_copy,
    signer_from_settings,
    verify_copy,
)
from ocr_service.vietnamese_font import vietnamese_subset
from tests.ocr_service.copies.conftest import PASSWORD, PkiKit, Token
from tests.ocr_service.copies.copy_kit import as_pdfa1, preflight, preflight_available

ROLE = "Cán bộ tiếp nhận, Bộ phận Một cửa"


def _signed(test_pki: PkiKit, pdf: bytes, **kw: object) -> bytes:
    return sign_copy(pdf, test_pki.signer(), test_pki.trust(), role=ROLE, **kw)  # type: ignore[arg-type]


def test_signing_leaves_no_file_behind(
    test_pki: PkiKit, pdfa_copy: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stamp's cut font is held in memory: a file of it outlived every worker stopped by
    a signal and piled up in the temporary folder."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    vietnamese_subset.cache_clear()
    signed = _signed(test_pki, pdfa_copy)
    assert verify_copy(signed, [test_pki.ca.cert]).state is SignatureState.VALID
    assert list(tmp_path.iterdir()) == []


def _flip_in_image(pdf: bytes) -> bytes:
    """One bit flipped inside the first page image's JPEG data (inside the signed range)."""
    start = pdf.index(b"/DCTDecode")
    data_at = pdf.index(b"stream", start) + len(b"stream\n") + 2000
    changed = bytearray(pdf)
    changed[data_at] ^= 0x01
    return bytes(changed)


def test_a_signed_copy_validates_with_who_and_when(test_pki: PkiKit, pdfa_copy: bytes) -> None:
    before = datetime.now(UTC) - timedelta(seconds=2)
    signed = _signed(test_pki, pdfa_copy)
    assert signed.startswith(pdfa_copy)  # an incremental update: the copy's bytes are kept
    status = verify_copy(signed, [test_pki.ca.cert])
    assert status.state is SignatureState.VALID
    assert status.signer == "Nguyễn Thị Lan"
    assert status.signed_at is not None and status.signed_at >= before
    assert status.export()["state"] == "valid" and "hợp lệ" in status.message
    # the visible block, in Vietnamese, on the first page
    pdf = pikepdf.open(io.BytesIO(signed))
    widget = next(a for a in pdf.pages[0].Annots if a.get("/FT") == "/Sig")
    assert int(widget.F) & 4  # printed
    rect = [float(v) for v in widget.Rect]
    assert rect[2] - rect[0] > 100 and rect[3] - rect[1] > 30


def test_the_visible_block_reads_in_vietnamese(test_pki: PkiKit, pdfa_copy: bytes) -> None:
    signed = _signed(test_pki, pdfa_copy)
    pdf = pikepdf.open(io.BytesIO(signed))
    widget = next(a for a in pdf.pages[0].Annots if a.get("/FT") == "/Sig")
    appearance = widget.AP.N
    fonts = []

    def walk(xobject: pikepdf.Object) -> None:
        res = xobject.get("/Resources") or {}
        fonts.extend((res.get("/Font") or {}).values())
        for inner in (res.get("/XObject") or {}).values():
            walk(inner)

    walk(appearance)
    unicode_map = b"".join(f.ToUnicode.read_bytes() for f in fonts if "/ToUnicode" in f)
    for letter in "ýởứụđ":  # letters of "Ký bởi", "Chức vụ", "đối chiếu"
        assert f"{ord(letter):04X}".encode() in unicode_map.upper(), letter
    assert all("/FontFile2" in f.DescendantFonts[0].FontDescriptor for f in fonts)
    assert COPY_STATEMENT == "Bản số hóa từ bản giấy, đã đối chiếu"


def test_one_flipped_byte_in_the_signed_range_makes_it_invalid(
    test_pki: PkiKit, pdfa_copy: bytes
) -> None:
    signed = _signed(test_pki, pdfa_copy)
    assert verify_copy(signed, [test_pki.ca.cert]).state is SignatureState.VALID
    status = verify_copy(_flip_in_image(signed), [test_pki.ca.cert])
    assert status.state is SignatureState.INVALID
    assert "thay đổi" in status.message
    # anywhere else in the signed range too (here in the file's first bytes)
    early = bytearray(signed)
    early[len(b"%PDF-1.4\n%") + 1] ^= 0x01
    assert verify_copy(bytes(early), [test_pki.ca.cert]).state is SignatureState.INVALID


def test_bytes_appended_after_the_signature_are_not_covered(
    test_pki: PkiKit, pdfa_copy: bytes
) -> None:
    signed = _signed(test_pki, pdfa_copy)
    pdf = pikepdf.open(io.BytesIO(signed))
    pdf.pages[0].contents_add(pdf.make_stream(b"q 1 0 0 RG 0 0 100 100 re S Q"))
    out = io.BytesIO()
    pdf.save(out)  # rewritten: the signature no longer covers the file
    assert verify_copy(out.getvalue(), [test_pki.ca.cert]).state is SignatureState.INVALID


def test_a_second_signature_keeps_the_first_valid(test_pki: PkiKit, pdfa_copy: bytes) -> None:
    once = _signed(test_pki, pdfa_copy)
    twice = sign_copy(once, test_pki.signer(), test_pki.trust(), role="Lãnh đạo Bộ phận Một cửa")
    assert twice.startswith(once)
    status = verify_copy(twice, [test_pki.ca.cert])
    assert [s.state for s in status.signatures] == [SignatureState.VALID, SignatureState.VALID]
    assert status.state is SignatureState.VALID
    assert [s.field_name for s in status.signatures] == ["SohoaSignature1", "SohoaSignature2"]


def test_a_copy_signed_under_another_ca_is_untrusted(test_pki: PkiKit, pdfa_copy: bytes) -> None:
    stranger = pki.issue(test_pki.other_ca, "Người lạ")
    signer = Pkcs12CopySigner(
        test_pki.p12(stranger, "stranger", test_pki.other_ca), SecretStr(PASSWORD)
    )
    # signed where the other CA is trusted ...
    signed = sign_copy(pdfa_copy, signer, Trust.of([test_pki.other_ca.cert]), role=ROLE)
    # ... read where only the agency's CA is
    status = verify_copy(signed, [test_pki.ca.cert])
    assert status.state is SignatureState.UNTRUSTED
    assert status.signer == "Người lạ"
    # and refused at signing where it is not trusted
    with pytest.raises(SigningCertificateUntrustedError) as err:
        sign_copy(pdfa_copy, signer, test_pki.trust(), role=ROLE)
    assert "không do tổ chức chứng thực được tin cậy cấp" in err.value.message


def test_an_unsigned_copy_says_so(test_pki: PkiKit, pdfa_copy: bytes) -> None:
    status = verify_copy(pdfa_copy, [test_pki.ca.cert])
    assert status.state is SignatureState.UNSIGNED and status.signer is None
    assert verify_copy(b"not a pdf", [test_pki.ca.cert]).state is SignatureState.INVALID


def test_an_expired_certificate_is_refused_before_signing(
    test_pki: PkiKit, pdfa_copy: bytes
) -> None:
    expired = pki.issue(
        test_pki.ca, "Trần Văn Cũ", not_before=datetime.now(UTC) - timedelta(days=400), days=30
    )
    with pytest.raises(SigningCertificateExpiredError) as err:
        sign_copy(pdfa_copy, test_pki.signer(expired, "expired"), test_pki.trust(), role=ROLE)
    assert "đã hết hạn" in err.value.message and "Trần Văn Cũ" in err.value.message
    assert err.value.http_status == 422 and not err.value.retryable


def test_a_revoked_certificate_is_refused_before_signing(
    test_pki: PkiKit, pdfa_copy: bytes
) -> None:
    revoked = pki.issue(test_pki.ca, "Lê Văn Thu Hồi")
    signer = test_pki.signer(revoked, "revoked")
    # the same certificate signs while the CRL does not list it ...
    assert (
        verify_copy(
            sign_copy(pdfa_copy, signer, test_pki.trust(), role=ROLE), [test_pki.ca.cert]
        ).state
        is SignatureState.VALID
    )
    # ... and is refused once it does
    with pytest.raises(SigningCertificateRevokedError) as err:
        sign_copy(pdfa_copy, signer, test_pki.trust(revoked=(revoked,)), role=ROLE)
    assert "đã bị thu hồi" in err.value.message


def test_a_wrong_pkcs12_password_is_a_retryable_pin_error(
    test_pki: PkiKit, pdfa_copy: bytes
) -> None:
    signer = Pkcs12CopySigner(test_pki.p12(test_pki.clerk, "clerk"), SecretStr("sai"))
    with pytest.raises(SigningPinError) as err:
        sign_copy(pdfa_copy, signer, test_pki.trust(), role=ROLE)
    assert err.value.retryable and "Mật khẩu" in err.value.message


def test_a_timestamped_signature_is_pades_b_t(
    test_pki: PkiKit, pdfa_copy: bytes, tsa_url: str
) -> None:
    signed = _signed(test_pki, pdfa_copy, timestamper=tsa_url)
    status = verify_copy(signed, [test_pki.ca.cert])
    assert status.state is SignatureState.VALID
    assert status.signatures[0].timestamped


def test_an_unreachable_tsa_is_retryable(test_pki: PkiKit, pdfa_copy: bytes) -> None:
    from tests.api.service_env import free_port

    with pytest.raises(SigningUnavailableError) as err:
        _signed(test_pki, pdfa_copy, timestamper=f"http://127.0.0.1:{free_port()}/tsa")
    assert err.value.retryable


def test_the_remote_service_is_not_configured(pdfa_copy: bytes, test_pki: PkiKit) -> None:
    with pytest.raises(SigningNotConfiguredError) as err:
        sign_copy(pdfa_copy, RemoteCopySigner("https://ky-so.example"), test_pki.trust(), role=ROLE)
    assert "chưa được cài đặt" in err.value.message
    assert isinstance(signer_from_settings(Settings(signing_backend="remote")), RemoteCopySigner)
    with pytest.raises(SigningNotConfiguredError):
        signer_from_settings(Settings(signing_backend="none"))


def test_production_refuses_to_sign_with_the_demo_pki(test_pki: PkiKit, pdfa_copy: bytes) -> None:
    # test_pki's CA is a demo CA (O=sohoa demo), like `sohoa pki demo`'s
    with pytest.raises(SigningCertificateUntrustedError) as err:
        sign_copy(pdfa_copy, test_pki.signer(), test_pki.trust(), role=ROLE, refuse_demo=True)
    assert "thử nghiệm" in err.value.message


@pytest.mark.skipif(not preflight_available(), reason="Apache PDFBox Preflight not installed")
def test_the_signed_copy_is_still_pdfa(test_pki: PkiKit, pdfa_copy: bytes, tmp_path: Path) -> None:
    signed = sign_copy(_signed(test_pki, pdfa_copy), test_pki.signer(), test_pki.trust(), role=ROLE)
    ok, said = preflight(as_pdfa1(signed), tmp_path)
    # PDF/A-1 wants a CIDSet in subset CID fonts (pyHanko's appearance font has none);
    # PDF/A-2, what the copy claims, makes it optional (ISO 19005-2, 6.2.11.4.2).
    problems = [
        line
        for line in said.splitlines()[1:]
        if line.strip() and "CIDSet entry is missing" not in line
    ]
    assert problems == [], said
    assert ok or all("CIDSet" in line for line in said.splitlines()[1:])
    for obj in pikepdf.open(io.BytesIO(signed)).objects:
        if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            d = obj if isinstance(obj, pikepdf.Dictionary) else obj.stream_dict
            assert "/SMask" not in d and d.get("/S") != "/Transparency"
            assert float(d.get("/CA", 1)) == 1 and float(d.get("/ca", 1)) == 1


# --- PKCS#11 (SoftHSM2) --------------------------------------------------------------------


def _token_signer(token: Token, **kw: object) -> Pkcs11CopySigner:
    args: dict[str, object] = {
        "module": token.module,
        "token_label": token.label,
        "pin": SecretStr(token.pin),
        "key_label": token.key_label,
    }
    args.update(kw)
    return Pkcs11CopySigner(**args)  # type: ignore[arg-type]


def test_signing_with_a_key_on_a_pkcs11_token(
    softhsm_token: Token, test_pki: PkiKit, pdfa_copy: bytes
) -> None:
    signed = sign_copy(pdfa_copy, _token_signer(softhsm_token), test_pki.trust(), role=ROLE)
    status = verify_copy(signed, [test_pki.ca.cert])
    assert status.state is SignatureState.VALID and status.signer == "Nguyễn Thị Lan"
    settings = Settings(
        signing_backend="pkcs11",
        signing_pkcs11_module=softhsm_token.module,
        signing_pkcs11_token_label=softhsm_token.label,
        signing_pkcs11_pin=SecretStr(softhsm_token.pin),
        signing_pkcs11_key_label="clerk",
    )
    assert isinstance(signer_from_settings(settings), Pkcs11CopySigner)


def test_a_wrong_pin_is_a_retryable_error(
    softhsm_token: Token, test_pki: PkiKit, pdfa_copy: bytes
) -> None:
    with pytest.raises(SigningPinError) as err:
        sign_copy(
            pdfa_copy,
            _token_signer(softhsm_token, pin=SecretStr("000000")),
            test_pki.trust(),
            role=ROLE,
        )
    assert err.value.retryable and err.value.http_status == 503
    assert "Mã PIN" in err.value.message


def test_a_missing_token_is_a_retryable_error(
    softhsm_token: Token, test_pki: PkiKit, pdfa_copy: bytes
) -> None:
    for signer in (
        _token_signer(softhsm_token, token_label="khong-co-token"),
        _token_signer(softhsm_token, module=Path("/usr/lib/khong-co/libtoken.so")),
    ):
        with pytest.raises(SigningUnavailableError) as err:
            sign_copy(pdfa_copy, signer, test_pki.trust(), role=ROLE)
        assert err.value.retryable and "thiết bị ký số" in err.value.message
