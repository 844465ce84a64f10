"""The national overview's finished answers kept per process (servicepolice/response_cache.py):
served again only while nothing that changes them has changed."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stations.models import District
from tests.factories import DistrictFactory

pytestmark = pytest.mark.django_db

OVERVIEW = "/api/v1/districts/?format=geojson&limit=500&simplify=3273"


def _get(client, path=OVERVIEW, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **extra)
    assert response.status_code == 200
    return response, len(queries.captured_queries)


@pytest.fixture
def districts(db):
    return DistrictFactory.create_batch(3)


def test_a_repeated_overview_is_served_from_the_store(api_client, districts):
    first, built = _get(api_client)
    again, kept = _get(api_client)
    assert kept == 1 < built  # the data's version only
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"] == "application/geo+json"
    assert again["Vary"] == first["Vary"]
    assert len(first.json()["features"]) == 3


def test_a_saved_district_or_region_changes_the_answer(api_client, districts):
    _get(api_client)
    district = districts[0]
    district.name = "Новое имя"
    district.save()
    renamed, _ = _get(api_client)
    assert "Новое имя" in {f["properties"]["name"] for f in renamed.json()["features"]}
    region = district.region
    region.kato = "999999999"
    region.save()
    moved, _ = _get(api_client)
    assert "999999999" in {f["properties"]["region_kato"] for f in moved.json()["features"]}


def test_a_deleted_or_added_district_changes_the_answer(api_client, districts):
    _get(api_client)
    District.objects.filter(pk=districts[1].pk).delete()
    fewer, _ = _get(api_client)
    assert len(fewer.json()["features"]) == 2
    DistrictFactory()
    more, _ = _get(api_client)
    assert len(more.json()["features"]) == 3


def test_language_and_parameters_are_part_of_the_key(api_client, districts):
    district = districts[0]
    District.objects.filter(pk=district.pk).update(name_kk="Қазақша атау")
    russian, _ = _get(api_client, HTTP_ACCEPT_LANGUAGE="ru")
    kazakh, _ = _get(api_client, HTTP_ACCEPT_LANGUAGE="kk")
    names = {f["properties"]["name"] for f in kazakh.json()["features"]}
    assert "Қазақша атау" in names
    assert "Қазақша атау" not in {f["properties"]["name"] for f in russian.json()["features"]}
    page, _ = _get(api_client, OVERVIEW.replace("limit=500", "limit=1"))
    assert len(page.json()["features"]) == 1
    plain, _ = _get(api_client, "/api/v1/districts/?limit=500&simplify=3273")
    assert plain["Content-Type"] == "application/json"
    assert "results" in plain.json()


def test_signed_in_users_are_never_served_nor_stored(api_client, staff_client, districts):
    _get(api_client)
    _, staff_queries = _get(staff_client)
    _, staff_again = _get(staff_client)
    assert staff_queries > 1 and staff_again > 1
    # An anonymous answer is still the anonymous one.
    anonymous, kept = _get(api_client)
    assert kept == 1
    assert len(anonymous.json()["features"]) == 3


def test_precinct_layers_are_kept_until_a_precinct_changes(api_client, precinct):
    layer = f"/api/v1/precincts/?district={precinct.district_id}&format=geojson&limit=500"
    first, built = _get(api_client, layer)
    again, kept = _get(api_client, layer)
    assert kept == 1 < built and again.content == first.content
    precinct.name = "Новый участок"
    precinct.save()
    renamed, _ = _get(api_client, layer)
    assert renamed.json()["features"][0]["properties"]["name"] == "Новый участок"
