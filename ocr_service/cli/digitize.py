"""`sohoa digitize FILE --citizen ID`: the counter's whole flow in-process, ending in a signed copy.

Opens a dossier (with its national dossier code), stores FILE as its component, digitizes it
(the pipeline, as a job would), then approves every document found as ``--clerk`` and signs its
copy: the QR code, PDF/A, the signature (with the demo PKI of ``sohoa pki demo`` in
development). What `make demo` ends with; the same code paths as the API, without a server.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from core.errors import SohoaError
from core.settings import get_settings

__all__ = ["command"]


@click.command(name="digitize")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--citizen", required=True, help="The 12-digit id number the dossier is for.")
@click.option(
    "--procedure", default="dang-ky-khai-sinh", show_default=True, help="The procedure code."
)
@click.option(
    "--clerk",
    default="canbo.demo",
    show_default=True,
    help="Who opens the dossier, approves and signs (as a clerk's token subject).",
)
@click.option(
    "--approval-reason",
    default=None,
    help="Why documents whose fields differ from the population register are approved as "
    "read (kept in the audit log); without it they are left for review.",
)
@click.option(
    "--pipeline",
    default=None,
    hidden=True,
    help="module:function replacing the pipeline (tests, drills).",
)
def command(
    file: Path,
    citizen: str,
    procedure: str,
    clerk: str,
    approval_reason: str | None,
    pipeline: str | None,
) -> None:
    """Open a dossier for CITIZEN, digitize FILE into it, approve and sign every document.

    Prints one JSON object: the dossier (id, national code) and each document with its
    digitization code, signature (status, signer, time), QR code text and the signed copy's
    path in the object store. A document that may not be approved as asked (a field differing
    from the register without ``--approval-reason``, a person named whose relation no clerk
    confirmed) is left for review and listed with the refusal. Exit codes: 0 done; 2 bad input,
    a document left for review, or a certificate that may not sign; 1 anything else."""
    # imported here: `sohoa --help` imports every command module
    from core.errors import ApprovalReasonRequiredError, SubjectUnconfirmedError
    from ocr_service.api.uploads import sniff_content_type
    from ocr_service.approval import approve
    from ocr_service.reception import open_dossier
    from storage.db import session_scope
    from storage.objects import object_key, open_object_store, sha256_hex
    from storage.population import open_register
    from storage.repository import add_component, append_audit, get_component, init_db
    from workers.jobs import configure, run_component

    settings = get_settings()
    if not (len(citizen) == 12 and citizen.isdigit()):
        click.echo("error: --citizen must be a 12-digit id number", err=True)
        sys.exit(2)
    data = file.read_bytes()
    content_type = sniff_content_type(data[:1024])
    if content_type is None:
        click.echo(f"error: {file}: not a JPEG, PNG, TIFF, WebP, HEIC or PDF scan", err=True)
        sys.exit(2)
    url = settings.effective_database_url
    try:
        init_db(url)
        store = open_object_store(settings)
        ctx = configure(settings, store=store, extractor=pipeline)
        sha = sha256_hex(data)
        key = object_key("scans", sha)
        store.put(key, data, sha256=sha)
        with session_scope(url) as session:
            dossier = open_dossier(
                session,
                settings=settings,
                procedure_code=procedure,
                citizen_id_number=citizen,
                created_by=clerk,
            )
            component = add_component(
                session,
                dossier=dossier,
                object_key=key,
                sha256=sha,
                original_filename=file.name,
                content_type=content_type,
                size_bytes=len(data),
                created_by=clerk,
            )
            for action in ("dossier.create", "component.upload"):
                append_audit(
                    session,
                    actor=clerk,
                    role="clerk",
                    action=action,
                    citizen_id_number=citizen,
                    detail={"dossier_id": dossier.id, "via": "sohoa digitize"},
                )
            dossier_out = {"id": dossier.id, "code": dossier.code}
            component_id = component.id
        status = run_component(component_id, ctx=ctx)
        documents: list[dict[str, Any]] = []
        refusals = 0
        with session_scope(url) as session:
            component = get_component(session, component_id=component_id)
            if status != "done":
                click.echo(f"error: {file}: {component.error_message}", err=True)
                sys.exit(2 if not component.error_retryable else 1)
            document_ids = [d.id for d in component.documents]
        register = open_register(settings)
        for document_id in document_ids:
            try:
                with session_scope(url) as session:
                    document, signature, differences = approve(
                        session,
                        document_id=document_id,
                        store=store,
                        settings=settings,
                        by=clerk,
                        reason=approval_reason,
                        register=register,
                    )
                    detail: dict[str, Any] = {
                        "signature": signature.status,
                        "via": "sohoa digitize",
                    }
                    if differences:
                        detail["approval_reason"] = approval_reason
                        detail["differences"] = [d.export() for d in differences]
                    append_audit(
                        session,
                        actor=clerk,
                        role="clerk",
                        action="document.approve",
                        document_id=document.id,
                        citizen_id_number=document.citizen.id_number,
                        detail=detail,
                    )
                    documents.append(_approved(document, signature, store))
            except (ApprovalReasonRequiredError, SubjectUnconfirmedError) as refused:
                refusals += 1
                documents.append(
                    {
                        "id": document_id,
                        "review_status": "needs_review",
                        "refused": {"code": refused.code, "message": refused.message},
                    }
                )
    except SohoaError as exc:
        click.echo(f"error: {exc.message}", err=True)
        sys.exit(exc.exit_code)
    click.echo(
        json.dumps({"dossier": dossier_out, "documents": documents}, ensure_ascii=False, indent=1)
    )
    if refusals:
        click.echo(
            f'error: {refusals} document(s) left for review (see "refused"); give '
            "--approval-reason for differences from the register, confirm people on the page",
            err=True,
        )
        sys.exit(2)


def _approved(document: Any, signature: Any, store: Any) -> dict[str, Any]:
    """What the command prints of an approved document."""
    from ocr_service.approval import qr_payload_of
    from storage.objects import LocalObjectStore

    qr = qr_payload_of(document)
    copy = document.signed_pdf_key
    if copy and isinstance(store, LocalObjectStore):
        copy = str(store.root / copy)
    return {
        "digitization_code": document.digitization_code,
        "doc_type": document.doc_type,
        "review_status": document.review_status,
        "signature": {
            "status": signature.status,
            "message": signature.message,
            "signer": signature.signer,
            "signed_at": signature.signed_at.isoformat() if signature.signed_at else None,
        },
        "qr": json.loads(qr.encode()) if qr else None,
        "signed_copy": copy,
    }
