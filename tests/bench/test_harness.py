"""The benchmark harness, briefly, against a live server over a tiny generated dataset.

`make bench` runs the same functions against gunicorn and the national dataset; here each
endpoint gets a few requests from the load generator process, so CI checks that every path,
bare-SQL floor (PostGIS) and report line still works, in seconds.
"""

from __future__ import annotations

from argparse import Namespace
from types import SimpleNamespace

import pytest
from django.db import connection

from bench import floors, run, targets
from dataset.scales import SCALES
from dataset.services import dataset_generate

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_benchmark_runs_briefly(live_server):
    dataset_generate(scale=SCALES["tiny"], seed=3)
    endpoints = targets.build_endpoints(run.context(seed=1, points=6))
    assert {e.name for e in endpoints} == {name for name, *_ in targets.ENDPOINTS}
    assert all(e.paths for e in endpoints)
    assert all(e.sql in floors.FLOORS for e in endpoints)

    server = SimpleNamespace(base=live_server.url, take_peak=lambda: 0.0)
    # One client at a time: the live server shares its test database connection across threads.
    args = Namespace(requests=2, concurrency=1, concurrent_requests=2, seconds=20, workers=1)
    results = run.measure_endpoints(server, endpoints, run.staff_session(), args)
    assert set(results) == {e.name for e in endpoints}
    failed = {name: r["error_samples"] for name, r in results.items() if r["errors"]}
    assert failed == {}
    assert all(r["median_ms"] is not None for r in results.values())

    check = run.locate_check(server, run.random_points(5, seed=2))
    assert check["matching"] == check["points"]

    measured = run.measure_floors(endpoints, 1) if connection.vendor == "postgresql" else {}
    coverage = run.measure_coverage(districts=1, repeat=1, country=True)
    rows = run.verdicts(results, measured, coverage, check)
    report = run.table(rows)
    for name in [*results, "coverage_district", "coverage_country"]:
        assert name in report
    assert {row["verdict"] for row in rows} <= {"PASS", "FAIL"}
