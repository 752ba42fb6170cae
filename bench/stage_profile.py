"""Where a page's OCR time goes: CPU seconds per stage, A4 pages and cards apart.

    python -m bench.stage_profile [--samples samples/eval] [--per-type 3] [--cpu 1]
                                  [--out bench/out]

Each stage function is wrapped with a timer that counts its own CPU time: time spent in
another wrapped stage it calls is that stage's, so the rows add up to the whole. What no
stage claims (deskew, rescaling, splitting lines at columns, tidying text) is counted as
"other" under the pipeline's preprocessing and OCR stages. Run on a quiet machine: CPU time on a shared core still
grows when the sibling core is busy. Writes stage_profile.md and stage_profile.png.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["StageClock", "main"]

CARD_TYPES = {"citizen_id_front", "citizen_id_back"}


class StageClock:
    """Exclusive CPU time per label for wrapped functions (nested calls subtract)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self._stack: list[list[float]] = []  # per open call: time its wrapped callees took

    def wrap(self, label: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            self._stack.append([0.0])
            t = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                spent = time.process_time() - t
                inner = self._stack.pop()[0]
                self.seconds[label] += spent - inner
                if self._stack:
                    self._stack[-1][0] += spent

        return timed

    def patch(self, owner: Any, name: str, label: str, *, eager: bool = False) -> None:
        """Time ``owner.name``; ``eager`` for a generator function, whose work happens
        while it is iterated (it is drained into a list inside the timer)."""
        fn = getattr(owner, name)
        if eager:
            gen = fn

            def fn(*args: Any, **kwargs: Any) -> list[Any]:
                return list(gen(*args, **kwargs))

        setattr(owner, name, self.wrap(label, fn))


def _instrument(clock: StageClock, engine: Any) -> None:
    """Wrap the stages where the orchestrator and the engine look them up."""
    import ocr_service.engine.lines as lines
    import ocr_service.engine.ocr_engine as eng
    import ocr_service.engine.word_vote as wv
    import ocr_service.pipeline.orchestrator as orchestrator
    import ocr_service.pipeline.preprocessing as preprocessing
    from ocr_service import preprocess as pp
    from ocr_service.engine import WordReader

    for stage in ("preprocess_page", "ocr_page"):
        clock.patch(orchestrator, stage, "other (deskew, rescale, line splits, text tidy)")
    clock.patch(orchestrator, "load_pages", "decoding the file", eager=True)
    for name in ("limit_size", "find_document", "warp_quad"):
        clock.patch(pp, name, "finding the page or card")
    for name in ("estimate_noise", "denoise"):
        clock.patch(pp, name, "noise estimate and denoising")
    for name in ("rotate_quarter", "rotate_small"):
        clock.patch(pp, name, "rotating the image")
    clock.patch(engine.detector, "detect", "text detection (PP-OCRv6 det)")
    clock.patch(engine.orientation, "upside_down_probability", "upside-down check")
    clock.patch(eng, "colour_ink_share", "finding seals and coloured ink")
    clock.patch(eng, "colour_regions", "finding seals and coloured ink")
    clock.patch(eng, "neutral_view", "finding seals and coloured ink")
    for owner in (lines, wv, preprocessing):
        clock.patch(owner, "crop_quad", "cutting out lines and words")
    for name in ("clean_line_at", "clean_line"):
        clock.patch(lines, name, "cleaning line crops (seals, dot leaders)")
    clock.patch(lines, "reading_order", "reading order")
    clock.patch(lines, "column_edges", "reading order")
    clock.patch(lines, "is_scribble", "dropping seal text and signatures")
    clock.patch(lines, "is_colour_line", "dropping seal text and signatures")
    words = isinstance(engine.recognizer, WordReader)
    if words:
        clock.patch(engine.recognizer, "read_words", "Tesseract (every line)")
    else:
        clock.patch(engine.recognizer, "recognize", f"{engine.recognizer.name} (every line)")
    if engine.second_reader is not None:
        second = engine.second_reader.name
        label = f"{second} (doubtful words)" if words else f"{second} (breaking ties)"
        clock.patch(engine.second_reader, "recognize", label)


def _files(folder: Path, per_type: int) -> list[tuple[str, Path]]:
    """(document type, file) for the first ``per_type`` samples of every type."""
    import json

    out: list[tuple[str, Path]] = []
    counts: dict[str, int] = defaultdict(int)
    for gt in sorted(folder.glob("*.gt.json")):
        sid = gt.name[: -len(".gt.json")]
        exp = folder / f"{sid}.expected.json"
        doc_type = json.loads(exp.read_text()).get("doc_type") if exp.exists() else None
        doc_type = doc_type or sid.rsplit("_", 1)[0]
        if counts[doc_type] >= per_type:
            continue
        files = [p for p in folder.glob(f"{sid}.*") if p.suffix in {".jpg", ".png", ".tif", ".pdf"}]
        if files:
            counts[doc_type] += 1
            out.append((doc_type, files[0]))
    return out


def _table(rows: dict[str, dict[str, float]], pages: dict[str, int]) -> str:
    kinds = [k for k in ("A4", "card") if pages.get(k)]
    head = "| stage | " + " | ".join(f"{k} CPU s/page | share" for k in kinds) + " |"
    lines = [head, "|---|" + "---|---|" * len(kinds)]
    totals = {k: sum(rows[k].values()) for k in kinds}
    labels = sorted(
        {label for k in kinds for label in rows[k]}, key=lambda x: -rows["A4"].get(x, 0)
    )
    for label in labels:
        cells = []
        for k in kinds:
            s = rows[k].get(label, 0.0) / pages[k]
            cells.append(f"{s:.3f} | {100 * rows[k].get(label, 0.0) / max(totals[k], 1e-9):.0f}%")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines.append(
        "| **all** | " + " | ".join(f"**{totals[k] / pages[k]:.2f}** | 100%" for k in kinds) + " |"
    )
    return "\n".join(lines)


def _plot(rows: dict[str, dict[str, float]], pages: dict[str, int], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    kinds = [k for k in ("A4", "card") if pages.get(k)]
    labels = sorted({x for k in kinds for x in rows[k]}, key=lambda x: rows["A4"].get(x, 0))
    fig, ax = plt.subplots(figsize=(9, 4.5))
    left = [0.0] * len(kinds)
    for label in labels:
        vals = [rows[k].get(label, 0.0) / pages[k] for k in kinds]
        ax.barh(kinds, vals, left=left, label=label)
        left = [a + b for a, b in zip(left, vals, strict=True)]
    ax.set_xlabel("CPU seconds per page")
    ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.0, 0.5))
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=Path, default=Path("samples/eval"))
    ap.add_argument("--per-type", type=int, default=3, help="files of every document type")
    ap.add_argument("--cpu", type=int, default=None, help="pin to this CPU (like taskset -c)")
    ap.add_argument("--out", type=Path, default=Path("bench/out"))
    args = ap.parse_args(argv)
    if args.cpu is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {args.cpu})
    files = _files(args.samples, args.per_type)
    if not files:
        print(f"no samples in {args.samples}: run `python -m samples generate`", file=sys.stderr)
        return 2

    import ocr_service.pipeline as pipeline
    from core.settings import Settings
    from ocr_service.engine import get_engine

    settings = Settings()  # SOHOA_* from the environment, as the service reads them
    engine = get_engine(settings)
    pipeline.ocr_file(files[0][1].read_bytes(), files[0][1].name, engine=engine, settings=settings)
    rows: dict[str, dict[str, float]] = {"A4": defaultdict(float), "card": defaultdict(float)}
    pages: dict[str, int] = defaultdict(int)
    clock = StageClock()
    _instrument(clock, engine)
    for doc_type, path in files:
        kind = "card" if doc_type in CARD_TYPES else "A4"
        clock.seconds.clear()
        done = pipeline.ocr_file(path.read_bytes(), path.name, engine=engine, settings=settings)
        pages[kind] += len(done)
        for label, s in clock.seconds.items():
            rows[kind][label] += s
    args.out.mkdir(parents=True, exist_ok=True)
    md = "\n".join(
        [
            "# Where the OCR time goes",
            "",
            f"{pages['A4']} A4 pages and {pages['card']} card pages ({args.per_type} files of "
            f"every type in {args.samples}), default recognizer, one ORT thread"
            + (f", pinned to CPU {args.cpu}" if args.cpu is not None else "")
            + ".",
            "",
            _table(rows, pages),
            "",
        ]
    )
    (args.out / "stage_profile.md").write_text(md)
    _plot(rows, pages, args.out / "stage_profile.png")
    print(md)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
