"""Write functions for meetings and suggestions."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from servicepolice.db import validated_save

from .models import Meeting, Suggestion


@transaction.atomic
def meeting_save(*, meeting: Meeting) -> Meeting:
    """Save a meeting after checking its lifecycle and that its inspector served the precinct."""
    return validated_save(meeting)


def meeting_create(**fields: Any) -> Meeting:
    return meeting_save(meeting=Meeting(**fields))


@transaction.atomic
def suggestion_save(*, suggestion: Suggestion) -> Suggestion:
    return validated_save(suggestion)
