"""Shapes of the lookup answer."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from meetings.serializers import MeetingSerializer
from officers.serializers import InspectorTeamSerializer
from servicepolice.api import CachedFieldsMixin, LocalizedNameField, ModelGeometryField
from stations.models import Station


class LocateQuerySerializer(serializers.Serializer):
    lat = serializers.FloatField(
        min_value=-90, max_value=90, help_text=_("Широта, градусы (WGS 84).")
    )
    lon = serializers.FloatField(
        min_value=-180, max_value=180, help_text=_("Долгота, градусы (WGS 84).")
    )


class TerritoryRefSerializer(CachedFieldsMixin, serializers.Serializer):
    id = serializers.IntegerField()
    name = LocalizedNameField()
    name_kk = serializers.CharField(required=False)
    kato = serializers.CharField(required=False)


class PrecinctRefSerializer(CachedFieldsMixin, serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    name = serializers.CharField()
    population = serializers.IntegerField()


class NearbyFacilitySerializer(CachedFieldsMixin, serializers.Serializer):
    type = serializers.SerializerMethodField()
    id = serializers.IntegerField(source="facility.pk")
    number = serializers.SerializerMethodField()
    name = serializers.CharField(source="facility.name")
    address = serializers.CharField(source="facility.address")
    phone = serializers.CharField(source="facility.phone")
    reception_hours = serializers.SerializerMethodField()
    round_the_clock = serializers.SerializerMethodField()
    district = serializers.IntegerField(source="facility.district_id")
    distance_m = serializers.SerializerMethodField()
    geom = ModelGeometryField("Point", source="facility.geom")

    def get_type(self, item) -> str:
        return "station" if isinstance(item.facility, Station) else "post"

    def get_number(self, item) -> str | None:
        return getattr(item.facility, "number", None)

    def get_reception_hours(self, item) -> str:
        return getattr(item.facility, "reception_hours", "")

    def get_round_the_clock(self, item) -> bool:
        return bool(getattr(item.facility, "round_the_clock", False))

    def get_distance_m(self, item) -> float:
        return round(item.distance_m, 1)


class LocationSerializer(CachedFieldsMixin, serializers.Serializer):
    precinct = PrecinctRefSerializer()
    district = TerritoryRefSerializer(source="precinct.district")
    region = TerritoryRefSerializer(source="precinct.district.region")
    inspectors = InspectorTeamSerializer(many=True)
    nearest_facilities = NearbyFacilitySerializer(many=True, source="nearest")
    next_meeting = MeetingSerializer(allow_null=True)
