"""`GET /api/v1/locate/?lat=&lon=`: the precinct, district and region holding a point, its
serving inspectors (public fields), the 3 nearest operating facilities in geodesic metres and
the next planned meeting; a point outside every precinct is a 404 that still lists facilities."""

from __future__ import annotations

import datetime
import random

import pytest
from django.contrib.gis.geos import GEOSGeometry, Point
from django.utils import timezone

from meetings.models import Meeting
from officers.models import Inspector
from servicepolice import geo
from stations.models import ModularPost, Station
from tests.api.utils import assert_error
from tests.factories import (
    CENTRE_LAT,
    CENTRE_LON,
    AssistantFactory,
    DistrictFactory,
    InspectorFactory,
    MeetingFactory,
    ModularPostFactory,
    PrecinctFactory,
    StationFactory,
    precinct_cell,
    square_ewkt,
)

pytestmark = pytest.mark.django_db

LOCATE = "/api/v1/locate/"


def at(lon: float, lat: float) -> GEOSGeometry:
    return Point(lon, lat, srid=4326)


def locate(client, lon: float, lat: float):
    return client.get(LOCATE, {"lat": repr(lat), "lon": repr(lon)})


@pytest.fixture
def town():
    """Two adjacent precincts (1 and 2), inspectors, facilities at known places, meetings."""
    district = DistrictFactory(name="город Семей", kato="632810000")
    first = PrecinctFactory(district=district, number=1, name="мкр. Первый")
    second = PrecinctFactory(district=district, number=2, name="мкр. Второй")
    lon, lat = precinct_cell(0)  # centre of precinct 1
    station = StationFactory(district=district, precinct=first, number="№1", geom=at(lon, lat))
    post = ModularPostFactory(
        district=district, geom=geo.offset_point(lon, lat, 300, 0), round_the_clock=True
    )
    far_station = StationFactory(
        district=district, number="№2", geom=geo.offset_point(lon, lat, 2500, 2500)
    )
    farther_post = ModularPostFactory(
        district=district,
        geom=geo.offset_point(lon, lat, 4000, 4000),
        round_the_clock=False,
    )
    # Nearer than all, but not operating: never listed.
    StationFactory(
        district=district,
        number="№3",
        status=Station.Status.PLANNED,
        opened_on=None,
        geom=geo.offset_point(lon, lat, 10, 10),
    )
    StationFactory(
        district=district,
        number="№4",
        status=Station.Status.CLOSED,
        closed_on=datetime.date(2024, 5, 1),
        geom=geo.offset_point(lon, lat, -20, 0),
    )
    ModularPostFactory(
        district=district,
        status=ModularPost.Status.UNDER_CONSTRUCTION,
        geom=geo.offset_point(lon, lat, 0, -30),
    )
    inspector = InspectorFactory(precinct=first, station=station, last_name="Ахметов")
    AssistantFactory(inspector=inspector)
    InspectorFactory(precinct=first, status=Inspector.Status.ON_LEAVE, last_name="Ким")
    InspectorFactory(precinct=first, status=Inspector.Status.DISMISSED, last_name="Уволенный")
    InspectorFactory(precinct=second, last_name="Сосед")
    now = timezone.now()
    soon = MeetingFactory(
        inspector=inspector,
        status=Meeting.Status.PLANNED,
        held_at=None,
        scheduled_at=now + datetime.timedelta(days=3),
    )
    MeetingFactory(
        inspector=inspector,
        status=Meeting.Status.PLANNED,
        held_at=None,
        scheduled_at=now + datetime.timedelta(days=30),
    )
    MeetingFactory(inspector=inspector)  # held 10 days ago
    return {
        "district": district,
        "first": first,
        "second": second,
        "point": (lon, lat),
        "station": station,
        "post": post,
        "far_station": far_station,
        "farther_post": farther_post,
        "inspector": inspector,
        "soon": soon,
    }


def test_point_inside_a_precinct(api_client, town):
    lon, lat = town["point"]
    lon, lat = lon + 0.001, lat + 0.001  # a little off the station

    response = locate(api_client, lon, lat)

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["precinct"]["id"] == town["first"].pk
    assert body["precinct"]["number"] == 1
    assert body["district"] == {
        "id": town["district"].pk,
        "name": "город Семей",
        "name_kk": town["district"].name_kk,
        "kato": "632810000",
    }
    assert body["region"]["kato"] == "100000000"

    assert [i["id"] for i in body["inspectors"]] == [town["inspector"].pk]
    inspector = body["inspectors"][0]
    for private in ("personnel_number", "personal_phone", "appointed_on"):
        assert private not in inspector
    assert inspector["station"] == town["station"].pk
    assert "phone" not in inspector["assistants"][0]

    nearest = body["nearest_facilities"]
    assert [(f["type"], f["id"]) for f in nearest] == [
        ("station", town["station"].pk),
        ("post", town["post"].pk),
        ("station", town["far_station"].pk),
    ]
    distances = [f["distance_m"] for f in nearest]
    assert distances == sorted(distances)
    here = at(lon, lat)
    for facility, item in zip(
        (town["station"], town["post"], town["far_station"]), nearest, strict=True
    ):
        assert item["distance_m"] == pytest.approx(geo.distance_m(here, facility.geom), rel=0.005)
    assert nearest[1]["round_the_clock"] is True
    assert nearest[0]["number"] == "№1"
    assert nearest[0]["geom"]["type"] == "Point"

    assert body["next_meeting"]["id"] == town["soon"].pk
    assert body["next_meeting"]["status"] == "planned"


def test_closed_and_planned_facilities_are_never_nearest(api_client, town):
    lon, lat = town["point"]
    body = locate(api_client, lon, lat).json()
    statuses = {
        Station.objects.get(pk=f["id"]).status
        if f["type"] == "station"
        else ModularPost.objects.get(pk=f["id"]).status
        for f in body["nearest_facilities"]
    }
    assert statuses == {"operating"}


def test_next_meeting_is_null_without_planned_ones(api_client, town):
    Meeting.objects.filter(status=Meeting.Status.PLANNED).delete()
    body = locate(api_client, *town["point"]).json()
    assert body["next_meeting"] is None


def test_point_on_the_shared_border_of_two_precincts(api_client, town):
    first, second = town["first"], town["second"]
    # Precinct 2 is the next cell east: they share precinct 1's east edge.
    east_edge = first.geom.extent[2]
    assert second.geom.extent[0] == east_edge
    border_point = at(east_edge, town["point"][1])
    assert first.geom.intersects(border_point) and second.geom.intersects(border_point)

    answers = {
        locate(api_client, border_point.x, border_point.y).json()["precinct"]["id"]
        for _ in range(3)
    }

    # Deterministic: the lower number wins.
    assert answers == {first.pk}


def test_point_just_east_of_the_border_is_the_neighbour(api_client, town):
    east = geo.offset_point(town["first"].geom.extent[2], town["point"][1], 1, 0)
    body = locate(api_client, east.x, east.y).json()
    assert body["precinct"]["id"] == town["second"].pk
    assert [i["last_name"] for i in body["inspectors"]] == ["Сосед"]


def test_point_outside_all_precincts_is_404_with_nearest(api_client, town):
    lon, lat = CENTRE_LON + 0.2, CENTRE_LAT  # about 14 km east of town, no precinct there

    response = locate(api_client, lon, lat)

    body = assert_error(response, 404)
    assert "не входит ни в один" in body["message"]
    nearest = body["extra"]["nearest_facilities"]
    assert len(nearest) == 3
    assert [f["distance_m"] for f in nearest] == sorted(f["distance_m"] for f in nearest)
    assert all(f["distance_m"] > 8_000 for f in nearest)


def test_no_facilities_anywhere(api_client):
    body = assert_error(locate(api_client, 75.0, 45.0), 404)
    assert body["extra"]["nearest_facilities"] == []


@pytest.mark.parametrize(
    "params, field",
    [
        ({"lon": "80.2"}, "lat"),
        ({"lat": "50.4"}, "lon"),
        ({"lat": "fifty", "lon": "80.2"}, "lat"),
        ({"lat": "50.4", "lon": "eighty"}, "lon"),
        ({"lat": "91", "lon": "80.2"}, "lat"),
        ({"lat": "50.4", "lon": "-180.5"}, "lon"),
        ({"lat": "nan", "lon": "80.2"}, "lat"),
        ({"lat": "50.4", "lon": "inf"}, "lon"),
        ({"lat": "", "lon": ""}, "lat"),
        ({"lat": "50,4", "lon": "80.2"}, "lat"),
    ],
)
def test_bad_coordinates_are_400_naming_the_parameter(api_client, params, field):
    assert_error(api_client.get(LOCATE, params), 400, field=field)


def test_locate_is_read_only(staff_client):
    assert_error(staff_client.post(LOCATE, {"lat": 50.4, "lon": 80.2}, format="json"), 405)


def test_nearest_matches_brute_force(api_client):
    """Against every facility's distance computed in Python, for random points and places."""
    rng = random.Random(20241127)
    district = DistrictFactory(geom=GEOSGeometry(square_ewkt(CENTRE_LON, CENTRE_LAT, 60)))
    facilities = []
    for i in range(22):
        lon = CENTRE_LON + rng.uniform(-0.7, 0.7)
        lat = CENTRE_LAT + rng.uniform(-0.45, 0.45)
        status = rng.choice(["operating"] * 3 + ["closed", "planned"])
        extra = {"closed_on": datetime.date(2024, 1, 1)} if status == "closed" else {}
        if i % 2:
            facility = StationFactory(
                district=district, number=f"№{100 + i}", geom=at(lon, lat), status=status, **extra
            )
        else:
            facility = ModularPostFactory(
                district=district, geom=at(lon, lat), status=status, **extra
            )
        facilities.append(facility)
    operating = [f for f in facilities if f.status == "operating"]
    assert len(operating) >= 6

    for _ in range(6):
        lon = CENTRE_LON + rng.uniform(-0.6, 0.6)
        lat = CENTRE_LAT + rng.uniform(-0.4, 0.4)
        here = at(lon, lat)
        expected = sorted(operating, key=lambda f: geo.distance_m(here, f.geom))[:3]

        body = locate(api_client, lon, lat).json()
        nearest = body.get("nearest_facilities") or body["extra"]["nearest_facilities"]

        got = [(f["type"], f["id"]) for f in nearest]
        want = [("station" if isinstance(f, Station) else "post", f.pk) for f in expected]
        assert got == want
        for item, facility in zip(nearest, expected, strict=True):
            assert item["distance_m"] == pytest.approx(
                geo.distance_m(here, facility.geom), rel=0.005
            )
