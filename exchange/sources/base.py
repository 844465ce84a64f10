"""The shapes every reader shares: a file-level error, a row, an opened source."""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.gis.gdal import (
    GDALException,
)
from django.contrib.gis.geos import GEOSGeometry
from django.utils.translation import gettext as _

from ..columns import label_for, normalise, shapefile_names

SPATIAL_SUFFIXES = {".geojson", ".json", ".zip", ".gpkg", ".shp"}
TABULAR_SUFFIXES = {".csv", ".xlsx", ".xlsm"}
POLYGON_TYPES = {"Polygon", "MultiPolygon", "Polygon25D", "MultiPolygon25D"}
POINT_TYPES = {"Point", "MultiPoint", "Point25D", "MultiPoint25D"}
LAT_NAMES = ("lat", "latitude", "широта", "y")
LON_NAMES = ("lon", "lng", "long", "longitude", "долгота", "x")


class ImportFileError(Exception):
    """The file cannot be imported at all; nothing was written."""


class SourceRow:
    """One feature or spreadsheet row: `number` (the feature's number in the layer, or the
    spreadsheet row, the header being row 1), `values` (column name as in the file -> value),
    `geom` (SRID 4326, 2D) and `geom_error` (why there is no geometry when there should be one).
    A layer's values and geometry are read from the feature only when asked for."""

    def __init__(
        self,
        number: int,
        values: Mapping[str, Any],
        geom: GEOSGeometry | None = None,
        geom_error: str | None = None,
        load_geometry=None,
    ) -> None:
        self.number = number
        self.values = values
        self._geom, self._geom_error = geom, geom_error
        self._load_geometry = load_geometry

    def _load(self) -> None:
        if self._load_geometry is not None:
            self._geom, self._geom_error = self._load_geometry()
            self._load_geometry = None

    @property
    def geom(self) -> GEOSGeometry | None:
        self._load()
        return self._geom

    @geom.setter
    def geom(self, value: GEOSGeometry | None) -> None:
        self._load_geometry = None
        self._geom = value

    @property
    def geom_error(self) -> str | None:
        self._load()
        return self._geom_error

    @geom_error.setter
    def geom_error(self, value: str | None) -> None:
        self._geom_error = value


class FeatureValues(Mapping):
    """A feature's attributes, each read from GDAL the first time it is asked for."""

    def __init__(self, feature, names: list[str]) -> None:
        self._feature = feature
        self._names = names
        self._cache: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self._cache:
            if name not in self._names:
                raise KeyError(name)
            try:
                self._cache[name] = self._feature.get(name)
            except (GDALException, UnicodeDecodeError, ValueError):
                self._cache[name] = None
        return self._cache[name]

    def __iter__(self):
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


@dataclass
class Source:
    """An opened file: its columns, its rows (read lazily) and how many there are."""

    name: str
    columns: list[str]
    count: int
    spatial: bool
    layer: str = ""
    crs: str = ""
    notes: list[str] = field(default_factory=list)
    model: Any = None  # the model being loaded: its Russian field names name columns too
    _rows: Any = None

    def __iter__(self) -> Iterator[SourceRow]:
        return iter(self._rows())

    def __len__(self) -> int:
        return self.count

    def column(self, wanted: str | None) -> str | None:
        """The file's column whose header matches `wanted` (case and ё/е aside), or None."""
        if not wanted:
            return None
        # A Shapefile keeps 10 characters of a field name ("admin_level" is "admin_leve"); an
        # XLSX exported here heads a model's field by its Russian name ("population": "население").
        keys = [normalise(wanted), normalise(shapefile_names([wanted])[0])]
        if self.model is not None:
            keys.append(normalise(label_for(self.model, wanted)))
        for key in keys:
            for column in self.columns:
                if normalise(column) == key:
                    return column
        return None

    def require(self, *wanted: str | None, option: str = "") -> None:
        """ImportFileError naming every wanted column the file does not have."""
        missing = [w for w in wanted if w and self.column(w) is None]
        if missing:
            raise ImportFileError(
                _("В файле нет поля %(missing)s%(option)s. Поля файла: %(fields)s.")
                % {
                    "missing": ", ".join(f"«{m}»" for m in missing),
                    "option": f" ({option})" if option else "",
                    "fields": ", ".join(self.columns) or "—",
                }
            )


def kind_of(path: Path) -> str:
    """ "spatial", "tabular" or "unknown" by the file name."""
    suffix = path.suffix.lower()
    if suffix in SPATIAL_SUFFIXES:
        return "spatial"
    if suffix in TABULAR_SUFFIXES:
        return "tabular"
    return "unknown"


def as_date(value: Any) -> datetime.date | None:
    """A date from a spreadsheet cell or text (ISO 8601 or DD.MM.YYYY); None when blank."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%Y-%m-%dT%H:%M:%S"):
        try:
            return datetime.datetime.strptime(text[: len("2000-01-01T00:00:00")], fmt).date()
        except ValueError:
            continue
    raise ValueError(
        _("«%(value)s» — не дата (ожидается ГГГГ-ММ-ДД или ДД.ММ.ГГГГ)") % {"value": text}
    )
