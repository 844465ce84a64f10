"""manage.py import_offences FILE [--dry-run]: offence counts from CSV or XLSX."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from planning.importing import OffenceImportError, offence_counts_import


class Command(BaseCommand):
    help = (
        "Загрузить статистику правонарушений из CSV или XLSX (столбцы district, precinct, "
        "category, month, count); при ошибке в любой строке ничего не сохраняется."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help=_("Только проверить файл."))

    def handle(self, *args, file: Path, dry_run: bool, **options):
        if not file.is_file():
            raise CommandError(_("Файл не найден: %(file)s") % {"file": file})
        try:
            with file.open("rb") as handle:
                report = offence_counts_import(name=file.name, file=handle, dry_run=dry_run)
        except OffenceImportError as exc:
            raise CommandError(str(exc)) from exc
        for number, message in report.errors:
            self.stderr.write(
                _("строка %(number)s: %(message)s") % {"number": number, "message": message}
            )
        if report.errors:
            raise CommandError(report.summary())
        if dry_run:
            self.stdout.write(_("Проверено строк: %(rows)s, ошибок нет.") % {"rows": report.rows})
        else:
            self.stdout.write(self.style.SUCCESS(report.summary()))
