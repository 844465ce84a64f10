"""Shapes: GeoJSON FeatureCollection / Feature by `?format=geojson` or the Accept header, plain
JSON otherwise; coordinates rounded to 6 decimals; `simplify=<metres>` on polygon lists."""

from __future__ import annotations

import json

import pytest
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Point, Polygon

from servicepolice import geo
from tests.api.utils import assert_error, decimals, jagged_polygon, positions, url, vertex_count
from tests.factories import (
    CENTRE_LAT,
    CENTRE_LON,
    DistrictFactory,
    MeetingFactory,
    ModularPostFactory,
    PrecinctFactory,
    RegionFactory,
    SettlementFactory,
    StationFactory,
    point_ewkt,
)

pytestmark = pytest.mark.django_db

GEO_RESOURCES = {
    "regions": lambda: RegionFactory(kato=f"1{RegionFactory._meta.model.objects.count():08d}"),
    "districts": DistrictFactory,
    "precincts": PrecinctFactory,
    "settlements": SettlementFactory,
    "stations": StationFactory,
    "posts": ModularPostFactory,
    "meetings": lambda: MeetingFactory(geom=GEOSGeometry(point_ewkt(CENTRE_LON, CENTRE_LAT))),
}
GEOJSON = "application/geo+json"


def _make(resource: str, n: int) -> list:
    return [GEO_RESOURCES[resource]() for _ in range(n)]


def _ask(client, path, how, **params):
    if how == "format":
        return client.get(path, {**params, "format": "geojson"})
    return client.get(path, params, HTTP_ACCEPT=GEOJSON)


@pytest.mark.parametrize("how", ["format", "accept"])
@pytest.mark.parametrize("resource", GEO_RESOURCES)
def test_geojson_list_is_a_paged_feature_collection(api_client, resource, how):
    rows = _make(resource, 3)

    response = _ask(api_client, url(resource), how, limit=2)

    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith(GEOJSON)
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert body["count"] == 3
    assert body["previous"] is None
    assert "limit=2" in body["next"] and "offset=2" in body["next"]
    assert len(body["features"]) == 2
    feature = body["features"][0]
    assert feature["type"] == "Feature"
    assert feature["geometry"]["type"] in ("Point", "MultiPolygon")
    assert "geom" not in feature["properties"]
    assert feature["id"] in {row.pk for row in rows}

    last = api_client.get(body["next"], HTTP_ACCEPT=GEOJSON).json()
    assert last["next"] is None and last["previous"]
    assert len(last["features"]) == 1


@pytest.mark.parametrize("how", ["format", "accept"])
@pytest.mark.parametrize("resource", GEO_RESOURCES)
def test_geojson_detail_is_a_feature(api_client, resource, how):
    (row,) = _make(resource, 1)
    response = _ask(api_client, url(resource, row.pk), how)
    assert response.status_code == 200
    body = response.json()
    assert body["type"] == "Feature"
    assert body["id"] == row.pk
    assert body["geometry"]["type"] in ("Point", "MultiPolygon")


@pytest.mark.parametrize("resource", GEO_RESOURCES)
def test_plain_json_carries_geometry_as_geojson(api_client, resource):
    (row,) = _make(resource, 1)
    response = api_client.get(url(resource, row.pk))
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert "type" not in body
    assert body["geom"]["type"] in ("Point", "MultiPolygon")
    assert GEOSGeometry(str(body["geom"]).replace("'", '"')).equals_exact(row.geom, 1e-6)


@pytest.mark.parametrize("resource", ["inspectors", "assistants", "suggestions"])
def test_resources_without_geometry_do_not_offer_geojson(api_client, resource):
    assert api_client.get(url(resource), HTTP_ACCEPT=GEOJSON).status_code == 406
    assert api_client.get(url(resource), {"format": "geojson"}).status_code == 404


def test_coordinates_rounded_to_six_decimals(api_client):
    lon, lat = 80.123456789123, 50.987654321987
    district = DistrictFactory(
        geom=GEOSGeometry(
            f"SRID=4326;MULTIPOLYGON((({lon} {lat}, {lon + 0.01} {lat}, "
            f"{lon + 0.01} {lat + 0.01}, {lon} {lat})))"
        )
    )
    station = StationFactory(district=district, geom=GEOSGeometry(point_ewkt(lon + 0.008, lat)))
    station.geom = GEOSGeometry(f"SRID=4326;POINT({lon + 0.008123456789} {lat + 0.001987654321})")
    station.save()

    plain = api_client.get(url("districts", district.pk)).json()["geom"]
    feature = api_client.get(url("stations", station.pk), {"format": "geojson"}).json()
    collection = api_client.get(url("stations"), {"format": "geojson"}).json()

    for geometry in (plain, feature["geometry"], collection["features"][0]["geometry"]):
        for x, y in positions(geometry):
            assert decimals(x) <= 6 and decimals(y) <= 6, (x, y)
    assert plain["coordinates"][0][0][0] == [80.123457, 50.987654]
    assert feature["geometry"]["coordinates"] == [
        pytest.approx(80.131580, abs=1e-9),
        pytest.approx(50.989642, abs=1e-9),
    ]


@pytest.fixture
def detailed_district():
    """A district with a border of 2000 vertices (a wobbly circle of 4 km)."""
    ring = GEOSGeometry(str(jagged_polygon()).replace("'", '"'))
    geom = MultiPolygon(Polygon(ring.exterior_ring), srid=4326)
    return DistrictFactory(geom=geom)


@pytest.mark.parametrize("how", ["json", "geojson"])
def test_simplify_reduces_vertices_and_stays_valid(api_client, detailed_district, how):
    params = {"format": "geojson"} if how == "geojson" else {}

    def geometry(response):
        body = response.json()
        if how == "geojson":
            return body["features"][0]["geometry"]
        return body["results"][0]["geom"]

    full = geometry(api_client.get(url("districts"), params))
    simple = geometry(api_client.get(url("districts"), {**params, "simplify": 100}))
    fine = geometry(api_client.get(url("districts"), {**params, "simplify": 0.01}))

    assert vertex_count(full) == 2001
    assert vertex_count(simple) < vertex_count(full) / 5
    assert vertex_count(fine) > 1900
    shape = GEOSGeometry(str(simple).replace("'", '"'))
    assert shape.geom_type == "MultiPolygon"
    assert shape.valid
    original = detailed_district.geom
    # The simplified border stays within the tolerance of the original (metres, in UTM).
    assert geo.area_m2(shape) == pytest.approx(geo.area_m2(original), rel=0.02)
    srid = geo.utm_srid_for(original)
    border = geo.to_metric(shape, srid).boundary
    for vertex in geo.to_metric(original, srid).coords[0][0][::10]:
        assert border.distance(Point(vertex, srid=srid)) <= 100 + 1


def test_simplify_on_one_feature(api_client, detailed_district):
    response = api_client.get(url("districts", detailed_district.pk), {"simplify": "250"})
    assert vertex_count(response.json()["geom"]) < 200


def test_simplify_leaves_points_alone(api_client):
    station = StationFactory()
    body = api_client.get(url("stations", station.pk), {"simplify": 1000}).json()
    assert body["geom"]["coordinates"] == [CENTRE_LON, CENTRE_LAT]


@pytest.mark.parametrize("value", ["-1", "abc", "nan", "inf", "100001", "1e9"])
def test_bad_simplify_is_400(api_client, value):
    DistrictFactory()
    assert_error(api_client.get(url("districts"), {"simplify": value}), 400, field="simplify")


def test_create_from_a_geojson_feature(staff_client):
    district = DistrictFactory()
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [CENTRE_LON, CENTRE_LAT]},
        "properties": {"district": district.pk, "number": "№3", "address": "ул. Абая, 3"},
    }

    response = staff_client.post(
        url("stations") + "?format=geojson",
        data=json.dumps(feature),
        content_type=GEOJSON,
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["type"] == "Feature"
    assert body["properties"]["number"] == "№3"
    assert body["geometry"]["coordinates"] == [CENTRE_LON, CENTRE_LAT]


def test_feature_properties_must_be_an_object(staff_client):
    feature = {"type": "Feature", "geometry": None, "properties": ["not", "an", "object"]}
    response = staff_client.post(
        url("stations") + "?format=geojson", data=json.dumps(feature), content_type=GEOJSON
    )
    assert_error(response, 400, field="properties")


def test_altitude_is_dropped_on_the_way_in(staff_client):
    station = StationFactory()
    response = staff_client.patch(
        url("stations", station.pk),
        {"geom": {"type": "Point", "coordinates": [CENTRE_LON, CENTRE_LAT, 230.5]}},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["geom"]["coordinates"] == [CENTRE_LON, CENTRE_LAT]
    station.refresh_from_db()
    assert not station.geom.hasz


@pytest.mark.parametrize("action", ["team", "meetings", "suggestions"])
def test_nested_routes_answer_plain_json_only(api_client, action):
    precinct = PrecinctFactory()
    plain = api_client.get(url("precincts", precinct.pk, action))
    assert plain.status_code == 200
    assert plain["Content-Type"].startswith("application/json")
    assert (
        api_client.get(url("precincts", precinct.pk, action), HTTP_ACCEPT=GEOJSON).status_code
        == 406
    )


@pytest.mark.parametrize("resource", [*GEO_RESOURCES, "inspectors", "assistants", "suggestions"])
def test_options_describes_the_resource(staff_client, resource):
    response = staff_client.options(url(resource))
    assert response.status_code == 200
    assert "POST" in response.json()["actions"]
