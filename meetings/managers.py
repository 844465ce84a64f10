"""Named, reusable filters for meetings and suggestions."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import BooleanField, Case, Q, Value, When
from django.utils import timezone

from .quarters import Quarter

# Suggestions something is still to happen to; the others (resolved, rejected, merged) are closed.
OPEN_STATUSES = ("new", "forwarded", "in_progress", "not_competent")


def overdue_q(today: datetime.date) -> Q:
    """Past the deadline (a local date) and still open."""
    return Q(deadline__lt=today, status__in=OPEN_STATUSES)


class MeetingQuerySet(models.QuerySet):
    def in_quarter(self, quarter: Quarter) -> MeetingQuerySet:
        """Held meetings by the local day they were held, others by the day they were planned
        for (a quarter in local time, so 23:30 on 31 March counts for the first quarter)."""
        return self.filter(
            Q(held_at__gte=quarter.start, held_at__lt=quarter.end)
            | Q(held_at__isnull=True, scheduled_at__gte=quarter.start, scheduled_at__lt=quarter.end)
        )


class SuggestionQuerySet(models.QuerySet):
    def open(self) -> SuggestionQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today: datetime.date | None = None) -> SuggestionQuerySet:
        return self.filter(overdue_q(today or timezone.localdate()))

    def with_overdue(self, today: datetime.date | None = None) -> SuggestionQuerySet:
        """Annotated with an `overdue` flag as of `today` (local; default today)."""
        return self.annotate(
            overdue=Case(
                When(overdue_q(today or timezone.localdate()), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
