"""Stations and modular posts: filters by status, territory, precinct, round-the-clock and
placement, search, ordering and bounding box; a facility must lie inside its district."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.gis.geos import GEOSGeometry

from stations.models import ModularPost, Station
from tests.api.utils import assert_error, field_messages, point, url
from tests.factories import (
    CENTRE_LAT,
    CENTRE_LON,
    DistrictFactory,
    ModularPostFactory,
    PrecinctFactory,
    RegionFactory,
    StationFactory,
    point_ewkt,
    square_ewkt,
)

pytestmark = pytest.mark.django_db

ASTANA = (71.43, 51.13)


def ids(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return sorted(row["id"] for row in response.json()["results"])


@pytest.fixture
def facilities():
    semey = DistrictFactory(kato="632810000")
    precinct = PrecinctFactory(district=semey, number=1)
    astana_region = RegionFactory(
        name="город Астана", kato="710000000", geom=GEOSGeometry(square_ewkt(*ASTANA, 20))
    )
    astana = DistrictFactory(
        region=astana_region, kato="711210000", geom=GEOSGeometry(square_ewkt(*ASTANA, 5))
    )
    return {
        "operating": StationFactory(
            district=semey,
            precinct=precinct,
            number="№19",
            address="г. Семей, ул. Найманбаева, 161",
            combined_with_housing=True,
        ),
        "planned": StationFactory(
            district=semey, number="№20", status=Station.Status.PLANNED, opened_on=None
        ),
        "closed": StationFactory(
            district=semey,
            number="№21",
            status=Station.Status.CLOSED,
            closed_on=datetime.date(2024, 1, 1),
        ),
        "astana": StationFactory(
            district=astana, number="№1", geom=GEOSGeometry(point_ewkt(*ASTANA))
        ),
        "post_24h": ModularPostFactory(district=semey, name="Пост на площади Абая"),
        "post_day": ModularPostFactory(
            district=semey,
            name="Пост в парке",
            round_the_clock=False,
            placement=ModularPost.Placement.PARK,
            status=ModularPost.Status.UNDER_CONSTRUCTION,
        ),
        "post_astana": ModularPostFactory(
            district=astana, name="Пост у вокзала", geom=GEOSGeometry(point_ewkt(*ASTANA))
        ),
        "precinct": precinct,
        "semey": semey,
        "astana_region": astana_region,
    }


def pks(facilities, *keys) -> list[int]:
    return sorted(facilities[k].pk for k in keys)


def test_stations_by_status(api_client, facilities):
    f = facilities
    assert ids(api_client.get(url("stations"), {"status": "planned"})) == pks(f, "planned")
    both = api_client.get(url("stations") + "?status=planned&status=closed")
    assert ids(both) == pks(f, "planned", "closed")


def test_stations_by_territory_and_precinct(api_client, facilities):
    f = facilities
    semey = pks(f, "operating", "planned", "closed")
    assert ids(api_client.get(url("stations"), {"district": f["semey"].pk})) == semey
    assert ids(api_client.get(url("stations"), {"district_kato": "632810000"})) == semey
    assert ids(api_client.get(url("stations"), {"region_kato": "710000000"})) == pks(f, "astana")
    assert ids(api_client.get(url("stations"), {"region": f["astana_region"].pk})) == pks(
        f, "astana"
    )
    assert ids(api_client.get(url("stations"), {"precinct": f["precinct"].pk})) == pks(
        f, "operating"
    )


def test_stations_by_housing_search_and_ordering(api_client, facilities):
    f = facilities
    assert ids(api_client.get(url("stations"), {"combined_with_housing": "true"})) == pks(
        f, "operating"
    )
    assert ids(api_client.get(url("stations"), {"search": "Найманбаева"})) == pks(f, "operating")
    assert ids(api_client.get(url("stations"), {"search": "№21"})) == pks(f, "closed")
    response = api_client.get(url("stations"), {"district": f["semey"].pk, "ordering": "-number"})
    assert [r["number"] for r in response.json()["results"]] == ["№21", "№20", "№19"]


def test_posts_by_round_the_clock_status_and_placement(api_client, facilities):
    f = facilities
    assert ids(api_client.get(url("posts"), {"round_the_clock": "true"})) == pks(
        f, "post_24h", "post_astana"
    )
    assert ids(api_client.get(url("posts"), {"round_the_clock": "false"})) == pks(f, "post_day")
    assert ids(api_client.get(url("posts"), {"status": "under_construction"})) == pks(f, "post_day")
    assert ids(api_client.get(url("posts"), {"placement": "park"})) == pks(f, "post_day")
    assert ids(api_client.get(url("posts") + "?status=operating&status=under_construction")) == (
        pks(f, "post_24h", "post_day", "post_astana")
    )
    assert ids(api_client.get(url("posts"), {"search": "вокзал"})) == pks(f, "post_astana")
    assert ids(api_client.get(url("posts"), {"district_kato": "711210000"})) == pks(
        f, "post_astana"
    )


def test_stations_round_the_clock(api_client, facilities):
    f = facilities
    f["planned"].round_the_clock = True
    f["planned"].save()
    body = api_client.get(url("stations", f["planned"].pk)).json()
    assert body["round_the_clock"] is True
    assert ids(api_client.get(url("stations"), {"round_the_clock": "true"})) == pks(f, "planned")


@pytest.mark.parametrize("resource", ["stations", "posts"])
def test_in_bbox_on_facilities(api_client, facilities, resource):
    lon, lat = ASTANA
    box = f"{lon - 0.01},{lat - 0.01},{lon + 0.01},{lat + 0.01}"
    expected = pks(facilities, "astana" if resource == "stations" else "post_astana")
    assert ids(api_client.get(url(resource), {"in_bbox": box})) == expected


@pytest.mark.parametrize(
    "resource, params, field",
    [
        ("stations", {"status": "open"}, "status"),
        ("stations", {"precinct": "999999"}, "precinct"),
        ("stations", {"combined_with_housing": "sometimes"}, "combined_with_housing"),
        ("stations", {"round_the_clock": "yes please"}, "round_the_clock"),
        ("stations", {"district_kato": "\x00"}, "district_kato"),
        ("posts", {"round_the_clock": "maybe"}, "round_the_clock"),
        ("posts", {"placement": "roof"}, "placement"),
        ("posts", {"region": "Абай"}, "region"),
    ],
)
def test_bad_filter_values_are_400(api_client, facilities, resource, params, field):
    assert_error(api_client.get(url(resource), params), 400, field=field)


def test_station_outside_its_district_is_refused(staff_client):
    district = DistrictFactory()
    count = Station.objects.count()

    response = staff_client.post(
        url("stations"),
        {
            "district": district.pk,
            "number": "№5",
            "address": "г. Астана",
            "geom": point(*ASTANA),
        },
        format="json",
    )

    assert_error(response, 400, field="geom")
    assert "вне границ района" in field_messages(response, "geom")[0]
    assert Station.objects.count() == count


def test_post_in_another_district_cannot_move_out_by_patch(staff_client):
    post = ModularPostFactory()
    before = post.geom.coords

    response = staff_client.patch(
        url("posts", post.pk), {"geom": point(CENTRE_LON + 1, CENTRE_LAT)}, format="json"
    )

    assert_error(response, 400, field="geom")
    post.refresh_from_db()
    assert post.geom.coords == before


def test_station_of_a_precinct_in_another_district_is_refused(staff_client):
    station = StationFactory()
    elsewhere = PrecinctFactory()  # its own district
    response = staff_client.patch(
        url("stations", station.pk), {"precinct": elsewhere.pk}, format="json"
    )
    assert_error(response, 400, field="precinct")
    station.refresh_from_db()
    assert station.precinct_id is None


def test_closed_station_needs_a_closing_date(staff_client):
    station = StationFactory()
    response = staff_client.patch(url("stations", station.pk), {"status": "closed"}, format="json")
    assert_error(response, 400, field="closed_on")
    station.refresh_from_db()
    assert station.status == Station.Status.OPERATING
