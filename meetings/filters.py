"""FilterSets for meetings and suggestions."""

import django_filters

from stations.filters import TerritoryFilterSet

from .models import Meeting, Suggestion


class MeetingFilter(TerritoryFilterSet):
    district_path = "precinct__district"
    status = django_filters.MultipleChoiceFilter(choices=Meeting.Status.choices)
    kind = django_filters.MultipleChoiceFilter(choices=Meeting.Kind.choices)
    scheduled = django_filters.IsoDateTimeFromToRangeFilter(field_name="scheduled_at")
    held = django_filters.IsoDateTimeFromToRangeFilter(field_name="held_at")

    class Meta:
        model = Meeting
        fields = ["precinct", "inspector", "status", "kind"]


class SuggestionFilter(TerritoryFilterSet):
    district_path = "meeting__precinct__district"
    status = django_filters.MultipleChoiceFilter(choices=Suggestion.Status.choices)
    precinct = django_filters.NumberFilter(field_name="meeting__precinct")
    created = django_filters.IsoDateTimeFromToRangeFilter(field_name="created_at")

    class Meta:
        model = Suggestion
        fields = ["meeting", "precinct", "status", "category"]
