"""API for meetings, suggestions (with their transitions and history), the routing data and
quarterly compliance. Each write calls one service."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from servicepolice.api import LimitOffsetPagination
from servicepolice.history_api import HistoryEntrySerializer
from servicepolice.permissions import (
    ModelChangePermission,
    ModelViewPermission,
    can_read,
    can_view_private,
)
from servicepolice.viewsets import RegistryViewSet

from . import filters, selectors, serializers, services
from .models import Meeting, Suggestion
from .quarters import Quarter

INVALID = OpenApiResponse(description="invalid input or transition; fields named in extra.fields")


def _change(request, responses):
    """A POST that changes one suggestion: its own input shape, the `change` permission."""

    def decorate(method):
        method = action(
            detail=True,
            methods=["post"],
            permission_classes=[ModelChangePermission],
            filter_backends=[],
        )(method)
        return extend_schema(request=request, responses=responses)(method)

    return decorate


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
    """Residents' suggestions made at meetings, routed to responsible bodies and tracked to a
    result. Status, body and merging change only through the actions below, which keep the
    history."""

    serializer_class = serializers.SuggestionSerializer
    filterset_class = filters.SuggestionFilter
    search_fields = ["text", "resolution", "external_ref"]
    ordering_fields = ["created_at", "status", "deadline", "resolved_on", "id"]
    ordering = ["-created_at"]

    def get_queryset(self):
        if self.action in ("list", "retrieve", "update", "partial_update", "destroy"):
            return selectors.suggestion_list()
        return Suggestion.objects.all()  # the actions read what they need themselves

    def save_instance(self, instance: Suggestion) -> Suggestion:
        return services.suggestion_save(suggestion=instance, user=self.request.user)

    def _answer(self, suggestion: Suggestion, code: int = status.HTTP_200_OK) -> Response:
        fresh = selectors.suggestion_list().get(pk=suggestion.pk)
        return Response(serializers.SuggestionSerializer(fresh).data, status=code)

    @_change(
        serializers.TransitionSerializer, {200: serializers.SuggestionSerializer, 400: INVALID}
    )
    def transition(self, request, pk=None):
        """Move the suggestion to another status with a comment. Allowed: new → forwarded or
        rejected; forwarded → in progress, resolved, rejected or not in competence; in progress
        → resolved, rejected or not in competence; not in competence → forwarded (to another
        body) or rejected. Resolved, rejected and merged are final. Anything else is a 400."""
        suggestion = self.get_object()
        data = _valid(serializers.TransitionSerializer, request.data)
        suggestion = services.suggestion_transition(
            suggestion=suggestion,
            to_status=data["status"],
            comment=data["comment"],
            body=data["body"],
            user=request.user,
        )
        return self._answer(suggestion)

    @_change(serializers.RouteSerializer, {200: serializers.SuggestionSerializer, 400: INVALID})
    def route(self, request, pk=None):
        """Re-route the suggestion to another body by hand (new deadline from today)."""
        suggestion = self.get_object()
        data = _valid(serializers.RouteSerializer, request.data)
        suggestion = services.suggestion_route(
            suggestion=suggestion, body=data["body"], comment=data["comment"], user=request.user
        )
        return self._answer(suggestion)

    @_change(
        serializers.CommentSerializer, {201: serializers.SuggestionEventSerializer, 400: INVALID}
    )
    def comment(self, request, pk=None):
        """Add a comment to the suggestion's history."""
        suggestion = self.get_object()
        data = _valid(serializers.CommentSerializer, request.data)
        event = services.suggestion_comment(
            suggestion=suggestion, comment=data["comment"], user=request.user
        )
        return Response(
            serializers.SuggestionEventSerializer(event, context={"show_user": True}).data,
            status=status.HTTP_201_CREATED,
        )

    @_change(serializers.MergeSerializer, {200: serializers.SuggestionSerializer, 400: INVALID})
    def merge(self, request, pk=None):
        """Merge similar suggestions of the same precinct into this one; each keeps its text
        and becomes "merged" with a link here."""
        suggestion = self.get_object()
        data = _valid(serializers.MergeSerializer, request.data)
        suggestion = services.suggestion_merge(
            target=suggestion,
            suggestions=data["suggestions"],
            comment=data["comment"],
            user=request.user,
        )
        return self._answer(suggestion)

    @extend_schema(responses=serializers.SuggestionEventSerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[])
    def history(self, request, pk=None):
        """The suggestion's history, oldest first: when, from which status to which, which body,
        the comment, and who (for staff who may view suggestions)."""
        suggestion = self.get_object()
        page = self.paginate_queryset(selectors.suggestion_history(suggestion_id=suggestion.pk))
        context = {"show_user": can_view_private(request.user, Suggestion)}
        return self.get_paginated_response(
            serializers.SuggestionEventSerializer(page, many=True, context=context).data
        )

    @extend_schema(
        responses=HistoryEntrySerializer(many=True),
        description=(
            "The suggestion's audit history (every change to the record: who, when, through "
            "which door, what changed), newest first; `history/` is its workflow history. "
            "Needs a login."
        ),
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def audit(self, request, pk=None):
        """The suggestion's audit history, newest first (other resources: `history/`)."""
        return self.audit_history_response(request)

    @extend_schema(
        parameters=[serializers.SummaryQuerySerializer],
        responses=serializers.SuggestionSummarySerializer,
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def summary(self, request):
        """Open and overdue suggestions by responsible body and by district (in a district or a
        region, or everywhere)."""
        query = _valid(serializers.SummaryQuerySerializer, request.query_params)
        today = timezone.localdate()
        district, region = query.get("district"), query.get("region")
        by_body = selectors.suggestion_tally_by_body(
            district_id=district, region_id=region, today=today
        )
        by_district = selectors.suggestion_tally_by_district(region_id=region, today=today)
        if district is not None:
            by_district = [row for row in by_district if row.id == district]
        data = {"today": today, "by_body": by_body, "by_district": by_district}
        return Response(serializers.SuggestionSummarySerializer(data).data)


class CategoryViewSet(RegistryViewSet):
    """Categories of suggestions (lighting, video surveillance…); the routing table uses them."""

    queryset = selectors.category_list()
    serializer_class = serializers.CategorySerializer
    filterset_class = filters.CategoryFilter
    search_fields = ["name", "name_kk", "code"]
    ordering_fields = ["sort_order", "name", "id"]
    ordering = ["sort_order", "name"]
    save_service = staticmethod(lambda obj: services.category_save(category=obj))


class ResponsibleBodyViewSet(RegistryViewSet):
    """Bodies that act on suggestions: police units, akimat departments, utility companies."""

    queryset = selectors.responsible_body_list()
    serializer_class = serializers.ResponsibleBodySerializer
    filterset_class = filters.ResponsibleBodyFilter
    search_fields = ["name"]
    ordering_fields = ["name", "id"]
    ordering = ["name"]
    save_service = staticmethod(lambda obj: services.responsible_body_save(body=obj))


class RoutingRuleViewSet(RegistryViewSet):
    """The routing table: which body handles which category in which district (empty district:
    the default route), with a deadline in days."""

    queryset = selectors.routing_rule_list()
    serializer_class = serializers.RoutingRuleSerializer
    filterset_class = filters.RoutingRuleFilter
    ordering_fields = ["deadline_days", "id"]
    ordering = ["category__sort_order", "category__name", "id"]
    save_service = staticmethod(lambda obj: services.routing_rule_save(rule=obj))


class ComplianceView(APIView):
    """Quarterly compliance: per inspector (or summed per precinct, district, region), the
    quarterly report meetings owed, held and planned, and what is missing. Needs a login with
    the `meetings.view_meeting` permission."""

    permission_classes = [ModelViewPermission]
    permission_model = Meeting
    http_method_names = ["get", "head", "options"]
    pagination_class = LimitOffsetPagination

    @extend_schema(
        parameters=[
            serializers.ComplianceQuerySerializer,
            OpenApiParameter("limit", OpenApiTypes.INT, description="1–500, по умолчанию 50"),
            OpenApiParameter("offset", OpenApiTypes.INT),
        ],
        responses={200: serializers.ComplianceSerializer, 400: INVALID},
    )
    def get(self, request):
        query = _valid(serializers.ComplianceQuerySerializer, request.query_params)
        report = selectors.compliance_report(
            quarter=query.get("quarter") or Quarter.current(),
            district_id=query.get("district"),
            region_id=query.get("region"),
        )
        # Named inspectors' figures: only those of precincts the user's scope reads.
        report.rows = [row for row in report.rows if can_read(request.user, row.precinct)]
        group = query["group"]
        if group == selectors.Level.INSPECTOR:
            rows = report.rows
            if query.get("state"):
                rows = [row for row in rows if row.state == query["state"]]
            if query["at_risk"]:
                rows = [row for row in rows if row.at_risk]
            row_serializer = serializers.ComplianceRowSerializer
        else:
            rows = report.groups(group)
            row_serializer = serializers.ComplianceGroupSerializer
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows, request, view=self)
        quarter = report.quarter
        return Response(
            {
                "quarter": str(quarter),
                "label": quarter.label,
                "first_day": quarter.first_day,
                "last_day": quarter.last_day,
                "days_left": report.days_left,
                "is_over": report.is_over,
                "meetings_per_quarter": report.per_quarter,
                "warning_days": report.warning_days,
                "group": group,
                "totals": serializers.ComplianceGroupSerializer(report.totals).data,
                "count": paginator.count,
                "next": paginator.get_next_link(),
                "previous": paginator.get_previous_link(),
                "results": row_serializer(page, many=True).data,
            }
        )


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
