"""Meetings and suggestions: date-range, kind, status and territory filters; the precinct's
team, meetings and suggestions as nested routes; meeting rules enforced through the API."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.gis.geos import GEOSGeometry
from django.utils import timezone

from meetings.models import Meeting, Suggestion
from officers.models import Inspector
from tests.api.utils import assert_error, url
from tests.factories import (
    AssistantFactory,
    CategoryFactory,
    InspectorFactory,
    MeetingFactory,
    PrecinctFactory,
    SuggestionFactory,
)

pytestmark = pytest.mark.django_db


def ids(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return sorted(row["id"] for row in response.json()["results"])


def at(year: int, month: int, day: int, hour: int = 18) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


@pytest.fixture
def meetings():
    inspector = InspectorFactory(appointed_on=datetime.date(2020, 1, 1))
    precinct = inspector.precinct
    other = InspectorFactory(precinct=PrecinctFactory(district=precinct.district))
    now = timezone.now()
    spring = MeetingFactory(
        inspector=inspector,
        scheduled_at=at(2024, 3, 10),
        held_at=at(2024, 3, 10),
        place="Школа №12",
        kind=Meeting.Kind.QUARTERLY_REPORT,
    )
    summer = MeetingFactory(
        inspector=inspector,
        scheduled_at=at(2024, 6, 20),
        held_at=at(2024, 6, 21),
        place="Дом культуры",
        kind=Meeting.Kind.GATHERING,
    )
    cancelled = MeetingFactory(
        inspector=inspector,
        scheduled_at=at(2024, 9, 1),
        held_at=None,
        status=Meeting.Status.CANCELLED,
        cancel_reason="Карантин",
        place="Школа №12",
    )
    planned = MeetingFactory(
        inspector=inspector,
        scheduled_at=now + datetime.timedelta(days=7),
        held_at=None,
        status=Meeting.Status.PLANNED,
        kind=Meeting.Kind.RECEPTION,
        place="УПП №19",
    )
    elsewhere = MeetingFactory(inspector=other, scheduled_at=at(2024, 3, 11))
    return {
        "inspector": inspector,
        "precinct": precinct,
        "spring": spring,
        "summer": summer,
        "cancelled": cancelled,
        "planned": planned,
        "elsewhere": elsewhere,
        "lights": SuggestionFactory(meeting=spring, text="Освещение во дворе"),
        "bench": SuggestionFactory(
            meeting=summer,
            text="Скамейки у школы",
            status=Suggestion.Status.RESOLVED,
            category=CategoryFactory(code="utilities"),
        ),
        "far": SuggestionFactory(meeting=elsewhere, category=CategoryFactory(code="utilities")),
    }


def pks(m, *keys) -> list[int]:
    return sorted(m[k].pk for k in keys)


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"scheduled_after": "2024-06-01T00:00:00+05:00"}, ["summer", "cancelled", "planned"]),
        ({"scheduled_before": "2024-03-10T23:59:59"}, ["spring"]),
        (
            {"scheduled_after": "2024-03-01", "scheduled_before": "2024-07-01T00:00:00Z"},
            ["spring", "summer"],
        ),
        ({"held_after": "2024-06-21T00:00:00+05:00"}, ["summer"]),
        ({"held_before": "2024-06-20T23:00:00+05:00"}, ["spring"]),
    ],
)
def test_meeting_date_ranges(api_client, meetings, params, expected):
    params = {**params, "precinct": meetings["precinct"].pk}
    assert ids(api_client.get(url("meetings"), params)) == pks(meetings, *expected)


def test_meeting_kind_status_search_and_territory(api_client, meetings):
    m = meetings
    precinct = m["precinct"].pk
    get = api_client.get
    assert ids(get(url("meetings"), {"precinct": precinct, "kind": "gathering"})) == pks(
        m, "summer"
    )
    both = get(url("meetings") + f"?precinct={precinct}&kind=gathering&kind=reception")
    assert ids(both) == pks(m, "summer", "planned")
    assert ids(get(url("meetings"), {"precinct": precinct, "status": "cancelled"})) == pks(
        m, "cancelled"
    )
    assert ids(get(url("meetings"), {"search": "Дом культуры"})) == pks(m, "summer")
    assert ids(get(url("meetings"), {"inspector": m["inspector"].pk})) == pks(
        m, "spring", "summer", "cancelled", "planned"
    )
    everyone = pks(m, "spring", "summer", "cancelled", "planned", "elsewhere")
    kato = m["precinct"].district.kato
    assert ids(get(url("meetings"), {"district_kato": kato})) == everyone
    assert ids(get(url("meetings"), {"region_kato": "100000000"})) == everyone


def test_meeting_ordering(api_client, meetings):
    response = api_client.get(
        url("meetings"), {"precinct": meetings["precinct"].pk, "ordering": "scheduled_at"}
    )
    order = [r["id"] for r in response.json()["results"]]
    assert order == [meetings[k].pk for k in ("spring", "summer", "cancelled", "planned")]


def test_suggestion_filters(api_client, meetings):
    m = meetings
    get = api_client.get
    assert ids(get(url("suggestions"), {"precinct": m["precinct"].pk})) == pks(m, "lights", "bench")
    assert ids(get(url("suggestions"), {"status": "resolved"})) == pks(m, "bench")
    assert ids(get(url("suggestions"), {"meeting": m["spring"].pk})) == pks(m, "lights")
    assert ids(get(url("suggestions"), {"category": "lighting"})) == pks(m, "lights")
    assert ids(get(url("suggestions"), {"search": "Скамейки"})) == pks(m, "bench")
    future = (timezone.now() + datetime.timedelta(days=1)).isoformat()
    assert ids(get(url("suggestions"), {"created_after": future})) == []
    assert len(ids(get(url("suggestions"), {"created_before": future}))) == 3


@pytest.mark.parametrize(
    "resource, params, field",
    [
        ("meetings", {"scheduled_after": "last tuesday"}, "scheduled_after"),
        ("meetings", {"scheduled_before": "2024-13-01"}, "scheduled_before"),
        ("meetings", {"held_after": "2024-02-30T10:00"}, "held_after"),
        ("meetings", {"held_before": "yesterday"}, "held_before"),
        # The database keeps UTC; these would overflow the year range on the way there.
        ("meetings", {"scheduled_after": "0001-01-01T00:00:00+05:00"}, "scheduled_after"),
        ("meetings", {"scheduled_before": "9999-12-31T23:59:59-05:00"}, "scheduled_before"),
        ("meetings", {"kind": "party"}, "kind"),
        ("meetings", {"status": "done"}, "status"),
        ("meetings", {"inspector": "x"}, "inspector"),
        ("suggestions", {"status": "ignored"}, "status"),
        ("suggestions", {"created_after": "soon"}, "created_after"),
        ("suggestions", {"meeting": "-"}, "meeting"),
    ],
)
def test_bad_meeting_filters_are_400(api_client, meetings, resource, params, field):
    assert_error(api_client.get(url(resource), params), 400, field=field)


def test_precinct_team(api_client, meetings):
    precinct = meetings["precinct"]
    lead = meetings["inspector"]
    assistant = AssistantFactory(inspector=lead)
    InspectorFactory(precinct=precinct, status=Inspector.Status.DISMISSED)

    response = api_client.get(url("precincts", precinct.pk, "team"))

    assert response.status_code == 200
    team = response.json()
    assert [i["id"] for i in team] == [lead.pk]
    assert [a["id"] for a in team[0]["assistants"]] == [assistant.pk]
    assert "phone" not in team[0]["assistants"][0]
    assert "personal_phone" not in team[0] and "personnel_number" not in team[0]


def test_precinct_meetings_paged_and_filtered(api_client, meetings):
    precinct = meetings["precinct"]
    response = api_client.get(url("precincts", precinct.pk, "meetings"), {"limit": 2})
    body = response.json()
    assert body["count"] == 4
    assert len(body["results"]) == 2
    assert body["next"] and "offset=2" in body["next"]
    # Newest first.
    assert body["results"][0]["id"] == meetings["planned"].pk

    held = api_client.get(url("precincts", precinct.pk, "meetings"), {"status": "held"})
    assert ids(held) == pks(meetings, "spring", "summer")
    bad = api_client.get(url("precincts", precinct.pk, "meetings"), {"kind": "x"})
    assert_error(bad, 400, field="kind")


def test_precinct_suggestions(api_client, meetings):
    precinct = meetings["precinct"]
    response = api_client.get(url("precincts", precinct.pk, "suggestions"))
    assert ids(response) == pks(meetings, "lights", "bench")
    resolved = api_client.get(url("precincts", precinct.pk, "suggestions"), {"status": "resolved"})
    assert ids(resolved) == pks(meetings, "bench")


@pytest.mark.parametrize("action", ["team", "meetings", "suggestions"])
def test_nested_routes_of_a_missing_precinct_are_404(api_client, action):
    assert_error(api_client.get(url("precincts", 999999, action)), 404)


def test_meeting_by_an_inspector_who_did_not_serve_is_400(staff_client, meetings):
    stranger = InspectorFactory()  # serves another precinct
    count = Meeting.objects.count()
    response = staff_client.post(
        url("meetings"),
        {
            "precinct": meetings["precinct"].pk,
            "inspector": stranger.pk,
            "scheduled_at": (timezone.now() + datetime.timedelta(days=3)).isoformat(),
            "place": "Школа",
        },
        format="json",
    )
    assert_error(response, 400, field="inspector")
    assert Meeting.objects.count() == count


def test_held_meeting_in_the_future_is_400(staff_client, meetings):
    future = (timezone.now() + datetime.timedelta(days=2)).isoformat()
    response = staff_client.patch(
        url("meetings", meetings["planned"].pk),
        {"status": "held", "held_at": future},
        format="json",
    )
    assert_error(response, 400, field="held_at")
    meetings["planned"].refresh_from_db()
    assert meetings["planned"].status == Meeting.Status.PLANNED


def test_delete_precinct_with_meetings_is_409(staff_client, meetings):
    body = assert_error(staff_client.delete(url("precincts", meetings["precinct"].pk)), 409)
    assert "встречи с населением" in body["message"]


def test_meetings_in_bbox(api_client, meetings):
    lon, lat = 80.30, 50.45
    placed = meetings["summer"]
    placed.geom = GEOSGeometry(f"SRID=4326;POINT({lon} {lat})")
    placed.save()
    box = f"{lon - 0.001},{lat - 0.001},{lon + 0.001},{lat + 0.001}"
    assert ids(api_client.get(url("meetings"), {"in_bbox": box})) == [placed.pk]
    assert_error(api_client.get(url("meetings"), {"in_bbox": "x"}), 400, field="in_bbox")
