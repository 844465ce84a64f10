"""Region plans: the planner over all of a region's districts at once."""

import io
import json

import pytest
from django.contrib.auth.models import Permission
from django.contrib.gis.geos import GEOSGeometry
from django.db import IntegrityError, transaction
from django.urls import reverse
from openpyxl import load_workbook

from access.models import Membership
from planning import services
from planning.models import FacilityKind, SitingPlan
from stations.models import Station
from tests.factories import (
    CENTRE_LAT,
    CENTRE_LON,
    KM_LON,
    CandidateSiteFactory,
    DistrictFactory,
    ModularPostFactory,
    PrecinctFactory,
    RegionFactory,
    StationFactory,
    point_ewkt,
    square_ewkt,
)
from tests.planning.test_api import client_for, user_with

pytestmark = pytest.mark.django_db

EAST_KM = 12  # the second district's centre, east of the first's


def geom(ewkt):
    return GEOSGeometry(ewkt)


def east(km=EAST_KM):
    return CENTRE_LON + km * KM_LON, CENTRE_LAT


@pytest.fixture
def region_world():
    """A region of two 10 km districts side by side, one populated precinct and one candidate
    site in each."""
    region = RegionFactory()
    west_district = DistrictFactory(region=region, name="Западный")
    east_district = DistrictFactory(
        region=region, name="Восточный", geom=geom(square_ewkt(*east(), 5))
    )
    PrecinctFactory(
        district=west_district,
        number=1,
        population=7000,
        geom=geom(square_ewkt(CENTRE_LON, CENTRE_LAT, 0.5)),
    )
    PrecinctFactory(
        district=east_district, number=1, population=6000, geom=geom(square_ewkt(*east(), 0.5))
    )
    west_site = CandidateSiteFactory(
        district=west_district, name="Запад", geom=geom(point_ewkt(CENTRE_LON, CENTRE_LAT))
    )
    east_site = CandidateSiteFactory(
        district=east_district, name="Восток", geom=geom(point_ewkt(*east()))
    )
    return region, west_district, east_district, west_site, east_site


def region_params(region, **kwargs):
    values = dict(
        district=None,
        region=region,
        facility_kind=FacilityKind.STATION,
        new_sites=2,
        radius_m=800,
        time_limit_s=20,
        min_distance_m=300,
    )
    values.update(kwargs)
    return services.PlanInput(**values)


def test_region_plan_picks_sites_in_both_districts(region_world):
    region, west_district, east_district, west_site, east_site = region_world
    plan = services.siting_plan_run(params=region_params(region))
    assert plan.region == region and plan.district is None
    sites = list(plan.sites.order_by("rank"))
    assert {s.candidate for s in sites} == {west_site, east_site}
    assert {s.candidate: s.district for s in sites} == {
        west_site: west_district,
        east_site: east_district,
    }
    assert plan.metrics["districts"] == 2
    assert plan.metrics["population"] == 13000
    assert plan.metrics["after"]["covered_population"] == 13000
    assert str(region.name) in str(plan)


def test_region_plan_counts_fixed_facilities_of_both_districts(region_world):
    region, west_district, east_district, _w, _e = region_world
    StationFactory(district=west_district, geom=geom(point_ewkt(CENTRE_LON, CENTRE_LAT)))
    ModularPostFactory(district=east_district, geom=geom(point_ewkt(*east())))
    plan = services.siting_plan_run(params=region_params(region, new_sites=1))
    assert plan.metrics["existing_facilities"] == 2
    assert plan.metrics["before"]["covered_population"] == 13000
    assert plan.metrics["excluded_near_facility"] == 2
    assert plan.sites.count() == 0


def test_region_plan_grid_points_know_their_district(region_world):
    region, west_district, east_district, _w, _e = region_world
    plan = services.siting_plan_run(
        params=region_params(region, use_candidate_sites=False, use_grid=True, grid_spacing_m=2000)
    )
    sites = list(plan.sites.order_by("rank"))
    assert len(sites) == 2
    assert {s.district for s in sites} == {west_district, east_district}
    for site in sites:
        assert site.district.geom.contains(site.geom)


def test_build_puts_each_site_in_its_own_district(region_world):
    region, west_district, east_district, west_site, east_site = region_world
    plan = services.siting_plan_run(params=region_params(region))
    created = services.siting_plan_build(plan=plan)
    assert len(created) == 2
    by_name = {s.name: s for s in Station.objects.filter(status="planned")}
    assert by_name["Запад"].district == west_district
    assert by_name["Восток"].district == east_district


def test_plan_needs_exactly_one_of_district_and_region(region_world):
    region, west_district, *_ = region_world
    plan = services.siting_plan_run(params=region_params(region))
    with pytest.raises(IntegrityError), transaction.atomic():
        SitingPlan.objects.filter(pk=plan.pk).update(district=west_district)
    with pytest.raises(IntegrityError), transaction.atomic():
        SitingPlan.objects.filter(pk=plan.pk).update(region=None)


# -- API -------------------------------------------------------------------------------------


def fields(response) -> dict:
    return response.json()["extra"]["fields"]


def listed_ids(client, **query) -> list[int]:
    body = client.get("/api/v1/siting-plans/", query).json()
    rows = body["results"] if isinstance(body, dict) else body
    return [row["id"] for row in rows]


@pytest.fixture
def client(django_user_model):
    return client_for(user_with(django_user_model, "add_sitingplan", "view_sitingplan"))


def test_api_runs_a_region_plan_with_the_districts_radius(client, region_world):
    region, west_district, east_district, *_ = region_world
    response = client.post(
        "/api/v1/siting-plans/",
        {"region": region.pk, "facility_kind": "post", "new_sites": 2},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["region"] == region.pk and body["district"] is None
    assert body["radius_m"] == west_district.effective_radius_m
    assert {s["district"] for s in body["sites"]} == {west_district.pk, east_district.pk}
    assert listed_ids(client, region=region.pk) == [body["id"]]
    assert listed_ids(client, district=west_district.pk) == []


@pytest.mark.parametrize(
    "territory", [lambda r, d: {"region": r.pk, "district": d.pk}, lambda r, d: {}]
)
def test_api_wants_exactly_one_of_district_and_region(client, region_world, territory):
    region, west_district, *_ = region_world
    response = client.post(
        "/api/v1/siting-plans/",
        {**territory(region, west_district), "facility_kind": "post", "new_sites": 1},
        format="json",
    )
    assert response.status_code == 400
    assert set(fields(response)) == {"region", "district"}
    assert not SitingPlan.objects.exists()


def test_api_region_radius_required_when_districts_disagree(client, region_world):
    region, west_district, *_ = region_world
    west_district.coverage_radius_m = 1200
    west_district.save()
    response = client.post(
        "/api/v1/siting-plans/",
        {"region": region.pk, "facility_kind": "post", "new_sites": 1},
        format="json",
    )
    assert response.status_code == 400
    assert "radius_m" in fields(response)
    response = client.post(
        "/api/v1/siting-plans/",
        {"region": region.pk, "facility_kind": "post", "new_sites": 1, "radius_m": 900},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["radius_m"] == 900


def test_region_plan_exports(client, region_world):
    region, *_ = region_world
    plan_id = client.post(
        "/api/v1/siting-plans/",
        {"region": region.pk, "facility_kind": "station", "new_sites": 2},
        format="json",
    ).json()["id"]
    response = client.get(f"/api/v1/siting-plans/{plan_id}/geojson/")
    assert response.status_code == 200
    collection = json.loads(response.content)
    assert collection["properties"]["region"] == region.name
    assert collection["properties"]["district"] is None
    assert {f["properties"]["district"] for f in collection["features"]} == {
        "Западный",
        "Восточный",
    }
    response = client.get(f"/api/v1/siting-plans/{plan_id}/xlsx/")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 3
    assert {rows[1][-1], rows[2][-1]} == {"Западный", "Восточный"}
    about = dict(book.worksheets[1].iter_rows(values_only=True))
    assert about["область"] == region.name


# -- pages -----------------------------------------------------------------------------------


def test_region_planning_page_and_the_link_from_a_district(admin_client_logged, region_world):
    region, west_district, east_district, *_ = region_world
    plan = services.siting_plan_run(params=region_params(region))
    url = reverse("planning:region", args=[region.pk])
    assert url == f"/regions/{region.pk}/planning/"
    html = admin_client_logged.get(url).content.decode()
    assert 'id="plan-form"' in html and 'name="region"' in html
    assert f'data-plan-id="{plan.pk}"' in html
    assert reverse("planning:district", args=[east_district.pk]) in html
    assert "data-radius-hint" not in html  # the districts agree on the radius
    district_html = admin_client_logged.get(
        reverse("planning:district", args=[west_district.pk])
    ).content.decode()
    assert url in district_html and f'data-plan-id="{plan.pk}"' not in district_html
    assert admin_client_logged.get("/regions/999999/planning/").status_code == 404
    west_district.coverage_radius_m = 1200
    west_district.save()
    assert "data-radius-hint" in admin_client_logged.get(url).content.decode()


def test_region_planning_page_only_for_who_covers_the_region(client, django_user_model):
    region = RegionFactory()
    home = DistrictFactory(region=region)
    DistrictFactory(region=region)
    user = django_user_model.objects.create_user(username="staff", password="x-password-1")
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_sitingplan", "add_sitingplan"])
    )
    membership = Membership.objects.create(user=user)
    membership.districts.add(home)
    client.force_login(user)
    url = reverse("planning:region", args=[region.pk])
    assert client.get(url).status_code == 404
    district_page = client.get(reverse("planning:district", args=[home.pk]))
    assert district_page.status_code == 200
    assert url not in district_page.content.decode()
    membership.districts.clear()
    membership.regions.add(region)
    assert client.get(url).status_code == 200
