"""A district officer records a held report meeting with two residents' suggestions in the
registry, then sees the meeting counted and both suggestions, routed, on the district's
meetings dashboard."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting, Suggestion
from meetings.quarters import Quarter
from tests.factories import (
    CategoryFactory,
    InspectorFactory,
    MeetingFactory,
    PrecinctFactory,
    ResponsibleBodyFactory,
    RoutingRuleFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXTS = (
    "Установить освещение во дворе дома 12 по ул. Абая.",
    "Поставить камеры у школы №5 и на остановке.",
)


def test_record_a_held_meeting_with_two_suggestions_and_see_them_on_the_dashboard(
    page, live_server, admin_login
):
    inspector = InspectorFactory(precinct=PrecinctFactory(number=7))
    district = inspector.precinct.district
    started = timezone.localtime() - datetime.timedelta(hours=2)
    meeting = MeetingFactory(
        inspector=inspector,
        status=Meeting.Status.PLANNED,
        scheduled_at=started,
        held_at=None,
        attendees=None,
        minutes="",
    )
    lighting = CategoryFactory(code="lighting", name="Освещение")
    video = CategoryFactory(code="video", name="Видеонаблюдение")
    housing = ResponsibleBodyFactory(name="Отдел ЖКХ акимата района", district=district)
    police = ResponsibleBodyFactory(name="Районный отдел полиции", district=district)
    RoutingRuleFactory(category=lighting, district=district, body=housing, deadline_days=30)
    RoutingRuleFactory(category=video, district=district, body=police, deadline_days=15)
    admin_login()

    page.goto(f"{live_server.url}/admin/meetings/meeting/{meeting.pk}/change/")
    page.select_option("#id_status", "held")
    page.fill("#id_held_at_0", started.strftime("%d.%m.%Y"))
    page.fill("#id_held_at_1", started.strftime("%H:%M:%S"))
    page.fill("#id_attendees", "42")
    page.fill("#id_minutes", "Отчёт инспектора за квартал; жители задали вопросы.")
    add = page.locator("#suggestions-group .add-row a")
    for n, (text, category) in enumerate(zip(TEXTS, (lighting, video), strict=True)):
        add.click()
        page.fill(f"#id_suggestions-{n}-text", text)
        page.select_option(f"#id_suggestions-{n}-category", label=category.name)
    page.click("input[name=_save]")
    page.locator(".messagelist .success").wait_for(state="visible")

    meeting.refresh_from_db()
    assert (meeting.status, meeting.attendees) == (Meeting.Status.HELD, 42)
    bodies = {s.text: s.body for s in Suggestion.objects.filter(meeting=meeting)}
    assert bodies == {TEXTS[0]: housing, TEXTS[1]: police}

    page.goto(live_server.url + reverse("meetings:district-dashboard", args=[district.pk]))

    quarter = page.locator(f'[data-quarter="{Quarter.of(meeting.held_at)}"]')
    row = quarter.locator(f'tr[data-inspector="{inspector.pk}"]')
    assert row.get_attribute("data-state") == "held"
    assert "проведена" in row.inner_text()
    assert quarter.locator('[data-total="held"]').inner_text() == "1"
    listed = page.locator(".suggestion-list")
    for text in TEXTS:
        assert listed.get_by_text(text).is_visible()
    by_body = page.locator("[data-by-body]")
    assert "Отдел ЖКХ акимата района" in by_body.inner_text()
    assert "Районный отдел полиции" in by_body.inner_text()
