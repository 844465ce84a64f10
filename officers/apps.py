from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficersConfig(AppConfig):
    name = "officers"
    verbose_name = _("Участковые инспекторы")
