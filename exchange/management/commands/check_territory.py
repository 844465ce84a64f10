"""manage.py check_territory [--district KATO ...] [--region KATO] [--min-area M2]."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from exchange.topology import territory_check
from stations.models import District


class Command(BaseCommand):
    help = (
        "Check the territory: precincts that overlap (with the overlap in m²), parts of a "
        "district no precinct covers (gaps, with area), precincts that stick out of their "
        "district, facilities outside their district, settlements outside every precinct. "
        "Pieces smaller than TOPOLOGY_MIN_AREA_M2 (or --min-area) are ignored. Exit code 0; "
        "--fail-on-findings makes it 1 when anything is found."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--district", action="append", metavar="KATO", help="district KATO code (repeatable)"
        )
        parser.add_argument("--region", metavar="KATO", help="every district of this region")
        parser.add_argument("--min-area", type=float, metavar="M2", help="sliver size in m²")
        parser.add_argument("--fail-on-findings", action="store_true")

    def handle(self, *args, district=None, region=None, min_area=None, **options):
        districts = District.objects.all()
        if district:
            districts = districts.filter(kato__in=district)
            missing = sorted(set(district) - set(districts.values_list("kato", flat=True)))
            if missing:
                raise CommandError(f"No district with KATO {', '.join(missing)}.")
        if region:
            districts = districts.filter(region__kato=region)
            if not districts.exists():
                raise CommandError(f"No districts in a region with KATO {region}.")
        report = territory_check(districts=districts, min_area_m2=min_area)
        current = None
        for finding in report.findings:
            if finding.district_id != current:
                current = finding.district_id
                self.stdout.write(self.style.MIGRATE_HEADING(finding.district))
            measure = ""
            if finding.area_m2 is not None:
                measure = f"{finding.area_m2:,.0f} m²".replace(",", " ")
            elif finding.distance_m is not None:
                measure = f"{finding.distance_m:,.0f} m away".replace(",", " ")
            where = f" at {finding.lon}, {finding.lat}" if finding.lon is not None else ""
            self.stdout.write(f"  {finding.kind_label}: {finding.subject} — {measure}{where}")
        self.stdout.write("")
        for _kind, label, count in report.counts():
            self.stdout.write(f"{label}: {count}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.districts} district(s) checked in {report.elapsed_s:.1f} s "
                f"(slivers under {report.min_area_m2:g} m² ignored)."
            )
        )
        if options["fail_on_findings"] and report.findings:
            raise CommandError(f"{len(report.findings)} finding(s).")
