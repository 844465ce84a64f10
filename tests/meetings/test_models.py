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
    MSG_HELD_WITHOUT_DATE,
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
