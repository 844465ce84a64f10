from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "access"
    verbose_name = _("Роли и доступ")

    def ready(self) -> None:
        from servicepolice import table_versions

        from . import services

        # Models added after the roles' data migration get their permissions in the roles too.
        post_migrate.connect(services.roles_sync_after_migrate, sender=self)
        # Every table gets its version trigger (PostgreSQL; see servicepolice/table_versions.py).
        post_migrate.connect(table_versions.install, sender=self)
