"""Write functions for residents' suggestions: recording, routing, transitions, comments, merges.

Every change of status goes through `suggestion_transition` (or `suggestion_route` when a
re-route sends a suggestion back to "forwarded", or `suggestion_merge`), and every change is a
line in the suggestion's history: who, when, from which status to which, which body, why.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicepolice.db import validated_save

from ..models import MSG_BODY_INACTIVE, Meeting, ResponsibleBody, Suggestion, SuggestionEvent
from ..selectors import deadline_days_for, routing_rule_for, suggestion_declined_by

Status = Suggestion.Status

# From each status, where a transition may lead. Resolved, rejected and merged are final.
ALLOWED_TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.NEW: (Status.FORWARDED, Status.REJECTED),
    Status.FORWARDED: (Status.IN_PROGRESS, Status.RESOLVED, Status.REJECTED, Status.NOT_COMPETENT),
    Status.IN_PROGRESS: (Status.RESOLVED, Status.REJECTED, Status.NOT_COMPETENT),
    Status.NOT_COMPETENT: (Status.FORWARDED, Status.REJECTED),
    Status.RESOLVED: (),
    Status.REJECTED: (),
    Status.MERGED: (),
}

MSG_TRANSITION_NOT_ALLOWED = _(
    "Нельзя перевести предложение из статуса «%(current)s» в статус «%(target)s». "
    "Допустимо: %(allowed)s."
)
MSG_TRANSITION_FINAL = _(
    "Предложение в статусе «%(current)s»: это окончательный статус, он больше не меняется."
)
MSG_COMMENT_REQUIRED = _("Напишите комментарий: что сделано или почему меняется статус.")
MSG_COMMENT_EMPTY = _("Комментарий не может быть пустым.")
MSG_BODY_REQUIRED = _("Укажите исполнителя, которому направляется предложение.")
MSG_BODY_NOT_FORWARDING = _(
    "Исполнителя указывают, только когда предложение направляют (статус «%(forwarded)s»)."
)
MSG_BODY_DECLINED = _(
    "Исполнитель «%(body)s» уже ответил, что вопрос не в его компетенции: выберите другого."
)
MSG_BODY_OTHER_DISTRICT = _(
    "Исполнитель «%(body)s» работает в другом районе (%(district)s), а предложение — из "
    "района «%(own)s»."
)
MSG_ROUTE_CLOSED = _("Предложение закрыто («%(status)s»): перенаправить его нельзя.")
MSG_ROUTE_SAME = _("Предложение уже направлено исполнителю «%(body)s».")
MSG_BODY_BY_ROUTE = _(
    "Исполнитель меняется перенаправлением (с комментарием), чтобы это осталось в истории."
)
MSG_STATUS_BY_TRANSITION = _(
    "Статус предложения меняется только переходом (с комментарием), а объединение — объединением."
)
MSG_MERGE_NOTHING = _("Выберите предложения, которые нужно присоединить.")
MSG_MERGE_SELF = _("Нельзя присоединить предложение к самому себе.")
MSG_MERGE_OTHER_PRECINCT = _(
    "Объединять можно только предложения одного участка: №%(id)s сделано на другом участке."
)
MSG_MERGE_CLOSED = _(
    "Предложение №%(id)s уже закрыто («%(status)s»): объединять можно только открытые."
)
MSG_MERGED_NOTE = _("Присоединено к предложению №%(id)s.")
MSG_MERGED_TARGET_NOTE = _("Присоединено предложение №%(id)s: «%(text)s»")


def _choices_text(statuses: Iterable[str]) -> str:
    return ", ".join(f"«{Status(s).label}»" for s in statuses)


def _district_of(suggestion: Suggestion):
    """The district the suggestion was made in (through its meeting's precinct)."""
    return (
        Meeting.objects.filter(pk=suggestion.meeting_id)
        .values_list("precinct__district_id", "precinct__district__name")
        .first()
    ) or (None, "")


def _body_errors(suggestion: Suggestion, body: ResponsibleBody) -> list[ValidationError]:
    """Why the suggestion may not go to `body`: inactive, another district's, or the one that
    said it is not in its competence."""
    errors = []
    if not body.is_active:
        errors.append(
            ValidationError(MSG_BODY_INACTIVE, code="body_inactive", params={"body": body.name})
        )
    district_id, district_name = _district_of(suggestion)
    if body.district_id and body.district_id != district_id:
        errors.append(
            ValidationError(
                MSG_BODY_OTHER_DISTRICT,
                code="body_other_district",
                params={"body": body.name, "district": body.district, "own": district_name},
            )
        )
    if suggestion.status == Status.NOT_COMPETENT and body.pk == suggestion_declined_by(
        suggestion_id=suggestion.pk
    ):
        errors.append(
            ValidationError(MSG_BODY_DECLINED, code="body_declined", params={"body": body.name})
        )
    return errors


def suggestion_transition_check(
    *,
    suggestion: Suggestion,
    to_status: str,
    comment: str,
    body: ResponsibleBody | None = None,
) -> None:
    """Raise ValidationError ({"status"|"comment"|"body": [...]}) if the transition is not
    allowed from the suggestion's current status, lacks a comment, or names a body it may not
    go to. Reads only; the admin's forms call it to show errors before saving."""
    errors: dict[str, list[ValidationError]] = {}
    current = suggestion.status
    allowed = ALLOWED_TRANSITIONS[current]
    if to_status not in allowed:
        if not allowed:
            error = ValidationError(
                MSG_TRANSITION_FINAL,
                code="transition_final",
                params={"current": Status(current).label},
            )
        else:
            error = ValidationError(
                MSG_TRANSITION_NOT_ALLOWED,
                code="transition_not_allowed",
                params={
                    "current": Status(current).label,
                    "target": Status(to_status).label if to_status in Status.values else to_status,
                    "allowed": _choices_text(allowed),
                },
            )
        raise ValidationError({"status": [error]})
    if not (comment or "").strip():
        errors["comment"] = [ValidationError(MSG_COMMENT_REQUIRED, code="comment_required")]
    if to_status == Status.FORWARDED:
        target = body or suggestion.body
        if target is None:
            errors["body"] = [ValidationError(MSG_BODY_REQUIRED, code="body_required")]
        elif body_errors := _body_errors(suggestion, target):
            errors["body"] = body_errors
    elif body is not None:
        errors["body"] = [
            ValidationError(
                MSG_BODY_NOT_FORWARDING,
                code="body_not_forwarding",
                params={"forwarded": Status.FORWARDED.label},
            )
        ]
    if errors:
        raise ValidationError(errors)


def _lock(suggestion: Suggestion) -> Suggestion:
    """The stored row, locked until the transaction ends (a plain read on SQLite)."""
    return Suggestion.objects.select_for_update().get(pk=suggestion.pk)


def _record(
    suggestion: Suggestion,
    *,
    kind: str,
    from_status: str,
    user=None,
    body: ResponsibleBody | None = None,
    comment: str = "",
    at: datetime.datetime | None = None,
) -> SuggestionEvent:
    event = SuggestionEvent(
        suggestion=suggestion,
        kind=kind,
        at=at or timezone.now(),
        user=user if getattr(user, "is_authenticated", False) else None,
        from_status=from_status,
        to_status=suggestion.status,
        body=body,
        comment=comment.strip(),
    )
    return validated_save(event)


def _deadline(suggestion: Suggestion, body: ResponsibleBody, start: datetime.date):
    district_id, _name = _district_of(suggestion)
    days = deadline_days_for(
        body_id=body.pk, category_id=suggestion.category_id, district_id=district_id
    )
    return start + datetime.timedelta(days=days)


def _meeting_day(suggestion: Suggestion) -> datetime.date:
    meeting = suggestion.meeting
    return timezone.localdate(meeting.held_at or meeting.scheduled_at)


@transaction.atomic
def suggestion_save(
    *, suggestion: Suggestion, user=None, at: datetime.datetime | None = None
) -> Suggestion:
    """Record a new suggestion, or save edits to one.

    A new one starts as "new" and is routed by the routing table (the district's own route for
    its category, else the default route): the body, and a deadline of the meeting's local date
    plus the route's days. A body given by hand is kept, with its route's deadline. `at` dates
    the "recorded" line of the history (default now).
    Edits never change the status, the merge or the body: those go through
    `suggestion_transition`, `suggestion_merge` and `suggestion_route`, which keep the history.
    """
    if suggestion.pk is None:
        suggestion.status = Status.NEW
        suggestion.merged_into = None
        suggestion.clean()  # the meeting must be held before we route by its district
        if suggestion.body_id is None:
            district_id, _name = _district_of(suggestion)
            rule = routing_rule_for(category_id=suggestion.category_id, district_id=district_id)
            if rule is not None:
                suggestion.body = rule.body
                if suggestion.deadline is None:
                    suggestion.deadline = _meeting_day(suggestion) + datetime.timedelta(
                        days=rule.deadline_days
                    )
        else:
            body_errors = _body_errors(suggestion, suggestion.body)
            if body_errors:
                raise ValidationError({"body": body_errors})
            if suggestion.deadline is None:
                suggestion.deadline = _deadline(
                    suggestion, suggestion.body, _meeting_day(suggestion)
                )
        validated_save(suggestion)
        _record(
            suggestion,
            kind=SuggestionEvent.Kind.CREATED,
            from_status="",
            user=user,
            body=suggestion.body,
            at=at,
        )
        return suggestion

    stored = _lock(suggestion)
    if (suggestion.status, suggestion.merged_into_id) != (stored.status, stored.merged_into_id):
        raise ValidationError(
            {"status": [ValidationError(MSG_STATUS_BY_TRANSITION, code="status_read_only")]}
        )
    if suggestion.body_id != stored.body_id:
        raise ValidationError({"body": [ValidationError(MSG_BODY_BY_ROUTE, code="body_read_only")]})
    return validated_save(suggestion)


def suggestion_route_check(
    *, suggestion: Suggestion, body: ResponsibleBody | None, comment: str = ""
) -> None:
    """Raise ValidationError ({"body"|"comment": [...]}) unless the stored suggestion may be
    re-routed to `body`: it is open, the body is another active one serving its district and not
    the one that declined it; one "in progress" or "not in competence" needs a comment, since it
    goes back to "forwarded". Reads only."""
    if suggestion.status in Suggestion.CLOSED:
        raise ValidationError(
            {
                "body": [
                    ValidationError(
                        MSG_ROUTE_CLOSED,
                        code="route_closed",
                        params={"status": Status(suggestion.status).label},
                    )
                ]
            }
        )
    errors: dict[str, list[ValidationError]] = {}
    if body is None:
        errors["body"] = [ValidationError(MSG_BODY_REQUIRED, code="body_required")]
    elif body.pk == suggestion.body_id:
        errors["body"] = [
            ValidationError(MSG_ROUTE_SAME, code="route_same", params={"body": body.name})
        ]
    elif body_errors := _body_errors(suggestion, body):
        errors["body"] = body_errors
    if suggestion.status in (Status.IN_PROGRESS, Status.NOT_COMPETENT) and not comment.strip():
        errors["comment"] = [ValidationError(MSG_COMMENT_REQUIRED, code="comment_required")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def suggestion_route(
    *,
    suggestion: Suggestion,
    body: ResponsibleBody,
    comment: str = "",
    user=None,
    at: datetime.datetime | None = None,
) -> Suggestion:
    """Re-route an open suggestion to another body by hand, with a new deadline counted from
    the day of the re-route (`at`, default now). One "in progress" or "not in competence" goes
    back to "forwarded": the new body has not started on it."""
    locked = _lock(suggestion)
    suggestion_route_check(suggestion=locked, body=body, comment=comment)
    at = at or timezone.now()
    from_status = locked.status
    if from_status in (Status.IN_PROGRESS, Status.NOT_COMPETENT):
        locked.status = Status.FORWARDED
    locked.body = body
    locked.deadline = _deadline(locked, body, timezone.localdate(at))
    validated_save(locked)
    _record(
        locked,
        kind=SuggestionEvent.Kind.ROUTED,
        from_status=from_status,
        user=user,
        body=body,
        comment=comment,
        at=at,
    )
    return locked


@transaction.atomic
def suggestion_transition(
    *,
    suggestion: Suggestion,
    to_status: str,
    comment: str,
    user=None,
    body: ResponsibleBody | None = None,
    at: datetime.datetime | None = None,
) -> Suggestion:
    """Move a suggestion to another status, with a required comment, if the move is allowed
    (ALLOWED_TRANSITIONS); refuse anything else with a ValidationError naming the field.

    - forwarded: to `body` (or the body it was routed to); a new body, or a re-forward after
      "not in competence", gets a new deadline counted from the day of the transition;
    - not in competence: the body that declined is kept in the history and the suggestion waits,
      without a body, to be forwarded to another one;
    - resolved or rejected: the comment becomes the result and the day the decision date.
    `at` (default now) dates the transition, for records entered after the fact.
    """
    locked = _lock(suggestion)
    suggestion_transition_check(suggestion=locked, to_status=to_status, comment=comment, body=body)
    at = at or timezone.now()
    day = timezone.localdate(at)
    from_status = locked.status
    event_body = locked.body
    if to_status == Status.FORWARDED:
        target = body or locked.body
        if (
            target.pk != locked.body_id
            or from_status == Status.NOT_COMPETENT
            or not locked.deadline
        ):
            locked.deadline = _deadline(locked, target, day)
        locked.body = event_body = target
    elif to_status == Status.NOT_COMPETENT:
        locked.body = None
    elif to_status in (Status.RESOLVED, Status.REJECTED):
        locked.resolution = comment.strip()
        locked.resolved_on = day
    locked.status = to_status
    validated_save(locked)
    _record(
        locked,
        kind=SuggestionEvent.Kind.TRANSITION,
        from_status=from_status,
        user=user,
        body=event_body,
        comment=comment,
        at=at,
    )
    return locked


@transaction.atomic
def suggestion_comment(
    *, suggestion: Suggestion, comment: str, user=None, at: datetime.datetime | None = None
) -> SuggestionEvent:
    """Add a comment to a suggestion's history without changing anything else."""
    if not (comment or "").strip():
        raise ValidationError(
            {"comment": [ValidationError(MSG_COMMENT_EMPTY, code="comment_empty")]}
        )
    locked = _lock(suggestion)
    return _record(
        locked,
        kind=SuggestionEvent.Kind.COMMENT,
        from_status=locked.status,
        user=user,
        body=locked.body,
        comment=comment,
        at=at,
    )


@transaction.atomic
def suggestion_merge(
    *,
    target: Suggestion,
    suggestions: Iterable[Suggestion],
    comment: str = "",
    user=None,
    at: datetime.datetime | None = None,
) -> Suggestion:
    """Merge similar suggestions of the same precinct into `target`: each keeps its own text
    and becomes "merged" with a link to the target, which carries on for all of them. Only open
    suggestions merge; what had been merged into a merged one now points to the target."""
    locked = _lock(target)
    others = list({s.pk: _lock(s) for s in suggestions}.values())
    precinct_of = dict(
        Suggestion.objects.filter(pk__in=[locked.pk, *[s.pk for s in others]]).values_list(
            "pk", "meeting__precinct_id"
        )
    )
    errors = []
    if not others:
        errors.append(ValidationError(MSG_MERGE_NOTHING, code="merge_nothing"))
    if any(other.pk == locked.pk for other in others):
        errors.append(ValidationError(MSG_MERGE_SELF, code="merge_self"))
    for suggestion in [locked, *(o for o in others if o.pk != locked.pk)]:
        if suggestion.status in Suggestion.CLOSED:
            errors.append(
                ValidationError(
                    MSG_MERGE_CLOSED,
                    code="merge_closed",
                    params={"id": suggestion.pk, "status": Status(suggestion.status).label},
                )
            )
        elif precinct_of[suggestion.pk] != precinct_of[locked.pk]:
            errors.append(
                ValidationError(
                    MSG_MERGE_OTHER_PRECINCT,
                    code="merge_other_precinct",
                    params={"id": suggestion.pk},
                )
            )
    if errors:
        raise ValidationError({"suggestions": errors})
    at = at or timezone.now()
    for other in others:
        # Row by row, not `.update()`: each re-pointed suggestion gets its audit history line.
        for earlier in Suggestion.objects.filter(merged_into=other):
            earlier.merged_into = locked
            earlier.save(update_fields=["merged_into", "updated_at"])
        from_status = other.status
        other.status = Status.MERGED
        other.merged_into = locked
        validated_save(other)
        _record(
            other,
            kind=SuggestionEvent.Kind.MERGED,
            from_status=from_status,
            user=user,
            body=other.body,
            comment=comment or str(MSG_MERGED_NOTE % {"id": locked.pk}),
            at=at,
        )
        _record(
            locked,
            kind=SuggestionEvent.Kind.MERGED,
            from_status=locked.status,
            user=user,
            body=locked.body,
            comment=str(MSG_MERGED_TARGET_NOTE % {"id": other.pk, "text": other.text[:200]}),
            at=at,
        )
    return locked
