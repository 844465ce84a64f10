"""Write functions for inspectors; the assignment history is written here and nowhere else."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from servicepolice.db import validated_save

from .models import MSG_CHANGE_BEFORE_ASSIGNMENT, Assignment, Assistant, Inspector


@transaction.atomic
def inspector_save(*, inspector: Inspector, on: datetime.date | None = None) -> Inspector:
    """Save an inspector; when the precinct changed, close the open assignment and open one.

    `on` is the date of the change (default: today in Asia/Almaty). A new inspector's first
    assignment starts on `appointed_on` when that is earlier. A dismissed inspector leaves
    their precinct (the open assignment is closed).
    """
    on = on or timezone.localdate()
    if inspector.status == Inspector.Status.DISMISSED:
        inspector.precinct = None
    previous_precinct_id = None
    if inspector.pk:
        previous_precinct_id = (
            Inspector.objects.select_for_update()
            .filter(pk=inspector.pk)
            .values_list("precinct_id", flat=True)
            .first()
        )
    is_new = inspector.pk is None
    validated_save(inspector)
    if not is_new and previous_precinct_id == inspector.precinct_id:
        return inspector
    open_assignment = Assignment.objects.filter(inspector=inspector, ended_on__isnull=True).first()
    if open_assignment is not None and on < open_assignment.started_on:
        raise ValidationError(
            MSG_CHANGE_BEFORE_ASSIGNMENT,
            code="change_before_assignment",
            params={"on": on, "started": open_assignment.started_on},
        )
    # Row by row, not `.update()`: each closed assignment gets its line in the audit history.
    for closing in Assignment.objects.filter(inspector=inspector, ended_on__isnull=True):
        closing.ended_on = on
        closing.save(update_fields=["ended_on", "updated_at"])
    if inspector.precinct_id:
        started_on = on
        if is_new and inspector.appointed_on and inspector.appointed_on < on:
            started_on = inspector.appointed_on
        Assignment.objects.create(
            inspector=inspector, precinct_id=inspector.precinct_id, started_on=started_on
        )
    return inspector


def inspector_create(*, on: datetime.date | None = None, **fields: Any) -> Inspector:
    return inspector_save(inspector=Inspector(**fields), on=on)


@transaction.atomic
def assistant_save(*, assistant: Assistant) -> Assistant:
    return validated_save(assistant)
