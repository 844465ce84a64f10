from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .services import SESSION_KEY, language_preference_get


@receiver(user_logged_in, dispatch_uid="preferences.language_on_login")
def language_on_login(sender, request, user, **kwargs):
    """A sign-in brings back the language the user chose last, on any browser."""
    if request is None or not hasattr(request, "session"):
        return
    language = language_preference_get(user=user)
    if language:
        request.session[SESSION_KEY] = language
