"""Write functions for meetings."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from servicepolice.db import validated_save

from ..models import Meeting


@transaction.atomic
def meeting_save(*, meeting: Meeting) -> Meeting:
    """Save a meeting after checking its lifecycle (a held meeting stays held, a cancelled one
    has a reason, a held one its date and attendance) and that its inspector served the
    precinct that day. The stored row is locked first, so the check reads what is committed."""
    if meeting.pk:
        list(Meeting.objects.select_for_update().filter(pk=meeting.pk).values_list("pk"))
    return validated_save(meeting)


def meeting_create(**fields: Any) -> Meeting:
    return meeting_save(meeting=Meeting(**fields))
