"""Spreadsheets: CSV (any delimiter, UTF-8 or a given encoding) and XLSX."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.contrib.gis.geos import Point
from django.utils.translation import gettext as _

from servicepolice import geo

from .base import ImportFileError, Source, SourceRow

LAT_NAMES = ("lat", "latitude", "широта", "y")
LON_NAMES = ("lon", "lng", "long", "longitude", "долгота", "x")


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def open_tabular(
    path: Path, *, encoding: str | None = None, sheet: str | None = None
) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    """The header and the rows (with their spreadsheet row numbers) of a CSV or XLSX file."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        raw = path.read_bytes()
        try:
            text = raw.decode(encoding or "utf-8-sig")
        except (UnicodeDecodeError, LookupError):
            raise ImportFileError(
                _(
                    "Файл %(name)s не в кодировке %(encoding)s. Сохраните его как CSV UTF-8 или "
                    "укажите кодировку (--encoding cp1251)."
                )
                % {"name": path.name, "encoding": encoding or "UTF-8"}
            ) from None
        try:
            dialect = csv.Sniffer().sniff(text[:20_000], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        lines = list(csv.reader(io.StringIO(text), dialect))
        table = [(number, row) for number, row in enumerate(lines, start=1)]
    elif suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(path, read_only=True, data_only=True)
        except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a broken file
            raise ImportFileError(
                _("Не удалось прочитать %(name)s как книгу Excel (XLSX).") % {"name": path.name}
            ) from None
        if sheet and sheet not in workbook.sheetnames:
            raise ImportFileError(
                _("В книге нет листа «%(sheet)s». Листы: %(sheets)s.")
                % {"sheet": sheet, "sheets": ", ".join(workbook.sheetnames)}
            )
        worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
        table = [
            (number, list(row))
            for number, row in enumerate(worksheet.iter_rows(values_only=True), start=1)
        ]
        workbook.close()
    else:
        raise ImportFileError(
            _("Таблицы загружаются из CSV или XLSX, а не из %(name)s.") % {"name": path.name}
        )
    table = [(n, [_cell(v) for v in row]) for n, row in table]
    table = [(n, row) for n, row in table if any(v is not None for v in row)]
    if not table:
        raise ImportFileError(_("Файл %(name)s пуст.") % {"name": path.name})
    header_number, header = table[0]
    columns = [str(v) if v is not None else "" for v in header]
    rows = table[1:]
    if not rows:
        raise ImportFileError(
            _("В файле %(name)s есть только заголовок, строк с данными нет.") % {"name": path.name}
        )
    return columns, rows


def _number(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).replace(",", ".").replace(" ", ""))
    except ValueError:
        return None


def open_table(
    path: Path,
    *,
    encoding: str | None = None,
    sheet: str | None = None,
    points: bool = False,
    lat_field: str | None = None,
    lon_field: str | None = None,
) -> Source:
    """A spreadsheet as a Source; with `points`, each row's lat/lon columns make its point."""
    columns, rows = open_tabular(path, encoding=encoding, sheet=sheet)
    source = Source(name=path.name, columns=columns, count=len(rows), spatial=False)
    lat_column = lon_column = None
    if points:
        source.require(lat_field, lon_field, option="--lat-field/--lon-field")
        lat_column = source.column(lat_field) or next(
            (c for c in (source.column(n) for n in LAT_NAMES) if c), None
        )
        lon_column = source.column(lon_field) or next(
            (c for c in (source.column(n) for n in LON_NAMES) if c), None
        )
        if lat_column is None or lon_column is None:
            raise ImportFileError(
                _(
                    "Нет столбцов с координатами: нужны широта и долгота (lat и lon) в градусах "
                    "WGS 84. Столбцы файла: %(fields)s."
                )
                % {"fields": ", ".join(c for c in columns if c) or "—"}
            )
        source.crs = "EPSG:4326"

    def produce() -> Iterator[SourceRow]:
        for number, row in rows:
            values = {c: (row[i] if i < len(row) else None) for i, c in enumerate(columns) if c}
            item = SourceRow(number=number, values=values)
            if points:
                lat, lon = _number(values.get(lat_column)), _number(values.get(lon_column))
                if lat is None or lon is None:
                    item.geom_error = _("нет широты или долготы (или это не числа)")
                elif not (-90 <= lat <= 90 and -180 <= lon <= 180):
                    item.geom_error = _("широта или долгота вне допустимого диапазона")
                else:
                    item.geom = Point(lon, lat, srid=geo.WGS84)
            yield item

    source._rows = produce
    return source
