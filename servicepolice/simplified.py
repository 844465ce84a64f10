"""Simplified outlines for overview maps, computed once per row version and kept (imports no app).

A list asked for `simplify=<metres>` (snapped to a power of two, see api.simplify_level) reads
its rows without the geometry column; each row's simplified outline comes from this process's
cache, keyed by the row's model, primary key, `updated_at` and the level. A saved territory gets
a new `updated_at`, so its old entries are never read again and age out (least recently used
first, within MAX_BYTES). Rows not in the cache are simplified in one query (topology-preserving,
in the local UTM zone: geo.simplify, done by the database on PostGIS) and kept.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from django.db import connection, models
from django.db.models.expressions import RawSQL

from servicepolice import geo
from servicepolice.api import GEOJSON_DECIMALS, geojson_annotation
from servicepolice.lru import LRU

MAX_BYTES = 96 * 1024 * 1024  # per process: the national overview at one level is about 0.3 MB


_cache = LRU(MAX_BYTES)


def supports(model: type[models.Model], field: str = "geom") -> bool:
    """Rows of this model can be served simplified from the cache: a polygon field and a
    version (updated_at)."""
    names = {f.name: f for f in model._meta.concrete_fields}
    geometry = names.get(field)
    return (
        "updated_at" in names
        and geometry is not None
        and "polygon" in getattr(geometry, "geom_type", "").lower()
    )


def _geojson(geom, level: int) -> str:
    # The same output as ModelGeometryField's own simplification (geo.simplify, 6 decimals).
    from rest_framework_gis.fields import GeometryField

    simple = geo.simplify(geom, level)
    data = GeometryField(precision=GEOJSON_DECIMALS).to_representation(simple)
    return json.dumps(data, separators=(",", ":"))


def simplified_fill(rows: Sequence[models.Model], *, level: int, field: str = "geom") -> None:
    """Give each row (read without `field`) its outline simplified by `level` metres, as GeoJSON
    text the serializer passes through; at most one query, for the rows not in the cache."""
    if not rows:
        return
    model = type(rows[0])
    label = model._meta.label
    attribute = geojson_annotation(field)
    missing = []
    for row in rows:
        text = _cache.get((label, row.pk, row.updated_at, level))
        if text is None:
            missing.append(row)
        else:
            setattr(row, attribute, text)
    if not missing:
        return
    pks = [row.pk for row in missing]
    if geo.on_postgis():
        texts = _simplified_in_database(model, pks, level, field)
    else:
        shapes = dict(model._default_manager.filter(pk__in=pks).values_list("pk", field))
        texts = {
            pk: None if shape is None or shape.empty else _geojson(shape, level)
            for pk, shape in shapes.items()
        }
    for row in missing:
        text = texts.get(row.pk)
        if text is not None:
            _cache.put((label, row.pk, row.updated_at, level), text)
        setattr(row, attribute, text)


def _simplified_in_database(model, pks: list, level: int, field: str) -> dict:
    """PostGIS: geo.simplify done by the database, rows at once (the same GEOS simplifier, in
    each row's own UTM zone), an order of magnitude quicker than row by row in Python."""
    column = f"{connection.ops.quote_name(model._meta.db_table)}.{connection.ops.quote_name(field)}"
    utm = f"32600 + floor((ST_X(ST_Centroid({column})) + 180) / 6)::int + 1"
    simple = RawSQL(
        f"ST_AsGeoJSON(ST_Multi(ST_Transform(ST_SimplifyPreserveTopology("
        f"ST_Transform({column}, {utm}), %s), {geo.WGS84})), {GEOJSON_DECIMALS})",
        (float(level),),
    )
    rows = model._default_manager.filter(pk__in=pks).annotate(simple=simple)
    return dict(rows.values_list("pk", "simple"))


def simplified_cache_clear() -> None:
    """Forget every simplified outline of this process (tests)."""
    _cache.clear()
