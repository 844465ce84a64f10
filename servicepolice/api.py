"""API plumbing shared by every app: renderers, parsers, paging, geometry fields and one error
shape. Imports no app, and no DRF views (DRF reads the parsers here from settings at import)."""

from __future__ import annotations

import codecs
import copy
import json
import math
import re
import secrets
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry, WKBWriter
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, pagination, parsers, renderers, serializers, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework_gis.fields import GeoJsonDict, GeometryField
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from servicepolice import geo
from servicepolice.i18n import localized
from servicepolice.serializer_rows import row_plan
from servicepolice.table_versions import cached_count, cached_page_keys

MSG_VALIDATION = _("Проверьте введённые данные.")
MSG_LIMIT = _("Параметр limit: целое число от 1 до %(max)s.")
MSG_OFFSET = _("Параметр offset: целое неотрицательное число.")
MSG_SIMPLIFY = _("Параметр simplify: число метров от 0 до 100000.")
MSG_BODY_TOO_LARGE = _("Тело запроса больше допустимых %(limit)s байт.")
MSG_GEOMETRY_TYPE = _("Ожидается геометрия типа %(expected)s, получена %(got)s.")
MSG_GEOMETRY_EMPTY = _("Пустая геометрия.")
MSG_GEOMETRY_SRID = _("Не удалось перевести координаты из SRID %(srid)s в 4326.")
MSG_GEOMETRY_PARSE = _(
    "Некорректная геометрия: ожидается объект GeoJSON (или WKT/EWKT) с координатами "
    "«долгота, широта»."
)
MSG_GEOMETRY_NOT_FINITE = _(
    "Координаты должны быть конечными числами в пределах системы координат."
)
MSG_GEOMETRY_RANGE = _(
    "Координаты вне допустимого диапазона: долгота от -180 до 180, широта от -90 до 90."
)
MSG_GEOMETRY_OUTSIDE_KZ = _(
    "Координаты вне территории Казахстана (долгота %(west)s–%(east)s, широта %(south)s–%(north)s). "
    "Проверьте, не перепутаны ли широта и долгота."
)
MSG_BODY_NOT_OBJECT = _("Тело запроса должно быть объектом JSON.")
MSG_BODY_NOT_JSON = _("Тело запроса не является корректным JSON: %(reason)s")
MSG_BODY_NUMBER = _("Тело запроса содержит число вне допустимого диапазона.")
MSG_FEATURE_PROPERTIES = _("Поле properties объекта GeoJSON Feature должно быть объектом.")
MSG_PROTECTED = _("Нельзя удалить: на запись ссылаются другие записи (%(related)s).")


MSG_THROTTLED = _("Слишком много запросов: повторите позже.")


def throttled_message(wait: float | None) -> str:
    """DRF formats the wait into its msgid before looking it up, so its own text stays English
    in every language; this one is translated, with the right plural."""
    if wait is None:
        return str(MSG_THROTTLED)
    seconds = max(1, math.ceil(wait))
    return ngettext(
        "Слишком много запросов: повторите через %(wait)d секунду.",
        "Слишком много запросов: повторите через %(wait)d секунд.",
        seconds,
    ) % {"wait": seconds}


DJANGO_NOT_FOUND = re.compile(r"^No \w+ matches the given query\.$")


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("Тело запроса слишком большое.")
    default_code = "payload_too_large"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("Конфликт с текущим состоянием записи.")
    default_code = "conflict"


def _check_body_size(parser_context: dict[str, Any] | None) -> None:
    request = (parser_context or {}).get("request")
    if request is None:
        return
    limit = settings.API_MAX_BODY_BYTES
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limit:
        raise PayloadTooLarge(MSG_BODY_TOO_LARGE % {"limit": limit})


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e400 parses to inf, which no field can store
        raise exceptions.ParseError(MSG_BODY_NUMBER)
    return value


def _no_constant(name: str) -> None:
    raise exceptions.ParseError(MSG_BODY_NUMBER)


class JSONParser(parsers.JSONParser):
    """A JSON object up to settings.API_MAX_BODY_BYTES (larger: 413), finite numbers only."""

    def parse(self, stream, media_type=None, parser_context=None):
        _check_body_size(parser_context)
        encoding = parsers.get_encoding(parser_context or {})
        try:
            data = json.load(
                codecs.getreader(encoding)(stream),
                parse_float=_finite_float,
                parse_constant=_no_constant,
            )
        except (ValueError, RecursionError) as exc:  # RecursionError: absurdly deep nesting
            raise exceptions.ParseError(MSG_BODY_NOT_JSON % {"reason": exc}) from None
        if not isinstance(data, dict):
            raise exceptions.ParseError(MSG_BODY_NOT_OBJECT)
        return data


class GeoJSONParser(JSONParser):
    """A GeoJSON Feature as a request body (Content-Type: application/geo+json)."""

    media_type = "application/geo+json"


class RawJSON(Mapping):
    """JSON text written elsewhere (the database's GeoJSON): `JSONRenderer` puts it into the
    response as it is, without parsing and re-encoding it; anything else sees a read-only
    mapping, parsed on first use."""

    __slots__ = ("text", "_parsed")

    def __init__(self, text: str) -> None:
        self.text = text
        self._parsed = None

    def _data(self) -> dict:
        if self._parsed is None:
            self._parsed = json.loads(self.text)
        return self._parsed

    def __getitem__(self, key):
        return self._data()[key]

    def __iter__(self):
        return iter(self._data())

    def __len__(self) -> int:
        return len(self._data())


class JSONRenderer(renderers.JSONRenderer):
    """DRF's JSON renderer, which also writes `RawJSON` values as they are. A district's precincts
    are 150 KB of coordinates: parsing the database's GeoJSON only to encode it again cost more
    than the query."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        raws: list[str] = []
        marker = secrets.token_hex(8)

        class Encoder(type(self).encoder_class):
            def default(self, obj):
                if isinstance(obj, RawJSON):
                    raws.append(obj.text)
                    return f"\x00{marker}:{len(raws) - 1}"  # a string no data can hold
                return super().default(obj)

        self.encoder_class = Encoder  # this renderer instance serves one response
        rendered = super().render(data, accepted_media_type, renderer_context)
        if not raws:
            return rendered
        placeholder = re.compile(rb'"\\u0000' + marker.encode() + rb':(\d+)"')
        return placeholder.sub(lambda m: raws[int(m[1])].encode(), rendered)


class GeoJSONRenderer(JSONRenderer):
    """GeoJSON output, chosen by `?format=geojson` or `Accept: application/geo+json`."""

    media_type = "application/geo+json"
    format = "geojson"


class ExportRenderer(renderers.BaseRenderer):
    """A file export of a whole list (`?format=csv|xlsx|shp|gpkg`, or the Accept header).

    Content negotiation picks it; the list view then writes the file itself and streams it
    (RegistryViewSet.export_list), so `render` is reached only by a response the view did not
    turn into a file, which it answers in JSON."""

    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return json.dumps(data, ensure_ascii=False, default=str).encode()


class CSVRenderer(ExportRenderer):
    media_type = "text/csv"
    format = "csv"


class XLSXRenderer(ExportRenderer):
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    format = "xlsx"


class ShapefileRenderer(ExportRenderer):
    media_type = "application/zip"
    format = "shp"


class GeoPackageRenderer(ExportRenderer):
    media_type = "application/geopackage+sqlite3"
    format = "gpkg"


# Every list exports as a spreadsheet; lists of features also as GIS layers.
TABULAR_EXPORT_RENDERERS = (CSVRenderer, XLSXRenderer)
GEO_EXPORT_RENDERERS = (ShapefileRenderer, GeoPackageRenderer)


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    """limit/offset paging: 50 rows by default, 500 at most; GeoJSON lists stay FeatureCollections.

    A limit or offset that is not a number or is out of range is a 400, not silently clamped.
    """

    default_limit = 50
    max_limit = 500

    def get_limit(self, request) -> int:
        raw = request.query_params.get(self.limit_query_param)
        if raw is None or raw == "":
            return self.default_limit
        try:
            value = int(raw)
        except ValueError:
            value = 0
        if not 1 <= value <= self.max_limit:
            raise exceptions.ValidationError({"limit": [MSG_LIMIT % {"max": self.max_limit}]})
        return value

    def get_offset(self, request) -> int:
        raw = request.query_params.get(self.offset_query_param)
        if raw is None or raw == "":
            return 0
        try:
            value = int(raw)
        except ValueError:
            value = -1
        if value < 0:
            raise exceptions.ValidationError({"offset": [MSG_OFFSET]})
        return value

    # From this offset on, a page first finds its rows' keys, then reads only those rows whole.
    DEEP_OFFSET = 1000

    def paginate_queryset(self, queryset, request, view=None):
        """DRF's paging; a deep page (offset ≥ DEEP_OFFSET) of a QuerySet is read in two steps.

        `OFFSET 5000` makes the database build every skipped row: its joined rows (precinct,
        district, region...) and computed columns (GeoJSON) included. The keys of the page's
        rows come first, from the filters and ordering alone; then the rows themselves, by key.
        Same rows, same order."""
        if (
            isinstance(queryset, QuerySet)
            and not queryset.query.distinct
            and self.get_offset(request) >= self.DEEP_OFFSET
        ):
            queryset = _KeysFirst(queryset)
        return super().paginate_queryset(queryset, request, view)

    def get_count(self, queryset) -> int:
        # Counts are kept until a table they read changes (servicepolice/table_versions.py).
        if isinstance(queryset, _KeysFirst):
            queryset.known_count = cached_count(queryset.queryset)
            return queryset.known_count
        if isinstance(queryset, QuerySet):
            return cached_count(queryset)
        return super().get_count(queryset)

    def get_paginated_response(self, data):
        if isinstance(data, dict) and data.get("type") == "FeatureCollection":
            return Response(
                {
                    "type": "FeatureCollection",
                    "count": self.count,
                    "next": self.get_next_link(),
                    "previous": self.get_previous_link(),
                    "features": data["features"],
                }
            )
        return super().get_paginated_response(data)


class _KeysFirst:
    """A QuerySet's slices for paging, each read keys first (see paginate_queryset); the count
    is the QuerySet's (get_count)."""

    def __init__(self, queryset: QuerySet) -> None:
        self.queryset = queryset
        self.known_count: int | None = None  # set by get_count

    def __getitem__(self, page: slice) -> list:
        keys = cached_page_keys(self.queryset, page, self.known_count)
        rows = {row.pk: row for row in self.queryset.order_by().filter(pk__in=keys)}
        return [rows[key] for key in keys if key in rows]


_FIELDS: dict[tuple[type, str | None], dict] = {}


def _field_copy(field: serializers.Field) -> serializers.Field:
    """A field for one serializer. A field without fields inside gets a shallow copy: binding
    sets only the copy's own attributes (name, parent, source), and what it shares with the
    kept one (choices, validators, error messages, a related field's queryset, which is cloned
    before use) is only read. DRF's deep copy rebuilt every field from its arguments: a fifth
    of `/locate/`'s time, with its seven nested serializers. A nested serializer, or a field
    with a child field (lists, many-related fields), is deep-copied, since binding would
    rebind the shared child."""
    if isinstance(field, serializers.BaseSerializer) or any(
        hasattr(field, name) for name in ("child", "child_relation")
    ):
        return copy.deepcopy(field)
    return copy.copy(field)


class CachedFieldsMixin:
    """A serializer whose fields are built once per class (and language), then copied.

    DRF builds a ModelSerializer's fields from the model for every serializer it creates (a
    page, a nested answer): 1 to 2 ms each, more than a small answer's query. A copy of the
    built fields is a fraction of that."""

    def get_fields(self):
        key = (type(self), get_language())
        fields = _FIELDS.get(key)
        if fields is None:
            fields = _FIELDS[key] = super().get_fields()
        return {name: _field_copy(field) for name, field in fields.items()}

    def to_representation(self, instance):
        # The same dict as DRF's, written by a plan made once per serializer (serializer_rows).
        return row_plan(self, "_row_plan").write(instance)


class ChoiceLabelField(serializers.CharField):
    """The label of a choices field's value, read-only: what `get_<field>_display()` returns.

    `CharField(source="get_status_display")` inspects that method's signature for every row
    (it is a partialmethod, so the inspection is slow): a quarter of a 50-row page's time."""

    def __init__(self, field: str, choices, **kwargs: Any) -> None:
        self.labels = dict(choices)
        super().__init__(source=field, read_only=True, **kwargs)

    def to_representation(self, value: Any) -> str:
        return str(self.labels.get(value, value))

    def row_converter(self):
        """`to_representation` with the labels translated once (serializer_rows.RowPlan)."""
        resolved = {key: str(label) for key, label in self.labels.items()}
        return lambda value: resolved[value] if value in resolved else str(value)


# Larger than any projected coordinate on Earth (metres) and far below what makes GEOS's WKT
# writer overflow (about 1e120) or PROJ spin; anything bigger is garbage, refused before use.
_MAX_ABS_COORDINATE = 1e9


class ModelGeometryField(GeometryField):
    """GeoJSON geometry in and out: checks the type, takes SRID 4326 (or transforms once on the way
    in), drops Z and M (stored geometry is 2D), promotes Polygon to MultiPolygon, refuses
    coordinates outside Kazakhstan's extent, rounds output to 6 decimals (about 10 cm), and
    simplifies polygons by `simplify` metres when the view asks for it."""

    def __init__(self, geom_type: str, **kwargs: Any) -> None:
        kwargs.setdefault("precision", 6)
        self.geom_type = geom_type
        super().__init__(**kwargs)

    def to_internal_value(self, value: Any) -> GEOSGeometry:
        if isinstance(value, dict) and value.get("type") == "Feature":
            value = value.get("geometry")
        try:
            geom = super().to_internal_value(value)
        except (DjangoValidationError, exceptions.ValidationError, GEOSException, GDALException):
            raise exceptions.ValidationError(MSG_GEOMETRY_PARSE) from None
        if not isinstance(geom, GEOSGeometry):
            raise exceptions.ValidationError(MSG_GEOMETRY_PARSE)
        if geom.empty:
            raise exceptions.ValidationError(MSG_GEOMETRY_EMPTY)
        if not all(math.isfinite(c) and abs(c) <= _MAX_ABS_COORDINATE for c in geom.extent):
            raise exceptions.ValidationError(MSG_GEOMETRY_NOT_FINITE)
        if geom.hasz:
            geom = _flatten(geom)
        if self.geom_type == "MultiPolygon":
            geom = geo.as_multipolygon(geom)
        if geom.geom_type != self.geom_type:
            raise exceptions.ValidationError(
                MSG_GEOMETRY_TYPE % {"expected": self.geom_type, "got": geom.geom_type}
            )
        if geom.srid is None:
            geom.srid = geo.WGS84
        elif geom.srid != geo.WGS84:
            try:
                geom = geom.transform(geo.WGS84, clone=True)
            except (GDALException, GEOSException):
                raise exceptions.ValidationError(MSG_GEOMETRY_SRID % {"srid": geom.srid}) from None
        west, south, east, north = geom.extent
        if not all(map(math.isfinite, geom.extent)):
            raise exceptions.ValidationError(MSG_GEOMETRY_SRID % {"srid": geom.srid})
        if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
            raise exceptions.ValidationError(MSG_GEOMETRY_RANGE)
        # The model says the same, but only after its clean() has projected the geometry into
        # the district's UTM zone, which PROJ cannot do for the far side of the world.
        if not geo.in_kazakhstan(geom):
            west, south, east, north = geo.KZ_EXTENT
            raise exceptions.ValidationError(
                MSG_GEOMETRY_OUTSIDE_KZ
                % {"west": west, "east": east, "south": south, "north": north}
            )
        return geom

    def get_attribute(self, instance: Any) -> Any:
        # GeoJSON the database already wrote (see geojson_annotation): the geometry column was
        # left behind, so the text is all there is, and None means no geometry.
        if len(self.source_attrs) == 1:
            text = getattr(instance, geojson_annotation(self.source), _NOTHING)
            if text is not _NOTHING:
                return None if text is None else GeoJSONText(text)
        return super().get_attribute(instance)

    def to_representation(self, value: Any) -> Any:
        if isinstance(value, GeoJSONText):
            return RawJSON(value)
        simplify_m = self.context.get("simplify_m") if hasattr(self, "parent") else None
        if simplify_m and isinstance(value, GEOSGeometry) and "Polygon" in value.geom_type:
            value = geo.simplify(value, simplify_m)
        if (
            isinstance(value, GEOSGeometry)
            and self.transform is None
            and not (self.auto_bbox or self.remove_dupes)
        ):
            # drf-gis's answer, with the geometry written as GeoJSON once, not twice (it asks
            # `value.geojson`, a trip through OGR, once to test it and once to use it).
            text = value.geojson
            if text:
                geojson = GeoJsonDict(text)
                for part in geojson.get("geometries", [geojson]):
                    if self.precision is not None:
                        part["coordinates"] = self._recursive_round(
                            part["coordinates"], self.precision
                        )
                return geojson
        return super().to_representation(value)


_NOTHING = object()
GEOJSON_DECIMALS = 6


class GeoJSONText(str):
    """A geometry as GeoJSON text, written by the database (coordinates already rounded)."""


def geojson_annotation(field: str) -> str:
    """The name of the annotation that carries a geometry field as GeoJSON text."""
    return f"{field}_geojson"


def _flatten(geom: GEOSGeometry) -> GEOSGeometry:
    """The 2D copy of a geometry with Z (or M) values, SRID kept."""
    writer = WKBWriter()
    writer.outdim = 2
    flat = GEOSGeometry(writer.write(geom))
    flat.srid = geom.srid
    return flat


class _FeatureInput:
    """Takes a GeoJSON Feature on the way in only when its `properties` is an object; writes
    each Feature's properties by a row plan (serializer_rows), as CachedFieldsMixin writes rows."""

    def get_properties(self, instance, fields):
        return row_plan(self, "_properties_plan", only=fields).write(instance, skip_missing=False)

    def to_internal_value(self, data):
        if isinstance(data, dict) and "properties" in data:
            if not isinstance(data["properties"], dict):
                raise exceptions.ValidationError({"properties": [MSG_FEATURE_PROPERTIES]})
            data = self.unformat_geojson(dict(data, properties=dict(data["properties"])))
        return super(GeoFeatureModelSerializer, self).to_internal_value(data)


class LocalizedNameField(serializers.CharField):
    """`name` of bilingual rows: reads as the name in the request's language (Kazakh `name_kk`
    when the request is in Kazakh and it is filled, else the Russian name); writes set the
    Russian name, as before. `name_ru` and `name_kk` give both stored names."""

    def get_attribute(self, instance):
        return localized(instance, self.source)


def geojson_serializer(base: type) -> type[GeoFeatureModelSerializer]:
    """The GeoJSON Feature version of a ModelSerializer: the same fields, `geom` as geometry."""

    class Meta(base.Meta):
        geo_field = "geom"

    name = base.__name__.removesuffix("Serializer") + "GeoSerializer"
    return type(
        name,
        (_FeatureInput, GeoFeatureModelSerializer, base),
        {"Meta": Meta, "__module__": base.__module__},
    )


def simplify_param(request) -> int | None:
    """The simplification to apply for the `simplify` query parameter, in metres (see
    `simplify_level`), or None; a bad value is a 400."""
    raw = request.query_params.get("simplify")
    if raw in (None, ""):
        return None
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not (0 <= value <= 100_000) or math.isnan(value):
        raise exceptions.ValidationError({"simplify": [MSG_SIMPLIFY]})
    return simplify_level(value)


def simplify_level(metres: float) -> int | None:
    """The largest power of two metres (1, 2, 4, … 65536) not above a requested tolerance;
    None below a metre. Few levels let simplified shapes be computed once and kept."""
    if not metres >= 1:
        return None
    return 2 ** int(math.floor(math.log2(metres)))


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every error in one shape: {"message": ..., "code": ..., "extra": {"fields": {...}}}."""
    # Imported here: rest_framework.views reads this module's parsers from settings at import.
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404):
        # get_object_or_404 says "No Station matches the given query." in English whatever the
        # language; DRF's own "Not found." is translated (ru, kk, en).
        message = str(exc)
        untranslated = not message or DJANGO_NOT_FOUND.match(message)
        exc = exceptions.NotFound(None if untranslated else message)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    elif isinstance(exc, exceptions.Throttled):
        wait = exc.wait
        exc = exceptions.Throttled(detail=throttled_message(wait))  # no wait: no English tail
        exc.wait = wait  # Retry-After

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = (
            response.data
            if isinstance(response.data, dict)
            else {"non_field_errors": response.data}
        )
        response.data = {
            "message": str(MSG_VALIDATION),
            "code": "invalid",
            "extra": {"fields": fields},
        }
    else:
        detail = (
            response.data.get("detail", response.data)
            if isinstance(response.data, dict)
            else response.data
        )
        code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        response.data = {"message": str(detail), "code": code, "extra": {}}
    return response


# Register the OpenAPI description of the fields above with drf-spectacular.
from servicepolice import schema as _schema  # noqa: E402,F401
