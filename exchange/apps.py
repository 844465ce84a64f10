from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    """Imports from and exports to the files analysts have (GIS layers, spreadsheets), and the
    topology checks of the territory. Sits above every other app; none imports it."""

    name = "exchange"
    verbose_name = _("Обмен данными")
