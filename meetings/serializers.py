"""API shapes for meetings, suggestions, their history, the routing data and compliance."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from servicepolice.api import (
    CachedFieldsMixin,
    ChoiceLabelField,
    LocalizedNameField,
    ModelGeometryField,
    geojson_serializer,
)

from .models import Category, Meeting, ResponsibleBody, RoutingRule, Suggestion, SuggestionEvent
from .quarters import MSG_QUARTER, Quarter
from .selectors import Level, State

TIMESTAMPS = ("created_at", "updated_at")
MSG_STATUS_VIA_TRANSITION = _(
    "Статус меняется только переходом: POST /api/v1/suggestions/{id}/transition/ "
    "с целевым статусом и комментарием."
)
MSG_BODY_VIA_ROUTE = _(
    "Исполнитель меняется перенаправлением: POST /api/v1/suggestions/{id}/route/ "
    "с новым исполнителем и комментарием."
)


class MeetingSerializer(CachedFieldsMixin, serializers.ModelSerializer):
    geom = ModelGeometryField("Point", required=False, allow_null=True)
    kind_label = ChoiceLabelField("kind", Meeting.Kind.choices)
    status_label = ChoiceLabelField("status", Meeting.Status.choices)
    quarter = serializers.SerializerMethodField()

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
            "quarter",
            "place",
            "geom",
            "status",
            "status_label",
            "cancel_reason",
            "attendees",
            "minutes",
            *TIMESTAMPS,
        )

    @extend_schema_field(serializers.CharField(help_text="2026Q3"))
    def get_quarter(self, meeting: Meeting) -> str | None:
        """The local-time quarter of the day it was held, or else planned for."""
        when = meeting.held_at or meeting.scheduled_at
        return str(Quarter.of(when)) if when else None


MeetingGeoSerializer = geojson_serializer(MeetingSerializer)


class MergedSuggestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Suggestion
        fields = ("id", "text")
        read_only_fields = fields


class SuggestionSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Category.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Код категории (lighting, video, patrolling…); по нему выбирается маршрут."),
    )
    category_label = serializers.CharField(
        source="category.display_name", read_only=True, allow_null=True
    )
    status_label = ChoiceLabelField("status", Suggestion.Status.choices)
    body = serializers.PrimaryKeyRelatedField(
        queryset=ResponsibleBody.objects.all(),
        required=False,
        allow_null=True,
        help_text=_(
            "Исполнитель. Пусто: по маршруту категории. Потом меняется только через /route/."
        ),
    )
    body_name = serializers.CharField(source="body.display_name", read_only=True, allow_null=True)
    overdue = serializers.BooleanField(read_only=True)
    merged = MergedSuggestionSerializer(many=True, read_only=True)

    class Meta:
        model = Suggestion
        fields = (
            "id",
            "meeting",
            "text",
            "category",
            "category_label",
            "status",
            "status_label",
            "body",
            "body_name",
            "deadline",
            "overdue",
            "external_ref",
            "merged_into",
            "merged",
            "resolution",
            "resolved_on",
            *TIMESTAMPS,
        )
        read_only_fields = ("status", "merged_into", "resolved_on")

    def validate(self, attrs):
        data = self.initial_data if isinstance(self.initial_data, dict) else {}
        current = self.instance.status if self.instance else Suggestion.Status.NEW
        if "status" in data and data["status"] != current:
            raise serializers.ValidationError({"status": [MSG_STATUS_VIA_TRANSITION]})
        if self.instance is not None and "body" in attrs:
            if (attrs["body"].pk if attrs["body"] else None) != self.instance.body_id:
                raise serializers.ValidationError({"body": [MSG_BODY_VIA_ROUTE]})
        return attrs

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not hasattr(instance, "overdue"):  # not read through suggestion_list()
            data["overdue"] = instance.is_overdue()
        return data


class SuggestionEventSerializer(serializers.ModelSerializer):
    """A line of a suggestion's history. `user` (who) only for staff who may view suggestions'
    internals; everyone else gets null."""

    kind_label = ChoiceLabelField("kind", SuggestionEvent.Kind.choices)
    from_status_label = ChoiceLabelField("from_status", Suggestion.Status.choices)
    to_status_label = ChoiceLabelField("to_status", Suggestion.Status.choices)
    body_name = serializers.CharField(source="body.display_name", read_only=True, allow_null=True)
    user = serializers.SerializerMethodField()

    class Meta:
        model = SuggestionEvent
        fields = (
            "id",
            "kind",
            "kind_label",
            "at",
            "user",
            "from_status",
            "from_status_label",
            "to_status",
            "to_status_label",
            "body",
            "body_name",
            "comment",
        )
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_user(self, event: SuggestionEvent) -> str | None:
        if not self.context.get("show_user") or event.user is None:
            return None
        return event.user.get_full_name() or event.user.get_username()


class TransitionSerializer(serializers.Serializer):
    """Input of /transition/: the target status, a comment (required by the rules), and the
    body when forwarding to another one."""

    status = serializers.ChoiceField(
        choices=[c for c in Suggestion.Status.choices if c[0] != Suggestion.Status.MERGED],
        help_text=_("Целевой статус."),
    )
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=5000,
        help_text=_("Обязателен: что сделано или почему меняется статус."),
    )
    body = serializers.PrimaryKeyRelatedField(
        queryset=ResponsibleBody.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Исполнитель, только для статуса «направлено исполнителю»."),
    )


class RouteSerializer(serializers.Serializer):
    body = serializers.PrimaryKeyRelatedField(queryset=ResponsibleBody.objects.all())
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class MergeSerializer(serializers.Serializer):
    suggestions = serializers.PrimaryKeyRelatedField(
        queryset=Suggestion.objects.all(),
        many=True,
        help_text=_("Предложения того же участка, которые присоединяются к этому."),
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class TallySerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    open = serializers.IntegerField()
    overdue = serializers.IntegerField()


class SuggestionSummarySerializer(serializers.Serializer):
    """Open and overdue suggestions by body (id null: not routed) and by district."""

    today = serializers.DateField()
    by_body = TallySerializer(many=True)
    by_district = TallySerializer(many=True)


class SummaryQuerySerializer(serializers.Serializer):
    district = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    region = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)


# --- Routing data -----------------------------------------------------------------------------


class CategorySerializer(serializers.ModelSerializer):
    name = LocalizedNameField(max_length=200)
    name_ru = serializers.CharField(source="name", read_only=True)

    class Meta:
        model = Category
        fields = ("id", "code", "name", "name_ru", "name_kk", "sort_order", *TIMESTAMPS)


class ResponsibleBodySerializer(serializers.ModelSerializer):
    name = LocalizedNameField(max_length=300)
    name_ru = serializers.CharField(source="name", read_only=True)
    kind_label = ChoiceLabelField("kind", ResponsibleBody.Kind.choices)
    district_name = serializers.CharField(
        source="district.display_name", read_only=True, allow_null=True
    )

    class Meta:
        model = ResponsibleBody
        fields = (
            "id",
            "name",
            "name_ru",
            "name_kk",
            "kind",
            "kind_label",
            "district",
            "district_name",
            "phone",
            "email",
            "is_active",
            *TIMESTAMPS,
        )


class RoutingRuleSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="code", queryset=Category.objects.all())
    category_label = serializers.CharField(source="category.display_name", read_only=True)
    body_name = serializers.CharField(source="body.display_name", read_only=True)

    class Meta:
        model = RoutingRule
        fields = (
            "id",
            "category",
            "category_label",
            "district",
            "body",
            "body_name",
            "deadline_days",
            *TIMESTAMPS,
        )


# --- Compliance -------------------------------------------------------------------------------


class ComplianceQuerySerializer(serializers.Serializer):
    quarter = serializers.CharField(
        required=False,
        help_text=_(
            "Квартал по местному времени (Asia/Almaty), например 2026Q3; по умолчанию текущий."
        ),
    )
    district = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    region = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    group = serializers.ChoiceField(choices=Level.CHOICES, required=False, default=Level.INSPECTOR)
    state = serializers.ChoiceField(
        choices=State.CHOICES,
        required=False,
        help_text=_("Только строки инспекторов в этом состоянии (для group=inspector)."),
    )
    at_risk = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_(
            "Только инспекторы, у которых встреча не проведена и не запланирована, "
            "а до конца квартала осталось меньше MEETINGS_WARNING_DAYS дней."
        ),
    )

    def validate_quarter(self, value: str) -> Quarter:
        try:
            return Quarter.parse(value)
        except ValueError:
            raise serializers.ValidationError(MSG_QUARTER) from None


class _Ref(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()


class _InspectorRef(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    full_name = serializers.CharField()


class _PrecinctRef(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    number = serializers.IntegerField()
    name = serializers.CharField()


class _Counts(serializers.Serializer):
    owed = serializers.IntegerField()
    held = serializers.IntegerField()
    planned = serializers.IntegerField()
    missing = serializers.IntegerField()


class ComplianceRowSerializer(_Counts):
    """One inspector in one precinct for the quarter."""

    inspector = _InspectorRef()
    precinct = _PrecinctRef()
    district = _Ref()
    region = _Ref()
    days_served = serializers.IntegerField()
    on_leave = serializers.BooleanField()
    state = serializers.ChoiceField(choices=State.CHOICES)
    state_label = serializers.CharField()
    at_risk = serializers.BooleanField()


class ComplianceGroupSerializer(_Counts):
    """The sums of one precinct, district or region (or of the whole answer)."""

    id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    inspectors = serializers.IntegerField(
        help_text=_("инспекторов, которые должны провести встречу")
    )
    inspectors_missing = serializers.IntegerField()


class ComplianceSerializer(serializers.Serializer):
    """Schema of /compliance/: the quarter, the settings, totals and a page of rows."""

    quarter = serializers.CharField()
    label = serializers.CharField()
    first_day = serializers.DateField()
    last_day = serializers.DateField()
    days_left = serializers.IntegerField()
    is_over = serializers.BooleanField()
    meetings_per_quarter = serializers.IntegerField()
    warning_days = serializers.IntegerField()
    group = serializers.ChoiceField(choices=Level.CHOICES)
    totals = ComplianceGroupSerializer()
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = PolymorphicProxySerializer(
        component_name="ComplianceResult",
        serializers=[ComplianceRowSerializer, ComplianceGroupSerializer],
        resource_type_field_name=None,
        many=True,
    )
