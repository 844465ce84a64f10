"""Read functions for meetings: lists, the next one, and a held meeting's report."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from ..models import Meeting, Suggestion


def meeting_list() -> QuerySet[Meeting]:
    # The answers show the precinct and inspector as ids: no joined rows.
    return Meeting.objects.all()


def next_planned_meeting(*, precinct_id: int, kind: str | None = None) -> Meeting | None:
    """The precinct's next planned meeting (of `kind`, if given) from now on, or None."""
    meetings = Meeting.objects.filter(
        precinct_id=precinct_id,
        status=Meeting.Status.PLANNED,
        scheduled_at__gte=timezone.now(),
    )
    if kind is not None:
        meetings = meetings.filter(kind=kind)
    return meetings.select_related("inspector").order_by("scheduled_at").first()


def meeting_report(*, meeting_id: int) -> Meeting | None:
    """A held meeting with its precinct, district, region, inspector and suggestions (each with
    category, body, and what was merged into it), in three queries; None if not held."""
    suggestions = (
        Suggestion.objects.select_related("category", "body", "merged_into")
        .prefetch_related(Prefetch("merged", queryset=Suggestion.objects.order_by("pk")))
        .order_by("pk")
    )
    return (
        Meeting.objects.filter(pk=meeting_id, status=Meeting.Status.HELD)
        .select_related("precinct__district__region", "inspector")
        .defer("precinct__geom", "precinct__district__geom", "precinct__district__region__geom")
        .prefetch_related(Prefetch("suggestions", queryset=suggestions))
        .first()
    )
