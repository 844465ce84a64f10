"""Finished list answers kept per process, for public overview layers (imports no app).

The national overview (every district, simplified) is the same bytes for every anonymous visitor
until a district or region changes, yet building 220 features through DRF took three times what
the database needs. `CachedListMixin` keeps the rendered body of anonymous JSON/GeoJSON list
requests, keyed by everything that can change it:

- the absolute URL (scheme, host, path, every query parameter: filters, paging, `simplify`,
  `format`; the paging links in the body are absolute);
- the negotiated media type (`Accept` may choose GeoJSON) and the active language (names);
- the version of the data: for each model in `cache_versions`, its table's version, which every
  committed write moves, whatever wrote it (PostgreSQL, servicepolice/table_versions.py); on
  SpatiaLite, its row count and latest `updated_at`, which every save through the ORM moves
  (TimeStampedModel: an insert moves the latest one, a delete the count), but not
  `QuerySet.update` or raw SQL. One query per request either way.

Signed-in users are never served from it, nor stored in it: their scope may hide rows
(servicepolice.permissions.readable), and staff may see more. Errors are not stored.
"""

from __future__ import annotations

from django.db import connection
from django.http import HttpResponse
from django.utils.translation import get_language

from servicepolice.lru import LRU
from servicepolice.table_versions import versions

MAX_ENTRIES = 64
MAX_BYTES = 32 * 1024 * 1024  # per process; the overview at one level is about 0.3 MB


# (body, content type) of each kept answer, sized by its body.
_store = LRU(MAX_BYTES, MAX_ENTRIES, size=lambda item: len(item[0]))


def response_cache_clear() -> None:
    """Forget every kept answer of this process (tests)."""
    _store.clear()


def data_version(models) -> tuple:
    """The versions of the models' tables (servicepolice/table_versions.py: every committed
    write moves them, `QuerySet.update` and raw SQL included); where those are not kept
    (SpatiaLite, inside a transaction), the row count and latest updated_at of each table.
    One query either way."""
    kept = versions(m._meta.db_table for m in models)
    if kept is not None:
        return kept
    quote = connection.ops.quote_name
    parts = ", ".join(
        f"(SELECT count(*) FROM {quote(m._meta.db_table)}), "
        f"(SELECT max({quote('updated_at')}) FROM {quote(m._meta.db_table)})"
        for m in models
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {parts}")
        return tuple(cursor.fetchone())


class CachedListMixin:
    """For a RegistryViewSet: anonymous JSON/GeoJSON lists answered from the process's store
    (see the module's docstring). `cache_versions`: the models whose rows the list shows."""

    cache_versions: tuple = ()
    cache_formats = ("json", "geojson")

    def _cache_key(self, request) -> tuple | None:
        renderer = getattr(request, "accepted_renderer", None)
        if (
            request.method != "GET"
            or request.user.is_authenticated
            or renderer is None
            or renderer.format not in self.cache_formats
        ):
            return None
        return (
            type(self).__qualname__,
            request.build_absolute_uri(),
            request.accepted_media_type,
            get_language(),
            data_version(self.cache_versions),
        )

    def list(self, request, *args, **kwargs):
        key = self._cache_key(request)
        if key is not None:
            kept = _store.get(key)
            if kept is not None:
                return HttpResponse(kept[0], content_type=kept[1])
        self._response_cache_key = key
        return super().list(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        key = getattr(self, "_response_cache_key", None)
        if key is not None and response.status_code == 200 and hasattr(response, "render"):
            response.render()
            _store.put(key, (response.content, response["Content-Type"]))
        return response
