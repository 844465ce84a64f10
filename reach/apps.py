from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReachConfig(AppConfig):
    name = "reach"
    verbose_name = _("Шаговая доступность")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the recompute-on-change handlers)
