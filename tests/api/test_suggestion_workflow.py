"""Suggestions through the API: recorded and routed on create, moved only by
POST /suggestions/{id}/transition/ (400 on a refused move), re-routed, commented, merged; the
history; open and overdue by body and district; filters."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from meetings.models import Suggestion
from meetings.services import suggestion_save, suggestion_transition
from tests.api.utils import assert_error, field_messages, url
from tests.factories import (
    CategoryFactory,
    InspectorFactory,
    MeetingFactory,
    PrecinctFactory,
    ResponsibleBodyFactory,
    RoutingRuleFactory,
    SuggestionFactory,
)

pytestmark = pytest.mark.django_db
S = Suggestion.Status


@pytest.fixture
def meeting():
    return MeetingFactory()


@pytest.fixture
def route(meeting):
    return RoutingRuleFactory(
        category=CategoryFactory(code="lighting"),
        district=meeting.precinct.district,
        body=ResponsibleBodyFactory(name="Отдел ЖКХ акимата"),
        deadline_days=20,
    )


@pytest.fixture
def suggestion(meeting, route):
    return suggestion_save(
        suggestion=SuggestionFactory.build(meeting=meeting, category=route.category)
    )


def move(client, suggestion, **data):
    return client.post(url("suggestions", suggestion.pk, "transition"), data, format="json")


def test_create_routes_the_suggestion_and_starts_its_history(token_client, meeting, route):
    response = token_client.post(
        url("suggestions"),
        {"meeting": meeting.pk, "text": "Фонари у школы", "category": "lighting"},
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    held_on = timezone.localdate(meeting.held_at)
    assert (body["status"], body["body"], body["body_name"]) == (
        "new",
        route.body_id,
        route.body.name,
    )
    assert body["deadline"] == (held_on + datetime.timedelta(days=20)).isoformat()
    assert body["overdue"] is False and body["merged"] == []
    history = token_client.get(url("suggestions", body["id"], "history")).json()["results"]
    assert [(e["kind"], e["to_status"], e["user"]) for e in history] == [
        ("created", "new", "registrar")
    ]


def test_a_transition(staff_client, suggestion, route):
    response = move(staff_client, suggestion, status="forwarded", comment="Письмо №5")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["status_label"]) == ("forwarded", "направлено исполнителю")
    resolved = move(staff_client, suggestion, status="in_progress", comment="Принято")
    resolved = move(staff_client, suggestion, status="resolved", comment="Установлены фонари")
    assert resolved.json()["resolution"] == "Установлены фонари"
    assert resolved.json()["resolved_on"] == timezone.localdate().isoformat()
    suggestion.refresh_from_db()
    assert suggestion.status == S.RESOLVED


def test_an_invalid_transition_is_400_with_a_clear_message(staff_client, suggestion):
    response = move(staff_client, suggestion, status="resolved", comment="Сразу решено")

    assert_error(response, 400, field="status")
    (message,) = field_messages(response, "status")
    assert message.startswith("Нельзя перевести предложение из статуса «новое» в статус «решено»")
    assert "«направлено исполнителю»" in message and "«отклонено»" in message
    suggestion.refresh_from_db()
    assert suggestion.status == S.NEW and suggestion.events.count() == 1


def test_a_final_status_never_moves(staff_client, suggestion):
    suggestion_transition(suggestion=suggestion, to_status="rejected", comment="Нет")
    response = move(staff_client, suggestion, status="forwarded", comment="Всё же")
    assert_error(response, 400, field="status")
    assert "окончательный" in field_messages(response, "status")[0]


@pytest.mark.parametrize(
    "data, field",
    [
        ({"status": "forwarded"}, "comment"),
        ({"status": "forwarded", "comment": "   "}, "comment"),
        ({"comment": "Без статуса"}, "status"),
        ({"status": "done", "comment": "x"}, "status"),
        ({"status": "merged", "comment": "x"}, "status"),  # merging has its own action
        ({"status": "forwarded", "comment": "x", "body": 999999}, "body"),
        ({"status": "rejected", "comment": "x", "body": "one"}, "body"),
    ],
)
def test_transition_validation(staff_client, suggestion, data, field):
    assert_error(move(staff_client, suggestion, **data), 400, field=field)
    suggestion.refresh_from_db()
    assert suggestion.status == S.NEW


def test_transition_permissions(api_client, reader_client, make_user, suggestion):
    from rest_framework.test import APIClient

    data = {"status": "forwarded", "comment": "Письмо"}
    assert_error(move(api_client, suggestion, **data), 401)
    assert_error(move(reader_client, suggestion, **data), 403)
    adder = APIClient()
    adder.force_authenticate(make_user("meetings.add_suggestion", username="adder"))
    assert_error(move(adder, suggestion, **data), 403)  # moving changes a suggestion
    changer = APIClient()
    changer.force_authenticate(make_user("meetings.change_suggestion", username="changer"))
    assert move(changer, suggestion, **data).status_code == 200
    assert_error(move(changer, Suggestion(pk=999999), **data), 404)


def test_status_and_body_do_not_change_through_crud(staff_client, suggestion):
    patch = staff_client.patch(url("suggestions", suggestion.pk), {"status": "resolved"})
    assert "transition" in field_messages(patch, "status")[0]
    other = ResponsibleBodyFactory()
    patch = staff_client.patch(url("suggestions", suggestion.pk), {"body": other.pk})
    assert "route" in field_messages(patch, "body")[0]
    create = staff_client.post(
        url("suggestions"),
        {"meeting": suggestion.meeting_id, "text": "Новое", "status": "resolved"},
        format="json",
    )
    assert_error(create, 400, field="status")
    ok = staff_client.patch(url("suggestions", suggestion.pk), {"external_ref": "ЖТ-2026-0042"})
    assert ok.status_code == 200 and ok.json()["external_ref"] == "ЖТ-2026-0042"


def test_re_route(staff_client, suggestion, route):
    other = ResponsibleBodyFactory(name="ГКП «Горсвет»")
    response = staff_client.post(
        url("suggestions", suggestion.pk, "route"), {"body": other.pk, "comment": "Это Горсвет"}
    )
    assert response.status_code == 200, response.json()
    assert response.json()["body_name"] == "ГКП «Горсвет»"
    same = staff_client.post(url("suggestions", suggestion.pk, "route"), {"body": other.pk})
    assert_error(same, 400, field="body")
    assert_error(
        staff_client.post(url("suggestions", suggestion.pk, "route"), {}), 400, field="body"
    )


def test_comments_go_to_the_history(staff_client, api_client, suggestion):
    response = staff_client.post(
        url("suggestions", suggestion.pk, "comment"), {"comment": "Позвонили заявителю"}
    )
    assert response.status_code == 201
    assert (response.json()["kind"], response.json()["user"]) == ("comment", "registrar")
    assert_error(
        staff_client.post(url("suggestions", suggestion.pk, "comment"), {"comment": ""}),
        400,
        field="comment",
    )
    public = api_client.get(url("suggestions", suggestion.pk, "history")).json()["results"]
    assert [e["comment"] for e in public] == ["", "Позвонили заявителю"]
    assert all(e["user"] is None for e in public)  # who: staff only


def test_merge(staff_client, suggestion, meeting, route):
    again = suggestion_save(
        suggestion=SuggestionFactory.build(meeting=meeting, text="Темно во дворе, повторно")
    )
    response = staff_client.post(
        url("suggestions", suggestion.pk, "merge"), {"suggestions": [again.pk]}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["merged"] == [{"id": again.pk, "text": "Темно во дворе, повторно"}]
    merged = staff_client.get(url("suggestions", again.pk)).json()
    assert (merged["status"], merged["merged_into"]) == ("merged", suggestion.pk)

    stranger = MeetingFactory(inspector=InspectorFactory(precinct=PrecinctFactory()))
    far = suggestion_save(suggestion=SuggestionFactory.build(meeting=stranger))
    refused = staff_client.post(
        url("suggestions", suggestion.pk, "merge"), {"suggestions": [far.pk]}, format="json"
    )
    assert_error(refused, 400, field="suggestions")
    assert_error(
        staff_client.post(url("suggestions", suggestion.pk, "merge"), {"suggestions": []}),
        400,
        field="suggestions",
    )


def test_overdue_and_other_filters(api_client, meeting, route):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    late = SuggestionFactory(
        meeting=meeting, body=route.body, deadline=yesterday, status="forwarded"
    )
    SuggestionFactory(meeting=meeting, body=route.body, deadline=yesterday, status="resolved")
    fine = SuggestionFactory(
        meeting=meeting,
        body=ResponsibleBodyFactory(),
        deadline=timezone.localdate(),
        status="in_progress",
        category=CategoryFactory(code="video"),
    )

    def ids(**params):
        response = api_client.get(url("suggestions"), params)
        assert response.status_code == 200, response.json()
        return {row["id"] for row in response.json()["results"]}

    assert ids(overdue="true") == {late.pk}
    assert late.pk not in ids(overdue="false")
    assert ids(body=fine.body_id) == {fine.pk}
    assert ids(category="video") == {fine.pk}
    assert ids(deadline_before=yesterday.isoformat(), status="forwarded") == {late.pk}
    assert api_client.get(url("suggestions", late.pk)).json()["overdue"] is True
    for params, field in (
        ({"overdue": "maybe"}, "overdue"),
        ({"category": "no-such-code"}, "category"),
        ({"deadline_before": "tomorrow"}, "deadline_before"),
        ({"body": "x"}, "body"),
    ):
        assert_error(api_client.get(url("suggestions"), params), 400, field=field)


def test_summary_by_body_and_district(api_client, meeting, route):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    SuggestionFactory.create_batch(
        2, meeting=meeting, body=route.body, deadline=yesterday, status="forwarded"
    )
    SuggestionFactory(meeting=meeting, body=None, status="not_competent")
    district = meeting.precinct.district

    body = api_client.get(url("suggestions") + "summary/", {"district": district.pk}).json()

    assert body["by_body"] == [
        {"id": route.body_id, "name": route.body.name, "open": 2, "overdue": 2},
        {"id": None, "name": "", "open": 1, "overdue": 0},
    ]
    assert body["by_district"] == [
        {"id": district.pk, "name": district.name, "open": 3, "overdue": 2}
    ]
    assert (
        api_client.get(url("suggestions") + "summary/", {"district": 999999}).json()["by_body"]
        == []
    )
    bad = api_client.get(url("suggestions") + "summary/", {"region": "x"})
    assert_error(bad, 400, field="region")


def test_history_and_summary_queries_do_not_grow(
    api_client, suggestion, django_assert_max_num_queries
):
    for n in range(20):
        suggestion_transition(
            suggestion=suggestion,
            to_status="forwarded" if n % 2 == 0 else "not_competent",
            comment=f"Шаг {n}",
            body=ResponsibleBodyFactory() if n % 2 == 0 and n else None,
        )
    with django_assert_max_num_queries(3):  # suggestion, count, events with users and bodies
        response = api_client.get(url("suggestions", suggestion.pk, "history"))
    assert response.json()["count"] == 21
    with django_assert_max_num_queries(2):
        api_client.get(url("suggestions") + "summary/")
