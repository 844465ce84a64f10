from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from .services import SESSION_KEY, language_is_supported, language_preference_set


@require_POST
def set_language(request):
    """Django's set_language (cookie, redirect back), remembered for a signed-in user."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if language_is_supported(language) and request.user.is_authenticated:
        language_preference_set(user=request.user, language=language)
        request.session[SESSION_KEY] = language
    return response
