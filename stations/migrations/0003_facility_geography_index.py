# PostGIS only: GiST indexes on the facilities' points cast to geography, for /locate/'s
# nearest-facility search (stations.selectors._nearest_by_index orders by
# `geom::geography <-> point`). SpatiaLite has no such index and takes the portable path.

from django.db import migrations

TABLES = (("stations_station", "station_geog_idx"), ("stations_modularpost", "post_geog_idx"))


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, name in TABLES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gist ((geom::geography))'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _table, name in TABLES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("stations", "0002_coverage_radius_round_the_clock")]

    operations = [migrations.RunPython(create, drop)]
