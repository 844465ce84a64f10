"""The routing data as resources: categories, responsible bodies and routes; read by anyone,
written with the model permissions, checked by the same rules as in the admin."""

from __future__ import annotations

import pytest

from meetings.models import Category, ResponsibleBody, RoutingRule
from tests.api.utils import assert_error, url
from tests.factories import (
    CategoryFactory,
    DistrictFactory,
    MeetingFactory,
    ResponsibleBodyFactory,
    RoutingRuleFactory,
    SuggestionFactory,
)

pytestmark = pytest.mark.django_db

RESOURCES = {
    "suggestion-categories": (
        Category,
        lambda: {"code": "noise", "name": "Шум по ночам", "sort_order": 70},
        {"name": "Шум в ночное время"},
    ),
    "responsible-bodies": (
        ResponsibleBody,
        lambda: {"name": "ТОО «Горсвет»", "kind": "utility", "district": DistrictFactory().pk},
        {"phone": "+7 7222 44-10-50"},
    ),
    "routing-rules": (
        RoutingRule,
        lambda: {
            "category": "lighting",
            "district": DistrictFactory().pk,
            "body": ResponsibleBodyFactory().pk,
            "deadline_days": 20,
        },
        {"deadline_days": 25},
    ),
}


@pytest.mark.parametrize("resource", RESOURCES)
def test_crud(resource, api_client, staff_client):
    model, payload, patch = RESOURCES[resource]
    created = staff_client.post(url(resource), payload(), format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]

    listed = api_client.get(url(resource))
    assert listed.status_code == 200 and pk in [row["id"] for row in listed.json()["results"]]
    changed = staff_client.patch(url(resource, pk), patch, format="json")
    assert changed.status_code == 200, changed.json()
    assert all(changed.json()[k] == v for k, v in patch.items())
    assert staff_client.delete(url(resource, pk)).status_code == 204
    assert not model.objects.filter(pk=pk).exists()


@pytest.mark.parametrize("resource", RESOURCES)
def test_writes_need_the_model_permission(resource, api_client, reader_client):
    model, payload, _patch = RESOURCES[resource]
    before = model.objects.count()
    assert_error(api_client.post(url(resource), payload(), format="json"), 401)
    assert_error(reader_client.post(url(resource), payload(), format="json"), 403)
    assert model.objects.count() == before


def test_a_route_to_a_body_of_another_district_is_400(staff_client):
    body = ResponsibleBodyFactory(district=DistrictFactory())
    response = staff_client.post(
        url("routing-rules"),
        {"category": "video", "district": DistrictFactory().pk, "body": body.pk},
        format="json",
    )
    assert_error(response, 400, field="body")


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"deadline_days": 0}, "deadline_days"),
        ({"deadline_days": 400}, "deadline_days"),
        ({"category": "nope"}, "category"),
        # The default route for lighting exists: a model-wide error, named as Django names it.
        ({"district": None}, "__all__"),
    ],
)
def test_route_validation(staff_client, changes, field):
    payload = {"category": "lighting", "district": DistrictFactory().pk, "body": None, **changes}
    payload["body"] = ResponsibleBodyFactory().pk
    before = RoutingRule.objects.count()
    response = staff_client.post(url("routing-rules"), payload, format="json")
    body = assert_error(response, 400)
    assert field in body["extra"]["fields"], body
    assert RoutingRule.objects.count() == before


def test_a_body_that_has_suggestions_cannot_be_deleted(staff_client):
    body = ResponsibleBodyFactory()
    SuggestionFactory(meeting=MeetingFactory(), body=body)
    assert_error(staff_client.delete(url("responsible-bodies", body.pk)), 409)


def test_filters(api_client):
    district = DistrictFactory()
    own = ResponsibleBodyFactory(district=district, kind="police")
    ResponsibleBodyFactory(district=DistrictFactory())
    everywhere = set(
        ResponsibleBody.objects.filter(district__isnull=True).values_list("pk", flat=True)
    )
    rule = RoutingRuleFactory(category=CategoryFactory(code="video"), district=district, body=own)

    def ids(resource, **params):
        response = api_client.get(url(resource), {**params, "limit": 500})
        assert response.status_code == 200, response.json()
        return {row["id"] for row in response.json()["results"]}

    assert ids("responsible-bodies", serves=district.pk) == everywhere | {own.pk}
    assert ids("responsible-bodies", district=district.pk, kind="police") == {own.pk}
    assert ids("routing-rules", district=district.pk) == {rule.pk}
    assert ids("routing-rules", category="video", default="false") == {rule.pk}
    defaults = ids("routing-rules", default="true")
    assert len(defaults) == RoutingRule.objects.filter(district__isnull=True).count() >= 7
    assert_error(api_client.get(url("routing-rules"), {"default": "yes"}), 400, field="default")


@pytest.mark.parametrize("resource", RESOURCES)
def test_lists_do_not_grow_in_queries(resource, api_client, django_assert_max_num_queries):
    for n in range(15):
        district = DistrictFactory()
        body = ResponsibleBodyFactory(district=district)
        RoutingRuleFactory(
            category=CategoryFactory(code=f"c{n}", name=f"Тема {n}"), district=district, body=body
        )
    with django_assert_max_num_queries(2):  # count, page
        response = api_client.get(url(resource), {"limit": 100})
    assert response.json()["count"] >= 15
