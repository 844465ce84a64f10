"""API shapes for meetings and suggestions (no personal data in either)."""

from rest_framework import serializers

from servicepolice.api import ModelGeometryField, geojson_serializer

from .models import Meeting, Suggestion

TIMESTAMPS = ("created_at", "updated_at")


class MeetingSerializer(serializers.ModelSerializer):
    geom = ModelGeometryField("Point", required=False, allow_null=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Meeting
        fields = (
            "id",
            "precinct",
            "inspector",
            "kind",
            "kind_label",
            "scheduled_at",
            "held_at",
            "place",
            "geom",
            "status",
            "status_label",
            "cancel_reason",
            "attendees",
            "minutes",
            *TIMESTAMPS,
        )


MeetingGeoSerializer = geojson_serializer(MeetingSerializer)


class SuggestionSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Suggestion
        fields = (
            "id",
            "meeting",
            "text",
            "category",
            "status",
            "status_label",
            "resolution",
            "resolved_on",
            *TIMESTAMPS,
        )
