"""The admin's view of the audit history: every version with who, when, through which door
and what changed, on each record's "History" page; nothing there edits or restores."""

from __future__ import annotations

import dataclasses

from django import http
from django.contrib.admin.utils import unquote
from django.contrib.gis.db.models import GeometryField
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.text import capfirst
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from .history import MSG_GEOMETRY_CHANGED


class AuditRecordContextHelper(HistoricalRecordContextHelper):
    """Diff lines for the admin: a geometry is "changed", not two screens of coordinates."""

    def format_delta_change(self, change):
        field = self.model._meta.get_field(change.field)
        if isinstance(field, GeometryField):
            return dataclasses.replace(
                change, field=capfirst(field.verbose_name), old="", new=MSG_GEOMETRY_CHANGED
            )
        return super().format_delta_change(change)


class AuditHistoryAdmin(SimpleHistoryAdmin):
    """History page on every record; versions are listed with their diffs and never restored
    (`SIMPLE_HISTORY_REVERT_DISABLED`; the per-version form that could save is closed)."""

    object_history_list_template = "admin/audit_history_list.html"

    def get_historical_record_context_helper(self, request, historical_record):
        return AuditRecordContextHelper(self.model, historical_record)

    def history_view(self, request, object_id, extra_context=None):
        pk = unquote(object_id)
        in_scope = self.get_queryset(request).filter(pk=pk).exists()
        if not in_scope:
            # A record the user's queryset hides must not leak through its history; the history
            # of a deleted record is for superusers (its scope can no longer be decided).
            if self.model._default_manager.filter(pk=pk).exists():
                raise http.Http404
            if not request.user.is_superuser:
                raise PermissionDenied
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied
        opts = self.model._meta
        return redirect(
            reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_history",
                args=[object_id],
            )
        )

    def revert_disabled(self, request, obj=None) -> bool:
        return True
