"""Bad input: each gets a 400 (or 413, 409, 429) in the one error shape, naming the field and
the reason, and nothing is saved."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from stations.models import District, Precinct, Region, Station
from tests.api.utils import assert_error, cell_square, field_messages, point, square, url
from tests.factories import CENTRE_LAT, CENTRE_LON, DistrictFactory, PrecinctFactory, StationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def district():
    return DistrictFactory()


def station_body(district, **overrides):
    return {
        "district": district.pk,
        "number": "№77",
        "address": "г. Семей, ул. Абая, 77",
        "geom": point(),
        **overrides,
    }


# --- geometry ------------------------------------------------------------------------------

BOWTIE = {
    "type": "MultiPolygon",
    "coordinates": [
        [
            [
                [CENTRE_LON - 0.01, CENTRE_LAT - 0.01],
                [CENTRE_LON + 0.01, CENTRE_LAT + 0.01],
                [CENTRE_LON + 0.01, CENTRE_LAT - 0.01],
                [CENTRE_LON - 0.01, CENTRE_LAT + 0.01],
                [CENTRE_LON - 0.01, CENTRE_LAT - 0.01],
            ]
        ]
    ],
}


@pytest.mark.parametrize(
    "geom, words",
    [
        ("not geometry at all", "Некорректная геометрия"),
        ({"type": "Point", "coordinates": "80,50"}, "Некорректная геометрия"),
        ({"type": "Point"}, "Некорректная геометрия"),
        ({"type": "Circle", "coordinates": [80, 50]}, "Некорректная геометрия"),
        ({"type": "Point", "coordinates": []}, "Некорректная геометрия"),
        ("POINT EMPTY", "Пустая геометрия"),
        ([80.2, 50.4], "Некорректная геометрия"),
        (42, "Некорректная геометрия"),
        (square(), "Ожидается геометрия типа Point, получена MultiPolygon"),
        (
            {"type": "LineString", "coordinates": [[80.2, 50.4], [80.3, 50.5]]},
            "Ожидается геометрия типа Point",
        ),
        (point(50.41, 80.23), "не перепутаны ли широта и долгота"),  # swapped
        (point(200.5, 95.1), "долгота от -180 до 180"),
        (point(-73.98, 40.75), "вне территории Казахстана"),  # New York
        (point(1e200, 1e200), "конечными числами"),
        ("SRID=999999;POINT(80 50)", "SRID 999999"),
        (None, "null"),
    ],
)
def test_bad_station_geometry(staff_client, district, geom, words):
    response = staff_client.post(url("stations"), station_body(district, geom=geom), format="json")
    assert_error(response, 400, field="geom")
    message = " ".join(field_messages(response, "geom"))
    assert words in message or (words == "null" and message), message
    assert not Station.objects.exists()


def test_polygon_for_a_station_is_refused(staff_client, district):
    polygon = {"type": "Polygon", "coordinates": square()["coordinates"][0]}
    response = staff_client.post(
        url("stations"), station_body(district, geom=polygon), format="json"
    )
    assert_error(response, 400, field="geom")
    assert "Polygon" in field_messages(response, "geom")[0]
    assert not Station.objects.exists()


def test_geometry_in_another_srid_is_transformed(staff_client, district):
    """EWKT in Web Mercator is accepted and stored in 4326."""
    response = staff_client.post(
        url("stations"),
        station_body(district, geom="SRID=3857;POINT(8930540 6519470)"),
        format="json",
    )
    assert response.status_code == 201, response.json()
    station = Station.objects.get()
    assert station.geom.srid == 4326
    assert station.geom.x == pytest.approx(80.225, abs=0.01)


def test_self_intersecting_precinct_is_refused(staff_client, district):
    response = staff_client.post(
        url("precincts"),
        {"district": district.pk, "number": 9, "geom": BOWTIE},
        format="json",
    )
    assert_error(response, 400, field="geom")
    assert "Некорректный полигон" in field_messages(response, "geom")[0]
    assert not Precinct.objects.exists()


def test_self_intersecting_region_is_refused_on_update(staff_client, district):
    region = district.region
    before = region.geom.wkt
    response = staff_client.patch(url("regions", region.pk), {"geom": BOWTIE}, format="json")
    assert_error(response, 400, field="geom")
    region.refresh_from_db()
    assert region.geom.wkt == before


def test_district_outside_kazakhstan_is_refused(staff_client, district):
    response = staff_client.post(
        url("districts"),
        {
            "region": district.region_id,
            "name": "Вне страны",
            "kato": "101000999",
            "geom": square(37.6, 55.75),  # Moscow
        },
        format="json",
    )
    assert_error(response, 400, field="geom")
    assert "вне территории Казахстана" in field_messages(response, "geom")[0]
    assert District.objects.count() == 1


def test_precinct_outside_its_district_is_refused(staff_client, district):
    response = staff_client.post(
        url("precincts"),
        {"district": district.pk, "number": 3, "geom": square(CENTRE_LON + 1, CENTRE_LAT, 0.5)},
        format="json",
    )
    assert_error(response, 400, field="geom")
    assert "выходит за границы района" in field_messages(response, "geom")[0]
    assert not Precinct.objects.exists()


def test_precinct_number_unique_in_district(staff_client, district):
    PrecinctFactory(district=district, number=4)
    response = staff_client.post(
        url("precincts"),
        {"district": district.pk, "number": 4, "geom": cell_square(4)},
        format="json",
    )
    assert_error(response, 400)
    assert Precinct.objects.count() == 1


def test_bad_kato_is_400(staff_client):
    response = staff_client.post(
        url("regions"),
        {"name": "Область", "kato": "12AB", "geom": square(half_km=30)},
        format="json",
    )
    assert_error(response, 400, field="kato")
    assert not Region.objects.exists()


# --- bodies --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        b"{not json",
        b'{"district": 1,}',
        b"",
        b"\xff\xfe\x00garbage",
        b'{"population": NaN}',
        b'{"population": 1e400}',
        b"[" * 100_000 + b"]" * 100_000,
    ],
    ids=["broken", "trailing-comma", "empty", "not-utf8", "nan", "inf", "deep"],
)
def test_body_that_is_not_json_is_400(staff_client, raw):
    response = staff_client.generic("POST", url("stations"), raw, content_type="application/json")
    body = assert_error(response, 400)
    assert body["code"] in ("parse_error", "invalid")
    assert not Station.objects.exists()


def test_body_that_is_a_json_list_is_400(staff_client, district):
    response = staff_client.post(
        url("stations"), json.dumps([station_body(district)]), content_type="application/json"
    )
    body = assert_error(response, 400)
    assert "объектом JSON" in body["message"]
    assert not Station.objects.exists()


def test_form_encoded_body_is_415(staff_client, district):
    response = staff_client.post(url("stations"), {"number": "1"}, format="multipart")
    assert_error(response, 415)


def test_oversized_body_is_413(staff_client, district, settings):
    settings.API_MAX_BODY_BYTES = 2_000
    body = station_body(district, address="ул. " + "А" * 3_000)

    response = staff_client.post(url("stations"), body, format="json")

    result = assert_error(response, 413)
    assert "2000" in result["message"]
    assert not Station.objects.exists()
    # Just under the limit goes through.
    ok = staff_client.post(url("stations"), station_body(district), format="json")
    assert ok.status_code == 201, ok.json()


def test_pk_of_infinite_size_is_400(staff_client):
    response = staff_client.generic(
        "POST",
        url("stations"),
        b'{"district": 1e308, "number": "1", "address": "x", "geom": null}',
        content_type="application/json",
    )
    assert_error(response, 400, field="district")


# --- paging --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params, field",
    [
        ({"limit": "0"}, "limit"),
        ({"limit": "501"}, "limit"),
        ({"limit": "-5"}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"limit": "1.5"}, "limit"),
        ({"offset": "-1"}, "offset"),
        ({"offset": "x"}, "offset"),
    ],
)
def test_bad_paging_is_400(api_client, params, field):
    StationFactory()
    body = assert_error(api_client.get(url("stations"), params), 400, field=field)
    assert body["code"] == "invalid"


def test_paging_defaults_and_maximum(api_client):
    StationFactory.create_batch(3)
    default = api_client.get(url("stations")).json()
    assert default["count"] == 3 and default["next"] is None
    assert api_client.get(url("stations"), {"limit": 500}).status_code == 200
    page = api_client.get(url("stations"), {"limit": 1, "offset": 1}).json()
    assert len(page["results"]) == 1 and page["previous"] and page["next"]
    beyond = api_client.get(url("stations"), {"offset": 10**30}).json()
    assert beyond["results"] == [] and beyond["count"] == 3


# --- not found, methods --------------------------------------------------------------------


@pytest.mark.parametrize("pk", ["999999", "abc", "%00", "99999999999999999999999"])
def test_missing_rows_are_404_in_the_one_shape(api_client, pk):
    body = assert_error(api_client.get(f"/api/v1/stations/{pk}/"), 404)
    assert body["code"] == "not_found"


def test_unsupported_method_is_405(staff_client):
    assert_error(staff_client.delete(url("stations")), 405)


# --- throttling ----------------------------------------------------------------------------


def test_anonymous_clients_are_throttled(api_client, monkeypatch):
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": "1000/minute"}
    )
    cache.clear()

    statuses = [api_client.get(url("regions")).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    response = api_client.get(url("regions"))
    body = assert_error(response, 429)
    assert body["code"] == "throttled"
    assert 0 < int(response["Retry-After"]) <= 60


def test_signed_in_clients_have_their_own_rate(staff_user, monkeypatch):
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"anon": "1/minute", "user": "2/minute"}
    )
    cache.clear()
    client = APIClient()
    client.force_authenticate(staff_user)

    assert [client.get(url("regions")).status_code for _ in range(3)] == [200, 200, 429]
    assert APIClient().get(url("regions")).status_code == 200  # anonymous bucket untouched
