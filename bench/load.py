"""The load generator: run in its own process, it sends GET requests to 127.0.0.1 and reports.

Reads a JSON job on stdin and writes one JSON result on stdout (standard library only):

    {"base": "http://127.0.0.1:8123", "headers": {...}, "paths": ["/api/v1/...", ...],
     "concurrency": 16, "requests": 400, "max_seconds": 20, "warmup": 4}

Each client (a thread) sends the paths in turn, one request at a time, a new connection each
(gunicorn's sync workers close it after each response). The result has every latency in
milliseconds, the status codes, response sizes (plain, and gzipped as a proxy would send them),
the wall time and the throughput.
"""

from __future__ import annotations

import gzip
import http.client
import json
import sys
import threading
import time
from urllib.parse import urlsplit


def _get(host: str, port: int, path: str, headers: dict[str, str], timeout: float):
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        started = time.perf_counter()
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
        elapsed = (time.perf_counter() - started) * 1000.0
        return response.status, body, elapsed
    finally:
        conn.close()


def run(job: dict) -> dict:
    base = urlsplit(job["base"])
    host, port = base.hostname, base.port
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("the load generator only talks to this machine (127.0.0.1)")
    headers = {"Accept-Encoding": "identity", **job.get("headers", {})}
    paths: list[str] = job["paths"]
    concurrency = int(job.get("concurrency", 1))
    total = int(job.get("requests", 100))
    max_seconds = float(job.get("max_seconds", 30))
    timeout = float(job.get("timeout", 60))
    for n in range(int(job.get("warmup", 0))):
        _get(host, port, paths[n % len(paths)], headers, timeout)

    lock = threading.Lock()
    counter = iter(range(total))
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    sizes: list[int] = []
    errors: list[str] = []
    sample: dict[str, bytes] = {}
    deadline = time.monotonic() + max_seconds

    def client() -> None:
        while time.monotonic() < deadline:
            with lock:
                n = next(counter, None)
            if n is None:
                return
            path = paths[n % len(paths)]
            try:
                status, body, ms = _get(host, port, path, headers, timeout)
            except (OSError, http.client.HTTPException) as exc:
                with lock:
                    errors.append(f"{path}: {exc!r}")
                    statuses["error"] = statuses.get("error", 0) + 1
                continue
            with lock:
                latencies.append(ms)
                sizes.append(len(body))
                statuses[str(status)] = statuses.get(str(status), 0) + 1
                if status >= 500 or status in (401, 403, 429):
                    errors.append(f"{path}: HTTP {status}")
                sample.setdefault("body", body)

    started = time.monotonic()
    threads = [threading.Thread(target=client, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - started
    body = sample.get("body", b"")
    return {
        "latencies_ms": latencies,
        "statuses": statuses,
        "errors": errors[:20],
        "error_count": len(errors),
        "bytes": sorted(sizes)[len(sizes) // 2] if sizes else 0,
        "gzip_bytes": len(gzip.compress(body, 6)) if body else 0,
        "wall_s": wall,
        "throughput_rps": len(latencies) / wall if wall > 0 else 0.0,
        "concurrency": concurrency,
    }


if __name__ == "__main__":
    json.dump(run(json.load(sys.stdin)), sys.stdout)
