"""Orchestrates a sample set: render → degrade → write files, then the register and expectations."""

from __future__ import annotations

import csv
import hashlib
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import numpy as np

from .capture import CAPTURES, CARD_CAPTURES, capture
from .card_versions import CARD_VERSIONS, render_back, render_front
from .cards import CardData, card_box, make_card_data, render_card_back, render_card_front
from .degrade import DEGRADATIONS, apply_h, degrade
from .documents import TEMPLATES, application_form, birth_certificate, marital_status_certificate
from .model import DOC_TYPES, Document
from .people import Person, make_person
from .register import REGISTER_COLUMNS, build_register, expected_verification
from .writer import write_file

__all__ = ["CARD_RENDERERS", "GenerateOptions", "generate", "write_population"]

# The card types are drawn from one card (front and back of sample i pair up); every other
# type by its template in documents.TEMPLATES.
CARD_RENDERERS: dict[str, Callable[[random.Random, CardData], Document]] = {
    "citizen_id_front": render_card_front,
    "citizen_id_back": render_card_back,
}
# with --card-versions: every version, each in its real colours
_VERSIONED: dict[str, Callable[[random.Random, CardData], Document]] = {
    "citizen_id_front": render_front,
    "citizen_id_back": render_back,
}


@dataclass
class GenerateOptions:
    out: Path
    per_type: int = 2
    seed: int = 0
    degradations: list[str] = field(default_factory=lambda: list(DEGRADATIONS))
    types: list[str] = field(default_factory=lambda: list(DOC_TYPES))
    dossiers: int | None = None  # multi-document PDFs; default max(1, per_type // 4)
    extra_people: int = 2000
    jpeg_quality: int = 90
    workers: int = 1
    base_dpi: int = 300  # resolution for the non-flatbed degradations
    cross: bool = False  # per_type samples for EVERY degradation (instead of cycling them)
    formats: dict[str, float] = field(
        default_factory=lambda: {"jpg": 0.62, "png": 0.14, "tif": 0.12, "pdf": 0.12}
    )
    # names of card_versions.CARD_VERSIONS, cycled over the card samples (and dossiers), drawn
    # in their real colours; None = the historic 2021/2024 alternation in the plain look
    card_versions: list[str] | None = None
    # "scan": the degradations above; "counter": photos as they reach the counter
    # (samples/capture.py): cards cycle CARD_CAPTURES (or those named in `degradations`), other
    # types are phone photos of the page, every file a JPEG; cards default to every version
    realism: str = "scan"


@dataclass
class Task:
    sample_id: str
    kind: str  # a doc_type or "dossier"
    index: int
    seed: int
    degradation: str
    fmt: str
    card_seed: int = 0
    card_versions: tuple[str, ...] = ()  # empty: the historic 2021/2024 alternation


def _card(task: Task, rng: random.Random, default: str) -> CardData:
    """The task's card: its version from --card-versions (real look), else `default`."""
    if task.card_versions:
        name = task.card_versions[task.index % len(task.card_versions)]
        return make_card_data(rng, CARD_VERSIONS[name], look="real")
    return make_card_data(rng, default)


@dataclass
class Rendered:
    """What a worker hands back: file metadata and the documents (without pixels)."""

    task: Task
    file: str
    pages: int
    documents: list[tuple[Document, list[int]]]


def _seed(*parts: object) -> int:
    h = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return int.from_bytes(h[:8], "big")


class _Source:
    """PersonSource for one sample; a fixed person (dossiers) or a fresh one each call."""

    def __init__(self, fixed: Person | None = None) -> None:
        self.fixed = fixed

    def __call__(self, rng: random.Random, **kw: object) -> Person:
        if self.fixed is not None:
            return self.fixed
        return make_person(rng, **kw)  # type: ignore[arg-type]


def _fits(doc: Document) -> bool:
    """Every printed line lies on the page (long values + big fonts can run off the bottom)."""
    for page in doc.pages:
        bottom, right = page.height - page.mm(6), page.width - page.mm(4)
        if any(y > bottom or y < 0 or x > right or x < 0 for ln in page.lines for x, y in ln.box):
            return False
    return True


def _render_fitting(render: Callable[[random.Random], Document], rng: random.Random) -> Document:
    """Render; if it runs off the page, re-draw with fresh (seed-derived) choices."""
    for _ in range(8):
        doc = render(random.Random(rng.getrandbits(64)))
        if _fits(doc):
            return doc
    raise RuntimeError("could not lay out a document within the page in 8 attempts")


def _render(task: Task) -> list[Document]:
    rng = random.Random(task.seed)
    if task.kind in CARD_RENDERERS:
        # front and back sample i share one card (same seed) so they pair up
        card_rng = random.Random(task.card_seed)
        card = _card(task, card_rng, "2021" if task.index % 2 == 0 else "2024")
        renderers = _VERSIONED if task.card_versions else CARD_RENDERERS
        return [renderers[task.kind](rng, card)]
    if task.kind == "dossier":
        # single cards start with 2021
        card = _card(task, rng, "2024" if task.index % 2 == 0 else "2021")
        src = _Source(card.person)
        docs = [
            render_front(rng, card),
            render_back(rng, card),
            _render_fitting(lambda r: birth_certificate(r, src), rng),
            _render_fitting(lambda r: application_form(r, src, pages=2), rng),
        ]
        if rng.random() < 0.5:
            docs.insert(3, _render_fitting(lambda r: marital_status_certificate(r, src), rng))
        return docs
    template = TEMPLATES[task.kind]
    return [_render_fitting(lambda r: template(r, _Source()), rng)]


def _run(task_and_dir: tuple[Task, Path, int, int]) -> Rendered:
    task, out, quality, base_dpi = task_and_dir
    docs = _render(task)
    nrng = np.random.default_rng(task.seed)
    rotation = _rotation(task.degradation)
    images: list[tuple[np.ndarray, int]] = []
    gt_pages = []
    placement: list[tuple[Document, list[int]]] = []
    for doc in docs:
        nums = []
        for page in doc.pages:
            bgr = np.asarray(page.img)[:, :, ::-1].copy()
            is_card = doc.card_version is not None
            if task.degradation in CAPTURES:
                edges = card_box(page) if is_card else (0.0, 0.0, float(page.width), page.height)
                shot = capture(bgr, task.degradation, nrng, edges, page.dpi, is_card=is_card)
                img, hm, dpi = shot.img, shot.hm, shot.dpi
                if not images:
                    rotation = shot.rotation_cw
            else:
                img, hm, dpi = degrade(
                    bgr, task.degradation, page.dpi, nrng, is_card=is_card, base_dpi=base_dpi
                )
            images.append((img, dpi))
            n = len(images)
            nums.append(n)
            lines: list[dict[str, Any]] = []
            hh, ww = img.shape[:2]
            for ln in page.lines:
                box = apply_h(hm, ln.box)
                box = [[min(max(x, 0.0), ww), min(max(y, 0.0), hh)] for x, y in box]
                if task.degradation in CAPTURES and _area(box) < 1.0:  # cropped out of the photo
                    continue
                lines.append({"text": ln.text, "box": [[round(x, 1), round(y, 1)] for x, y in box]})
            gt_pages.append(
                {
                    "page": n,
                    "width": ww,
                    "height": hh,
                    "dpi": dpi,
                    "text": "\n".join(g["text"] for g in lines),
                    "lines": lines,
                }
            )
        placement.append((doc, nums))
        # pixels are not needed any more; keep the worker→parent payload small
        for page in doc.pages:
            page.img = None  # type: ignore[assignment]
            page.draw = None  # type: ignore[assignment]
    name = write_file(out / task.sample_id, task.fmt, images, quality=quality, seed=task.seed)
    gt = {
        "boxes": "final_image_coordinates",
        "rotation_cw": rotation,
        "pages": gt_pages,
    }
    (out / f"{task.sample_id}.gt.json").write_text(
        json.dumps(gt, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return Rendered(task, name, len(images), placement)


def _area(box: list[list[float]]) -> float:
    return abs(
        sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(box, box[1:] + box[:1], strict=True))
        / 2
    )


def _rotation(deg: str) -> int:
    return {"rot90": 90, "rot180": 180, "rot270": 270}.get(deg, 0)


def _tasks(opts: GenerateOptions) -> list[Task]:
    tasks: list[Task] = []
    rng = random.Random(_seed(opts.seed, "formats"))
    fmts, weights = list(opts.formats), list(opts.formats.values())
    counter = opts.realism == "counter"
    for t in opts.types:
        degradations = _degradations(opts, t) if counter else opts.degradations
        if opts.cross:
            # ids like birth_certificate_photo_003; front/back with the same (degradation, i) pair up
            for k, deg in enumerate(degradations):
                for i in range(opts.per_type):
                    fmt = "jpg" if counter else rng.choices(fmts, weights)[0]
                    # index parity picks the card version: alternate across degradations too
                    tasks.append(
                        Task(
                            f"{t}_{deg}_{i + 1:03d}",
                            t,
                            i + k,
                            _seed(opts.seed, t, deg, i),
                            deg,
                            fmt,
                            card_seed=_seed(opts.seed, "card", deg, i),
                        )
                    )
            continue
        for i in range(opts.per_type):
            k = i + DOC_TYPES.index(t)
            if counter:
                # the card version cycles with i too: shift the capture every full round of
                # versions so that each version meets every capture
                k += i // len(opts.card_versions or CARD_VERSIONS)
            deg = degradations[k % len(degradations)]
            fmt = "jpg" if counter else rng.choices(fmts, weights)[0]
            tasks.append(
                Task(
                    f"{t}_{i + 1:03d}",
                    t,
                    i,
                    _seed(opts.seed, t, i),
                    deg,
                    fmt,
                    card_seed=_seed(opts.seed, "card", i),
                )
            )
    n_dossiers = opts.dossiers if opts.dossiers is not None else max(1, opts.per_type // 4)
    # dossiers are flatbed-scanned stacks: only scanner-like degradations
    scan_like = [
        d
        for d in opts.degradations
        if d in ("flatbed_200", "skew", "flatbed_300", "blur", "flatbed_150", "jpeg")
    ]
    for i in range(n_dossiers):
        deg = scan_like[i % len(scan_like)] if scan_like else "flatbed_200"
        tasks.append(
            Task(f"dossier_{i + 1:03d}", "dossier", i, _seed(opts.seed, "dossier", i), deg, "pdf")
        )
    versions = opts.card_versions or (list(CARD_VERSIONS) if counter else [])
    for task in tasks:
        task.card_versions = tuple(versions)
    return tasks


def _degradations(opts: GenerateOptions, doc_type: str) -> list[str]:
    """What a type's photos go through at the counter: cards one of the card captures."""
    if doc_type not in CARD_RENDERERS:
        return ["counter_page"]
    named = [d for d in opts.degradations if d in CARD_CAPTURES]
    return named or list(CARD_CAPTURES)


def generate(opts: GenerateOptions, progress: bool = False) -> dict[str, object]:
    opts.out.mkdir(parents=True, exist_ok=True)
    tasks = _tasks(opts)
    args = [(t, opts.out, opts.jpeg_quality, opts.base_dpi) for t in tasks]
    if opts.workers > 1:
        with get_context("fork").Pool(opts.workers) as pool:
            results = list(pool.imap(_run, args, chunksize=1))
    else:
        results = []
        for a in args:
            results.append(_run(a))
            if progress:
                print(f"{a[0].sample_id} {a[0].degradation}", flush=True)
    subjects: dict[str, Person] = {}
    for r in results:
        for doc, _ in r.documents:
            for s in doc.subjects:
                subjects.setdefault(s.person.id_number, s.person)
    register, variants = build_register(subjects, opts.seed, opts.extra_people)
    write_population(opts.out / "population.csv", register)
    index = []
    for r in results:
        docs_out = []
        for doc, nums in r.documents:
            ver = expected_verification(doc, register)
            d = {"doc_type": doc.doc_type, "pages": nums, "fields": doc.fields, "verification": ver}
            if doc.card_version:
                d["card_version"] = doc.card_version
            if doc.qr_payload:
                d["qr_payload"] = doc.qr_payload
            if doc.mrz:
                d["mrz"] = doc.mrz
            docs_out.append(d)
        first = docs_out[0]
        single = len(docs_out) == 1
        expected = {
            "doc_type": first["doc_type"] if single else "dossier",
            "fields": first["fields"] if single else {},
            "degradation": r.task.degradation,
            "format": r.file.rsplit(".", 1)[
                1
            ],  # the writer may turn a multi-page jpg/png into pdf/tif
            "file": r.file,
            "pages": list(range(1, r.pages + 1)),
            "documents": docs_out,
            "verification": first["verification"] if single else _combined(docs_out),
        }
        if single and "card_version" in first:
            expected["card_version"] = first["card_version"]
        (opts.out / f"{r.task.sample_id}.expected.json").write_text(
            json.dumps(expected, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        index.append(
            {
                "id": r.task.sample_id,
                "file": r.file,
                "doc_types": [d["doc_type"] for d in docs_out],
                "degradation": r.task.degradation,
                "pages": r.pages,
            }
        )
    summary = {
        "seed": opts.seed,
        "per_type": opts.per_type,
        "samples": index,
        "register_rows": len(register),
        "register_variants": variants,
    }
    (opts.out / "index.json").write_text(
        json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return summary


def _combined(docs: list[dict]) -> dict[str, object]:
    """A dossier's overall verification: the worst status among its documents."""
    order = ["not_found", "mismatch", "match", "not_applicable"]
    statuses = [d["verification"]["status"] for d in docs]
    status = min(statuses, key=order.index)
    fields = sorted({f for d in docs for f in d["verification"]["mismatched_fields"]})
    dia = sorted({f for d in docs for f in d["verification"]["diacritics_only_fields"]})
    return {"status": status, "mismatched_fields": fields, "diacritics_only_fields": dia}


def write_population(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=REGISTER_COLUMNS)
        w.writeheader()
        w.writerows(rows)
