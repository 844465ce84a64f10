"""FilterSets for territories and facilities, shared by the API and the pages."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import District, FacilityStatus, ModularPost, Precinct, Region, Settlement, Station

# What each territory filter compares, relative to the District the model hangs from.
_TERRITORY_LOOKUPS = {
    "region": "region_id",
    "region_kato": "region__kato",
    "district": "id",
    "district_kato": "kato",
}


class TerritoryFilterSet(django_filters.FilterSet):
    """Filters by region and district, by id and by KATO code.

    `district_path` is the ORM path from the filtered model to its District ("" for District).
    """

    district_path = "district"

    region = django_filters.NumberFilter(method="filter_territory", label=_("область (id)"))
    region_kato = django_filters.CharFilter(method="filter_territory", label=_("область (КАТО)"))
    district = django_filters.NumberFilter(method="filter_territory", label=_("район (id)"))
    district_kato = django_filters.CharFilter(method="filter_territory", label=_("район (КАТО)"))

    def filter_territory(self, queryset, name, value):
        lookup = _TERRITORY_LOOKUPS[name]
        if self.district_path:
            lookup = f"{self.district_path}__{lookup}"
        return queryset.filter(**{lookup: value})


class RegionFilter(django_filters.FilterSet):
    class Meta:
        model = Region
        fields = ["kato"]


class DistrictFilter(TerritoryFilterSet):
    district_path = ""

    class Meta:
        model = District
        fields = ["kind", "kato"]


class PrecinctFilter(TerritoryFilterSet):
    class Meta:
        model = Precinct
        fields = ["number"]


class SettlementFilter(TerritoryFilterSet):
    class Meta:
        model = Settlement
        fields = ["kato"]


class StationFilter(TerritoryFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=FacilityStatus.choices)

    class Meta:
        model = Station
        fields = ["precinct", "status", "combined_with_housing"]


class ModularPostFilter(TerritoryFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=FacilityStatus.choices)
    placement = django_filters.MultipleChoiceFilter(choices=ModularPost.Placement.choices)

    class Meta:
        model = ModularPost
        fields = ["status", "round_the_clock", "placement"]
