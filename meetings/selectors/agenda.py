"""What the agenda of a precinct's next quarterly report meeting needs from meetings."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.utils import timezone

from ..models import Meeting, Suggestion
from ..quarters import Quarter
from .meetings import next_planned_meeting
from .suggestions import suggestion_list


@dataclass
class MeetingFigures:
    held: int
    attendees: int
    cancelled: int


@dataclass
class PrecinctAgenda:
    """The next report meeting (or None), the quarter it falls in, what was raised in the
    quarter before with what became of it, older suggestions still open, and meeting figures
    for the last four quarters."""

    meeting: Meeting | None
    quarter: Quarter
    previous: Quarter
    raised: list[Suggestion]
    still_open: list[Suggestion]
    year: MeetingFigures
    since: datetime.date


def precinct_agenda(*, precinct_id: int, today: datetime.date | None = None) -> PrecinctAgenda:
    """The agenda's contents for a precinct, in six queries."""
    today = today or timezone.localdate()
    meeting = next_planned_meeting(precinct_id=precinct_id, kind=Meeting.Kind.QUARTERLY_REPORT)
    quarter = Quarter.of(meeting.scheduled_at) if meeting else Quarter.of(today)
    previous = quarter.previous()
    suggestions = (
        suggestion_list(today=today)
        .filter(meeting__precinct_id=precinct_id)
        .select_related("merged_into")
        .order_by("meeting__held_at", "pk")
    )
    raised = list(
        suggestions.filter(
            meeting__status=Meeting.Status.HELD,
            meeting__held_at__gte=previous.start,
            meeting__held_at__lt=previous.end,
        )
    )
    still_open = list(
        suggestions.filter(status__in=Suggestion.OPEN, meeting__held_at__lt=previous.start)
    )
    since = quarter.shift(-4)
    held = Q(status=Meeting.Status.HELD, held_at__gte=since.start, held_at__lt=quarter.start)
    cancelled = Q(
        status=Meeting.Status.CANCELLED,
        scheduled_at__gte=since.start,
        scheduled_at__lt=quarter.start,
    )
    figures = Meeting.objects.filter(precinct_id=precinct_id).aggregate(
        held=Count("pk", filter=held),
        attendees=Sum("attendees", filter=held),
        cancelled=Count("pk", filter=cancelled),
    )
    return PrecinctAgenda(
        meeting=meeting,
        quarter=quarter,
        previous=previous,
        raised=raised,
        still_open=still_open,
        year=MeetingFigures(
            held=figures["held"],
            attendees=figures["attendees"] or 0,
            cancelled=figures["cancelled"],
        ),
        since=since.first_day,
    )
