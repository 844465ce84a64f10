"""The geo.py helpers imports and checks rely on: overlaps in m², the parent by largest
overlap, repairs, cached transformations."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import GEOSGeometry, LineString, Point

from servicepolice import geo
from tests.exchange.conftest import UTM, metric_box, metric_point


def test_overlap_in_square_metres():
    a = metric_box(0, 0, 1000, 1000)
    b = metric_box(600, 0, 2000, 1000)
    # The intersection is cut in degrees, its new corners a few cm off their metric place.
    assert geo.overlap_m2(a, b) == pytest.approx(400_000, rel=1e-4)
    assert geo.overlap_m2(a, metric_box(5000, 0, 6000, 1000)) == 0
    assert geo.overlap_m2(a, metric_box(1000, 0, 2000, 1000)) == 0  # touching: a line


def test_largest_overlap_picks_the_parent_and_says_how_much():
    index = geo.OverlapIndex(
        [("west", metric_box(-10_000, 0, 0, 10_000)), ("east", metric_box(0, 0, 10_000, 10_000))]
    )
    key, area, share = index.largest_overlap(metric_box(-3000, 0, 1000, 1000))
    assert key == "west"
    assert area == pytest.approx(3_000_000, rel=1e-4) and share == pytest.approx(0.75, rel=1e-4)
    assert index.largest_overlap(metric_box(2000, 2000, 3000, 3000))[1:] == (
        pytest.approx(1_000_000, rel=1e-6),
        1.0,
    )
    assert index.largest_overlap(metric_box(50_000, 0, 51_000, 1000)) == (None, 0.0, 0.0)
    assert index.covering(metric_point(-5, 5)) == "west"


def test_nearest_within_metres():
    index = geo.OverlapIndex([("d", metric_box(0, 0, 1000, 1000))])
    key, distance = index.nearest_within(metric_point(1030, 500), 50)
    assert key == "d" and distance == pytest.approx(30, abs=0.01)
    assert index.nearest_within(metric_point(1070, 500), 50) == (None, None)


def test_repaired_makes_a_bowtie_two_triangles():
    bowtie = GEOSGeometry("SRID=4326;POLYGON ((80 50, 80.1 50.1, 80.1 50, 80 50.1, 80 50))")
    fixed, reason = geo.repaired(bowtie)
    assert reason.startswith("Self-intersection")
    assert fixed.valid and fixed.geom_type == "MultiPolygon" and len(fixed) == 2
    square = metric_box(0, 0, 10, 10)
    assert geo.repaired(square) == (square, None)


def test_polygonal_part_of_a_line_is_empty():
    line = LineString((80, 50), (81, 50), srid=4326)
    assert geo.polygonal_part(line).empty


def test_transformed_gives_the_same_as_geos_and_keeps_the_srid():
    point = Point(80.227, 50.411, srid=4326)
    ours = geo.transformed(point, UTM)
    theirs = point.transform(UTM, clone=True)
    assert ours.srid == UTM and ours.distance(theirs) < 1e-6
    assert geo.transformed(ours, 4326).distance(point) < 1e-9
