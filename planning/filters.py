"""FilterSets for offence counts, candidate sites and siting plans."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from stations.filters import StrictBooleanFilter, StrictFilterSet, WholeNumberFilter

from .models import CandidateSite, FacilityKind, OffenceCount, SitingPlan


class OffenceCountFilter(StrictFilterSet):
    district = WholeNumberFilter(field_name="district", label=_("район (id)"))
    district_kato = django_filters.CharFilter(field_name="district__kato", label=_("район (КАТО)"))
    precinct = WholeNumberFilter(field_name="precinct", label=_("участок (id)"))
    district_level = StrictBooleanFilter(
        field_name="precinct", lookup_expr="isnull", label=_("данные по району в целом")
    )
    category = django_filters.CharFilter(field_name="category__code", label=_("категория (код)"))
    month_after = django_filters.DateFilter(
        field_name="month", lookup_expr="gte", label=_("месяц не ранее")
    )
    month_before = django_filters.DateFilter(
        field_name="month", lookup_expr="lte", label=_("месяц не позднее")
    )
    year = WholeNumberFilter(field_name="month", lookup_expr="year", label=_("год"), max_value=9999)

    class Meta:
        model = OffenceCount
        fields = []


class CandidateSiteFilter(StrictFilterSet):
    district = WholeNumberFilter(field_name="district", label=_("район (id)"))
    region = WholeNumberFilter(field_name="district__region", label=_("область (id)"))
    kind = django_filters.ChoiceFilter(choices=FacilityKind.choices)
    active = StrictBooleanFilter()

    class Meta:
        model = CandidateSite
        fields = []


class SitingPlanFilter(StrictFilterSet):
    district = WholeNumberFilter(field_name="district", label=_("район (id)"))
    region = WholeNumberFilter(field_name="region", label=_("область (id), план по области"))
    solver = django_filters.ChoiceFilter(choices=SitingPlan.Solver.choices)
    facility_kind = django_filters.ChoiceFilter(choices=FacilityKind.choices)

    class Meta:
        model = SitingPlan
        fields = []
