"""manage.py import_assistants FILE [...]: inspectors' assistants from CSV/XLSX."""

from exchange.management.base import ImportCommand
from exchange.services import assistants_import


class Command(ImportCommand):
    help = (
        "Load inspectors' assistants from a CSV/XLSX: inspector_personnel_number, last_name, "
        "first_name, middle_name, phone. An assistant is matched by inspector and full name."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--sheet", help="the sheet of an XLSX (default: the first)")

    def run(self, path, progress, **options):
        return assistants_import(
            path=path,
            sheet=options["sheet"],
            encoding=options["encoding"],
            dry_run=options["dry_run"],
            strict=options["strict"],
            progress=progress,
        )
