"""FilterSets for territories and facilities, shared by the API and the pages."""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.contrib.gis.db import models
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from .models import District, FacilityStatus, ModularPost, Precinct, Region, Settlement, Station

MSG_BOOLEAN = _("Ожидается true или false.")
MSG_DATETIME_RANGE = _("Дата и время вне допустимого диапазона.")


# The largest id or number the databases hold (a signed 64-bit integer).
MAX_INTEGER = 2**63 - 1


@extend_schema_field(OpenApiTypes.INT)
class WholeNumberFilter(django_filters.NumberFilter):
    """An id or a number: a whole number from 1 up to what the database holds.

    django-filter's NumberFilter takes decimals (`1.5` found number 1) and any size, and a size
    past 64 bits crashed SQLite through lookups across foreign keys.
    """

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_INTEGER)
        super().__init__(*args, **kwargs)


class StrictBooleanField(forms.Field):
    """true/false (or 1/0); anything else is an error rather than "no filter"."""

    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in ("true", "1"):
            return True
        if text in ("false", "0"):
            return False
        raise ValidationError(MSG_BOOLEAN, code="invalid")


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class SafeIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 date-time that the database can also hold in UTC (year 1 to 9999)."""

    def to_python(self, value):
        result = super().to_python(value)
        if result is not None:
            try:
                result.astimezone(datetime.UTC)
            except (OverflowError, ValueError):
                raise ValidationError(MSG_DATETIME_RANGE, code="invalid") from None
        return result


class IsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = SafeIsoDateTimeField


class StrictFilterSet(django_filters.FilterSet):
    """A FilterSet whose boolean filters take only true/false and number filters only whole
    numbers: a value it cannot use is a 400, never "no filter" or a database error."""

    FILTER_DEFAULTS = {
        **django_filters.FilterSet.FILTER_DEFAULTS,
        models.BooleanField: {"filter_class": StrictBooleanFilter},
        models.IntegerField: {"filter_class": WholeNumberFilter},
        models.PositiveIntegerField: {"filter_class": WholeNumberFilter},
    }


# What each territory filter compares, relative to the District the model hangs from.
_TERRITORY_LOOKUPS = {
    "region": "region_id",
    "region_kato": "region__kato",
    "district": "id",
    "district_kato": "kato",
}


class TerritoryFilterSet(StrictFilterSet):
    """Filters by region and district, by id and by KATO code.

    `district_path` is the ORM path from the filtered model to its District ("" for District).
    """

    district_path = "district"

    region = WholeNumberFilter(method="filter_territory", label=_("область (id)"))
    region_kato = django_filters.CharFilter(method="filter_territory", label=_("область (КАТО)"))
    district = WholeNumberFilter(method="filter_territory", label=_("район (id)"))
    district_kato = django_filters.CharFilter(method="filter_territory", label=_("район (КАТО)"))

    def filter_territory(self, queryset, name, value):
        lookup = _TERRITORY_LOOKUPS[name]
        if self.district_path:
            lookup = f"{self.district_path}__{lookup}"
        return queryset.filter(**{lookup: value})


class RegionFilter(StrictFilterSet):
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


# Status and placement are columns of the row itself: no join repeats rows, so no DISTINCT
# (django-filter's default, which made PostgreSQL sort and count whole tables).
class StationFilter(TerritoryFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=FacilityStatus.choices, distinct=False)

    class Meta:
        model = Station
        fields = ["precinct", "status", "round_the_clock", "combined_with_housing"]


class ModularPostFilter(TerritoryFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=FacilityStatus.choices, distinct=False)
    placement = django_filters.MultipleChoiceFilter(
        choices=ModularPost.Placement.choices, distinct=False
    )

    class Meta:
        model = ModularPost
        fields = ["status", "round_the_clock", "placement"]
