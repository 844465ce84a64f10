"""Every role × every resource × (list, view, add, change, delete) through the API, on a record
of the user's home district, of a neighbouring district of the same region and of a district
of another region. Expected status codes are written out in EXPECTED."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from meetings.models import Meeting
from tests.access.conftest import PLACES, ROLE_USERS, Place, next_number
from tests.api.utils import cell_square, point, square, url
from tests.factories import (
    CENTRE_LAT,
    CENTRE_LON,
    AssistantFactory,
    CategoryFactory,
    DistrictFactory,
    InspectorFactory,
    MeetingFactory,
    ModularPostFactory,
    PrecinctFactory,
    RegionFactory,
    SettlementFactory,
    StationFactory,
    SuggestionFactory,
)


def _future() -> str:
    return (timezone.now() + datetime.timedelta(days=14)).replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class Resource:
    name: str
    record: Callable[[Place], Any]  # the place's record of this resource
    payload: Callable[[Place], dict[str, Any]]  # a new record placed in the place
    patch: dict[str, Any]
    spare: Callable[[Place], Any]  # a record of the place that can be deleted


def _region_payload(place: Place) -> dict[str, Any]:
    n = next_number()
    return {"name": f"Область {n}", "kato": f"19{n:07d}", "geom": square(half_km=30)}


RESOURCES = {
    r.name: r
    for r in [
        Resource(
            "regions",
            lambda p: p.region,
            _region_payload,
            {"name": "Переименованная область"},
            # Regions have no place of their own: a new, empty one (only Administrators delete).
            lambda p: RegionFactory(kato=f"18{next_number():07d}"),
        ),
        Resource(
            "districts",
            lambda p: p.district,
            lambda p: {
                "region": p.region.pk,
                "name": "Новый район",
                "kato": f"1099{next_number():05d}",
                "kind": "rural",
                "population": 12000,
                "geom": square(),
            },
            {"population": 13000},
            lambda p: DistrictFactory(region=p.region),
        ),
        Resource(
            "precincts",
            lambda p: p.precinct,
            lambda p: {
                "district": p.district.pk,
                "number": 500 + next_number(),
                "name": "мкр. Новый",
                "population": 5000,
                "geom": cell_square(42),
            },
            {"name": "мкр. Старый"},
            lambda p: PrecinctFactory(district=p.district),
        ),
        Resource(
            "settlements",
            lambda p: p.settlement,
            lambda p: {
                "district": p.district.pk,
                "name": "Село Новое",
                "population": 800,
                "geom": point(CENTRE_LON - 0.01, CENTRE_LAT),
            },
            {"population": 900},
            lambda p: SettlementFactory(district=p.district),
        ),
        Resource(
            "stations",
            lambda p: p.station,
            lambda p: {
                "district": p.district.pk,
                "number": f"№{900 + next_number()}",
                "address": "г. Семей, ул. Новая, 1",
                "geom": point(CENTRE_LON + 0.005, CENTRE_LAT + 0.005),
                "status": "operating",
                "opened_on": "2023-03-01",
            },
            {"reception_hours": "пн–сб 09:00–20:00"},
            lambda p: StationFactory(district=p.district),
        ),
        Resource(
            "posts",
            lambda p: p.post,
            lambda p: {
                "district": p.district.pk,
                "name": "Пост в парке",
                "address": "г. Семей, парк Победы",
                "geom": point(CENTRE_LON - 0.005, CENTRE_LAT),
                "status": "planned",
                "placement": "park",
            },
            {"round_the_clock": False},
            lambda p: ModularPostFactory(district=p.district),
        ),
        Resource(
            "inspectors",
            lambda p: p.inspector,
            lambda p: {
                "personnel_number": f"TN9{next_number():05d}",
                "last_name": "Бекова",
                "first_name": "Айгерим",
                "rank": "major",
                "precinct": p.precinct.pk,
            },
            {"reception_hours": "вт, чт 15:00–18:00"},
            # Served a precinct: the assignment history protects it (409 once allowed).
            lambda p: InspectorFactory(precinct=p.precinct),
        ),
        Resource(
            "assistants",
            lambda p: p.assistant,
            lambda p: {"inspector": p.inspector.pk, "last_name": "Нурланов", "first_name": "Ержан"},
            {"phone": "+7 705 999 88 77"},
            lambda p: AssistantFactory(inspector=p.inspector),
        ),
        Resource(
            "meetings",
            lambda p: p.meeting,
            lambda p: {
                "precinct": p.precinct.pk,
                "inspector": p.inspector.pk,
                "kind": "gathering",
                "scheduled_at": _future(),
                "place": "Актовый зал школы №7",
                "status": "planned",
            },
            {"place": "Библиотека №2"},
            lambda p: MeetingFactory(
                inspector=p.inspector,
                status=Meeting.Status.PLANNED,
                scheduled_at=timezone.now() + datetime.timedelta(days=5),
                held_at=None,
            ),
        ),
        Resource(
            "suggestions",
            lambda p: p.suggestion,
            lambda p: {"meeting": p.held.pk, "text": "Убрать мусор у остановки."},
            {"external_ref": "ЖТ-2026-00012345"},
            lambda p: SuggestionFactory(meeting=p.held),
        ),
        Resource(
            "suggestion-categories",
            lambda p: p.category,
            lambda p: {"code": f"new{next_number()}", "name": "Новая категория"},
            {"name": "Другое название"},
            lambda p: CategoryFactory(code=f"spare{next_number()}", name="Запасная"),
        ),
    ]
}

# Per role and resource: view, change (PATCH), add (POST), delete, each as the status codes
# for the (home, neighbour, far) records. The list shows exactly the records whose view is 200.
ALL_READ = "200 200 200"
EXPECTED: dict[tuple[str, str], str] = {}


def _rows(role: str, table: dict[str, str]) -> None:
    for resource, codes in table.items():
        EXPECTED[(role, resource)] = codes


_rows(
    "administrator",
    {
        "regions": "200 200 200 | 200 200 200 | 201 201 201 | 204 204 204",
        "districts": "200 200 200 | 200 200 200 | 201 201 201 | 204 204 204",
        "precincts": "200 200 200 | 200 200 200 | 201 201 201 | 204 204 204",
        "settlements": "200 200 200 | 200 200 200 | 201 201 201 | 204 204 204",
        "stations": "200 200 200 | 200 200 200 | 201 201 201 | 204 204 204",
        "posts": "200 200 200 | 200 200 200 | 201 201 201 | 204 204 204",
        "inspectors": "200 200 200 | 200 200 200 | 201 201 201 | 409 409 409",
        "assistants": "200 200 200 | 200 200 200 | 201 201 201 | 204 204 204",
        "meetings": "200 200 200 | 200 200 200 | 201 201 201 | 204 204 204",
        "suggestions": "200 200 200 | 200 200 200 | 201 201 201 | 204 204 204",
        "suggestion-categories": "200 200 200 | 200 200 200 | 201 201 201 | 204 204 204",
    },
)
# Reads region A (home and neighbour), nothing of region B; writes nothing.
_rows(
    "analyst",
    {
        "regions": "200 200 404 | 403 403 403 | 403 403 403 | 403 403 403",
        "districts": "200 200 404 | 403 403 403 | 403 403 403 | 403 403 403",
        "precincts": "200 200 404 | 403 403 403 | 403 403 403 | 403 403 403",
        "settlements": "200 200 404 | 403 403 403 | 403 403 403 | 403 403 403",
        "stations": "200 200 404 | 403 403 403 | 403 403 403 | 403 403 403",
        "posts": "200 200 404 | 403 403 403 | 403 403 403 | 403 403 403",
        "inspectors": "200 200 404 | 403 403 403 | 403 403 403 | 403 403 403",
        "assistants": "200 200 404 | 403 403 403 | 403 403 403 | 403 403 403",
        "meetings": "200 200 404 | 403 403 403 | 403 403 403 | 403 403 403",
        "suggestions": "200 200 404 | 403 403 403 | 403 403 403 | 403 403 403",
        "suggestion-categories": "200 200 200 | 403 403 403 | 403 403 403 | 403 403 403",
    },
)
# Reads region A; writes district D1 only: the neighbour's records are visible, read only
# (403), the far ones do not exist (404); territory and reference data are not theirs (403).
_rows(
    "staff",
    {
        "regions": "200 200 404 | 403 403 403 | 403 403 403 | 403 403 403",
        "districts": "200 200 404 | 403 403 403 | 403 403 403 | 403 403 403",
        "precincts": "200 200 404 | 200 403 404 | 201 403 403 | 204 403 404",
        "settlements": "200 200 404 | 200 403 404 | 201 403 403 | 204 403 404",
        "stations": "200 200 404 | 200 403 404 | 201 403 403 | 204 403 404",
        "posts": "200 200 404 | 200 403 404 | 201 403 403 | 204 403 404",
        "inspectors": "200 200 404 | 200 403 404 | 201 403 403 | 409 403 404",
        "assistants": "200 200 404 | 200 403 404 | 201 403 403 | 204 403 404",
        "meetings": "200 200 404 | 200 403 404 | 201 403 403 | 204 403 404",
        "suggestions": "200 200 404 | 200 403 404 | 201 403 403 | 204 403 404",
        "suggestion-categories": "200 200 200 | 403 403 403 | 403 403 403 | 403 403 403",
    },
)
# Reads district D1 (and its region); changes only their own card, meetings and suggestions.
_rows(
    "inspector",
    {
        "regions": "200 200 404 | 403 403 403 | 403 403 403 | 403 403 403",
        "districts": "200 404 404 | 403 403 403 | 403 403 403 | 403 403 403",
        "precincts": "200 404 404 | 403 403 403 | 403 403 403 | 403 403 403",
        "settlements": "200 404 404 | 403 403 403 | 403 403 403 | 403 403 403",
        "stations": "200 404 404 | 403 403 403 | 403 403 403 | 403 403 403",
        "posts": "200 404 404 | 403 403 403 | 403 403 403 | 403 403 403",
        "inspectors": "200 404 404 | 200 404 404 | 403 403 403 | 403 403 403",
        "assistants": "200 404 404 | 403 403 403 | 403 403 403 | 403 403 403",
        "meetings": "200 404 404 | 200 404 404 | 403 403 403 | 403 403 403",
        "suggestions": "200 404 404 | 200 404 404 | 403 403 403 | 403 403 403",
        "suggestion-categories": "200 200 200 | 403 403 403 | 403 403 403 | 403 403 403",
    },
)
# Signed in without a role or membership: the public reading of every district, no writes.
_rows(
    "public", {name: "200 200 200 | 403 403 403 | 403 403 403 | 403 403 403" for name in RESOURCES}
)
# Anonymous: the public reading ("find my inspector"); writes need a login.
_rows(
    "anonymous",
    {name: "200 200 200 | 401 401 401 | 401 401 401 | 401 401 401" for name in RESOURCES},
)


def test_the_table_covers_every_role_and_resource():
    assert set(EXPECTED) == {(role, name) for role in ROLE_USERS for name in RESOURCES}


def _client(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.mark.parametrize("resource_name", list(RESOURCES))
@pytest.mark.parametrize("role", ROLE_USERS)
def test_api_scope_matrix(role, resource_name, world, role_user):
    resource = RESOURCES[resource_name]
    view, change, add, delete = (
        [int(code) for code in part.split()] for part in EXPECTED[(role, resource_name)].split("|")
    )
    client = _client(role_user(role))
    records = {place: resource.record(world[place]) for place in PLACES}
    got: dict[str, list[int]] = {"view": [], "change": [], "add": [], "delete": []}

    listed = client.get(url(resource.name), {"limit": 500})
    assert listed.status_code == 200
    listed_ids = {row["id"] for row in listed.json()["results"]}
    for place, code in zip(PLACES, view, strict=True):
        assert (records[place].pk in listed_ids) == (code == 200), (place, "list")

    for place in PLACES:
        got["view"].append(client.get(url(resource.name, records[place].pk)).status_code)
    for place in PLACES:
        response = client.patch(
            url(resource.name, records[place].pk), resource.patch, format="json"
        )
        got["change"].append(response.status_code)
    for place in PLACES:
        before = type(records[place]).objects.count()
        response = client.post(url(resource.name), resource.payload(world[place]), format="json")
        got["add"].append(response.status_code)
        created = type(records[place]).objects.count() - before
        assert created == (1 if response.status_code == 201 else 0), response.content
    for place in PLACES:
        spare = resource.spare(world[place])
        response = client.delete(url(resource.name, spare.pk))
        got["delete"].append(response.status_code)
        gone = not type(spare).objects.filter(pk=spare.pk).exists()
        assert gone == (response.status_code == 204)

    assert got == {"view": view, "change": change, "add": add, "delete": delete}
