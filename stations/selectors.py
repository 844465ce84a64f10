"""Read functions for territories and facilities."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.geos import Point
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from servicepolice import geo

from .models import District, ModularPost, Precinct, Region, Settlement, Station


def region_list() -> QuerySet[Region]:
    return Region.objects.all()


def district_list() -> QuerySet[District]:
    # The region's outline is joined for its KATO code only: leave its geometry behind.
    return District.objects.select_related("region").defer("region__geom")


def precinct_list() -> QuerySet[Precinct]:
    return Precinct.objects.select_related("district").defer("district__geom")


def settlement_list() -> QuerySet[Settlement]:
    return Settlement.objects.select_related("district").defer("district__geom")


def station_list() -> QuerySet[Station]:
    return Station.objects.select_related("district", "precinct").defer(
        "district__geom", "precinct__geom"
    )


def modular_post_list() -> QuerySet[ModularPost]:
    return ModularPost.objects.select_related("district").defer("district__geom")


def precinct_at(point: Point) -> Precinct | None:
    """The precinct whose polygon holds the point (on a shared border: the lowest number), with
    its district and region (their outlines left in the database: only names are needed)."""
    return (
        Precinct.objects.select_related("district__region")
        .defer("geom", "district__geom", "district__region__geom")
        .filter(geom__intersects=point)
        .order_by("district_id", "number")
        .first()
    )


@dataclass(frozen=True)
class NearbyFacility:
    facility: Station | ModularPost
    distance_m: float


# PostGIS: candidates per table taken from the geography index (nearest first, on a sphere).
KNN_CANDIDATES = 8
# The index ranks by distance on a sphere, which differs from the geodesic distance on the
# ellipsoid by under 0.6 %: a facility the index puts farther than the last candidate cannot be
# nearer than that distance less 1 %.
KNN_SPHERE_ERROR = 0.01


def nearest_operating_facilities(point: Point, *, count: int = 3) -> list[NearbyFacility]:
    """The `count` operating stations and posts nearest to a point, with geodesic metres.

    Each distance is the database's geodesic `Distance` on the WGS 84 ellipsoid. On PostGIS the
    candidates come from the geography index (`_nearest_by_index`); otherwise, or when the index
    cannot prove its answer, from a growing box (`_nearest_in_box`). Both give the same answer.
    """
    if geo.on_postgis():
        found = _nearest_by_index(point, count)
        if found is not None:
            return found
    return _nearest_in_box(point, count)


def _candidates(model, point: Point):
    # spheroid=True: on the ellipsoid on both backends (PostGIS ST_DistanceSpheroid,
    # SpatiaLite's ellipsoidal ST_Distance), not on a sphere, which is off by up to 0.5 %.
    return model.objects.operating().annotate(distance=Distance("geom", point, spheroid=True))


def _nearest_by_index(point: Point, count: int) -> list[NearbyFacility] | None:
    """The nearest facilities from the geography GiST indexes (stations migration 0003), or
    None when a facility beyond the candidates could still be nearer on the ellipsoid."""
    found: list[NearbyFacility] = []
    bound = math.inf
    target = f"SRID={geo.WGS84};POINT({point.x!r} {point.y!r})"
    for model in (Station, ModularPost):
        column = f'"{model._meta.db_table}"."geom"'
        knn = RawSQL(f"{column}::geography <-> ST_GeogFromText(%s)", (target,))
        rows = list(_candidates(model, point).annotate(knn=knn).order_by("knn")[:KNN_CANDIDATES])
        found += [NearbyFacility(row, float(row.distance.m)) for row in rows]
        if len(rows) == KNN_CANDIDATES:
            bound = min(bound, rows[-1].knn * (1 - KNN_SPHERE_ERROR))
    found.sort(key=lambda item: (item.distance_m, item.facility.pk))
    best = found[:count]
    if best and best[-1].distance_m >= bound:
        return None
    return best


def _nearest_in_box(point: Point, count: int) -> list[NearbyFacility]:
    """Candidates from a bounding box that grows until `count` of them lie within the box's
    inscribed radius, so none outside it can be nearer."""
    radius_m = 2_000.0
    found: list[NearbyFacility] = []
    while True:
        box = geo.expand_bbox(point.extent, radius_m)
        found = []
        for model in (Station, ModularPost):
            for facility in _candidates(model, point).filter(geom__bboverlaps=box):
                found.append(NearbyFacility(facility, float(facility.distance.m)))
        found.sort(key=lambda item: (item.distance_m, item.facility.pk))
        within = [item for item in found if item.distance_m <= radius_m]
        if len(within) >= count or radius_m >= 5_000_000:
            return (within if len(within) >= count else found)[:count]
        radius_m *= 4
