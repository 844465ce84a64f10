"""Geometry helpers: SRIDs, the metric projection, distances and checks. The only place for them.

Geometry is stored in SRID 4326 (lon/lat). Metres are computed in the UTM zone of the
territory at hand (Kazakhstan spans zones 38 to 45), never in degrees. Everything here runs
in GEOS/GDAL in the Python process, so it gives the same answer on SpatiaLite and PostGIS.
"""

from __future__ import annotations

import math

from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Point, Polygon

WGS84 = 4326

# Kazakhstan's extent (lon/lat), the national outline's bounding box padded by about 0.1°.
KZ_EXTENT = (46.4, 40.5, 87.4, 55.5)  # west, south, east, north


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
        return geom.transform(WGS84, clone=True)
    return geom


def to_metric(geom: GEOSGeometry, srid: int | None = None) -> GEOSGeometry:
    """A copy of the geometry in a UTM projection (metres): the given SRID or its own zone."""
    return as_wgs84(geom).transform(srid or utm_srid_for(geom), clone=True)


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
    centre = Point(lon, lat, srid=WGS84).transform(srid, clone=True)
    return centre.buffer(radius_m, quad_segs).transform(WGS84, clone=True)


def offset_point(lon: float, lat: float, east_m: float, north_m: float) -> Point:
    """The point `east_m` metres east and `north_m` metres north of (lon, lat), in 4326."""
    srid = utm_srid(lon, lat)
    origin = Point(lon, lat, srid=WGS84).transform(srid, clone=True)
    moved = Point(origin.x + east_m, origin.y + north_m, srid=srid)
    return moved.transform(WGS84, clone=True)


def simplify(geom: GEOSGeometry, tolerance_m: float) -> GEOSGeometry:
    """The geometry simplified by `tolerance_m` metres (topology-preserving), back in 4326."""
    srid = utm_srid_for(geom)
    simple = to_metric(geom, srid).simplify(tolerance_m, preserve_topology=True)
    simple = simple.transform(WGS84, clone=True)
    return as_multipolygon(simple) if geom.geom_type == "MultiPolygon" else simple


def expand_bbox(extent: tuple[float, float, float, float], metres: float) -> Polygon:
    """A 4326 box around a lon/lat extent grown by at least `metres` on every side."""
    west, south, east, north = extent
    dlat = metres / 110_574.0
    coslat = max(math.cos(math.radians(max(abs(south), abs(north)))), 0.01)
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
    polygons = [g for g in geom if g.geom_type in ("Polygon", "MultiPolygon")]
    parts = []
    for g in polygons:
        parts.extend(g if g.geom_type == "MultiPolygon" else [g])
    multi = MultiPolygon(parts) if parts else MultiPolygon()
    multi.srid = geom.srid
    return multi
