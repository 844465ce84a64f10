"""The base viewset of every registry resource: JSON or GeoJSON out, writes through a service."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from django.contrib.gis.geos import Polygon
from django.db import models, transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions, filters, renderers, viewsets
from rest_framework_gis.filters import InBBoxFilter

from servicepolice import geo
from servicepolice import permissions as perms
from servicepolice.api import (
    GEO_EXPORT_RENDERERS,
    MSG_PROTECTED,
    TABULAR_EXPORT_RENDERERS,
    Conflict,
    ExportRenderer,
    GeoJSONRenderer,
    JSONRenderer,
    simplify_param,
)
from servicepolice.concurrency import check_if_match, etag
from servicepolice.geojson import geometry_as_text, simplified_page
from servicepolice.history_api import AuditHistoryMixin
from servicepolice.openapi import AutoSchema

MSG_BBOX = _(
    "Параметр in_bbox: четыре числа через запятую — запад, юг, восток, север "
    "(долгота от -180 до 180, широта от -90 до 90, запад < восток, юг < север)."
)
MSG_SEARCH_NUL = _("Параметр search не может содержать нулевой символ.")


class BBoxFilter(InBBoxFilter):
    """`in_bbox=W,S,E,N` (degrees) on the geo resources; a malformed box is a 400 naming it."""

    def get_filter_bbox(self, request) -> Polygon | None:
        raw = request.query_params.get(self.bbox_param)
        if not raw:
            return None
        try:
            west, south, east, north = (float(n) for n in raw.split(","))
        except ValueError:
            raise exceptions.ValidationError({self.bbox_param: [MSG_BBOX]}) from None
        values = (west, south, east, north)
        # Finite and in range, also because GEOS cannot write huge numbers as WKT (SpatiaLite),
        # and with an area: a flat box is an invalid polygon to the spatial predicates.
        if not (
            all(map(math.isfinite, values))
            and -180 <= west < east <= 180
            and -90 <= south < north <= 90
        ):
            raise exceptions.ValidationError({self.bbox_param: [MSG_BBOX]})
        box = Polygon.from_bbox(values)
        box.srid = geo.WGS84
        return box

    def filter_queryset(self, request, queryset, view):
        if getattr(view, "geo_serializer_class", None) is None:
            return queryset
        box = self.get_filter_bbox(request)
        if box is None:
            return queryset
        # `intersects`, not drf-gis's `bboverlaps`: on SpatiaLite that is MbrOverlaps, false
        # when a district's box holds the whole map view, so zooming in lost the district.
        return queryset.filter(**{f"{view.bbox_filter_field}__intersects": box})

    def get_schema_operation_parameters(self, view):
        if getattr(view, "geo_serializer_class", None) is None:
            return []
        return super().get_schema_operation_parameters(view)


class SimplifyParameter(filters.BaseFilterBackend):
    """Documents `simplify=<metres>` on lists of polygons; filters nothing (the geometry field
    does the simplifying, see `RegistryViewSet.get_serializer_context`)."""

    def filter_queryset(self, request, queryset, view):
        return queryset

    def get_schema_operation_parameters(self, view):
        geom = getattr(view.serializer_class, "_declared_fields", {}).get("geom")
        if "Polygon" not in getattr(geom, "geom_type", ""):
            return []
        return [
            {
                "name": "simplify",
                "required": False,
                "in": "query",
                "description": str(
                    _(
                        "Упростить границы с допуском в метрах (0–100000), сохраняя топологию: "
                        "для обзорных карт."
                    )
                ),
                "schema": {"type": "number", "minimum": 0, "maximum": 100_000},
            }
        ]


class SearchFilter(filters.SearchFilter):
    """DRF's search, refusing a NUL character (PostgreSQL cannot take one in a string)."""

    def get_search_terms(self, request):
        if "\x00" in request.query_params.get(self.search_param, ""):
            raise exceptions.ValidationError({self.search_param: [MSG_SEARCH_NUL]})
        return super().get_search_terms(request)


ETAG_ACTIONS = {"retrieve", "create", "update", "partial_update"}
CRUD_ACTIONS = {"list", "retrieve", "create", "update", "partial_update", "destroy", "metadata"}


class RegistryViewSet(AuditHistoryMixin, viewsets.ModelViewSet):
    """CRUD over one model; JSON by default, GeoJSON when asked; every write calls `save_service`.

    Subclasses set `queryset`, `serializer_class`, optionally `geo_serializer_class` (a
    GeoFeatureModelSerializer), `filterset_class`, `search_fields`, `ordering_fields` and
    `save_service`, a function that validates and saves one instance. Every resource has its
    audit history at `{id}/history/` (see history_api.py).
    """

    geo_serializer_class = None
    etag_documented = True  # the schema shows ETag, If-Match and 412 on detail operations
    save_service: Callable[[models.Model], models.Model] | None = None
    bbox_filter_field = "geom"
    schema = AutoSchema()
    filter_backends = [
        DjangoFilterBackend,
        SearchFilter,
        filters.OrderingFilter,
        BBoxFilter,
        SimplifyParameter,
    ]

    def get_renderers(self):
        # Extra actions (a precinct's team, meetings...) answer plain JSON: their rows are not
        # this resource's features.
        chosen: list[renderers.BaseRenderer] = [JSONRenderer()]
        geo_resource = self.geo_serializer_class is not None
        if geo_resource and self.action in CRUD_ACTIONS:
            chosen.append(GeoJSONRenderer())
        if self.action == "list":  # lists also download as files (see export_list)
            chosen += [renderer() for renderer in TABULAR_EXPORT_RENDERERS]
            if geo_resource:
                chosen += [renderer() for renderer in GEO_EXPORT_RENDERERS]
        return chosen

    def list(self, request, *args, **kwargs):
        renderer = getattr(request, "accepted_renderer", None)
        if isinstance(renderer, ExportRenderer):
            return self.export_list(request, renderer.format)
        return super().list(request, *args, **kwargs)

    def export_list(self, request, fmt: str):
        """Every row the filters match as a file (the same fields the JSON list shows this
        user, with the natural keys an import needs); a page only when limit/offset is given."""
        from exchange.export import CHUNK_SIZE, ExportTable, export_response  # exchange writes

        queryset = self.filter_queryset(self.get_queryset())
        table = ExportTable(
            model=queryset.model,
            serializer_class=self.get_serializer_class(),
            user=request.user,
            fmt=fmt,
            context=self.get_serializer_context(),
        )
        if table.geometry_type and not table.needs_geometry:
            queryset = queryset.defer("geom")
        params = request.query_params
        if params.get("limit") or params.get("offset"):
            objects = self.paginate_queryset(queryset)
        else:
            objects = queryset.iterator(chunk_size=CHUNK_SIZE)
        return export_response(objects=objects, table=table, basename=self.basename)

    def finalize_response(self, request, response, *args, **kwargs):
        obj = getattr(self, "etag_object", None)
        if (
            obj is not None
            and self.action in ETAG_ACTIONS
            and 200 <= getattr(response, "status_code", 500) < 300
        ):
            tag = etag(obj)
            if tag is not None:
                response["ETag"] = tag
        # An error answers in JSON, whichever file format was asked for.
        if getattr(response, "status_code", 200) >= 400 and isinstance(
            getattr(request, "accepted_renderer", None), ExportRenderer
        ):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = request.accepted_renderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)

    def wants_geojson(self) -> bool:
        renderer = getattr(self.request, "accepted_renderer", None)
        return renderer is not None and renderer.format == "geojson"

    def get_serializer_class(self):
        if self.geo_serializer_class is not None and self.wants_geojson():
            return self.geo_serializer_class
        return self.serializer_class

    def get_queryset(self):
        # Reads take the geometry as GeoJSON text written by the database, or simplified
        # outlines computed once (see geojson.py).
        return geometry_as_text(self, super().get_queryset())

    def filter_queryset(self, queryset):
        # Every list, object, export and nested answer passes here: rows outside the user's
        # scope do not exist for them (404), see servicepolice/permissions.py.
        return perms.readable(self.request.user, super().filter_queryset(queryset))

    def get_object(self):
        obj = super().get_object()
        self.etag_object = obj
        return obj

    def update(self, request, *args, **kwargs):
        with transaction.atomic():
            instance = self.get_object()
            check_if_match(request, type(instance), instance.pk)
            return super().update(request, *args, **kwargs)

    def destroy(self, request, *args, **kwargs):
        with transaction.atomic():
            instance = self.get_object()
            check_if_match(request, type(instance), instance.pk)
            response = super().destroy(request, *args, **kwargs)
        self.etag_object = None
        return response

    def check_write_scope(self, instance: models.Model, changed: set[str]) -> None:
        """403 when the record, as it would be saved, lies where the user may not write (a
        station moved into another district needs rights in both: the old one was checked
        with the object's permission)."""
        user = self.request.user
        denial = perms.write_denial(user, instance) or perms.own_fields_denial(
            user, instance, changed
        )
        if denial is not None:
            raise exceptions.PermissionDenied(denial)

    def paginate_queryset(self, queryset):
        return simplified_page(self, super().paginate_queryset(queryset))

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if self.request is not None and self.request.method == "GET":
            context["simplify_m"] = simplify_param(self.request)
        return context

    def save_instance(self, instance: models.Model) -> models.Model:
        if self.save_service is None:
            raise NotImplementedError(f"{type(self).__name__} has no save_service")
        return type(self).save_service(instance)

    def perform_create(self, serializer) -> None:
        instance = serializer.Meta.model(**serializer.validated_data)
        self.check_write_scope(instance, set(serializer.validated_data))
        serializer.instance = self.save_instance(instance)
        self.etag_object = serializer.instance

    def perform_update(self, serializer) -> None:
        instance = serializer.instance
        changed = {
            name
            for name, value in serializer.validated_data.items()
            if getattr(instance, name, None) != value
        }
        for name, value in serializer.validated_data.items():
            setattr(instance, name, value)
        self.check_write_scope(instance, changed)
        serializer.instance = self.save_instance(instance)
        self.etag_object = serializer.instance

    def perform_destroy(self, instance: models.Model) -> None:
        try:
            with transaction.atomic():
                instance.delete()
        except ProtectedError as exc:
            related = sorted({obj._meta.verbose_name_plural for obj in exc.protected_objects})
            raise Conflict(
                MSG_PROTECTED % {"related": ", ".join(str(r) for r in related)}
            ) from None
