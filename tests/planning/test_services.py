"""The planner on the database: demand, candidates, exclusions, weighting, saving, building."""

import datetime

import pytest
from django.contrib.gis.geos import GEOSGeometry
from django.core.exceptions import ValidationError

from planning import services
from planning.models import (
    CandidateSite,
    FacilityKind,
    OffenceCategory,
    SitingPlan,
    SitingPlanSite,
)
from servicepolice import geo
from stations.models import FacilityStatus, ModularPost, Station
from tests.factories import (
    CENTRE_LAT,
    CENTRE_LON,
    KM_LON,
    CandidateSiteFactory,
    OffenceCountFactory,
    PrecinctFactory,
    SettlementFactory,
    StationFactory,
    point_ewkt,
    precinct_cell,
)

pytestmark = pytest.mark.django_db


def point(lon, lat):
    return GEOSGeometry(point_ewkt(lon, lat))


def params(district, **kwargs):
    values = dict(
        district=district,
        facility_kind=FacilityKind.STATION,
        new_sites=1,
        radius_m=800,
        time_limit_s=20,
        min_distance_m=300,
    )
    values.update(kwargs)
    return services.PlanInput(**values)


@pytest.fixture
def two_precincts(district):
    first = PrecinctFactory(district=district, number=1, population=7000)
    second = PrecinctFactory(district=district, number=8, population=6000)
    a = CandidateSiteFactory(district=district, name="A", geom=point(*precinct_cell(0)))
    b = CandidateSiteFactory(district=district, name="B", geom=point(*precinct_cell(7)))
    return first, second, a, b


def test_plan_by_population_picks_the_larger_precinct_and_saves_it(two_precincts, superuser):
    first, second, a, b = two_precincts
    plan = services.siting_plan_run(params=params(first.district), author=superuser)
    plan.refresh_from_db()
    assert plan.author == superuser
    assert plan.solver == SitingPlan.Solver.EXACT
    assert plan.solver_status == SitingPlan.SolverStatus.OPTIMAL
    sites = list(plan.sites.all())
    assert [s.candidate for s in sites] == [a]
    assert sites[0].rank == 1
    assert sites[0].source == SitingPlanSite.Source.CANDIDATE
    # The 800 m circle around the centre of a 1 km square precinct holds all of it (the
    # corners are 707 m away): its 7,000 residents.
    assert sites[0].newly_covered_population == pytest.approx(7000)
    assert plan.metrics["before"]["covered_population"] == 0
    assert plan.metrics["after"]["covered_population"] == pytest.approx(
        sites[0].newly_covered_population, abs=1
    )
    assert plan.metrics["population"] == 13000
    assert plan.metrics["population_method"] == "area"
    assert (
        plan.metrics["after"]["covered_area_share"] > plan.metrics["before"]["covered_area_share"]
    )


def test_offence_weighting_moves_the_site_to_the_troubled_precinct(two_precincts):
    first, second, a, b = two_precincts
    total = OffenceCategory.objects.get(code="total")
    for month in range(1, 13):
        OffenceCountFactory(
            district=first.district,
            precinct=first,
            category=total,
            month=datetime.date(2025, month, 1),
            count=1,
        )
        OffenceCountFactory(
            district=first.district,
            precinct=second,
            category=total,
            month=datetime.date(2025, month, 1),
            count=20,
        )
    unweighted = services.siting_plan_run(params=params(first.district, offence_weight=0))
    weighted = services.siting_plan_run(params=params(first.district, offence_weight=1))
    assert [s.candidate for s in unweighted.sites.all()] == [a]
    assert [s.candidate for s in weighted.sites.all()] == [b]
    # Residents newly covered stay residents; the gain is weighted demand.
    site = weighted.sites.get()
    assert site.newly_covered_population < 6000 + 1
    assert site.gain > site.newly_covered_population


def test_candidates_outside_or_near_an_operating_facility_are_excluded(two_precincts):
    first, second, a, b = two_precincts
    district = first.district
    # An operating station 100 m from A: A is excluded (min distance 300 m); B remains.
    lon, lat = precinct_cell(0)
    StationFactory(district=district, geom=point(lon + 0.1 * KM_LON, lat))
    # A planned station next to B does not exclude it (only operating ones are fixed).
    StationFactory(
        district=district,
        geom=point(*precinct_cell(7)),
        status=FacilityStatus.PLANNED,
        opened_on=None,
    )
    # A site outside the district (saved before its boundary changed: no model validation).
    outside = CandidateSite.objects.create(
        district=district, name="За границей", geom=point(CENTRE_LON + 0.5, CENTRE_LAT)
    )
    plan = services.siting_plan_run(params=params(district, new_sites=3))
    assert plan.metrics["excluded_outside_district"] == 1
    assert plan.metrics["excluded_near_facility"] == 1
    assert plan.metrics["candidates"] == 1
    assert [s.candidate for s in plan.sites.all()] == [b]
    assert outside not in [s.candidate for s in plan.sites.all()]


def test_existing_facility_is_fixed_and_its_residents_not_counted_again(two_precincts):
    first, second, a, b = two_precincts
    district = first.district
    station = StationFactory(district=district, geom=point(*precinct_cell(0)))
    before = (station.geom.coords, station.status)
    plan = services.siting_plan_run(params=params(district, new_sites=1, min_distance_m=0))
    # A sits on the station: it would add nothing, so B is chosen though A's precinct is larger.
    assert [s.candidate for s in plan.sites.all()] == [b]
    assert plan.metrics["existing_facilities"] == 1
    assert plan.metrics["before"]["covered_population"] > 6000
    assert plan.metrics["after"]["covered_population"] == pytest.approx(
        plan.metrics["before"]["covered_population"] + plan.sites.get().newly_covered_population,
        abs=1,
    )
    station.refresh_from_db()
    assert (station.geom.coords, station.status) == before
    assert Station.objects.count() == 1


def test_settlements_are_the_demand_where_the_district_has_them(district):
    PrecinctFactory(district=district, number=1)
    near = SettlementFactory(district=district, population=500, geom=point(CENTRE_LON, CENTRE_LAT))
    SettlementFactory(district=district, population=300, geom=point(CENTRE_LON + 0.03, CENTRE_LAT))
    CandidateSiteFactory(district=district, geom=point(CENTRE_LON + 0.001, CENTRE_LAT))
    plan = services.siting_plan_run(params=params(district))
    assert plan.metrics["population_method"] == "settlements"
    assert plan.metrics["demand_points"] == 2
    assert plan.sites.get().newly_covered_population == near.population


def test_grid_candidates_lie_inside_the_district(district):
    PrecinctFactory(district=district, number=1)
    plan = services.siting_plan_run(
        params=params(
            district, use_candidate_sites=False, use_grid=True, grid_spacing_m=1000, new_sites=2
        )
    )
    assert plan.metrics["candidates"] == pytest.approx(100, abs=10)
    sites = list(plan.sites.all())
    # One grid point near the centre of the only populated 1 km precinct reaches all of it:
    # a second site would add nobody, so it is not proposed.
    assert len(sites) == 1
    assert sites[0].newly_covered_population == pytest.approx(6000)
    assert all(s.source == SitingPlanSite.Source.GRID for s in sites)
    assert all(geo.within_tolerance(s.geom, district.geom, 0) for s in sites)
    # The best grid point is within the only populated precinct's reach.
    assert geo.distance_m(sites[0].geom, point(*precinct_cell(0))) < 800


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"new_sites": 0}, "new_sites"),
        ({"radius_m": 10}, "radius_m"),
        ({"offence_weight": 1.5}, "offence_weight"),
        ({"time_limit_s": 0}, "time_limit_s"),
        ({"use_candidate_sites": False, "use_grid": False}, "use_candidate_sites"),
        ({"use_grid": True, "grid_spacing_m": 50}, "grid_spacing_m"),
    ],
)
def test_bad_parameters_name_the_field_and_save_nothing(district, changes, field):
    PrecinctFactory(district=district, number=1)
    with pytest.raises(ValidationError) as caught:
        services.siting_plan_run(params=params(district, **changes))
    assert field in caught.value.message_dict
    assert SitingPlan.objects.count() == 0


def test_too_short_time_limit_gives_greedy_saved_as_such(district):
    for n in range(16):
        PrecinctFactory(district=district, number=n + 1, population=1000 + 37 * n)
    plan = services.siting_plan_run(
        params=params(
            district,
            use_grid=True,
            grid_spacing_m=300,
            new_sites=5,
            time_limit_s=0.001,
            radius_m=500,
        )
    )
    assert plan.solver == SitingPlan.Solver.GREEDY
    assert plan.solver_status == SitingPlan.SolverStatus.TIME_LIMIT
    assert plan.exact_objective is None
    assert plan.objective == pytest.approx(plan.greedy_objective, abs=0.01)
    assert plan.sites.count() == 5


def test_build_turns_a_plan_into_planned_stations_once(two_precincts):
    first, second, a, b = two_precincts
    plan = services.siting_plan_run(params=params(first.district, new_sites=2))
    created = services.siting_plan_build(plan=plan)
    assert len(created) == 2
    assert {s.status for s in Station.objects.all()} == {FacilityStatus.PLANNED}
    ranks = {s.rank: s for s in plan.sites.all()}
    assert ranks[1].station.number == f"П{plan.pk}-1"
    assert ranks[1].station.precinct in (first, second)
    assert ranks[1].station.geom.equals_exact(ranks[1].geom, 1e-9)
    with pytest.raises(ValidationError):
        services.siting_plan_build(plan=plan)
    assert Station.objects.count() == 2


def test_build_posts(two_precincts):
    first, second, a, b = two_precincts
    plan = services.siting_plan_run(
        params=params(first.district, new_sites=1, facility_kind=FacilityKind.POST)
    )
    services.siting_plan_build(plan=plan)
    post = ModularPost.objects.get()
    assert post.status == FacilityStatus.PLANNED
    assert plan.sites.get().post == post
