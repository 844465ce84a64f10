"""Versions of records for optimistic concurrency: the admin's hidden token and the API's ETag.

A record's version is its `updated_at` (TimeStampedModel), stored to the microsecond on
SQLite/SpatiaLite and PostgreSQL alike, and set by every save. Imports no app."""

from __future__ import annotations

import datetime
import hashlib

from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status

MSG_STALE = _(
    "Запись изменилась после того, как вы её прочитали (If-Match не совпадает с текущим ETag "
    "%(etag)s). Прочитайте запись заново и повторите изменение."
)


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _("Запись изменилась после того, как вы её прочитали.")
    default_code = "precondition_failed"


def versioned(model: type[models.Model]) -> bool:
    return any(f.name == "updated_at" for f in model._meta.concrete_fields)


def _token(model: type[models.Model], pk, updated_at: datetime.datetime | None) -> str:
    stamp = updated_at.isoformat() if updated_at is not None else ""
    return hashlib.sha256(f"{model._meta.label_lower}:{pk}:{stamp}".encode()).hexdigest()[:32]


def version_token(obj: models.Model) -> str | None:
    """The record's version as an opaque token; None for models without `updated_at`."""
    if not versioned(type(obj)):
        return None
    return _token(type(obj), obj.pk, obj.updated_at)


def current_version(
    model: type[models.Model], pk, *, lock: bool = False
) -> tuple[str | None, datetime.datetime | None]:
    """The stored record's token and `updated_at`, read from the database (locking the row
    until the end of the transaction with `lock`); (None, None) when it is gone."""
    if not versioned(model):
        return None, None
    # No joins (no related ordering either): FOR UPDATE locks this row only.
    rows = model._base_manager.filter(pk=pk).order_by()
    if lock:
        rows = rows.select_for_update()
    updated_at = rows.values_list("updated_at", flat=True).first()
    if updated_at is None:
        return None, None
    return _token(model, pk, updated_at), updated_at


def etag(obj: models.Model) -> str | None:
    """The strong ETag header value of a record's current version."""
    token = version_token(obj)
    return None if token is None else f'"{token}"'


def if_match_tokens(header: str | None) -> list[str] | None:
    """The entity tags of an If-Match header (quotes removed), ["*"] for any, None if absent."""
    if header is None or not header.strip():
        return None
    tags = []
    for part in header.split(","):
        part = part.strip()
        if part.startswith("W/"):
            part = part[2:]
        tags.append(part.strip('"'))
    return tags


def check_if_match(request, model: type[models.Model], pk, *, lock: bool = True) -> None:
    """412 when the request's If-Match names a version other than the stored one; a request
    without If-Match passes (documented). Locks the row for the rest of the transaction."""
    tags = if_match_tokens(request.headers.get("If-Match"))
    if tags is None or "*" in tags:
        return
    current, _updated = current_version(model, pk, lock=lock)
    if current is None or current not in tags:
        raise PreconditionFailed(MSG_STALE % {"etag": f'"{current}"' if current else "—"})
