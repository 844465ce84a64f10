"""manage.py recompute_coverage [--district KATO ...] [--region KATO]: refresh snapshots."""

from __future__ import annotations

import sys
import time

from django.core.management.base import BaseCommand, CommandError

from reach.services import coverage_recompute_many
from stations.models import District


class Command(BaseCommand):
    help = "Recompute the walking-distance coverage of districts (all of them by default)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--district", action="append", metavar="KATO", help="district KATO code (repeatable)"
        )
        parser.add_argument("--region", metavar="KATO", help="every district of this region")

    def handle(self, *args, district=None, region=None, verbosity=1, **options):
        districts = District.objects.select_related("region").order_by("region__name", "name")
        if district:
            districts = districts.filter(kato__in=district)
            missing = sorted(set(district) - set(districts.values_list("kato", flat=True)))
            if missing:
                raise CommandError(f"No district with KATO {', '.join(missing)}.")
        if region:
            districts = districts.filter(region__kato=region)
            if not districts.exists():
                raise CommandError(f"No districts in a region with KATO {region}.")
        started = time.monotonic()
        interactive = verbosity > 0 and sys.stdout.isatty()

        def progress(done: int, total: int, item: District) -> None:
            if verbosity == 0:
                return
            width = 30
            filled = int(width * done / total)
            line = f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {item.name}"
            if interactive:
                self.stdout.write(f"\r{line[:100]:<100}", ending="")
            elif done == total or done % max(total // 20, 1) == 0:
                self.stdout.write(line)

        count = coverage_recompute_many(districts=districts, progress=progress)
        if interactive:
            self.stdout.write("")
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"Coverage recomputed for {count} district(s) in {elapsed:.1f} s.")
        )
