"""API shapes for territories and facilities: plain JSON and GeoJSON Features."""

from __future__ import annotations

from rest_framework import serializers

from servicepolice.api import (
    CachedFieldsMixin,
    ChoiceLabelField,
    LocalizedNameField,
    ModelGeometryField,
    geojson_serializer,
)

from .models import (
    District,
    FacilityStatus,
    ModularPost,
    Precinct,
    Region,
    Settlement,
    Station,
)

TIMESTAMPS = ("created_at", "updated_at")


class RegionSerializer(CachedFieldsMixin, serializers.ModelSerializer):
    name = LocalizedNameField(max_length=200)
    name_ru = serializers.CharField(source="name", read_only=True)
    geom = ModelGeometryField("MultiPolygon")

    class Meta:
        model = Region
        fields = ("id", "name", "name_ru", "name_kk", "kato", "geom", *TIMESTAMPS)


class DistrictSerializer(CachedFieldsMixin, serializers.ModelSerializer):
    name = LocalizedNameField(max_length=200)
    name_ru = serializers.CharField(source="name", read_only=True)
    geom = ModelGeometryField("MultiPolygon")
    region_kato = serializers.CharField(source="region.kato", read_only=True)

    class Meta:
        model = District
        fields = (
            "id",
            "region",
            "region_kato",
            "name",
            "name_ru",
            "name_kk",
            "kato",
            "kind",
            "population",
            "geom",
            *TIMESTAMPS,
        )


class PrecinctSerializer(CachedFieldsMixin, serializers.ModelSerializer):
    geom = ModelGeometryField("MultiPolygon")
    district_kato = serializers.CharField(source="district.kato", read_only=True)

    class Meta:
        model = Precinct
        fields = (
            "id",
            "district",
            "district_kato",
            "number",
            "name",
            "population",
            "geom",
            *TIMESTAMPS,
        )


class SettlementSerializer(CachedFieldsMixin, serializers.ModelSerializer):
    name = LocalizedNameField(max_length=200)
    name_ru = serializers.CharField(source="name", read_only=True)
    geom = ModelGeometryField("Point")

    class Meta:
        model = Settlement
        fields = (
            "id",
            "district",
            "name",
            "name_ru",
            "name_kk",
            "kato",
            "population",
            "geom",
            *TIMESTAMPS,
        )


class StationSerializer(CachedFieldsMixin, serializers.ModelSerializer):
    geom = ModelGeometryField("Point")
    status_label = ChoiceLabelField("status", FacilityStatus.choices)

    class Meta:
        model = Station
        fields = (
            "id",
            "district",
            "precinct",
            "number",
            "name",
            "address",
            "geom",
            "status",
            "status_label",
            "round_the_clock",
            "opened_on",
            "closed_on",
            "combined_with_housing",
            "on_police_balance_since",
            "reception_hours",
            "phone",
            *TIMESTAMPS,
        )


class ModularPostSerializer(CachedFieldsMixin, serializers.ModelSerializer):
    geom = ModelGeometryField("Point")
    status_label = ChoiceLabelField("status", FacilityStatus.choices)

    class Meta:
        model = ModularPost
        fields = (
            "id",
            "district",
            "name",
            "address",
            "geom",
            "status",
            "status_label",
            "round_the_clock",
            "placement",
            "opened_on",
            "closed_on",
            "phone",
            *TIMESTAMPS,
        )


RegionGeoSerializer = geojson_serializer(RegionSerializer)
DistrictGeoSerializer = geojson_serializer(DistrictSerializer)
PrecinctGeoSerializer = geojson_serializer(PrecinctSerializer)
SettlementGeoSerializer = geojson_serializer(SettlementSerializer)
StationGeoSerializer = geojson_serializer(StationSerializer)
ModularPostGeoSerializer = geojson_serializer(ModularPostSerializer)
