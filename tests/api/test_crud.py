"""Every resource: list, retrieve, create, PUT, PATCH and delete as an authorised user; writes
refused to anonymous clients and to users without the model permission, with nothing saved."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.gis.geos import GEOSGeometry
from django.db import models
from django.utils import timezone
from rest_framework.test import APIClient

from meetings.models import Meeting, Suggestion
from officers.models import Assistant, Inspector
from stations.models import District, ModularPost, Precinct, Region, Settlement, Station
from tests.api.utils import assert_error, cell_square, point, square, url
from tests.factories import (
    CENTRE_LAT,
    CENTRE_LON,
    AssistantFactory,
    DistrictFactory,
    InspectorFactory,
    MeetingFactory,
    ModularPostFactory,
    PrecinctFactory,
    RegionFactory,
    SettlementFactory,
    StationFactory,
    SuggestionFactory,
    point_ewkt,
)

pytestmark = pytest.mark.django_db


def _future() -> str:
    return (timezone.now() + datetime.timedelta(days=14)).replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class Resource:
    name: str
    model: type[models.Model]
    make: Callable[[], models.Model]
    payload: Callable[[], dict[str, Any]]
    patch: dict[str, Any]
    geo: bool = False
    # A row nothing protects, for the delete test (default: `make`).
    make_deletable: Callable[[], models.Model] | None = None

    def __str__(self) -> str:
        return self.name


RESOURCES = [
    Resource(
        "regions",
        Region,
        make=lambda: RegionFactory(kato="110000000", name="Область для теста"),
        payload=lambda: {
            "name": "Новая область",
            "name_kk": "Жаңа облыс",
            "kato": "190000000",
            "geom": square(half_km=30),
        },
        patch={"name": "Переименованная область"},
        geo=True,
    ),
    Resource(
        "districts",
        District,
        make=DistrictFactory,
        payload=lambda: {
            "region": RegionFactory().pk,
            "name": "Новый район",
            "kato": "101099999",
            "kind": "rural",
            "population": 12000,
            "geom": square(),
        },
        patch={"population": 13000},
        geo=True,
    ),
    Resource(
        "precincts",
        Precinct,
        make=PrecinctFactory,
        payload=lambda: {
            "district": DistrictFactory().pk,
            "number": 42,
            "name": "мкр. Новый",
            "population": 5000,
            "geom": cell_square(42),
        },
        patch={"name": "мкр. Старый"},
        geo=True,
    ),
    Resource(
        "settlements",
        Settlement,
        make=SettlementFactory,
        payload=lambda: {
            "district": DistrictFactory().pk,
            "name": "Село Новое",
            "population": 800,
            "geom": point(CENTRE_LON - 0.01, CENTRE_LAT),
        },
        patch={"population": 900},
        geo=True,
    ),
    Resource(
        "stations",
        Station,
        make=StationFactory,
        payload=lambda: {
            "district": DistrictFactory().pk,
            "number": "№99",
            "name": "УПП Новый",
            "address": "г. Семей, ул. Новая, 1",
            "geom": point(CENTRE_LON + 0.005, CENTRE_LAT + 0.005),
            "status": "operating",
            "opened_on": "2023-03-01",
        },
        patch={"reception_hours": "пн–сб 09:00–20:00"},
        geo=True,
    ),
    Resource(
        "posts",
        ModularPost,
        make=ModularPostFactory,
        payload=lambda: {
            "district": DistrictFactory().pk,
            "name": "Пост в парке",
            "address": "г. Семей, парк Победы",
            "geom": point(CENTRE_LON - 0.005, CENTRE_LAT),
            "status": "planned",
            "round_the_clock": True,
            "placement": "park",
        },
        patch={"round_the_clock": False},
        geo=True,
    ),
    Resource(
        "inspectors",
        Inspector,
        make=InspectorFactory,
        payload=lambda: {
            "personnel_number": "TN900001",
            "last_name": "Бекова",
            "first_name": "Айгерим",
            "rank": "major",
            "precinct": PrecinctFactory().pk,
            "service_phone": "+7 7222 52-11-11",
            "personal_phone": "+7 701 222 33 44",
            "appointed_on": "2024-01-10",
        },
        patch={"reception_hours": "вт, чт 15:00–18:00"},
        # Assignment history protects an inspector who ever served; one never assigned can go.
        make_deletable=lambda: InspectorFactory(precinct=None),
    ),
    Resource(
        "assistants",
        Assistant,
        make=AssistantFactory,
        payload=lambda: {
            "inspector": InspectorFactory().pk,
            "last_name": "Нурланов",
            "first_name": "Ержан",
            "phone": "+7 705 000 11 22",
        },
        patch={"phone": "+7 705 999 88 77"},
    ),
    Resource(
        "meetings",
        Meeting,
        # Planned: PUT replaces it with another planned meeting (a held one stays held).
        make=lambda: MeetingFactory(
            geom=GEOSGeometry(point_ewkt(CENTRE_LON, CENTRE_LAT)),
            status=Meeting.Status.PLANNED,
            scheduled_at=timezone.now() + datetime.timedelta(days=3),
            held_at=None,
        ),
        payload=lambda: _meeting_payload(),
        patch={"place": "Библиотека №2"},
        geo=True,
    ),
    Resource(
        "suggestions",
        Suggestion,
        make=SuggestionFactory,
        payload=lambda: {
            "meeting": MeetingFactory().pk,
            "text": "Убрать мусор у остановки.",
            "category": "utilities",
        },
        patch={"external_ref": "ЖТ-2026-00012345"},
    ),
]


def _meeting_payload() -> dict[str, Any]:
    inspector = InspectorFactory()
    return {
        "precinct": inspector.precinct_id,
        "inspector": inspector.pk,
        "kind": "gathering",
        "scheduled_at": _future(),
        "held_at": None,
        "place": "Актовый зал школы №7",
        "status": "planned",
    }


def _same(expected: Any, actual: Any) -> bool:
    """Equal, comparing ISO date-times as instants (the API answers in local time)."""
    if expected == actual:
        return True
    try:
        return datetime.datetime.fromisoformat(expected) == datetime.datetime.fromisoformat(actual)
    except (TypeError, ValueError):
        return False


def _assert_saved(body: dict[str, Any], sent: dict[str, Any]) -> None:
    for key, value in sent.items():
        if key == "geom":
            assert body["geom"]["type"] in (value["type"], "MultiPolygon")
        else:
            assert _same(value, body[key]), (key, value, body[key])


def test_every_registry_model_has_a_resource():
    assert {r.model for r in RESOURCES} == {
        Region,
        District,
        Precinct,
        Settlement,
        Station,
        ModularPost,
        Inspector,
        Assistant,
        Meeting,
        Suggestion,
    }


@pytest.mark.parametrize("resource", RESOURCES, ids=str)
def test_list_and_retrieve(resource, staff_client):
    obj = resource.make()

    listed = staff_client.get(url(resource.name))
    assert listed.status_code == 200, listed.content
    body = listed.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert obj.pk in [row["id"] for row in body["results"]]

    one = staff_client.get(url(resource.name, obj.pk))
    assert one.status_code == 200
    assert one.json()["id"] == obj.pk
    if resource.geo:
        assert one.json()["geom"]["type"] in ("Point", "MultiPolygon")


@pytest.mark.parametrize("resource", RESOURCES, ids=str)
def test_anonymous_reads(resource, api_client):
    obj = resource.make()
    assert api_client.get(url(resource.name)).status_code == 200
    assert api_client.get(url(resource.name, obj.pk)).json()["id"] == obj.pk


@pytest.mark.parametrize("resource", RESOURCES, ids=str)
def test_create_with_token(resource, token_client):
    payload = resource.payload()
    before = resource.model.objects.count()

    response = token_client.post(url(resource.name), payload, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    _assert_saved(body, payload)
    assert resource.model.objects.count() == before + 1
    assert resource.model.objects.filter(pk=body["id"]).exists()


@pytest.mark.parametrize("resource", RESOURCES, ids=str)
def test_put_replaces(resource, staff_client):
    obj = resource.make()
    payload = {**resource.payload(), **resource.patch}

    response = staff_client.put(url(resource.name, obj.pk), payload, format="json")

    assert response.status_code == 200, response.json()
    _assert_saved(response.json(), payload)
    obj.refresh_from_db()
    for key, value in resource.patch.items():
        assert getattr(obj, key) == value


@pytest.mark.parametrize("resource", RESOURCES, ids=str)
def test_patch_changes_one_field(resource, staff_client):
    obj = resource.make()
    untouched = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}

    response = staff_client.patch(url(resource.name, obj.pk), resource.patch, format="json")

    assert response.status_code == 200, response.json()
    _assert_saved(response.json(), resource.patch)
    obj.refresh_from_db()
    for name, value in untouched.items():
        if name in resource.patch or name == "updated_at":
            continue
        assert getattr(obj, name) == value, name
    for key, value in resource.patch.items():
        assert getattr(obj, key) == value


@pytest.mark.parametrize("resource", RESOURCES, ids=str)
def test_delete(resource, staff_client):
    obj = (resource.make_deletable or resource.make)()

    response = staff_client.delete(url(resource.name, obj.pk))

    assert response.status_code == 204, response.json()
    assert not resource.model.objects.filter(pk=obj.pk).exists()
    assert_error(staff_client.get(url(resource.name, obj.pk)), 404)


@pytest.mark.parametrize("resource", RESOURCES, ids=str)
def test_anonymous_writes_refused_and_nothing_saved(resource, api_client):
    obj = resource.make()
    payload = resource.payload()
    count = resource.model.objects.count()
    snapshot = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}

    for response in (
        api_client.post(url(resource.name), payload, format="json"),
        api_client.put(url(resource.name, obj.pk), payload, format="json"),
        api_client.patch(url(resource.name, obj.pk), resource.patch, format="json"),
        api_client.delete(url(resource.name, obj.pk)),
    ):
        assert response.status_code == 401, response.content
        assert_error(response, response.status_code)

    assert resource.model.objects.count() == count
    obj.refresh_from_db()
    assert {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields} == snapshot


@pytest.mark.parametrize("resource", RESOURCES, ids=str)
def test_writes_need_the_model_permission(resource, make_user):
    app_label = resource.model._meta.app_label
    name = resource.model._meta.model_name
    # May view and change, may not add or delete.
    user = make_user(f"{app_label}.view_{name}", f"{app_label}.change_{name}")
    client = APIClient()
    client.force_authenticate(user)
    obj = resource.make()
    payload = resource.payload()
    count = resource.model.objects.count()

    assert_error(client.post(url(resource.name), payload, format="json"), 403)
    assert_error(client.delete(url(resource.name, obj.pk)), 403)
    assert resource.model.objects.count() == count
    assert (
        client.patch(url(resource.name, obj.pk), resource.patch, format="json").status_code == 200
    )


@pytest.mark.parametrize("resource", RESOURCES, ids=str)
def test_signed_in_without_permissions_cannot_write(resource, reader_client):
    payload = resource.payload()
    count = resource.model.objects.count()
    assert_error(reader_client.post(url(resource.name), payload, format="json"), 403)
    assert resource.model.objects.count() == count


def test_token_endpoint_issues_a_token_that_can_create(staff_user, api_client):
    response = api_client.post(
        url("auth/token"), {"username": "registrar", "password": "secret-password-1"}
    )
    assert response.status_code == 200
    token = response.json()["token"]

    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    district = DistrictFactory()
    created = api_client.post(
        url("stations"),
        {
            "district": district.pk,
            "number": "№7",
            "address": "г. Семей, ул. Шакарима, 7",
            "geom": point(),
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    assert Station.objects.get(pk=created.json()["id"]).district == district


def test_token_endpoint_refuses_a_wrong_password(staff_user, api_client):
    response = api_client.post(url("auth/token"), {"username": "registrar", "password": "nope"})
    assert_error(response, 400, field="non_field_errors")


def test_a_bad_token_is_refused(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = api_client.get(url("stations"))
    body = assert_error(response, 401)
    assert body["code"] == "authentication_failed"
    assert response["WWW-Authenticate"] == "Token"
