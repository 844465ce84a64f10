"""FilterSets for meetings, suggestions and the routing data."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from stations.filters import (
    IsoDateTimeFilter,
    StrictBooleanFilter,
    StrictFilterSet,
    TerritoryFilterSet,
    WholeNumberFilter,
)

from .models import Category, Meeting, ResponsibleBody, RoutingRule, Suggestion
from .quarters import MSG_QUARTER, Quarter


def _since(field: str, label: str) -> IsoDateTimeFilter:
    return IsoDateTimeFilter(field_name=field, lookup_expr="gte", label=label)


def _until(field: str, label: str) -> IsoDateTimeFilter:
    return IsoDateTimeFilter(field_name=field, lookup_expr="lte", label=label)


class QuarterField(forms.CharField):
    """`2026Q3` → Quarter; anything else is an error naming the parameter."""

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return Quarter.parse(value)
        except ValueError:
            raise ValidationError(MSG_QUARTER, code="invalid") from None


@extend_schema_field(OpenApiTypes.STR)
class QuarterFilter(django_filters.Filter):
    """A calendar quarter in local time (Asia/Almaty), `2026Q3`."""

    field_class = QuarterField

    def filter(self, qs, value):
        if value is None:
            return qs
        return self.filter_quarter(qs, value)

    def filter_quarter(self, qs, quarter: Quarter):
        raise NotImplementedError


@extend_schema_field(OpenApiTypes.STR)
class CategoryCodeFilter(django_filters.ModelMultipleChoiceFilter):
    """Categories by code (`lighting`, `video`…), repeatable; an unknown code is a 400."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("field_name", "category__code")
        kwargs.setdefault("to_field_name", "code")
        kwargs.setdefault("queryset", Category.objects.all())
        super().__init__(*args, **kwargs)


class MeetingQuarterFilter(QuarterFilter):
    """A held meeting by the day it was held, any other by the day it was planned for."""

    def filter_quarter(self, qs, quarter: Quarter):
        return qs.in_quarter(quarter)


# Status and kind are columns of the row itself: no DISTINCT (see stations.filters).
class MeetingFilter(TerritoryFilterSet):
    """Meetings by territory, precinct, inspector, status, kind, quarter and date ranges.

    Each end of a date range is a parameter of its own, so an error names the one that is
    wrong (`scheduled_after`, not a combined `scheduled`).
    """

    district_path = "precinct__district"
    status = django_filters.MultipleChoiceFilter(choices=Meeting.Status.choices, distinct=False)
    kind = django_filters.MultipleChoiceFilter(choices=Meeting.Kind.choices, distinct=False)
    scheduled_after = _since("scheduled_at", _("запланирована не раньше (ISO 8601)"))
    scheduled_before = _until("scheduled_at", _("запланирована не позже (ISO 8601)"))
    held_after = _since("held_at", _("проведена не раньше (ISO 8601)"))
    held_before = _until("held_at", _("проведена не позже (ISO 8601)"))
    quarter = MeetingQuarterFilter(
        field_name="quarter", label=_("квартал по местному времени, например 2026Q3")
    )

    class Meta:
        model = Meeting
        fields = ["precinct", "inspector", "status", "kind"]


class SuggestionFilter(TerritoryFilterSet):
    """Suggestions by territory, meeting, status, category (code), body, deadline, overdue."""

    district_path = "meeting__precinct__district"
    status = django_filters.MultipleChoiceFilter(choices=Suggestion.Status.choices, distinct=False)
    precinct = WholeNumberFilter(field_name="meeting__precinct", label=_("участок (id)"))
    category = CategoryCodeFilter(label=_("категория (код, можно несколько)"))
    body = WholeNumberFilter(field_name="body", label=_("исполнитель (id)"))
    overdue = StrictBooleanFilter(
        field_name="overdue", label=_("просрочено: срок прошёл, а предложение не закрыто")
    )
    deadline_before = django_filters.DateFilter(
        field_name="deadline", lookup_expr="lte", label=_("срок не позже (ГГГГ-ММ-ДД)")
    )
    deadline_after = django_filters.DateFilter(
        field_name="deadline", lookup_expr="gte", label=_("срок не раньше (ГГГГ-ММ-ДД)")
    )
    merged_into = WholeNumberFilter(field_name="merged_into", label=_("объединено с (id)"))
    created_after = _since("created_at", _("создано не раньше (ISO 8601)"))
    created_before = _until("created_at", _("создано не позже (ISO 8601)"))

    class Meta:
        model = Suggestion
        fields = ["meeting", "precinct", "status", "category", "body", "external_ref"]


class CategoryFilter(StrictFilterSet):
    class Meta:
        model = Category
        fields = ["code"]


class ResponsibleBodyFilter(TerritoryFilterSet):
    """Bodies by kind, activity and district; `serves` also gives those for every district."""

    kind = django_filters.MultipleChoiceFilter(choices=ResponsibleBody.Kind.choices, distinct=False)
    serves = WholeNumberFilter(
        method="filter_serves",
        label=_("район (id): его исполнители и исполнители для всех районов"),
    )

    class Meta:
        model = ResponsibleBody
        fields = ["kind", "is_active"]

    def filter_serves(self, queryset, name, value):
        return queryset.filter(Q(district_id=value) | Q(district__isnull=True))


class RoutingRuleFilter(TerritoryFilterSet):
    category = CategoryCodeFilter(label=_("категория (код)"))
    body = WholeNumberFilter(field_name="body", label=_("исполнитель (id)"))
    default = StrictBooleanFilter(
        field_name="district", lookup_expr="isnull", label=_("маршрут по умолчанию (без района)")
    )

    class Meta:
        model = RoutingRule
        fields = ["category", "body"]
