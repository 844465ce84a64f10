"""Bilingual data: which stored name a reader sees. Imports no app.

Territories and routing data keep `name` (Russian, the source language) and `name_kk`. A page
or an API answer in Kazakh shows `name_kk` when it is filled; every other case (Russian,
English, an empty `name_kk`) shows the Russian `name`: there is no `name_en`, since place
names and state bodies keep their official Russian spelling for English readers.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language

# Languages with a stored name of their own, beside the Russian `name`.
NAME_LANGUAGES = ("kk",)


def active_name_language() -> str | None:
    """The active language if rows store a name in it (`name_<lang>`), else None."""
    language = (get_language() or "").split("-")[0]
    return language if language in NAME_LANGUAGES else None


def localized(obj: Any, field: str = "name") -> str:
    """obj.<field>_<lang> for the active language when filled, else obj.<field> (Russian).

    obj may be a model instance or a dict (a values() row)."""
    get = obj.get if isinstance(obj, dict) else lambda key, default=None: getattr(obj, key, default)
    language = active_name_language()
    if language:
        value = get(f"{field}_{language}", "")
        if value:
            return value
    return get(field, "")


class LocalizedNameMixin:
    """Models with `name` and `name_kk`: `display_name` and str() follow the active language."""

    @property
    def display_name(self) -> str:
        return localized(self)

    def __str__(self) -> str:
        return localized(self)
