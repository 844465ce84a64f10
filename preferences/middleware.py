from django.utils import translation

from .services import SESSION_KEY, language_is_supported


class UserLanguageMiddleware:
    """A signed-in user's chosen language wins over the cookie and Accept-Language.

    Sits after AuthenticationMiddleware; reads only the session (filled on sign-in and on a
    switch), so it adds no query. Anonymous visitors keep LocaleMiddleware's choice (cookie,
    then Accept-Language)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        language = session.get(SESSION_KEY) if session is not None else None
        if language and language_is_supported(language):
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
