"""API shapes for inspectors and assistants: public fields for everyone, private ones for staff."""

from rest_framework import serializers

from servicepolice.api import CachedFieldsMixin, ChoiceLabelField

from .models import Assistant, Inspector

TIMESTAMPS = ("created_at", "updated_at")
INSPECTOR_PUBLIC_FIELDS = (
    "id",
    "full_name",
    "last_name",
    "first_name",
    "middle_name",
    "rank",
    "rank_label",
    "position",
    "position_label",
    "precinct",
    "station",
    "photo",
    "service_phone",
    "messenger_url",
    "social_url",
    "reception_hours",
    "status",
)
# Never shown to anyone without the `officers.view_inspector` permission.
INSPECTOR_PRIVATE_FIELDS = ("personnel_number", "personal_phone", "appointed_on")


class InspectorPublicSerializer(CachedFieldsMixin, serializers.ModelSerializer):
    full_name = serializers.CharField(read_only=True)
    rank_label = ChoiceLabelField("rank", Inspector.Rank.choices)
    position_label = ChoiceLabelField("position", Inspector.Position.choices)

    class Meta:
        model = Inspector
        fields = INSPECTOR_PUBLIC_FIELDS
        read_only_fields = INSPECTOR_PUBLIC_FIELDS


class InspectorSerializer(InspectorPublicSerializer):
    class Meta:
        model = Inspector
        fields = INSPECTOR_PUBLIC_FIELDS + INSPECTOR_PRIVATE_FIELDS + TIMESTAMPS
        read_only_fields = ("id", "full_name", "rank_label", "position_label", *TIMESTAMPS)


class AssistantPublicSerializer(CachedFieldsMixin, serializers.ModelSerializer):
    class Meta:
        model = Assistant
        fields = ("id", "inspector", "last_name", "first_name", "middle_name")
        read_only_fields = fields


class AssistantSerializer(CachedFieldsMixin, serializers.ModelSerializer):
    class Meta:
        model = Assistant
        fields = ("id", "inspector", "last_name", "first_name", "middle_name", "phone", *TIMESTAMPS)


class InspectorTeamSerializer(InspectorPublicSerializer):
    """An inspector with assistants (public fields), for a precinct's team."""

    assistants = AssistantPublicSerializer(many=True, read_only=True)

    class Meta(InspectorPublicSerializer.Meta):
        fields = INSPECTOR_PUBLIC_FIELDS + ("assistants",)
        read_only_fields = fields
