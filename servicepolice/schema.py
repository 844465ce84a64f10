"""OpenAPI (drf-spectacular) extensions for the shared API fields. Loaded by servicepolice.api."""

from django.contrib.gis.db import models
from drf_spectacular.contrib.rest_framework_gis import build_geo_schema
from drf_spectacular.extensions import OpenApiSerializerFieldExtension

_MODEL_FIELDS = {
    "Point": models.PointField,
    "MultiPolygon": models.MultiPolygonField,
    "Polygon": models.PolygonField,
}


class ModelGeometryFieldExtension(OpenApiSerializerFieldExtension):
    """A ModelGeometryField is the GeoJSON geometry of the type it was declared with."""

    target_class = "servicepolice.api.ModelGeometryField"
    priority = 1

    def map_serializer_field(self, auto_schema, direction):
        schema = build_geo_schema(_MODEL_FIELDS[self.target.geom_type]())
        if self.target.allow_null:
            schema = {**schema, "nullable": True}
        return schema
