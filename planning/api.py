"""API: offence statistics, candidate sites, siting plans (run, read, export)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import filters, mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from servicepolice.permissions import can_read, can_read_whole_region, can_view_private, readable
from servicepolice.viewsets import RegistryViewSet
from stations.models import District

from . import export, selectors, serializers, services
from .filters import CandidateSiteFilter, OffenceCountFilter, SitingPlanFilter
from .models import OffenceCategory, SitingPlan

MSG_DISTRICT_OUT_OF_SCOPE = _("Этот район вне вашей зоны ответственности.")
MSG_REGION_OUT_OF_SCOPE = _("Эта область не входит целиком в вашу зону ответственности.")
MSG_NO_CATEGORY = _("Нет категории правонарушений с кодом «%(code)s».")


class OffenceCategoryViewSet(RegistryViewSet):
    """Offence categories (editable data: total, grave, robbery, hooliganism, theft, ...)."""

    queryset = selectors.offence_category_list()
    serializer_class = serializers.OffenceCategorySerializer
    search_fields = ["code", "name"]
    ordering_fields = ["position", "name", "id"]
    ordering = ["position", "name"]
    save_service = staticmethod(lambda obj: services.offence_category_save(category=obj))


class OffenceCountViewSet(RegistryViewSet):
    """Offences registered per month, category and precinct (or district as a whole)."""

    queryset = selectors.offence_count_list()
    serializer_class = serializers.OffenceCountSerializer
    filterset_class = OffenceCountFilter
    search_fields = ["district__name", "district__kato"]
    ordering_fields = ["month", "count", "id"]
    ordering = ["-month", "id"]
    save_service = staticmethod(lambda obj: services.offence_count_save(offence_count=obj))

    def get_queryset(self):
        return super().get_queryset().defer("district__geom", "precinct__geom")


class CandidateSiteViewSet(RegistryViewSet):
    """Candidate sites for new stations and posts (land plots, new residential complexes)."""

    queryset = selectors.candidate_site_list()
    serializer_class = serializers.CandidateSiteSerializer
    geo_serializer_class = serializers.CandidateSiteGeoSerializer
    filterset_class = CandidateSiteFilter
    search_fields = ["name", "note"]
    ordering_fields = ["name", "id"]
    ordering = ["district__name", "name"]
    save_service = staticmethod(lambda obj: services.candidate_site_save(site=obj))

    def get_queryset(self):
        return super().get_queryset().defer("district__geom")


class PlanPermission(permissions.BasePermission):
    """Plans are internal: reading needs the plan's view (or change) permission, running one
    the add permission, deleting the delete permission."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not user or not user.is_authenticated:
            return False
        if request.method in permissions.SAFE_METHODS:
            return can_view_private(user, SitingPlan)
        if request.method == "DELETE":
            return user.has_perm("planning.delete_sitingplan")
        return user.has_perm("planning.add_sitingplan")


class SitingPlanViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Siting plans: POST runs the planner for a district (or a whole region: `region`
    instead of `district`) and saves the plan."""

    queryset = selectors.siting_plan_list()
    serializer_class = serializers.SitingPlanSerializer
    permission_classes = [PlanPermission]
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    filterset_class = SitingPlanFilter
    ordering_fields = ["created_at", "objective", "id"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        # Plans are working documents with their authors, not public data: a signed-in user
        # without a scope (no role or membership) sees none, whatever permissions they hold.
        return readable(
            self.request.user,
            super().get_queryset().defer("district__geom", "region__geom"),
            public=False,
        )

    @extend_schema(
        request=serializers.SitingPlanRunSerializer,
        responses={201: serializers.SitingPlanSerializer},
    )
    def create(self, request, *args, **kwargs):
        run = serializers.SitingPlanRunSerializer(data=request.data)
        run.is_valid(raise_exception=True)
        data = dict(run.validated_data)
        district, region = data["district"], data["region"]
        if district is not None and not can_read(request.user, district):
            raise ValidationError({"district": [MSG_DISTRICT_OUT_OF_SCOPE]})
        if region is not None and not can_read_whole_region(request.user, region):
            raise ValidationError({"region": [MSG_REGION_OUT_OF_SCOPE]})
        plan = services.siting_plan_run(params=services.PlanInput(**data), author=request.user)
        plan = self.get_queryset().get(pk=plan.pk)
        return Response(self.get_serializer(plan).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses={
            (200, "application/geo+json"): OpenApiResponse(
                OpenApiTypes.OBJECT, description="FeatureCollection of the proposed sites"
            )
        }
    )
    @action(detail=True, methods=["get"])
    def geojson(self, request, pk=None):
        """The plan's proposed sites as a GeoJSON file."""
        plan = self.get_object()
        response = HttpResponse(
            export.plan_geojson(plan), content_type="application/geo+json; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="siting-plan-{plan.pk}.geojson"'
        return response

    @extend_schema(
        responses={
            (
                200,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ): OpenApiResponse(OpenApiTypes.BINARY, description="Excel workbook")
        }
    )
    @action(detail=True, methods=["get"])
    def xlsx(self, request, pk=None):
        """The plan as an Excel workbook: its sites and its parameters and metrics."""
        plan = self.get_object()
        response = HttpResponse(
            export.plan_xlsx(plan),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="siting-plan-{plan.pk}.xlsx"'
        return response


class DistrictOffencesView(APIView):
    """A district's offence figures: per precinct, offences per 1,000 residents over the last
    12 months with data; per category, the year to date against the same months a year before."""

    permission_classes = [permissions.AllowAny]  # aggregate figures, no personal data
    http_method_names = ["get", "head", "options"]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "category", str, description="код категории для раскраски (по умолчанию total)"
            )
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request, pk: int):
        district = get_object_or_404(District.objects.only("pk"), pk=pk)
        code = request.query_params.get("category")
        category = None
        if code:
            category = OffenceCategory.objects.filter(code=code).first()
            if category is None:
                raise ValidationError({"category": [MSG_NO_CATEGORY % {"code": code}]})
        return Response(selectors.offence_summary(district=district, category=category))
