"""API: offence counts, candidate sites, running and reading plans, exports, district figures."""

import datetime
import io
import json

import pytest
from django.contrib.auth.models import Permission
from openpyxl import load_workbook
from rest_framework.test import APIClient

from planning.models import CandidateSite, OffenceCategory, OffenceCount, SitingPlan
from tests.factories import (
    CandidateSiteFactory,
    OffenceCountFactory,
    PrecinctFactory,
    point_ewkt,
    precinct_cell,
)
from tests.helpers import nationwide

pytestmark = pytest.mark.django_db


def user_with(django_user_model, *codenames, name="planner"):
    user = nationwide(django_user_model.objects.create_user(username=name, password="x-password-1"))
    for codename in codenames:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return user


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def planner_client(django_user_model):
    return client_for(
        user_with(
            django_user_model,
            "add_sitingplan",
            "view_sitingplan",
            "add_offencecount",
            "change_offencecount",
            "add_candidatesite",
        )
    )


@pytest.fixture
def planned_district(district):
    PrecinctFactory(district=district, number=1, population=7000)
    PrecinctFactory(district=district, number=8, population=6000)
    lon, lat = precinct_cell(0)
    CandidateSiteFactory(district=district, name="Плот А", geom=point_ewkt(lon, lat))
    lon, lat = precinct_cell(7)
    CandidateSiteFactory(district=district, name="Плот Б", geom=point_ewkt(lon, lat))
    return district


def test_run_a_plan_and_read_it(planner_client, planned_district):
    response = planner_client.post(
        "/api/v1/siting-plans/",
        {"district": planned_district.pk, "facility_kind": "station", "new_sites": 2},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["radius_m"] == planned_district.effective_radius_m
    assert body["author"] == "planner"
    assert body["solver"] == "exact"
    assert [s["rank"] for s in body["sites"]] == [1, 2]
    assert [s["candidate_name"] for s in body["sites"]] == ["Плот А", "Плот Б"]
    assert (
        body["sites"][0]["newly_covered_population"] >= body["sites"][1]["newly_covered_population"]
    )
    assert body["sites"][0]["geom"]["type"] == "Point"
    assert body["metrics"]["after"]["covered_population"] > 0
    listed = planner_client.get(f"/api/v1/siting-plans/?district={planned_district.pk}").json()
    assert listed["count"] == 1
    assert planner_client.get(f"/api/v1/siting-plans/{body['id']}/").json()["id"] == body["id"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"new_sites": 0}, "new_sites"),
        ({"new_sites": "много"}, "new_sites"),
        ({"facility_kind": "tower"}, "facility_kind"),
        ({"offence_weight": 2}, "offence_weight"),
        ({"radius_m": 5}, "radius_m"),
        ({"time_limit_s": 0}, "time_limit_s"),
        ({"time_limit_s": 61}, "time_limit_s"),
        ({"offence_category": "nope"}, "offence_category"),
        ({"use_candidate_sites": False, "use_grid": False}, "use_candidate_sites"),
        ({"use_grid": True, "grid_spacing_m": 50}, "grid_spacing_m"),
        ({"district": 999999}, "district"),
    ],
)
def test_bad_parameters_are_400_with_the_field(planner_client, planned_district, payload, field):
    data = {"district": planned_district.pk, "facility_kind": "station", "new_sites": 1}
    data.update(payload)
    response = planner_client.post("/api/v1/siting-plans/", data, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["extra"]["fields"]
    assert SitingPlan.objects.count() == 0


def test_plans_need_login_and_permissions(django_user_model, planned_district):
    data = {"district": planned_district.pk, "facility_kind": "station", "new_sites": 1}
    assert client_for().get("/api/v1/siting-plans/").status_code == 401
    assert client_for().post("/api/v1/siting-plans/", data, format="json").status_code == 401
    nobody = client_for(user_with(django_user_model, name="nobody"))
    assert nobody.get("/api/v1/siting-plans/").status_code == 403
    assert nobody.post("/api/v1/siting-plans/", data, format="json").status_code == 403
    viewer = client_for(user_with(django_user_model, "view_sitingplan", name="viewer"))
    assert viewer.get("/api/v1/siting-plans/").status_code == 200
    assert viewer.post("/api/v1/siting-plans/", data, format="json").status_code == 403


def test_exports(planner_client, planned_district):
    plan_id = planner_client.post(
        "/api/v1/siting-plans/",
        {"district": planned_district.pk, "facility_kind": "post", "new_sites": 2},
        format="json",
    ).json()["id"]
    response = planner_client.get(f"/api/v1/siting-plans/{plan_id}/geojson/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    collection = json.loads(response.content)
    assert [f["properties"]["rank"] for f in collection["features"]] == [1, 2]
    assert collection["features"][0]["properties"]["candidate"] == "Плот А"
    lon, lat = collection["features"][0]["geometry"]["coordinates"]
    assert (lon, lat) == pytest.approx(precinct_cell(0), abs=1e-6)
    response = planner_client.get(f"/api/v1/siting-plans/{plan_id}/xlsx/")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 3 and rows[1][0] == 1 and rows[1][4] == "Плот А"


def test_plan_list_query_count_is_constant(
    planner_client, planned_district, django_assert_max_num_queries
):
    for _ in range(4):
        planner_client.post(
            "/api/v1/siting-plans/",
            {"district": planned_district.pk, "facility_kind": "station", "new_sites": 2},
            format="json",
        )
    with django_assert_max_num_queries(6):
        response = planner_client.get("/api/v1/siting-plans/")
    assert response.json()["count"] == 4


def test_offence_counts_crud_filters_and_errors(planner_client, planned_district):
    precinct = planned_district.precincts.get(number=1)
    response = planner_client.post(
        "/api/v1/offence-counts/",
        {"precinct": precinct.pk, "category": "theft", "month": "2025-03-01", "count": 4},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["district"] == planned_district.pk
    duplicate = planner_client.post(
        "/api/v1/offence-counts/",
        {"precinct": precinct.pk, "category": "theft", "month": "2025-03-01", "count": 5},
        format="json",
    )
    assert duplicate.status_code == 400
    mid_month = planner_client.post(
        "/api/v1/offence-counts/",
        {"district": planned_district.pk, "category": "total", "month": "2025-03-15", "count": 5},
        format="json",
    )
    assert mid_month.status_code == 400
    assert "month" in mid_month.json()["extra"]["fields"]
    neither = planner_client.post(
        "/api/v1/offence-counts/",
        {"category": "total", "month": "2025-03-01", "count": 1},
        format="json",
    )
    assert "district" in neither.json()["extra"]["fields"]
    OffenceCountFactory(district=planned_district, month=datetime.date(2024, 3, 1), count=9)
    everyone = client_for()
    listed = everyone.get(f"/api/v1/offence-counts/?district={planned_district.pk}&category=total")
    assert [r["count"] for r in listed.json()["results"]] == [9]
    assert everyone.get("/api/v1/offence-counts/?year=2025").json()["count"] == 1
    assert everyone.get("/api/v1/offence-counts/?district_level=true").json()["count"] == 1
    assert everyone.get("/api/v1/offence-counts/?month_after=2025-01-01").json()["count"] == 1
    assert everyone.get("/api/v1/offence-counts/?year=x").status_code == 400
    assert everyone.get("/api/v1/offence-counts/?year=10000").status_code == 400
    assert OffenceCount.objects.count() == 2


def test_offence_count_list_query_count(planned_district, django_assert_max_num_queries):
    precincts = list(planned_district.precincts.all())
    for month in range(1, 13):
        for precinct in precincts:
            OffenceCountFactory(
                district=planned_district,
                precinct=precinct,
                month=datetime.date(2025, month, 1),
            )
    with django_assert_max_num_queries(3):
        response = client_for().get("/api/v1/offence-counts/?limit=100")
    assert response.json()["count"] == 24


def test_candidate_sites_geojson_and_validation(planner_client, planned_district):
    listed = client_for().get(
        f"/api/v1/candidate-sites/?district={planned_district.pk}",
        HTTP_ACCEPT="application/geo+json",
    )
    assert listed.json()["type"] == "FeatureCollection"
    assert len(listed.json()["features"]) == 2
    outside = planner_client.post(
        "/api/v1/candidate-sites/",
        {
            "district": planned_district.pk,
            "name": "Далеко",
            "geom": {"type": "Point", "coordinates": [81.5, 50.4]},
        },
        format="json",
    )
    assert outside.status_code == 400
    assert "geom" in outside.json()["extra"]["fields"]
    assert CandidateSite.objects.count() == 2


def test_district_offence_figures(planned_district):
    precinct = planned_district.precincts.get(number=1)
    total = OffenceCategory.objects.get(code="total")
    for year, count in ((2024, 100), (2025, 90)):
        for month in (1, 2, 3):
            OffenceCountFactory(
                district=planned_district,
                precinct=precinct,
                category=total,
                month=datetime.date(year, month, 1),
                count=count,
            )
    body = client_for().get(f"/api/v1/districts/{planned_district.pk}/offences/").json()
    rows = {r["id"]: r for r in body["precincts"]}
    # 12 months up to March 2025: April–December 2024 has none, so Jan–Mar 2025: 270.
    assert rows[precinct.pk]["count"] == 270
    assert rows[precinct.pk]["per_1000"] == pytest.approx(270 * 1000 / 7000, abs=0.01)
    change = next(c for c in body["changes"] if c["category"] == "total")
    assert (change["current"], change["previous"], change["change_pct"]) == (270, 300, -10.0)
    assert "снижение на 10 %" in change["text"]
    assert "с 300 до 270" in change["text"]
    bad = client_for().get(f"/api/v1/districts/{planned_district.pk}/offences/?category=zzz")
    assert bad.status_code == 400


def test_candidate_site_list_query_count(planned_district, django_assert_max_num_queries):
    for n in range(20):
        CandidateSiteFactory(district=planned_district, name=f"Плот {n}")
    with django_assert_max_num_queries(3):
        response = client_for().get("/api/v1/candidate-sites/?limit=100")
    assert response.json()["count"] == 22
    with django_assert_max_num_queries(3):
        response = client_for().get(
            "/api/v1/candidate-sites/?limit=100", HTTP_ACCEPT="application/geo+json"
        )
    assert len(response.json()["features"]) == 22
