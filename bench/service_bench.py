"""Service benchmark: upload → registered latency and throughput with 1 vs 2 workers.

    python -m bench.service_bench [--latency-n 10] [--throughput-n 16] [--no-pin]

Runs the HTTP API in this process (FastAPI TestClient, RQ queue) and real ``sohoa worker``
processes on Redis (a unique queue), SQLite + a local object store under a temp folder
(``--database-url`` for PostgreSQL). Scans are one-page synthetic documents from
``python -m samples generate`` (or ``--samples DIR``). Latency = time from the upload
request to the component being ``done`` as seen by polling the API every 20 ms, one
scan at a time with one worker. Throughput = scans per minute for a burst of uploads
(16 by default: with 2 workers the burst ends with one of them idle for up to one job,
a third of each worker's share of 6 scans but an eighth of 16).
Worker i is pinned to the i-th usable CPU (taskset; ``--no-pin`` to let them float) and
runs with ``SOHOA_OCR_THREADS=1``, so 1 vs 2 workers compare cores, not luck. The workers'
CPU seconds per round are recorded too: on a shared machine, CPU busy below 100% per worker
means the workers waited for the CPU.
Writes a table to stdout and ``bench/out/service_bench.{json,png}``.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "bench" / "out"


def _samples(dir_: Path | None, tmp: Path) -> tuple[list[Path], Path | None]:
    if dir_ is None:
        dir_ = tmp / "samples"
        subprocess.run(
            [
                sys.executable, "-m", "samples", "generate", "--out", str(dir_),
                "--per-type", "2", "--seed", "11", "--formats", "jpg=1", "--dossiers", "0",
                "--degradations", "flatbed_200,flatbed_300,skew,noise", "--extra-people", "50",
                "--types", "birth_certificate,residence_confirmation,marital_status_certificate,"
                "citizen_id_front,application_form,diploma",
            ],
            cwd=REPO, check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
    scans = sorted(p for p in dir_.iterdir() if p.suffix.lower() in (".jpg", ".png", ".tif"))
    register = dir_ / "population.csv"
    return scans, register if register.exists() else None


def _usable_cpus() -> list[int]:
    return sorted(os.sched_getaffinity(0))


def _start_workers(env: dict[str, str], n: int, pin: bool, logs: Path) -> list[subprocess.Popen]:
    cpus = _usable_cpus()
    if pin and n > len(cpus):
        print(f"warning: {n} workers pinned on {len(cpus)} CPUs share cores", file=sys.stderr)
    procs = []
    for i in range(n):
        cmd = [sys.executable, "-c", "from ocr_service.cli import main; main()", "worker"]
        if env.get("BENCH_PIPELINE"):
            cmd += ["--pipeline", env["BENCH_PIPELINE"]]
        if pin:  # taskset execs the worker: the pid stays the worker's
            cmd = ["taskset", "-c", str(cpus[i % len(cpus)])] + cmd
        out = (logs / f"worker-{n}-{i}.log").open("ab")
        procs.append(subprocess.Popen(cmd, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT))
    return procs


def _stop(procs: list[subprocess.Popen]) -> None:
    for p in procs:
        p.terminate()
    for p in procs:
        try:
            p.wait(20)
        except subprocess.TimeoutExpired:
            p.kill()


def _cpu_seconds(procs: list[subprocess.Popen]) -> float:
    """CPU time of the workers and their finished job processes (utime+stime+cutime+cstime)."""
    total = 0
    for p in procs:
        fields = Path(f"/proc/{p.pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += sum(int(v) for v in fields[11:15])
    return total / os.sysconf("SC_CLK_TCK")


def _wait_workers(queue_name: str, redis_url: str, n: int, timeout: float = 300) -> None:
    from redis import Redis
    from rq import Queue, Worker

    conn = Redis.from_url(redis_url)
    queue = Queue(queue_name, connection=conn)
    deadline = time.monotonic() + timeout
    while len(Worker.all(queue=queue)) < n:
        if time.monotonic() > deadline:
            raise RuntimeError(f"{n} workers did not start in {timeout} s")
        time.sleep(0.2)


class _Client:
    def __init__(self, app: Any, settings: Any) -> None:
        from fastapi.testclient import TestClient

        from ocr_service.auth import issue_token

        self.client = TestClient(app)
        self.headers = {
            "Authorization": f"Bearer {issue_token(settings, role='clerk', subject='bench')}"
        }

    def dossier(self, citizen: str) -> str:
        r = self.client.post(
            "/api/v1/dossiers",
            json={"procedure_code": "bench", "citizen_id_number": citizen},
            headers=self.headers,
        )
        r.raise_for_status()
        return str(r.json()["id"])

    def upload(self, dossier: str, path: Path) -> str:
        r = self.client.post(
            f"/api/v1/dossiers/{dossier}/components",
            files={"file": (path.name, path.read_bytes())},
            headers=self.headers,
        )
        if r.status_code != 202:
            raise RuntimeError(r.text)
        return str(r.json()["id"])

    def status(self, component: str) -> dict[str, Any]:
        r = self.client.get(f"/api/v1/components/{component}", headers=self.headers)
        r.raise_for_status()
        body: dict[str, Any] = r.json()
        return body

    def wait_all(
        self, components: list[str], timeout: float = 900, interval: float = 0.02
    ) -> dict[str, float]:
        """Poll until every component is done/failed; returns when each was first seen so.

        Each poll is an HTTP request served in this process: polling 16 components every
        20 ms kept a CPU busy and took it from the workers, so bursts poll less often."""
        done: dict[str, float] = {}
        deadline = time.monotonic() + timeout
        while len(done) < len(components):
            for c in components:
                if c not in done and self.status(c)["status"] in ("done", "failed"):
                    done[c] = time.monotonic()
            if time.monotonic() > deadline:
                raise RuntimeError("benchmark jobs did not finish in time")
            time.sleep(interval)
        return done


# Seconds between polls of a burst. Its end comes from the components' finished_at, so
# polling seldom costs no precision and leaves the CPUs to the workers.
_BURST_POLL = 1.0


def _finished_epoch(component: dict[str, Any]) -> float:
    from datetime import UTC, datetime

    end = datetime.fromisoformat(component["finished_at"])
    return (end if end.tzinfo else end.replace(tzinfo=UTC)).timestamp()


def _processing_seconds(component: dict[str, Any]) -> float:
    from datetime import datetime

    start = datetime.fromisoformat(component["started_at"])
    end = datetime.fromisoformat(component["finished_at"])
    return (end - start).total_seconds()


def _round(
    workers: int,
    scans: list[Path],
    client: _Client,
    citizen: str,
    env: dict[str, str],
    args: argparse.Namespace,
    logs: Path,
) -> dict[str, Any]:
    procs = _start_workers(env, workers, args.pin, logs)
    try:
        _wait_workers(env["SOHOA_QUEUE_NAME"], env["SOHOA_REDIS_URL"], workers)
        # warm-up: first inferences are slower (ONNX sessions, caches)
        # (a new dossier per upload: the API treats the same scan twice in a dossier as one)
        warm = [client.dossier(citizen) for _ in range(2 * workers)]
        client.wait_all([client.upload(d, scans[i % len(scans)]) for i, d in enumerate(warm)])
        result: dict[str, Any] = {"workers": workers}
        if workers == 1:
            latencies, processing = [], []
            for i in range(args.latency_n):
                dossier = client.dossier(citizen)
                t0 = time.monotonic()
                c = client.upload(dossier, scans[i % len(scans)])
                latencies.append(client.wait_all([c])[c] - t0)
                processing.append(_processing_seconds(client.status(c)))
            result["latency_s"] = latencies
            # the job's own time (fetch + pipeline + registration), from the component record
            result["processing_s"] = processing
        dossiers = [client.dossier(citizen) for _ in range(args.throughput_n)]
        cpu0, t0 = _cpu_seconds(procs), time.time()
        burst = [client.upload(d, scans[i % len(scans)]) for i, d in enumerate(dossiers)]
        client.wait_all(burst, interval=_BURST_POLL)
        # the end of the burst as the workers recorded it, not as a poll first saw it
        elapsed = max(_finished_epoch(client.status(c)) for c in burst) - t0
        cpu = _cpu_seconds(procs) - cpu0
        failed = [c for c in burst if client.status(c)["status"] != "done"]
        result.update(
            burst=args.throughput_n,
            burst_seconds=elapsed,
            scans_per_minute=60 * args.throughput_n / elapsed,
            failed=len(failed),
            worker_cpu_seconds=cpu,
            worker_cpu_s_per_scan=cpu / args.throughput_n,
            # share of the burst's wall time each worker spent on a CPU
            worker_cpu_busy=cpu / (elapsed * workers),
        )
        return result
    finally:
        _stop(procs)


def _plot(results: list[dict[str, Any]], path: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    lat = results[0]["latency_s"]
    ax1.plot(range(1, len(lat) + 1), lat, "o-")
    ax1.axhline(
        statistics.median(lat), color="g", ls="--", label=f"p50 {statistics.median(lat):.2f} s"
    )
    ax1.axhline(3.0, color="r", ls=":", label="target 3 s")
    ax1.set(xlabel="upload #", ylabel="upload → registered (s)", title="Latency, 1 worker")
    ax1.legend()
    ax2.bar([str(r["workers"]) for r in results], [r["scans_per_minute"] for r in results])
    ax2.set(xlabel="workers", ylabel="scans / minute", title="Throughput")
    fig.suptitle(title, fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--samples", type=Path, default=None)
    parser.add_argument("--latency-n", type=int, default=10)
    parser.add_argument("--throughput-n", type=int, default=16)
    parser.add_argument("--workers", default="1,2", help="comma list of worker counts")
    parser.add_argument(
        "--pin",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="pin worker i to the i-th usable CPU (default on)",
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--pipeline", default=None, help="module:function instead of the OCR")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="sohoa-bench-"))
    scans, register_csv = _samples(args.samples, tmp)
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "SOHOA_DATA_DIR": str(tmp / "data"),
        "SOHOA_REDIS_URL": args.redis_url,
        "SOHOA_QUEUE_NAME": f"sohoa-bench-{uuid.uuid4().hex[:8]}",
        "SOHOA_OCR_THREADS": "1",
        # Redis (and PostgreSQL) refuse the published development secret
        "SOHOA_SECRET_KEY": os.environ.get("SOHOA_SECRET_KEY") or secrets.token_hex(32),
    }
    if args.database_url:
        env["SOHOA_DATABASE_URL"] = args.database_url
    if args.pipeline:
        env["BENCH_PIPELINE"] = args.pipeline
    for key in ("SOHOA_S3_ENDPOINT",):
        env.pop(key, None)

    from core.settings import Settings
    from ocr_service.api import create_app

    settings = Settings(**{k.removeprefix("SOHOA_").lower(): v for k, v in env.items()
                           if k.startswith("SOHOA_")})  # fmt: skip
    app = create_app(settings)
    if register_csv is not None:
        from storage.population import open_register, parse_register_csv

        rows, _ = parse_register_csv(register_csv.read_bytes())
        open_register(settings).upsert(rows)
    client = _Client(app, settings)
    logs = tmp / "logs"
    logs.mkdir()

    results = []
    for n in (int(x) for x in args.workers.split(",")):
        print(f"running with {n} worker(s)…", file=sys.stderr)
        results.append(_round(n, scans, client, "001192012345", env, args, logs))
    app.state.job_queue.close()

    lat = results[0].get("latency_s", [])
    lat_sorted = sorted(lat)
    p50 = statistics.median(lat) if lat else float("nan")
    p90 = lat_sorted[min(len(lat_sorted) - 1, int(0.9 * len(lat_sorted)))] if lat else float("nan")
    speedup = (
        results[1]["scans_per_minute"] / results[0]["scans_per_minute"]
        if len(results) > 1
        else None
    )
    args.out.mkdir(parents=True, exist_ok=True)
    summary = {
        "scans": [p.name for p in scans],
        "pipeline": args.pipeline or "ocr_service.pipeline.extract_file",
        "pinned": args.pin,
        "cpus": _usable_cpus(),
        "ocr_threads": env["SOHOA_OCR_THREADS"],
        "latency_p50_s": p50,
        "latency_p90_s": p90,
        "speedup_2_vs_1": speedup,
        "rounds": results,
        "load_average_at_end": os.getloadavg(),
    }
    (args.out / "service_bench.json").write_text(json.dumps(summary, indent=2))
    _plot(
        results,
        args.out / "service_bench.png",
        f"pipeline: {summary['pipeline']}; pinned: {args.pin}; load avg at end: "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs",
    )

    print(f"{'workers':>7} {'burst':>5} {'seconds':>8} {'scans/min':>9} {'failed':>6} "
          f"{'CPU s/scan':>10} {'CPU busy':>8}")  # fmt: skip
    for r in results:
        print(f"{r['workers']:>7} {r['burst']:>5} {r['burst_seconds']:>8.2f} "
              f"{r['scans_per_minute']:>9.1f} {r['failed']:>6} "
              f"{r['worker_cpu_s_per_scan']:>10.2f} {r['worker_cpu_busy']:>8.0%}")  # fmt: skip
    print(f"latency upload→registered, 1 worker, n={len(lat)}: p50 {p50:.2f} s, p90 {p90:.2f} s "
          f"(target ≤ 3 s)")  # fmt: skip
    proc = results[0].get("processing_s", [])
    if proc:
        summary["job_p50_s"] = statistics.median(proc)
        print(f"  of which inside the job (fetch + pipeline + register): p50 "
              f"{statistics.median(proc):.2f} s; API + queue + polling: p50 "
              f"{statistics.median([a - b for a, b in zip(lat, proc, strict=True)]):.2f} s")  # fmt: skip
        (args.out / "service_bench.json").write_text(json.dumps(summary, indent=2))
    if speedup is not None:
        print(f"throughput 2 workers / 1 worker: {speedup:.2f}× (target ≥ 1.7×)")
    print(f"wrote {args.out / 'service_bench.json'} and {args.out / 'service_bench.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
