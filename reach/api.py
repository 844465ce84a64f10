"""Coverage in the API: one district's metrics, and a row per district for the overview."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from stations.filters import DistrictFilter
from stations.models import District

from .selectors import coverage_overview, coverage_snapshot_for_api
from .serializers import CoverageRowSerializer, CoverageSnapshotSerializer
from .services import coverage_recompute


class DistrictCoverageView(APIView):
    """The stored coverage of one district (computed now if it has none yet)."""

    permission_classes = [permissions.AllowAny]  # aggregate figures, no personal data
    http_method_names = ["get", "head", "options"]

    @extend_schema(responses=CoverageSnapshotSerializer)
    def get(self, request, pk: int):
        district = get_object_or_404(District.objects.only("pk"), pk=pk)
        snapshot = coverage_snapshot_for_api(district_id=district.pk)
        if snapshot is None:
            snapshot = coverage_recompute(district=District.objects.get(pk=district.pk))
        return Response(CoverageSnapshotSerializer(snapshot).data)


class CoverageListView(generics.ListAPIView):
    """A row per district: population, facilities, inspectors, covered share, vacancies."""

    permission_classes = [permissions.AllowAny]
    serializer_class = CoverageRowSerializer
    filterset_class = DistrictFilter
    search_fields = ["name", "name_kk", "kato"]
    ordering_fields = ["name", "population", "id"]

    def get_queryset(self):
        return coverage_overview()
