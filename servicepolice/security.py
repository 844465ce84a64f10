"""Hardening that is ours, not a library's (README, "Security"): personal data kept out of logs
and error reports, a cap on request bodies before they are read, and the answer to a login
that is locked out after repeated failures. Imports no app."""

from __future__ import annotations

import logging
import re

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.debug import SafeExceptionReporterFilter

# Fields whose values are personal data: never logged, never in error reports.
PERSONAL_FIELDS = ("personal_phone", "personnel_number", "phone", "service_phone", "password")
SCRUBBED = "[скрыто]"

# `personal_phone=...`, `"personnel_number": "..."`, `phone: ...` (in messages, reprs, JSON).
_FIELD_NAMES = "|".join(PERSONAL_FIELDS)
_KEYED = re.compile(
    rf"""(?P<key>["']?\b(?:{_FIELD_NAMES})\b["']?\s*[:=]\s*)"""
    r"""(?P<value>"[^"]*"|'[^']*'|[^\s,;&}\)]+)""",
    re.IGNORECASE,
)
# Kazakhstan phone numbers anywhere: +7 701 123 45 67, 8 (7222) 12-34-56, 87011234567.
_PHONE = re.compile(
    r"(?<![\w+])(?!\d{4}-\d{2}-\d{2})"  # not an ISO date ("2026-11-27 18:59" is a time)
    r"(?:\+7|8|7)?[\s\-]?\(?\d{3,4}\)?[\s\-]?\d{2,3}[\s\-]?\d{2}[\s\-]?\d{2}(?![\w:])"
)


def scrub(text: str) -> str:
    """The text with values of personal fields and phone-like numbers replaced."""
    text = _KEYED.sub(lambda m: m.group("key") + SCRUBBED, text)

    def phone(match: re.Match) -> str:
        digits = sum(ch.isdigit() for ch in match.group(0))
        return SCRUBBED if digits >= 10 else match.group(0)

    return _PHONE.sub(phone, text)


class PersonalDataFilter(logging.Filter):
    """Scrubs personal data from every record's message (arguments formatted first)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string still gets logged, scrubbed
            message = str(record.msg)
        cleaned = scrub(message)
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        return True


class PersonalDataExceptionReporterFilter(SafeExceptionReporterFilter):
    """Error reports (mail to ADMINS, the debug page) hide personal fields of any POST."""

    def get_post_parameters(self, request):
        params = super().get_post_parameters(request)
        if request is None or not params:
            return params
        personal = [name for name in params if any(f in name for f in PERSONAL_FIELDS)]
        if not personal:
            return params
        cleansed = params.copy()
        for name in personal:
            cleansed[name] = self.cleansed_substitute
        return cleansed


def _is_api(request) -> bool:
    return request.path_info.startswith("/api/")


class RequestBodyLimitMiddleware:
    """Refuses a request whose declared body exceeds REQUEST_MAX_BODY_BYTES with a 413 before
    anything reads it (file uploads are not covered by DATA_UPLOAD_MAX_MEMORY_SIZE)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.REQUEST_MAX_BODY_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            message = _(
                "Запрос слишком большой: %(size)s МБ при пределе %(limit)s МБ. Уменьшите файл "
                "или разделите его на части."
            ) % {"size": round(length / 2**20, 1), "limit": round(limit / 2**20, 1)}
            if _is_api(request):
                return JsonResponse(
                    {"message": message, "code": "payload_too_large", "extra": {}}, status=413
                )
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer once a login is locked out: the API's error shape for the token
    endpoint, a plain page for the admin login; 429 with Retry-After either way."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = _("Слишком много неудачных попыток входа. Вход заблокирован на %(minutes)s мин.") % {
        "minutes": minutes
    }
    if _is_api(request):
        response = JsonResponse({"message": message, "code": "locked_out", "extra": {}}, status=429)
    else:
        response = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response
