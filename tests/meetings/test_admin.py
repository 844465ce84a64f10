"""The admin's suggestion pages call the same services: bulk actions (forward, resolve, reject,
merge) ask for a comment on an intermediate page; the change form moves the status, re-routes
and comments; filters find the overdue ones and those of a body."""

import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting, Suggestion, SuggestionEvent
from meetings.quarters import Quarter
from meetings.services import MSG_COMMENT_REQUIRED
from tests.factories import MeetingFactory, ResponsibleBodyFactory, SuggestionFactory
from tests.test_admin import form_data, form_errors

pytestmark = pytest.mark.django_db
S = Suggestion.Status
CHANGELIST = "admin:meetings_suggestion_changelist"


def act(client, action, suggestions, **fields):
    data = {"action": action, ACTION_CHECKBOX_NAME: [s.pk for s in suggestions], **fields}
    return client.post(reverse(CHANGELIST), data)


def test_forward_asks_for_a_comment_then_forwards(admin_client_logged, record, route, superuser):
    a, b = record("Фонари у дома 1"), record("Фонари у дома 2")

    page = act(admin_client_logged, "forward", [a, b])
    assert page.status_code == 200
    assert "Направить исполнителю" in page.content.decode()
    assert 'name="comment"' in page.content.decode()

    refused = act(admin_client_logged, "forward", [a, b], apply="1", comment=" ")
    assert str(MSG_COMMENT_REQUIRED) in refused.content.decode()
    assert set(Suggestion.objects.values_list("status", flat=True)) == {S.NEW}

    done = act(admin_client_logged, "forward", [a, b], apply="1", comment="Письмо №12")
    assert done.status_code == 302
    for suggestion in (a, b):
        suggestion.refresh_from_db()
        assert (suggestion.status, suggestion.body) == (S.FORWARDED, route.body)
        event = suggestion.events.last()
        assert (event.user, event.comment) == (superuser, "Письмо №12")


def test_resolve_with_a_comment_and_report_what_could_not_move(admin_client_logged, record, route):
    ready, fresh = record("Фонари у дома 1"), record("Фонари у дома 2")
    act(admin_client_logged, "forward", [ready], apply="1", comment="Направлено")

    response = act(
        admin_client_logged, "resolve", [ready, fresh], apply="1", comment="Установлено 4 фонаря"
    )

    ready.refresh_from_db()
    fresh.refresh_from_db()
    assert (ready.status, ready.resolution) == (S.RESOLVED, "Установлено 4 фонаря")
    assert ready.resolved_on == timezone.localdate()
    assert fresh.status == S.NEW  # new → resolved is not allowed: reported, not changed
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("Изменено 1 предложение" in m for m in messages)
    assert any(f"№{fresh.pk}" in m and "Нельзя перевести" in m for m in messages)


def test_merge_from_the_list(admin_client_logged, record, route):
    main, again = record("Фонари у дома 1"), record("Фонари у дома 1, повторно")
    page = act(admin_client_logged, "merge", [main, again])
    assert "Основное предложение" in page.content.decode()

    act(admin_client_logged, "merge", [main, again], apply="1", target=main.pk, comment="")

    again.refresh_from_db()
    assert (again.status, again.merged_into) == (S.MERGED, main)


def change(client, suggestion, **changes):
    url = reverse("admin:meetings_suggestion_change", args=[suggestion.pk])
    return client.post(url, form_data(client.get(url), **changes))


def test_the_change_form_moves_the_status_with_a_comment(admin_client_logged, record, route):
    suggestion = record()
    refused = change(admin_client_logged, suggestion, new_status=S.FORWARDED, comment="")
    assert form_errors(refused)["comment"] == [str(MSG_COMMENT_REQUIRED)]
    not_offered = change(admin_client_logged, suggestion, new_status=S.RESOLVED, comment="Да")
    assert "new_status" in form_errors(not_offered)

    response = change(admin_client_logged, suggestion, new_status=S.FORWARDED, comment="Письмо")

    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == S.FORWARDED
    assert suggestion.events.last().comment == "Письмо"


def test_changing_the_body_in_the_form_re_routes(admin_client_logged, record, route):
    suggestion = record()
    other = ResponsibleBodyFactory(name="ГКП «Горсвет»")

    response = change(admin_client_logged, suggestion, body=other.pk, comment="Это Горсвет")

    assert response.status_code == 302, form_errors(response)
    suggestion.refresh_from_db()
    assert suggestion.body == other
    event = suggestion.events.last()
    assert (event.kind, event.comment, event.body) == ("routed", "Это Горсвет", other)


def test_a_comment_alone_goes_to_the_history(admin_client_logged, record, route):
    suggestion = record()
    change(admin_client_logged, suggestion, comment="Позвонили заявителю")
    event = suggestion.events.last()
    assert (event.kind, event.comment) == (SuggestionEvent.Kind.COMMENT, "Позвонили заявителю")


def test_filters_for_overdue_and_by_body(admin_client_logged, held, route):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    late = SuggestionFactory(meeting=held, body=route.body, deadline=yesterday, status=S.FORWARDED)
    SuggestionFactory(meeting=held, body=route.body, deadline=yesterday, status=S.RESOLVED)
    other = SuggestionFactory(meeting=held, body=ResponsibleBodyFactory(), status=S.FORWARDED)

    def listed(**params):
        response = admin_client_logged.get(reverse(CHANGELIST), params)
        return {s.pk for s in response.context["cl"].result_list}

    assert listed(overdue="yes") == {late.pk}
    assert late.pk not in listed(overdue="no")
    assert listed(body__id__exact=other.body_id) == {other.pk}


def test_meetings_by_quarter(admin_client_logged, inspector):
    this = MeetingFactory(inspector=inspector)
    MeetingFactory(inspector=inspector, scheduled_at=timezone.now() - datetime.timedelta(days=400))
    response = admin_client_logged.get(
        reverse("admin:meetings_meeting_changelist"), {"quarter": str(Quarter.of(this.held_at))}
    )
    assert [m.pk for m in response.context["cl"].result_list] == [this.pk]


def test_a_held_meeting_links_its_report_and_the_next_agenda(admin_client_logged, held):
    html = admin_client_logged.get(
        reverse("admin:meetings_meeting_change", args=[held.pk])
    ).content.decode()
    assert reverse("meetings:report", args=[held.pk]) in html
    assert reverse("reach:agenda", args=[held.precinct_id]) in html
    planned = MeetingFactory(
        inspector=held.inspector,
        status=Meeting.Status.PLANNED,
        held_at=None,
        scheduled_at=timezone.now() + datetime.timedelta(days=3),
    )
    html = admin_client_logged.get(
        reverse("admin:meetings_meeting_change", args=[planned.pk])
    ).content.decode()
    assert reverse("meetings:report", args=[planned.pk]) not in html


def test_a_held_meeting_cannot_be_set_back_to_planned_in_the_admin(admin_client_logged, held):
    url = reverse("admin:meetings_meeting_change", args=[held.pk])
    page = admin_client_logged.get(url)
    response = admin_client_logged.post(
        url,
        form_data(page, status="planned", held_at_0=None, held_at_1=None),
    )
    assert response.status_code == 200
    assert "status" in form_errors(response)
    held.refresh_from_db()
    assert held.status == Meeting.Status.HELD
