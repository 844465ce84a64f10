"""manage.py import_facilities FILE --kind station|post [...]: stations or modular posts."""

from exchange.management.base import ImportCommand
from exchange.services import facilities_import


class Command(ImportCommand):
    help = (
        "Load precinct stations (--kind station, matched by number within the district) or "
        "modular posts (--kind post, matched by name, else address) from a CSV/XLSX with lat/lon "
        "columns or a point layer. Columns are recognised by field name (number, address, "
        "status, opened_on, ...) or by the Russian headers of an export. A point outside its "
        "district is reported, not saved."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--kind", required=True, choices=["station", "post"])
        parser.add_argument("--layer", help="layer name, or the sheet of an XLSX")
        districts = parser.add_mutually_exclusive_group()
        districts.add_argument(
            "--district-field",
            help="column with the district's KATO code or name (default: district_kato if "
            "present, else the district the point lies in)",
        )
        districts.add_argument("--district-kato", help="KATO code of the district of every row")
        parser.add_argument(
            "--where", action="append", metavar="FIELD=VALUE", help="load only matching rows"
        )
        parser.add_argument("--srid", type=int, help="EPSG code of a layer without a CRS")
        parser.add_argument("--lat-field", help="latitude column of a spreadsheet")
        parser.add_argument("--lon-field", help="longitude column of a spreadsheet")

    def run(self, path, progress, **options):
        return facilities_import(
            path=path,
            kind=options["kind"],
            layer=options["layer"],
            district_field=options["district_field"],
            district_kato=options["district_kato"],
            where=options["where"],
            encoding=options["encoding"],
            srid=options["srid"],
            lat_field=options["lat_field"],
            lon_field=options["lon_field"],
            dry_run=options["dry_run"],
            strict=options["strict"],
            progress=progress,
        )
