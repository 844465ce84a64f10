"""Reading the files analysts have: GIS layers through GDAL (GeoJSON, zipped Shapefile,
GeoPackage) and spreadsheets (CSV, XLSX). Every geometry comes out in SRID 4326, 2D.

A problem with the file as a whole (unreadable, no such layer, missing field, unknown CRS,
empty, no geometry) raises ImportFileError with a message for the analyst, before anything is
written; a problem with one row is left to the importer to report.
"""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext as _

from .base import ImportFileError, Source, SourceRow, as_date, kind_of
from .spatial import flatten, open_spatial
from .tables import open_table, open_tabular

__all__ = [
    "ImportFileError",
    "Source",
    "SourceRow",
    "as_date",
    "flatten",
    "kind_of",
    "open_source",
    "open_spatial",
    "open_table",
    "open_tabular",
]


def open_source(
    path: Path,
    *,
    geometry: str | None,
    layer: str | None = None,
    encoding: str | None = None,
    srid: int | None = None,
    lat_field: str | None = None,
    lon_field: str | None = None,
) -> Source:
    """Open any supported file: a GIS layer, or a spreadsheet (its points from lat/lon)."""
    if not path.exists():
        raise ImportFileError(_("Файл %(name)s не найден.") % {"name": str(path)})
    kind = kind_of(path)
    if kind == "tabular":
        if geometry == "polygon":
            raise ImportFileError(
                _(
                    "%(name)s — таблица без геометрии. Границы загружаются из GeoJSON, Shapefile "
                    "в ZIP-архиве или GeoPackage."
                )
                % {"name": path.name}
            )
        return open_table(
            path,
            encoding=encoding,
            sheet=layer,
            points=geometry == "point",
            lat_field=lat_field,
            lon_field=lon_field,
        )
    if geometry is None:
        raise ImportFileError(
            _("Эти данные загружаются из таблицы CSV или XLSX, а не из %(name)s.")
            % {"name": path.name}
        )
    return open_spatial(path, geometry=geometry, layer=layer, encoding=encoding, srid=srid)
