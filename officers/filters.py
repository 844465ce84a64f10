"""FilterSets for inspectors and assistants."""

import django_filters

from stations.filters import TerritoryFilterSet

from .models import Assistant, Inspector


# Status is a column of the row itself: no DISTINCT (see stations.filters).
class InspectorFilter(TerritoryFilterSet):
    district_path = "precinct__district"
    status = django_filters.MultipleChoiceFilter(choices=Inspector.Status.choices, distinct=False)

    class Meta:
        model = Inspector
        fields = ["precinct", "station", "status", "rank", "position"]


class AssistantFilter(TerritoryFilterSet):
    district_path = "inspector__precinct__district"

    class Meta:
        model = Assistant
        fields = ["inspector"]
