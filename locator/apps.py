from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LocatorConfig(AppConfig):
    name = "locator"
    verbose_name = _("Поиск участкового")
