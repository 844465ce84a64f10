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
    """Inspectors with precinct, district, region and station loaded in the same query (their
    boundaries left in the database: a page of 50 would otherwise carry 150 outlines)."""
    return (
        Inspector.objects.select_related("precinct__district__region", "station")
        .defer("precinct__geom", "precinct__district__geom", "precinct__district__region__geom")
        .prefetch_related("assistants")
    )


def inspector_rows() -> QuerySet[Inspector]:
    """Inspectors alone, their precinct and station as ids: what a JSON page of them shows."""
    return Inspector.objects.all()
