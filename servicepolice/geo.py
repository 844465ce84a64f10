"""Geometry helpers: SRIDs, the metric projection, distances and checks. The only place for them.

Geometry is stored in SRID 4326 (lon/lat). Metres are computed in the UTM zone of the
territory at hand (Kazakhstan spans zones 38 to 45), never in degrees. Everything here runs
in GEOS/GDAL in the Python process, so it gives the same answer on SpatiaLite and PostGIS.
"""

from __future__ import annotations

import math
import struct
import threading
from collections.abc import Hashable, Iterable

from django.contrib.gis.gdal import CoordTransform, SpatialReference
from django.contrib.gis.geos import (
    GeometryCollection,
    GEOSGeometry,
    MultiPolygon,
    Point,
    Polygon,
)

WGS84 = 4326

# Kazakhstan's extent (lon/lat), the national outline's bounding box padded by about 0.1°.
KZ_EXTENT = (46.4, 40.5, 87.4, 55.5)  # west, south, east, north


_transforms = threading.local()


def transformed(geom: GEOSGeometry, srid: int) -> GEOSGeometry:
    """A copy of the geometry in another SRID.

    GEOS's own `transform(srid)` builds a new PROJ transformation for every call (about a
    millisecond); these are built once per pair of SRIDs and thread (PROJ objects are not
    thread-safe), which makes checking thousands of points against a district cheap.
    """
    if geom.srid == srid:
        return geom.clone()
    cache = getattr(_transforms, "cache", None)
    if cache is None:
        cache = _transforms.cache = {}
    key = (geom.srid, srid)
    transform = cache.get(key)
    if transform is None:
        transform = cache[key] = CoordTransform(SpatialReference(geom.srid), SpatialReference(srid))
    result = geom.transform(transform, clone=True)
    result.srid = srid
    return result


def on_postgis(using: str = "default") -> bool:
    """True on PostGIS: the one backend check behind PostGIS-only speed-ups (KNN by geography
    index), each of which has a portable path that gives the same answers."""
    from django.db import connections

    return connections[using].vendor == "postgresql"


def utm_srid(lon: float, lat: float) -> int:
    """EPSG code of the WGS 84 / UTM zone that holds (lon, lat)."""
    zone = int(math.floor((lon + 180.0) / 6.0)) % 60 + 1
    return (32600 if lat >= 0 else 32700) + zone


def utm_srid_for(geom: GEOSGeometry) -> int:
    """EPSG code of the UTM zone of a geometry's centroid (geometry in 4326)."""
    centroid = as_wgs84(geom).centroid
    return utm_srid(centroid.x, centroid.y)


def as_wgs84(geom: GEOSGeometry) -> GEOSGeometry:
    """The geometry in SRID 4326; a geometry without an SRID is taken as 4326."""
    if geom.srid is None:
        geom = geom.clone()
        geom.srid = WGS84
    if geom.srid != WGS84:
        return transformed(geom, WGS84)
    return geom


def to_metric(geom: GEOSGeometry, srid: int | None = None) -> GEOSGeometry:
    """A copy of the geometry in a UTM projection (metres): the given SRID or its own zone."""
    return transformed(as_wgs84(geom), srid or utm_srid_for(geom))


def distance_m(a: GEOSGeometry, b: GEOSGeometry) -> float:
    """Shortest distance in metres between two 4326 geometries, in the UTM zone of `a`."""
    srid = utm_srid_for(a)
    return to_metric(a, srid).distance(to_metric(b, srid))


def area_m2(geom: GEOSGeometry) -> float:
    """Area in square metres of a 4326 geometry, in the UTM zone of its centroid."""
    return to_metric(geom).area


def in_kazakhstan(geom: GEOSGeometry) -> bool:
    """True when the geometry's bounding box lies inside Kazakhstan's extent."""
    west, south, east, north = KZ_EXTENT
    x0, y0, x1, y1 = as_wgs84(geom).extent
    return west <= x0 and x1 <= east and south <= y0 and y1 <= north


def within_tolerance(inner: GEOSGeometry, outer: GEOSGeometry, tolerance_m: float) -> bool:
    """True when `inner` lies inside `outer` grown by `tolerance_m` metres."""
    srid = utm_srid_for(outer)
    outer_m = to_metric(outer, srid)
    inner_m = to_metric(inner, srid)
    if outer_m.contains(inner_m):
        return True
    if isinstance(inner_m, Point):
        return outer_m.distance(inner_m) <= tolerance_m
    return outer_m.buffer(tolerance_m).contains(inner_m)


def rings(geom: GEOSGeometry) -> list[list[tuple[float, float]]]:
    """The coordinates of every ring (shells and holes) of a 2D Polygon or MultiPolygon, read
    from its WKB in one go: reading them point by point through GEOS costs ~20 µs each."""
    wkb = bytes(geom.wkb)
    end = "<" if wkb[0] == 1 else ">"
    (kind,) = struct.unpack_from(end + "I", wkb, 1)
    offset, count = (5, 1) if kind == 3 else (9, struct.unpack_from(end + "I", wkb, 5)[0])
    found = []
    for _ in range(count):
        if kind != 3:
            offset += 5  # each part of a MultiPolygon has its own byte order and type
        (ring_count,) = struct.unpack_from(end + "I", wkb, offset)
        offset += 4
        for _ in range(ring_count):
            (points,) = struct.unpack_from(end + "I", wkb, offset)
            offset += 4
            flat = struct.unpack_from(f"{end}{2 * points}d", wkb, offset)
            offset += 16 * points
            found.append(list(zip(flat[0::2], flat[1::2], strict=True)))
    return found


def invalid_reason(geom: GEOSGeometry) -> str | None:
    """Why a geometry is invalid, with the place (lon lat) where GEOS found it; None if valid."""
    if geom.empty:
        return "empty"
    if geom.valid:
        return None
    return geom.valid_reason


def as_multipolygon(geom: GEOSGeometry) -> GEOSGeometry:
    """A Polygon promoted to a MultiPolygon, with the SRID kept; anything else unchanged."""
    if isinstance(geom, Polygon):
        multi = MultiPolygon(geom)
        multi.srid = geom.srid
        return multi
    return geom


def circle(lon: float, lat: float, radius_m: float, quad_segs: int = 16) -> GEOSGeometry:
    """A circle of `radius_m` metres around a point, as a 4326 polygon."""
    srid = utm_srid(lon, lat)
    centre = transformed(Point(lon, lat, srid=WGS84), srid)
    return transformed(centre.buffer(radius_m, quad_segs), WGS84)


def offset_point(lon: float, lat: float, east_m: float, north_m: float) -> Point:
    """The point `east_m` metres east and `north_m` metres north of (lon, lat), in 4326."""
    srid = utm_srid(lon, lat)
    origin = transformed(Point(lon, lat, srid=WGS84), srid)
    moved = Point(origin.x + east_m, origin.y + north_m, srid=srid)
    return transformed(moved, WGS84)


def simplify(geom: GEOSGeometry, tolerance_m: float) -> GEOSGeometry:
    """The geometry simplified by `tolerance_m` metres (topology-preserving), back in 4326."""
    srid = utm_srid_for(geom)
    simple = to_metric(geom, srid).simplify(tolerance_m, preserve_topology=True)
    simple = transformed(simple, WGS84)
    return as_multipolygon(simple) if geom.geom_type == "MultiPolygon" else simple


def expand_bbox(extent: tuple[float, float, float, float], metres: float) -> Polygon:
    """A 4326 box around a lon/lat extent grown by at least `metres` on every side."""
    west, south, east, north = extent
    dlat = metres / 110_574.0
    # A degree of longitude is shortest at the box's poleward edge, not at the extent's: over
    # hundreds of kilometres the difference let points within `metres` fall outside the box.
    coslat = max(math.cos(math.radians(min(max(abs(south - dlat), abs(north + dlat)), 90.0))), 0.01)
    dlon = metres / (111_320.0 * coslat)
    box = Polygon.from_bbox(
        (
            max(west - dlon, -180.0),
            max(south - dlat, -90.0),
            min(east + dlon, 180.0),
            min(north + dlat, 90.0),
        )
    )
    box.srid = WGS84
    return box


def polygonal_part(geom: GEOSGeometry) -> GEOSGeometry:
    """Only the polygons of a geometry (an intersection may add stray lines or points)."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    # A line or a point (two polygons that only touch) has no polygon and is no collection.
    members = geom if isinstance(geom, GeometryCollection) else []
    polygons = [g for g in members if g.geom_type in ("Polygon", "MultiPolygon")]
    parts = []
    for g in polygons:
        parts.extend(g if g.geom_type == "MultiPolygon" else [g])
    multi = MultiPolygon(parts) if parts else MultiPolygon()
    multi.srid = geom.srid
    return multi


def repaired(geom: GEOSGeometry) -> tuple[GEOSGeometry, str | None]:
    """A valid copy of a polygonal geometry (GEOS MakeValid, polygons kept) and GEOS's reason
    for repairing it; the geometry itself and None when it was valid already."""
    reason = invalid_reason(geom)
    if reason is None or geom.empty:
        return geom, reason
    fixed = polygonal_part(geom.make_valid())
    fixed.srid = geom.srid
    return fixed, reason


def overlap_m2(a: GEOSGeometry, b: GEOSGeometry, srid: int | None = None) -> float:
    """Area in m² of the intersection of two 4326 geometries, in the UTM zone `srid` (default:
    the zone of `a`). The intersection is taken in degrees and only the result is projected."""
    if not a.envelope.intersects(b.envelope):
        return 0.0
    common = polygonal_part(a.intersection(b))
    if common.empty:
        return 0.0
    common.srid = a.srid or WGS84
    return to_metric(common, srid or utm_srid_for(a)).area


def _boxes_touch(a: tuple, b: tuple, margin: float = 0.0) -> bool:
    return not (
        a[2] + margin < b[0] or b[2] + margin < a[0] or a[3] + margin < b[1] or b[3] + margin < a[1]
    )


class OverlapIndex:
    """Candidate areas (4326 polygons, e.g. the regions a district may belong to), for finding
    which one holds a geometry or most of it. Built once per import; prepared geometries and
    bounding boxes make each question cheap."""

    def __init__(self, items: Iterable[tuple[Hashable, GEOSGeometry]]) -> None:
        self._items = [(key, geom, geom.extent, geom.prepared) for key, geom in items]

    def __len__(self) -> int:
        return len(self._items)

    def _near(self, geom: GEOSGeometry, margin: float = 0.0):
        box = geom.extent
        return [item for item in self._items if _boxes_touch(box, item[2], margin)]

    def covering(self, geom: GEOSGeometry) -> Hashable | None:
        """The key of the first area that covers the geometry entirely, or None."""
        for key, _geom, _box, prepared in self._near(geom):
            if prepared.covers(geom):
                return key
        return None

    def largest_overlap(self, geom: GEOSGeometry) -> tuple[Hashable | None, float, float]:
        """The key of the area that overlaps `geom` most, the overlap in m² and its share (0–1)
        of `geom`'s area, in the UTM zone of `geom`; (None, 0.0, 0.0) when none overlaps."""
        near = self._near(geom)
        srid = utm_srid_for(geom)
        total = to_metric(geom, srid).area
        for key, _geom, _box, prepared in near:
            if prepared.covers(geom):
                return key, total, 1.0
        best_key, best_area = None, 0.0
        for key, candidate, _box, prepared in near:
            if not prepared.intersects(geom):
                continue
            area = overlap_m2(geom, candidate, srid)
            if area > best_area:
                best_key, best_area = key, area
        if best_key is None:
            return None, 0.0, 0.0
        return best_key, best_area, (best_area / total if total else 0.0)

    def nearest_within(self, point: Point, metres: float) -> tuple[Hashable | None, float | None]:
        """The key of the area nearest to a point within `metres` (metres in the point's UTM
        zone), with the distance; (None, None) when none is that close."""
        margin = metres / 60_000.0  # degrees: generous at any latitude of Kazakhstan
        best: tuple[Hashable | None, float | None] = (None, None)
        for key, candidate, _box, _prepared in self._near(point, margin):
            distance = distance_m(point, candidate)
            if distance <= metres and (best[1] is None or distance < best[1]):
                best = (key, distance)
        return best


def parts(geom: GEOSGeometry) -> list[GEOSGeometry]:
    """The single polygons of a (multi)polygon, each with the SRID kept."""
    if geom.empty:
        return []
    if geom.geom_type == "Polygon":
        return [geom]
    found = []
    for part in polygonal_part(geom):
        part.srid = geom.srid
        found.append(part)
    return found
