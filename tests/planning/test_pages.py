"""The planning page and the district page's offence figures (server side)."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from access.models import Membership
from planning import services
from planning.models import FacilityKind
from tests.factories import (
    CandidateSiteFactory,
    DistrictFactory,
    PrecinctFactory,
    RegionFactory,
)
from tests.helpers import nationwide

pytestmark = pytest.mark.django_db


def test_planning_page_needs_login_and_the_view_permission(client, django_user_model, district):
    url = reverse("planning:district", args=[district.pk])
    response = client.get(url)
    assert response.status_code == 302 and "login" in response["Location"]
    user = nationwide(django_user_model.objects.create_user(username="u", password="x-password-1"))
    client.force_login(user)
    assert client.get(url).status_code == 403
    user.user_permissions.add(Permission.objects.get(codename="view_sitingplan"))
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    # Read-only users see no form; the page has no inline script (data via json_script).
    assert 'id="plan-form"' not in html
    assert "<script>" not in html.replace('<script id="', "")


def test_planning_page_lists_saved_plans_and_has_the_form(admin_client_logged, district):
    PrecinctFactory(district=district, number=1)
    CandidateSiteFactory(district=district)
    plan = services.siting_plan_run(
        params=services.PlanInput(
            district=district, facility_kind=FacilityKind.POST, new_sites=1, radius_m=800
        )
    )
    html = admin_client_logged.get(reverse("planning:district", args=[district.pk])).content
    html = html.decode()
    assert 'id="plan-form"' in html
    assert f'data-plan-id="{plan.pk}"' in html
    assert 'id="page-config"' in html and "planning/planning.js" in html
    assert admin_client_logged.get("/districts/999999/planning/").status_code == 404


def test_district_page_offers_the_offence_colouring_and_the_planning_link(
    admin_client_logged, district
):
    url = reverse("reach:district", args=[district.pk])
    html = admin_client_logged.get(url).content.decode()
    assert 'value="offences"' in html
    assert "data-offence-changes" in html
    assert reverse("planning:district", args=[district.pk]) in html
    assert reverse("district-offences", args=[district.pk]) in html
    # Anonymous visitors see the figures but no link to the planner.
    public = Client().get(url).content.decode()
    assert "data-offence-changes" in public and "data-planning-link" not in public


def test_planning_is_scoped_to_the_users_territory(client, django_user_model, district):
    """A user serving another region neither opens the district's planner nor runs a plan
    there; a user serving the district does both."""
    perms = Permission.objects.filter(codename__in=["view_sitingplan", "add_sitingplan"])
    url = reverse("planning:district", args=[district.pk])
    elsewhere = django_user_model.objects.create_user(username="far", password="x-password-1")
    elsewhere.user_permissions.add(*perms)
    other_region = RegionFactory(kato="190000000", name="Другая область")
    Membership.objects.create(user=elsewhere).districts.add(DistrictFactory(region=other_region))
    client.force_login(elsewhere)
    assert client.get(url).status_code == 404
    run = {"district": district.pk, "facility_kind": "post", "new_sites": 1, "grid_spacing_m": 400}
    response = client.post(reverse("sitingplan-list"), run, content_type="application/json")
    assert response.status_code == 400
    assert "district" in response.json()["extra"]["fields"]

    local = django_user_model.objects.create_user(username="near", password="x-password-1")
    local.user_permissions.add(*perms)
    Membership.objects.create(user=local).districts.add(district)
    client.force_login(local)
    assert client.get(url).status_code == 200
    response = client.post(reverse("sitingplan-list"), run, content_type="application/json")
    assert response.status_code == 201, response.content
    client.force_login(elsewhere)
    plan_url = reverse("sitingplan-detail", args=[response.json()["id"]])
    assert client.get(plan_url).status_code == 404


def test_plans_are_not_public_data_for_users_without_a_scope(client, django_user_model, district):
    """The view permission alone (no role, no membership) opens no plan: plans name their
    authors and are not public reading."""
    perms = Permission.objects.filter(codename__in=["view_sitingplan", "add_sitingplan"])
    author = nationwide(django_user_model.objects.create_user(username="a", password="x-pw-1"))
    author.user_permissions.add(*perms)
    client.force_login(author)
    run = {"district": district.pk, "facility_kind": "post", "new_sites": 1, "grid_spacing_m": 400}
    response = client.post(reverse("sitingplan-list"), run, content_type="application/json")
    assert response.status_code == 201, response.content
    plan_url = reverse("sitingplan-detail", args=[response.json()["id"]])
    assert len(client.get(reverse("sitingplan-list")).json()["results"]) == 1

    unscoped = django_user_model.objects.create_user(username="b", password="x-pw-1")
    unscoped.user_permissions.add(*perms)
    client.force_login(unscoped)
    assert client.get(reverse("sitingplan-list")).status_code == 403
    assert client.get(plan_url).status_code == 403
