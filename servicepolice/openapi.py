"""The OpenAPI (drf-spectacular) inspector of the registry viewsets: file exports are
documented as binary downloads, and the `format` parameter says what each format gives."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema as BaseAutoSchema

from servicepolice.api import GEO_EXPORT_RENDERERS, TABULAR_EXPORT_RENDERERS

EXPORT_MEDIA_TYPES = {r.media_type for r in (*TABULAR_EXPORT_RENDERERS, *GEO_EXPORT_RENDERERS)}
FORMATS = {
    "json": "a page of rows (the default)",
    "geojson": "a page as a GeoJSON FeatureCollection",
    "csv": "every row the filters match, as CSV (UTF-8)",
    "xlsx": "every row the filters match, as an Excel workbook with Russian column headers",
    "shp": "every feature the filters match, as a zipped Shapefile",
    "gpkg": "every feature the filters match, as a GeoPackage",
}
FILES_NOTE = (
    "File formats ignore paging unless limit or offset is given; in spreadsheets a point is "
    "two columns, lon and lat, and boundaries are left out (use shp or gpkg)."
)


class AutoSchema(BaseAutoSchema):
    def _get_format_parameters(self):
        parameters = super()._get_format_parameters()
        for parameter in parameters:
            formats = parameter.get("schema", {}).get("enum", [])
            lines = [f"{name}: {FORMATS[name]}" for name in formats if name in FORMATS]
            if any(name in formats for name in ("csv", "xlsx", "shp", "gpkg")):
                lines.append(FILES_NOTE)
            parameter["description"] = "Response format. " + "; ".join(lines) + "."
        return parameters

    def _get_response_for_code(
        self, serializer, status_code, media_types=None, direction="response"
    ):
        response = super()._get_response_for_code(serializer, status_code, media_types, direction)
        content = response.get("content") or {}
        for media_type in list(content):
            if media_type in EXPORT_MEDIA_TYPES:
                content[media_type] = {"schema": {"type": "string", "format": "binary"}}
        return response
