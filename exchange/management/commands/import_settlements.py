"""manage.py import_settlements FILE [...]: settlements (points with population)."""

from exchange.management.base import ImportCommand
from exchange.services import settlements_import


class Command(ImportCommand):
    help = (
        "Load settlements (points with population) from a point layer (GeoJSON, zipped "
        "Shapefile, GeoPackage) or a CSV/XLSX with lat/lon columns. Each goes to the district "
        "that holds it; points outside every district (or outside Kazakhstan) are skipped and "
        "reported."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--layer", help="layer name, or the sheet of an XLSX")
        parser.add_argument(
            "--name-field",
            default="name",
            help="field with the name; several, comma-separated, are tried in turn",
        )
        parser.add_argument("--name-kk-field", help="field with the Kazakh name")
        parser.add_argument("--kato-field", help="field with the 9-digit KATO code")
        parser.add_argument("--population-field", help="field with the population")
        districts = parser.add_mutually_exclusive_group()
        districts.add_argument(
            "--district-field", help="field with the district's KATO code (or unique name)"
        )
        districts.add_argument("--district-kato", help="KATO code of the district of every row")
        parser.add_argument(
            "--where", action="append", metavar="FIELD=VALUE", help="load only matching rows"
        )
        parser.add_argument("--srid", type=int, help="EPSG code of a layer without a CRS")
        parser.add_argument("--lat-field", help="latitude column of a spreadsheet")
        parser.add_argument("--lon-field", help="longitude column of a spreadsheet")

    def run(self, path, progress, **options):
        return settlements_import(
            path=path,
            layer=options["layer"],
            name_field=options["name_field"],
            name_kk_field=options["name_kk_field"],
            kato_field=options["kato_field"],
            population_field=options["population_field"],
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
