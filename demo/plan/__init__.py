"""The demo data set as plain objects built from `demo.data`: no database; same day, same set.

Territory, facilities and officers come from one `random.Random(SEED)` and do not depend on
the date; meetings do (see `meetings`).
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.contrib.gis.geos import MultiPolygon, Point

from .. import data
from .calendar import TZ, quarter_of, quarter_start, shift_quarter
from .grid import Grid, bbox_polygon
from .meetings import MeetingPlan, SuggestionPlan, build_meetings
from .officers import AssistantPlan, InspectorPlan, build_inspectors
from .territory import (
    DistrictPlan,
    FacilityPlan,
    PrecinctPlan,
    build_district,
    build_post,
    build_station,
    settlement_point,
)

__all__ = [
    "TZ",
    "AssistantPlan",
    "DemoPlan",
    "DistrictPlan",
    "FacilityPlan",
    "InspectorPlan",
    "MeetingPlan",
    "PrecinctPlan",
    "SuggestionPlan",
    "build_plan",
    "quarter_of",
    "quarter_start",
    "shift_quarter",
]


@dataclass
class DemoPlan:
    regions: list[tuple[data.RegionSpec, MultiPolygon]]
    districts: list[DistrictPlan]
    settlements: list[tuple[data.SettlementSpec, Point]]
    stations: list[FacilityPlan]
    posts: list[FacilityPlan]
    inspectors: list[InspectorPlan]
    meetings: list[MeetingPlan]


def build_plan(*, today: datetime.date) -> DemoPlan:
    """The whole data set for a given day (Asia/Almaty)."""
    rng = random.Random(data.SEED)
    regions = [(spec, bbox_polygon(spec.bbox)) for spec in data.REGIONS]
    settlements: list[tuple[data.SettlementSpec, Point]] = []
    districts = []
    for spec in data.DISTRICTS:
        grid = Grid.around(spec.centre, spec.size_km, spec.grid)
        own = [(s, settlement_point(spec, s)) for s in data.SETTLEMENTS if s.district == spec.key]
        settlements += own
        districts.append(build_district(rng, spec, grid, own))
    by_key = {d.spec.key: d for d in districts}
    stations = [build_station(rng, by_key[s.district], s, settlements) for s in data.STATIONS]
    posts = [build_post(rng, by_key[p.district], p) for p in data.POSTS]
    for st in stations:
        if st.spec.status == data.OPERATING:
            precinct = by_key[st.district].precincts[st.spec.precinct - 1]
            precinct.station = precinct.station or st.spec.number
    inspectors = build_inspectors(rng, districts, today)
    meetings = build_meetings(districts, stations, settlements, today)
    return DemoPlan(regions, districts, settlements, stations, posts, inspectors, meetings)
