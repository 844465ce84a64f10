"""Writing vector files (Shapefile, GeoPackage) through GDAL's OGR C API.

GeoDjango reads vector data (`DataSource`) but cannot write it; this calls the few OGR
functions needed to write a layer, through the same libgdal GeoDjango has loaded, so there is
no second GDAL and no Python binding to build. Used only by exchange.export.
"""

from __future__ import annotations

import datetime
from ctypes import POINTER, c_char_p, c_double, c_int, c_int64, c_void_p
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.gis.gdal import SpatialReference
from django.contrib.gis.gdal.libgdal import lgdal
from django.contrib.gis.geos import GEOSGeometry

# OGRFieldType, OGRFieldSubType and OGRwkbGeometryType values from ogr_core.h.
OFT_INTEGER, OFT_REAL, OFT_STRING, OFT_DATE, OFT_DATETIME, OFT_INTEGER64 = 0, 2, 4, 9, 11, 12
OFST_BOOLEAN = 1
WKB_UNKNOWN, WKB_POINT, WKB_MULTIPOLYGON = 0, 1, 6
GEOMETRY_TYPES = {"Point": WKB_POINT, "MultiPolygon": WKB_MULTIPOLYGON}

DRIVERS = {"shp": "ESRI Shapefile", "gpkg": "GPKG"}
# Layer creation options: a .cpg file so every reader decodes the attributes as UTF-8.
LAYER_OPTIONS = {"shp": ["ENCODING=UTF-8"], "gpkg": ["GEOMETRY_NAME=geom", "FID=fid"]}
SHAPEFILE_STRING_WIDTH = 254  # the longest text a dBase field holds


class OGRWriteError(Exception):
    pass


def _fn(name: str, restype, argtypes: list) -> Any:
    func = lgdal[name]
    func.restype = restype
    func.argtypes = argtypes
    return func


_register_all = _fn("GDALAllRegister", None, [])
_get_driver = _fn("GDALGetDriverByName", c_void_p, [c_char_p])
_create = _fn(
    "GDALCreate", c_void_p, [c_void_p, c_char_p, c_int, c_int, c_int, c_int, POINTER(c_char_p)]
)
_create_layer = _fn(
    "GDALDatasetCreateLayer", c_void_p, [c_void_p, c_char_p, c_void_p, c_int, POINTER(c_char_p)]
)
_start = _fn("GDALDatasetStartTransaction", c_int, [c_void_p, c_int])
_commit = _fn("GDALDatasetCommitTransaction", c_int, [c_void_p])
_close = _fn("GDALClose", None, [c_void_p])
_fld_create = _fn("OGR_Fld_Create", c_void_p, [c_char_p, c_int])
_fld_width = _fn("OGR_Fld_SetWidth", None, [c_void_p, c_int])
_fld_subtype = _fn("OGR_Fld_SetSubType", None, [c_void_p, c_int])
_fld_destroy = _fn("OGR_Fld_Destroy", None, [c_void_p])
_create_field = _fn("OGR_L_CreateField", c_int, [c_void_p, c_void_p, c_int])
_layer_defn = _fn("OGR_L_GetLayerDefn", c_void_p, [c_void_p])
_f_create = _fn("OGR_F_Create", c_void_p, [c_void_p])
_f_destroy = _fn("OGR_F_Destroy", None, [c_void_p])
_f_string = _fn("OGR_F_SetFieldString", None, [c_void_p, c_int, c_char_p])
_f_int64 = _fn("OGR_F_SetFieldInteger64", None, [c_void_p, c_int, c_int64])
_f_double = _fn("OGR_F_SetFieldDouble", None, [c_void_p, c_int, c_double])
_f_datetime = _fn(
    "OGR_F_SetFieldDateTime",
    None,
    [c_void_p, c_int, c_int, c_int, c_int, c_int, c_int, c_int, c_int],
)
_f_null = _fn("OGR_F_SetFieldNull", None, [c_void_p, c_int])
_f_set_geometry = _fn("OGR_F_SetGeometry", c_int, [c_void_p, c_void_p])
_create_feature = _fn("OGR_L_CreateFeature", c_int, [c_void_p, c_void_p])


def _options(values: list[str]):
    array = (c_char_p * (len(values) + 1))(*[v.encode() for v in values], None)
    return array


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # "str", "int", "float", "bool", "date", "datetime"


class LayerWriter:
    """One layer in a new Shapefile or GeoPackage: `add(values, geom)` per feature, then
    `close()` (or use it as a context manager). Geometry is written in SRID 4326."""

    def __init__(
        self, path: Path, *, fmt: str, layer: str, geometry_type: str, fields: list[Field]
    ) -> None:
        self.fmt = fmt
        self.fields = fields
        _register_all()  # idempotent; GeoDjango registers drivers only when it opens a file
        driver = _get_driver(DRIVERS[fmt].encode())
        if not driver:
            raise OGRWriteError(f"GDAL has no {DRIVERS[fmt]} driver.")
        self._ds = _create(driver, str(path).encode(), 0, 0, 0, 0, None)
        if not self._ds:
            raise OGRWriteError(f"GDAL could not create {path}.")
        self._srs = SpatialReference(4326)
        self._layer = _create_layer(
            self._ds,
            layer.encode(),
            self._srs.ptr,
            GEOMETRY_TYPES.get(geometry_type, WKB_UNKNOWN),
            _options(LAYER_OPTIONS[fmt]),
        )
        if not self._layer:
            self.close()
            raise OGRWriteError(f"GDAL could not create the layer {layer!r} in {path}.")
        for field in fields:
            self._add_field(field)
        self._defn = _layer_defn(self._layer)
        self._in_transaction = _start(self._ds, 0) == 0  # GeoPackage: one commit, not one a row

    def _ogr_type(self, kind: str) -> int:
        if kind == "int":
            return OFT_INTEGER64
        if kind == "bool":
            return OFT_INTEGER
        if kind == "float":
            return OFT_REAL
        if kind == "date":
            return OFT_DATE
        if kind == "datetime" and self.fmt == "gpkg":
            return OFT_DATETIME
        return OFT_STRING  # a Shapefile has no date-time type: ISO 8601 text

    def _add_field(self, field: Field) -> None:
        ogr_type = self._ogr_type(field.kind)
        defn = _fld_create(field.name.encode(), ogr_type)
        if ogr_type == OFT_STRING and self.fmt == "shp":
            _fld_width(defn, SHAPEFILE_STRING_WIDTH)
        if field.kind == "bool" and self.fmt == "gpkg":
            _fld_subtype(defn, OFST_BOOLEAN)
        try:
            if _create_field(self._layer, defn, 0) != 0:
                raise OGRWriteError(f"GDAL could not create the field {field.name!r}.")
        finally:
            _fld_destroy(defn)

    def add(self, values: list[Any], geom: GEOSGeometry | None) -> None:
        feature = _f_create(self._defn)
        try:
            for index, (field, value) in enumerate(zip(self.fields, values, strict=True)):
                self._set(feature, index, field, value)
            if geom is not None and not geom.empty:
                ogr = geom.ogr
                if _f_set_geometry(feature, ogr.ptr) != 0:
                    raise OGRWriteError("GDAL could not set a feature's geometry.")
            if _create_feature(self._layer, feature) != 0:
                raise OGRWriteError("GDAL could not write a feature.")
        finally:
            _f_destroy(feature)

    def _set(self, feature, index: int, field: Field, value: Any) -> None:
        if value is None or value == "":
            if field.kind != "str" or value is None:
                _f_null(feature, index)
                return
        ogr_type = self._ogr_type(field.kind)
        if ogr_type in (OFT_INTEGER, OFT_INTEGER64):
            _f_int64(feature, index, int(value))
        elif ogr_type == OFT_REAL:
            _f_double(feature, index, float(value))
        elif ogr_type == OFT_DATE and isinstance(value, datetime.date):
            _f_datetime(feature, index, value.year, value.month, value.day, 0, 0, 0, 0)
        elif ogr_type == OFT_DATETIME and isinstance(value, datetime.datetime):
            # TZ flag 100 is UTC; the value is converted to UTC first.
            utc = value.astimezone(datetime.UTC)
            _f_datetime(
                feature, index, utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second, 100
            )
        else:
            text = value.isoformat() if hasattr(value, "isoformat") else str(value)
            _f_string(feature, index, text.encode())

    def close(self) -> None:
        if self._ds:
            if getattr(self, "_in_transaction", False):
                _commit(self._ds)
            _close(self._ds)
            self._ds = None

    def __enter__(self) -> LayerWriter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
