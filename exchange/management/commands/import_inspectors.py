"""manage.py import_inspectors FILE [...]: inspectors from CSV/XLSX by personnel number."""

import datetime

from django.core.management.base import CommandError

from exchange.management.base import ImportCommand
from exchange.services import inspectors_import


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--on: {value!r} is not a date (YYYY-MM-DD).") from None


class Command(ImportCommand):
    help = (
        "Load precinct inspectors from a CSV/XLSX, matched by personnel number "
        "(personnel_number). The precinct is district_kato + precinct_number, the reception "
        "station district_kato + station_number; a changed precinct is recorded in the "
        "assignment history as of --on (default today)."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--sheet", help="the sheet of an XLSX (default: the first)")
        parser.add_argument("--on", type=_date, help="date of precinct changes (YYYY-MM-DD)")

    def run(self, path, progress, **options):
        return inspectors_import(
            path=path,
            sheet=options["sheet"],
            encoding=options["encoding"],
            on=options["on"],
            dry_run=options["dry_run"],
            strict=options["strict"],
            progress=progress,
        )
