"""A station's admin page: the map shows its marker, and a point outside the district is refused."""

import json

import pytest

from stations.models import Station
from stations.validators import MSG_POINT_OUTSIDE_DISTRICT
from tests.factories import CENTRE_LAT, CENTRE_LON, StationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_station_map_shows_the_marker_and_refuses_a_point_outside_the_district(
    page, live_server, admin_login
):
    station = StationFactory()
    admin_login()

    page.goto(f"{live_server.url}/admin/stations/station/{station.pk}/change/")

    map_div = page.locator("#id_geom-map")
    map_div.wait_for(state="visible")
    assert "leaflet-container" in map_div.get_attribute("class")
    marker = page.locator("#id_geom-map .leaflet-marker-icon")
    marker.first.wait_for(state="visible")
    assert marker.count() == 1
    # The stored point reached the map's field unchanged (GeoJSON, lon/lat).
    stored = json.loads(page.locator("#id_geom").input_value())
    assert stored["coordinates"] == pytest.approx([CENTRE_LON, CENTRE_LAT])

    outside = {"type": "Point", "coordinates": [CENTRE_LON + 0.2, CENTRE_LAT]}
    page.evaluate(
        "value => { document.querySelector('#id_geom').value = value; }", json.dumps(outside)
    )
    page.click("input[name=_save]")

    errors = page.locator(".field-geom .errorlist")
    errors.wait_for(state="visible")
    head = str(MSG_POINT_OUTSIDE_DISTRICT).split("%(district)s")[0]
    assert head in errors.inner_text()
    assert station.district.name in errors.inner_text()
    assert page.locator(".errornote").is_visible()
    station.refresh_from_db()
    assert station.geom.x == pytest.approx(CENTRE_LON)
    assert Station.objects.count() == 1
