"""Admin for territories and facilities: every save goes through stations.services."""

from collections.abc import Iterable

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.contrib.gis.db.models import GeometryField
from django.db.models import Count, FloatField, IntegerField, Model, OuterRef, Subquery
from django.db.models.functions import Cast, Coalesce, NullIf
from django.utils.translation import gettext_lazy as _
from leaflet.admin import LeafletGeoAdmin

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
    """Choices: the related rows in use, loaded without their (possibly large) geometry."""

    def field_choices(self, field, request, model_admin):
        in_use = (
            model_admin.get_queryset(request)
            .distinct()
            .values_list(f"{self.field_path}__pk", flat=True)
        )
        choices = field.related_model._default_manager.filter(pk__in=in_use).defer(
            *geometry_fields(field.related_model)
        )
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            choices = choices.order_by(*ordering)
        return [(obj.pk, str(obj)) for obj in choices]


class LightChangeList(ChangeList):
    def get_queryset(self, request, exclude_parameters=None):
        qs = super().get_queryset(request, exclude_parameters)
        related = self.list_select_related
        return qs.defer(
            *geometry_fields(self.model, related if isinstance(related, list | tuple) else ())
        )


class LightListMixin:
    """Changelists and autocompletes leave geometry columns in the database: no list shows them.

    A district's or precinct's outline can weigh hundreds of kilobytes; reading it for every
    row (and again for every joined district and region) would dwarf the page itself.
    """

    def get_changelist(self, request, **kwargs):
        return LightChangeList

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return queryset.defer(*geometry_fields(queryset.model)), may_have_duplicates


class GeoAdmin(LightListMixin, LeafletGeoAdmin):
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
    search_fields = ["name", "kato", "district__name"]
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
