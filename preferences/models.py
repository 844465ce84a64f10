from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LanguagePreference(models.Model):
    """The interface language a user chose with the switcher; applied on every sign-in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="language_preference",
        verbose_name=_("пользователь"),
    )
    language = models.CharField(_("язык интерфейса"), max_length=10, choices=settings.LANGUAGES)
    updated_at = models.DateTimeField(_("изменено"), auto_now=True)

    class Meta:
        verbose_name = _("язык пользователя")
        verbose_name_plural = _("языки пользователей")

    def __str__(self):
        return f"{self.user}: {self.language}"
