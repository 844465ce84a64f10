"""A serializer's output for many rows, without DRF's per-field work where the answer is plain
(imports no app).

DRF's `Serializer.to_representation` asks each field of each row to find its attribute (walking
`source_attrs`, checking for callables) and to convert it; a datetime looks the current time
zone up in a thread-local twice per value, a choice label is translated again per row. For a
page of 50 meetings that was about half of the list's time in Python. A `RowPlan`, made once
per serializer, decides per field what can be done more directly, with the same result:

- a model column whose descriptor is Django's plain `DeferredAttribute` (or a foreign key's id
  behind a `PrimaryKeyRelatedField`) is read from the instance's `__dict__`, where Django keeps
  a loaded column's value; a deferred column is not there and takes DRF's way;
- an ISO 8601 datetime is converted to the time zone read once per serializer;
- a field with a `row_converter()` (`ChoiceLabelField`: labels translated once per serializer)
  gives its own function.

Every other field, and any field of a class that overrides how it reads or converts, takes
DRF's path unchanged. `tests/api/test_serializer_rows.py` compares both paths on every
serializer that uses this.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db.models.query_utils import DeferredAttribute
from django.utils import timezone
from rest_framework import ISO_8601, serializers
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject, PrimaryKeyRelatedField, RelatedField
from rest_framework.settings import api_settings

_FIELD_GET = serializers.Field.get_attribute
_DATETIME_METHODS = (
    serializers.DateTimeField.to_representation,
    serializers.DateTimeField.enforce_timezone,
    serializers.DateTimeField.default_timezone,
)


def _column(field: serializers.Field, model) -> str | None:
    """The attname whose loaded value DRF would read for `field`, or None."""
    if model is None or len(getattr(field, "source_attrs", ())) != 1:
        return None
    try:
        model_field = model._meta.get_field(field.source_attrs[0])
    except FieldDoesNotExist:
        return None
    if not getattr(model_field, "concrete", False):
        return None
    if isinstance(field, PrimaryKeyRelatedField):
        plain = (
            model_field.many_to_one
            and field.pk_field is None
            and field.use_pk_only_optimization()
            and type(field).get_attribute is RelatedField.get_attribute
            and type(field).to_representation is PrimaryKeyRelatedField.to_representation
        )
        return model_field.attname if plain else None
    if isinstance(field, RelatedField) or model_field.is_relation:
        return None
    if type(field).get_attribute is not _FIELD_GET:
        return None
    if type(model.__dict__.get(model_field.attname)) is not DeferredAttribute:
        return None  # geometry and other fields whose descriptor converts the stored value
    return model_field.attname


def _converter(field: serializers.Field, tz) -> Callable[[Any], Any] | None:
    """A plain function giving `field.to_representation(value)` for a non-null value, or None
    to call the field itself."""
    if isinstance(field, PrimaryKeyRelatedField):
        return _same
    own = getattr(field, "row_converter", None)  # a field that knows its own shortcut
    if own is not None:
        return own()
    if (
        isinstance(field, serializers.DateTimeField)
        and (
            type(field).to_representation,
            type(field).enforce_timezone,
            type(field).default_timezone,
        )
        == _DATETIME_METHODS
        and getattr(field, "format", api_settings.DATETIME_FORMAT) == ISO_8601
        and not hasattr(field, "timezone")
        and tz is not None
    ):

        def iso(value):
            if isinstance(value, str) or timezone.is_naive(value):
                return field.to_representation(value)
            text = value.astimezone(tz).isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text

        return iso
    return None


def _same(value):
    return value


class RowPlan:
    """How to write one row of a serializer: (name, field, attname or None, converter or None)
    per readable field, in the serializer's order."""

    def __init__(self, serializer: serializers.Serializer, only=None) -> None:
        model = getattr(getattr(serializer, "Meta", None), "model", None)
        tz = timezone.get_current_timezone() if settings.USE_TZ else None
        self.size = len(serializer.fields)
        self.steps = []
        for field in serializer._readable_fields if only is None else only:
            if field.write_only:
                continue
            column = _column(field, model)
            self.steps.append(
                (field.field_name, field, column, _converter(field, tz) if column else None)
            )

    def write(self, instance, skip_missing: bool = True) -> dict[str, Any]:
        """The row as DRF's `Serializer.to_representation` writes it (a field whose attribute
        is missing and not required is left out); without `skip_missing`, as drf-gis writes a
        Feature's properties (the same, except that such a field is an error)."""
        row: dict[str, Any] = {}
        loaded = getattr(instance, "__dict__", {})
        for name, field, column, convert in self.steps:
            if column is not None and column in loaded:
                value = loaded[column]
                if value is None:
                    row[name] = None
                else:
                    row[name] = convert(value) if convert else field.to_representation(value)
                continue
            try:
                attribute = field.get_attribute(instance)
            except SkipField:
                if not skip_missing:
                    raise
                continue
            check = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
            row[name] = None if check is None else field.to_representation(attribute)
        return row


def row_plan(serializer: serializers.Serializer, slot: str, only=None) -> RowPlan:
    """The serializer's plan kept in its attribute `slot` (one per use: rows, or a Feature's
    properties), made again if fields were dropped or added after it was made."""
    plan = serializer.__dict__.get(slot)
    if plan is None or plan.size != len(serializer.fields):
        plan = RowPlan(serializer, only=only)
        setattr(serializer, slot, plan)
    return plan
