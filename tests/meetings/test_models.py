"""Meeting lifecycle rules and the inspector-serves-precinct rule."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from meetings.models import (
    MSG_ATTENDEES_NEGATIVE,
    MSG_CANCELLED_WITHOUT_REASON,
    MSG_HELD_AT_NOT_HELD,
    MSG_HELD_IN_FUTURE,
    MSG_HELD_IS_FINAL,
    MSG_HELD_WITHOUT_ATTENDEES,
    MSG_HELD_WITHOUT_DATE,
    MSG_MEETING_NOT_HELD,
    Meeting,
)
from meetings.services import meeting_save, suggestion_save
from officers.services import inspector_save
from tests.factories import InspectorFactory, MeetingFactory, PrecinctFactory, SuggestionFactory
from tests.helpers import codes, messages

pytestmark = pytest.mark.django_db

NOW = timezone.now


def rejected(meeting: Meeting) -> ValidationError:
    with pytest.raises(ValidationError) as exc:
        meeting_save(meeting=meeting)
    assert Meeting.objects.count() == 0
    return exc.value


def test_held_meeting_is_saved(inspector):
    meeting = meeting_save(
        meeting=MeetingFactory.build(inspector=inspector, precinct=inspector.precinct)
    )
    assert meeting.pk
    assert "отчётная встреча" in str(meeting)


def test_held_at_cannot_be_in_the_future(inspector):
    soon = NOW() + datetime.timedelta(hours=2)
    error = rejected(
        MeetingFactory.build(
            inspector=inspector, precinct=inspector.precinct, scheduled_at=soon, held_at=soon
        )
    )
    assert messages(error, "held_at") == [str(MSG_HELD_IN_FUTURE)]


def test_held_meeting_needs_held_at(inspector):
    error = rejected(
        MeetingFactory.build(inspector=inspector, precinct=inspector.precinct, held_at=None)
    )
    assert messages(error, "held_at") == [str(MSG_HELD_WITHOUT_DATE)]


def test_planned_meeting_has_no_held_at(inspector):
    error = rejected(
        MeetingFactory.build(
            inspector=inspector, precinct=inspector.precinct, status=Meeting.Status.PLANNED
        )
    )
    assert messages(error, "held_at") == [str(MSG_HELD_AT_NOT_HELD)]


def test_cancelled_meeting_needs_a_reason(inspector):
    error = rejected(
        MeetingFactory.build(
            inspector=inspector,
            precinct=inspector.precinct,
            status=Meeting.Status.CANCELLED,
            held_at=None,
            cancel_reason="   ",
        )
    )
    assert messages(error, "cancel_reason") == [str(MSG_CANCELLED_WITHOUT_REASON)]


def test_attendees_not_negative(inspector):
    error = rejected(
        MeetingFactory.build(inspector=inspector, precinct=inspector.precinct, attendees=-1)
    )
    assert str(MSG_ATTENDEES_NEGATIVE) in messages(error, "attendees")


def test_inspector_must_serve_the_precinct(inspector):
    other = PrecinctFactory(district=inspector.precinct.district)
    error = rejected(MeetingFactory.build(inspector=inspector, precinct=other))
    assert codes(error, "inspector") == ["inspector_not_serving"]
    assert inspector.last_name in messages(error, "inspector")[0]


def test_inspector_who_served_then_may_report_a_past_meeting(inspector):
    old_precinct = inspector.precinct
    inspector.precinct = PrecinctFactory(district=old_precinct.district)
    inspector_save(inspector=inspector, on=timezone.localdate() - datetime.timedelta(days=5))
    held = NOW() - datetime.timedelta(days=30)
    meeting_save(
        meeting=MeetingFactory.build(
            inspector=inspector, precinct=old_precinct, scheduled_at=held, held_at=held
        )
    )
    recent = NOW() - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        meeting_save(
            meeting=MeetingFactory.build(
                inspector=inspector, precinct=old_precinct, scheduled_at=recent, held_at=recent
            )
        )
    assert codes(exc.value, "inspector") == ["inspector_not_serving"]
    assert Meeting.objects.count() == 1


def test_inspector_appointed_later_cannot_have_held_an_earlier_meeting(precinct):
    inspector = InspectorFactory(
        precinct=precinct, appointed_on=timezone.localdate() - datetime.timedelta(days=3)
    )
    long_ago = NOW() - datetime.timedelta(days=60)
    error = rejected(
        MeetingFactory.build(
            inspector=inspector, precinct=precinct, scheduled_at=long_ago, held_at=long_ago
        )
    )
    assert codes(error, "inspector") == ["inspector_not_serving"]


@pytest.mark.parametrize(
    "fields",
    [
        {"status": "held", "held_at": None},
        {"status": "cancelled", "held_at": None, "cancel_reason": ""},
        {"attendees": -5},
    ],
)
def test_database_checks_back_the_meeting_rules(inspector, fields):
    values = {
        "precinct": inspector.precinct,
        "inspector": inspector,
        "scheduled_at": NOW(),
        "held_at": NOW(),
        "place": "школа №5",
        "status": "held",
        "attendees": 10,
    }
    values.update(fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(**values)


def test_suggestion_saved_with_meeting():
    suggestion = suggestion_save(suggestion=SuggestionFactory.build(meeting=MeetingFactory()))
    assert suggestion.status == "new"
    assert str(suggestion).startswith("Установить освещение")


# --- Lifecycle: planned → held or cancelled; held stays held -----------------------------------


def test_held_meeting_cannot_go_back_to_planned_or_cancelled(inspector):
    meeting = MeetingFactory(inspector=inspector)
    for status, fields in (
        (Meeting.Status.PLANNED, {"held_at": None}),
        (Meeting.Status.CANCELLED, {"held_at": None, "cancel_reason": "Передумали"}),
    ):
        meeting.status = status
        for name, value in fields.items():
            setattr(meeting, name, value)
        with pytest.raises(ValidationError) as exc:
            meeting_save(meeting=meeting)
        assert codes(exc.value, "status") == ["held_is_final"]
        assert messages(exc.value, "status") == [
            str(MSG_HELD_IS_FINAL % {"status": meeting.get_status_display()})
        ]
        meeting.refresh_from_db()
        assert meeting.status == Meeting.Status.HELD


def test_planned_meeting_is_held_with_attendance_and_minutes(inspector):
    soon = NOW() - datetime.timedelta(hours=3)
    meeting = MeetingFactory(
        inspector=inspector,
        status=Meeting.Status.PLANNED,
        scheduled_at=soon,
        held_at=None,
        attendees=None,
        minutes="",
    )
    meeting.status, meeting.held_at = Meeting.Status.HELD, soon
    with pytest.raises(ValidationError) as exc:
        meeting_save(meeting=meeting)
    assert messages(exc.value, "attendees") == [str(MSG_HELD_WITHOUT_ATTENDEES)]
    meeting.attendees, meeting.minutes = 37, "Отчёт инспектора; вопросы жителей."
    meeting_save(meeting=meeting)
    meeting.refresh_from_db()
    assert (meeting.status, meeting.attendees) == (Meeting.Status.HELD, 37)


def test_cancelled_meeting_may_be_planned_again(inspector):
    later = NOW() + datetime.timedelta(days=3)
    meeting = MeetingFactory(
        inspector=inspector,
        status=Meeting.Status.CANCELLED,
        cancel_reason="Буран",
        scheduled_at=later,
        held_at=None,
    )
    meeting.status = Meeting.Status.PLANNED
    meeting_save(meeting=meeting)
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.PLANNED


def test_suggestions_are_recorded_at_held_meetings_only(inspector):
    planned = MeetingFactory(
        inspector=inspector,
        status=Meeting.Status.PLANNED,
        scheduled_at=NOW() + datetime.timedelta(days=2),
        held_at=None,
    )
    with pytest.raises(ValidationError) as exc:
        suggestion_save(suggestion=SuggestionFactory.build(meeting=planned))
    assert codes(exc.value, "meeting") == ["meeting_not_held"]
    assert messages(exc.value, "meeting") == [
        str(MSG_MEETING_NOT_HELD % {"status": planned.get_status_display()})
    ]
