"""Robustness on real pages: the same real photos turned, shrunk, re-encoded or shown small on
a larger photo, read by sohoa and scored as ``bench.real_eval`` scores them.

    python -m bench.real_variants [--photos ../shared/real-photos] [--variants rot90,small]
                                  [--types citizen_id_front,...] [--out DIR]

Cards reach the counter at any rotation, as tight low-resolution crops, as a small part of a
larger photo, and as JPEG, HEIC or WebP. Each variant is made at run time from every selected
real photo in a temporary directory that is deleted afterwards (the photos show real people:
nothing derived from them is kept, and only counts are printed or written):

* ``original``: the file as it is;
* ``rot90``, ``rot180``, ``rot270``: the pixels turned clockwise (EXIF rotation applied first,
  then dropped), saved in the original's format;
* ``small``: downscaled so that the long side is 600 px (a card then is ~600×380 px);
* ``webp``: re-encoded as WebP (quality 80); ``jpeg60``: as JPEG quality 60; ``heic`` (not in
  the default list, slower to encode): as HEIC;
* ``pasted``, ``pasted_noise``: the photo scaled to a fifth of the area of a 4032×3024 canvas
  (a 12-Mpx phone photo), plain or covered in sensor-like noise, off centre.

By default the card photos and the birth certificates, every variant, in one process.
Per variant: document type right, fields right / wrong / missing / invented (``real_eval``'s
``score``), and the change of fields right against ``original``.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageOps

from bench._cpu import cpu_seconds
from bench.real_eval import DEFAULT_PHOTOS, _load_pipeline, photo_items, score

DEFAULT_TYPES = ("citizen_id_front", "citizen_id_back", "birth_certificate")
SMALL_LONG_SIDE = 600
CANVAS = (4032, 3024)
PASTED_AREA = 0.2  # of the canvas

# --- the variants: (upright RGB image, original format) -> (bytes, suffix) -----------------


def _encode(image: Image.Image, fmt: str, **params: Any) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format=fmt, **params)
    return buf.getvalue()


def _as_original(image: Image.Image, fmt: str) -> tuple[bytes, str]:
    if fmt == "JPEG":
        return _encode(image, "JPEG", quality=95), ".jpg"
    return _encode(image, "PNG"), ".png"


def _rotated(degrees_clockwise: int) -> Callable[[Image.Image, str], tuple[bytes, str]]:
    def make(image: Image.Image, fmt: str) -> tuple[bytes, str]:
        return _as_original(image.rotate(-degrees_clockwise, expand=True), fmt)

    return make


def _small(image: Image.Image, fmt: str) -> tuple[bytes, str]:
    f = SMALL_LONG_SIDE / max(image.size)
    if f >= 1:
        return _as_original(image, fmt)
    size = (round(image.width * f), round(image.height * f))
    return _as_original(image.resize(size, Image.Resampling.LANCZOS), fmt)


def _heic(image: Image.Image, fmt: str) -> tuple[bytes, str]:
    from pillow_heif import register_heif_opener

    register_heif_opener()
    return _encode(image, "HEIF", quality=80), ".heic"


def _pasted(noise: bool) -> Callable[[Image.Image, str], tuple[bytes, str]]:
    def make(image: Image.Image, fmt: str) -> tuple[bytes, str]:
        cw, ch = CANVAS
        f = (PASTED_AREA * cw * ch / (image.width * image.height)) ** 0.5
        f = min(f, 0.9 * cw / image.width, 0.9 * ch / image.height)
        card = image.resize(
            (round(image.width * f), round(image.height * f)), Image.Resampling.LANCZOS
        )
        rng = np.random.default_rng(7)
        base = np.empty((ch, cw, 3), np.float32)
        base[:] = (128, 118, 104)  # a grey-brown desk
        if noise:
            base += rng.normal(0, 18, size=base.shape)
        canvas = Image.fromarray(np.clip(base, 0, 255).astype(np.uint8))
        # off centre: a third of the free room from the left, two thirds from the top
        canvas.paste(card, ((cw - card.width) // 3, 2 * (ch - card.height) // 3))
        return _encode(canvas, "JPEG", quality=90), ".jpg"

    return make


VARIANTS: dict[str, Callable[[Image.Image, str], tuple[bytes, str]]] = {
    "original": lambda image, fmt: (b"", ""),  # the file's own bytes
    "rot90": _rotated(90),
    "rot180": _rotated(180),
    "rot270": _rotated(270),
    "small": _small,
    "webp": lambda image, fmt: (_encode(image, "WEBP", quality=80), ".webp"),
    "jpeg60": lambda image, fmt: (_encode(image, "JPEG", quality=60), ".jpg"),
    "pasted": _pasted(noise=False),
    "pasted_noise": _pasted(noise=True),
    "heic": _heic,
}
DEFAULT_VARIANTS = tuple(v for v in VARIANTS if v != "heic")


def _upright(path: Path) -> tuple[Image.Image, str]:
    """The photo as seen (EXIF rotation applied; transparency on white, as sohoa reads
    it), RGB, and its format (JPEG or other)."""
    with Image.open(path) as im:
        fmt = "JPEG" if im.format == "JPEG" else "PNG"
        im = ImageOps.exif_transpose(im)
        if "A" in im.getbands() or "transparency" in im.info:
            rgba = im.convert("RGBA")
            on_white = Image.new("RGB", im.size, "white")
            on_white.paste(rgba, mask=rgba.getchannel("A"))
            return on_white, fmt
        return im.convert("RGB"), fmt


def make_variant(path: Path, variant: str, folder: Path) -> Path:
    """Write ``variant`` of the photo at ``path`` into ``folder``; the original is not copied."""
    if variant == "original":
        return path
    image, fmt = _upright(path)
    data, suffix = VARIANTS[variant](image, fmt)
    out = folder / f"{path.stem}.{variant}{suffix}"
    out.write_bytes(data)
    return out


# --- reading and scoring --------------------------------------------------------------------


def read_variants(
    items: list[dict[str, Any]], variants: list[str], folder: Path
) -> dict[str, dict[str, Any]]:
    """sohoa's reading of each variant of each item, as ``real_eval``'s worker rows."""
    extract_file, get_engine, settings_cls, error_cls = _load_pipeline()
    settings = settings_cls(ocr_threads=1)
    engine = get_engine(settings)
    raws: dict[str, dict[str, Any]] = {v: {"items": []} for v in variants}
    for item in items:
        for variant in variants:
            path = make_variant(Path(item["file"]), variant, folder)
            c = cpu_seconds()
            try:
                result = extract_file(
                    path.read_bytes(), path.name, engine=engine, register=None, settings=settings
                )
                pages = [p.text.text for p in result.pages]
                docs = [
                    # names only: the fields sent to review (real_eval's score counts them)
                    {
                        "doc_type": d.doc_type,
                        "fields": dict(d.fields),
                        "review": sorted(d.field_review),
                    }
                    for d in result.documents
                ]
                error = None
            except error_cls as exc:
                pages, docs, error = [], [], exc.code
            if path != Path(item["file"]):
                path.unlink()
            raws[variant]["items"].append(
                {
                    "id": item["id"],
                    "set": item["set"],
                    "cpu_seconds": cpu_seconds() - c,
                    "pages": pages,
                    "documents": docs,
                    "error": error,
                }
            )
            print(f"[real_variants] {variant}: {cpu_seconds() - c:.1f} CPU-s", file=sys.stderr)
    return raws


def table(reports: dict[str, dict[str, Any]]) -> str:
    base = reports.get("original", {}).get("fields", {}).get("right")
    rows = [
        "| variant | type right | fields right | wrong | missing | invented "
        "| right vs original | sent to review (right / wrong / missing) | CPU-s/page (median) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, r in reports.items():
        t, f = r["doc_type"], r["fields"]
        delta = f"{f['right'] - base:+d}" if base is not None and name != "original" else "–"
        cpu = r["cpu_s_per_page_median"]
        flagged = r.get("flagged", {})
        rows.append(
            f"| {name} | {t.get('right', 0)}/{t.get('pages', 0)} | {f['right']}/{f['fields']} "
            f"| {f['wrong']} | {f['missing']} | {f['invented']} | {delta} "
            f"| {flagged.get('right', 0)} / {flagged.get('wrong', 0)} / {flagged.get('missing', 0)} "
            f"| {cpu:.2f} |"
            if cpu is not None
            else f"| {name} | no pages |"
        )
    return "\n".join(rows) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--photos", type=Path, default=DEFAULT_PHOTOS)
    ap.add_argument(
        "--variants",
        default=",".join(DEFAULT_VARIANTS),
        help=f"comma-separated, of: {', '.join(VARIANTS)} (default: all but heic)",
    )
    ap.add_argument(
        "--types",
        default=",".join(DEFAULT_TYPES),
        help="document types (truth doc_type) of the photos to use; 'all' for every one",
    )
    ap.add_argument("--out", type=Path, help="also write real_variants.md/.json here")
    args = ap.parse_args(argv)
    variants = [v.strip() for v in args.variants.split(",") if v.strip()]
    unknown = [v for v in variants if v not in VARIANTS]
    if unknown:
        ap.error(f"unknown variants {unknown}; known: {', '.join(VARIANTS)}")
    if "original" not in variants:
        variants.insert(0, "original")
    items = photo_items(args.photos)
    if args.types != "all":
        types = set(args.types.split(","))
        items = [i for i in items if i["truth"]["doc_type"] in types]
    if not items:
        print("no real photos found (../shared/real-photos): nothing to measure")
        return 0
    with tempfile.TemporaryDirectory(prefix="real_variants_") as tmp:
        raws = read_variants(items, variants, Path(tmp))
    reports = {v: score(items, raw) for v, raw in raws.items()}
    text = table(reports)
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "real_variants.md").write_text(text)
        per = {
            v: {k: r[k] for k in ("doc_type", "fields", "flagged", "per_type")}
            for v, r in reports.items()
        }
        (args.out / "real_variants.json").write_text(json.dumps(per, indent=1))
    print(f"{len(items)} photos\n{text}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
