""" "Find my inspector": what serves a point, across territories, officers and meetings."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.gis.geos import GEOSGeometry, Point
from django.db import connection
from django.db.models import Prefetch
from django.utils import timezone

from meetings.models import Meeting
from meetings.selectors import next_planned_meeting
from officers.models import Assistant, Inspector
from servicepolice import geo
from servicepolice.db import instance_from_columns
from stations.models import District, Precinct, Region
from stations.selectors import NearbyFacility, nearest_operating_facilities, precinct_at


@dataclass
class Location:
    point: Point
    precinct: Precinct | None
    inspectors: list[Inspector]
    nearest: list[NearbyFacility]
    next_meeting: Meeting | None


def precinct_team(*, precinct_id: int):
    """The precinct's serving inspectors (active or on leave) with their assistants."""
    return (
        Inspector.objects.filter(precinct_id=precinct_id)
        .exclude(status=Inspector.Status.DISMISSED)
        .select_related("station")
        .prefetch_related(
            Prefetch("assistants", queryset=Assistant.objects.order_by("last_name", "id"))
        )
        .order_by("-position", "last_name", "id")
    )


def locate(*, point: Point) -> Location:
    """The precinct holding the point, its team, the 3 nearest operating facilities and the
    precinct's next planned meeting."""
    served = _served_postgis if geo.on_postgis() else _served
    precinct, inspectors, meeting = served(point)
    return Location(
        point=point,
        precinct=precinct,
        inspectors=inspectors,
        nearest=nearest_operating_facilities(point, count=3),
        next_meeting=meeting,
    )


def _served(point: Point) -> tuple[Precinct | None, list[Inspector], Meeting | None]:
    """The precinct holding the point, its active inspectors and its next planned meeting."""
    precinct = precinct_at(point)
    if precinct is None:
        return None, [], None
    inspectors = list(precinct_team(precinct_id=precinct.pk).filter(status=Inspector.Status.ACTIVE))
    return precinct, inspectors, next_planned_meeting(precinct_id=precinct.pk)


# PostGIS: the precinct (with its district's and region's names), its active inspectors with
# their assistants and its next planned meeting in one statement, the nearest facilities in a
# second one; rows are built from the columns the answer shows (the rest deferred), without the
# ORM's query compiler, which took most of the view's time (six queries). Same rows, same order
# as the portable path (`_served`) (tests/api/test_locate.py runs both).
_TERRITORY = ("id", "name", "name_kk", "kato")
_PRECINCT = ("id", "district_id", "number", "name", "population")
_INSPECTOR = (
    "id", "last_name", "first_name", "middle_name", "rank", "position", "precinct_id",
    "station_id", "photo", "service_phone", "messenger_url", "social_url", "reception_hours",
    "status",
)  # fmt: skip
_ASSISTANT = ("id", "inspector_id", "last_name", "first_name", "middle_name")
_MEETING = (
    "id", "created_at", "updated_at", "precinct_id", "inspector_id", "kind", "scheduled_at",
    "held_at", "place", "status", "cancel_reason", "attendees", "minutes",
)  # fmt: skip
_MEETING_TIMES = ("created_at", "updated_at", "scheduled_at", "held_at")


def _columns(alias: str, names) -> str:
    return ", ".join(f"{alias}.{name}" for name in names)


_LOCATE_SQL = f"""
SELECT {_columns("p", _PRECINCT)}, {_columns("d", _TERRITORY)}, d.region_id,
       {_columns("r", _TERRITORY)},
       (SELECT json_agg(i ORDER BY i.position DESC, i.last_name, i.id) FROM (
            SELECT {_columns("i", _INSPECTOR)}, (
                SELECT coalesce(json_agg(a ORDER BY a.last_name, a.id), '[]') FROM (
                    SELECT {_columns("a", _ASSISTANT)} FROM officers_assistant a
                    WHERE a.inspector_id = i.id) a) AS assistants
            FROM officers_inspector i WHERE i.precinct_id = p.id AND i.status = %s) i),
       (SELECT row_to_json(m) FROM (
            SELECT {_columns("m", _MEETING)},
                   encode(ST_AsEWKB(m.geom), 'hex') AS geom
            FROM meetings_meeting m
            WHERE m.precinct_id = p.id AND m.status = %s AND m.scheduled_at >= %s
            ORDER BY m.scheduled_at LIMIT 1) m)
FROM stations_precinct p
JOIN stations_district d ON d.id = p.district_id
JOIN stations_region r ON r.id = d.region_id
WHERE ST_Intersects(p.geom, ST_GeomFromEWKB(%s))
ORDER BY p.district_id, p.number LIMIT 1
"""


def _inspector(data: dict) -> Inspector:
    assistants = [instance_from_columns(Assistant, row) for row in data.pop("assistants")]
    inspector = instance_from_columns(Inspector, data)
    # As prefetch_related leaves them: inspector.assistants.all() reads no database.
    prefetched = inspector.assistants.all()
    prefetched._result_cache = assistants
    prefetched._prefetch_done = True
    inspector._prefetched_objects_cache = {"assistants": prefetched}
    return inspector


def _meeting(data: dict) -> Meeting:
    for name in _MEETING_TIMES:
        data[name] = Meeting._meta.get_field(name).to_python(data[name])
    data["geom"] = GEOSGeometry(data["geom"]) if data["geom"] else None
    return instance_from_columns(Meeting, data)


def _served_postgis(point: Point) -> tuple[Precinct | None, list[Inspector], Meeting | None]:
    params = [
        Inspector.Status.ACTIVE.value,
        Meeting.Status.PLANNED.value,
        timezone.now(),
        bytes(point.ewkb),
    ]
    with connection.cursor() as cursor:
        cursor.execute(_LOCATE_SQL, params)
        row = cursor.fetchone()
    if row is None:
        return None, [], None
    values = iter(row)
    precinct = instance_from_columns(Precinct, {name: next(values) for name in _PRECINCT})
    district = instance_from_columns(
        District, {name: next(values) for name in (*_TERRITORY, "region_id")}
    )
    district.region = instance_from_columns(Region, {name: next(values) for name in _TERRITORY})
    precinct.district = district
    inspectors = [_inspector(data) for data in next(values) or []]
    data = next(values)
    return precinct, inspectors, _meeting(data) if data else None
