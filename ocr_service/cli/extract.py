"""`sohoa extract FILE... [--json]`: the whole pipeline in-process, no server needed."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Any

import click
from tqdm import tqdm

from core.errors import SohoaError
from core.settings import get_settings

__all__ = ["command"]

log = logging.getLogger(__name__)


def _summary(doc: dict[str, Any]) -> str:
    """A readable block for one document (without --json)."""
    pages = ", ".join(str(p) for p in doc["pages"])
    v = doc["verification"]
    status = v["status"]
    if v["mismatched_fields"]:
        status += f" ({', '.join(v['mismatched_fields'])})"
    if v.get("diacritics_only_fields"):
        status += f" — differs only in diacritics: {', '.join(v['diacritics_only_fields'])} (probably a misread)"
    out = [
        f"{doc['source']} — page{'s' if len(doc['pages']) > 1 else ''} {pages}: {doc['doc_type']}"
    ]
    width = max((len(k) for k in doc["fields"]), default=0)
    for name, value in doc["fields"].items():
        conf = doc["field_confidence"].get(name)
        src = doc.get("field_source", {}).get(name, "ocr")
        tail = f"  [{conf:.2f}{'' if src == 'ocr' else ', ' + src}]" if conf is not None else ""
        out.append(f"  {name:<{width}}  {value}{tail}")
    if not doc["fields"]:
        out.append("  (no fields)")
    out.append(f"  verification: {status}")
    return "\n".join(out)


@click.command(name="extract")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--json", "as_json", is_flag=True, help="Print one JSON array of documents on stdout."
)
def command(files: tuple[Path, ...], as_json: bool) -> None:
    """OCR, classify, extract fields and verify FILE... (JPEG, PNG, TIFF, PDF) in-process.

    Each file may hold several documents (a dossier PDF); each document is reported with
    its type, fields (spec formats), per-field confidence and verification against the
    configured population register. Progress and logs go to stderr.

    \b
    Exit codes: 0 every file processed; 2 a file could not be read or is not a valid
    scan (named on stderr; the other files are still processed); 1 any other failure.
    """
    # imported here, not at the top: `sohoa --help` imports every command module, and these
    # load NumPy, OpenCV, ONNX Runtime and SQLAlchemy
    from ocr_service.engine import get_engine
    from ocr_service.pipeline import extract_file
    from storage.population import open_register

    settings = get_settings()
    try:
        register = open_register(settings)
    except SohoaError as exc:
        click.echo(f"error: {exc.message}", err=True)
        sys.exit(exc.exit_code)
    engine = None
    documents: list[dict[str, Any]] = []
    exit_code = 0
    for path in tqdm(files, desc="extract", unit="file", file=sys.stderr, disable=len(files) < 2):
        try:
            data = path.read_bytes()
        except OSError as exc:
            click.echo(f"error: {path}: cannot read the file ({exc.strerror}).", err=True)
            exit_code = exit_code or 2
            continue
        try:
            if engine is None:
                engine = get_engine(settings)
            result = extract_file(
                data, path.name, engine=engine, register=register, settings=settings
            )
        except SohoaError as exc:
            click.echo(f"error: {path}: {exc.message}", err=True)
            exit_code = 1 if exc.exit_code == 1 else (exit_code or exc.exit_code)
            continue
        except Exception as exc:  # keep going: one broken file must not lose the others
            log.exception("%s failed", path)
            click.echo(f"error: {path}: unexpected failure ({exc}); see the log with -v.", err=True)
            exit_code = 1
            continue
        for doc in result.documents:
            record = doc.export()
            documents.append(record)
            if not as_json:
                click.echo(_summary(record) + "\n")
    if as_json:
        click.echo(json.dumps(documents, ensure_ascii=False, indent=1))
    sys.exit(exit_code)
