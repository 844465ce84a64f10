"""The "find my inspector" lookup and a precinct's team, meetings and suggestions."""

from __future__ import annotations

from django.contrib.gis.geos import Point
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from meetings.filters import MeetingFilter, SuggestionFilter
from meetings.selectors import meeting_list, suggestion_list
from meetings.serializers import MeetingSerializer, SuggestionSerializer
from officers.serializers import InspectorTeamSerializer
from servicepolice import geo
from stations.api import PrecinctViewSet as BasePrecinctViewSet

from .selectors import locate, precinct_team
from .serializers import LocateQuerySerializer, LocationSerializer, NearbyFacilitySerializer

MSG_OUTSIDE_PRECINCTS = _(
    "Точка не входит ни в один административный участок. Ниже ближайшие действующие пункты полиции."
)


class PrecinctViewSet(BasePrecinctViewSet):
    """Precincts, with the team, meetings and suggestions of each (like the UK police API's
    neighbourhoods)."""

    @extend_schema(responses=InspectorTeamSerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def team(self, request, pk=None):
        """The precinct's serving inspectors with their assistants (public fields)."""
        precinct = self.get_object()
        team = precinct_team(precinct_id=precinct.pk)
        return Response(InspectorTeamSerializer(team, many=True).data)

    @extend_schema(responses=MeetingSerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[])
    def meetings(self, request, pk=None):
        """The precinct's meetings, newest first (paged, filterable like /meetings/)."""
        precinct = self.get_object()
        queryset = MeetingFilter(
            request.query_params, queryset=meeting_list().filter(precinct=precinct)
        )
        return self._paged(queryset, MeetingSerializer)

    @extend_schema(responses=SuggestionSerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[])
    def suggestions(self, request, pk=None):
        """Residents' suggestions made at the precinct's meetings (paged)."""
        precinct = self.get_object()
        queryset = SuggestionFilter(
            request.query_params, queryset=suggestion_list().filter(meeting__precinct=precinct)
        )
        return self._paged(queryset, SuggestionSerializer)

    def _paged(self, filterset, serializer_class):
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        page = self.paginate_queryset(filterset.qs)
        return self.get_paginated_response(serializer_class(page, many=True).data)


class LocateView(APIView):
    """Find the precinct, its inspectors, the nearest police and the next meeting for a point."""

    permission_classes = [permissions.AllowAny]  # public data only, read-only
    http_method_names = ["get", "head", "options"]

    @extend_schema(
        parameters=[LocateQuerySerializer],
        responses={
            200: LocationSerializer,
            400: OpenApiResponse(description="lat or lon missing or not a coordinate"),
            404: OpenApiResponse(
                description="no precinct holds the point; nearest facilities in extra"
            ),
        },
    )
    def get(self, request):
        query = LocateQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        point = Point(query.validated_data["lon"], query.validated_data["lat"], srid=geo.WGS84)
        location = locate(point=point)
        if location.precinct is None:
            return Response(
                {
                    "message": str(MSG_OUTSIDE_PRECINCTS),
                    "code": "not_found",
                    "extra": {
                        "nearest_facilities": NearbyFacilitySerializer(
                            location.nearest, many=True
                        ).data
                    },
                },
                status=status.HTTP_404_NOT_FOUND,
            )
        return Response(LocationSerializer(location).data)
