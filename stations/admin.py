"""Admin for territories and facilities: every save goes through stations.services."""

import datetime
from collections.abc import Iterable

from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.views.main import ChangeList
from django.contrib.gis.db.models import GeometryField
from django.core.paginator import Paginator
from django.db.models import (
    Count,
    Exists,
    FloatField,
    IntegerField,
    Max,
    Min,
    Model,
    OuterRef,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Cast, Coalesce, NullIf
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from leaflet.admin import LeafletGeoAdmin

from servicepolice.history_admin import AuditHistoryAdmin
from servicepolice.table_versions import cached_count, cached_result

from . import services
from .models import District, ModularPost, Precinct, Region, Settlement, Station


def geometry_fields(model: type[Model], related: Iterable[str] = ()) -> list[str]:
    """Lookups of the geometry columns of `model` and of the models along `related` paths."""
    found = {
        field.name for field in model._meta.concrete_fields if isinstance(field, GeometryField)
    }
    for path in related:
        current, prefix = model, ""
        for part in path.split("__"):
            current = current._meta.get_field(part).related_model
            prefix += f"{part}__"
            found.update(
                prefix + field.name
                for field in current._meta.concrete_fields
                if isinstance(field, GeometryField)
            )
    return sorted(found)


class RelatedOnlyListFilter(admin.RelatedOnlyFieldListFilter):
    """Choices: the related rows in use, loaded without their (possibly large) geometry.

    "In use" is an EXISTS probe per related row (a few hundred districts), not a DISTINCT over
    every row of the list (150,000 meetings): 70 ms became about one.
    """

    def field_choices(self, field, request, model_admin):
        in_use = (
            model_admin.get_queryset(request).order_by().filter(**{self.field_path: OuterRef("pk")})
        )
        choices = field.related_model._default_manager.filter(Exists(in_use)).defer(
            *geometry_fields(field.related_model)
        )
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            choices = choices.order_by(*ordering)
        # Kept until a table the probes read changes (servicepolice/table_versions.py): 240
        # probes on every changelist of meetings were a tenth of its time.
        return cached_result(
            choices,
            f"admin-choices:{get_language()}",
            lambda: [(obj.pk, str(obj)) for obj in choices],
        )


class QuickYearsMixin:
    """A QuerySet whose `dates()` / `datetimes()` by year probe each year with the column's index
    instead of truncating every row: the date hierarchy's top level over 150,000 meetings took
    100 ms, now about one. Other kinds (month, day) are left to Django."""

    def datetimes(self, field_name, kind, order="ASC", tzinfo=None):
        if kind != "year":
            return super().datetimes(field_name, kind, order, tzinfo)
        tz = tzinfo or timezone.get_current_timezone()
        return self._years(field_name, order, lambda y: datetime.datetime(y, 1, 1, tzinfo=tz), tz)

    def dates(self, field_name, kind, order="ASC"):
        if kind != "year":
            return super().dates(field_name, kind, order)
        return self._years(field_name, order, lambda y: datetime.date(y, 1, 1), None)

    def _years(self, field_name, order, start_of, tz):
        # Kept until a table the list reads changes (servicepolice/table_versions.py).
        return cached_result(
            self.select_related(None).order_by(),
            f"years:{field_name}:{order}:{tz}",  # no time zone: dates() by year
            lambda: self._probe_years(field_name, order, start_of, tz),
        )

    def _probe_years(self, field_name, order, start_of, tz):
        bounds = self.aggregate(first=Min(field_name), last=Max(field_name))
        first, last = bounds["first"], bounds["last"]
        if first is None:
            return []
        if tz is not None:
            first, last = timezone.localtime(first, tz), timezone.localtime(last, tz)
        years = [
            start_of(year)
            for year in range(first.year, last.year + 1)
            if self.filter(
                **{f"{field_name}__gte": start_of(year), f"{field_name}__lt": start_of(year + 1)}
            ).exists()
        ]
        return years[::-1] if order == "DESC" else years


_quick_years_classes: dict[type, type] = {}


def quick_years(queryset):
    """The queryset, as a QuickYearsMixin subclass of its own class."""
    cls = type(queryset)
    if not issubclass(cls, QuickYearsMixin):
        if cls not in _quick_years_classes:
            _quick_years_classes[cls] = type(
                f"QuickYears{cls.__name__}", (QuickYearsMixin, cls), {}
            )
        queryset.__class__ = _quick_years_classes[cls]
    return queryset


class LightChangeList(ChangeList):
    def get_queryset(self, request, exclude_parameters=None):
        qs = super().get_queryset(request, exclude_parameters)
        related = self.list_select_related
        qs = qs.defer(
            *geometry_fields(self.model, related if isinstance(related, list | tuple) else ())
        )
        return quick_years(qs)

    def get_results(self, request):
        root = self.root_queryset
        if self.queryset.query.where == root.query.where:
            # Nothing narrows the list (no filter, search or date): its count is the full count,
            # which Django would otherwise count a second time over the whole table.
            self.root_queryset = _CountOfPage(request)
        else:
            self.root_queryset = _CachedCount(root)
        try:
            super().get_results(request)
        finally:
            self.root_queryset = root


class _CountOfPage:
    """Stands in for the unfiltered queryset: its count is the paginator's, counted once."""

    def __init__(self, request) -> None:
        self.request = request

    def count(self) -> int:
        return self.request._light_paginator.count


class _CachedCount:
    """Stands in for the unfiltered queryset of a filtered list: its count kept until a table
    it reads changes (servicepolice/table_versions.py)."""

    def __init__(self, queryset) -> None:
        self.queryset = queryset

    def count(self) -> int:
        return cached_count(self.queryset)


class CachedCountPaginator(Paginator):
    """Django's paginator, its count kept until a table it reads changes."""

    @cached_property
    def count(self) -> int:
        if isinstance(self.object_list, QuerySet):
            return cached_count(self.object_list)
        return super().count


class LightListMixin:
    """Changelists and autocompletes leave geometry columns in the database: no list shows them.

    A district's or precinct's outline can weigh hundreds of kilobytes; reading it for every
    row (and again for every joined district and region) would dwarf the page itself.
    """

    paginator = CachedCountPaginator

    def get_changelist(self, request, **kwargs):
        return LightChangeList

    @admin.display(description=mark_safe('<input type="checkbox" id="action-toggle">'))
    def action_checkbox(self, obj):
        # The markup of Django's own (forms.CheckboxInput), written directly: rendering the
        # widget's template for each of 100 rows took a third of a changelist's time.
        label = format_html(_("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            str(obj.pk),
            label,
        )

    def get_paginator(self, request, queryset, per_page, *args, **kwargs):
        paginator = super().get_paginator(request, queryset, per_page, *args, **kwargs)
        request._light_paginator = paginator  # its count stands for the full count, unfiltered
        return paginator

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return queryset.defer(*geometry_fields(queryset.model)), may_have_duplicates


class GeoAdmin(LightListMixin, AuditHistoryAdmin, LeafletGeoAdmin):
    """Admin of a model with a geometry: one Leaflet map per geometry field, light lists."""


def count_of(model_fk: str, queryset) -> Coalesce:
    """A correlated `COUNT(*)` over `queryset` rows whose `model_fk` is the outer row (0 if none).

    A subquery per counted relation keeps several counts from multiplying each other, which
    `Count()` over joins would do, and keeps the changelist at one query for all its rows.
    """
    counted = (
        queryset.filter(**{model_fk: OuterRef("pk")})
        .order_by()
        .values(model_fk)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


@admin.register(Region)
class RegionAdmin(GeoAdmin):
    list_display = ["name", "name_kk", "kato", "district_count"]
    search_fields = ["name", "name_kk", "kato"]
    readonly_fields = ["created_at", "updated_at"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(district_count=count_of("region", District.objects.all()))
        )

    @admin.display(description=_("районов"), ordering="district_count")
    def district_count(self, obj: Region) -> int:
        return obj.district_count

    def save_model(self, request, obj, form, change):
        services.region_save(region=obj)


@admin.register(District)
class DistrictAdmin(GeoAdmin):
    list_display = [
        "name",
        "kato",
        "region",
        "kind",
        "population",
        "precinct_count",
        "station_count",
    ]
    list_filter = [("region", RelatedOnlyListFilter), "kind"]
    list_select_related = ["region"]
    search_fields = ["name", "name_kk", "kato"]
    autocomplete_fields = ["region"]
    readonly_fields = ["created_at", "updated_at"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                precinct_count=count_of("district", Precinct.objects.all()),
                station_count=count_of("district", Station.objects.all()),
            )
        )

    @admin.display(description=_("участков"), ordering="precinct_count")
    def precinct_count(self, obj: District) -> int:
        return obj.precinct_count

    @admin.display(description=_("УПП"), ordering="station_count")
    def station_count(self, obj: District) -> int:
        return obj.station_count

    def save_model(self, request, obj, form, change):
        services.district_save(district=obj)


@admin.register(Precinct)
class PrecinctAdmin(GeoAdmin):
    list_display = [
        "number",
        "name",
        "district",
        "region",
        "population",
        "active_inspectors",
        "population_per_inspector",
    ]
    list_display_links = ["number", "name"]
    list_filter = [
        ("district__region", RelatedOnlyListFilter),
        ("district", RelatedOnlyListFilter),
    ]
    list_select_related = ["district__region"]
    search_fields = ["=number", "name", "district__name"]
    autocomplete_fields = ["district"]
    readonly_fields = ["created_at", "updated_at"]

    def get_queryset(self, request):
        # Reached through the reverse relation: stations imports no other app (STYLE.md §1).
        inspector_model = Precinct._meta.get_field("inspectors").related_model
        inspectors = inspector_model.objects.filter(status=inspector_model.Status.ACTIVE)
        return (
            super()
            .get_queryset(request)
            .annotate(active_inspectors=count_of("precinct", inspectors))
            .annotate(
                population_per_inspector=Cast("population", FloatField())
                / NullIf("active_inspectors", 0)
            )
        )

    @admin.display(description=_("область"), ordering="district__region__name")
    def region(self, obj: Precinct):
        return obj.district.region

    @admin.display(description=_("инспекторов на службе"), ordering="active_inspectors")
    def active_inspectors(self, obj: Precinct) -> int:
        return obj.active_inspectors

    @admin.display(
        description=_("жителей на инспектора"),
        ordering="population_per_inspector",
        empty_value=_("нет инспектора"),
    )
    def population_per_inspector(self, obj: Precinct) -> int | None:
        value = obj.population_per_inspector
        return None if value is None else round(value)

    def save_model(self, request, obj, form, change):
        services.precinct_save(precinct=obj)


@admin.register(Settlement)
class SettlementAdmin(GeoAdmin):
    list_display = ["name", "kato", "district", "region", "population"]
    list_filter = [
        ("district__region", RelatedOnlyListFilter),
        ("district", RelatedOnlyListFilter),
    ]
    list_select_related = ["district__region"]
    search_fields = ["name", "name_kk", "kato", "district__name"]
    autocomplete_fields = ["district"]
    readonly_fields = ["created_at", "updated_at"]

    @admin.display(description=_("область"), ordering="district__region__name")
    def region(self, obj: Settlement):
        return obj.district.region

    def save_model(self, request, obj, form, change):
        services.settlement_save(settlement=obj)


class FacilityAdmin(GeoAdmin):
    """What the station and modular post admins share."""

    list_select_related = ["district"]
    readonly_fields = ["created_at", "updated_at"]


@admin.register(Station)
class StationAdmin(FacilityAdmin):
    list_display = [
        "number",
        "name",
        "district",
        "precinct",
        "address",
        "status",
        "opened_on",
    ]
    list_display_links = ["number", "name"]
    list_filter = [
        "status",
        ("district__region", RelatedOnlyListFilter),
        ("district", RelatedOnlyListFilter),
        "round_the_clock",
        "combined_with_housing",
    ]
    list_select_related = ["district", "precinct"]
    search_fields = ["number", "name", "address", "district__name"]
    autocomplete_fields = ["district", "precinct"]
    fieldsets = [
        (None, {"fields": ["district", "precinct", "number", "name", "address", "geom"]}),
        (
            _("Работа пункта"),
            {
                "fields": [
                    "status",
                    "opened_on",
                    "closed_on",
                    "on_police_balance_since",
                    "combined_with_housing",
                    "round_the_clock",
                    "reception_hours",
                    "phone",
                ]
            },
        ),
        (_("Служебное"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def save_model(self, request, obj, form, change):
        services.station_save(station=obj)


@admin.register(ModularPost)
class ModularPostAdmin(FacilityAdmin):
    list_display = [
        "__str__",
        "district",
        "address",
        "placement",
        "round_the_clock",
        "status",
        "opened_on",
    ]
    list_filter = [
        "status",
        "round_the_clock",
        "placement",
        ("district__region", RelatedOnlyListFilter),
        ("district", RelatedOnlyListFilter),
    ]
    search_fields = ["name", "address", "district__name"]
    autocomplete_fields = ["district"]

    def save_model(self, request, obj, form, change):
        services.modular_post_save(post=obj)
