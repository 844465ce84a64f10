"""Rows written by a plan (servicepolice/serializer_rows.py) are exactly DRF's."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.utils import timezone, translation
from rest_framework import serializers
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from meetings.models import Meeting
from meetings.serializers import MeetingSerializer
from servicepolice.api import CachedFieldsMixin, _FeatureInput
from servicepolice.response_cache import response_cache_clear
from tests.api.test_queries import LISTS
from tests.api.utils import url
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db

DRF = serializers.ModelSerializer.to_representation


def _answers(clients, resources) -> dict:
    found = {}
    for who, client in clients.items():
        for resource in resources:
            for language in ("ru", "kk", "en"):
                for fmt in ("json", "geojson"):
                    response_cache_clear()
                    response = client.get(
                        url(resource), {"format": fmt}, HTTP_ACCEPT_LANGUAGE=language
                    )
                    if fmt == "geojson" and response.status_code == 404:
                        continue  # not a geo resource
                    assert response.status_code == 200, (resource, fmt, response.content[:300])
                    found[who, resource, language, fmt] = response.content
    return found


def test_every_list_answers_the_same_as_drf(api_client, staff_client, monkeypatch):
    for make, _bound in LISTS.values():
        make(4)
    clients = {"anonymous": api_client, "staff": staff_client}
    planned = _answers(clients, LISTS)
    monkeypatch.setattr(CachedFieldsMixin, "to_representation", DRF)
    monkeypatch.setattr(_FeatureInput, "get_properties", GeoFeatureModelSerializer.get_properties)
    assert _answers(clients, LISTS) == planned


def test_nulls_deferred_columns_and_other_time_zones(precinct):
    MeetingFactory(precinct=precinct, status="planned", place="")
    held = MeetingFactory(precinct=precinct, status="held", attendees=None)
    rows = [
        *Meeting.objects.order_by("pk"),
        *Meeting.objects.defer("place", "scheduled_at", "precinct").order_by("pk"),
    ]
    for zone in ("Asia/Almaty", "UTC", "America/Sao_Paulo"):
        with timezone.override(zoneinfo.ZoneInfo(zone)), translation.override("kk"):
            planned = MeetingSerializer(rows, many=True).data
            drf = [DRF(MeetingSerializer(), row) for row in rows]
            assert [dict(row) for row in planned] == [dict(row) for row in drf]
    assert MeetingSerializer(held).data["attendees"] is None
    with timezone.override(datetime.UTC):
        assert MeetingSerializer(held).data["created_at"].endswith("Z")


@pytest.mark.parametrize(
    "wkt",
    [
        "POINT (76.951234567891 43.2512345)",
        "MULTIPOLYGON (((76.9 43.2, 77.0000004 43.2, 77 43.3123456789, 76.9 43.2)))",
        "GEOMETRYCOLLECTION (POINT (76.95 43.25), LINESTRING (76.9 43.2, 77 43.3))",
        "POINT EMPTY",
    ],
)
def test_geometry_is_written_as_drf_gis_writes_it(wkt):
    from django.contrib.gis.geos import GEOSGeometry
    from rest_framework_gis.fields import GeometryField

    from servicepolice.api import ModelGeometryField

    geom = GEOSGeometry(wkt, srid=4326)
    ours = ModelGeometryField("Point").to_representation(geom)
    theirs = GeometryField(precision=6).to_representation(geom)
    assert ours == theirs and type(ours) is type(theirs)
