"""The OpenAPI (drf-spectacular) inspector of the registry viewsets: file exports are
documented as binary downloads, and the `format` parameter says what each format gives."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema as BaseAutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

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

    # -- optimistic concurrency: ETag out, If-Match in, 412 when stale --------------------
    def _versioned_detail(self) -> bool:
        action = getattr(self.view, "action", None)
        return getattr(self.view, "etag_documented", False) and action in {
            "retrieve",
            "create",
            "update",
            "partial_update",
            "destroy",
        }

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if not self._versioned_detail():
            return parameters
        action = self.view.action
        if action in {"update", "partial_update", "destroy"}:
            parameters.append(
                OpenApiParameter(
                    "If-Match",
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    required=False,
                    description=IF_MATCH_NOTE,
                )
            )
        if action != "destroy":
            parameters.append(
                OpenApiParameter(
                    "ETag",
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    response=[201] if action == "create" else [200],
                    description=ETAG_NOTE,
                )
            )
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if self._versioned_detail() and self.view.action in {"update", "partial_update", "destroy"}:
            responses["412"] = {
                "content": {"application/json": {"schema": ERROR_SCHEMA}},
                "description": PRECONDITION_NOTE,
            }
        return responses


ETAG_NOTE = (
    "The record's version (strong entity tag). Send it back in If-Match when you change or "
    "delete the record."
)
IF_MATCH_NOTE = (
    "Optional. The ETag read with the record; when the record has changed since, the write "
    "is refused with 412 and nothing is saved. Without If-Match the write is accepted "
    "(last write wins)."
)
PRECONDITION_NOTE = (
    "The record changed since the If-Match version was read (error shape: message, code "
    "`precondition_failed`, extra)."
)
ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "message": {"type": "string"},
        "code": {"type": "string"},
        "extra": {"type": "object", "additionalProperties": True},
    },
    "required": ["message", "code", "extra"],
}
