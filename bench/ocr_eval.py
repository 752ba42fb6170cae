"""OCR accuracy and speed, every available recognizer side by side.

    python -m bench.ocr_eval [--samples DIR | --generate N] [--real DIR] [--recognizers a,b]
                             [--cpu 1] [--limit N] [--types a,b] [--out bench/out]
                             [--baseline REF --rounds N]

Metric: page-level CER (and WER) after Unicode NFC and whitespace normalisation, with the
reading order included (the hypothesis is the page's lines joined in our reading order,
the reference is the ground truth's text in its reading order): a reading-order mistake
costs like a misread. Totals are micro-averages (sum of edits / sum of reference length).
"Bag CER" additionally compares the sorted lines, so it is blind to reading order.

Each recognizer runs in its own child process (pinned to one CPU with ``--cpu``) so the
seconds per page and the peak RSS are its own. ``--baseline REF`` adds a run of the first
recognizer with the code of git ``REF`` (checked out in a worktree under ``--out``): a
change's effect on speed and accuracy, side by side in one run. ``--rounds N`` deals the
files into N rounds that the runs take in turn, so a drift in the machine's speed (seen
here: 10% in a day, and more on a busy host) falls on both alike. Generated samples come from
``python -m samples generate``; real pages from /work/shared/real (skipped if absent).
Writes bench/out/ocr_eval.md, ocr_eval.json and ocr_eval.png and prints the table.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import time
import unicodedata
from collections import defaultdict
from pathlib import Path
from typing import Any

from bench._cpu import cpu_seconds

__all__ = ["cer", "main", "normalise", "wer"]

DEFAULT_REAL = Path("/work/shared/real")
PHOTO_DEGRADATIONS = {"photo"}  # the "phone photos" target


# --- metrics ---------------------------------------------------------------------------------


def normalise(text: str) -> str:
    """NFC, one space between words, no leading/trailing space."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def _dist(a: Any, b: Any) -> int:
    from rapidfuzz.distance import Levenshtein

    return int(Levenshtein.distance(a, b))


def cer(hyp: str, ref: str) -> tuple[int, int]:
    """(edits, reference characters) after normalisation."""
    h, r = normalise(hyp), normalise(ref)
    return _dist(h, r), len(r)


def wer(hyp: str, ref: str) -> tuple[int, int]:
    h, r = normalise(hyp).split(), normalise(ref).split()
    return _dist(h, r), len(r)


def bag_cer(hyp: str, ref: str) -> tuple[int, int]:
    """CER between the sorted non-empty lines: recognition errors without reading order."""
    h = " ".join(sorted(normalise(x) for x in hyp.splitlines() if x.strip()))
    r = " ".join(sorted(normalise(x) for x in ref.splitlines() if x.strip()))
    return _dist(h, r), len(r)


# --- evaluation items ---------------------------------------------------------------------


def _split_pages(text: str) -> list[str]:
    parts = re.split(r"^=== page \d+.*===\s*$", text, flags=re.M)
    return [p.strip("\n") for p in parts[1:]] if len(parts) > 1 else [text]


def _hand_gt(path: Path) -> str:
    return "\n".join(line for line in path.read_text().splitlines() if not line.startswith("#"))


def generated_items(folder: Path) -> list[dict[str, Any]]:
    items = []
    for gt_path in sorted(folder.glob("*.gt.json")):
        sid = gt_path.name[: -len(".gt.json")]
        exp_path = folder / f"{sid}.expected.json"
        expected = json.loads(exp_path.read_text()) if exp_path.exists() else {}
        gt = json.loads(gt_path.read_text())
        files = [
            p
            for p in folder.glob(f"{sid}.*")
            if p.suffix in {".jpg", ".png", ".tif", ".pdf", ".jpeg", ".tiff"}
        ]
        if not files:
            continue
        items.append(
            {
                "set": "generated",
                "id": f"{folder.name}/{sid}",
                "file": str(files[0].resolve()),
                "doc_type": expected.get("doc_type") or "dossier",
                "degradation": expected.get("degradation", "unknown"),
                "pages": [p["text"] for p in gt["pages"]],
                "whole": False,
            }
        )
    return items


def real_items(root: Path) -> list[dict[str, Any]]:
    """The real pages with ground truth, as described in the folder's README."""
    if not root.is_dir():
        return []
    items: list[dict[str, Any]] = []

    def add(file: Path, gt: list[str], kind: str, whole: bool = False) -> None:
        if file.exists():
            items.append(
                {
                    "set": "real",
                    "id": file.name,
                    "file": str(file),
                    "doc_type": file.parent.name,
                    "degradation": kind,
                    "pages": gt,
                    "whole": whole,
                }
            )

    v = root / "vietocr3"
    for name in ("vietsample.tif", "vietsample1.tif", "vietsample2.tif"):
        gt = v / name.replace(".tif", ".gt.txt")
        if gt.exists():
            add(v / name, _split_pages(gt.read_text()), "real_scan")
    if (v / "vietsample2.png.gt.txt").exists():
        add(v / "vietsample2.png", [(v / "vietsample2.png.gt.txt").read_text()], "real_scan")
    if (v / "vietsample1.pdf.textlayer.txt").exists():
        add(
            v / "vietsample1.pdf",
            _split_pages((v / "vietsample1.pdf.textlayer.txt").read_text()),
            "real_born_digital",
        )
    q = root / "ocr-local-vbhc"
    for tl in sorted(q.glob("*.textlayer.txt")):
        add(
            q / tl.name.replace(".textlayer.txt", ".pdf"),
            _split_pages(tl.read_text()),
            "real_born_digital",
        )
    for hg in sorted(q.glob("*.hand_gt.txt")):
        add(q / hg.name.replace(".hand_gt.txt", ".pdf"), [_hand_gt(hg)], "real_scan", whole=True)
    d = root / "vn-documents-ocr"
    if (d / "administrative_documents.hand_gt.txt").exists():
        add(
            d / "administrative_documents.jpg",
            [_hand_gt(d / "administrative_documents.hand_gt.txt")],
            "real_photo",
            whole=True,
        )
    return items


# --- worker: one recognizer in its own process -------------------------------------------------


def _worker(recognizer: str, items_path: Path, result_path: Path, cpu: int | None) -> None:
    if cpu is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {cpu})
    from core.errors import SohoaError
    from core.settings import Settings
    from ocr_service.engine import get_engine
    from ocr_service.pipeline import ocr_file

    settings = Settings(ocr_threads=1)
    t0 = time.perf_counter()
    engine = get_engine(settings, recognizer)
    load_s = time.perf_counter() - t0
    items = json.loads(items_path.read_text())
    out = []
    for item in items:
        data = Path(item["file"]).read_bytes()
        t = time.perf_counter()
        c = cpu_seconds()
        try:
            pages = ocr_file(data, Path(item["file"]).name, engine=engine, settings=settings)
            texts = [p.text.text for p in pages]
            error = None
        except SohoaError as exc:
            texts, error = [], exc.code
        out.append(
            {
                "id": item["id"],
                "seconds": time.perf_counter() - t,
                "cpu_seconds": cpu_seconds() - c,
                "pages": texts,
                "error": error,
            }
        )
        print(
            f"[{recognizer}] {item['id']}: {out[-1]['seconds']:.2f}s", file=sys.stderr, flush=True
        )
    # peak RSS of this process, or of a tesseract child if that was larger
    rss_mb = (
        max(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
        )
        / 1024
    )
    result_path.write_text(
        json.dumps(
            {"load_seconds": load_s, "peak_rss_mb": rss_mb, "items": out}, ensure_ascii=False
        )
    )


def _baseline_tree(ref: str, out: Path) -> Path:
    """A git worktree of ``ref`` under ``out`` (made once, reused while it is at ``ref``)."""
    repo = Path(__file__).resolve().parent.parent
    commit = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "--verify", f"{ref}^{{commit}}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    tree = (out / f"baseline-{commit[:10]}").resolve()
    if not (tree / "ocr_service").is_dir():
        subprocess.run(
            ["git", "-C", str(repo), "worktree", "add", "--detach", str(tree), commit],
            check=True,
            capture_output=True,
        )
    return tree


def _worker_cmd(recognizer: str, items: Path, result: Path, cpu: int | None) -> list[str]:
    """The command line of a child process that reads ``items`` with ``recognizer``."""
    cmd = [sys.executable, "-m", "bench.ocr_eval", "--worker", recognizer]
    cmd += ["--items", str(items), "--result", str(result)]
    return cmd + (["--cpu", str(cpu)] if cpu is not None else [])


def _run_one(
    name: str, items: list[dict[str, Any]], out: Path, cpu: int | None, trees: dict[str, Path]
) -> dict[str, Any]:
    """One child process reading ``items`` with recognizer ``name`` (``name@ref``: with the
    code of git ``ref``, from its worktree in ``trees``)."""
    recognizer, _, ref = name.partition("@")
    items_path = out / "items.json"
    items_path.write_text(json.dumps(items, ensure_ascii=False))
    result = out / f"part_{_raw_name(name)}.json"
    cmd = _worker_cmd(recognizer, items_path.resolve(), result.resolve(), cpu)
    env = dict(os.environ)
    cwd = None
    if ref:
        cwd = trees[ref]
        env["PYTHONPATH"] = str(cwd)
    if subprocess.run(cmd, cwd=cwd, env=env, check=False).returncode != 0:
        raise SystemExit(f"recognizer run failed: {cmd!r}")
    return dict(json.loads(result.read_text()))


def _run_recognizers(
    names: list[str],
    items: list[dict[str, Any]],
    out: Path,
    cpu: int | None,
    jobs: int,
    rounds: int = 1,
) -> dict[str, dict[str, Any]]:
    """One child process per recognizer, at most ``jobs`` at a time; with ``rounds`` > 1
    the items are dealt into that many rounds and the recognizers take turns round by
    round, so a machine that speeds up or slows down over the run treats them alike."""
    trees = {ref: _baseline_tree(ref, out) for n in names if (ref := n.partition("@")[2])}
    paths = {name: out / f"raw_{_raw_name(name)}.json" for name in names}
    if rounds > 1 or trees:
        merged: dict[str, dict[str, Any]] = {}
        for r in range(max(rounds, 1)):
            part = items[r :: max(rounds, 1)]
            for name in names:
                res = _run_one(name, part, out, cpu, trees)
                m = merged.setdefault(name, {**res, "items": []})
                m["items"] += res["items"]
                m["load_seconds"] = max(m["load_seconds"], res["load_seconds"])
                m["peak_rss_mb"] = max(m["peak_rss_mb"], res["peak_rss_mb"])
        for name in names:
            paths[name].write_text(json.dumps(merged[name], ensure_ascii=False))
        return merged
    items_path = out / "items.json"
    items_path.write_text(json.dumps(items, ensure_ascii=False))
    pending = list(names)
    running: list[subprocess.Popen[bytes]] = []
    while pending or running:
        while pending and len(running) < max(1, jobs):
            name = pending.pop(0)
            running.append(subprocess.Popen(_worker_cmd(name, items_path, paths[name], cpu)))
        time.sleep(0.5)
        for proc in list(running):
            if proc.poll() is not None:
                running.remove(proc)
                if proc.returncode != 0:
                    raise SystemExit(f"recognizer run failed: {proc.args!r}")
    return {name: json.loads(paths[name].read_text()) for name in names}


def _raw_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", name)


def _load_raw(names: list[str], out: Path) -> dict[str, dict[str, Any]]:
    """Results of an earlier run (``--report-only``)."""
    return {name: json.loads((out / f"raw_{_raw_name(name)}.json").read_text()) for name in names}


# --- scoring and report ------------------------------------------------------------------


def _score(items: list[dict[str, Any]], results: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Per recognizer: totals by (set, degradation), (set, doc_type), and per item."""
    report: dict[str, Any] = {}
    for name, res in results.items():
        by_id = {r["id"]: r for r in res["items"]}
        groups: dict[str, dict[str, list[float]]] = defaultdict(
            lambda: defaultdict(lambda: [0, 0, 0, 0, 0, 0, 0.0, 0, 0.0])
        )
        per_item = []
        for item in items:
            r = by_id.get(item["id"])
            if r is None:
                continue
            refs, hyps = item["pages"], r["pages"]
            if item["whole"] or len(refs) != len(hyps):
                refs, hyps = ["\n".join(refs)], ["\n".join(hyps)]
            e = n = we = wn = be = bn = 0
            for ref, hyp in zip(refs, hyps, strict=True):
                a, b = cer(hyp, ref)
                c, d = wer(hyp, ref)
                x, y = bag_cer(hyp, ref)
                e, n, we, wn, be, bn = e + a, n + b, we + c, wn + d, be + x, bn + y
            n_pages = max(len(r["pages"]), 1)
            per_item.append(
                {
                    "id": item["id"],
                    "set": item["set"],
                    "degradation": item["degradation"],
                    "doc_type": item["doc_type"],
                    "cer": e / max(n, 1),
                    "pages": n_pages,
                    "seconds": r["seconds"],
                    "error": r["error"],
                }
            )
            for key in (
                f"{item['set']}|deg|{item['degradation']}",
                f"{item['set']}|type|{item['doc_type']}",
                f"{item['set']}|all|all",
            ):
                g = groups[key]["t"]
                for i, v in enumerate(
                    (e, n, we, wn, be, bn, r["seconds"], n_pages, r.get("cpu_seconds", 0.0))
                ):
                    g[i] += v
        report[name] = {
            "load_seconds": res["load_seconds"],
            "peak_rss_mb": res["peak_rss_mb"],
            "groups": {
                k: {
                    "cer": v["t"][0] / max(v["t"][1], 1),
                    "wer": v["t"][2] / max(v["t"][3], 1),
                    "bag_cer": v["t"][4] / max(v["t"][5], 1),
                    "s_per_page": v["t"][6] / max(v["t"][7], 1),
                    "cpu_s_per_page": v["t"][8] / max(v["t"][7], 1),
                    "pages": v["t"][7],
                    "chars": v["t"][1],
                }
                for k, v in groups.items()
            },
            "items": per_item,
        }
    return report


def _table(report: dict[str, Any], set_name: str, kind: str, metric: str = "cer") -> str:
    names = list(report)
    keys = sorted(
        {
            k.split("|")[2]
            for r in report.values()
            for k in r["groups"]
            if k.startswith(f"{set_name}|{kind}|")
        }
    )
    if not keys:
        return ""
    head = f"| {kind if kind != 'deg' else 'degradation'} | pages | " + " | ".join(names) + " |"
    lines = [head, "|" + "---|" * (len(names) + 2)]
    for key in [*keys, "all"] if kind != "all" else ["all"]:
        gk = f"{set_name}|{kind if key != 'all' else 'all'}|{key}"
        pages = next(
            (int(r["groups"][gk]["pages"]) for r in report.values() if gk in r["groups"]), 0
        )
        cells = []
        for name in names:
            g = report[name]["groups"].get(gk)
            cells.append(f"{100 * g[metric]:.2f}%" if g else "-")
        label = f"**{key}**" if key == "all" else key
        lines.append(f"| {label} | {pages} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _summary(report: dict[str, Any], sets: list[str]) -> str:
    lines = [
        "| recognizer | "
        + " | ".join(f"{s} CER | {s} WER | {s} bag CER" for s in sets)
        + " | wall s/page | CPU s/page | model load s | peak RSS MB |",
        "|" + "---|" * (1 + 3 * len(sets) + 4),
    ]
    for name, r in report.items():
        cells = []
        secs, cpu, pages = 0.0, 0.0, 0
        for s in sets:
            g = r["groups"].get(f"{s}|all|all")
            if g:
                cells += [
                    f"{100 * g['cer']:.2f}%",
                    f"{100 * g['wer']:.2f}%",
                    f"{100 * g['bag_cer']:.2f}%",
                ]
                secs += g["s_per_page"] * g["pages"]
                cpu += g["cpu_s_per_page"] * g["pages"]
                pages += g["pages"]
            else:
                cells += ["-", "-", "-"]
        lines.append(
            f"| {name} | "
            + " | ".join(cells)
            + f" | {secs / max(pages, 1):.2f} | {cpu / max(pages, 1):.2f}"
            + f" | {r['load_seconds']:.1f} | {r['peak_rss_mb']:.0f} |"
        )
    return "\n".join(lines)


def _plot(report: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    keys = sorted({k for r in report.values() for k in r["groups"] if "|deg|" in k})
    if not keys:
        return
    names = list(report)
    x = np.arange(len(keys))
    width = 0.8 / max(len(names), 1)
    fig, ax = plt.subplots(figsize=(max(8, len(keys) * 0.9), 4.5))
    for i, name in enumerate(names):
        vals = [100 * report[name]["groups"].get(k, {}).get("cer", np.nan) for k in keys]
        ax.bar(x + i * width, vals, width, label=name)
    ax.set_xticks(x + width * (len(names) - 1) / 2)
    ax.set_xticklabels(
        [k.replace("generated|deg|", "").replace("real|deg|", "") for k in keys],
        rotation=40,
        ha="right",
    )
    ax.set_ylabel("CER % (page level, log scale)")
    ax.set_yscale("symlog", linthresh=1)
    ax.axhline(1, color="grey", lw=0.8, ls="--")
    ax.axhline(3, color="grey", lw=0.8, ls=":")
    ax.legend()
    ax.set_title("sohoa OCR: CER by degradation and recognizer")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--samples",
        type=Path,
        action="append",
        default=[],
        help="folder written by `python -m samples generate` (repeatable)",
    )
    ap.add_argument(
        "--generate", type=int, default=0, help="generate this many samples per type first"
    )
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--degradations", default=None, help="passed to the generator")
    ap.add_argument("--real", type=Path, default=DEFAULT_REAL)
    ap.add_argument("--no-real", action="store_true")
    ap.add_argument("--recognizers", default=None, help="comma list (default: all available)")
    ap.add_argument(
        "--cpu", type=int, default=None, help="pin each run to this CPU (like taskset -c)"
    )
    ap.add_argument("--limit", type=int, default=0, help="at most this many items per set")
    ap.add_argument("--jobs", type=int, default=1, help="recognizers run at the same time")
    ap.add_argument(
        "--baseline",
        action="append",
        default=[],
        metavar="REF",
        help="also run the first recognizer with the code of git REF (e.g. HEAD~3), for a "
        "side-by-side comparison in the same run (repeatable)",
    )
    ap.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="deal the files into N rounds, the runs taking turns (fair timings on a machine "
        "whose speed drifts)",
    )
    ap.add_argument("--types", default=None, help="comma list of document types to keep")
    ap.add_argument(
        "--report-only", action="store_true", help="rebuild the report from raw_*.json in --out"
    )
    ap.add_argument("--out", type=Path, default=Path("bench/out"))
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--items", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.worker:
        _worker(args.worker, args.items, args.result, args.cpu)
        return 0

    args.out.mkdir(parents=True, exist_ok=True)
    folders: list[Path] = list(args.samples)
    if not folders and args.generate:
        samples = args.out / "generated"
        folders.append(samples)
        cmd = [
            sys.executable,
            "-m",
            "samples",
            "generate",
            "--out",
            str(samples),
            "--per-type",
            str(args.generate),
            "--seed",
            str(args.seed),
            "--extra-people",
            "0",
        ]
        if args.degradations:
            cmd += ["--degradations", args.degradations]
        subprocess.run(cmd, check=True)
    items: list[dict[str, Any]] = []
    sets = []
    if folders:
        gen = [item for folder in folders for item in generated_items(folder)]
        if args.types:
            gen = [item for item in gen if item["doc_type"] in args.types.split(",")]
        items += gen[: args.limit] if args.limit else gen
        sets.append("generated")
    if not args.no_real:
        real = real_items(args.real)
        if real:
            items += real[: args.limit] if args.limit else real
            sets.append("real")
    if not items:
        print(
            "nothing to evaluate: pass --samples DIR or --generate N, or provide --real",
            file=sys.stderr,
        )
        return 2

    from ocr_service.engine import available_recognizers

    names = args.recognizers.split(",") if args.recognizers else available_recognizers()
    names += [f"{names[0]}@{ref}" for ref in args.baseline]
    if args.report_only:
        results = _load_raw(names, args.out)
    else:
        results = _run_recognizers(names, items, args.out, args.cpu, args.jobs, args.rounds)
    report = _score(items, results)

    pin = f"pinned to CPU {args.cpu}" if args.cpu is not None else "not pinned"
    parts = [
        "# OCR evaluation",
        "",
        f"{len(items)} files; page-level CER/WER after NFC + whitespace normalisation, reading order "
        f"included (bag CER: sorted lines, order-blind). Timings {pin}, one ORT thread, on a shared "
        "machine: noisy.",
        "",
        "## Summary",
        "",
        _summary(report, sets),
    ]
    for s in sets:
        parts += ["", f"## {s}: CER by degradation", "", _table(report, s, "deg")]
        parts += ["", f"## {s}: CER by document type", "", _table(report, s, "type")]
    photo = [k for k in PHOTO_DEGRADATIONS]
    parts += ["", f"Phone-photo degradations: {', '.join(photo)}; flatbed: flatbed_*.", ""]
    md = "\n".join(parts)
    (args.out / "ocr_eval.md").write_text(md)
    (args.out / "ocr_eval.json").write_text(json.dumps(report, ensure_ascii=False, indent=1))
    _plot(report, args.out / "ocr_eval.png")
    print(md)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
