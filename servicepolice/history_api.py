"""`GET /api/v1/<resource>/{id}/history/`: a record's audit history, newest first, paged.

Who may read it: a logged-in user who may read the record (the viewset's own `get_object()`,
so its queryset's scoping applies). Private fields appear in the diffs only for users who may
see them (`can_view_private`); geometry changes are reported, not dumped.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.decorators import action

from .history import record_changes
from .permissions import can_view_private

ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
MSG_HISTORY_LOGIN = _("История изменений доступна только после входа в систему.")


class HistoryChangeSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="Model field name.")
    label = serializers.CharField(help_text="The field's name as the registry shows it.")
    old = serializers.JSONField(
        allow_null=True, help_text="Value before (null on creation and for geometry)."
    )
    new = serializers.JSONField(allow_null=True, help_text="Value after (null for geometry).")
    geometry = serializers.BooleanField(
        help_text="True when this is a geometry that changed (values are not given)."
    )


class HistoryEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    at = serializers.DateTimeField()
    action = serializers.ChoiceField(choices=sorted(ACTIONS.values()))
    door = serializers.CharField(help_text="admin, api, import, command or web.")
    door_label = serializers.CharField()
    user = serializers.CharField(allow_null=True, help_text="Username of who made the change.")
    changes = HistoryChangeSerializer(many=True)


def history_entries(records: list, older, *, hidden: set[str]) -> list[dict]:
    """Entries for `records` (newest first); `older` is the record before the last one, if any,
    so the oldest entry of a page still gets its diff."""
    entries = []
    chain = [*records, older]
    for record, previous in zip(records, chain[1:], strict=True):
        user = record.history_user
        entries.append(
            {
                "id": record.history_id,
                "at": record.history_date,
                "action": ACTIONS[record.history_type],
                "door": record.history_door,
                "door_label": str(record.get_history_door_display()),
                "user": user.get_username() if user is not None else None,
                "changes": record_changes(record, previous, hidden=hidden),
            }
        )
    return entries


class AuditHistoryMixin:
    """Adds the `history` action to a registry viewset. `history_private_fields` names the
    fields only users allowed to see private data get in diffs."""

    history_private_fields: tuple[str, ...] = ()

    def audit_history_response(self, request):
        if not request.user.is_authenticated:
            raise exceptions.NotAuthenticated(MSG_HISTORY_LOGIN)
        obj = self.get_object()
        model = type(obj)
        hidden = (
            set()
            if can_view_private(request.user, model, obj)
            else set(self.history_private_fields)
        )
        records = obj.history.select_related("history_user").order_by(
            "-history_date", "-history_id"
        )
        paginator = self.paginator
        page = list(paginator.paginate_queryset(records, request, view=self))
        end = paginator.offset + len(page)
        older = next(iter(records[end : end + 1]), None) if page else None
        data = HistoryEntrySerializer(history_entries(page, older, hidden=hidden), many=True).data
        return paginator.get_paginated_response(data)

    @extend_schema(
        responses=HistoryEntrySerializer(many=True),
        description=(
            "The record's audit history, newest first: when, who, through which door (admin, "
            "api, import, command) and what changed. Needs a login; private fields only for "
            "users who may see them; geometry changes are flagged, not listed."
        ),
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def history(self, request, pk=None):
        """The record's audit history, newest first."""
        return self.audit_history_response(request)
