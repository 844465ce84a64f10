"""The planning page in Chromium: run a plan on a demo-like district and see the proposed
sites on the map and in the table; a bad parameter shows its error; the district page colours
precincts by offences and reports the change against a year earlier."""

import datetime

import pytest
from django.urls import reverse

from demo.planning import demo_planning_load
from planning.models import SitingPlan
from tests.factories import (
    DistrictFactory,
    InspectorFactory,
    PrecinctFactory,
    StationFactory,
    point_ewkt,
    precinct_cell,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def console_errors(page, live_server):
    errors = []

    def on_console(message):
        if message.type != "error":
            return
        url = (message.location or {}).get("url", "")
        if "Failed to load resource" in message.text and not url.startswith(live_server.url):
            return
        errors.append(f"{message.text} ({url})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"pageerror: {error}"))
    return errors


@pytest.fixture
def demo_like_district():
    """A district of 16 precincts (as the demo's Semey), two operating stations, and the
    demo loader's offence counts and candidate sites."""
    district = DistrictFactory(name="Демо-район")
    for n in range(16):
        precinct = PrecinctFactory(district=district, number=n + 1, population=4000 + 350 * n)
        InspectorFactory(precinct=precinct)
    StationFactory(district=district, geom=point_ewkt(*precinct_cell(0)))
    StationFactory(district=district, geom=point_ewkt(*precinct_cell(9)))
    demo_planning_load(districts=[district], today=datetime.date(2026, 11, 27))
    return district


def test_run_a_plan_and_see_the_proposed_markers(
    page, live_server, admin_login, demo_like_district, console_errors
):
    admin_login()
    page.goto(live_server.url + reverse("planning:district", args=[demo_like_district.pk]))
    map_div = page.locator("#planning-map[data-loaded]")
    map_div.wait_for(state="attached")
    assert int(map_div.get_attribute("data-candidates")) >= 3
    assert page.locator("#planning-map .fac-icon-station").count() == 2

    page.fill("#f-count", "2")
    page.check("input[name=use_grid]")
    page.fill("#f-spacing", "700")
    page.click("#run-plan")
    page.locator("#planning-map[data-proposed='2']").wait_for(state="attached", timeout=60_000)

    assert page.locator("#planning-map .sp-proposed").count() == 2
    assert page.locator("#planning-map path.sp-proposed-circle").count() == 2
    rows = page.locator("[data-plan-sites] tr")
    assert rows.count() == 2
    assert rows.nth(0).locator("td").nth(0).inner_text() == "1"
    note = page.locator("[data-solver-note]")
    assert note.get_attribute("data-solver") == "exact"
    assert "оптимум доказан" in note.inner_text()
    assert page.locator("[data-plan-links] a").count() == 2
    plan = SitingPlan.objects.get()
    # The plan joins the saved plans; opening it again draws the same sites.
    assert page.locator(f'.plan-list [data-plan-id="{plan.pk}"]').count() == 1
    page.locator(f'.plan-list [data-plan-id="{plan.pk}"]').click()
    assert page.locator("#planning-map .sp-proposed").count() == 2
    assert plan.author.username == "root"
    assert plan.sites.count() == 2
    assert console_errors == []


def test_a_bad_parameter_shows_its_error(
    page, live_server, admin_login, demo_like_district, console_errors
):
    admin_login()
    page.goto(live_server.url + reverse("planning:district", args=[demo_like_district.pk]))
    page.locator("#planning-map[data-loaded]").wait_for(state="attached")
    page.fill("#f-count", "0")
    page.click("#run-plan")
    error = page.locator('[data-error-for="new_sites"]')
    error.wait_for(state="visible")
    assert "1" in error.inner_text()
    assert page.locator("#planning-map .sp-proposed").count() == 0
    assert not SitingPlan.objects.exists()


def test_district_page_colours_precincts_by_offences(
    page, live_server, demo_like_district, console_errors
):
    page.goto(live_server.url + reverse("reach:district", args=[demo_like_district.pk]))
    page.locator("[data-map][data-loaded]").wait_for(state="attached")
    changes = page.locator("[data-offence-changes] li")
    assert changes.count() == 6
    total = page.locator('[data-offence-changes] li[data-category="total"]').inner_text()
    assert "Всего преступлений: снижение на" in total
    assert "январь 2026" in page.locator("[data-offence-period]").inner_text()
    before = page.locator("path.sp-precinct").first.get_attribute("fill")
    page.select_option("#metric", "offences")
    assert page.locator("#district-map").get_attribute("data-metric") == "offences"
    assert "Преступлений на 1000 жителей" in page.locator(".map-legend").inner_text()
    fills = {page.locator("path.sp-precinct").nth(i).get_attribute("fill") for i in range(16)}
    assert len(fills) >= 2 or before not in fills
    assert console_errors == []


def test_run_a_region_plan(page, live_server, admin_login, demo_like_district, console_errors):
    """The region's page runs one plan over both of its districts."""
    from django.contrib.gis.geos import GEOSGeometry

    from tests.factories import CENTRE_LAT, CENTRE_LON, KM_LON, CandidateSiteFactory, square_ewkt

    east = DistrictFactory(
        region=demo_like_district.region,
        name="Восточный",
        geom=GEOSGeometry(square_ewkt(CENTRE_LON + 12 * KM_LON, CENTRE_LAT, 5)),
    )
    PrecinctFactory(
        district=east,
        number=1,
        population=30000,
        geom=GEOSGeometry(square_ewkt(CENTRE_LON + 12 * KM_LON, CENTRE_LAT, 0.5)),
    )
    CandidateSiteFactory(
        district=east, name="Восток", geom=point_ewkt(CENTRE_LON + 12 * KM_LON, CENTRE_LAT)
    )
    admin_login()
    page.goto(live_server.url + reverse("planning:district", args=[demo_like_district.pk]))
    page.locator("[data-region-planning-link]").click()
    map_div = page.locator("#planning-map[data-loaded]")
    map_div.wait_for(state="attached")
    assert int(map_div.get_attribute("data-candidates")) >= 4  # both districts' sites
    page.fill("#f-count", "2")
    page.click("#run-plan")
    page.locator("#planning-map[data-proposed='2']").wait_for(state="attached", timeout=60_000)
    plan = SitingPlan.objects.get()
    assert plan.region == demo_like_district.region and plan.district is None
    assert east in {site.district for site in plan.sites.all()}
    assert console_errors == []
