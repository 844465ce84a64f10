"""Column names shared by exports and imports: the stable field name (CSV, GeoJSON,
GeoPackage), the Russian header (XLSX) and the Shapefile name (at most 10 characters).

An import recognises a column by any of the three, so a file exported here imports back
whatever format it went out in.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from officers.models import Assignment, Assistant, Inspector
from stations.models import ModularPost, Settlement, Station

# Russian headers of the columns that are not a model field of their own.
LABELS = {
    "id": _("ID"),
    "lon": _("долгота"),
    "lat": _("широта"),
    "full_name": _("ФИО"),
    "district_kato": _("код КАТО района"),
    "region_kato": _("код КАТО области"),
    "precinct_number": _("номер участка"),
    "station_number": _("номер УПП"),
    "inspector_personnel_number": _("табельный номер инспектора"),
    "status_label": _("статус (название)"),
    "rank_label": _("звание (название)"),
    "position_label": _("должность (название)"),
    "kind_label": _("вид (название)"),
}

# Shapefile (dBase) field names hold 10 characters; these are the names longer field names
# get, fixed so a layer written today and one written next year have the same columns.
SHAPEFILE_NAMES = {
    "district_kato": "dist_kato",
    "region_kato": "reg_kato",
    "round_the_clock": "round_clk",
    "combined_with_housing": "housing",
    "on_police_balance_since": "balance_on",
    "reception_hours": "reception",
    "status_label": "status_lbl",
    "rank_label": "rank_lbl",
    "position_label": "pos_lbl",
    "kind_label": "kind_lbl",
    "personnel_number": "personnel",
    "personal_phone": "pers_phone",
    "service_phone": "serv_phone",
    "messenger_url": "messenger",
    "middle_name": "middle_nm",
    "appointed_on": "appointed",
    "precinct_number": "prec_num",
    "station_number": "stat_num",
    "inspector_personnel_number": "insp_tabn",
    "coverage_radius_m": "radius_m",
    "scheduled_at": "sched_at",
    "cancel_reason": "cancel_rsn",
    "resolved_on": "resolved",
}


def shapefile_names(names: Iterable[str]) -> list[str]:
    """Shapefile names for field names, in order: the fixed ones above, else the first 10
    characters; a clash gets the first 8 and a two-digit number."""
    taken: set[str] = set()
    result = []
    for name in names:
        short = SHAPEFILE_NAMES.get(name, name[:10])
        if short in taken:
            n = 1
            while f"{name[:8]}{n:02d}" in taken:
                n += 1
            short = f"{name[:8]}{n:02d}"
        taken.add(short)
        result.append(short)
    return result


def label_for(model: type[models.Model] | None, name: str, source: str | None = None) -> str:
    """The Russian header of a column: its own label, else the model field's verbose name
    (a foreign key's with "(ID)", since the column holds ids)."""
    with translation.override("ru"):
        if name in LABELS:
            return str(LABELS[name])
        field_name = source if source and "." not in source and source != "*" else name
        if model is not None:
            try:
                field = model._meta.get_field(field_name)
            except Exception:  # noqa: BLE001 - not a model field: fall back to the name
                field = None
            if field is not None and hasattr(field, "verbose_name"):
                label = str(field.verbose_name)
                if field.is_relation and field.many_to_one:
                    label = f"{label} (ID)"
                return label
        return name


def normalise(header: Any) -> str:
    """A header as compared on import: case-folded, ё as е, runs of spaces/_/- as one space."""
    text = str(header if header is not None else "").strip().casefold().replace("ё", "е")
    return re.sub(r"[\s_\-]+", " ", text)


@dataclass(frozen=True)
class Extra:
    """A column an export adds to a model's serializer fields: a natural key an import needs
    (a district's KATO code, a precinct's number) that the API shows only as an id.

    `private` names the model whose `view` permission the column needs.
    """

    name: str
    kind: str
    get: Callable[[Any], Any]
    private: type[models.Model] | None = None


def _attr(path: str) -> Callable[[Any], Any]:
    def get(obj):
        for part in path.split("."):
            obj = getattr(obj, part, None)
            if obj is None:
                return None
        return obj

    return get


EXTRAS: dict[type[models.Model], list[Extra]] = {
    Settlement: [Extra("district_kato", "str", _attr("district.kato"))],
    Station: [
        Extra("district_kato", "str", _attr("district.kato")),
        Extra("precinct_number", "int", _attr("precinct.number")),
    ],
    ModularPost: [Extra("district_kato", "str", _attr("district.kato"))],
    Inspector: [
        Extra("district_kato", "str", _attr("precinct.district.kato")),
        Extra("precinct_number", "int", _attr("precinct.number")),
        Extra("station_number", "str", _attr("station.number")),
    ],
    Assistant: [
        Extra(
            "inspector_personnel_number",
            "str",
            _attr("inspector.personnel_number"),
            private=Inspector,
        )
    ],
    Assignment: [
        Extra(
            "inspector_personnel_number",
            "str",
            _attr("inspector.personnel_number"),
            private=Inspector,
        ),
        Extra("district_kato", "str", _attr("precinct.district.kato")),
        Extra("precinct_number", "int", _attr("precinct.number")),
    ],
}
