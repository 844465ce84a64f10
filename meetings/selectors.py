"""Read functions for meetings and suggestions."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from .models import Meeting, Suggestion


def meeting_list() -> QuerySet[Meeting]:
    return Meeting.objects.select_related("precinct", "inspector")


def suggestion_list() -> QuerySet[Suggestion]:
    return Suggestion.objects.select_related("meeting")


def next_planned_meeting(*, precinct_id: int) -> Meeting | None:
    """The precinct's next planned meeting from now on, or None."""
    return (
        Meeting.objects.filter(
            precinct_id=precinct_id,
            status=Meeting.Status.PLANNED,
            scheduled_at__gte=timezone.now(),
        )
        .order_by("scheduled_at")
        .first()
    )
