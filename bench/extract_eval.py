"""Accuracy of document understanding on a generated sample set, per type and per field.

    python bench/extract_eval.py --data DIR [--text ocr|gt] [--baseline] [--limit N]
    python bench/extract_eval.py --generate --per-type 5 --seed 3 --data /tmp/eval
    python -m bench.extract_eval --data samples/eval_counter    # photos as at the counter

Scores, against each sample's ``expected.json`` (ground truth from the generator):
document type accuracy (per expected document, pages must match too), field exact match
(over every expected field), verification status accuracy, and seconds per page end to end.
``--text gt`` feeds the ground-truth lines to the understanding layer (isolates it from OCR);
``--text ocr`` (default) runs the whole pipeline (``ocr_file`` and stages 4-6, as
``extract_file``). ``--baseline`` also runs the plain variant: the same label extractors
with no QR, no MRZ and no id-structure fusion.
Fields are also counted as ``bench.real_eval`` counts them on real pages, so the two sets
compare: against the document predicted at the expected first page whatever its type, each
expected field is right, wrong or missing, and a returned field the generator did not print
is invented. Cards are reported per version (``card_version``, named as ``--card-versions``
names them) and every set per degradation or capture.
The register is ``population.csv`` of the set, imported into a temporary SQLite register.
Prints a table; writes ``bench/out/extract_eval.md`` and ``bench/out/extract_eval.png``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._cpu import cpu_seconds  # noqa: E402
from core.records import DocumentResult, OcrLine, PageText  # noqa: E402
from core.settings import Settings  # noqa: E402

__all__ = ["Sample", "Score", "evaluate", "gt_page_texts", "load_samples", "score_documents"]

_SCAN_EXT = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".pdf")


@dataclass
class Sample:
    sample_id: str
    path: Path
    expected: dict[str, Any]
    gt: dict[str, Any] | None

    @property
    def documents(self) -> list[dict[str, Any]]:
        docs: list[dict[str, Any]] = self.expected.get("documents") or [self.expected]
        return docs


def load_samples(data_dir: Path) -> list[Sample]:
    out = []
    for exp in sorted(data_dir.glob("*.expected.json")):
        sid = exp.name.removesuffix(".expected.json")
        scan = next(
            (data_dir / f"{sid}{e}" for e in _SCAN_EXT if (data_dir / f"{sid}{e}").exists()), None
        )
        if scan is None:
            continue
        gt_path = data_dir / f"{sid}.gt.json"
        gt = json.loads(gt_path.read_text()) if gt_path.exists() else None
        out.append(Sample(sid, scan, json.loads(exp.read_text()), gt))
    return out


def gt_page_texts(gt: dict[str, Any]) -> list[PageText]:
    """Ground-truth lines as PageText, turned upright and deskewed (confidence 1).

    GT corners are in the text's own order (top-left first), so the median direction of
    the lines' top edges gives the page's rotation plus skew; undoing it gives tight,
    axis-aligned line boxes like the OCR pipeline's (which deskews too).
    """
    pages = []
    for p in gt["pages"]:
        w, h = float(p["width"]), float(p["height"])
        quads = [np.asarray(ln["box"], dtype=float) for ln in p["lines"]]
        angles = [np.arctan2(q[1][1] - q[0][1], q[1][0] - q[0][0]) for q in quads if len(q) == 4]
        theta = float(np.median(angles)) if angles else 0.0
        c, s_ = np.cos(-theta), np.sin(-theta)
        rot = np.array([[c, -s_], [s_, c]])
        corners = np.array([[0, 0], [w, 0], [w, h], [0, h]]) @ rot.T
        origin = corners.min(axis=0)
        size = corners.max(axis=0) - origin
        lines = []
        for ln, q in zip(p["lines"], quads, strict=True):
            pts = q @ rot.T - origin
            x0, y0 = pts.min(axis=0)
            x1, y1 = pts.max(axis=0)
            box = ((x0, y0), (x1, y0), (x1, y1), (x0, y1))
            lines.append(OcrLine(ln["text"], box, 1.0))
        pages.append(
            PageText(
                int(p["page"]),
                int(size[0]),
                int(size[1]),
                lines,
                rotation=int(round(np.degrees(theta) / 90)) % 4 * 90,
            )
        )
    return pages


# --- scoring -----------------------------------------------------------------------------------


@dataclass
class Score:
    doc_total: int = 0
    doc_ok: int = 0
    field_total: int = 0
    field_ok: int = 0
    verif_total: int = 0
    verif_ok: int = 0
    extra_fields: int = 0
    per_type: dict[str, list[int]] = field(
        default_factory=lambda: defaultdict(lambda: [0, 0, 0, 0, 0, 0])
    )
    per_field: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    errors: list[str] = field(default_factory=list)
    pages: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # CPU time incl. tesseract children: wall time on an idle core
    cpu_per_page: list[float] = field(default_factory=list)  # one per file
    # real_eval's rule (any predicted type): right, wrong, missing, invented
    fields_any: dict[str, int] = field(
        default_factory=lambda: {"right": 0, "wrong": 0, "missing": 0, "invented": 0}
    )
    # of those, the fields sent to review (``field_review``): right / wrong / missing
    flagged: dict[str, int] = field(default_factory=lambda: {"right": 0, "wrong": 0, "missing": 0})
    # per card version and per degradation: the per_type row (docs, type ok, fields, fields
    # ok, verifications, verifications ok)
    per_version: dict[str, list[int]] = field(
        default_factory=lambda: defaultdict(lambda: [0, 0, 0, 0, 0, 0])
    )
    per_degradation: dict[str, list[int]] = field(
        default_factory=lambda: defaultdict(lambda: [0, 0, 0, 0, 0, 0])
    )

    def pct(self, a: int, b: int) -> float:
        return 100.0 * a / b if b else float("nan")


def score_documents(sample: Sample, predicted: Sequence[DocumentResult], score: Score) -> None:
    """Compare predicted documents with the expected ones (matched by first page)."""
    by_first = {d.pages[0]: d for d in predicted if d.pages}
    for exp in sample.documents:
        doc_type = exp["doc_type"]
        rows = [score.per_type[doc_type]]
        if exp.get("card_version"):
            rows.append(score.per_version[_version_name(exp["card_version"])])
        rows.append(score.per_degradation[str(sample.expected.get("degradation", "?"))])
        pred = by_first.get(exp["pages"][0])
        score.doc_total += 1
        _add(rows, 0)
        type_ok = (
            pred is not None
            and pred.doc_type == doc_type
            and list(pred.pages) == list(exp["pages"])
        )
        if type_ok:
            score.doc_ok += 1
            _add(rows, 1)
        else:
            got = f"{pred.doc_type} p{pred.pages}" if pred else "nothing"
            score.errors.append(f"{sample.sample_id} p{exp['pages']}: type {doc_type} → {got}")
        pf = pred.fields if pred is not None and pred.doc_type == doc_type else {}
        _count_any(
            exp["fields"],
            dict(pred.fields) if pred is not None else {},
            score,
            set(pred.field_review) if pred is not None else set(),
        )
        for name, value in exp["fields"].items():
            score.field_total += 1
            _add(rows, 2)
            key = f"{doc_type}.{name}"
            score.per_field[key][0] += 1
            if pf.get(name) == value:
                score.field_ok += 1
                _add(rows, 3)
                score.per_field[key][1] += 1
            elif pred is not None and pred.doc_type == doc_type:
                score.errors.append(
                    f"{sample.sample_id}: {key} expected {value!r} got {pf.get(name)!r}"
                )
        score.extra_fields += len(set(pf) - set(exp["fields"]))
        exp_v = exp.get("verification", {}).get("status")
        if exp_v:
            score.verif_total += 1
            _add(rows, 4)
            got_v = pred.verification.status if pred is not None else None
            if got_v == exp_v:
                score.verif_ok += 1
                _add(rows, 5)
            else:
                extra = pred.verification.mismatched_fields if pred is not None else ""
                score.errors.append(f"{sample.sample_id}: verification {exp_v} got {got_v} {extra}")


def _add(rows: list[list[int]], k: int) -> None:
    for row in rows:
        row[k] += 1


def _count_any(
    expected: dict[str, str], got: dict[str, str], score: Score, flagged: set[str]
) -> None:
    """bench.real_eval's rule: right / wrong / missing per expected field, invented others;
    and how many of each the pipeline sent to review."""
    for name, value in expected.items():
        if not got.get(name):
            verdict = "missing"
        elif " ".join(str(got[name]).split()) == " ".join(value.split()):
            verdict = "right"
        else:
            verdict = "wrong"
        score.fields_any[verdict] += 1
        score.flagged[verdict] += name in flagged
    score.fields_any["invented"] += sum(1 for k, v in got.items() if v and k not in expected)


def _version_name(card_version: str) -> str:
    """The --card-versions name of a sample's card_version ("2021" → "cccd_2021_chip")."""
    from samples.card_versions import VERSION_NAMES

    return VERSION_NAMES.get(card_version, card_version)


# --- runners ---------------------------------------------------------------------------------


@dataclass
class Pages:
    """One file's pages as the understanding layer sees them, and what producing them cost."""

    texts: list[PageText]
    images: list[np.ndarray | None]
    seconds: float
    cpu_seconds: float
    # the OCR'd pages themselves, when OCR ran here (not ground truth or a recorded OCR):
    # the pipeline's second reading of disputed fields needs their images
    processed: list[Any] | None = None


def _gt_pages(sample: Sample, settings: Settings) -> Pages:
    from ocr_service.pages import load_pages

    assert sample.gt is not None
    t0, c0 = time.perf_counter(), cpu_seconds()
    texts = gt_page_texts(sample.gt)
    images: list[np.ndarray | None] = [
        p.image for p in load_pages(sample.path.read_bytes(), sample.path.name, settings)
    ]
    return Pages(texts, images, time.perf_counter() - t0, cpu_seconds() - c0)


def _ocr_pages(sample: Sample, settings: Settings, engine: Any, cache: Path | None) -> Pages:
    """OCR one file (or reuse a recorded OCR of the same bytes, with what it cost then)."""
    import hashlib

    from ocr_service.pages import load_pages
    from ocr_service.pipeline import ocr_file

    data = sample.path.read_bytes()
    path = cache / f"{hashlib.sha256(data).hexdigest()}.json" if cache else None
    if path is not None and path.exists():
        raw = json.loads(path.read_text(encoding="utf-8"))
        texts = [
            PageText(
                p["page"],
                p["width"],
                p["height"],
                [
                    OcrLine(ln["text"], tuple(tuple(pt) for pt in ln["box"]), ln["confidence"])  # type: ignore[arg-type]
                    for ln in p["lines"]
                ],
                rotation=p["rotation"],
            )
            for p in raw["pages"]
        ]
        # The QR is decoded from the scan as loaded (no coordinates needed).
        images: list[np.ndarray | None] = [
            p.image for p in load_pages(data, sample.path.name, settings)
        ]
        return Pages(texts, images, raw["seconds"], raw["cpu_seconds"])
    t0, c0 = time.perf_counter(), cpu_seconds()
    pages = ocr_file(data, sample.path.name, engine=engine, settings=settings)
    result = Pages(
        [p.text for p in pages],
        [p.image for p in pages],
        time.perf_counter() - t0,
        cpu_seconds() - c0,
        processed=pages,
    )
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            json.dumps(
                {
                    "source": sample.path.name,
                    "seconds": result.seconds,
                    "cpu_seconds": result.cpu_seconds,
                    "pages": [
                        {
                            "page": t.page,
                            "width": t.width,
                            "height": t.height,
                            "rotation": t.rotation,
                            "lines": [
                                {
                                    "text": ln.text,
                                    "box": [[float(x), float(y)] for x, y in ln.box],
                                    "confidence": float(ln.confidence),
                                }
                                for ln in t.lines
                            ],
                        }
                        for t in result.texts
                    ],
                },
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )
    return result


def evaluate(
    samples: Sequence[Sample],
    *,
    text: str,
    register: Any,
    variants: dict[str, bool],
    ocr_cache: Path | None = None,
) -> dict[str, Score]:
    """Score each variant (name → use QR/MRZ) on the same pages; OCR runs once per file."""
    from tqdm import tqdm

    from classifiers.understand import understand_pages
    from ocr_service.pipeline import reread_disputed_fields, understand, verify

    settings = Settings()
    engine = None
    if text == "ocr":
        from ocr_service.engine import get_engine

        engine = get_engine(settings)
    scores = {name: Score() for name in variants}
    for sample in tqdm(samples, desc="extract_eval", file=sys.stderr, leave=False):
        try:
            pages = (
                _gt_pages(sample, settings)
                if text == "gt"
                else _ocr_pages(sample, settings, engine, ocr_cache)
            )
        except Exception as exc:  # a failing file is scored as all wrong, not a crash
            for score in scores.values():
                score.errors.append(f"{sample.sample_id}: pipeline error {exc!r}")
                score.pages += len(sample.expected.get("pages", [1]))
                score_documents(sample, [], score)
            continue
        # each variant starts from the first reading (the pipeline may read lines again)
        first = [replace(t, lines=list(t.lines)) for t in pages.texts]
        for name, machine_readable in variants.items():
            score = scores[name]
            t0, c0 = time.perf_counter(), cpu_seconds()
            if machine_readable and pages.processed is not None and engine is not None:
                for page, read in zip(pages.processed, first, strict=True):
                    page.text.lines = list(read.lines)
                # the pipeline's stages 4-6, as extract_file runs them
                source = sample.path.name
                docs = understand(source, pages.processed)
                docs = reread_disputed_fields(
                    source, pages.processed, docs, engine=engine, register=register
                )
                docs = verify(docs, register)
            else:
                images = pages.images if machine_readable else [None] * len(pages.texts)
                docs = understand_pages(
                    sample.path.name,
                    first,
                    images,
                    register=register,
                    machine_readable=machine_readable,
                )
            score.seconds += pages.seconds + time.perf_counter() - t0
            spent = pages.cpu_seconds + cpu_seconds() - c0
            score.cpu_seconds += spent
            score.cpu_per_page.append(spent / max(1, len(pages.texts)))
            score.pages += len(pages.texts)
            score_documents(sample, docs, score)
    return scores


# --- report --------------------------------------------------------------------------------------


def _table(results: dict[str, Score]) -> str:
    names = list(results)
    lines = ["| metric | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]

    def row(metric: str, fn: Callable[[Score], str]) -> None:
        lines.append(f"| {metric} | " + " | ".join(fn(results[n]) for n in names) + " |")

    row(
        "doc type accuracy",
        lambda s: f"{s.pct(s.doc_ok, s.doc_total):.1f}% ({s.doc_ok}/{s.doc_total})",
    )
    row(
        "field exact match",
        lambda s: f"{s.pct(s.field_ok, s.field_total):.1f}% ({s.field_ok}/{s.field_total})",
    )
    row(
        "verification status",
        lambda s: f"{s.pct(s.verif_ok, s.verif_total):.1f}% ({s.verif_ok}/{s.verif_total})",
    )
    row("extra fields (not expected)", lambda s: str(s.extra_fields))
    row(
        "fields right / wrong / missing / invented (real_eval's rule)",
        lambda s: "{right} / {wrong} / {missing} / {invented}".format(**s.fields_any),
    )
    row(
        "of those, sent to review (right / wrong / missing)",
        lambda s: "{right} / {wrong} / {missing}".format(**s.flagged),
    )
    row("s/page end to end (wall)", lambda s: f"{s.seconds / max(1, s.pages):.2f}")
    row("CPU s/page end to end", lambda s: f"{s.cpu_seconds / max(1, s.pages):.2f}")
    row("CPU s/page, median file", lambda s: f"{_median(s.cpu_per_page):.2f}")
    first = results[names[0]]
    lines += [
        "",
        "| doc type | n | " + " | ".join(f"{n}: type / fields / verif" for n in names) + " |",
        "|---|---|" + "---|" * len(names),
    ]
    for label, attr in (
        ("doc type", "per_type"),
        ("card version", "per_version"),
        ("degradation", "per_degradation"),
    ):
        groups = getattr(first, attr)
        if not groups:
            continue
        if attr != "per_type":
            lines += [
                "",
                f"| {label} | n | "
                + " | ".join(f"{n}: type / fields / verif" for n in names)
                + " |",
                "|---|---|" + "---|" * len(names),
            ]
        for t in sorted(groups):
            cells = []
            for n in names:
                r = getattr(results[n], attr)[t]
                cells.append(
                    f"{r[1]}/{r[0]} / {r[3]}/{r[2]} / {r[5]}/{r[4]}"
                    if attr != "per_type"
                    else f"{results[n].pct(r[1], r[0]):.0f}% / {results[n].pct(r[3], r[2]):.1f}% / "
                    f"{results[n].pct(r[5], r[4]):.0f}%"
                )
            lines.append(f"| {t} | {groups[t][0]} | " + " | ".join(cells) + " |")
    lines += ["", "| field | n | " + " | ".join(names) + " |", "|---|---|" + "---|" * len(names)]
    for f in sorted(first.per_field):
        cells = [
            f"{results[n].pct(results[n].per_field[f][1], results[n].per_field[f][0]):.1f}%"
            for n in names
        ]
        lines.append(f"| {f} | {first.per_field[f][0]} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _median(values: list[float]) -> float:
    return float(np.median(values)) if values else float("nan")


def _plot(results: dict[str, Score], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    first = next(iter(results.values()))
    types = sorted(first.per_type)
    fig, ax = plt.subplots(figsize=(11, 4.5))
    width = 0.8 / len(results)
    for i, (name, s) in enumerate(results.items()):
        vals = [s.pct(s.per_type[t][3], s.per_type[t][2]) for t in types]
        ax.bar(np.arange(len(types)) + i * width, vals, width, label=name)
    ax.set_xticks(np.arange(len(types)) + width * (len(results) - 1) / 2)
    ax.set_xticklabels(types, rotation=35, ha="right", fontsize=8)
    ax.set_ylabel("field exact match (%)")
    ax.set_ylim(0, 100)
    ax.axhline(97, color="grey", lw=0.8, ls="--")
    ax.legend()
    ax.set_title("sohoa extract: field exact match per document type")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--data", type=Path, required=True, help="sample set directory")
    ap.add_argument(
        "--generate",
        action="store_true",
        help="generate the set first (python -m samples generate)",
    )
    ap.add_argument("--per-type", type=int, default=5)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument(
        "--realism",
        choices=["scan", "counter"],
        default="scan",
        help="with --generate: counter = photos as they reach the counter (samples/capture.py)",
    )
    ap.add_argument("--text", choices=["ocr", "gt"], default="ocr")
    ap.add_argument("--baseline", action="store_true", help="also run without QR/MRZ fusion")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--types", default="", help="comma-separated doc types (sample id prefixes)")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    ap.add_argument("--errors", type=int, default=40, help="print this many error lines")
    ap.add_argument(
        "--ocr-cache",
        type=Path,
        default=None,
        help="record/reuse OCR per file (by SHA-256) with its timing, to re-score quickly",
    )
    args = ap.parse_args(argv)

    if args.generate:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "samples",
                "generate",
                "--out",
                str(args.data),
                "--per-type",
                str(args.per_type),
                "--seed",
                str(args.seed),
                "--realism",
                args.realism,
            ],
            check=True,
            cwd=ROOT,
        )
    samples = load_samples(args.data)
    if args.types:
        keep = tuple(args.types.split(","))
        samples = [s for s in samples if s.sample_id.startswith(keep)]
    if args.limit:
        samples = samples[: args.limit]
    if not samples:
        print(f"no samples in {args.data}", file=sys.stderr)
        return 2

    from storage.population import DatabasePopulationRegister, parse_register_csv

    with tempfile.TemporaryDirectory() as tmp:
        register = DatabasePopulationRegister(f"sqlite:///{tmp}/register.sqlite3")
        csv_path = args.data / "population.csv"
        if csv_path.exists():
            rows, bad = parse_register_csv(csv_path.read_bytes())
            register.upsert(rows)
        variants = {"sohoa": True}
        if args.baseline:
            variants["baseline (no QR/MRZ)"] = False
        results = evaluate(
            samples, text=args.text, register=register, variants=variants, ocr_cache=args.ocr_cache
        )

    pages = sum(s.pages for s in results.values()) // len(results)
    head = (
        f"# sohoa extract evaluation\n\nSet: `{args.data}` ({len(samples)} files, {pages} pages), "
        f"text from {'the OCR pipeline' if args.text == 'ocr' else 'ground truth (understanding only)'}.\n"
    )
    table = _table(results)
    print(table)
    main_score = results["sohoa"]
    for e in main_score.errors[: args.errors]:
        print("  ", e, file=sys.stderr)
    args.out.mkdir(parents=True, exist_ok=True)
    suffix = "" if args.text == "ocr" else "_gt"
    (args.out / f"extract_eval{suffix}.md").write_text(head + "\n" + table + "\n")
    _plot(results, args.out / f"extract_eval{suffix}.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
