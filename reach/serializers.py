"""API shapes for coverage."""

from __future__ import annotations

from rest_framework import serializers

from servicepolice.api import CachedFieldsMixin, LocalizedNameField, ModelGeometryField

from .models import CoverageSnapshot


class CoverageSnapshotSerializer(CachedFieldsMixin, serializers.ModelSerializer):
    """A district's coverage: the metrics, each precinct's, and the uncovered area (GeoJSON)."""

    district_name = serializers.CharField(source="district.display_name", read_only=True)
    district_kato = serializers.CharField(source="district.kato", read_only=True)
    uncovered = ModelGeometryField("MultiPolygon", allow_null=True, read_only=True)
    precincts = serializers.ListField(child=serializers.DictField(), read_only=True)
    vacancies = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    precincts_without_facility = serializers.ListField(
        child=serializers.IntegerField(), read_only=True
    )
    settlements_beyond_radius = serializers.ListField(child=serializers.DictField(), read_only=True)

    class Meta:
        model = CoverageSnapshot
        exclude = ("id",)
        read_only_fields = [f.name for f in CoverageSnapshot._meta.fields]


class CoverageRowSerializer(CachedFieldsMixin, serializers.Serializer):
    """One district in the overview table."""

    id = serializers.IntegerField()
    name = LocalizedNameField()
    name_kk = serializers.CharField()
    kato = serializers.CharField()
    kind = serializers.CharField()
    region = serializers.IntegerField(source="region_id")
    region_name = serializers.CharField(source="region.display_name")
    population = serializers.SerializerMethodField()
    precincts = serializers.IntegerField(source="precinct_count")
    stations = serializers.IntegerField(source="operating_stations")
    posts = serializers.IntegerField(source="operating_posts")
    inspectors = serializers.IntegerField(source="active_inspectors_count")
    residents_per_inspector = serializers.SerializerMethodField()
    covered_population_share = serializers.SerializerMethodField()
    covered_area_share = serializers.SerializerMethodField()
    night_covered_population_share = serializers.SerializerMethodField()
    vacancies = serializers.SerializerMethodField()
    radius_m = serializers.SerializerMethodField()
    computed_at = serializers.SerializerMethodField()

    def _snapshot(self, district):
        return getattr(district, "coverage", None)

    def _value(self, district, name):
        snapshot = self._snapshot(district)
        return None if snapshot is None else getattr(snapshot, name)

    def get_population(self, district) -> int:
        """The snapshot's population (settlement totals where it counts settlements)."""
        snapshot = self._snapshot(district)
        return district.population if snapshot is None else snapshot.population

    def get_residents_per_inspector(self, district) -> float | None:
        if district.active_inspectors_count:
            return round(self.get_population(district) / district.active_inspectors_count, 1)
        return None

    def get_covered_population_share(self, district) -> float | None:
        return self._value(district, "covered_population_share")

    def get_covered_area_share(self, district) -> float | None:
        return self._value(district, "covered_area_share")

    def get_night_covered_population_share(self, district) -> float | None:
        return self._value(district, "night_covered_population_share")

    def get_vacancies(self, district) -> int | None:
        vacancies = self._value(district, "vacancies")
        return None if vacancies is None else len(vacancies)

    def get_radius_m(self, district) -> int:
        return district.effective_radius_m

    def get_computed_at(self, district) -> str | None:
        value = self._value(district, "computed_at")
        return None if value is None else serializers.DateTimeField().to_representation(value)
