"""The meeting pages: the printable agenda of a precinct's next report meeting (last quarter's
suggestions with their outcomes, the precinct's figures), the printable report of a held
meeting, and the district dashboard (compliance, open and overdue suggestions by body)."""

import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting, Suggestion
from meetings.quarters import Quarter
from meetings.services import suggestion_merge, suggestion_save, suggestion_transition
from reach.services import coverage_recompute
from tests.factories import (
    InspectorFactory,
    MeetingFactory,
    PrecinctFactory,
    ResponsibleBodyFactory,
    SuggestionFactory,
)
from tests.helpers import nationwide
from tests.meetings.conftest import ALMATY

pytestmark = pytest.mark.django_db
S = Suggestion.Status


def at(day: datetime.date, hour: int = 18) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=ALMATY)


def no_inline_scripts(html: str) -> None:
    for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S):
        assert "src=" in attrs and body.strip() == "", attrs
    assert " style=" not in html


def record(meeting, text, **fields):
    return suggestion_save(suggestion=SuggestionFactory.build(meeting=meeting, text=text, **fields))


@pytest.fixture
def agenda_precinct(inspector, lighting):
    """A precinct whose next report meeting is planned in ten days; suggestions from the
    quarter before that meeting's (with every kind of outcome), an older open one, an older
    closed one, and one from another precinct."""
    precinct = inspector.precinct
    upcoming = MeetingFactory(
        inspector=inspector,
        status=Meeting.Status.PLANNED,
        scheduled_at=timezone.now() + datetime.timedelta(days=10),
        held_at=None,
        place="Актовый зал школы №17",
    )
    last = Quarter.of(upcoming.scheduled_at).previous()
    before = last.previous()
    last_meeting = MeetingFactory(
        inspector=inspector, scheduled_at=at(last.first_day + datetime.timedelta(days=20))
    )
    old_meeting = MeetingFactory(
        inspector=inspector, scheduled_at=at(before.first_day + datetime.timedelta(days=20))
    )
    done = record(last_meeting, "Фонари во дворе дома 5", category=lighting)
    for status, note in (("forwarded", "Направлено"), ("in_progress", "В работе")):
        done = suggestion_transition(suggestion=done, to_status=status, comment=note)
    done = suggestion_transition(suggestion=done, to_status=S.RESOLVED, comment="Фонари горят")
    refused = record(last_meeting, "Шлагбаум у школы", category=lighting)
    refused = suggestion_transition(
        suggestion=refused, to_status=S.REJECTED, comment="Территория частная"
    )
    waiting = record(last_meeting, "Камеры на остановке", category=lighting)
    waiting = suggestion_transition(suggestion=waiting, to_status=S.FORWARDED, comment="В ЖКХ")
    Suggestion.objects.filter(pk=waiting.pk).update(
        deadline=timezone.localdate() - datetime.timedelta(days=2)
    )
    repeated = record(last_meeting, "Камеры на остановке, снова", category=lighting)
    suggestion_merge(target=waiting, suggestions=[repeated])
    old_open = record(old_meeting, "Лежачий полицейский у школы", category=lighting)
    old_closed = record(old_meeting, "Секция бокса", category=lighting)
    suggestion_transition(suggestion=old_closed, to_status=S.REJECTED, comment="Нет зала")
    stranger = InspectorFactory(precinct=PrecinctFactory(district=precinct.district))
    elsewhere = MeetingFactory(
        inspector=stranger, scheduled_at=at(last.first_day + datetime.timedelta(days=21))
    )
    record(elsewhere, "Чужой участок: скамейки", category=lighting)
    return {
        "precinct": precinct,
        "upcoming": upcoming,
        "last": last,
        "done": done,
        "refused": refused,
        "waiting": waiting,
        "repeated": repeated,
        "old_open": old_open,
    }


def test_the_agenda_shows_last_quarters_suggestions_with_their_outcomes(client, agenda_precinct):
    a = agenda_precinct
    response = client.get(reverse("reach:agenda", args=[a["precinct"].pk]))

    assert response.status_code == 200
    html = response.content.decode()
    raised, _sep, rest = html.partition("Ранее поднятые вопросы")
    assert f"за {a['last'].label}" in raised
    assert "Актовый зал школы №17" in html
    for key in ("done", "refused", "waiting", "repeated"):
        assert f'data-suggestion="{a[key].pk}"' in raised, key
    assert "Фонари горят" in raised and "решено" in raised
    assert "Территория частная" in raised and "отклонено" in raised
    assert "направлено исполнителю" in raised and "просрочено" in raised
    assert f"объединено с предложением №{a['waiting'].pk}" in raised
    # Older suggestions: the open one is still on the agenda, the closed one is not.
    assert f'data-suggestion="{a["old_open"].pk}"' in rest
    assert "Секция бокса" not in html
    assert "Чужой участок" not in html
    no_inline_scripts(html)


def test_the_agenda_shows_the_precincts_figures(client, agenda_precinct):
    precinct = agenda_precinct["precinct"]
    coverage_recompute(district=precinct.district)
    html = client.get(reverse("reach:agenda", args=[precinct.pk])).content.decode()
    figures = html.split("data-figures", 1)[1].split("</dl>", 1)[0]
    assert "Население в зоне шаговой доступности полиции" in figures
    assert re.search(r"data-covered>[\d,]+ %<", figures)
    # Two report meetings were held in the four quarters before the agenda's.
    assert re.search(r"data-meetings-held>2 \(90 участников\)<", figures)


def test_an_agenda_without_a_planned_meeting_says_so(client, precinct):
    response = client.get(reverse("reach:agenda", args=[precinct.pk]))
    assert "дата ещё не назначена" in response.content.decode()
    assert client.get(reverse("reach:agenda", args=[999999])).status_code == 404


def test_the_agenda_queries_do_not_grow_with_rows(client, agenda_precinct, lighting):
    precinct = agenda_precinct["precinct"]
    url = reverse("reach:agenda", args=[precinct.pk])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    meeting = Suggestion.objects.get(pk=agenda_precinct["done"].pk).meeting
    for n in range(15):
        record(meeting, f"Ещё предложение {n}", category=lighting)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few) <= 12


def test_the_report_of_a_held_meeting(client, agenda_precinct):
    meeting = Suggestion.objects.get(pk=agenda_precinct["done"].pk).meeting
    response = client.get(reverse("meetings:report", args=[meeting.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Отчёт о встрече с населением" in html
    assert "data-attendees>45<" in html
    assert meeting.minutes in html
    assert "Фонари горят" in html and "Территория частная" in html
    repeated = agenda_precinct["repeated"]
    assert f"Присоединено №{repeated.pk}: «{repeated.text}»" in html
    no_inline_scripts(html)


def test_only_held_meetings_have_a_report(client, agenda_precinct):
    planned = agenda_precinct["upcoming"]
    assert client.get(reverse("meetings:report", args=[planned.pk])).status_code == 404
    assert client.get(reverse("meetings:report", args=[999999])).status_code == 404


def test_the_report_queries_do_not_grow_with_suggestions(client, held, lighting):
    url = reverse("meetings:report", args=[held.pk])
    record(held, "Первое", category=lighting)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(10):
        record(held, f"Ещё {n}", category=lighting)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few) <= 3


# --- The district dashboard ------------------------------------------------------------------


def viewer(django_user_model, username, *codenames):
    user = django_user_model.objects.create_user(username, password="x-password-1")
    for codename in codenames:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return nationwide(user)


def test_the_dashboard_needs_a_login_and_the_view_permission(client, district, django_user_model):
    url = reverse("meetings:district-dashboard", args=[district.pk])
    response = client.get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]
    client.force_login(viewer(django_user_model, "visitor"))
    assert client.get(url).status_code == 403
    client.force_login(viewer(django_user_model, "district-officer", "view_meeting"))
    assert client.get(url).status_code == 200
    assert client.get(reverse("meetings:district-dashboard", args=[999999])).status_code == 404


@pytest.fixture
def dashboard_district(district, lighting, settings):
    """This quarter: one inspector held the report meeting with two suggestions (one overdue),
    another planned it, a third has neither."""
    settings.MEETINGS_WARNING_DAYS = 100  # any open quarter is "almost over"
    quarter = Quarter.current()
    done, booked, idle = (
        InspectorFactory(precinct=PrecinctFactory(district=district, number=n)) for n in (1, 2, 3)
    )
    when = max(quarter.start, timezone.now() - datetime.timedelta(days=1))
    meeting = MeetingFactory(inspector=done, scheduled_at=when, held_at=when)
    MeetingFactory(
        inspector=booked,
        status=Meeting.Status.PLANNED,
        scheduled_at=quarter.end - datetime.timedelta(hours=1),
        held_at=None,
    )
    body = ResponsibleBodyFactory(name="Отдел ЖКХ акимата района")
    late = record(meeting, "Освещение на ул. Абая", category=lighting, body=body)
    Suggestion.objects.filter(pk=late.pk).update(
        deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    fresh = record(meeting, "Камеры у школы №5", category=lighting, body=body)
    return {
        "done": done,
        "booked": booked,
        "idle": idle,
        "body": body,
        "late": late,
        "fresh": fresh,
    }


def test_the_dashboard_shows_compliance_and_suggestions_by_body(
    client, district, superuser, dashboard_district
):
    d = dashboard_district
    client.force_login(superuser)
    html = client.get(reverse("meetings:district-dashboard", args=[district.pk])).content.decode()

    current = html.split(f'data-quarter="{Quarter.current()}"', 1)[1].split("</section>", 1)[0]
    assert re.search(rf'class="row-held" data-inspector="{d["done"].pk}"', current)
    assert re.search(rf'class="row-planned" data-inspector="{d["booked"].pk}"', current)
    assert re.search(rf'class="row-missing" data-inspector="{d["idle"].pk}"', current)
    assert f'data-quarter="{Quarter.current().previous()}"' in html
    risk = html.split("data-at-risk", 1)[1].split("</section>", 1)[0]
    assert f'data-risk-inspector="{d["idle"].pk}"' in risk
    assert d["done"].full_name not in risk
    by_body = html.split("data-by-body", 1)[1].split("</table>", 1)[0]
    row = by_body.split(f'data-body="{d["body"].pk}"', 1)[1].split("</tr>", 1)[0]
    assert "Отдел ЖКХ акимата района" in row
    assert re.findall(r'class="num[^"]*">(?:<a [^>]*>)?(\d+)', row) == ["2", "1"]
    assert f'data-suggestion="{d["late"].pk}" class="is-overdue"' in html
    assert f'data-suggestion="{d["fresh"].pk}"' in html
    assert html.index(d["late"].text) < html.index(d["fresh"].text)  # overdue first
    no_inline_scripts(html)


def test_the_dashboard_queries_do_not_grow_with_rows(client, district, superuser, lighting):
    client.force_login(superuser)
    url = reverse("meetings:district-dashboard", args=[district.pk])

    def grow(start: int, n: int):
        for number in range(start, start + n):
            inspector = InspectorFactory(precinct=PrecinctFactory(district=district, number=number))
            meeting = MeetingFactory(inspector=inspector)
            record(meeting, f"Предложение {number}", category=lighting)

    grow(1, 2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    grow(3, 12)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few) <= 10


def test_the_coverage_pages_link_the_meeting_pages(client, superuser, held):
    precinct_html = client.get(reverse("reach:precinct", args=[held.precinct_id])).content.decode()
    assert reverse("reach:agenda", args=[held.precinct_id]) in precinct_html
    assert reverse("meetings:report", args=[held.pk]) in precinct_html
    district = held.precinct.district
    dashboard = reverse("meetings:district-dashboard", args=[district.pk])
    assert (
        dashboard not in client.get(reverse("reach:district", args=[district.pk])).content.decode()
    )
    client.force_login(superuser)
    assert dashboard in client.get(reverse("reach:district", args=[district.pk])).content.decode()
