"""servicepolice.geo: metres in UTM, never degrees; the same answer on every backend."""

import pytest
from django.contrib.gis.geos import GEOSGeometry, Point

from servicepolice import geo
from tests.factories import CENTRE_LAT, CENTRE_LON, square_ewkt


@pytest.mark.parametrize(
    ("lon", "lat", "srid"),
    [(51.914, 47.107, 32639), (76.83, 43.27, 32643), (80.227, 50.411, 32644), (82.6, 49.9, 32644)],
)
def test_utm_srid_picks_the_zone_of_the_point(lon, lat, srid):
    assert geo.utm_srid(lon, lat) == srid


def test_distance_is_in_metres():
    a = Point(CENTRE_LON, CENTRE_LAT, srid=4326)
    b = geo.offset_point(CENTRE_LON, CENTRE_LAT, 0, 800)
    assert geo.distance_m(a, b) == pytest.approx(800, abs=0.5)


def test_area_is_in_square_metres():
    square = GEOSGeometry(square_ewkt(CENTRE_LON, CENTRE_LAT, 0.5))  # about 1 km × 1 km
    assert geo.area_m2(square) == pytest.approx(1_000_000, rel=0.02)


def test_circle_has_the_radius_in_metres():
    disc = geo.circle(CENTRE_LON, CENTRE_LAT, 800)
    assert geo.area_m2(disc) == pytest.approx(3.14159 * 800**2, rel=0.01)


def test_in_kazakhstan():
    assert geo.in_kazakhstan(Point(CENTRE_LON, CENTRE_LAT, srid=4326))
    assert not geo.in_kazakhstan(Point(CENTRE_LAT, CENTRE_LON, srid=4326))  # swapped lat/lon
    assert not geo.in_kazakhstan(Point(37.6, 55.75, srid=4326))  # Moscow


def test_within_tolerance_just_inside_and_just_outside():
    district = GEOSGeometry(square_ewkt(CENTRE_LON, CENTRE_LAT, 1))  # edges 1 km from centre
    inside = geo.offset_point(CENTRE_LON, CENTRE_LAT, 1000 + 40, 0)
    outside = geo.offset_point(CENTRE_LON, CENTRE_LAT, 1000 + 60, 0)
    assert geo.within_tolerance(inside, district, 50)
    assert not geo.within_tolerance(outside, district, 50)


def test_polygon_within_tolerance():
    district = GEOSGeometry(square_ewkt(CENTRE_LON, CENTRE_LAT, 1))
    assert geo.within_tolerance(
        GEOSGeometry(square_ewkt(CENTRE_LON, CENTRE_LAT, 1.02)), district, 50
    )
    assert not geo.within_tolerance(
        GEOSGeometry(square_ewkt(CENTRE_LON, CENTRE_LAT, 1.2)), district, 50
    )


def test_invalid_reason_says_where():
    bowtie = GEOSGeometry("SRID=4326;POLYGON ((80 50, 81 51, 81 50, 80 51, 80 50))")
    reason = geo.invalid_reason(bowtie)
    assert reason.startswith("Self-intersection")
    assert "80.5" in reason


def test_as_multipolygon_promotes_polygons():
    poly = GEOSGeometry("SRID=4326;POLYGON ((80 50, 81 50, 81 51, 80 50))")
    multi = geo.as_multipolygon(poly)
    assert multi.geom_type == "MultiPolygon"
    assert multi.srid == 4326
