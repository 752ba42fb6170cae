"""``sohoa ocr FILE... [--json]``: OCR only, the text of every page."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from tqdm import tqdm

from core.errors import SohoaError
from core.settings import get_settings

__all__ = ["command"]


@click.command(name="ocr")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON array, one element per file.")
@click.option(
    "--recognizer",
    default=None,
    help="Override SOHOA_RECOGNIZER (asterocr, tesseract, ppocr, ...).",
)
def command(files: tuple[Path, ...], as_json: bool, recognizer: str | None) -> None:
    """OCR scans (JPEG, PNG, TIFF, PDF) and print the text of every page."""
    # imported here, not at the top: `sohoa --help` imports every command module, and these
    # load NumPy, OpenCV and ONNX Runtime
    from ocr_service.engine import get_engine
    from ocr_service.pipeline import ocr_file, ocr_result

    settings = get_settings()
    bad_input = False
    results = []
    try:
        engine = get_engine(settings, recognizer)
    except SohoaError as exc:
        click.echo(f"sohoa ocr: {exc.message}", err=True)
        sys.exit(exc.exit_code)
    progress = tqdm(
        files, desc="OCR", unit="file", file=sys.stderr, disable=len(files) < 2, leave=False
    )
    for path in progress:
        try:
            try:
                data = path.read_bytes()
            except OSError as exc:
                click.echo(
                    f"sohoa ocr: {path}: cannot read the file ({exc.strerror}); check the path.",
                    err=True,
                )
                bad_input = True
                continue
            if len(data) > settings.max_upload_bytes:
                click.echo(
                    f"sohoa ocr: {path}: {len(data):,} bytes is over the {settings.max_upload_bytes:,} "
                    "limit; rescan at a lower resolution.",
                    err=True,
                )
                bad_input = True
                continue
            pages = ocr_file(data, path.name, engine=engine, settings=settings)
        except SohoaError as exc:
            msg = exc.message if path.name in exc.message else f"{path}: {exc.message}"
            click.echo(f"sohoa ocr: {msg}", err=True)
            if exc.exit_code == 2:
                bad_input = True
                continue
            sys.exit(exc.exit_code)
        result = ocr_result(path.name, pages)
        if as_json:
            results.append(result.export())
        else:
            for page in result.pages:
                header = f"== {path.name} page {page.page} =="
                click.echo(header)
                click.echo(page.text)
    if as_json:
        click.echo(json.dumps(results, ensure_ascii=False))
    sys.exit(2 if bad_input else 0)
