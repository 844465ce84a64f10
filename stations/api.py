"""API viewsets for territories and facilities; every write calls a service."""

from __future__ import annotations

from servicepolice.api import JSONRenderer
from servicepolice.response_cache import CachedListMixin
from servicepolice.viewsets import RegistryViewSet

from . import filters, selectors, serializers, services
from .models import District, Precinct, Region


class JoinlessJSONMixin:
    """JSON and GeoJSON show the district (and precinct) as ids: read no joined rows for them.

    The selectors join them for the file exports, which write their KATO codes and numbers;
    building those model instances was half the per-row cost of a map layer."""

    def get_queryset(self):
        queryset = super().get_queryset()
        renderer = getattr(self.request, "accepted_renderer", None)
        if self.action in ("list", "retrieve") and isinstance(renderer, JSONRenderer):
            queryset = queryset.select_related(None)
        return queryset


class RegionViewSet(RegistryViewSet):
    """Regions (области and cities of republican significance) with their boundaries."""

    queryset = selectors.region_list()
    serializer_class = serializers.RegionSerializer
    geo_serializer_class = serializers.RegionGeoSerializer
    filterset_class = filters.RegionFilter
    search_fields = ["name", "name_kk", "kato"]
    ordering_fields = ["name", "kato", "id"]
    ordering = ["name"]
    save_service = staticmethod(lambda obj: services.region_save(region=obj))


class DistrictViewSet(CachedListMixin, RegistryViewSet):
    """Districts (районы, city districts, cities of regional significance). Anonymous lists (the
    national overview) are answered from a per-process store while no district or region
    changes (servicepolice/response_cache.py)."""

    cache_versions = (District, Region)

    queryset = selectors.district_list()
    serializer_class = serializers.DistrictSerializer
    geo_serializer_class = serializers.DistrictGeoSerializer
    filterset_class = filters.DistrictFilter
    search_fields = ["name", "name_kk", "kato"]
    ordering_fields = ["name", "kato", "population", "id"]
    ordering = ["name"]
    save_service = staticmethod(lambda obj: services.district_save(district=obj))


class SettlementViewSet(JoinlessJSONMixin, RegistryViewSet):
    """Settlements (населённые пункты) with population."""

    queryset = selectors.settlement_list()
    serializer_class = serializers.SettlementSerializer
    geo_serializer_class = serializers.SettlementGeoSerializer
    filterset_class = filters.SettlementFilter
    search_fields = ["name", "kato"]
    ordering_fields = ["name", "population", "id"]
    ordering = ["name"]
    save_service = staticmethod(lambda obj: services.settlement_save(settlement=obj))


class StationViewSet(JoinlessJSONMixin, RegistryViewSet):
    """Precinct police stations (участковые пункты полиции, УПП)."""

    queryset = selectors.station_list()
    serializer_class = serializers.StationSerializer
    geo_serializer_class = serializers.StationGeoSerializer
    filterset_class = filters.StationFilter
    search_fields = ["number", "name", "address"]
    ordering_fields = ["number", "name", "status", "opened_on", "id"]
    ordering = ["district__name", "number"]
    save_service = staticmethod(lambda obj: services.station_save(station=obj))


class ModularPostViewSet(JoinlessJSONMixin, RegistryViewSet):
    """Modular police posts (модульные посты полиции)."""

    queryset = selectors.modular_post_list()
    serializer_class = serializers.ModularPostSerializer
    geo_serializer_class = serializers.ModularPostGeoSerializer
    filterset_class = filters.ModularPostFilter
    search_fields = ["name", "address"]
    ordering_fields = ["name", "status", "opened_on", "id"]
    ordering = ["district__name", "name"]
    save_service = staticmethod(lambda obj: services.modular_post_save(post=obj))


class PrecinctViewSet(CachedListMixin, RegistryViewSet):
    """Administrative precincts (административные участки) with their boundaries. Anonymous lists
    (the map's region and district layers) are answered from a per-process store while no
    precinct, district or region changes (servicepolice/response_cache.py)."""

    cache_versions = (Precinct, District, Region)

    queryset = selectors.precinct_list()
    serializer_class = serializers.PrecinctSerializer
    geo_serializer_class = serializers.PrecinctGeoSerializer
    filterset_class = filters.PrecinctFilter
    search_fields = ["name", "district__name", "district__kato"]
    ordering_fields = ["number", "name", "population", "id"]
    ordering = ["district__name", "number"]
    save_service = staticmethod(lambda obj: services.precinct_save(precinct=obj))
