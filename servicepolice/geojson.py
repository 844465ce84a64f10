"""Geometry out of the database as GeoJSON text, for the read endpoints (imports no app).

Building GeoJSON in Python (GEOS → OGR → a dict, rounding every coordinate) costs far more than
the database's own ST_AsGeoJSON / AsGeoJSON: for a district's 30 precincts of 150 vertices, tens
of milliseconds against about one. So list and detail reads in JSON or GeoJSON select the text
the database writes, rounded there to 6 decimals, and leave the geometry column behind;
`ModelGeometryField` passes the text through. Lists asked to `simplify` get their outlines from
servicepolice.simplified instead.
"""

from __future__ import annotations

from django.contrib.gis.db.models.functions import AsGeoJSON
from django.db.models import QuerySet
from rest_framework import renderers

from servicepolice import simplified
from servicepolice.api import GEOJSON_DECIMALS, geojson_annotation, simplify_param

READ_ACTIONS = ("list", "retrieve")


def with_geojson(queryset: QuerySet, field: str = "geom") -> QuerySet:
    """The queryset with `field` as GeoJSON text (6 decimals) instead of a geometry."""
    text = AsGeoJSON(field, precision=GEOJSON_DECIMALS)
    return queryset.annotate(**{geojson_annotation(field): text}).defer(field)


def _read(view, field: str) -> tuple[bool, int | None]:
    """(this is a JSON or GeoJSON read of a model with that geometry field, the simplify level)"""
    request = getattr(view, "request", None)
    if request is None or request.method not in ("GET", "HEAD"):
        return False, None
    if getattr(view, "action", None) not in READ_ACTIONS:
        return False, None
    if not isinstance(getattr(request, "accepted_renderer", None), renderers.JSONRenderer):
        return False, None  # file exports read the geometry themselves
    model = view.queryset.model if getattr(view, "queryset", None) is not None else None
    if model is None or field not in {f.name for f in model._meta.concrete_fields}:
        return False, None
    return True, simplify_param(request)


def geometry_as_text(view, queryset: QuerySet, field: str = "geom") -> QuerySet:
    """What RegistryViewSet.get_queryset returns. Reads: the geometry as GeoJSON text from the
    database; lists to be simplified: no geometry at all (simplified.simplified_fill gives each
    row of the page its outline, see `simplified_page`). Anything else: unchanged."""
    read, level = _read(view, field)
    if not read or queryset.model is None:
        return queryset
    if level is None:
        return with_geojson(queryset, field)
    if view.action == "list" and simplified.supports(queryset.model, field):
        return queryset.defer(field)
    return queryset


def simplified_page(view, page, field: str = "geom"):
    """What RegistryViewSet.paginate_queryset returns: the page, its rows given their
    simplified outlines when the list asked for `simplify`."""
    read, level = _read(view, field)
    if page and read and level and view.action == "list":
        if simplified.supports(type(page[0]), field):
            simplified.simplified_fill(page, level=level, field=field)
    return page
