"""The MCLP core: exact against brute force, greedy's guarantee, fixed facilities, time limit."""

import itertools
import math
import random

import pytest

from planning import planner
from planning.planner import DemandPoint, Site


def instance(seed: int, demand: int = 40, candidates: int = 9, size: float = 4000.0):
    rng = random.Random(seed)
    points = []
    for _ in range(demand):
        people = rng.randint(1, 200)
        points.append(DemandPoint(rng.uniform(0, size), rng.uniform(0, size), people, people))
    sites = [Site(rng.uniform(0, size), rng.uniform(0, size)) for _ in range(candidates)]
    return points, sites


def brute_force(demand, candidates, fixed, radius, count) -> float:
    """The best newly covered demand over every subset of `count` candidates."""

    def near(d, s):
        return math.hypot(d.x - s.x, d.y - s.y) <= radius

    open_demand = [d for d in demand if not any(near(d, f) for f in fixed)]
    best = 0.0
    for subset in itertools.combinations(candidates, count):
        best = max(best, sum(d.weight for d in open_demand if any(near(d, s) for s in subset)))
    return best


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("count", [1, 2, 3])
def test_exact_equals_brute_force_and_greedy_within_guarantee(seed, count):
    demand, candidates = instance(seed)
    fixed = [Site(2000, 2000)]
    solution = planner.solve(
        demand=demand,
        candidates=candidates,
        fixed=fixed,
        radius_m=900,
        count=count,
        time_limit_s=20,
    )
    optimum = brute_force(demand, candidates, fixed, 900, count)
    assert solution.solver == planner.SOLVER_EXACT
    assert solution.status == planner.STATUS_OPTIMAL
    assert solution.objective == pytest.approx(optimum)
    assert solution.exact_objective == pytest.approx(optimum)
    assert len(solution.sites) == count
    assert solution.greedy_objective <= solution.objective + 1e-9
    assert solution.greedy_objective >= (1 - 1 / math.e) * solution.objective - 1e-9


def test_greedy_is_strictly_worse_on_a_classic_trap():
    # The middle site covers most at first, but the two side sites together cover more.
    demand = [
        DemandPoint(0, 0, 3, 3),
        DemandPoint(1000, 0, 3, 3),
        DemandPoint(2000, 0, 1, 1),
        DemandPoint(3000, 0, 3, 3),
        DemandPoint(4000, 0, 3, 3),
    ]
    candidates = [Site(2000, 0), Site(500, 0), Site(3500, 0)]
    solution = planner.solve(
        demand=demand, candidates=candidates, fixed=[], radius_m=1000, count=2, time_limit_s=20
    )
    assert solution.greedy_sites == [0, 1]
    assert solution.greedy_objective == 10
    assert solution.solver == planner.SOLVER_EXACT
    assert sorted(s.index for s in solution.sites) == [1, 2]
    assert solution.objective == 12 == brute_force(demand, candidates, [], 1000, 2)
    assert solution.greedy_objective >= (1 - 1 / math.e) * solution.objective


def test_sites_are_ranked_by_marginal_gain_with_residents_newly_covered():
    demand = [
        DemandPoint(0, 0, 100, 100),
        DemandPoint(100, 0, 50, 50),  # covered by both of the first two sites
        DemandPoint(5000, 0, 120, 120),
    ]
    candidates = [Site(0, 0), Site(100, 0), Site(5000, 0)]
    solution = planner.solve(
        demand=demand, candidates=candidates, fixed=[], radius_m=200, count=2, time_limit_s=20
    )
    assert [s.index for s in solution.sites] == [0, 2]
    assert [s.population for s in solution.sites] == [150, 120]
    gains = [s.gain for s in solution.sites]
    assert gains == sorted(gains, reverse=True)
    assert solution.objective == 270


def test_fixed_facilities_are_never_moved_nor_double_counted():
    demand = [DemandPoint(0, 0, 1000, 1000), DemandPoint(3000, 0, 10, 10)]
    # Candidate 0 sits on the fixed facility's crowd; it gains nothing there.
    candidates = [Site(50, 0), Site(3000, 0)]
    solution = planner.solve(
        demand=demand,
        candidates=candidates,
        fixed=[Site(0, 0)],
        radius_m=500,
        count=1,
        time_limit_s=20,
    )
    assert [s.index for s in solution.sites] == [1]
    assert solution.objective == 10
    assert solution.population_before == 1000
    assert solution.covered_before == 1000
    # The fixed facility is not among the chosen (they are candidates' indexes only).
    assert all(0 <= s.index < len(candidates) for s in solution.sites)
    assert solution.covered_before + solution.objective <= solution.demand_total


def test_all_demand_already_covered_gains_nothing():
    demand = [DemandPoint(0, 0, 500, 500)]
    solution = planner.solve(
        demand=demand,
        candidates=[Site(10, 0), Site(20, 0)],
        fixed=[Site(0, 0)],
        radius_m=300,
        count=1,
        time_limit_s=20,
    )
    assert solution.objective == 0
    assert solution.sites == []
    assert solution.population_before == 500


def test_too_short_time_limit_gives_greedy_labelled_as_such():
    demand, candidates = instance(3, demand=3000, candidates=800, size=20000)
    solution = planner.solve(
        demand=demand,
        candidates=candidates,
        fixed=[],
        radius_m=800,
        count=5,
        time_limit_s=0.001,
    )
    assert solution.solver == planner.SOLVER_GREEDY
    assert solution.status == planner.STATUS_TIME_LIMIT
    assert solution.exact_objective is None
    assert solution.objective == pytest.approx(solution.greedy_objective)
    assert sorted(s.index for s in solution.sites) == sorted(solution.greedy_sites)


def test_offence_weighting_changes_the_choice():
    # One site for two places far apart: by population the larger place wins; with its
    # offences per resident at half the other's, weighting turns the choice around.
    candidates = [Site(0, 0), Site(10000, 0)]

    def choose(weights):
        demand = [DemandPoint(0, 0, 1100, weights[0]), DemandPoint(10000, 0, 1000, weights[1])]
        solution = planner.solve(
            demand=demand, candidates=candidates, fixed=[], radius_m=300, count=1, time_limit_s=20
        )
        return solution.sites

    assert [s.index for s in choose((1100, 1000))] == [0]
    weighted = choose((1100 * 0.5, 1000 * 1.5))
    assert [s.index for s in weighted] == [1]
    assert weighted[0].population == 1000
    assert weighted[0].gain == 1500


def test_no_candidates():
    solution = planner.solve(
        demand=[DemandPoint(0, 0, 10, 10)],
        candidates=[],
        fixed=[],
        radius_m=300,
        count=3,
        time_limit_s=5,
    )
    assert solution.status == planner.STATUS_NO_CANDIDATES
    assert solution.sites == []


def test_covered_by_radius_just_inside_and_outside():
    points = [(0.0, 0.0), (799.9, 0.0), (800.1, 0.0)]
    assert planner.covered_by(points, [Site(0, 0)], 800) == {0, 1}


def test_cbc_stopping_without_a_proven_optimum_gives_greedy(monkeypatch):
    # CBC that stops on its time limit with a feasible but unproven answer (as it reports
    # "Stopped on time"): the plan is the greedy one, labelled as such.
    def stopped_on_time(self, solver=None, **kwargs):
        self.status = planner.pulp.LpStatusNotSolved
        self.sol_status = planner.pulp.LpSolutionIntegerFeasible
        return self.status

    monkeypatch.setattr(planner.pulp.LpProblem, "solve", stopped_on_time)
    demand, candidates = instance(5)
    solution = planner.solve(
        demand=demand, candidates=candidates, fixed=[], radius_m=900, count=2, time_limit_s=20
    )
    assert solution.solver == planner.SOLVER_GREEDY
    assert solution.status == planner.STATUS_TIME_LIMIT
    assert solution.exact_objective is None
    assert sorted(s.index for s in solution.sites) == sorted(solution.greedy_sites)


def test_solver_failure_gives_greedy_labelled_as_an_error(monkeypatch):
    def broken(self, solver=None, **kwargs):
        raise planner.pulp.PulpSolverError("cbc not found")

    monkeypatch.setattr(planner.pulp.LpProblem, "solve", broken)
    demand, candidates = instance(6)
    solution = planner.solve(
        demand=demand, candidates=candidates, fixed=[], radius_m=900, count=2, time_limit_s=20
    )
    assert (solution.solver, solution.status) == (
        planner.SOLVER_GREEDY,
        planner.STATUS_SOLVER_ERROR,
    )
    assert solution.objective == pytest.approx(solution.greedy_objective)
