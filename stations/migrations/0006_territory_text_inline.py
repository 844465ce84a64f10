# PostGIS only: keep the territories' short text columns inside their rows.
#
# A region's or district's row holds an outline of 10-20 KB. PostgreSQL's toaster moves the
# row's "extended" columns out of line first, biggest first, before it touches the geometry
# (storage MAIN): so every name longer than a TOAST pointer (18 bytes) went to the TOAST table,
# and each comparison of `ORDER BY district.name` fetched it from there. Sorting 3,000 stations
# by district name read 128,000 buffers (160 ms); with the names inline it is a few ms.
# Storage MAIN moves the outline out of line before them. Rows already written are rewritten.

from django.db import migrations

COLUMNS = {
    "stations_region": ("name", "name_kk", "kato"),
    "stations_district": ("name", "name_kk", "kato", "kind"),
    "stations_precinct": ("name",),
}


def _set(schema_editor, storage: str, rewrite: bool) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, columns in COLUMNS.items():
        alters = ", ".join(f'ALTER COLUMN "{c}" SET STORAGE {storage}' for c in columns)
        schema_editor.execute(f'ALTER TABLE "{table}" {alters}')
        if rewrite:
            # A new value (not the same TOAST pointer) is stored by the new rule.
            sets = ", ".join(f"\"{c}\" = \"{c}\" || ''" for c in columns)
            schema_editor.execute(f'UPDATE "{table}" SET {sets}')


def inline(apps, schema_editor):
    _set(schema_editor, "MAIN", rewrite=True)


def extended(apps, schema_editor):
    _set(schema_editor, "EXTENDED", rewrite=False)


class Migration(migrations.Migration):
    dependencies = [("stations", "0005_name_kk")]

    operations = [migrations.RunPython(inline, extended)]
