"""Region siting plans reach only who covers the whole region; district plans are unchanged."""

import pytest
from rest_framework.test import APIClient

from planning import services
from planning.models import FacilityKind, SitingPlan
from servicepolice.permissions import can_read, can_read_whole_region

pytestmark = pytest.mark.django_db

URL = "/api/v1/siting-plans/"


def client_of(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def run(region=None, district=None) -> SitingPlan:
    return services.siting_plan_run(
        params=services.PlanInput(
            district=district,
            region=region,
            facility_kind=FacilityKind.POST,
            new_sites=1,
            radius_m=800,
            use_candidate_sites=False,
            use_grid=True,
            grid_spacing_m=5000,
            time_limit_s=5,
        )
    )


def payload(region) -> dict:
    return {
        "region": region.pk,
        "facility_kind": "post",
        "new_sites": 1,
        "use_candidate_sites": False,
        "use_grid": True,
        "grid_spacing_m": 5000,
        "time_limit_s": 5,
    }


def ids(client) -> list[int]:
    body = client.get(URL).json()
    rows = body["results"] if isinstance(body, dict) else body
    return [row["id"] for row in rows]


def test_district_staff_cannot_run_or_read_a_region_plan(world, role_user):
    staff = role_user("staff")
    region = world["home"].region
    plan = run(region=region)
    district_plan = run(district=world["home"].district)
    client = client_of(staff)
    response = client.post(URL, payload(region), format="json")
    assert response.status_code == 400
    assert "region" in response.json()["extra"]["fields"]
    assert SitingPlan.objects.filter(region=region).count() == 1
    assert client.get(f"{URL}{plan.pk}/").status_code == 404
    assert client.get(f"{URL}{plan.pk}/geojson/").status_code == 404
    assert ids(client) == [district_plan.pk]  # their district's plans: as before
    assert not can_read(staff, plan) and not can_read_whole_region(staff, region)
    assert can_read(staff, district_plan)


def test_analyst_of_the_region_runs_and_reads_region_plans(world, role_user):
    analyst = role_user("analyst")
    home, far = world["home"].region, world["far"].region
    client = client_of(analyst)
    response = client.post(URL, payload(home), format="json")
    assert response.status_code == 201, response.json()
    plan_id = response.json()["id"]
    assert client.get(f"{URL}{plan_id}/").status_code == 200
    response = client.post(URL, payload(far), format="json")
    assert response.status_code == 400
    assert "region" in response.json()["extra"]["fields"]
    far_plan = run(region=far)
    assert client.get(f"{URL}{far_plan.pk}/").status_code == 404
    assert plan_id in ids(client) and far_plan.pk not in ids(client)


def test_administrator_runs_region_plans_anywhere(world, role_user):
    client = client_of(role_user("administrator"))
    for place in ("home", "far"):
        response = client.post(URL, payload(world[place].region), format="json")
        assert response.status_code == 201, response.json()
    assert len(ids(client)) == 2
