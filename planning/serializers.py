"""API shapes for offence statistics, candidate sites and siting plans."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from servicepolice.api import ChoiceLabelField, ModelGeometryField, geojson_serializer
from stations.models import District, Region

from .models import (
    CandidateSite,
    FacilityKind,
    OffenceCategory,
    OffenceCount,
    SitingPlan,
    SitingPlanSite,
)

TIMESTAMPS = ("created_at", "updated_at")


class OffenceCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = OffenceCategory
        fields = ("id", "code", "name", "position")


class OffenceCountSerializer(serializers.ModelSerializer):
    district = serializers.PrimaryKeyRelatedField(
        queryset=District.objects.only("pk"),
        required=False,
        help_text=_("Можно не указывать, если указан участок."),
    )
    category = serializers.SlugRelatedField(
        slug_field="code", queryset=OffenceCategory.objects.all()
    )

    class Meta:
        model = OffenceCount
        fields = ("id", "district", "precinct", "category", "month", "count", *TIMESTAMPS)
        validators = []  # the uniqueness rules are checked by the service (full_clean)

    def validate(self, attrs):
        district = attrs.get("district", getattr(self.instance, "district", None))
        precinct = attrs.get("precinct", getattr(self.instance, "precinct", None))
        if district is None and precinct is None:
            raise serializers.ValidationError({"district": [_("Укажите район или участок.")]})
        return attrs


class CandidateSiteSerializer(serializers.ModelSerializer):
    geom = ModelGeometryField("Point")

    class Meta:
        model = CandidateSite
        fields = ("id", "district", "name", "kind", "geom", "note", "active", *TIMESTAMPS)


CandidateSiteGeoSerializer = geojson_serializer(CandidateSiteSerializer)


class SitingPlanSiteSerializer(serializers.ModelSerializer):
    geom = ModelGeometryField("Point", read_only=True)
    candidate_name = serializers.CharField(source="candidate.name", read_only=True, default="")

    class Meta:
        model = SitingPlanSite
        fields = (
            "rank",
            "geom",
            "district",
            "source",
            "candidate",
            "candidate_name",
            "newly_covered_population",
            "gain",
            "station",
            "post",
        )
        read_only_fields = fields


class SitingPlanSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", read_only=True, default=None)
    offence_category = serializers.CharField(
        source="offence_category.code", read_only=True, default=None
    )
    solver_label = ChoiceLabelField("solver", SitingPlan.Solver.choices)
    solver_status_label = ChoiceLabelField("solver_status", SitingPlan.SolverStatus.choices)
    sites = SitingPlanSiteSerializer(many=True, read_only=True)

    class Meta:
        model = SitingPlan
        fields = (
            "id",
            "district",
            "region",
            "name",
            "author",
            "created_at",
            "facility_kind",
            "new_sites",
            "radius_m",
            "offence_weight",
            "offence_category",
            "use_candidate_sites",
            "use_grid",
            "grid_spacing_m",
            "min_distance_m",
            "time_limit_s",
            "solver",
            "solver_label",
            "solver_status",
            "solver_status_label",
            "objective",
            "greedy_objective",
            "exact_objective",
            "runtime_s",
            "metrics",
            "sites",
        )
        read_only_fields = fields


MSG_DISTRICT_OR_REGION = _("Укажите либо район, либо область (одно из двух).")
MSG_REGION_NO_DISTRICTS = _("В области нет районов.")
MSG_REGION_RADIUS = _(
    "Радиусы доступности районов области различаются (%(radii)s м): укажите радиус явно."
)


class SitingPlanRunSerializer(serializers.Serializer):
    """A plan's parameters, for a district or for a whole region (exactly one of the two).

    Without `radius_m`: the district's walking radius; for a region, its districts' radius
    when they all agree, else `radius_m` is required."""

    district = serializers.PrimaryKeyRelatedField(
        queryset=District.objects.all(), required=False, allow_null=True, default=None
    )
    region = serializers.PrimaryKeyRelatedField(
        queryset=Region.objects.all(), required=False, allow_null=True, default=None
    )
    name = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    facility_kind = serializers.ChoiceField(choices=FacilityKind.choices)
    new_sites = serializers.IntegerField(min_value=1, max_value=50)
    radius_m = serializers.IntegerField(min_value=50, max_value=50_000, required=False)
    offence_weight = serializers.FloatField(min_value=0.0, max_value=1.0, default=0.0)
    offence_category = serializers.SlugRelatedField(
        slug_field="code",
        queryset=OffenceCategory.objects.all(),
        required=False,
        allow_null=True,
        default=None,
    )
    use_candidate_sites = serializers.BooleanField(default=True)
    use_grid = serializers.BooleanField(default=False)
    grid_spacing_m = serializers.IntegerField(min_value=50, max_value=20_000, default=500)
    min_distance_m = serializers.IntegerField(min_value=0, max_value=50_000, default=300)
    time_limit_s = serializers.FloatField(min_value=0.1, max_value=60.0, default=10.0)

    def validate(self, attrs):
        district, region = attrs.get("district"), attrs.get("region")
        if (district is None) == (region is None):
            message = [MSG_DISTRICT_OR_REGION]
            raise serializers.ValidationError({"district": message, "region": message})
        if region is not None:
            radii = sorted({d.effective_radius_m for d in region.districts.all()})
            if not radii:
                raise serializers.ValidationError({"region": [MSG_REGION_NO_DISTRICTS]})
            if "radius_m" not in attrs:
                if len(radii) > 1:
                    raise serializers.ValidationError(
                        {
                            "radius_m": [
                                MSG_REGION_RADIUS % {"radii": ", ".join(str(r) for r in radii)}
                            ]
                        }
                    )
                attrs["radius_m"] = radii[0]
        elif "radius_m" not in attrs:
            attrs["radius_m"] = district.effective_radius_m
        return attrs
