"""Bounded load test of a real `sohoa serve` on loopback: latency, errors, documents lost.

Starts ``sohoa serve`` on 127.0.0.1 (embedded: SQLite, local object store, in-process jobs;
the job pipeline is ``workers.faults:extract`` by default so the HTTP path, the store and the
database are measured, not the OCR models), seeds a few documents, then sends a fixed-rate
open-loop mix of reads (document, citizen store, dossier list, dossier) and uploads for at
most ``--duration`` seconds or ``--requests`` requests, whichever comes first. It stops by
itself, waits for every accepted upload to be registered, and checks that every one of them
was (documents lost must be 0).

    python -m bench.load_test --rate 20 --duration 30 --requests 600

Writes bench/out/load_test.{md,json,png}. Refuses any target that is not loopback.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import httpx

__all__ = ["main"]

REPO = Path(__file__).resolve().parents[1]
CITIZEN = "001192012345"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@dataclass
class Sample:
    kind: str
    start: float  # seconds since the load started
    latency_ms: float
    status: int  # 0 = no response (connection error, timeout)


def _png(seed: int) -> bytes:
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(seed)
    image = np.full((320, 240, 3), 255, np.uint8)
    x, y = (int(v) for v in rng.integers(10, 200, size=2))
    image[y : y + 12, x : x + 30] = 0
    buf = io.BytesIO()
    Image.fromarray(image).save(buf, format="PNG")
    return buf.getvalue()


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start_server(
    data_dir: Path, secret: str, pipeline: str, pin: str | None
) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOHOA_")}
    env.update(
        SOHOA_DATA_DIR=str(data_dir),
        SOHOA_SECRET_KEY=secret,
        SOHOA_JOB_MAX_RETRIES="0",
        PYTHONPATH=str(REPO),
    )
    cmd = [sys.executable, "-c", "from ocr_service.cli import main; main()", "serve",
           "--host", "127.0.0.1", "--port", str(port), "--pipeline", pipeline]  # fmt: skip
    if pin and shutil.which("taskset"):
        cmd = ["taskset", "-c", pin, *cmd]
    log = (data_dir / "serve.log").open("wb")
    proc = subprocess.Popen(cmd, cwd=data_dir, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"sohoa serve exited; see {data_dir / 'serve.log'}")
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit("sohoa serve did not come up in 60 s")


def _tokens(secret: str) -> dict[str, dict[str, str]]:
    from pydantic import SecretStr

    from core.settings import Settings
    from ocr_service.auth import issue_token

    settings = Settings(secret_key=SecretStr(secret))
    subjects = {"clerk": "clerk-load", "officer": "officer-load", "citizen": CITIZEN}
    return {
        role: {"Authorization": f"Bearer {issue_token(settings, role=role, subject=subject)}"}
        for role, subject in subjects.items()
    }


class Load:
    def __init__(self, url: str, tokens: dict[str, dict[str, str]], upload_share: float) -> None:
        self.url = url
        self.tokens = tokens
        self.upload_share = upload_share
        self.local = threading.local()
        self.lock = threading.Lock()
        self.samples: list[Sample] = []
        self.accepted: list[str] = []  # component ids of uploads answered 202
        self.seed = 10_000
        self.dossier = ""
        self.documents: list[str] = []

    def client(self) -> httpx.Client:
        if not hasattr(self.local, "client"):
            self.local.client = httpx.Client(base_url=self.url, timeout=30)
        return self.local.client  # type: ignore[no-any-return]

    def seed_data(self, n: int = 5) -> None:
        c = httpx.Client(base_url=self.url, timeout=30)
        r = c.post(
            "/api/v1/dossiers",
            json={"procedure_code": "1.001612", "citizen_id_number": CITIZEN},
            headers=self.tokens["clerk"],
        )
        r.raise_for_status()
        self.dossier = r.json()["id"]
        ids = []
        for i in range(n):
            r = c.post(
                f"/api/v1/dossiers/{self.dossier}/components",
                files={"file": (f"seed_{CITIZEN}.png", _png(i), "image/png")},
                headers=self.tokens["clerk"],
            )
            r.raise_for_status()
            ids.append(r.json()["id"])
        for comp in ids:
            body = self._wait(c, comp, 60)
            self.documents += [d["id"] for d in body["documents"]]
        c.close()
        if not self.documents:
            raise SystemExit("seeding registered no documents")

    def _wait(self, c: httpx.Client, comp: str, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            body: dict[str, Any] = c.get(
                f"/api/v1/components/{comp}", headers=self.tokens["clerk"]
            ).json()
            if body["status"] in ("done", "failed") or time.monotonic() > deadline:
                return body
            time.sleep(0.1)

    def pick(self, rng: random.Random) -> tuple[str, dict[str, Any]]:
        if rng.random() < self.upload_share:
            with self.lock:
                self.seed += 1
                seed = self.seed
            return "upload", {
                "method": "POST",
                "url": f"/api/v1/dossiers/{self.dossier}/components",
                "files": {"file": (f"load_{CITIZEN}_{seed}.png", _png(seed), "image/png")},
                "headers": self.tokens["clerk"],
            }
        kind = rng.choice(["document", "citizen_store", "dossier_list", "dossier"])
        doc = rng.choice(self.documents)
        return kind, {
            "document": {"method": "GET", "url": f"/api/v1/documents/{doc}", "headers": self.tokens["officer"]},
            "citizen_store": {"method": "GET", "url": f"/api/v1/citizens/{CITIZEN}/documents?limit=20", "headers": self.tokens["citizen"]},
            "dossier_list": {"method": "GET", "url": "/api/v1/dossiers?limit=20", "headers": self.tokens["clerk"]},
            "dossier": {"method": "GET", "url": f"/api/v1/dossiers/{self.dossier}", "headers": self.tokens["officer"]},
        }[kind]  # fmt: skip

    def fire(self, kind: str, request: dict[str, Any], t0: float) -> None:
        start = time.perf_counter()
        status = 0
        try:
            r = self.client().request(**request)
            status = r.status_code
            if kind == "upload" and status == 202:
                with self.lock:
                    self.accepted.append(r.json()["id"])
        except httpx.HTTPError:
            status = 0
        latency = (time.perf_counter() - start) * 1000
        with self.lock:
            self.samples.append(Sample(kind, start - t0, latency, status))

    def run(
        self, rate: float, duration: float, max_requests: int, concurrency: int, seed: int
    ) -> float:
        rng = random.Random(seed)
        interval = 1.0 / rate
        t0 = time.perf_counter()
        sent = 0
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            while sent < max_requests:
                due = t0 + sent * interval  # open loop: the schedule does not wait for answers
                now = time.perf_counter()
                if now - t0 >= duration:
                    break
                if due > now:
                    time.sleep(due - now)
                kind, request = self.pick(rng)
                pool.submit(self.fire, kind, request, t0)
                sent += 1
        return time.perf_counter() - t0

    def documents_lost(self, timeout: float = 120) -> tuple[int, int]:
        """(accepted uploads, of which not registered with a readable searchable PDF)."""
        c = httpx.Client(base_url=self.url, timeout=30)
        lost = 0
        for comp in self.accepted:
            body = self._wait(c, comp, timeout)
            docs = body.get("documents") or []
            if body.get("status") != "done" or not docs:
                lost += 1
                continue
            pdf = c.get(docs[0]["file_url"], headers=self.tokens["clerk"])
            if pdf.status_code != 200 or not pdf.content.startswith(b"%PDF"):
                lost += 1
        c.close()
        return len(self.accepted), lost


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def summarise(samples: list[Sample], elapsed: float) -> dict[str, Any]:
    by_kind: dict[str, list[Sample]] = defaultdict(list)
    for s in samples:
        by_kind[s.kind].append(s)
    by_kind["all"] = list(samples)
    rows = {}
    for kind, group in sorted(by_kind.items()):
        ok = [s.latency_ms for s in group if 200 <= s.status < 300]
        rows[kind] = {
            "requests": len(group),
            "ok": len(ok),
            "errors": sum(1 for s in group if not 200 <= s.status < 300),
            "p50_ms": round(_pct(ok, 0.50), 1),
            "p95_ms": round(_pct(ok, 0.95), 1),
            "max_ms": round(max(ok), 1) if ok else None,
            "mean_ms": round(statistics.fmean(ok), 1) if ok else None,
        }
    return {
        "elapsed_s": round(elapsed, 2),
        "throughput_rps": round(len(samples) / elapsed, 1),
        "by_kind": rows,
    }


def write_outputs(out: Path, result: dict[str, Any], samples: list[Sample]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out.mkdir(parents=True, exist_ok=True)
    (out / "load_test.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    cfg = result["config"]
    lines = [
        "# Load test: `sohoa serve` on loopback",
        "",
        f"{cfg['rate']} req/s for at most {cfg['duration']} s or {cfg['requests']} requests, "
        f"{cfg['concurrency']} client threads, {int(cfg['upload_share'] * 100)} % uploads; "
        f"pipeline `{cfg['pipeline']}`; server pinned to CPU {cfg['pin'] or '-'}; "
        "shared 2-core machine, so absolute numbers are noisy.",
        "",
        "| request | count | ok | errors | p50 ms | p95 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for kind, row in result["summary"]["by_kind"].items():
        lines.append(
            f"| {kind} | {row['requests']} | {row['ok']} | {row['errors']} | {row['p50_ms']} "
            f"| {row['p95_ms']} | {row['max_ms']} |"
        )
    lines += [
        "",
        f"Requests served: {result['requests_served']} in {result['summary']['elapsed_s']} s "
        f"({result['summary']['throughput_rps']} req/s). Errors: {result['errors']}. "
        f"Uploads accepted: {result['uploads_accepted']}; documents lost: {result['documents_lost']}.",
        "",
    ]
    (out / "load_test.md").write_text("\n".join(lines))

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
    kinds = sorted({s.kind for s in samples})
    for kind in kinds:
        pts = [(s.start, s.latency_ms) for s in samples if s.kind == kind]
        ax1.scatter([p[0] for p in pts], [p[1] for p in pts], s=6, label=kind)
    ax1.set_xlabel("time since start (s)")
    ax1.set_ylabel("latency (ms)")
    ax1.set_yscale("log")
    ax1.set_title("latency of each request")
    ax1.legend(fontsize=7)
    rows = result["summary"]["by_kind"]
    names = [k for k in rows if k != "all"]
    x = range(len(names))
    ax2.bar([i - 0.2 for i in x], [rows[k]["p50_ms"] for k in names], width=0.4, label="p50")
    ax2.bar([i + 0.2 for i in x], [rows[k]["p95_ms"] for k in names], width=0.4, label="p95")
    ax2.set_xticks(list(x), names, rotation=20, fontsize=8)
    ax2.set_ylabel("ms")
    ax2.set_title(f"{result['requests_served']} requests, {result['errors']} errors")
    ax2.legend()
    fig.tight_layout()
    fig.savefig(out / "load_test.png", dpi=110)
    plt.close(fig)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rate", type=float, default=20.0, help="requests per second (open loop)")
    parser.add_argument("--duration", type=float, default=30.0, help="stop after this many seconds")
    parser.add_argument("--requests", type=int, default=600, help="stop after this many requests")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads")
    parser.add_argument("--upload-share", type=float, default=0.1, help="fraction of uploads")
    parser.add_argument(
        "--pipeline", default="workers.faults:extract", help="job pipeline of the server"
    )
    parser.add_argument("--pin", default="1", help="taskset CPU list for the server ('' for none)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out")
    args = parser.parse_args(argv)
    if not (0 < args.rate <= 500 and 0 < args.duration <= 600 and 0 < args.requests <= 20_000):
        parser.error("keep it bounded: rate ≤ 500/s, duration ≤ 600 s, requests ≤ 20000")

    secret = secrets.token_hex(32)
    work = Path(tempfile.mkdtemp(prefix="sohoa-load-"))
    proc, url = _start_server(work, secret, args.pipeline, args.pin or None)
    assert urlparse(url).hostname in LOOPBACK  # loopback only, always
    try:
        load = Load(url, _tokens(secret), args.upload_share)
        load.seed_data()
        elapsed = load.run(args.rate, args.duration, args.requests, args.concurrency, args.seed)
        accepted, lost = load.documents_lost()
        alive = proc.poll() is None and httpx.get(url + "/healthz", timeout=5).status_code == 200
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
    samples = load.samples
    summary = summarise(samples, elapsed)
    result = {
        "config": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        "summary": summary,
        "requests_served": summary["by_kind"]["all"]["ok"],
        "errors": summary["by_kind"]["all"]["errors"],
        "uploads_accepted": accepted,
        "documents_lost": lost,
        "server_alive_after": alive,
    }
    write_outputs(args.out, result, samples)
    shutil.rmtree(work, ignore_errors=True)
    print(Path(args.out / "load_test.md").read_text())
    return result


if __name__ == "__main__":
    outcome = main()
    sys.exit(0 if outcome["errors"] == 0 and outcome["documents_lost"] == 0 else 1)
