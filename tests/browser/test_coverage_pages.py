"""The coverage pages in Chromium, offline as this machine is: the district map has its
polygons and markers, the metric switch recolours the precincts, the find page answers a
click with the precinct's inspector, phones get a usable layout, and the console stays clean
apart from the tile requests that cannot succeed."""

import datetime
import re

import pytest
from django.urls import reverse

from stations.models import FacilityStatus
from tests.factories import (
    DistrictFactory,
    InspectorFactory,
    ModularPostFactory,
    PrecinctFactory,
    StationFactory,
    point_ewkt,
    precinct_cell,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VACANT, STAFFED = "#d73027", "#1a9850"  # district.js: precincts without / with an inspector
TRICKY_NAME = '<b>Тест</b> & "кавычки"'


@pytest.fixture
def console_errors(page, live_server):
    """Console errors and uncaught exceptions, except failed requests to the tile server."""
    errors = []

    def on_console(message):
        if message.type != "error":
            return
        url = (message.location or {}).get("url", "")
        if "Failed to load resource" in message.text and not url.startswith(live_server.url):
            return  # a tile: offline it cannot load, and the page says so
        errors.append(f"{message.text} ({url})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"pageerror: {error}"))
    return errors


@pytest.fixture
def territory():
    """A 2 × 2 block of precincts west of the district centre: three with an inspector, one
    vacant; three stations (one 24/7, one planned), two posts (one 24/7, one closed)."""
    district = DistrictFactory()
    precincts = {
        number: PrecinctFactory(district=district, number=number) for number in (27, 28, 35, 36)
    }
    inspectors = {number: InspectorFactory(precinct=precincts[number]) for number in (27, 28, 35)}
    stations = [
        StationFactory(
            district=district,
            precinct=precincts[27],
            name=TRICKY_NAME,
            geom=point_ewkt(*precinct_cell(26)),
        ),
        # At the district centre, a corner of 28 and 36; open day and night.
        StationFactory(district=district, round_the_clock=True),
        StationFactory(
            district=district,
            status=FacilityStatus.PLANNED,
            opened_on=None,
            geom=point_ewkt(*precinct_cell(34)),
        ),
    ]
    posts = [
        ModularPostFactory(district=district, round_the_clock=True),
        ModularPostFactory(
            district=district,
            status=FacilityStatus.CLOSED,
            round_the_clock=False,
            closed_on=datetime.date(2024, 1, 1),
            geom=point_ewkt(*precinct_cell(35)),
        ),
    ]
    return {
        "district": district,
        "precincts": precincts,
        "inspectors": inspectors,
        "stations": stations,
        "posts": posts,
    }


def open_map(page, url):
    page.goto(url)
    page.locator("[data-map][data-loaded]").wait_for(state="attached")
    return page.locator("[data-map]")


def precinct_fills(page, precincts) -> dict[int, str]:
    return {
        number: page.locator(f"path.sp-precinct-{precinct.pk}").get_attribute("fill")
        for number, precinct in precincts.items()
    }


def test_district_map_shows_every_polygon_and_marker(page, live_server, territory, console_errors):
    district = territory["district"]
    map_div = open_map(page, live_server.url + reverse("reach:district", args=[district.pk]))

    assert map_div.get_attribute("data-precincts") == "4"
    assert page.locator("#district-map path.sp-precinct").count() == 4
    assert map_div.get_attribute("data-stations") == "3"
    assert map_div.get_attribute("data-posts") == "2"
    assert page.locator("#district-map .leaflet-marker-pane .fac-icon-station").count() == 3
    assert page.locator("#district-map .leaflet-marker-pane .fac-icon-post").count() == 2
    assert page.locator(".leaflet-marker-pane .fac-status-planned").count() == 1
    assert page.locator(".leaflet-marker-pane .fac-status-closed").count() == 1
    assert page.locator(".leaflet-marker-pane .fac-badge").count() == 2  # 24/7 station, post
    # Walking circles around the three operating facilities; the uncovered area starts hidden.
    assert page.locator("#district-map path.sp-radius").count() == 3
    assert page.locator("#district-map path.sp-uncovered").count() == 0

    # Offline: the background is missing, the page says so, attribution and legend remain.
    assert map_div.get_attribute("data-tiles") == "unavailable"
    assert page.locator("[data-tiles-notice]").is_visible()
    assert page.locator(".leaflet-control-attribution").is_visible()
    assert page.locator(".map-legend").is_visible()

    # A popup shows the name as text, not as markup, and no edit link for the public.
    page.locator('.fac-icon-station[title*="Тест"]').click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(state="visible")
    assert TRICKY_NAME in popup.inner_text()
    assert popup.locator("b").count() == 0
    assert popup.locator("a.edit-link").count() == 0
    assert console_errors == []


def test_layers_control_toggles_the_uncovered_area(page, live_server, territory, console_errors):
    district = territory["district"]
    open_map(page, live_server.url + reverse("reach:district", args=[district.pk]))

    page.locator(".leaflet-control-layers").hover()
    page.get_by_label("Вне зоны шаговой доступности").check()
    assert page.locator("#district-map path.sp-uncovered").count() >= 1
    page.get_by_label("Радиус шаговой доступности (800 м)").uncheck()
    assert page.locator("#district-map path.sp-radius").count() == 0
    assert console_errors == []


def test_switching_the_metric_recolours_the_precincts(page, live_server, territory, console_errors):
    district, precincts = territory["district"], territory["precincts"]
    map_div = open_map(page, live_server.url + reverse("reach:district", args=[district.pk]))
    covered = precinct_fills(page, precincts)

    page.select_option("#metric", "vacancy")
    vacancy = precinct_fills(page, precincts)
    assert map_div.get_attribute("data-metric") == "vacancy"
    assert vacancy == {27: STAFFED, 28: STAFFED, 35: STAFFED, 36: VACANT}
    assert vacancy != covered
    assert "нет инспектора на службе" in page.locator(".map-legend").inner_text()

    page.select_option("#metric", "residents")
    residents = precinct_fills(page, precincts)
    assert residents[36] == VACANT  # no inspector: no ratio, flagged
    assert residents != covered

    page.select_option("#metric", "covered")
    assert precinct_fills(page, precincts) == covered
    assert console_errors == []


def test_editor_gets_an_edit_link_in_popups(page, live_server, territory, admin_login):
    admin_login()
    district = territory["district"]
    station = territory["stations"][0]
    open_map(page, live_server.url + reverse("reach:district", args=[district.pk]))

    page.locator('.fac-icon-station[title*="Тест"]').click()
    link = page.locator(".leaflet-popup-content a.edit-link")
    link.wait_for(state="visible")
    assert link.get_attribute("href") == f"/admin/stations/station/{station.pk}/change/"


def test_find_page_shows_the_inspector_for_a_clicked_point(
    page, live_server, territory, console_errors
):
    precinct = territory["precincts"][28]
    inspector = territory["inspectors"][28]
    open_map(page, live_server.url + reverse("reach:find"))

    lon, lat = precinct_cell(27)  # the centre of precinct 28
    point = page.evaluate(
        "([lat, lon]) => window.servicePoliceMap.latLngToContainerPoint([lat, lon])", [lat, lon]
    )
    page.locator("#find-map").click(position={"x": point["x"], "y": point["y"]})

    result = page.locator('#find-result[data-state="found"]')
    result.wait_for()
    text = result.inner_text()
    assert f"Участок №{precinct.number}" in text
    assert inspector.full_name in text
    assert inspector.service_phone in text
    assert inspector.personnel_number not in text and inspector.personal_phone not in text
    assert "по прямой" in text  # distance to the nearest station
    assert "Участковый пункт полиции" in text
    assert (
        page.locator(".leaflet-popup-content")
        .inner_text()
        .startswith(f"Участок №{precinct.number}")
    )
    # The address bar keeps the point, so the answer can be shared.
    assert re.search(r"\?lat=50\.\d+&lon=80\.\d+", page.url)
    page.locator("path.sp-precinct").wait_for(state="attached")  # its outline, from the API
    assert console_errors == []


def test_find_page_outside_every_precinct_lists_the_nearest_police(
    page, live_server, territory, console_errors
):
    lon, lat = precinct_cell(7)  # the north-east corner of the district: no precinct there
    page.goto(f"{live_server.url}{reverse('reach:find')}?lat={lat}&lon={lon}")
    result = page.locator('#find-result[data-state="outside"]')
    result.wait_for()
    assert "не входит ни в один" in result.inner_text()
    assert result.locator("li[data-facility]").count() == 3
    # The locate API answers a point outside every precinct with a 404 (and the nearest
    # police in `extra`), which Chromium logs like any 4xx; nothing else may be logged.
    expected = "status of 404 (Not Found) (" + live_server.url + "/api/v1/locate/"
    assert [error for error in console_errors if expected not in error] == []


@pytest.mark.parametrize("page_name", ["overview", "district", "precinct", "find"])
def test_pages_fit_a_phone(page, live_server, territory, console_errors, page_name):
    page.set_viewport_size({"width": 390, "height": 844})
    args = {
        "district": [territory["district"].pk],
        "precinct": [territory["precincts"][28].pk],
    }.get(page_name, [])
    map_div = open_map(page, live_server.url + reverse(f"reach:{page_name}", args=args))

    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    box = map_div.bounding_box()
    assert box["width"] <= 390 and box["height"] >= 250
    assert page.locator(".leaflet-control-attribution").is_visible()
    assert page.locator("[data-tiles-notice]").is_visible()
    assert page.locator(".site-nav a", has_text="Найти участкового").is_visible()
    assert console_errors == []


def test_overview_table_sorts_and_opens_a_district(page, live_server, territory, console_errors):
    other = DistrictFactory(name="Аягозский район", population=1000)
    PrecinctFactory(district=other, number=1, population=1000)
    map_div = open_map(page, live_server.url + reverse("reach:overview"))

    assert map_div.get_attribute("data-districts") == "2"
    assert page.locator("#overview-map path.sp-district").count() == 2
    rows = page.locator("#districts-table tbody tr")
    assert rows.count() == 2

    page.locator('th[data-key="name"] button').click()
    assert rows.first.locator("a").inner_text() == "Аягозский район"
    assert page.locator('th[data-key="name"]').get_attribute("aria-sort") == "ascending"
    page.locator('th[data-key="name"] button').click()
    assert rows.first.locator("a").inner_text() == territory["district"].name

    rows.first.locator("td").first.click()
    page.wait_for_url(f"**/districts/{territory['district'].pk}/")
    assert page.locator("h1").inner_text().startswith(territory["district"].name)
    assert console_errors == []
