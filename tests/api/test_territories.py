"""Regions, districts, precincts and settlements: filters by territory (id and KATO), search,
ordering and bounding box; a district that still has stations cannot be deleted."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import GEOSGeometry

from stations.models import District, Region
from tests.api.utils import assert_error, url
from tests.factories import (
    DistrictFactory,
    ModularPostFactory,
    PrecinctFactory,
    RegionFactory,
    SettlementFactory,
    StationFactory,
    point_ewkt,
    square_ewkt,
)

pytestmark = pytest.mark.django_db

# Almaty, far from the factories' default territory around Semey.
ALMATY = (76.92, 43.24)


def ids(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def two_regions():
    """Abai region (Semey, one district with two precincts and a settlement) and Almaty city."""
    abai = RegionFactory()
    almaty = RegionFactory(
        name="город Алматы",
        name_kk="Алматы қаласы",
        kato="750000000",
        geom=GEOSGeometry(square_ewkt(*ALMATY, 20)),
    )
    semey = DistrictFactory(region=abai, name="город Семей", kato="632810000", population=350_000)
    almaly = DistrictFactory(
        region=almaty,
        name="Алмалинский район",
        kato="751210000",
        kind=District.Kind.URBAN,
        population=210_000,
        geom=GEOSGeometry(square_ewkt(*ALMATY, 4)),
    )
    rural = DistrictFactory(region=abai, name="Бородулихинский район", kind="rural", population=1)
    return {
        "abai": abai,
        "almaty": almaty,
        "semey": semey,
        "almaly": almaly,
        "rural": rural,
        "semey_precincts": [
            PrecinctFactory(district=semey, number=1, name="мкр. Восточный"),
            PrecinctFactory(district=semey, number=2, name="мкр. Жана Семей"),
        ],
        "almaly_precinct": PrecinctFactory(
            district=almaly,
            number=1,
            name="Центр",
            geom=GEOSGeometry(square_ewkt(*ALMATY, 0.5)),
        ),
        "village": SettlementFactory(district=semey, name="Букенчи", kato="632830100"),
        "almaty_village": SettlementFactory(
            district=almaly, name="Алатау", geom=GEOSGeometry(point_ewkt(*ALMATY))
        ),
    }


def test_regions_filter_by_kato_and_search(api_client, two_regions):
    almaty = two_regions["almaty"]
    assert ids(api_client.get(url("regions"), {"kato": "750000000"})) == [almaty.pk]
    assert ids(api_client.get(url("regions"), {"search": "Алматы"})) == [almaty.pk]
    assert ids(api_client.get(url("regions"), {"search": "Абай облысы"})) == [
        two_regions["abai"].pk
    ]


def test_regions_ordering(api_client, two_regions):
    by_name = ids(api_client.get(url("regions"), {"ordering": "name"}))
    assert by_name == [two_regions["abai"].pk, two_regions["almaty"].pk]
    by_kato_desc = ids(api_client.get(url("regions"), {"ordering": "-kato"}))
    assert by_kato_desc == [two_regions["almaty"].pk, two_regions["abai"].pk]


@pytest.mark.parametrize("param", ["region", "region_kato"])
def test_districts_by_region(api_client, two_regions, param):
    value = two_regions["almaty"].pk if param == "region" else "750000000"
    assert ids(api_client.get(url("districts"), {param: value})) == [two_regions["almaly"].pk]


def test_districts_by_kato_kind_and_id(api_client, two_regions):
    assert ids(api_client.get(url("districts"), {"kato": "632810000"})) == [two_regions["semey"].pk]
    assert ids(api_client.get(url("districts"), {"kind": "rural"})) == [two_regions["rural"].pk]
    assert ids(api_client.get(url("districts"), {"district": two_regions["almaly"].pk})) == [
        two_regions["almaly"].pk
    ]


def test_districts_search_and_ordering(api_client, two_regions):
    assert ids(api_client.get(url("districts"), {"search": "Алмалин"})) == [
        two_regions["almaly"].pk
    ]
    ordered = ids(api_client.get(url("districts"), {"ordering": "-population"}))
    assert ordered == [two_regions[k].pk for k in ("semey", "almaly", "rural")]


@pytest.mark.parametrize(
    "params",
    [
        {"district_kato": "751210000"},
        {"region_kato": "750000000"},
        {"region": "REGION_ALMATY"},
        {"district": "DISTRICT_ALMALY"},
    ],
    ids=["district_kato", "region_kato", "region", "district"],
)
def test_precincts_by_territory(api_client, two_regions, params):
    values = {
        "REGION_ALMATY": two_regions["almaty"].pk,
        "DISTRICT_ALMALY": two_regions["almaly"].pk,
    }
    params = {k: values.get(v, v) for k, v in params.items()}
    assert ids(api_client.get(url("precincts"), params)) == [two_regions["almaly_precinct"].pk]


def test_precincts_by_number_search_and_ordering(api_client, two_regions):
    first, second = two_regions["semey_precincts"]
    semey = two_regions["semey"].pk
    assert ids(api_client.get(url("precincts"), {"district": semey, "number": 2})) == [second.pk]
    assert ids(api_client.get(url("precincts"), {"search": "Жана"})) == [second.pk]
    assert ids(api_client.get(url("precincts"), {"district": semey, "ordering": "-number"})) == [
        second.pk,
        first.pk,
    ]


def test_settlements_filters(api_client, two_regions):
    village = two_regions["village"]
    assert ids(api_client.get(url("settlements"), {"district_kato": "632810000"})) == [village.pk]
    assert ids(api_client.get(url("settlements"), {"region": two_regions["almaty"].pk})) == [
        two_regions["almaty_village"].pk
    ]
    assert ids(api_client.get(url("settlements"), {"kato": "632830100"})) == [village.pk]
    assert ids(api_client.get(url("settlements"), {"search": "Букен"})) == [village.pk]


@pytest.mark.parametrize(
    "resource, expected",
    [
        ("regions", ["almaty"]),
        ("districts", ["almaly"]),
        ("precincts", ["almaly_precinct"]),
        ("settlements", ["almaty_village"]),
    ],
)
def test_in_bbox_on_territories(api_client, two_regions, resource, expected):
    lon, lat = ALMATY
    bbox = f"{lon - 0.01},{lat - 0.01},{lon + 0.01},{lat + 0.01}"
    found = ids(api_client.get(url(resource), {"in_bbox": bbox, "limit": 500}))
    assert sorted(found) == sorted(two_regions[key].pk for key in expected)


def test_in_bbox_far_away_is_empty(api_client, two_regions):
    assert ids(api_client.get(url("precincts"), {"in_bbox": "50,41,51,42"})) == []


@pytest.mark.parametrize(
    "resource, params, field",
    [
        ("districts", {"region": "abc"}, "region"),
        ("districts", {"kind": "suburban"}, "kind"),
        ("precincts", {"district": "first"}, "district"),
        ("precincts", {"number": "x"}, "number"),
        ("settlements", {"district": "1;drop"}, "district"),
        ("regions", {"in_bbox": "1,2,3"}, "in_bbox"),
        ("districts", {"in_bbox": "a,b,c,d"}, "in_bbox"),
        ("precincts", {"in_bbox": "80,50,79,51"}, "in_bbox"),
        ("precincts", {"in_bbox": "80,50,80,51"}, "in_bbox"),
        ("precincts", {"in_bbox": "-200,50,80,51"}, "in_bbox"),
        ("settlements", {"in_bbox": "1e300,1e300,1e301,1e301"}, "in_bbox"),
        ("regions", {"in_bbox": "nan,nan,nan,nan"}, "in_bbox"),
        ("regions", {"search": "Ал\x00маты"}, "search"),
    ],
)
def test_unknown_filter_values_are_400_naming_the_parameter(api_client, resource, params, field):
    RegionFactory()
    assert_error(api_client.get(url(resource), params), 400, field=field)


def test_delete_district_with_stations_is_409(staff_client):
    station = StationFactory()
    district = station.district

    response = staff_client.delete(url("districts", district.pk))

    body = assert_error(response, 409)
    assert body["code"] == "conflict"
    assert "участковые пункты полиции" in body["message"]
    assert District.objects.filter(pk=district.pk).exists()


def test_delete_district_with_posts_and_precincts_names_both(staff_client):
    district = DistrictFactory()
    ModularPostFactory(district=district)
    PrecinctFactory(district=district)

    body = assert_error(staff_client.delete(url("districts", district.pk)), 409)

    assert "модульные посты полиции" in body["message"]
    assert "административные участки" in body["message"]


def test_delete_region_with_districts_is_409(staff_client):
    district = DistrictFactory()
    assert_error(staff_client.delete(url("regions", district.region_id)), 409)
    assert Region.objects.filter(pk=district.region_id).exists()
