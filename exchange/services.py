"""Imports: each reads a file, writes every row through the owning app's save service (the same
rules as the admin and the API) in one transaction, and returns a report. A problem with the
file as a whole raises ImportFileError before anything is written.

The management commands (`import_boundaries`, `import_settlements`, `import_facilities`,
`import_inspectors`, `import_assistants`) and the admin's import pages call these.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from .importers.base import ImportReport, Progress
from .importers.boundaries import BoundaryImporter
from .importers.people import AssistantImporter, InspectorImporter
from .importers.points import FacilityImporter, SettlementImporter
from .sources import ImportFileError, open_source

__all__ = [
    "ImportFileError",
    "ImportReport",
    "assistants_import",
    "boundaries_import",
    "facilities_import",
    "inspectors_import",
    "settlements_import",
]


def _exported_names(source, name_field: str, name_kk_field: str | None) -> tuple[str, str | None]:
    """A file this app exported has `name` in the exporting user's language and the stored names
    in `name_ru` and `name_kk`: read those unless other fields were given."""
    if name_field == "name" and source.column("name_ru"):
        name_field = "name_ru,name"
    if name_kk_field is None and source.column("name_kk"):
        name_kk_field = "name_kk"
    return name_field, name_kk_field


def boundaries_import(
    *,
    path: Path,
    level: str,
    layer: str | None = None,
    name_field: str = "name",
    name_kk_field: str | None = None,
    kato_field: str | None = None,
    population_field: str | None = None,
    parent_field: str | None = None,
    parent_kato: str | None = None,
    number_field: str | None = None,
    where: list[str] | None = None,
    kind: str | None = None,
    encoding: str | None = None,
    srid: int | None = None,
    dry_run: bool = False,
    strict: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Regions, districts or precincts from a polygon layer (GeoJSON, zipped Shapefile,
    GeoPackage), upserted by KATO code, else (precincts: by number, then) by name within the
    parent; the parent is given or found by largest overlap in m²."""
    source = open_source(Path(path), geometry="polygon", layer=layer, encoding=encoding, srid=srid)
    name_field, name_kk_field = _exported_names(source, name_field, name_kk_field)
    importer = BoundaryImporter(
        source,
        level=level,
        name_field=name_field,
        name_kk_field=name_kk_field,
        kato_field=kato_field,
        population_field=population_field,
        parent_field=parent_field,
        parent_kato=parent_kato,
        number_field=number_field,
        where=where,
        kind=kind,
    )
    return importer.run(dry_run=dry_run, strict=strict, progress=progress)


def settlements_import(
    *,
    path: Path,
    layer: str | None = None,
    name_field: str = "name",
    name_kk_field: str | None = None,
    kato_field: str | None = None,
    population_field: str | None = None,
    district_field: str | None = None,
    district_kato: str | None = None,
    where: list[str] | None = None,
    encoding: str | None = None,
    srid: int | None = None,
    lat_field: str | None = None,
    lon_field: str | None = None,
    dry_run: bool = False,
    strict: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Settlements (points with population) from a point layer or a spreadsheet with lat/lon;
    each in the district that holds it, unless the district is given."""
    source = open_source(
        Path(path),
        geometry="point",
        layer=layer,
        encoding=encoding,
        srid=srid,
        lat_field=lat_field,
        lon_field=lon_field,
    )
    if district_field is None and district_kato is None and source.column("district_kato"):
        district_field = "district_kato"  # a file this app exported
    name_field, name_kk_field = _exported_names(source, name_field, name_kk_field)
    importer = SettlementImporter(
        source,
        name_field=name_field,
        name_kk_field=name_kk_field,
        kato_field=kato_field,
        population_field=population_field,
        district_field=district_field,
        district_kato=district_kato,
        where=where,
    )
    return importer.run(dry_run=dry_run, strict=strict, progress=progress)


def facilities_import(
    *,
    path: Path,
    kind: str,
    layer: str | None = None,
    district_field: str | None = None,
    district_kato: str | None = None,
    where: list[str] | None = None,
    encoding: str | None = None,
    srid: int | None = None,
    lat_field: str | None = None,
    lon_field: str | None = None,
    dry_run: bool = False,
    strict: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Stations (`kind="station"`) or modular posts (`kind="post"`) from a spreadsheet with
    lat/lon columns or a point layer; columns are recognised by field name or Russian header."""
    source = open_source(
        Path(path),
        geometry="point",
        layer=layer,
        encoding=encoding,
        srid=srid,
        lat_field=lat_field,
        lon_field=lon_field,
    )
    importer = FacilityImporter(
        source, kind=kind, district_field=district_field, district_kato=district_kato, where=where
    )
    return importer.run(dry_run=dry_run, strict=strict, progress=progress)


def inspectors_import(
    *,
    path: Path,
    sheet: str | None = None,
    encoding: str | None = None,
    on: datetime.date | None = None,
    dry_run: bool = False,
    strict: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Inspectors from CSV/XLSX, matched by personnel number; a changed precinct closes the
    open assignment on `on` (default today) and opens a new one, as every save does."""
    source = open_source(Path(path), geometry=None, layer=sheet, encoding=encoding)
    return InspectorImporter(source, on=on).run(dry_run=dry_run, strict=strict, progress=progress)


def assistants_import(
    *,
    path: Path,
    sheet: str | None = None,
    encoding: str | None = None,
    dry_run: bool = False,
    strict: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Assistants from CSV/XLSX, each given by the personnel number of their inspector."""
    source = open_source(Path(path), geometry=None, layer=sheet, encoding=encoding)
    return AssistantImporter(source).run(dry_run=dry_run, strict=strict, progress=progress)
