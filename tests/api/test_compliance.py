"""GET /api/v1/compliance/?quarter=2026Q3&district=...: quarterly compliance per inspector or
summed per precinct, district or region, for staff who may view meetings."""

from __future__ import annotations

import datetime

import pytest

from meetings.models import Meeting
from meetings.quarters import Quarter
from tests.api.utils import assert_error
from tests.factories import DistrictFactory, InspectorFactory, MeetingFactory, PrecinctFactory
from tests.meetings.conftest import local

pytestmark = pytest.mark.django_db
URL = "/api/v1/compliance/"


@pytest.fixture
def district():
    """Q1 2025: one inspector held the report meeting (at 23:30 on 31 March, local time), one
    planned it and never recorded it, one did nothing; another district's inspector held his."""
    district = DistrictFactory()
    done, booked, idle = (
        InspectorFactory(precinct=PrecinctFactory(district=district, number=n)) for n in (1, 2, 3)
    )
    late = local(2025, 3, 31, 23, 30)
    MeetingFactory(inspector=done, scheduled_at=late, held_at=late)
    MeetingFactory(
        inspector=booked,
        scheduled_at=local(2025, 3, 28),
        held_at=None,
        status=Meeting.Status.PLANNED,
    )
    other = InspectorFactory(precinct=PrecinctFactory(district=DistrictFactory(), number=1))
    MeetingFactory(inspector=other, scheduled_at=local(2025, 2, 2), held_at=local(2025, 2, 2))
    district.inspectors = {"done": done, "booked": booked, "idle": idle, "other": other}
    return district


def test_per_inspector(staff_client, district):
    response = staff_client.get(URL, {"quarter": "2025Q1", "district": district.pk})

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["quarter"], body["label"]) == ("2025Q1", "I квартал 2025 г.")
    assert (body["first_day"], body["last_day"]) == ("2025-01-01", "2025-03-31")
    assert (body["is_over"], body["days_left"]) == (True, 0)
    assert (body["meetings_per_quarter"], body["warning_days"], body["group"]) == (
        1,
        14,
        "inspector",
    )
    assert body["totals"] == {
        "id": None,
        "name": "Итого",
        "owed": 3,
        "held": 1,
        "planned": 1,
        "missing": 2,
        "inspectors": 3,
        "inspectors_missing": 2,
    }
    states = {row["inspector"]["id"]: row["state"] for row in body["results"]}
    i = district.inspectors
    assert states == {i["done"].pk: "held", i["booked"].pk: "missing", i["idle"].pk: "missing"}
    row = body["results"][0]
    assert row["district"] == {"id": district.pk, "name": district.name}
    assert row["precinct"]["number"] == 1 and row["days_served"] == 90
    assert row["state_label"] == "проведена" and row["at_risk"] is False
    assert "personnel_number" not in row["inspector"]


@pytest.mark.parametrize(
    "group, ids",
    [("precinct", 3), ("district", 1), ("region", 1)],
)
def test_sums(staff_client, district, group, ids):
    body = staff_client.get(URL, {"quarter": "2025Q1", "district": district.pk, "group": group})
    results = body.json()["results"]
    assert len(results) == ids
    assert sum(r["owed"] for r in results) == 3 and sum(r["missing"] for r in results) == 2
    assert set(results[0]) == {
        "id",
        "name",
        "owed",
        "held",
        "planned",
        "missing",
        "inspectors",
        "inspectors_missing",
    }


def test_whole_country_and_filters(staff_client, district):
    everything = staff_client.get(URL, {"quarter": "2025Q1"}).json()
    assert everything["count"] == 4
    missing = staff_client.get(URL, {"quarter": "2025Q1", "state": "missing"}).json()
    assert {r["inspector"]["id"] for r in missing["results"]} == {
        district.inspectors["booked"].pk,
        district.inspectors["idle"].pk,
    }
    q2 = staff_client.get(URL, {"quarter": "2025q2", "district": district.pk}).json()
    assert q2["totals"]["held"] == 0  # 23:30 on 31 March counted for the first quarter
    page = staff_client.get(URL, {"quarter": "2025Q1", "limit": 2, "offset": 2}).json()
    assert page["count"] == 4 and len(page["results"]) == 2 and page["previous"]


def test_at_risk_in_the_current_quarter(staff_client, settings):
    settings.MEETINGS_WARNING_DAYS = 100  # every open quarter is "almost over"
    idle = InspectorFactory(precinct=PrecinctFactory(number=1))
    body = staff_client.get(URL, {"at_risk": "true"}).json()
    assert body["quarter"] == str(Quarter.current()) and body["is_over"] is False
    assert [r["inspector"]["id"] for r in body["results"]] == [idle.pk]
    assert body["results"][0]["at_risk"] is True


def test_permissions(api_client, reader_client, make_user, district):
    from rest_framework.test import APIClient

    assert_error(api_client.get(URL), 401)
    assert_error(reader_client.get(URL), 403)
    viewer = APIClient()
    viewer.force_authenticate(make_user("meetings.view_meeting", username="analyst"))
    assert viewer.get(URL, {"quarter": "2025Q1"}).status_code == 200


@pytest.mark.parametrize(
    "params, field",
    [
        ({"quarter": "2025Q5"}, "quarter"),
        ({"quarter": "III-2025"}, "quarter"),
        ({"quarter": "1999Q1"}, "quarter"),
        ({"district": "x"}, "district"),
        ({"district": "0"}, "district"),
        ({"region": str(2**64)}, "region"),
        ({"group": "street"}, "group"),
        ({"state": "late"}, "state"),
        ({"at_risk": "perhaps"}, "at_risk"),
        ({"limit": "0"}, "limit"),
    ],
)
def test_validation(staff_client, params, field):
    assert_error(staff_client.get(URL, params), 400, field=field)


def test_queries_do_not_grow(staff_client, django_assert_max_num_queries):
    district = DistrictFactory()
    for n in range(1, 31):
        inspector = InspectorFactory(precinct=PrecinctFactory(district=district, number=n))
        when = local(2025, 2, 1) + datetime.timedelta(days=n)
        MeetingFactory(inspector=inspector, scheduled_at=when, held_at=when)
    # user and permissions (2), the user's scope, assignments, meetings
    with django_assert_max_num_queries(5):
        response = staff_client.get(URL, {"quarter": "2025Q1", "district": district.pk})
    assert response.json()["count"] == 30
