"""What the benchmark measures, and the budgets each measurement must meet (issue 9).

Budgets are medians with one client, end to end over HTTP through gunicorn (2 workers) on a
2-core machine with PostGIS. Besides its own budget, an endpoint whose bare SQL takes 5 ms or
more must stay within twice that SQL's time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

RATIO_MAX = 2.0  # endpoint / bare SQL, where the SQL takes at least RATIO_FROM_MS
RATIO_FROM_MS = 5.0
WORKER_RSS_MAX_MB = 300.0
OVERVIEW_GZIP_MAX_BYTES = 500 * 1024
LOCATE_CHECK_POINTS = 1000
COVERAGE_DISTRICT_MS = 250.0
COVERAGE_COUNTRY_S = 30.0
# A list page "5,000 rows deep".
DEEP_OFFSET = 5000


def tolerance_m(zoom: int, lat: float = 48.0) -> int:
    """The simplification the map pages ask for at a zoom: about one pixel, in metres."""
    return round(40075016.686 * math.cos(math.radians(lat)) / 2 ** (zoom + 8))


OVERVIEW_ZOOM = 5  # the national map opens at zoom 5 (LEAFLET_CONFIG)
REGION_ZOOM = 7


@dataclass
class Endpoint:
    name: str
    group: str
    budget_ms: float
    description: str
    admin: bool = False  # needs the logged-in staff session
    paths: list[str] = field(default_factory=list)
    sql: str | None = None  # name of the bare-SQL floor in bench.floors
    sql_args: list[tuple] = field(default_factory=list)  # one tuple of parameters per path


ENDPOINTS: tuple[tuple[str, str, float, str], ...] = (
    ("district_precincts", "district map layers", 25, "a district's precincts, GeoJSON"),
    ("district_stations", "district map layers", 25, "a district's stations, GeoJSON"),
    ("district_posts", "district map layers", 25, "a district's modular posts, GeoJSON"),
    ("district_settlements", "district map layers", 25, "a district's settlements, GeoJSON"),
    ("district_coverage", "district map layers", 25, "a district's coverage snapshot"),
    ("national_overview", "overview", 50, "all districts simplified, GeoJSON (zoom 5)"),
    ("region_precincts", "overview", 50, "one region's precincts simplified, GeoJSON (zoom 7)"),
    ("locate", "locate", 10, "/locate/ at random points"),
    ("stations_first", "lists", 20, "stations, status=operating, first page"),
    ("stations_deep", "lists", 30, "stations, last page (fewer than 5,000 rows)"),
    ("inspectors_first", "lists", 20, "inspectors, status=active, first page"),
    ("inspectors_deep", "lists", 30, "inspectors, status=active, 5,000 rows deep"),
    ("meetings_first", "lists", 20, "held quarterly report meetings, first page"),
    ("meetings_deep", "lists", 30, "held quarterly report meetings, 5,000 rows deep"),
    ("admin_inspectors", "admin", 150, "admin changelist of inspectors"),
    ("admin_meetings", "admin", 150, "admin changelist of meetings"),
)


def build_endpoints(ctx: dict) -> list[Endpoint]:
    """The endpoints with their paths (rotating over the sample districts, regions and points
    in `ctx`) and the parameters of their bare-SQL floors."""
    found = []
    for name, group, budget, description in ENDPOINTS:
        found.append(
            Endpoint(
                name=name,
                group=group,
                budget_ms=budget,
                description=description,
                admin=name.startswith("admin_"),
            )
        )
    by_name = {e.name: e for e in found}
    layers = {
        "district_precincts": "precincts",
        "district_stations": "stations",
        "district_posts": "posts",
        "district_settlements": "settlements",
    }
    for name, resource in layers.items():
        e = by_name[name]
        e.paths = [
            f"/api/v1/{resource}/?district={d}&format=geojson&limit=500" for d in ctx["districts"]
        ]
        e.sql = name
        e.sql_args = [(d,) for d in ctx["districts"]]
    e = by_name["district_coverage"]
    e.paths = [f"/api/v1/districts/{d}/coverage/" for d in ctx["districts"]]
    e.sql, e.sql_args = "district_coverage", [(d,) for d in ctx["districts"]]
    overview = tolerance_m(OVERVIEW_ZOOM)
    e = by_name["national_overview"]
    e.paths = [f"/api/v1/districts/?format=geojson&limit=500&simplify={overview}"]
    e.sql, e.sql_args = "national_overview", [(overview,)]
    region = tolerance_m(REGION_ZOOM)
    e = by_name["region_precincts"]
    e.paths = [
        f"/api/v1/precincts/?region={r}&format=geojson&limit=500&simplify={region}"
        for r in ctx["regions"]
    ]
    e.sql, e.sql_args = "region_precincts", [(r, region) for r in ctx["regions"]]
    e = by_name["locate"]
    e.paths = [f"/api/v1/locate/?lat={lat}&lon={lon}" for lon, lat in ctx["points"]]
    e.sql, e.sql_args = "locate", list(ctx["points"])
    lists = {
        "stations_first": ("stations", "status=operating", 0),
        "stations_deep": ("stations", "", ctx["stations_deep_offset"]),
        "inspectors_first": ("inspectors", "status=active", 0),
        "inspectors_deep": ("inspectors", "status=active", DEEP_OFFSET),
        "meetings_first": ("meetings", "status=held&kind=quarterly_report", 0),
        "meetings_deep": ("meetings", "status=held&kind=quarterly_report", DEEP_OFFSET),
    }
    for name, (resource, query, offset) in lists.items():
        e = by_name[name]
        params = "&".join(p for p in (query, f"offset={offset}" if offset else "") if p)
        e.paths = [f"/api/v1/{resource}/" + (f"?{params}" if params else "")]
        e.sql = name
        e.sql_args = [(offset,)]
    by_name["admin_inspectors"].paths = ["/admin/officers/inspector/"]
    by_name["admin_inspectors"].sql, by_name["admin_inspectors"].sql_args = "admin_inspectors", [()]
    by_name["admin_meetings"].paths = ["/admin/meetings/meeting/"]
    by_name["admin_meetings"].sql, by_name["admin_meetings"].sql_args = "admin_meetings", [()]
    return found
