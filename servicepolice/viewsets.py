"""The base viewset of every registry resource: JSON or GeoJSON out, writes through a service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models, transaction
from django.db.models import ProtectedError
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import filters, renderers, viewsets
from rest_framework_gis.filters import InBBoxFilter

from servicepolice.api import MSG_PROTECTED, Conflict, GeoJSONRenderer, simplify_param


class RegistryViewSet(viewsets.ModelViewSet):
    """CRUD over one model; JSON by default, GeoJSON when asked; every write calls `save_service`.

    Subclasses set `queryset`, `serializer_class`, optionally `geo_serializer_class` (a
    GeoFeatureModelSerializer), `filterset_class`, `search_fields`, `ordering_fields` and
    `save_service`, a function that validates and saves one instance.
    """

    geo_serializer_class = None
    save_service: Callable[[models.Model], models.Model] | None = None
    bbox_filter_field = "geom"
    bbox_filter_include_overlapping = True
    filter_backends = [DjangoFilterBackend, filters.SearchFilter, filters.OrderingFilter]

    def get_renderers(self):
        if self.geo_serializer_class is not None:
            return [renderers.JSONRenderer(), GeoJSONRenderer()]
        return [renderers.JSONRenderer()]

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.geo_serializer_class is not None:
            queryset = InBBoxFilter().filter_queryset(self.request, queryset, self)
        return queryset

    def wants_geojson(self) -> bool:
        renderer = getattr(self.request, "accepted_renderer", None)
        return renderer is not None and renderer.format == "geojson"

    def get_serializer_class(self):
        if self.geo_serializer_class is not None and self.wants_geojson():
            return self.geo_serializer_class
        return self.serializer_class

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
        serializer.instance = self.save_instance(instance)

    def perform_update(self, serializer) -> None:
        instance = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(instance, name, value)
        serializer.instance = self.save_instance(instance)

    def perform_destroy(self, instance: models.Model) -> None:
        try:
            with transaction.atomic():
                instance.delete()
        except ProtectedError as exc:
            related = sorted({obj._meta.verbose_name_plural for obj in exc.protected_objects})
            raise Conflict(
                MSG_PROTECTED % {"related": ", ".join(str(r) for r in related)}
            ) from None
