"""Audit history of the registry (django-simple-history): who changed what, when, and through
which door (admin, API, import, command). Imports no app.

Every audited model declares `history = audit_history()`. The door is a context variable: the
`HistoryDoorMiddleware` sets it for admin and API requests, the imports of `exchange` wrap
their work in `door(Door.IMPORT)`, and anything outside a request (management commands, the
shell) is a command. Historical rows take it as a field default, so bulk paths
(`bulk_create_with_history`) record it too.
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.contrib.gis.db.models import GeometryField
from django.db import models
from django.db.models.fields.files import FieldFile
from django.urls import Resolver404, resolve
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Door(models.TextChoices):
    ADMIN = "admin", _("админка")
    API = "api", _("API")
    IMPORT = "import", _("импорт")
    COMMAND = "command", _("команда")
    WEB = "web", _("страницы сайта")


MSG_GEOMETRY_CHANGED = _("геометрия изменена")

_door: ContextVar[str | None] = ContextVar("history_door", default=None)


def current_door() -> str:
    """The door of the change being recorded; outside any request or import, a command."""
    return _door.get() or Door.COMMAND


@contextmanager
def door(value: str) -> Iterator[None]:
    """Record the changes made inside the block as coming through `value` (a `Door`)."""
    token = _door.set(value)
    try:
        yield
    finally:
        _door.reset(token)


class DoorHistoricalModel(models.Model):
    """The base of every historical model: adds the door to who/when/what."""

    history_door = models.CharField(
        _("источник изменения"),
        max_length=10,
        choices=Door.choices,
        default=current_door,
        editable=False,
    )

    class Meta:
        abstract = True


# Timestamps change on every save and say nothing the history date does not.
UNTRACKED_FIELDS = ["created_at", "updated_at"]


def audit_history(**kwargs: Any) -> HistoricalRecords:
    """The `HistoricalRecords` of an audited model (with the door, without timestamps)."""
    kwargs.setdefault("excluded_fields", UNTRACKED_FIELDS)
    return HistoricalRecords(bases=[DoorHistoricalModel], **kwargs)


def door_for_request(request) -> str:
    """The admin for the admin site's views, the API for DRF views, else the site's pages."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return Door.WEB
    if "admin" in match.namespaces:
        return Door.ADMIN
    from rest_framework.views import APIView

    view_class = getattr(match.func, "cls", None) or getattr(match.func, "view_class", None)
    if isinstance(view_class, type) and issubclass(view_class, APIView):
        return Door.API
    return Door.WEB


class HistoryDoorMiddleware:
    """Marks the history written during a request with its door (admin, API or pages)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with door(door_for_request(request)):
            return self.get_response(request)


def tracked_fields(record) -> list[models.Field]:
    """The model fields a historical record keeps (editable or not: a suggestion's result is
    set by a service, and its changes count too)."""
    return list(record.tracked_fields)


def _plain(value: Any) -> Any:
    """A diff value as JSON: dates as ISO text, decimals as text, files by name."""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or None
    return value


def record_changes(record, previous, *, hidden: Iterable[str] = ()) -> list[dict[str, Any]]:
    """What a historical record changed against the one before (None for a creation: every
    value it was created with). Geometry is reported as changed, not dumped; fields in
    `hidden` are left out altogether."""
    hidden = set(hidden)
    changes = []
    for field in tracked_fields(record):
        if field.name in hidden:
            continue
        new = getattr(record, field.attname)
        old = None if previous is None else getattr(previous, field.attname)
        if previous is not None and old == new:
            continue
        if previous is None and new in (None, ""):
            continue
        geometry = isinstance(field, GeometryField)
        changes.append(
            {
                "field": field.name,
                "label": str(field.verbose_name),
                "old": None if geometry else _plain(old),
                "new": None if geometry else _plain(new),
                "geometry": geometry,
            }
        )
    return changes
