"""`make bench`: the national-scale benchmark. See bench/README.md for how to read it.

1. Sets up the database (BENCH_DATABASE_URL; PostGIS by default, created if missing), migrates,
   collects static files and generates the dataset if the database has none.
2. Serves the app with gunicorn (2 sync workers, DEBUG=0) on a free port of 127.0.0.1.
3. For each endpoint, runs the load generator (bench/load.py, a separate process): one client
   for the medians, then 16 concurrent clients for throughput and errors, while it samples the
   workers' memory (RSS, from /proc).
4. Times the bare SQL that fetches the same data (PostGIS only), checks /locate/'s nearest
   facilities against brute force, times coverage recomputes in this process.
5. Prints a table with PASS/FAIL per budget and writes bench/results/<date>[-label].json.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgis://servicepolice:servicepolice@127.0.0.1:5432/servicepolice_bench"
LITE_URL = f"spatialite:///{ROOT / 'var' / 'bench-lite.sqlite3'}"
PYTHON = sys.executable


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def loadavg() -> list[float]:
    try:
        return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]
    except OSError:
        return []


# ---- setup ----


def bench_env(url: str) -> dict[str, str]:
    """The environment of every process of the run: the bench database, production mode, and
    throttles high enough that 16 clients from one address are measured, not refused."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        DEBUG="0",
        # DEBUG=0 wants a strong key (settings): a random one per run, shared by its processes.
        SECRET_KEY=os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        # Plain http on 127.0.0.1, as behind a proxy that terminates TLS (settings): no redirect.
        SECURE_SSL_REDIRECT="0",
        API_THROTTLE_ANON="100000000/minute",
        API_THROTTLE_USER="100000000/minute",
        DJANGO_SETTINGS_MODULE="servicepolice.settings",
        LOG_LEVEL="WARNING",
    )
    return env


def ensure_postgres_database(url: str) -> None:
    """Create the PostgreSQL database of `url` if it does not exist (the role may create)."""
    import dj_database_url
    import psycopg2

    cfg = dj_database_url.parse(url)
    params = dict(
        host=cfg["HOST"] or None,
        port=cfg["PORT"] or None,
        user=cfg["USER"] or None,
        password=cfg["PASSWORD"] or None,
    )
    conn = psycopg2.connect(dbname="postgres", **params)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [cfg["NAME"]])
        if cur.fetchone() is None:
            print(f"Creating database {cfg['NAME']}")
            cur.execute(f'CREATE DATABASE "{cfg["NAME"]}"')
    conn.close()


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, check=True)


def setup(url: str, env: dict[str, str], scale: str, seed: int) -> None:
    if url.startswith(("postgis", "postgres")):
        ensure_postgres_database(url)
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    import django

    os.environ.update(env)
    django.setup()
    from stations.models import Region

    if not Region.objects.exists():
        print(f"No dataset in the database: generating --scale {scale} --seed {seed}")
        manage(env, "generate_dataset", "--scale", scale, "--seed", str(seed))


# ---- the server ----


class Server:
    """gunicorn with N sync workers on a free port of 127.0.0.1, and its workers' memory."""

    def __init__(self, env: dict[str, str], workers: int, log: Path) -> None:
        self.env = env
        self.workers = workers
        self.log = log
        self.proc: subprocess.Popen | None = None
        self.port = 0
        self._peak = 0.0
        self._sampling = False
        self._lock = threading.Lock()

    def start(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.log.parent.mkdir(parents=True, exist_ok=True)
        command = [
            str(Path(PYTHON).parent / "gunicorn"),
            "servicepolice.wsgi:application",
            "--workers",
            str(self.workers),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--timeout",
            "120",
        ]
        with self.log.open("w") as out:
            self.proc = subprocess.Popen(
                command, env=self.env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.base}/api/v1/regions/?limit=1", timeout=5):
                    if len(self.worker_pids()) >= self.workers:
                        break
            except OSError:
                pass
            time.sleep(0.3)
        else:
            self.stop()
            raise SystemExit(f"gunicorn did not start; see {self.log}")
        threading.Thread(target=self._sample, daemon=True).start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def worker_pids(self) -> list[int]:
        if self.proc is None:
            return []
        try:
            text = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text()
            return [int(pid) for pid in text.split()]
        except OSError:
            return []

    @staticmethod
    def rss_mb(pid: int) -> float:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024.0
        except OSError:
            pass
        return 0.0

    def _sample(self) -> None:
        self._sampling = True
        while self._sampling and self.proc is not None and self.proc.poll() is None:
            peak = max((self.rss_mb(pid) for pid in self.worker_pids()), default=0.0)
            with self._lock:
                self._peak = max(self._peak, peak)
            time.sleep(0.02)

    def take_peak(self) -> float:
        """The largest worker RSS (MB) since the last call."""
        with self._lock:
            peak = self._peak
            self._peak = max((self.rss_mb(pid) for pid in self.worker_pids()), default=0.0)
        return peak

    def stop(self) -> None:
        self._sampling = False
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def load(job: dict) -> dict:
    """Run bench/load.py in its own process with this job."""
    done = subprocess.run(
        [PYTHON, str(ROOT / "bench" / "load.py")],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


# ---- the context: which districts, regions and points ----


def staff_session() -> str:
    """A session cookie of a superuser made for the benchmark (the admin pages need one)."""
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore

    user, _ = get_user_model().objects.get_or_create(
        username="bench-admin",
        defaults={"is_staff": True, "is_superuser": True, "email": "bench@registry.example"},
    )
    user.is_staff = user.is_superuser = True
    user.set_unusable_password()
    user.save()
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def random_points(count: int, seed: int) -> list[tuple[float, float]]:
    """Points to look up: four in five inside a random precinct, the rest anywhere in
    Kazakhstan's extent (often outside every precinct: the 404 answer)."""
    from django.contrib.gis.geos import Point

    from servicepolice import geo
    from stations.models import Precinct

    rng = random.Random(seed)
    pks = list(Precinct.objects.order_by("pk").values_list("pk", flat=True))
    shapes = {}
    points = []
    west, south, east, north = geo.KZ_EXTENT
    while len(points) < count:
        if rng.random() < 0.2:
            points.append((round(rng.uniform(west, east), 6), round(rng.uniform(south, north), 6)))
            continue
        pk = rng.choice(pks)
        if pk not in shapes:
            shapes[pk] = Precinct.objects.values_list("geom", flat=True).get(pk=pk)
        shape = shapes[pk]
        x0, y0, x1, y1 = shape.extent
        for _ in range(50):
            lon, lat = round(rng.uniform(x0, x1), 6), round(rng.uniform(y0, y1), 6)
            if shape.contains(Point(lon, lat, srid=4326)):
                points.append((lon, lat))
                break
    return points


def context(seed: int, points: int) -> dict:
    from django.db.models import Count

    from stations.models import District, Region, Station

    districts = list(District.objects.order_by("pk").values_list("pk", flat=True))
    step = max(1, len(districts) // 10)
    regions = list(
        Region.objects.annotate(n=Count("districts__precincts"))
        .filter(n__lte=500)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    stations = Station.objects.count()
    return {
        "districts": districts[::step][:10],
        "regions": regions,
        "points": random_points(points, seed),
        "stations_deep_offset": max(0, min(5000, stations - 50)),
    }


# ---- measurements ----


def measure_endpoints(server: Server, endpoints, session: str, args) -> dict[str, dict]:
    results = {}
    for endpoint in endpoints:
        headers = {"Cookie": f"sessionid={session}"} if endpoint.admin else {}
        base = {"base": server.base, "headers": headers, "paths": endpoint.paths}
        load_before = loadavg()
        server.take_peak()
        single = load(
            {
                **base,
                "concurrency": 1,
                "requests": args.requests,
                "max_seconds": args.seconds,
                # Every path twice per worker: the medians are of a server in its stride, and
                # the first answers (cold caches) show in the p95 under load.
                "warmup": min(2 * args.workers * len(endpoint.paths), 100),
            }
        )
        peak_single = server.take_peak()
        concurrent = load(
            {
                **base,
                "concurrency": args.concurrency,
                "requests": args.concurrent_requests,
                "max_seconds": args.seconds,
            }
        )
        peak = max(peak_single, server.take_peak())
        lat = single["latencies_ms"]
        results[endpoint.name] = {
            "group": endpoint.group,
            "description": endpoint.description,
            "paths": endpoint.paths[:3],
            "budget_ms": endpoint.budget_ms,
            "median_ms": percentile(lat, 0.5),
            "p95_ms": percentile(lat, 0.95),
            "requests": len(lat),
            "statuses": single["statuses"],
            "bytes": single["bytes"],
            "gzip_bytes": single["gzip_bytes"],
            "concurrent": {
                "clients": args.concurrency,
                "requests": len(concurrent["latencies_ms"]),
                "throughput_rps": concurrent["throughput_rps"],
                "median_ms": percentile(concurrent["latencies_ms"], 0.5),
                "p95_ms": percentile(concurrent["latencies_ms"], 0.95),
                "statuses": concurrent["statuses"],
            },
            "errors": single["error_count"] + concurrent["error_count"],
            "error_samples": (single["errors"] + concurrent["errors"])[:5],
            "worker_rss_peak_mb": round(peak, 1),
            "loadavg": load_before,
        }
        r = results[endpoint.name]
        print(
            f"  {endpoint.name:<22} median {r['median_ms']:8.2f} ms  p95 {r['p95_ms']:8.2f} ms  "
            f"{r['concurrent']['throughput_rps']:7.1f} req/s x{args.concurrency}  "
            f"errors {r['errors']}  rss {peak:6.1f} MB  load {load_before[:1]}",
            flush=True,
        )
    return results


def measure_floors(endpoints, repeat: int) -> dict[str, dict]:
    """Median time of each endpoint's bare SQL, cycling over the same parameters."""
    from django.db import connection

    from bench.floors import FLOORS, OVERVIEW_PRESERVE_SQL

    found = {}
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the driver's cursor: nothing of Django between us and the SQL
        jobs = [(e.name, FLOORS[e.sql], e.sql_args) for e in endpoints if e.sql in FLOORS]
        overview = next((e for e in endpoints if e.name == "national_overview"), None)
        if overview is not None:
            jobs.append(
                ("national_overview_preserve_topology", OVERVIEW_PRESERVE_SQL, overview.sql_args)
            )
        for name, sql, arg_list in jobs:
            times, size = [], 0
            runs = max(repeat, len(arg_list))
            for n in range(runs + 3):
                args = arg_list[n % len(arg_list)]
                params = {f"a{i}": value for i, value in enumerate(args)}
                started = time.perf_counter()
                raw.execute(sql, params)
                rows = raw.fetchall()
                elapsed = (time.perf_counter() - started) * 1000.0
                if n >= 3:  # the first runs warm the caches
                    times.append(elapsed)
                    size = len(rows[0][0]) if rows and isinstance(rows[0][0], str) else size
            found[name] = {"median_ms": statistics.median(times), "bytes": size}
    return found


def measure_coverage(*, districts: int, repeat: int, country: bool) -> dict:
    """Coverage recomputes in this process: a sample of districts, then every district."""
    from django.conf import settings
    from django.db import connection

    from bench.floors import COVERAGE_SQL
    from reach.services import coverage_recompute, coverage_recompute_many
    from stations.models import District

    all_districts = list(District.objects.order_by("pk"))
    step = max(1, len(all_districts) // districts)
    sample = all_districts[::step][:districts]
    per_district = []
    for district in sample:
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            coverage_recompute(district=district)
            times.append((time.perf_counter() - started) * 1000.0)
        per_district.append(
            {"district": district.pk, "kind": district.kind, "median_ms": statistics.median(times)}
        )
    result = {
        "district_median_ms": statistics.median(d["median_ms"] for d in per_district),
        "district_max_ms": max(d["median_ms"] for d in per_district),
        "districts": per_district,
    }
    if connection.vendor == "postgresql":
        radius = settings.COVERAGE_RADIUS_M
        with connection.cursor() as cursor:
            times = []
            for district in sample:
                params = {"urban": radius["urban"], "rural": radius["rural"]}
                started = time.perf_counter()
                cursor.cursor.execute(
                    COVERAGE_SQL, {**params, "all": False, "district": district.pk}
                )
                cursor.cursor.fetchall()
                times.append((time.perf_counter() - started) * 1000.0)
            result["district_sql_ms"] = statistics.median(times)
            if country:
                started = time.perf_counter()
                cursor.cursor.execute(COVERAGE_SQL, {**params, "all": True, "district": 0})
                cursor.cursor.fetchall()
                result["country_sql_s"] = time.perf_counter() - started
    if country:
        started = time.perf_counter()
        coverage_recompute_many(districts=all_districts)
        result["country_s"] = time.perf_counter() - started
        result["country_districts"] = len(all_districts)
    return result


def locate_check(server: Server, points: list[tuple[float, float]]) -> dict:
    """/locate/'s 3 nearest facilities against brute force: geodesic distance (the database's
    spheroid distance) from the point to every operating station and post, sorted."""
    from django.contrib.gis.db.models.functions import Distance
    from django.contrib.gis.geos import Point

    from stations.models import ModularPost, Station

    mismatches = []
    for lon, lat in points:
        try:
            with urllib.request.urlopen(f"{server.base}/api/v1/locate/?lat={lat}&lon={lon}") as r:
                body = json.load(r)
        except urllib.error.HTTPError as exc:  # 404 outside every precinct: still answers
            body = json.load(exc)
        got = body.get("nearest_facilities", body.get("extra", {}).get("nearest_facilities", []))
        point = Point(lon, lat, srid=4326)
        everything = []
        for kind, model in (("station", Station), ("post", ModularPost)):
            rows = (
                model.objects.operating()
                .annotate(d=Distance("geom", point, spheroid=True))
                .values_list("pk", "d")
            )
            everything += [(d.m, kind, pk) for pk, d in rows]
        everything.sort()
        want = [(kind, pk) for _, kind, pk in everything[:3]]
        have = [(f["type"], f["id"]) for f in got]
        if want != have:
            # Equal distances (to the centimetre) may come in either order.
            close = [round(d, 2) for d, _, _ in everything[:3]]
            have_d = [round(f["distance_m"], 2) for f in got]
            if close != have_d or sorted(want) != sorted(have):
                mismatches.append({"point": [lon, lat], "api": have, "brute_force": want})
    return {
        "points": len(points),
        "matching": len(points) - len(mismatches),
        "mismatches": mismatches[:10],
    }


# ---- verdicts and the report ----


def verdicts(results: dict, floors: dict, coverage: dict, check: dict | None) -> list[dict]:
    from bench import targets

    rows = []
    for name, r in results.items():
        floor = floors.get(name, {}).get("median_ms")
        ratio = r["median_ms"] / floor if floor else None
        fails = []
        if r["median_ms"] is None or r["median_ms"] > r["budget_ms"]:
            fails.append(f"median > {r['budget_ms']:g} ms")
        if floor is not None and floor >= targets.RATIO_FROM_MS and ratio > targets.RATIO_MAX:
            fails.append(f"endpoint/SQL > {targets.RATIO_MAX:g}")
        if r["errors"]:
            fails.append(f"{r['errors']} errors")
        if r["worker_rss_peak_mb"] > targets.WORKER_RSS_MAX_MB:
            fails.append(f"worker RSS > {targets.WORKER_RSS_MAX_MB:g} MB")
        if name == "national_overview" and r["gzip_bytes"] > targets.OVERVIEW_GZIP_MAX_BYTES:
            fails.append("over 500 KB gzipped")
        if name == "locate" and check is not None and check["matching"] < check["points"]:
            fails.append(f"{check['points'] - check['matching']} wrong nearest")
        r.update(floor_ms=floor, ratio=ratio, verdict="FAIL" if fails else "PASS", why=fails)
        rows.append({"name": name, **r})
    if coverage:
        d = coverage["district_median_ms"]
        rows.append(
            {
                "name": "coverage_district",
                "group": "coverage",
                "budget_ms": targets.COVERAGE_DISTRICT_MS,
                "median_ms": d,
                "p95_ms": coverage["district_max_ms"],
                "floor_ms": coverage.get("district_sql_ms"),
                "ratio": d / coverage["district_sql_ms"]
                if coverage.get("district_sql_ms")
                else None,
                "verdict": "PASS" if d <= targets.COVERAGE_DISTRICT_MS else "FAIL",
                "why": [] if d <= targets.COVERAGE_DISTRICT_MS else ["median > 250 ms"],
            }
        )
        if "country_s" in coverage:
            s = coverage["country_s"]
            sql = coverage.get("country_sql_s")
            rows.append(
                {
                    "name": "coverage_country",
                    "group": "coverage",
                    "budget_ms": targets.COVERAGE_COUNTRY_S * 1000,
                    "median_ms": s * 1000,
                    "p95_ms": None,
                    "floor_ms": sql * 1000 if sql else None,
                    "ratio": s / sql if sql else None,
                    "verdict": "PASS" if s <= targets.COVERAGE_COUNTRY_S else "FAIL",
                    "why": [] if s <= targets.COVERAGE_COUNTRY_S else ["over 30 s"],
                }
            )
    return rows


def _fmt(value, spec=".1f", none="—") -> str:
    return none if value is None else format(value, spec)


def table(rows: list[dict]) -> str:
    head = (
        f"{'endpoint':<22} {'budget':>7} {'median':>8} {'p95':>8} {'rps x16':>8} "
        f"{'p95 x16':>8} {'err':>4} {'RSS MB':>7} {'SQL':>8} {'ratio':>6} {'gzip KB':>8}  verdict"
    )
    lines = [head, "-" * len(head)]
    for r in rows:
        c = r.get("concurrent", {})
        lines.append(
            f"{r['name']:<22} {_fmt(r['budget_ms'], '.0f'):>7} {_fmt(r['median_ms'], '.2f'):>8} "
            f"{_fmt(r.get('p95_ms'), '.2f'):>8} {_fmt(c.get('throughput_rps')):>8} "
            f"{_fmt(c.get('p95_ms'), '.1f'):>8} {_fmt(r.get('errors'), 'd'):>4} "
            f"{_fmt(r.get('worker_rss_peak_mb')):>7} {_fmt(r.get('floor_ms'), '.2f'):>8} "
            f"{_fmt(r.get('ratio'), '.1f'):>6} "
            f"{_fmt(r['gzip_bytes'] / 1024 if r.get('gzip_bytes') else None):>8}  "
            f"{r['verdict']}{' (' + '; '.join(r['why']) + ')' if r['why'] else ''}"
        )
    return "\n".join(lines)


def git_state() -> dict:
    def run(*cmd: str) -> str:
        try:
            return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True).stdout.strip()
        except OSError:
            return ""

    return {
        "commit": run("git", "rev-parse", "--short", "HEAD"),
        "dirty": bool(run("git", "status", "--porcelain")),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lite", action="store_true", help="SpatiaLite, region-scale data")
    parser.add_argument("--database-url", help="default: BENCH_DATABASE_URL or the bench DB")
    parser.add_argument("--scale", help="dataset scale to generate if absent")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--requests", type=int, default=60, help="single-client requests")
    parser.add_argument("--concurrent-requests", type=int, default=320)
    parser.add_argument("--seconds", type=float, default=20.0, help="cap per phase")
    parser.add_argument("--points", type=int, default=200, help="locate points timed")
    parser.add_argument("--check-points", type=int, default=1000, help="locate points checked")
    parser.add_argument("--only", nargs="*", help="endpoint names to run")
    parser.add_argument("--no-coverage", action="store_true")
    parser.add_argument(
        "--no-country", action="store_true", help="skip the whole-country recompute"
    )
    parser.add_argument("--label", default="", help="added to the results file name")
    parser.add_argument("--results", default=str(ROOT / "bench" / "results"))
    args = parser.parse_args(argv)

    url = args.database_url or (
        LITE_URL if args.lite else os.environ.get("BENCH_DATABASE_URL") or DEFAULT_URL
    )
    scale = args.scale or ("region" if args.lite else "national")
    env = bench_env(url)
    started = time.monotonic()
    load_start = loadavg()
    print(f"Benchmark on {url.split('@')[-1]} (load average {load_start})", flush=True)
    setup(url, env, scale, args.seed)

    from bench import targets
    from dataset.services import dataset_rows

    ctx = context(args.seed, args.points)
    endpoints = targets.build_endpoints(ctx)
    if args.only:
        endpoints = [e for e in endpoints if e.name in args.only]
    session = staff_session()
    server = Server(env, args.workers, ROOT / "var" / "bench" / "gunicorn.log")
    server.start()
    print(f"gunicorn on {server.base}, workers {server.worker_pids()}", flush=True)
    check = None
    try:
        results = measure_endpoints(server, endpoints, session, args)
        if "locate" in results and args.check_points:
            check = locate_check(server, random_points(args.check_points, args.seed + 1))
            print(f"  locate check: {check['matching']}/{check['points']} match brute force")
    finally:
        server.stop()
    from django.db import connection

    floors = measure_floors(endpoints, 20) if connection.vendor == "postgresql" else {}
    coverage = {}
    if not args.no_coverage and (not args.only or "coverage" in args.only):
        coverage = measure_coverage(districts=6, repeat=3, country=not args.no_country)
    rows = verdicts(results, floors, coverage, check)
    load_end = loadavg()
    report = table(rows)
    print()
    print(report)
    print(
        f"\nLoad average at start {load_start}, at end {load_end}; "
        f"{os.cpu_count()} CPUs; took {time.monotonic() - started:.0f} s."
    )
    out = Path(args.results)
    out.mkdir(parents=True, exist_ok=True)
    stem = datetime.date.today().isoformat() + ("-lite" if args.lite else "")
    stem += f"-{args.label}" if args.label else ""
    path = out / f"{stem}.json"
    path.write_text(
        json.dumps(
            {
                "date": datetime.datetime.now().isoformat(timespec="seconds"),
                "label": args.label,
                "database": connection.vendor,
                "dataset": dataset_rows(),
                "git": git_state(),
                "cpus": os.cpu_count(),
                "loadavg": {"start": load_start, "end": load_end},
                "settings": {
                    "workers": args.workers,
                    "concurrency": args.concurrency,
                    "requests": args.requests,
                    "concurrent_requests": args.concurrent_requests,
                },
                "rows": rows,
                "floors": floors,
                "coverage": coverage,
                "locate_check": check,
            },
            indent=1,
            ensure_ascii=False,
        )
    )
    print(f"Results: {path.relative_to(ROOT)}")
    return 0 if all(r["verdict"] == "PASS" for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
