"""API viewsets for meetings and suggestions."""

from __future__ import annotations

from servicepolice.viewsets import RegistryViewSet

from . import filters, selectors, serializers, services


class MeetingViewSet(RegistryViewSet):
    """Report meetings, gatherings and receptions of residents."""

    queryset = selectors.meeting_list()
    serializer_class = serializers.MeetingSerializer
    geo_serializer_class = serializers.MeetingGeoSerializer
    filterset_class = filters.MeetingFilter
    search_fields = ["place", "minutes"]
    ordering_fields = ["scheduled_at", "held_at", "status", "id"]
    ordering = ["-scheduled_at"]
    save_service = staticmethod(lambda obj: services.meeting_save(meeting=obj))


class SuggestionViewSet(RegistryViewSet):
    """Residents' suggestions made at meetings."""

    queryset = selectors.suggestion_list()
    serializer_class = serializers.SuggestionSerializer
    filterset_class = filters.SuggestionFilter
    search_fields = ["text", "category", "resolution"]
    ordering_fields = ["created_at", "status", "resolved_on", "id"]
    ordering = ["-created_at"]
    save_service = staticmethod(lambda obj: services.suggestion_save(suggestion=obj))
