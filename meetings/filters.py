"""FilterSets for meetings and suggestions."""

import django_filters
from django.utils.translation import gettext_lazy as _

from stations.filters import IsoDateTimeFilter, TerritoryFilterSet, WholeNumberFilter

from .models import Meeting, Suggestion


def _since(field: str, label: str) -> IsoDateTimeFilter:
    return IsoDateTimeFilter(field_name=field, lookup_expr="gte", label=label)


def _until(field: str, label: str) -> IsoDateTimeFilter:
    return IsoDateTimeFilter(field_name=field, lookup_expr="lte", label=label)


class MeetingFilter(TerritoryFilterSet):
    """Meetings by territory, precinct, inspector, status, kind and date ranges.

    Each end of a date range is a parameter of its own, so an error names the one that is
    wrong (`scheduled_after`, not a combined `scheduled`).
    """

    district_path = "precinct__district"
    status = django_filters.MultipleChoiceFilter(choices=Meeting.Status.choices)
    kind = django_filters.MultipleChoiceFilter(choices=Meeting.Kind.choices)
    scheduled_after = _since("scheduled_at", _("запланирована не раньше (ISO 8601)"))
    scheduled_before = _until("scheduled_at", _("запланирована не позже (ISO 8601)"))
    held_after = _since("held_at", _("проведена не раньше (ISO 8601)"))
    held_before = _until("held_at", _("проведена не позже (ISO 8601)"))

    class Meta:
        model = Meeting
        fields = ["precinct", "inspector", "status", "kind"]


class SuggestionFilter(TerritoryFilterSet):
    district_path = "meeting__precinct__district"
    status = django_filters.MultipleChoiceFilter(choices=Suggestion.Status.choices)
    precinct = WholeNumberFilter(field_name="meeting__precinct", label=_("участок (id)"))
    created_after = _since("created_at", _("создано не раньше (ISO 8601)"))
    created_before = _until("created_at", _("создано не позже (ISO 8601)"))

    class Meta:
        model = Suggestion
        fields = ["meeting", "precinct", "status", "category"]
