"""Scope rules beyond the matrix: moving records across districts, an inspector's own card,
private fields by scope; and no lost updates (ETag / If-Match) in the API."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from access.models import Membership
from servicepolice.concurrency import etag
from stations.models import Station
from tests.api.utils import assert_error, url
from tests.factories import StationFactory


def _client(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


# -- moving a station ------------------------------------------------------------------------


def test_moving_a_station_out_of_the_users_district_is_refused(world, role_user):
    home, neighbour = world["home"], world["neighbour"]
    client = _client(role_user("staff"))
    response = client.patch(
        url("stations", home.station.pk),
        {"district": neighbour.district.pk, "precinct": neighbour.precinct.pk},
        format="json",
    )
    body = assert_error(response, 403)
    assert str(neighbour.district) in body["message"]
    home.station.refresh_from_db()
    assert home.station.district_id == home.district.pk  # nothing saved


def test_moving_a_station_into_the_users_district_is_refused(world, role_user):
    home, neighbour = world["home"], world["neighbour"]
    client = _client(role_user("staff"))
    response = client.patch(
        url("stations", neighbour.station.pk),
        {"district": home.district.pk, "precinct": home.precinct.pk},
        format="json",
    )
    body = assert_error(response, 403)
    assert str(neighbour.district) in body["message"]
    neighbour.station.refresh_from_db()
    assert neighbour.station.district_id == neighbour.district.pk


def test_moving_a_station_between_two_districts_the_user_serves(world, role_user):
    home, neighbour = world["home"], world["neighbour"]
    user = role_user("staff")
    user.membership.districts.add(neighbour.district)
    response = _client(user).patch(
        url("stations", home.station.pk),
        {"district": neighbour.district.pk, "precinct": neighbour.precinct.pk},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert Station.objects.get(pk=home.station.pk).district_id == neighbour.district.pk


def test_a_district_of_the_users_region_makes_all_its_districts_writable(world, role_user):
    user = role_user("staff")
    user.membership.districts.clear()
    user.membership.regions.add(world["home"].region)
    client = _client(user)
    for place in ("home", "neighbour"):
        response = client.patch(
            url("stations", world[place].station.pk), {"phone": "+7 7222 00-00-01"}, format="json"
        )
        assert response.status_code == 200, (place, response.json())
    assert client.get(url("stations", world["far"].station.pk)).status_code == 404


# -- the inspector's own card ----------------------------------------------------------------


def test_an_inspector_changes_only_the_public_contacts_of_their_own_card(world, role_user):
    inspector = world["home"].inspector
    client = _client(role_user("inspector"))
    ok = client.patch(
        url("inspectors", inspector.pk), {"service_phone": "+7 7222 52-99-99"}, format="json"
    )
    assert ok.status_code == 200, ok.json()
    refused = client.patch(
        url("inspectors", inspector.pk), {"personnel_number": "TN000777"}, format="json"
    )
    body = assert_error(refused, 403)
    assert "часы приёма" not in body["message"] and "reception_hours" in body["message"]
    inspector.refresh_from_db()
    assert inspector.service_phone == "+7 7222 52-99-99"
    assert inspector.personnel_number != "TN000777"


def test_an_inspector_cannot_change_a_colleagues_meeting_in_the_same_district(world, role_user):
    from tests.factories import InspectorFactory, MeetingFactory

    home = world["home"]
    colleague = InspectorFactory(precinct=home.precinct)
    theirs = MeetingFactory(inspector=colleague, status="planned", held_at=None)
    client = _client(role_user("inspector"))
    assert client.get(url("meetings", theirs.pk)).status_code == 200  # reads the district
    response = client.patch(url("meetings", theirs.pk), {"place": "Парк"}, format="json")
    assert_error(response, 403)


# -- private fields by scope -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        ("administrator", {"home": True, "neighbour": True, "far": True}),
        ("analyst", {"home": True, "neighbour": True, "far": None}),
        ("staff", {"home": True, "neighbour": True, "far": None}),
        ("inspector", {"home": True, "neighbour": None, "far": None}),
        ("public", {"home": False, "neighbour": False, "far": False}),
        ("anonymous", {"home": False, "neighbour": False, "far": False}),
    ],
)
def test_private_fields_only_where_the_scope_covers_the_record(world, role_user, role, shown):
    """True: personnel number and personal phone shown; False: public fields only; None: 404."""
    user = role_user(role)
    if role == "public":  # even with the model permission, no scope means no private fields
        from tests.api.conftest import grant  # noqa: PLC0415

        grant(user, "officers.view_inspector")
    client = _client(user)
    for place, expected in shown.items():
        response = client.get(url("inspectors", world[place].inspector.pk))
        if expected is None:
            assert response.status_code == 404
            continue
        body = response.json()
        assert ("personnel_number" in body) is expected, (place, body)
        assert ("personal_phone" in body) is expected, (place, body)


def test_a_nationwide_membership_reaches_every_district(world, django_user_model):
    user = django_user_model.objects.create_user("republic", password="pw-123456789")
    Membership.objects.create(user=user, nationwide=True)
    from tests.api.conftest import grant  # noqa: PLC0415

    grant(user, "stations.view_station", "stations.change_station")
    client = _client(user)
    for place in ("home", "neighbour", "far"):
        response = client.patch(
            url("stations", world[place].station.pk), {"phone": "+7 7222 11-11-11"}, format="json"
        )
        assert response.status_code == 200


# -- no lost updates -------------------------------------------------------------------------


@pytest.fixture
def station(db):
    return StationFactory()


def test_reads_and_writes_carry_the_records_etag(station, staff_client):
    read = staff_client.get(url("stations", station.pk))
    assert read.status_code == 200
    assert read["ETag"] == etag(Station.objects.get(pk=station.pk))
    geojson = staff_client.get(url("stations", station.pk), {"format": "geojson"})
    assert geojson["ETag"] == read["ETag"]  # the record's version, whatever the format

    written = staff_client.patch(url("stations", station.pk), {"name": "Новое"}, format="json")
    assert written.status_code == 200
    assert written["ETag"] != read["ETag"]
    assert written["ETag"] == etag(Station.objects.get(pk=station.pk))


def test_a_write_with_a_stale_if_match_is_refused_with_412(station, staff_client):
    first = staff_client.get(url("stations", station.pk))["ETag"]
    assert (
        staff_client.patch(
            url("stations", station.pk), {"name": "Первый"}, format="json", HTTP_IF_MATCH=first
        ).status_code
        == 200
    )

    # Someone else read the first version too, and writes after the change: 412, nothing saved.
    for method, data in (("patch", {"name": "Второй"}), ("delete", None)):
        response = getattr(staff_client, method)(
            url("stations", station.pk), data, format="json", HTTP_IF_MATCH=first
        )
        body = assert_error(response, 412)
        assert body["code"] == "precondition_failed"
    put = staff_client.get(url("stations", station.pk)).json()
    put["name"] = "Третий"
    put.pop("geom_geojson", None)
    response = staff_client.put(
        url("stations", station.pk), put, format="json", HTTP_IF_MATCH=first
    )
    assert_error(response, 412)
    station.refresh_from_db()
    assert station.name == "Первый"


def test_a_write_with_the_current_if_match_or_without_it_is_accepted(station, staff_client):
    current = staff_client.get(url("stations", station.pk))["ETag"]
    fresh = staff_client.patch(
        url("stations", station.pk), {"name": "С версией"}, format="json", HTTP_IF_MATCH=current
    )
    assert fresh.status_code == 200
    without = staff_client.patch(url("stations", station.pk), {"name": "Без версии"}, format="json")
    assert without.status_code == 200
    anything = staff_client.patch(
        url("stations", station.pk), {"name": "Любая"}, format="json", HTTP_IF_MATCH="*"
    )
    assert anything.status_code == 200
    deleted = staff_client.delete(url("stations", station.pk), HTTP_IF_MATCH=anything["ETag"])
    assert deleted.status_code == 204


def test_the_schema_documents_etag_if_match_and_412(api_client):
    schema = api_client.get("/api/v1/schema/", {"format": "json"}).json()
    detail = schema["paths"]["/api/v1/stations/{id}/"]
    for method in ("put", "patch", "delete"):
        names = {(p["name"], p["in"]) for p in detail[method]["parameters"]}
        assert ("If-Match", "header") in names, method
        assert "412" in detail[method]["responses"], method
    assert "ETag" in detail["get"]["responses"]["200"]["headers"]
    assert "ETag" in detail["patch"]["responses"]["200"]["headers"]


def test_compliance_lists_only_the_inspectors_the_user_reads(world, role_user):
    from tests.api.conftest import grant  # noqa: PLC0415

    user = role_user("staff")
    grant(user, "meetings.view_meeting")
    client = _client(user)
    response = client.get("/api/v1/compliance/", {"limit": 500})
    assert response.status_code == 200, response.json()
    names = {row["inspector"]["id"] for row in response.json()["results"]}
    assert world["home"].inspector.pk in names
    assert world["neighbour"].inspector.pk in names
    assert world["far"].inspector.pk not in names
    far = client.get("/api/v1/compliance/", {"district": world["far"].district.pk})
    assert far.json()["count"] == 0


@pytest.mark.parametrize("role", ["analyst", "staff", "inspector"])
def test_a_scoped_list_runs_a_fixed_number_of_queries(
    world, role_user, role, django_assert_max_num_queries
):
    from django.db import connection  # noqa: PLC0415
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415

    def count() -> int:
        client = _client(role_user_fresh())  # a new user object: its scope is read again
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("stations")).status_code == 200
        return len(queries)

    user = role_user(role)

    def role_user_fresh():
        return type(user).objects.get(pk=user.pk)

    count()  # warm up: SpatiaLite asks its version once per connection
    few = count()
    for place in ("home", "neighbour", "far"):
        StationFactory.create_batch(10, district=world[place].district)
    assert count() == few
    # permissions of the user and their groups (2), the scope (at most 5), count and page (2)
    with django_assert_max_num_queries(9):
        _client(role_user_fresh()).get(url("stations"))


@pytest.mark.parametrize(
    "resource_name",
    ["regions", "districts", "precincts", "stations", "inspectors", "meetings", "suggestions"],
)
def test_if_match_works_on_every_resource(world, role_user, resource_name):
    from tests.access.test_api_matrix import RESOURCES  # noqa: PLC0415

    resource = RESOURCES[resource_name]
    record = resource.record(world["home"])
    client = _client(role_user("administrator"))
    tag = client.get(url(resource.name, record.pk))["ETag"]
    ok = client.patch(
        url(resource.name, record.pk), resource.patch, format="json", HTTP_IF_MATCH=tag
    )
    assert ok.status_code == 200, ok.json()
    stale = client.patch(
        url(resource.name, record.pk), resource.patch, format="json", HTTP_IF_MATCH=tag
    )
    assert_error(stale, 412)
