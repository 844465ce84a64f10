"""`make bench-planner` (python -m bench.planner): timing of a district-sized siting plan.

The planner's core (planning/planner.py) on a synthetic city: demand points clustered around
neighbourhood centres, candidate sites spread over the territory, a few existing facilities
fixed. It times the greedy answer alone and the whole plan (greedy + CBC under the time
limit), several seeds, and prints the medians and whether CBC proved the optimum. No
database: the part a plan's size makes slow is the solver, not the queries.

With `--district KATO` it instead runs the whole planning service (demand from the database,
grid candidates at the spacing that gives about `--candidates` points, exclusions, CBC, the
before/after metrics) on that district of the database DATABASE_URL points at, inside a
transaction that is rolled back, so nothing is saved.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time

from planning import planner


def city(
    seed: int, *, demand: int, candidates: int, fixed: int, width_m: float, height_m: float
) -> tuple[list[planner.DemandPoint], list[planner.Site], list[planner.Site]]:
    """Residents in 40 neighbourhoods of different size and density; sites anywhere."""
    rng = random.Random(seed)
    centres = [
        (rng.uniform(0, width_m), rng.uniform(0, height_m), rng.uniform(300, 1500), rng.random())
        for _ in range(40)
    ]
    weights = [c[3] for c in centres]
    points = []
    for _ in range(demand):
        cx, cy, spread, _w = rng.choices(centres, weights=weights)[0]
        x = min(max(rng.gauss(cx, spread), 0), width_m)
        y = min(max(rng.gauss(cy, spread), 0), height_m)
        people = rng.randint(20, 400)
        points.append(planner.DemandPoint(x, y, people, people * rng.uniform(0.6, 1.6)))
    sites = [
        planner.Site(rng.uniform(0, width_m), rng.uniform(0, height_m)) for _ in range(candidates)
    ]
    existing = [
        planner.Site(rng.uniform(0, width_m), rng.uniform(0, height_m)) for _ in range(fixed)
    ]
    return points, sites, existing


def district_run(args) -> int:
    """The whole service on one district of the configured database, rolled back."""
    import math
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicepolice.settings")
    django.setup()
    from django.db import transaction

    from planning import services
    from planning.models import FacilityKind
    from servicepolice import geo
    from stations.models import District

    district = District.objects.get(kato=args.district)
    radius = int(args.radius) if args.radius else district.effective_radius_m
    spacing = max(50, round(math.sqrt(geo.area_m2(district.geom) / args.candidates)))
    timings = []
    plan = None
    for _run in range(args.runs):
        with transaction.atomic():
            started = time.perf_counter()
            plan = services.siting_plan_run(
                params=services.PlanInput(
                    district=district,
                    facility_kind=FacilityKind.STATION,
                    new_sites=args.sites,
                    radius_m=radius,
                    use_grid=True,
                    grid_spacing_m=spacing,
                    time_limit_s=args.time_limit,
                )
            )
            timings.append(time.perf_counter() - started)
            transaction.set_rollback(True)
    metrics = plan.metrics
    summary = {
        "district": district.name,
        "radius_m": radius,
        "grid_spacing_m": spacing,
        "demand_points": metrics["demand_points"],
        "candidates": metrics["candidates"],
        "new_sites": args.sites,
        "existing_facilities": metrics["existing_facilities"],
        "solver": plan.solver,
        "status": plan.solver_status,
        "solver_runtime_s": plan.runtime_s,
        "plan_s": [round(t, 3) for t in timings],
        "plan_s_median": round(statistics.median(timings), 3),
        "covered_before": metrics["before"]["covered_population_share"],
        "covered_after": metrics["after"]["covered_population_share"],
    }
    if args.json:
        print(json.dumps(summary, indent=2, ensure_ascii=False))
    else:
        print(
            f"{summary['district']}: {summary['demand_points']} demand points, "
            f"{summary['candidates']} grid candidates (spacing {spacing} m), {args.sites} new "
            f"sites, {summary['existing_facilities']} fixed, radius {radius} m"
        )
        print(
            f"whole service: median {summary['plan_s_median']:.3f} s over {args.runs} runs "
            f"{summary['plan_s']}; solver part {plan.runtime_s:.3f} s; {plan.solver} "
            f"({plan.solver_status}); covered {summary['covered_before']} -> "
            f"{summary['covered_after']}"
        )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demand", type=int, default=5000)
    parser.add_argument("--candidates", type=int, default=2000)
    parser.add_argument("--sites", type=int, default=5)
    parser.add_argument("--fixed", type=int, default=15)
    parser.add_argument(
        "--radius", type=float, default=None, help="metres (800; a district's own with --district)"
    )
    parser.add_argument("--district", help="KATO code: time the whole service on this district")
    parser.add_argument("--width", type=float, default=20_000.0, help="metres")
    parser.add_argument("--height", type=float, default=15_000.0, help="metres")
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds for CBC")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if args.district:
        return district_run(args)
    args.radius = args.radius or 800.0

    rows = []
    for seed in range(args.runs):
        demand, candidates, fixed = city(
            seed,
            demand=args.demand,
            candidates=args.candidates,
            fixed=args.fixed,
            width_m=args.width,
            height_m=args.height,
        )
        common = dict(
            demand=demand,
            candidates=candidates,
            fixed=fixed,
            radius_m=args.radius,
            count=args.sites,
        )
        started = time.perf_counter()
        greedy = planner.solve(**common, time_limit_s=1e-9)
        greedy_s = time.perf_counter() - started
        started = time.perf_counter()
        full = planner.solve(**common, time_limit_s=args.time_limit)
        full_s = time.perf_counter() - started
        rows.append(
            {
                "seed": seed,
                "greedy_s": round(greedy_s, 3),
                "plan_s": round(full_s, 3),
                "solver": full.solver,
                "status": full.status,
                "objective": round(full.objective, 1),
                "greedy_objective": round(greedy.greedy_objective, 1),
                "gap_pct": (
                    round(100 * (full.objective - full.greedy_objective) / full.objective, 3)
                    if full.objective
                    else 0.0
                ),
            }
        )
    summary = {
        "demand_points": args.demand,
        "candidates": args.candidates,
        "new_sites": args.sites,
        "fixed": args.fixed,
        "radius_m": args.radius,
        "time_limit_s": args.time_limit,
        "greedy_s_median": statistics.median(r["greedy_s"] for r in rows),
        "plan_s_median": statistics.median(r["plan_s"] for r in rows),
        "plan_s_max": max(r["plan_s"] for r in rows),
        "exact_runs": sum(r["solver"] == planner.SOLVER_EXACT for r in rows),
        "runs": rows,
    }
    if args.json:
        print(json.dumps(summary, indent=2))
        return 0
    print(
        f"Siting plan: {args.demand} demand points, {args.candidates} candidates, "
        f"{args.sites} new sites, {args.fixed} fixed, radius {args.radius:g} m, "
        f"CBC limit {args.time_limit:g} s"
    )
    print(
        f"{'seed':>4} {'greedy s':>9} {'plan s':>8} {'answer':>7} {'status':>11} "
        f"{'objective':>11} {'greedy':>11} {'greedy gap %':>12}"
    )
    for r in rows:
        print(
            f"{r['seed']:>4} {r['greedy_s']:>9.3f} {r['plan_s']:>8.3f} {r['solver']:>7} "
            f"{r['status']:>11} {r['objective']:>11.1f} {r['greedy_objective']:>11.1f} "
            f"{r['gap_pct']:>12.3f}"
        )
    print(
        f"median: greedy {summary['greedy_s_median']:.3f} s, whole plan "
        f"{summary['plan_s_median']:.3f} s (max {summary['plan_s_max']:.3f} s); "
        f"exact in {summary['exact_runs']} of {len(rows)} runs"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
