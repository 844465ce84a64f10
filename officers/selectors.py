"""Read functions for inspectors and their assignments."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet

from .models import Assignment, Inspector


def inspector_served_precinct(*, inspector_id: int, precinct_id: int, on: datetime.date) -> bool:
    """True when the inspector was assigned to the precinct on that date (history or today)."""
    return (
        Assignment.objects.filter(
            inspector_id=inspector_id, precinct_id=precinct_id, started_on__lte=on
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))
        .exists()
    )


def inspector_list() -> QuerySet[Inspector]:
    """Inspectors with precinct, district, region and station loaded in the same query."""
    return Inspector.objects.select_related(
        "precinct__district__region", "station"
    ).prefetch_related("assistants")
