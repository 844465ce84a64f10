"""Read functions for territories and facilities."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.geos import Point
from django.db.models import QuerySet

from servicepolice import geo

from .models import District, ModularPost, Precinct, Region, Settlement, Station


def region_list() -> QuerySet[Region]:
    return Region.objects.all()


def district_list() -> QuerySet[District]:
    return District.objects.select_related("region")


def precinct_list() -> QuerySet[Precinct]:
    return Precinct.objects.select_related("district")


def settlement_list() -> QuerySet[Settlement]:
    return Settlement.objects.select_related("district")


def station_list() -> QuerySet[Station]:
    return Station.objects.select_related("district", "precinct")


def modular_post_list() -> QuerySet[ModularPost]:
    return ModularPost.objects.select_related("district")


def precinct_at(point: Point) -> Precinct | None:
    """The precinct whose polygon holds the point (on a shared border: the lowest number)."""
    return (
        Precinct.objects.select_related("district__region")
        .filter(geom__intersects=point)
        .order_by("district_id", "number")
        .first()
    )


@dataclass(frozen=True)
class NearbyFacility:
    facility: Station | ModularPost
    distance_m: float


def nearest_operating_facilities(point: Point, *, count: int = 3) -> list[NearbyFacility]:
    """The `count` operating stations and posts nearest to a point, with geodesic metres.

    Portable on SpatiaLite and PostGIS: candidates come from a bounding box that grows until
    `count` of them lie within the box's inscribed radius, so none outside it can be nearer;
    each candidate's distance is the database's geodesic `Distance` on the WGS 84 ellipsoid.
    """
    radius_m = 2_000.0
    found: list[NearbyFacility] = []
    while True:
        box = geo.expand_bbox(point.extent, radius_m)
        found = []
        for queryset in (
            Station.objects.operating().select_related("district"),
            ModularPost.objects.operating().select_related("district"),
        ):
            # spheroid=True: on the ellipsoid on both backends (PostGIS ST_DistanceSpheroid,
            # SpatiaLite's ellipsoidal ST_Distance), not on a sphere, which is off by up to 0.5 %.
            for facility in queryset.filter(geom__bboverlaps=box).annotate(
                distance=Distance("geom", point, spheroid=True)
            ):
                found.append(NearbyFacility(facility, float(facility.distance.m)))
        found.sort(key=lambda item: (item.distance_m, item.facility.pk))
        within = [item for item in found if item.distance_m <= radius_m]
        if len(within) >= count or radius_m >= 5_000_000:
            return (within if len(within) >= count else found)[:count]
        radius_m *= 4
