"""The user's interface language: stored per user, carried in the session while signed in."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser

from .models import LanguagePreference

# Session key the middleware reads; the session ends with the sign-out, the preference stays.
SESSION_KEY = "preferences.language"


def language_is_supported(language: str) -> bool:
    return language in dict(settings.LANGUAGES)


def language_preference_set(*, user: AbstractBaseUser, language: str) -> LanguagePreference:
    """Store the user's language (one of settings.LANGUAGES)."""
    if not language_is_supported(language):
        raise ValueError(f"unsupported language: {language!r}")
    preference, _ = LanguagePreference.objects.update_or_create(
        user=user, defaults={"language": language}
    )
    return preference


def language_preference_get(*, user: AbstractBaseUser) -> str | None:
    """The user's stored language, or None when they never chose one."""
    language = (
        LanguagePreference.objects.filter(user=user).values_list("language", flat=True).first()
    )
    return language if language and language_is_supported(language) else None
