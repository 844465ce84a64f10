"""GIS layers through GDAL: GeoJSON, zipped Shapefile, GeoPackage; any CRS to 4326."""

from __future__ import annotations

import contextlib
import math
import zipfile
from collections.abc import Iterator
from ctypes import c_char_p
from pathlib import Path

from django.contrib.gis.gdal import (
    CoordTransform,
    DataSource,
    GDALException,
    OGRGeometry,
    SpatialReference,
)
from django.contrib.gis.gdal.error import SRSException
from django.contrib.gis.gdal.libgdal import lgdal
from django.contrib.gis.geos import GEOSException, GEOSGeometry, WKBWriter
from django.utils.translation import gettext as _

from servicepolice import geo

from .base import (
    POINT_TYPES,
    POLYGON_TYPES,
    FeatureValues,
    ImportFileError,
    Source,
    SourceRow,
)

_set_config = lgdal["CPLSetConfigOption"]
_set_config.restype = None
_set_config.argtypes = [c_char_p, c_char_p]


def flatten(geom: GEOSGeometry) -> GEOSGeometry:
    """The 2D copy of a geometry (Z and M dropped), SRID kept."""
    if not geom.hasz:
        return geom
    writer = WKBWriter()
    writer.outdim = 2
    flat = GEOSGeometry(writer.write(geom))
    flat.srid = geom.srid
    return flat


@contextlib.contextmanager
def _gdal_config(name: str, value: str | None):
    if value is None:
        yield
        return
    _set_config(name.encode(), value.encode())
    try:
        yield
    finally:
        _set_config(name.encode(), None)


def _gdal_path(path: Path) -> str:
    """What GDAL opens: a zip's Shapefile (or GeoPackage, GeoJSON) through /vsizip/."""
    if path.suffix.lower() != ".zip":
        return str(path)
    try:
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if not n.endswith("/")]
    except zipfile.BadZipFile:
        raise ImportFileError(
            _("Файл %(name)s не является ZIP-архивом.") % {"name": path.name}
        ) from None
    shapefiles = [n for n in names if n.lower().endswith(".shp")]
    if shapefiles:
        folder = str(Path(shapefiles[0]).parent)
        inner = "" if folder == "." else f"/{folder}"
        return f"/vsizip/{path.resolve()}{inner}"
    others = [n for n in names if Path(n).suffix.lower() in {".gpkg", ".geojson", ".json"}]
    if len(others) == 1:
        return f"/vsizip/{path.resolve()}/{others[0]}"
    raise ImportFileError(
        _(
            "В архиве %(name)s нет слоя: ожидается Shapefile (.shp вместе с .shx, .dbf и .prj), "
            "GeoPackage или GeoJSON."
        )
        % {"name": path.name}
    )


def open_spatial(
    path: Path,
    *,
    geometry: str,
    layer: str | None = None,
    encoding: str | None = None,
    srid: int | None = None,
) -> Source:
    """Open a GIS layer. `geometry` is "polygon" or "point": the kind of layer expected."""
    target = _gdal_path(path)
    try:
        # A Shapefile without a .cpg is read in the given encoding (GDAL recodes to UTF-8).
        with _gdal_config("SHAPE_ENCODING", encoding):
            datasource = DataSource(target, encoding="utf-8")
    except GDALException:
        raise ImportFileError(
            _(
                "Не удалось прочитать %(name)s как геоданные: ожидается GeoJSON, Shapefile в "
                "ZIP-архиве или GeoPackage."
            )
            % {"name": path.name}
        ) from None
    names = [lyr.name for lyr in datasource]
    if not names:
        raise ImportFileError(_("В файле %(name)s нет ни одного слоя.") % {"name": path.name})
    if layer:
        if layer not in names:
            raise ImportFileError(
                _("В файле нет слоя «%(layer)s». Слои файла: %(layers)s.")
                % {"layer": layer, "layers": ", ".join(names)}
            )
        chosen = datasource[layer]
    elif len(names) > 1:
        raise ImportFileError(
            _("В файле несколько слоёв (%(layers)s): укажите нужный (--layer).")
            % {"layers": ", ".join(names)}
        )
    else:
        chosen = datasource[0]
    geom_type = chosen.geom_type.name
    if geom_type == "None":
        raise ImportFileError(
            _(
                "В слое «%(layer)s» нет геометрии: это таблица, а не геоданные. Границы "
                "загружаются из GeoJSON, Shapefile или GeoPackage."
            )
            % {"layer": chosen.name}
        )
    expected = POLYGON_TYPES if geometry == "polygon" else POINT_TYPES
    if geom_type != "Unknown" and geom_type not in expected:
        raise ImportFileError(
            _("Слой «%(layer)s» содержит геометрию типа %(got)s, а нужны %(expected)s.")
            % {
                "layer": chosen.name,
                "got": geom_type,
                "expected": _("полигоны") if geometry == "polygon" else _("точки"),
            }
        )
    count = len(chosen)
    if count == 0:
        raise ImportFileError(_("Слой «%(layer)s» пуст.") % {"layer": chosen.name})
    srs = chosen.srs
    if srid is not None:
        try:
            srs = SpatialReference(srid)
        except (GDALException, SRSException):
            raise ImportFileError(
                _("Неизвестная система координат EPSG:%(srid)s.") % {"srid": srid}
            ) from None
    if srs is None:
        raise ImportFileError(
            _(
                "Неизвестная система координат слоя «%(layer)s» (нет файла .prj или описания "
                "CRS). Укажите её кодом EPSG (--srid), например 4326 или 32644."
            )
            % {"layer": chosen.name}
        )
    wgs84 = SpatialReference(geo.WGS84)
    transform = None
    if srs.srid != geo.WGS84 or not srs.geographic:
        try:
            transform = CoordTransform(srs, wgs84)
        except (GDALException, SRSException):
            raise ImportFileError(
                _("Систему координат слоя «%(layer)s» (%(crs)s) нельзя перевести в WGS 84.")
                % {"layer": chosen.name, "crs": srs.name}
            ) from None
    field_names = list(chosen.fields)

    def rows() -> Iterator[SourceRow]:
        for number, feature in enumerate(chosen, start=1):
            yield SourceRow(
                number=number,
                values=FeatureValues(feature, field_names),
                load_geometry=lambda feature=feature: _feature_geometry(feature, transform),
            )

    return Source(
        name=path.name,
        columns=field_names,
        count=count,
        spatial=True,
        layer=chosen.name,
        crs=f"EPSG:{srs.srid}" if srs.srid else srs.name,
        _rows=rows,
    )


def _feature_geometry(feature, transform) -> tuple[GEOSGeometry | None, str | None]:
    try:
        ogr: OGRGeometry = feature.geom
    except GDALException:
        return None, _("нет геометрии")
    try:
        if transform is not None:
            ogr.transform(transform)
        geom = flatten(ogr.geos)
    except (GDALException, GEOSException):
        return None, _("не удалось перевести координаты в WGS 84")
    geom.srid = geo.WGS84
    if geom.empty:
        return None, _("пустая геометрия")
    if not all(math.isfinite(c) for c in geom.extent):
        return None, _("координаты не являются конечными числами")
    return geom, None
