"""Coverage on constructed geometries with known answers (metres in UTM, both backends)."""

import math

import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon

from reach.models import CoverageSnapshot
from reach.services import coverage_compute, coverage_recompute
from servicepolice import geo
from stations.models import District, Station
from stations.services import station_save
from tests.factories import (
    CENTRE_LAT,
    CENTRE_LON,
    DistrictFactory,
    InspectorFactory,
    ModularPostFactory,
    PrecinctFactory,
    SettlementFactory,
    StationFactory,
)

pytestmark = pytest.mark.django_db

R = 800.0


def metric_square(half_m: float, east_m: float = 0.0, north_m: float = 0.0) -> MultiPolygon:
    """A square of 2 × half_m metres (in the local UTM zone) around the centre, as 4326."""
    srid = geo.utm_srid(CENTRE_LON, CENTRE_LAT)
    c = Point(CENTRE_LON, CENTRE_LAT, srid=4326).transform(srid, clone=True)
    x, y = c.x + east_m, c.y + north_m
    ring = (
        (x - half_m, y - half_m),
        (x + half_m, y - half_m),
        (x + half_m, y + half_m),
        (x - half_m, y + half_m),
        (x - half_m, y - half_m),
    )
    square = Polygon(ring, srid=srid).transform(4326, clone=True)
    return geo.as_multipolygon(square)


def at(east_m: float, north_m: float = 0.0) -> Point:
    return geo.offset_point(CENTRE_LON, CENTRE_LAT, east_m, north_m)


@pytest.fixture
def square_district():
    """A 2 km square district with one 2 km square precinct of 10,000 residents, R = 800 m."""
    district = DistrictFactory(geom=metric_square(1000), coverage_radius_m=int(R), population=10000)
    PrecinctFactory(district=district, number=1, geom=metric_square(1000), population=10000)
    return district


def area(district: District) -> float:
    return geo.to_metric(district.geom, geo.utm_srid_for(district.geom)).area


def test_one_station_at_the_centre_covers_a_quarter_circle_share(square_district):
    StationFactory(district=square_district, geom=at(0))
    snapshot = coverage_compute(district=square_district)
    expected = math.pi * 0.8**2 / 4  # π·0.8² km² of a 4 km² square ≈ 50.3 %
    assert snapshot.covered_area_share == pytest.approx(expected, rel=0.005)
    assert snapshot.covered_population_share == pytest.approx(expected, rel=0.005)
    assert snapshot.covered_area_share == pytest.approx(
        math.pi * R**2 / area(square_district), rel=0.001
    )
    assert snapshot.radius_m == 800
    assert snapshot.population_method == CoverageSnapshot.PopulationMethod.AREA
    (row,) = snapshot.precincts
    assert row["covered_area_share"] == pytest.approx(expected, rel=0.005)
    assert row["facility_within_radius"] is True


def test_a_station_outside_the_district_covers_the_part_within_reach(square_district):
    other = DistrictFactory(geom=metric_square(1000, east_m=2000))
    StationFactory(district=other, geom=at(1500))  # 500 m east of the square's east edge
    snapshot = coverage_compute(district=square_district)
    d = 500.0
    segment = R**2 * math.acos(d / R) - d * math.sqrt(R**2 - d**2)
    assert snapshot.covered_area_m2 == pytest.approx(segment, rel=0.005)
    assert snapshot.facilities == 1


def test_overlapping_circles_are_not_counted_twice(square_district):
    StationFactory(district=square_district, geom=at(-200))
    ModularPostFactory(district=square_district, geom=at(200), round_the_clock=False)
    snapshot = coverage_compute(district=square_district)
    d = 400.0
    lens = 2 * R**2 * math.acos(d / (2 * R)) - (d / 2) * math.sqrt(4 * R**2 - d**2)
    union = 2 * math.pi * R**2 - lens
    assert snapshot.covered_area_m2 == pytest.approx(union, rel=0.005)
    assert snapshot.covered_area_m2 < 2 * math.pi * R**2


def test_closed_and_planned_facilities_cover_nothing(square_district):
    StationFactory(district=square_district, geom=at(0), status=Station.Status.PLANNED)
    StationFactory(
        district=square_district,
        geom=at(100),
        status=Station.Status.CLOSED,
        closed_on="2024-01-01",
    )
    ModularPostFactory(
        district=square_district, geom=at(0), status=Station.Status.UNDER_CONSTRUCTION
    )
    snapshot = coverage_compute(district=square_district)
    assert snapshot.covered_area_share == 0
    assert snapshot.facilities == 0
    assert snapshot.distance_median_m is None
    assert snapshot.precincts_without_facility == [snapshot.precincts[0]["id"]]


def test_settlements_just_inside_and_just_outside_the_radius(square_district):
    StationFactory(district=square_district, geom=at(0))
    SettlementFactory(district=square_district, name="Ближнее", population=300, geom=at(0, 790))
    SettlementFactory(district=square_district, name="Дальнее", population=100, geom=at(0, -810))
    snapshot = coverage_compute(district=square_district)
    assert snapshot.population_method == CoverageSnapshot.PopulationMethod.SETTLEMENTS
    assert snapshot.population == 400
    assert snapshot.covered_population_share == pytest.approx(0.75)
    assert [s["name"] for s in snapshot.settlements_beyond_radius] == ["Дальнее"]
    assert snapshot.settlements_beyond_radius[0]["distance_m"] == pytest.approx(810, abs=1)
    # Population-weighted: 300 residents at 790 m, 100 at 810 m.
    assert snapshot.distance_median_m == pytest.approx(790, abs=1)
    assert snapshot.distance_p90_m == pytest.approx(810, abs=1)


def test_night_coverage_counts_only_round_the_clock_facilities(square_district):
    StationFactory(district=square_district, geom=at(-500), round_the_clock=False)
    ModularPostFactory(district=square_district, geom=at(500), round_the_clock=True)
    snapshot = coverage_compute(district=square_district)
    assert snapshot.facilities == 2
    assert snapshot.night_facilities == 1
    assert snapshot.night_covered_area_share < snapshot.covered_area_share
    assert snapshot.night_distance_median_m > snapshot.distance_median_m


def test_vacancies_and_residents_per_inspector(square_district):
    staffed = PrecinctFactory(
        district=square_district, number=2, geom=metric_square(100), population=5000
    )
    InspectorFactory(precinct=staffed)
    InspectorFactory(precinct=staffed)
    InspectorFactory(precinct=staffed, status="on_leave")
    snapshot = coverage_compute(district=square_district)
    rows = {row["number"]: row for row in snapshot.precincts}
    assert rows[1]["vacancy"] is True and rows[1]["residents_per_inspector"] is None
    assert rows[2]["vacancy"] is False and rows[2]["residents_per_inspector"] == 2500
    assert snapshot.vacancies == [rows[1]["id"]]
    assert snapshot.active_inspectors == 2
    assert snapshot.residents_per_inspector == pytest.approx(15000 / 2)


def test_uncovered_area_is_the_rest_of_the_district(square_district):
    StationFactory(district=square_district, geom=at(0))
    snapshot = coverage_compute(district=square_district)
    uncovered_m2 = geo.area_m2(snapshot.uncovered)
    assert uncovered_m2 == pytest.approx(area(square_district) - math.pi * R**2, rel=0.005)
    assert snapshot.uncovered.srid == 4326
    assert snapshot.uncovered.valid


def test_distance_distribution_for_spread_population(square_district):
    StationFactory(district=square_district, geom=at(0))
    snapshot = coverage_compute(district=square_district)
    # Uniform over a 2 km square, distance to its centre: median ≈ 0.765·half-side... check
    # against brute force over a fine grid instead of a closed form.
    samples = sorted(math.hypot(x, y) for x in range(-995, 1000, 10) for y in range(-995, 1000, 10))
    assert snapshot.distance_median_m == pytest.approx(samples[len(samples) // 2], rel=0.02)
    assert snapshot.distance_p90_m == pytest.approx(samples[int(len(samples) * 0.9)], rel=0.02)


def test_default_radius_depends_on_the_district_kind(settings):
    urban = DistrictFactory(kind="urban")
    rural = DistrictFactory(kind="rural")
    assert urban.effective_radius_m == settings.COVERAGE_RADIUS_M["urban"] == 800
    assert rural.effective_radius_m == 5000
    rural.coverage_radius_m = 3000
    assert rural.effective_radius_m == 3000


def test_recompute_stores_one_snapshot_and_edits_update_it(
    square_district, django_capture_on_commit_callbacks
):
    first = coverage_recompute(district=square_district)
    assert first.covered_area_share == 0
    with django_capture_on_commit_callbacks(execute=True):
        station = StationFactory.build(district=square_district, geom=at(0))
        station_save(station=station)
    snapshot = CoverageSnapshot.objects.get(district=square_district)
    assert CoverageSnapshot.objects.count() == 1
    assert snapshot.covered_area_share == pytest.approx(math.pi * 0.8**2 / 4, rel=0.005)
    assert snapshot.computed_at >= first.computed_at
    with django_capture_on_commit_callbacks(execute=True):
        station.status = Station.Status.CLOSED
        station.closed_on = "2026-01-01"
        station.opened_on = None
        station_save(station=station)
    assert CoverageSnapshot.objects.get(district=square_district).covered_area_share == 0


def test_changing_the_radius_recomputes(square_district, django_capture_on_commit_callbacks):
    StationFactory(district=square_district, geom=at(0))
    with django_capture_on_commit_callbacks(execute=True):
        square_district.coverage_radius_m = 400
        square_district.save()
    snapshot = CoverageSnapshot.objects.get(district=square_district)
    assert snapshot.radius_m == 400
    assert snapshot.covered_area_m2 == pytest.approx(math.pi * 400**2, rel=0.005)
