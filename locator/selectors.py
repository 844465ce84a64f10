""" "Find my inspector": what serves a point, across territories, officers and meetings."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.gis.geos import Point
from django.db.models import Prefetch

from meetings.models import Meeting
from meetings.selectors import next_planned_meeting
from officers.models import Assistant, Inspector
from stations.models import Precinct
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
        .prefetch_related(Prefetch("assistants", queryset=Assistant.objects.order_by("last_name")))
        .order_by("-position", "last_name")
    )


def locate(*, point: Point) -> Location:
    """The precinct holding the point, its team, the 3 nearest operating facilities and the
    precinct's next planned meeting."""
    precinct = precinct_at(point)
    inspectors: list[Inspector] = []
    meeting = None
    if precinct is not None:
        inspectors = list(
            precinct_team(precinct_id=precinct.pk).filter(status=Inspector.Status.ACTIVE)
        )
        meeting = next_planned_meeting(precinct_id=precinct.pk)
    return Location(
        point=point,
        precinct=precinct,
        inspectors=inspectors,
        nearest=nearest_operating_facilities(point, count=3),
        next_meeting=meeting,
    )
