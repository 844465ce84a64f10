"""API viewsets for inspectors and assistants."""

from __future__ import annotations

from rest_framework import permissions, renderers

from servicepolice.permissions import can_view_private
from servicepolice.viewsets import RegistryViewSet

from . import filters, selectors, serializers, services
from .models import Assistant, Inspector


class InspectorViewSet(RegistryViewSet):
    """Precinct inspectors (участковые инспекторы полиции). Anonymous clients see public fields
    of serving inspectors only; staff with `view_inspector` see every field."""

    serializer_class = serializers.InspectorSerializer
    filterset_class = filters.InspectorFilter
    ordering = ["last_name", "first_name"]
    save_service = staticmethod(lambda obj: services.inspector_save(inspector=obj))
    history_private_fields = serializers.INSPECTOR_PRIVATE_FIELDS

    def private(self) -> bool:
        return can_view_private(getattr(getattr(self, "request", None), "user", None), Inspector)

    @property
    def search_fields(self) -> list[str]:
        names = ["last_name", "first_name", "middle_name"]
        return [*names, "personnel_number"] if self.private() else names

    @property
    def ordering_fields(self) -> list[str]:
        # Sorting by a private field would leak it (who was appointed first), so only staff may.
        public = ["last_name", "rank", "id"]
        return [*public, "appointed_on"] if self.private() else public

    def get_queryset(self):
        queryset = selectors.inspector_list()
        if self.action in ("list", "retrieve") and isinstance(
            getattr(self.request, "accepted_renderer", None), renderers.JSONRenderer
        ):
            # JSON shows the precinct and station as ids: no joined rows (file exports use them).
            queryset = selectors.inspector_rows()
        if not self.private():
            queryset = queryset.exclude(status=Inspector.Status.DISMISSED)
        return queryset

    def get_serializer_class(self):
        return _private_or_public(
            self, Inspector, serializers.InspectorSerializer, serializers.InspectorPublicSerializer
        )


class AssistantViewSet(RegistryViewSet):
    """Assistants of precinct inspectors; phones only for staff with `view_assistant`."""

    filterset_class = filters.AssistantFilter
    search_fields = ["last_name", "first_name", "middle_name"]
    ordering_fields = ["last_name", "id"]
    ordering = ["last_name", "first_name"]
    save_service = staticmethod(lambda obj: services.assistant_save(assistant=obj))
    history_private_fields = ("phone",)

    def get_queryset(self):
        queryset = Assistant.objects.select_related("inspector")
        if not can_view_private(self.request.user, Assistant):
            queryset = queryset.exclude(inspector__status=Inspector.Status.DISMISSED)
        return queryset

    def get_serializer_class(self):
        return _private_or_public(
            self, Assistant, serializers.AssistantSerializer, serializers.AssistantPublicSerializer
        )


def _private_or_public(view, model, full, public):
    """The full serializer for writes (the model permission was checked), for the OpenAPI
    schema (it documents every field) and for users who may view private fields; else public."""
    request = getattr(view, "request", None)
    if getattr(view, "swagger_fake_view", False) or request is None:
        return full
    if request.method not in permissions.SAFE_METHODS:
        return full
    return full if can_view_private(request.user, model) else public
