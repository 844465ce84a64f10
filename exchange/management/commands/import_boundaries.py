"""manage.py import_boundaries FILE --level region|district|precinct [...]: territory from a
GIS layer (GeoJSON, zipped Shapefile, GeoPackage)."""

from exchange.management.base import ImportCommand
from exchange.services import boundaries_import


class Command(ImportCommand):
    help = (
        "Load regions, districts or precincts from a polygon layer (GeoJSON, zipped Shapefile, "
        "GeoPackage) in any CRS. Upserts by KATO code, else by name within the parent; the "
        "parent is --parent-field/--parent-kato or the one the polygon overlaps most. All or "
        "nothing, with a report."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--level", required=True, choices=["region", "district", "precinct"])
        parser.add_argument("--layer", help="layer name (a GeoPackage or a zip with several)")
        parser.add_argument(
            "--name-field",
            default="name",
            help="field with the name; several, comma-separated, are tried in turn "
            '("name:ru,name")',
        )
        parser.add_argument("--name-kk-field", help="field with the Kazakh name")
        parser.add_argument("--kato-field", help="field with the 9-digit KATO code")
        parser.add_argument("--population-field", help="field with the population")
        parser.add_argument(
            "--number-field", help="field with the precinct number (required for precincts)"
        )
        parents = parser.add_mutually_exclusive_group()
        parents.add_argument(
            "--parent-field", help="field with the parent's KATO code (or unique name)"
        )
        parents.add_argument("--parent-kato", help="KATO code of the parent of every feature")
        parser.add_argument(
            "--where",
            action="append",
            metavar="FIELD=VALUE",
            help="load only features with this value (repeatable), e.g. admin_level=4",
        )
        parser.add_argument(
            "--kind", choices=["urban", "rural"], help="kind of the districts created"
        )
        parser.add_argument(
            "--srid", type=int, help="EPSG code of a layer that does not say its CRS"
        )

    def run(self, path, progress, **options):
        return boundaries_import(
            path=path,
            level=options["level"],
            layer=options["layer"],
            name_field=options["name_field"],
            name_kk_field=options["name_kk_field"],
            kato_field=options["kato_field"],
            population_field=options["population_field"],
            parent_field=options["parent_field"],
            parent_kato=options["parent_kato"],
            number_field=options["number_field"],
            where=options["where"],
            kind=options["kind"],
            encoding=options["encoding"],
            srid=options["srid"],
            dry_run=options["dry_run"],
            strict=options["strict"],
            progress=progress,
        )
