"""List endpoints run a fixed number of queries, whatever the number of rows (no N+1)."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meetings.models import Meeting
from servicepolice import geo
from servicepolice.response_cache import response_cache_clear
from tests.api.utils import url
from tests.factories import (
    AssistantFactory,
    DistrictFactory,
    InspectorFactory,
    MeetingFactory,
    ModularPostFactory,
    PrecinctFactory,
    RegionFactory,
    SettlementFactory,
    StationFactory,
    SuggestionFactory,
    precinct_cell,
)

pytestmark = pytest.mark.django_db

FEW, MANY = 3, 30


def _regions(n):
    for i in range(n):
        RegionFactory(kato=f"{11 + i:02d}0000000")


def _districts(n):
    region = RegionFactory()
    DistrictFactory.create_batch(n, region=region)


def _precincts(n):
    district = DistrictFactory()
    for number in range(1, n + 1):
        PrecinctFactory(district=district, number=number)


def _in_one_district(factory):
    def make(n):
        district = DistrictFactory()
        factory.create_batch(n, district=district)

    return make


def _inspectors(n):
    precinct = PrecinctFactory()
    for inspector in InspectorFactory.create_batch(n, precinct=precinct):
        AssistantFactory.create_batch(2, inspector=inspector)


def _assistants(n):
    inspector = InspectorFactory()
    AssistantFactory.create_batch(n, inspector=inspector)


def _meetings(n):
    inspector = InspectorFactory()
    MeetingFactory.create_batch(n, inspector=inspector)


def _suggestions(n):
    meeting = MeetingFactory()
    SuggestionFactory.create_batch(n, meeting=meeting)


# resource → (make n rows, max queries for an anonymous client)
LISTS = {
    "regions": (_regions, 2),
    "districts": (_districts, 3),  # + the version of kept answers (servicepolice/response_cache)
    "precincts": (_precincts, 3),  # + the version of kept answers, as districts
    "settlements": (_in_one_district(SettlementFactory), 2),
    "stations": (_in_one_district(StationFactory), 2),
    "posts": (_in_one_district(ModularPostFactory), 2),
    "inspectors": (_inspectors, 3),  # + assistants, prefetched
    "assistants": (_assistants, 2),
    "meetings": (_meetings, 2),
    "suggestions": (_suggestions, 3),  # + the suggestions merged into each, prefetched
}
# Signed in with model permissions: the user's and groups' permissions are loaded once, and
# the user's scope (roles and membership, servicepolice/permissions.py) once.
PERMISSION_QUERIES = 3


def _count(client, path, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, params or {})
    assert response.status_code == 200, response.json()
    return len(queries)


@pytest.mark.parametrize("rows", [FEW, MANY])
@pytest.mark.parametrize("resource", LISTS)
def test_list_queries_do_not_grow_with_rows(
    api_client, staff_client, django_assert_max_num_queries, resource, rows
):
    make, bound = LISTS[resource]
    make(rows)
    body = api_client.get(url(resource)).json()
    assert body["count"] >= rows

    with django_assert_max_num_queries(bound):
        api_client.get(url(resource))
    with django_assert_max_num_queries(bound + PERMISSION_QUERIES):
        staff_client.get(url(resource))


@pytest.mark.parametrize(
    "resource",
    ["regions", "districts", "precincts", "settlements", "stations", "posts", "meetings"],
)
def test_geojson_list_queries_do_not_grow_with_rows(api_client, resource):
    make, bound = LISTS[resource]
    make(FEW)
    few = _count(api_client, url(resource), {"format": "geojson"})
    make(MANY - FEW)
    # The first simplified list reads the outlines it has not simplified yet (one more query);
    # later ones read no geometry at all (servicepolice/simplified.py).
    simplify = {"format": "geojson", "simplify": 10}
    assert _count(api_client, url(resource), simplify) <= bound + 1
    # Districts keep finished anonymous answers: count the building of one, not the store.
    response_cache_clear()
    many = _count(api_client, url(resource), simplify)
    assert few == many <= bound


@pytest.fixture
def busy_precinct():
    """A precinct with a team, and meetings with suggestions, to grow."""
    precinct = PrecinctFactory(number=1)

    def grow(n):
        for inspector in InspectorFactory.create_batch(n, precinct=precinct):
            AssistantFactory.create_batch(2, inspector=inspector)
            meeting = MeetingFactory(inspector=inspector)
            SuggestionFactory.create_batch(2, meeting=meeting)
            MeetingFactory(
                inspector=inspector,
                status=Meeting.Status.PLANNED,
                held_at=None,
                scheduled_at=timezone.now() + datetime.timedelta(days=n),
            )

    return precinct, grow


@pytest.mark.parametrize(
    "action, bound",
    # precinct + rows (+ prefetch or count); suggestions also prefetch what was merged into them
    [("team", 3), ("meetings", 3), ("suggestions", 4)],
)
def test_nested_routes_queries_do_not_grow(api_client, busy_precinct, action, bound):
    precinct, grow = busy_precinct
    grow(FEW)
    few = _count(api_client, url("precincts", precinct.pk, action))
    grow(MANY - FEW)
    many = _count(api_client, url("precincts", precinct.pk, action))
    assert few == many <= bound


def test_locate_queries_do_not_grow(api_client, busy_precinct, django_assert_max_num_queries):
    precinct, grow = busy_precinct
    district = precinct.district
    lon, lat = precinct_cell(0)

    def add_facilities(n):
        StationFactory.create_batch(n, district=district)
        ModularPostFactory.create_batch(n, district=district)

    grow(FEW)
    add_facilities(FEW)
    params = {"lat": lat, "lon": lon}
    # Django reads the SRID's units from spatial_ref_sys once per process; warm that cache.
    api_client.get("/api/v1/locate/", params)
    few = _count(api_client, "/api/v1/locate/", params)
    grow(MANY - FEW)
    add_facilities(MANY - FEW)
    many = _count(api_client, "/api/v1/locate/", params)
    assert few == many
    # PostGIS: the precinct with its team and next meeting in one statement, the nearest
    # stations and posts by the geography index in another. Elsewhere: precinct, inspectors,
    # assistants, next meeting; then stations and posts per round of the growing search box:
    # the facilities are ~5 km away, so the 2 km box finds none and the 8 km box all. The rounds
    # depend on distances, never on how many rows there are.
    with django_assert_max_num_queries(2 if geo.on_postgis() else 4 + 2 * 2):
        api_client.get("/api/v1/locate/", params)
    # The PostGIS statement answers exactly what the portable path answers.
    fast = api_client.get("/api/v1/locate/", params)
    with (
        mock.patch("locator.selectors.geo.on_postgis", return_value=False),
        mock.patch("stations.selectors.geo.on_postgis", return_value=False),
    ):
        portable = api_client.get("/api/v1/locate/", params)
    assert fast.status_code == portable.status_code == 200
    assert fast.json() == portable.json()
    assert fast.json()["inspectors"] and fast.json()["nearest_facilities"]
