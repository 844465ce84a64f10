"""manage.py load_demo: create or update the demo data set (idempotent, deterministic)."""

import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from demo.services import demo_load


class Command(BaseCommand):
    help = (
        "Загружает демонстрационные данные (Семей, Усть-Каменогорск, Глубоковский район, "
        "Алатауский район Алматы, Атырау). Повторный запуск ничего не дублирует."
    )

    def handle(self, *args, **options) -> None:
        verbose = options["verbosity"] >= 1
        started = time.perf_counter()
        if verbose:
            self.stdout.write(_("Загрузка демонстрационных данных…"))
        result = demo_load(report=self.stdout.write if verbose else None)
        if not verbose:
            return
        for model, total in result.totals.items():
            self.stdout.write(
                _("%(name)s: %(total)d (создано %(created)d, обновлено %(updated)d)")
                % {
                    "name": model._meta.verbose_name_plural,
                    "total": total,
                    "created": result.created[model],
                    "updated": result.updated[model],
                }
            )
        if result.skipped_meetings:
            self.stdout.write(
                self.style.WARNING(
                    _("Пропущено встреч без закреплённого инспектора: %(count)d")
                    % {"count": result.skipped_meetings}
                )
            )
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(_("Готово за %(seconds).1f с.") % {"seconds": seconds})
        )
