"""Exports of any list (an API list, an admin changelist) as CSV, XLSX, GeoJSON, zipped
Shapefile or GeoPackage.

The rows are what the API's serializer for that user shows (so a user who may not see an
inspector's personnel number does not get it in a file either), plus the natural keys an import
needs (exchange.columns.EXTRAS). CSV and GeoJSON stream as the rows are read; XLSX, Shapefile
and GeoPackage are written row by row to a temporary file that is then streamed, so no export
is held in memory whole.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.gis.db.models import GeometryField
from django.contrib.gis.geos import GEOSGeometry
from django.db import models
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from rest_framework import serializers

from servicepolice.api import GEOJSON_DECIMALS
from servicepolice.permissions import can_view_private

from .columns import EXTRAS, label_for, shapefile_names
from .ogr import Field, LayerWriter

TABULAR_FORMATS = ("csv", "xlsx")
GEO_FORMATS = ("geojson", "shp", "gpkg")
FORMATS = TABULAR_FORMATS + GEO_FORMATS
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "geojson": "application/geo+json",
    "shp": "application/zip",
    "gpkg": "application/geopackage+sqlite3",
}
EXTENSIONS = {"csv": "csv", "xlsx": "xlsx", "geojson": "geojson", "shp": "zip", "gpkg": "gpkg"}
FORMAT_LABELS = {
    "csv": _("CSV"),
    "xlsx": _("Excel (XLSX)"),
    "geojson": _("GeoJSON"),
    "shp": _("Shapefile (ZIP)"),
    "gpkg": _("GeoPackage"),
}
CHUNK_SIZE = 500  # rows read from the database at a time


@dataclass(frozen=True)
class Column:
    name: str  # the stable field name: CSV header, GeoJSON and GeoPackage property
    label: str  # the Russian XLSX header
    kind: str  # str, int, float, bool, date, datetime
    source: str  # "data" (the serializer's output), "extra" or "point"
    getter: Any = None


def _kind(field: serializers.Field, model: type[models.Model] | None) -> str:
    if isinstance(field, serializers.BooleanField):
        return "bool"
    if isinstance(field, serializers.IntegerField | serializers.PrimaryKeyRelatedField):
        return "int"
    if isinstance(field, serializers.FloatField | serializers.DecimalField):
        return "float"
    if isinstance(field, serializers.DateTimeField):
        return "datetime"
    if isinstance(field, serializers.DateField):
        return "date"
    if isinstance(field, serializers.ReadOnlyField) and model is not None:
        try:
            model_field = model._meta.get_field(field.source)
        except Exception:  # noqa: BLE001 - a property, not a field
            return "str"
        if isinstance(model_field, models.BooleanField):
            return "bool"
        if isinstance(model_field, models.IntegerField | models.AutoField):
            return "int"
    return "str"


def geometry_type(model: type[models.Model]) -> str | None:
    """ "Point", "MultiPolygon"... of the model's `geom` field, or None without one."""
    try:
        field = model._meta.get_field("geom")
    except Exception:  # noqa: BLE001 - no geometry
        return None
    if not isinstance(field, GeometryField):
        return None
    return {"POINT": "Point", "MULTIPOLYGON": "MultiPolygon"}.get(field.geom_type, "Unknown")


class ExportTable:
    """The columns and rows of one export: a serializer's fields (without the geometry), the
    point's lon/lat in tabular formats, and the model's extra natural-key columns."""

    def __init__(
        self,
        *,
        model: type[models.Model],
        serializer_class: type[serializers.Serializer],
        user,
        fmt: str,
        context: dict[str, Any] | None = None,
    ) -> None:
        self.model = model
        self.fmt = fmt
        self.geometry_type = geometry_type(model)
        self.serializer = serializer_class(context=context or {})
        fields = self.serializer.fields
        fields.pop("geom", None)  # written from the model's geometry, not as GeoJSON text
        columns = [
            Column(name, label_for(model, name, field.source), _kind(field, model), "data")
            for name, field in fields.items()
            if not field.write_only
        ]
        if fmt in TABULAR_FORMATS and self.geometry_type == "Point":
            columns += [
                Column("lon", label_for(model, "lon"), "float", "point", 0),
                Column("lat", label_for(model, "lat"), "float", "point", 1),
            ]
        present = {c.name for c in columns}
        for extra in EXTRAS.get(model, []):
            if extra.name in present:
                continue
            if extra.private is not None and not can_view_private(user, extra.private):
                continue
            columns.append(
                Column(extra.name, label_for(model, extra.name), extra.kind, "extra", extra.get)
            )
        self.columns = columns
        self.with_geometry = fmt in GEO_FORMATS and self.geometry_type is not None
        # Polygons in a spreadsheet: left out (a cell holds 32,767 characters at most), and
        # not even read; the GIS formats carry them.
        self.needs_geometry = self.with_geometry or any(c.source == "point" for c in columns)

    def rows(self, objects: Iterable[models.Model]) -> Iterator[tuple[list[Any], Any]]:
        """(values, geometry) per object; values typed by column kind, None when empty."""
        to_representation = self.serializer.to_representation
        for obj in objects:
            data = to_representation(obj)
            geom = obj.geom if self.needs_geometry else None
            values = []
            for column in self.columns:
                if column.source == "data":
                    value = data.get(column.name)
                elif column.source == "point":
                    value = (
                        None
                        if geom is None
                        else round(geom.coords[column.getter], GEOJSON_DECIMALS)
                    )
                else:
                    value = column.getter(obj)
                values.append(_typed(value, column.kind))
            yield values, (geom if self.with_geometry else None)


def _typed(value: Any, kind: str) -> Any:
    if value is None or value == "":
        return None
    if kind == "date" and isinstance(value, str):
        return parse_date(value) or value
    if kind == "datetime" and isinstance(value, str):
        return parse_datetime(value) or value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return str(value)


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_chunks(table: ExportTable, objects: Iterable[models.Model]) -> Iterator[bytes]:
    """UTF-8 with a byte-order mark (Excel then reads the Cyrillic right), comma-separated."""
    writer = csv.writer(_Echo())
    yield ("\ufeff" + writer.writerow([c.name for c in table.columns])).encode()
    buffer: list[str] = []
    for values, _geom in table.rows(objects):
        buffer.append(writer.writerow([_text(v) for v in values]))
        if len(buffer) >= 100:
            yield "".join(buffer).encode()
            buffer = []
    if buffer:
        yield "".join(buffer).encode()


def _rounded(coords: Any) -> Any:
    if isinstance(coords, float | int):
        return round(coords, GEOJSON_DECIMALS)
    return [_rounded(c) for c in coords]


def geojson_geometry(geom: GEOSGeometry | None) -> dict[str, Any] | None:
    """A GeoJSON geometry object with coordinates rounded to 6 decimals."""
    if geom is None or geom.empty:
        return None
    data = json.loads(geom.json)
    data["coordinates"] = _rounded(data["coordinates"])
    return data


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return value


def geojson_chunks(table: ExportTable, objects: Iterable[models.Model]) -> Iterator[bytes]:
    yield b'{"type": "FeatureCollection", "features": ['
    first = True
    names = [c.name for c in table.columns]
    for values, geom in table.rows(objects):
        feature = {
            "type": "Feature",
            "geometry": geojson_geometry(geom),
            "properties": {n: _json_value(v) for n, v in zip(names, values, strict=True)},
        }
        if "id" in feature["properties"]:
            feature["id"] = feature["properties"]["id"]
        yield (b"" if first else b",\n") + json.dumps(feature, ensure_ascii=False).encode()
        first = False
    yield b"]}\n"


def _sheet_title(model: type[models.Model]) -> str:
    title = str(model._meta.verbose_name_plural)
    for char in "[]:*?/\\":
        title = title.replace(char, " ")
    return title[:31] or "data"


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return timezone.localtime(value).replace(tzinfo=None)  # Excel has no time zones
    return value


def write_xlsx(table: ExportTable, objects: Iterable[models.Model], target) -> None:
    """A one-sheet workbook with Russian headers (write-only: rows go straight to disk)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_sheet_title(table.model))
    sheet.freeze_panes = "A2"
    for index, column in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(
            10, min(40, len(column.label) + 2)
        )
    bold = Font(bold=True)
    header = []
    for column in table.columns:
        cell = WriteOnlyCell(sheet, value=column.label)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    date_columns = {i for i, c in enumerate(table.columns) if c.kind in ("date", "datetime")}
    for values, _geom in table.rows(objects):
        row = []
        for index, value in enumerate(values):
            value = _xlsx_value(value)
            if index in date_columns and value is not None:
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = (
                    "DD.MM.YYYY HH:MM" if isinstance(value, datetime.datetime) else "DD.MM.YYYY"
                )
                row.append(cell)
            else:
                row.append(value)
        sheet.append(row)
    workbook.save(target)


def write_ogr(
    table: ExportTable, objects: Iterable[models.Model], directory: Path, layer: str
) -> Path:
    """The rows as a Shapefile (several files) or a GeoPackage in `directory`; the main file."""
    names = [c.name for c in table.columns]
    if table.fmt == "shp":
        names = shapefile_names(names)
    fields = [Field(n, c.kind) for n, c in zip(names, table.columns, strict=True)]
    path = directory / f"{layer}.{table.fmt}"
    with LayerWriter(
        path,
        fmt=table.fmt,
        layer=layer,
        geometry_type=table.geometry_type or "Unknown",
        fields=fields,
    ) as writer:
        for values, geom in table.rows(objects):
            writer.add(values, geom)
    return path


def filename_for(basename: str, fmt: str) -> str:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return f"{basename}-{stamp}.{EXTENSIONS[fmt]}"


def export_response(
    *,
    objects: Iterable[models.Model],
    table: ExportTable,
    basename: str,
) -> HttpResponse:
    """The export as a download: streamed (CSV, GeoJSON) or from a temporary file."""
    fmt = table.fmt
    filename = filename_for(basename, fmt)
    disposition = f'attachment; filename="{filename}"'
    if fmt in ("csv", "geojson"):
        chunks = csv_chunks if fmt == "csv" else geojson_chunks
        response = StreamingHttpResponse(chunks(table, objects), content_type=CONTENT_TYPES[fmt])
        response["Content-Disposition"] = disposition
        return response
    spool = tempfile.TemporaryFile()  # deleted when the response closes it
    if fmt == "xlsx":
        write_xlsx(table, objects, spool)
    else:
        with tempfile.TemporaryDirectory() as directory:
            main = write_ogr(table, objects, Path(directory), basename.replace("-", "_"))
            if fmt == "shp":
                with zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED) as archive:
                    for part in sorted(Path(directory).iterdir()):
                        archive.write(part, part.name)
            else:
                with open(main, "rb") as source:
                    while chunk := source.read(1 << 20):
                        spool.write(chunk)
    spool.seek(0)
    return FileResponse(
        spool, as_attachment=True, filename=filename, content_type=CONTENT_TYPES[fmt]
    )


def export_bytes(*, objects: Iterable[models.Model], table: ExportTable, basename: str) -> bytes:
    """The whole export in memory (tests, small files)."""
    response = export_response(objects=objects, table=table, basename=basename)
    if response.streaming:
        return b"".join(response.streaming_content)
    buffer = io.BytesIO()
    for chunk in response:
        buffer.write(chunk)
    return buffer.getvalue()
