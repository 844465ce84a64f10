"""Read functions for territories and facilities."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.geos import GEOSGeometry, Point
from django.db import connection
from django.db.models import QuerySet

from servicepolice import geo
from servicepolice.db import instance_from_columns

from .models import (
    District,
    FacilityStatus,
    ModularPost,
    Precinct,
    Region,
    Settlement,
    Station,
)


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


# The geography index ranks by distance on a sphere, which differs from the geodesic distance on
# the ellipsoid by under 0.6 %. With r the sphere distance of the count-th nearest facility,
# every one of the true `count` nearest lies within r × 1.02 on the sphere.
KNN_SPHERE_MARGIN = 1.02


def nearest_operating_facilities(point: Point, *, count: int = 3) -> list[NearbyFacility]:
    """The `count` operating stations and posts nearest to a point, with geodesic metres.

    Each distance is the database's geodesic `Distance` on the WGS 84 ellipsoid. On PostGIS the
    candidates come from the geography index (`_nearest_by_index`), elsewhere from a growing box
    (`_nearest_in_box`). Both give the same answer.
    """
    if geo.on_postgis():
        return _nearest_by_index(point, count)
    return _nearest_in_box(point, count)


def _candidates(model, point: Point):
    # spheroid=True: on the ellipsoid on both backends (PostGIS ST_DistanceSpheroid,
    # SpatiaLite's ellipsoidal ST_Distance), not on a sphere, which is off by up to 0.5 %.
    # No ordering here (the default one joins the district): the caller sorts by distance.
    return (
        model.objects.operating()
        .annotate(distance=Distance("geom", point, spheroid=True))
        .order_by()
    )


# Columns a nearby facility shows (locator.serializers.NearbyFacilitySerializer); the others are
# left deferred. Stations have a number and reception hours, posts neither.
_NEAR_COMMON = ("id", "name", "address", "phone", "round_the_clock", "district_id")
_NEAR_STATION_ONLY = ("number", "reception_hours")


def _near_sql(model, extra: str) -> str:
    """One table's candidates: operating facilities within KNN_SPHERE_MARGIN of the count-th
    nearest by the geography index (infinity when there are fewer), with their geodesic
    distance, computed as Django's Distance(spheroid=True) computes it."""
    table = model._meta.db_table
    columns = ", ".join(f"t.{c}" for c in _NEAR_COMMON)
    return (
        f"SELECT %s AS kind, {columns}, {extra}, t.geom::bytea AS geom, "
        f"ST_DistanceSpheroid(t.geom, ST_GeomFromEWKB(%s), "
        f"'SPHEROID[\"WGS 84\",6378137.0,298.257223563]') AS distance "
        f"FROM {table} t WHERE t.status = %s AND ST_DWithin(t.geom::geography, "
        f"ST_GeogFromText(%s), coalesce((SELECT geom::geography <-> ST_GeogFromText(%s) "
        f"FROM {table} WHERE status = %s ORDER BY geom::geography <-> ST_GeogFromText(%s) "
        f"LIMIT 1 OFFSET %s) * %s, 'Infinity'), false)"
    )


_NEAR_SQL = (
    _near_sql(Station, "t.number, t.reception_hours")
    + " UNION ALL "
    + _near_sql(ModularPost, "NULL, NULL")
)


def _nearest_by_index(point: Point, count: int) -> list[NearbyFacility]:
    """The nearest facilities by the geography GiST indexes (stations migration 0003): for each
    table, the candidates within KNN_SPHERE_MARGIN of its count-th nearest; both tables in one
    statement, rows built without the ORM's query compiler (this is most of /locate/'s time)."""
    target = f"SRID={geo.WGS84};POINT({point.x!r} {point.y!r})"
    ewkb = bytes(point.ewkb)
    params: list = []
    for kind in ("station", "post"):
        status = FacilityStatus.OPERATING.value
        params += [kind, ewkb, status, target, target, status, target, count - 1]
        params.append(KNN_SPHERE_MARGIN)
    found: list[NearbyFacility] = []
    with connection.cursor() as cursor:
        cursor.execute(_NEAR_SQL, params)
        rows = cursor.fetchall()
    for kind, *values in rows:
        model = Station if kind == "station" else ModularPost
        names = _NEAR_COMMON + _NEAR_STATION_ONLY + ("geom",)
        known = dict(zip(names, values, strict=False))
        known["geom"] = GEOSGeometry(memoryview(known["geom"]))
        found.append(NearbyFacility(instance_from_columns(model, known), float(values[-1])))
    found.sort(key=lambda item: (item.distance_m, item.facility.pk))
    return found[:count]


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
