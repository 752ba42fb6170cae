"""Understanding on real pages: document type and fields against hand-checked truth, side by
side with plain Tesseract ``vie``, and optionally with the code of another git ref.

    python -m bench.real_eval [--photos ../shared/real-photos] [--letters ../shared/real]
                              [--baseline REF] [--cpu 1] [--out bench/out]

Two real sets, read at run time and never copied (they show real people; only counts and
rates are printed or written):

* ``--photos``: phone photos and scans of cards and certificates with ``truth.json``
  (``doc_type``, ``fields`` in the spec's formats, ``printed``: the values as printed).
  Scored per page: document type (the first document of the file, or any ``accept_doc_types``);
  each truth field **right** (equal after Unicode NFC and single spaces: the spec's formats
  are exact), **wrong** or **missing**; a field returned that the truth does not list is
  **invented** (the truth leaves out hidden, redacted and scribbled values on purpose); and the
  share of ``printed`` values found verbatim in the page text, for sohoa's OCR and for plain
  ``tesseract PAGE - -l vie`` run on the same file in the same process.
* ``--letters``: real official letters, decisions and printed prose (``../shared/real``):
  none is a form, so every document found in them should be ``other``.

Each code version runs in its own child process (pinned with ``--cpu``), so CPU seconds per
page are its own; ``--baseline REF`` adds the code of git ``REF`` from a worktree under
``--out`` (as ``bench.ocr_eval`` does), both taking turns file by file in one run.
Writes ``real_eval.md`` and ``real_eval.json`` under ``--out`` and prints the table; every
round's per-file results stay in ``raw_{V}_r{R}.json`` (version ``V``: 0 the working tree,
1 the baseline; round ``R`` from 1) for paired per-file analysis.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import os
import resource
import subprocess
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

from bench._cpu import cpu_seconds
from bench.ocr_eval import _baseline_tree

_REPO = Path(__file__).resolve().parent.parent
DEFAULT_PHOTOS = _REPO.parent / "shared" / "real-photos"
DEFAULT_LETTERS = _REPO.parent / "shared" / "real"
_IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".pdf", ".webp", ".heic"}


def norm(value: object) -> str:
    """NFC, single spaces, no outer spaces: how the spec's formats are compared."""
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


# --- the items ---------------------------------------------------------------------------------


def photo_items(folder: Path) -> list[dict[str, Any]]:
    truth_path = folder / "truth.json"
    if not truth_path.is_file():
        return []
    truth = json.loads(truth_path.read_text())
    return [
        {"set": "photos", "id": name, "file": str((folder / name).resolve()), "truth": t}
        for name, t in sorted(truth.items())
        if (folder / name).is_file()
    ]


def letter_items(folder: Path) -> list[dict[str, Any]]:
    if not folder.is_dir():
        return []
    files = sorted(
        p
        for p in folder.rglob("*")
        if p.suffix.lower() in _IMAGE_SUFFIXES and ".textlayer" not in p.name
    )
    return [
        {"set": "letters", "id": str(p.relative_to(folder)), "file": str(p.resolve())}
        for p in files
    ]


# --- worker: one code version in its own process -----------------------------------------------


def _load_pipeline() -> tuple[Any, Any, Any, Any]:
    """``extract_file``, ``get_engine``, ``Settings`` and the error base of the code on
    ``sys.path``: the layout changed when the base layer moved to ``core/``, and a baseline
    ref may predate that."""
    from ocr_service.engine import get_engine
    from ocr_service.pipeline import extract_file

    if importlib.util.find_spec("ocr_service.errors") is not None:  # before core/ existed
        errors = importlib.import_module("ocr_service.errors")
        settings = importlib.import_module("ocr_service.settings")
    else:
        errors = importlib.import_module("core.errors")
        settings = importlib.import_module("core.settings")
    return extract_file, get_engine, settings.Settings, errors.SohoaError


def _tesseract_text(path: str) -> tuple[str, float]:
    """Plain ``tesseract PAGE - -l vie`` (first page of a PDF rendered at 200 dpi)."""
    src = path
    tmp = None
    if path.lower().endswith(".pdf"):
        import pypdfium2

        pdf = pypdfium2.PdfDocument(path)
        tmp = Path(os.environ.get("TMPDIR", "/tmp")) / f"real_eval_{os.getpid()}.png"
        pdf[0].render(scale=200 / 72).to_pil().save(tmp)
        src = str(tmp)
    c = cpu_seconds()
    done = subprocess.run(
        ["tesseract", src, "-", "-l", "vie"], capture_output=True, text=True, check=False
    )
    spent = cpu_seconds() - c
    if tmp is not None:
        tmp.unlink(missing_ok=True)
    return done.stdout, spent


def _worker(items_path: Path, result_path: Path, cpu: int | None, tesseract: bool) -> None:
    if cpu is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {cpu})
    extract_file, get_engine, settings_cls, error_cls = _load_pipeline()
    settings = settings_cls(ocr_threads=1)
    engine = get_engine(settings)
    out = []
    for item in json.loads(items_path.read_text()):
        data = Path(item["file"]).read_bytes()
        c = cpu_seconds()
        t = time.perf_counter()
        try:
            result = extract_file(
                data, Path(item["file"]).name, engine=engine, register=None, settings=settings
            )
            pages = [p.text.text for p in result.pages]
            docs = [
                {
                    "doc_type": d.doc_type,
                    "fields": dict(d.fields),
                    # names only: the fields sent to review (absent on refs before it existed)
                    "review": sorted(getattr(d, "field_review", None) or {}),
                }
                for d in result.documents
            ]
            error = None
        except error_cls as exc:
            pages, docs, error = [], [], exc.code
        row: dict[str, Any] = {
            "id": item["id"],
            "set": item["set"],
            "cpu_seconds": cpu_seconds() - c,
            "seconds": time.perf_counter() - t,
            "pages": pages,
            "documents": docs,
            "error": error,
        }
        if tesseract and item["set"] == "photos":
            row["tesseract_text"], row["tesseract_cpu_seconds"] = _tesseract_text(item["file"])
        out.append(row)
        print(f"[real_eval] {item['set']} #{len(out)}: {row['seconds']:.1f}s", file=sys.stderr)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result_path.write_text(json.dumps({"peak_rss_mb": rss_mb, "items": out}, ensure_ascii=False))


# --- scoring -----------------------------------------------------------------------------------


def _found(values: list[str], text: str) -> int:
    hay = norm(text).casefold()
    return sum(1 for v in values if norm(v).casefold() in hay)


def score(items: list[dict[str, Any]], raw: dict[str, Any]) -> dict[str, Any]:
    """Counts only: no value of a real page leaves this function."""
    by_id = {r["id"]: r for r in raw["items"]}
    types = Counter[str]()
    per_type: dict[str, Counter[str]] = {}
    found = Counter[str]()
    letters = Counter[str]()
    cpu: list[float] = []
    cpu_by_set: dict[str, list[float]] = {}
    for item in items:
        r = by_id.get(item["id"])
        if r is None:
            continue
        cpu.append(r["cpu_seconds"] / max(1, len(r["pages"])))
        cpu_by_set.setdefault(item["set"], []).append(cpu[-1])
        if item["set"] == "letters":
            letters["documents"] += len(r["documents"])
            letters["other"] += sum(d["doc_type"] == "other" for d in r["documents"])
            letters["files"] += 1
            continue
        truth = item["truth"]
        want = truth["doc_type"]
        accept = {want, *truth.get("accept_doc_types", [])}
        docs = r["documents"]
        main = next((d for d in docs if d["doc_type"] in accept), docs[0] if docs else None)
        types["pages"] += 1
        types["right"] += bool(main and main["doc_type"] in accept)
        c = per_type.setdefault(want, Counter())
        c["pages"] += 1
        c["type_right"] += bool(main and main["doc_type"] in accept)
        got = main["fields"] if main else {}
        flagged = set(main.get("review", [])) if main else set()
        for name, value in truth.get("fields", {}).items():
            c["fields"] += 1
            if not got.get(name):
                c["missing"] += 1
                c["flagged_missing"] += name in flagged
            elif norm(got[name]) == norm(value):
                c["right"] += 1
                c["flagged_right"] += name in flagged
            else:
                c["wrong"] += 1
                c["flagged_wrong"] += name in flagged
        c["invented"] += sum(1 for k, v in got.items() if v and k not in truth.get("fields", {}))
        printed = [str(v) for v in truth.get("printed", {}).values() if str(v).strip()]
        found["printed"] += len(printed)
        found["sohoa"] += _found(printed, "\n".join(r["pages"]))
        if "tesseract_text" in r:
            found["tesseract"] += _found(printed, r["tesseract_text"])
            found["tesseract_cpu"] += r["tesseract_cpu_seconds"]
    total = Counter[str]()
    for c in per_type.values():
        total.update(c)
    return {
        "doc_type": dict(types),
        "per_type": {k: dict(v) for k, v in sorted(per_type.items())},
        "fields": {k: total[k] for k in ("fields", "right", "wrong", "missing", "invented")},
        "flagged": {k: total[f"flagged_{k}"] for k in ("right", "wrong", "missing")},
        "printed_found": dict(found),
        "letters": dict(letters),
        "cpu_s_per_page_median": _median(cpu),
        "cpu_s_per_page_median_by_set": {k: _median(v) for k, v in sorted(cpu_by_set.items())},
        "peak_rss_mb": raw.get("peak_rss_mb"),
    }


def _median(values: list[float]) -> float | None:
    """The middle value (the upper one of an even count), as the table has always shown."""
    return sorted(values)[len(values) // 2] if values else None


def table(reports: dict[str, dict[str, Any]]) -> str:
    head = (
        "| code | type right | fields right | wrong | missing | invented | printed values in "
        "text (sohoa / tesseract) | letters typed `other` | CPU-s/page (median) | RSS |\n"
        "|---|---|---|---|---|---|---|---|---|---|"
    )
    rows = []
    for name, r in reports.items():
        t, f, p, lt = r["doc_type"], r["fields"], r["printed_found"], r["letters"]
        tess = f"{p.get('tesseract', 0)}" if "tesseract" in p else "–"
        cpu = r["cpu_s_per_page_median"]
        by_set = ", ".join(
            f"{k} {v:.2f}" for k, v in r.get("cpu_s_per_page_median_by_set", {}).items() if v
        )
        rows.append(
            f"| {name} | {t.get('right', 0)}/{t.get('pages', 0)} | {f['right']}/{f['fields']} "
            f"| {f['wrong']} | {f['missing']} | {f['invented']} "
            f"| {p.get('sohoa', 0)} / {tess} of {p.get('printed', 0)} "
            f"| {lt.get('other', 0)}/{lt.get('documents', 0)} "
            f"| {cpu:.2f} ({by_set}) | {(r['peak_rss_mb'] or 0) / 1024:.2f} GB |"
            if cpu is not None
            else f"| {name} | no pages |"
        )
    flags = [
        f"{name}: fields flagged for review (right / wrong / missing) "
        + " / ".join(str(r.get("flagged", {}).get(k, 0)) for k in ("right", "wrong", "missing"))
        for name, r in reports.items()
    ]
    per = ["", *flags, ""]
    per += ["| type | pages | type right | fields right / all | wrong | missing | invented |"]
    per.append("|---|---|---|---|---|---|---|")
    first = next(iter(reports.values()), None)
    for k, c in (first or {}).get("per_type", {}).items():
        per.append(
            f"| {k} | {c.get('pages', 0)} | {c.get('type_right', 0)} "
            f"| {c.get('right', 0)}/{c.get('fields', 0)} | {c.get('wrong', 0)} "
            f"| {c.get('missing', 0)} | {c.get('invented', 0)} |"
        )
    return "\n".join([head, *rows, *per]) + "\n"


# --- driver ------------------------------------------------------------------------------------


def _run(
    items: list[dict[str, Any]], out: Path, tag: str, cwd: Path | None, cpu: int | None, tess: bool
) -> dict[str, Any]:
    """One child run over ``items``; ``tag`` names its files, unique per version and round."""
    items_path = out / f"items_{tag}.json"
    items_path.write_text(json.dumps(items, ensure_ascii=False))
    result = out / f"raw_{tag}.json"
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker"]
    cmd += ["--items", str(items_path.resolve()), "--result", str(result.resolve())]
    cmd += (["--cpu", str(cpu)] if cpu is not None else []) + (["--tesseract"] if tess else [])
    env = dict(os.environ)
    # the worker script is this file; the code it measures is the one on PYTHONPATH
    env["PYTHONPATH"] = str(cwd or _REPO)
    if subprocess.run(cmd, cwd=cwd or _REPO, env=env, check=False).returncode != 0:
        raise SystemExit(f"real_eval run failed: {cmd!r}")
    return dict(json.loads(result.read_text()))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--photos", type=Path, default=DEFAULT_PHOTOS)
    ap.add_argument("--letters", type=Path, default=DEFAULT_LETTERS)
    ap.add_argument("--no-letters", action="store_true")
    ap.add_argument("--baseline", metavar="REF", help="also run the code of this git ref")
    ap.add_argument("--cpu", type=int, default=None, help="pin each run to this CPU")
    ap.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="deal the files into N rounds the versions take in turn",
    )
    ap.add_argument("--out", type=Path, default=Path("bench/out"))
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--items", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--tesseract", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        _worker(args.items, args.result, args.cpu, args.tesseract)
        return 0
    items = photo_items(args.photos) + ([] if args.no_letters else letter_items(args.letters))
    if not items:
        print("no real pages found (../shared/real-photos, ../shared/real): nothing to measure")
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    runs: dict[str, Path | None] = {"working tree": None}
    if args.baseline:
        runs[f"baseline {args.baseline}"] = _baseline_tree(args.baseline, args.out)
    raws: dict[str, dict[str, Any]] = {name: {"items": []} for name in runs}
    # the versions take turns round by round: a drifting machine treats them alike
    rounds = max(1, args.rounds)
    for r in range(rounds):
        for k, (name, cwd) in enumerate(runs.items()):
            # one file per version and round: a later round must not overwrite an earlier one
            tag = f"{k}_r{r + 1}"
            part = _run(items[r::rounds], args.out, tag, cwd, args.cpu, tess=(k == 0))
            raws[name]["items"] += part["items"]
            raws[name]["peak_rss_mb"] = max(raws[name].get("peak_rss_mb", 0), part["peak_rss_mb"])
        print(f"[real_eval] round {r + 1}/{rounds} done", file=sys.stderr)
    reports = {name: score(items, raw) for name, raw in raws.items()}
    text = table(reports)
    (args.out / "real_eval.md").write_text(text)
    (args.out / "real_eval.json").write_text(json.dumps(reports, indent=1))
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
