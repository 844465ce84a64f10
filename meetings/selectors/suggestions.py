"""Read functions for residents' suggestions: lists with the overdue flag, history, summaries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Prefetch, QuerySet
from django.utils import timezone

from servicepolice.i18n import localized

from ..managers import overdue_q
from ..models import Suggestion, SuggestionEvent

DISTRICT = "meeting__precinct__district"


def suggestion_list(*, today: datetime.date | None = None) -> QuerySet[Suggestion]:
    """Suggestions with meeting, category and body, an `overdue` flag as of `today` (local), and
    the suggestions merged into each (one more query for the whole page)."""
    today = today or timezone.localdate()
    return (
        Suggestion.objects.select_related("meeting", "category", "body")
        .prefetch_related(
            Prefetch("merged", queryset=Suggestion.objects.only("pk", "text", "merged_into_id"))
        )
        .with_overdue(today)
    )


def suggestion_history(*, suggestion_id: int) -> QuerySet[SuggestionEvent]:
    """A suggestion's events, oldest first, with who and which body."""
    return (
        SuggestionEvent.objects.filter(suggestion_id=suggestion_id)
        .select_related("user", "body")
        .order_by("at", "pk")
    )


def suggestion_declined_by(*, suggestion_id: int) -> int | None:
    """The body that last said the suggestion is not in its competence, or None."""
    return (
        SuggestionEvent.objects.filter(
            suggestion_id=suggestion_id, to_status=Suggestion.Status.NOT_COMPETENT
        )
        .order_by("-at", "-pk")
        .values_list("body_id", flat=True)
        .first()
    )


@dataclass
class Tally:
    """Open and overdue suggestions of one body or one district."""

    id: int | None
    name: str
    open: int
    overdue: int


def _tally(
    queryset: QuerySet[Suggestion], key: str, name: str, today: datetime.date
) -> list[Tally]:
    # The name in the active language (name_kk in Kazakh when filled, else the Russian name).
    rows = (
        queryset.filter(status__in=Suggestion.OPEN)
        .order_by()
        .values(key, name, f"{name}_kk")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=overdue_q(today)))
    )
    tallies = [
        Tally(row[key], localized(row, name) or "", row["open"], row["overdue"]) for row in rows
    ]
    # Most overdue first; the "no body yet" row (id None) after the bodies with the same count.
    tallies.sort(key=lambda t: (-t.overdue, -t.open, t.id is None, t.name))
    return tallies


def suggestions_in(
    *, district_id: int | None = None, region_id: int | None = None
) -> QuerySet[Suggestion]:
    """All suggestions, or those made in a district or a region."""
    queryset = Suggestion.objects.all()
    if district_id is not None:
        queryset = queryset.filter(**{f"{DISTRICT}_id": district_id})
    if region_id is not None:
        queryset = queryset.filter(**{f"{DISTRICT}__region_id": region_id})
    return queryset


def suggestion_tally_by_body(
    *,
    district_id: int | None = None,
    region_id: int | None = None,
    today: datetime.date | None = None,
) -> list[Tally]:
    """Open and overdue suggestions per responsible body (id None: not routed to anyone)."""
    queryset = suggestions_in(district_id=district_id, region_id=region_id)
    return _tally(queryset, "body_id", "body__name", today or timezone.localdate())


def suggestion_tally_by_district(
    *, region_id: int | None = None, today: datetime.date | None = None
) -> list[Tally]:
    """Open and overdue suggestions per district."""
    queryset = suggestions_in(region_id=region_id)
    return _tally(queryset, f"{DISTRICT}_id", f"{DISTRICT}__name", today or timezone.localdate())


def suggestions_open(
    *, district_id: int, today: datetime.date | None = None, limit: int = 200
) -> list[Suggestion]:
    """A district's open suggestions, overdue first, then by deadline and newest; with meeting,
    precinct, category and body (one query)."""
    today = today or timezone.localdate()
    rows = (
        suggestion_list(today=today)
        .filter(status__in=Suggestion.OPEN, **{f"{DISTRICT}_id": district_id})
        .select_related("meeting__precinct")
        .defer("meeting__precinct__geom")
        .prefetch_related(None)
        .order_by("-overdue", F("deadline").asc(nulls_last=True), "-created_at", "-pk")
    )
    return list(rows[:limit])
