"""Read functions for coverage: snapshots and the per-district overview."""

from __future__ import annotations

from django.contrib.gis.db.models.functions import AsGeoJSON
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from meetings.models import Meeting
from officers.models import Inspector
from servicepolice.api import geojson_annotation
from stations.models import District, FacilityStatus, ModularPost, Precinct, Station

from .models import CoverageSnapshot


def _count(model, *, path: str = "district", **filters) -> Subquery:
    """A correlated COUNT(*) of `model` rows of the outer district (no join fan-out)."""
    rows = (
        model.objects.filter(**{path: OuterRef("pk")}, **filters)
        .order_by()
        .values(path)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def coverage_overview() -> QuerySet[District]:
    """Districts with their snapshot and counts of operating facilities and active inspectors.

    Counts are subqueries: joining stations, posts and inspectors at once would multiply rows.
    The snapshot's heavy columns (per-precinct rows, the uncovered geometry) are not loaded.
    """
    return (
        District.objects.select_related("region", "coverage")
        .defer(
            "geom",
            "region__geom",
            "coverage__precincts",
            "coverage__uncovered",
            "coverage__settlements_beyond_radius",
        )
        .annotate(
            operating_stations=_count(Station, status=FacilityStatus.OPERATING),
            operating_posts=_count(ModularPost, status=FacilityStatus.OPERATING),
            active_inspectors_count=_count(
                Inspector, path="precinct__district", status=Inspector.Status.ACTIVE
            ),
            precinct_count=_count(Precinct),
        )
        .order_by("region__name", "name")
    )


def coverage_snapshot(*, district: District) -> CoverageSnapshot | None:
    return CoverageSnapshot.objects.filter(district=district).first()


def coverage_snapshot_for_api(*, district_id: int) -> CoverageSnapshot | None:
    """A district's snapshot with the district's name and code, and the uncovered area as
    GeoJSON text written by the database (6 decimals): no geometry is read into Python."""
    return (
        CoverageSnapshot.objects.filter(district_id=district_id)
        .select_related("district")
        .defer("district__geom")
        .annotate(**{geojson_annotation("uncovered"): AsGeoJSON("uncovered", precision=6)})
        .defer("uncovered")
        .first()
    )


# Pages: what the district and precinct pages read, each in a bounded number of queries.

NOT_YET_BUILT = (FacilityStatus.PLANNED, FacilityStatus.UNDER_CONSTRUCTION)


def district_detail(*, district_id: int) -> District | None:
    """A district with its region and its coverage snapshot (one query), or None."""
    return (
        District.objects.select_related("region", "coverage")
        .defer("region__geom", "coverage__uncovered")
        .filter(pk=district_id)
        .first()
    )


def facilities_not_built(*, district_id: int) -> list[Station | ModularPost]:
    """The district's planned and under-construction stations and posts, stations first."""
    stations = Station.objects.filter(district_id=district_id, status__in=NOT_YET_BUILT).order_by(
        "number"
    )
    posts = ModularPost.objects.filter(district_id=district_id, status__in=NOT_YET_BUILT).order_by(
        "name"
    )
    return [*stations, *posts]


def precinct_detail(*, precinct_id: int) -> Precinct | None:
    """A precinct with its district, region and the district's coverage snapshot, or None."""
    return (
        Precinct.objects.select_related("district__region", "district__coverage")
        .defer("district__geom", "district__region__geom", "district__coverage__uncovered")
        .filter(pk=precinct_id)
        .first()
    )


def precinct_facilities(*, precinct: Precinct) -> list[Station | ModularPost]:
    """Stations attached to the precinct or standing in it, and posts standing in it
    (closed ones left out), operating first."""
    stations = (
        Station.objects.filter(Q(precinct=precinct) | Q(geom__intersects=precinct.geom))
        .exclude(status=FacilityStatus.CLOSED)
        .order_by("number")
    )
    posts = (
        ModularPost.objects.filter(district_id=precinct.district_id, geom__intersects=precinct.geom)
        .exclude(status=FacilityStatus.CLOSED)
        .order_by("name")
    )
    facilities = [*stations, *posts]
    facilities.sort(key=lambda f: f.status != FacilityStatus.OPERATING)
    return facilities


def precinct_meetings(*, precinct_id: int, limit: int = 10) -> list[Meeting]:
    """The precinct's most recent meetings (planned ones included), newest first."""
    return list(
        Meeting.objects.filter(precinct_id=precinct_id)
        .select_related("inspector")
        .order_by("-scheduled_at")[:limit]
    )


def precinct_coverage_row(*, snapshot: CoverageSnapshot | None, precinct_id: int) -> dict | None:
    """The precinct's row of its district's coverage snapshot (no query)."""
    if snapshot is None:
        return None
    return next((row for row in snapshot.precincts if row.get("id") == precinct_id), None)
