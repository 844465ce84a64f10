"""The maximal covering location problem: choose new sites to cover the most uncovered demand.

Pure computation over metric coordinates (metres, one UTM zone); no database. Existing
facilities are fixed: demand within their radius is covered already and counts for nothing.
The exact answer comes from CBC (bundled with PuLP) under a time limit; the greedy answer,
within (1 - 1/e) of the optimum, is always computed too and is what the caller gets when CBC
does not prove an optimum in time.
"""

from __future__ import annotations

import math
import time
import warnings
from collections import defaultdict
from dataclasses import dataclass, field

import pulp

SOLVER_EXACT = "exact"
SOLVER_GREEDY = "greedy"

STATUS_OPTIMAL = "optimal"
STATUS_TIME_LIMIT = "time_limit"
STATUS_NO_CANDIDATES = "no_candidates"
STATUS_SOLVER_ERROR = "solver_error"


@dataclass(frozen=True)
class DemandPoint:
    """Residents at a place: `population` people, `weight` their demand (population, or
    population weighted by offences)."""

    x: float
    y: float
    population: float
    weight: float


@dataclass(frozen=True)
class Site:
    x: float
    y: float


@dataclass
class ChosenSite:
    index: int  # into the candidates
    gain: float  # weighted demand newly covered, in the order of the ranking
    population: float  # residents newly covered, in the order of the ranking


@dataclass
class Solution:
    solver: str  # SOLVER_EXACT or SOLVER_GREEDY: which answer `sites` is
    status: str
    sites: list[ChosenSite]
    objective: float  # weighted demand newly covered by `sites`
    greedy_objective: float
    greedy_sites: list[int]
    exact_objective: float | None  # None when CBC proved no optimum in time
    runtime_s: float
    demand_total: float = 0.0
    population_total: float = 0.0
    covered_before: float = 0.0  # weighted demand the fixed facilities cover
    population_before: float = 0.0
    stats: dict = field(default_factory=dict)


class _Grid:
    """Points bucketed in square cells of the radius, for "which points lie within R"."""

    def __init__(self, points: list[tuple[float, float]], cell: float) -> None:
        self.cell = cell
        self.points = points
        self.buckets: dict[tuple[int, int], list[int]] = defaultdict(list)
        for i, (x, y) in enumerate(points):
            self.buckets[(math.floor(x / cell), math.floor(y / cell))].append(i)

    def within(self, x: float, y: float, radius: float) -> list[int]:
        cx, cy = math.floor(x / self.cell), math.floor(y / self.cell)
        r2 = radius * radius
        found = []
        points = self.points
        for gx in (cx - 1, cx, cx + 1):
            for gy in (cy - 1, cy, cy + 1):
                for i in self.buckets.get((gx, gy), ()):
                    px, py = points[i]
                    if (px - x) * (px - x) + (py - y) * (py - y) <= r2:
                        found.append(i)
        return found

    def within_any(self, sites: list[Site], radius: float) -> set[int]:
        """Indexes of the points within `radius` of any of the sites."""
        found: set[int] = set()
        for site in sites:
            found.update(self.within(site.x, site.y, radius))
        return found


def covered_by(points: list[tuple[float, float]], sites: list[Site], radius_m: float) -> set[int]:
    """Indexes of the points within `radius_m` metres of any of the sites."""
    if not points or not sites or radius_m <= 0:
        return set()
    return _Grid(points, radius_m).within_any(sites, radius_m)


def _greedy(
    cover: list[list[int]], weights: list[float], count: int, pool: list[int] | None = None
) -> list[tuple[int, float]]:
    """Lazy greedy: repeatedly the candidate with the largest marginal gain (ties: lower index).
    Returns (candidate, gain) in the order chosen."""
    pool = list(range(len(cover))) if pool is None else list(pool)
    covered: set[int] = set()
    # Upper bounds on each candidate's gain; gains only shrink as more is covered.
    bounds = {j: sum(weights[i] for i in cover[j]) for j in pool}
    chosen: list[tuple[int, float]] = []
    remaining = set(pool)
    while len(chosen) < count and remaining:
        order = sorted(remaining, key=lambda j: (-bounds[j], j))
        best, best_gain = None, -1.0
        for j in order:
            if bounds[j] < best_gain or (bounds[j] == best_gain and best is not None and j > best):
                break
            gain = sum(weights[i] for i in cover[j] if i not in covered)
            bounds[j] = gain
            if gain > best_gain or (gain == best_gain and (best is None or j < best)):
                best, best_gain = j, gain
        chosen.append((best, best_gain))
        remaining.discard(best)
        covered.update(cover[best])
    return chosen


def _exact(
    cover: list[list[int]],
    weights: list[float],
    count: int,
    time_limit_s: float,
    warm: list[int],
) -> tuple[list[int] | None, str]:
    """CBC on the MCLP; demand points with the same covering candidates are merged into one
    row. Returns the chosen candidates when CBC proves them optimal within the time limit."""
    # PuLP 3 warns that PULP_CBC_CMD and LpVariable() go away in PuLP 4; the lock pins < 4,
    # and the bundled CBC binary is the point of PULP_CBC_CMD.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        started = time.monotonic()
        groups: dict[tuple[int, ...], float] = defaultdict(float)
        covering: dict[int, list[int]] = defaultdict(list)
        for j, points in enumerate(cover):
            for i in points:
                covering[i].append(j)
        for i, js in covering.items():
            if weights[i] > 0:
                groups[tuple(js)] += weights[i]
        problem = pulp.LpProblem("mclp", pulp.LpMaximize)
        x = [pulp.LpVariable(f"x{j}", cat=pulp.LpBinary) for j in range(len(cover))]
        y = [pulp.LpVariable(f"y{k}", lowBound=0, upBound=1) for k in range(len(groups))]
        problem += pulp.lpSum(w * y[k] for k, w in enumerate(groups.values()))
        for k, js in enumerate(groups):
            problem += y[k] <= pulp.lpSum(x[j] for j in js)
        problem += pulp.lpSum(x) == count
        for j, var in enumerate(x):
            var.setInitialValue(1 if j in warm else 0)
        left = time_limit_s - (time.monotonic() - started)
        if left <= 0:
            return None, STATUS_TIME_LIMIT  # building the model used up the time
        solver = pulp.PULP_CBC_CMD(msg=False, timeLimit=left, warmStart=True, threads=1)
        try:
            problem.solve(solver)
        except pulp.PulpSolverError:
            return None, STATUS_SOLVER_ERROR
        if problem.sol_status != pulp.LpSolutionOptimal:
            # CBC stopped on time (a feasible but unproven answer counts as not found).
            return None, STATUS_TIME_LIMIT
        if time.monotonic() - started > time_limit_s:
            # CBC checks its clock only between steps; an answer that came late is not in time.
            return None, STATUS_TIME_LIMIT
        return [j for j, var in enumerate(x) if (var.value() or 0) > 0.5], STATUS_OPTIMAL


def _ranked(
    chosen: list[int], cover: list[list[int]], weights: list[float], population: list[float]
) -> list[ChosenSite]:
    """The chosen sites in order of marginal gain, each with what it newly covers then."""
    ranked = _greedy(cover, weights, len(chosen), pool=chosen)
    covered: set[int] = set()
    result = []
    for j, gain in ranked:
        new = [i for i in cover[j] if i not in covered]
        covered.update(new)
        result.append(ChosenSite(index=j, gain=gain, population=sum(population[i] for i in new)))
    return result


def solve(
    *,
    demand: list[DemandPoint],
    candidates: list[Site],
    fixed: list[Site],
    radius_m: float,
    count: int,
    time_limit_s: float,
) -> Solution:
    """Choose up to `count` of the candidates to cover the most weighted demand that the fixed
    facilities leave uncovered, within `radius_m` metres."""
    started = time.monotonic()
    places = [(d.x, d.y) for d in demand]
    # One grid of the demand serves both the fixed facilities and the candidates.
    grid = _Grid(places, radius_m) if places else None
    before = grid.within_any(fixed, radius_m) if grid is not None and radius_m > 0 else set()
    # Demand the fixed facilities cover weighs nothing for the new sites: never counted twice.
    weights = [0.0 if i in before else d.weight for i, d in enumerate(demand)]
    population = [0.0 if i in before else d.population for i, d in enumerate(demand)]
    cover = [
        [i for i in grid.within(c.x, c.y, radius_m) if weights[i] > 0] if grid else []
        for c in candidates
    ]
    count = max(0, min(count, len(candidates)))
    base = dict(
        demand_total=sum(d.weight for d in demand),
        population_total=sum(d.population for d in demand),
        covered_before=sum(demand[i].weight for i in before),
        population_before=sum(demand[i].population for i in before),
        stats={"demand_points": len(demand), "candidates": len(candidates)},
    )
    if count == 0:
        return Solution(
            solver=SOLVER_GREEDY,
            status=STATUS_NO_CANDIDATES,
            sites=[],
            objective=0.0,
            greedy_objective=0.0,
            greedy_sites=[],
            exact_objective=None,
            runtime_s=time.monotonic() - started,
            **base,
        )
    greedy = _greedy(cover, weights, count)
    greedy_sites = [j for j, _ in greedy]
    greedy_value = sum(g for _, g in greedy)
    left = time_limit_s - (time.monotonic() - started)
    exact, status = (
        _exact(cover, weights, count, left, greedy_sites) if left > 0 else (None, STATUS_TIME_LIMIT)
    )
    if exact is not None:
        chosen, solver = exact, SOLVER_EXACT
        exact_value = _value(chosen, cover, weights)
        if exact_value < greedy_value - 1e-6 * max(1.0, greedy_value):
            # Cannot happen with a proven optimum; guard against a solver tolerance slip.
            chosen, solver, status = greedy_sites, SOLVER_GREEDY, STATUS_SOLVER_ERROR
    else:
        chosen, solver, exact_value = greedy_sites, SOLVER_GREEDY, None
    # A site that adds nobody (all in reach is covered already) is not worth proposing.
    sites = [s for s in _ranked(chosen, cover, weights, population) if s.gain > 0]
    return Solution(
        solver=solver,
        status=status,
        sites=sites,
        objective=sum(s.gain for s in sites),
        greedy_objective=greedy_value,
        greedy_sites=greedy_sites,
        exact_objective=exact_value,
        runtime_s=time.monotonic() - started,
        **base,
    )


def _value(chosen: list[int], cover: list[list[int]], weights: list[float]) -> float:
    covered: set[int] = set()
    for j in chosen:
        covered.update(cover[j])
    return sum(weights[i] for i in covered)
