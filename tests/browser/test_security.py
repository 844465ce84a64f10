"""In Chromium, under the Content-Security-Policy: stored markup in names and addresses shows
as text in map popups and tooltips and runs nothing; the API docs and the admin's map widget
still work with no inline script allowed."""

import pytest
from django.urls import reverse

from tests.browser.test_coverage_pages import console_errors, open_map  # noqa: F401
from tests.factories import (
    DistrictFactory,
    ModularPostFactory,
    PrecinctFactory,
    StationFactory,
    point_ewkt,
    precinct_cell,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCRIPT = "<script>window.__xss = 1</script>"
IMG = '<img src=x onerror="window.__xss = 2">'


@pytest.fixture
def hostile():
    district = DistrictFactory(name=f"Район {IMG}")
    precinct = PrecinctFactory(district=district, number=27, name=f"Участок {SCRIPT}")
    station = StationFactory(
        district=district,
        precinct=precinct,
        name=f"{SCRIPT}{IMG}",
        address=f"ул. {IMG}",
        geom=point_ewkt(*precinct_cell(26)),
    )
    post = ModularPostFactory(district=district, name=IMG, address=SCRIPT)
    return district, precinct, station, post


def test_stored_markup_in_a_station_shows_as_text_in_its_popup_and_runs_nothing(
    page,
    live_server,
    hostile,
    console_errors,  # noqa: F811
):
    district, precinct, station, post = hostile
    response = page.goto(live_server.url + reverse("reach:district", args=[district.pk]))
    policy = response.headers["content-security-policy"]
    script_src = next(p for p in policy.split(";") if p.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src
    open_map(page, page.url)

    page.locator(".leaflet-marker-pane .fac-icon-station").first.click()
    popup = page.locator(".leaflet-popup-content").last
    popup.wait_for(state="visible")
    text = popup.inner_text()
    assert SCRIPT in text and IMG in text and f"ул. {IMG}" in text
    assert popup.locator("script, img").count() == 0

    page.locator(".leaflet-popup-close-button").click()
    page.locator(".leaflet-marker-pane .fac-icon-post").first.click()
    popup = page.locator(".leaflet-popup-content").last
    popup.wait_for(state="visible")
    assert IMG in popup.inner_text() and popup.locator("script, img").count() == 0

    page.locator(".leaflet-popup-close-button").click()
    page.locator(f"path.sp-precinct-{precinct.pk}").click(force=True)
    popup = page.locator(".leaflet-popup-content").last
    popup.wait_for(state="visible")
    assert SCRIPT in popup.inner_text() and popup.locator("script").count() == 0

    assert page.evaluate("window.__xss") is None
    assert console_errors == []


def test_overview_tooltip_shows_a_hostile_district_name_as_text(
    page,
    live_server,
    hostile,
    console_errors,  # noqa: F811
):
    open_map(page, live_server.url + reverse("reach:overview"))
    district = page.locator("path.sp-district").first
    # Under load the map may still be zooming to its bounds when the layers are in.
    district.wait_for(state="visible")
    district.hover(force=True)
    tooltip = page.locator(".leaflet-tooltip").filter(has_text="Район").first
    tooltip.wait_for(state="visible")
    assert IMG in tooltip.inner_text() and tooltip.locator("img").count() == 0
    assert page.evaluate("window.__xss") is None
    assert console_errors == []


def test_api_docs_run_under_the_policy(page, live_server, console_errors):  # noqa: F811
    page.goto(live_server.url + reverse("api-docs"))
    page.locator(".swagger-ui .opblock").first.wait_for(state="visible")
    assert page.locator(".swagger-ui .opblock").count() > 10
    assert console_errors == []
