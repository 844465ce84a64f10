"""Regions, districts and precincts from a GIS layer of polygons."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry
from django.utils.translation import gettext as _

from servicepolice import geo
from stations import services
from stations.models import District, Precinct, Region

from ..columns import normalise
from ..sources import ImportFileError, Source, SourceRow
from .base import (
    CREATED,
    UNCHANGED,
    UPDATED,
    Importer,
    RowResult,
    assign,
    matches_where,
    parse_code,
    parse_int,
    parse_where,
)

LEVELS = {"region": Region, "district": District, "precinct": Precinct}
PARENTS = {"district": Region, "precinct": District}
KATO_RE = re.compile(r"^\d{9}$")
# A feature that lies mostly outside the parent it was given is worth a second look.
LOW_SHARE = 0.5


def split_fields(value: str | None) -> list[str]:
    """ "name:ru,name" -> ["name:ru", "name"]: the first non-empty one wins."""
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def first_value(row: SourceRow, source: Source, names: list[str]) -> Any:
    for name in names:
        value = row.values.get(source.column(name))
        if isinstance(value, str):
            value = value.strip()
        if value not in (None, ""):
            return value
    return None


class ProvisionalKato:
    """Codes for records the file gives no KATO code for: the prefix from settings and a
    running number (e.g. 990000001), so they can be told apart and replaced later."""

    def __init__(self, model) -> None:
        self.model = model
        self.prefix = settings.IMPORT_PROVISIONAL_KATO_PREFIX
        self.last: int | None = None

    def next(self) -> str:
        if self.last is None:
            codes = self.model.objects.filter(kato__startswith=self.prefix).values_list(
                "kato", flat=True
            )
            numbers = [int(c) for c in codes if KATO_RE.match(c)]
            self.last = max(numbers, default=int(self.prefix.ljust(9, "0")))
        self.last += 1
        return f"{self.last:09d}"


class BoundaryImporter(Importer):
    def __init__(
        self,
        source: Source,
        *,
        level: str,
        name_field: str = "name",
        name_kk_field: str | None = None,
        kato_field: str | None = None,
        population_field: str | None = None,
        parent_field: str | None = None,
        parent_kato: str | None = None,
        number_field: str | None = None,
        where: list[str] | None = None,
        kind: str | None = None,
    ) -> None:
        super().__init__(source)
        if level not in LEVELS:
            raise ImportFileError(_("Уровень: region, district или precinct."))
        self.level = level
        self.model = source.model = LEVELS[level]
        self.title = str(self.model._meta.verbose_name_plural).capitalize()
        self.name_fields = split_fields(name_field) or ["name"]
        self.name_kk_fields = split_fields(name_kk_field)
        self.kato_field = kato_field
        self.population_field = population_field
        self.parent_field = parent_field
        self.parent_kato = parent_kato
        self.number_field = number_field
        self.where_items = where or []
        self.kind = kind
        self._check_options()

    def _check_options(self) -> None:
        not_for = {
            "region": {
                "--population-field": self.population_field,
                "--parent-field": self.parent_field,
                "--parent-kato": self.parent_kato,
                "--number-field": self.number_field,
                "--kind": self.kind,
            },
            "district": {"--number-field": self.number_field},
            "precinct": {
                "--kato-field": self.kato_field,
                "--name-kk-field": ",".join(self.name_kk_fields),
                "--kind": self.kind,
            },
        }[self.level]
        given = [option for option, value in not_for.items() if value]
        if given:
            raise ImportFileError(
                _("Для уровня %(level)s не используется: %(options)s.")
                % {"level": self.level, "options": ", ".join(given)}
            )
        if self.level == "precinct" and not self.number_field:
            raise ImportFileError(
                _("Для участков укажите поле с номером участка (--number-field).")
            )
        if self.parent_field and self.parent_kato:
            raise ImportFileError(_("Укажите либо --parent-field, либо --parent-kato."))
        if self.kind and self.kind not in District.Kind.values:
            raise ImportFileError(_("Тип района: urban или rural."))

    def used_columns(self):
        names = [*self.name_fields, *self.name_kk_fields]
        names += [self.kato_field, self.population_field, self.parent_field, self.number_field]
        names += [item.partition("=")[0] for item in self.where_items]
        return [self.source.column(n) for n in names if n]

    # -- preparation ---------------------------------------------------------------------
    def prepare(self) -> None:
        source = self.source
        source.require(
            *self.name_fields[:1],
            self.kato_field,
            self.population_field,
            self.parent_field,
            self.number_field,
        )
        for name in self.name_fields[1:] + self.name_kk_fields:
            source.require(name)
        self.where = parse_where(self.where_items, source)
        self.parent_model = PARENTS.get(self.level)
        self.fixed_parent = None
        if self.parent_kato:
            self.fixed_parent = self.parent_model.objects.filter(kato=self.parent_kato).first()
            if self.fixed_parent is None:
                raise ImportFileError(
                    _("Нет записи «%(model)s» с кодом КАТО %(kato)s.")
                    % {"model": self.parent_model._meta.verbose_name, "kato": self.parent_kato}
                )
        self.parents: dict[int, Any] = {}
        self.parent_index = None
        if self.parent_model is not None and self.fixed_parent is None:
            parents = list(self.parent_model.objects.all())
            if not parents:
                raise ImportFileError(
                    _("Сначала загрузите %(parents)s: %(items)s привязываются к ним.")
                    % {
                        "parents": self.parent_model._meta.verbose_name_plural,
                        "items": self.model._meta.verbose_name_plural,
                    }
                )
            self.parents = {p.pk: p for p in parents}
            self.parent_index = geo.OverlapIndex((p.pk, p.geom) for p in parents)
        self.parent_attr = {"district": "region_id", "precinct": "district_id"}.get(self.level)
        # Natural keys of what exists: KATO code; name (and number) within the parent.
        existing = self.model.objects.defer("geom")
        self.by_kato: dict[str, int] = {}
        self.by_name: dict[tuple, int] = {}
        self.by_number: dict[tuple, int] = {}
        for obj in existing:
            parent_id = getattr(obj, self.parent_attr) if self.parent_attr else None
            if hasattr(obj, "kato") and obj.kato:
                self.by_kato[obj.kato] = obj.pk
            if obj.name:
                self.by_name.setdefault((parent_id, normalise(obj.name)), obj.pk)
            if self.level == "precinct":
                self.by_number[(parent_id, obj.number)] = obj.pk
        self.provisional = ProvisionalKato(self.model) if self.level != "precinct" else None

    # -- one feature ---------------------------------------------------------------------
    def _parent_from_field(self, value: Any) -> tuple[Any, str | None]:
        code = parse_code(value)
        if code is None:
            return None, _("пустое поле родителя")
        if KATO_RE.match(code):
            for parent in self.parents.values():
                if parent.kato == code:
                    return parent, None
            return None, _("нет записи с кодом КАТО %(kato)s") % {"kato": code}
        found = [p for p in self.parents.values() if normalise(p.name) == normalise(code)]
        if len(found) == 1:
            return found[0], None
        if found:
            return None, _("название «%(name)s» не однозначно: укажите код КАТО") % {"name": code}
        return None, _("нет записи с названием «%(name)s»") % {"name": code}

    def _parent(self, row: SourceRow, geom: GEOSGeometry, result: RowResult):
        if self.parent_model is None:
            return None, None
        if self.fixed_parent is not None:
            return self.fixed_parent, None
        if self.parent_field:
            return self._parent_from_field(row.values.get(self.source.column(self.parent_field)))
        key, _area, share = self.parent_index.largest_overlap(geom)
        if key is None:
            return None, _("не пересекается ни с одной записью «%(model)s»") % {
                "model": self.parent_model._meta.verbose_name
            }
        parent = self.parents[key]
        if share < LOW_SHARE:
            result.notes.append(
                _("внутри «%(parent)s» лишь %(share)s %% площади")
                % {
                    "parent": parent.name,
                    "share": round(share * 100),
                }
            )
        return parent, None

    def import_row(self, row: SourceRow) -> RowResult:
        source = self.source
        result = RowResult(number=row.number)
        name = first_value(row, source, self.name_fields)
        result.label = str(name or "")
        reason = matches_where(row, self.where)
        if reason:
            return self.skip(result, reason, invalid=False)
        if row.geom is None:
            return self.skip(result, row.geom_error or _("нет геометрии"))
        geom = row.geom
        if geom.geom_type not in ("Polygon", "MultiPolygon", "GeometryCollection"):
            return self.skip(
                result, _("геометрия %(type)s, а нужен полигон") % {"type": geom.geom_type}
            )
        geom, why = geo.repaired(geo.polygonal_part(geom))
        if why:
            result.repaired = True
            result.notes.append(_("исправлена геометрия (%(reason)s)") % {"reason": why})
        geom = geo.as_multipolygon(geom)
        if geom.empty or not geom.valid:
            return self.skip(result, _("геометрия пуста или не исправляется"))
        if not name and self.level != "precinct":  # a precinct is known by its number
            return self.skip(
                result, _("нет названия (поле %(field)s)") % {"field": ", ".join(self.name_fields)}
            )
        name = str(name or "")
        values: dict[str, Any] = {"name": name[:200], "geom": geom}
        if self.name_kk_fields:
            values["name_kk"] = str(first_value(row, source, self.name_kk_fields) or "")[:200]
        kato = None
        if self.kato_field:
            kato = parse_code(row.values.get(source.column(self.kato_field)))
            if kato is not None and not KATO_RE.match(kato):
                return self.skip(
                    result, _("код КАТО «%(kato)s»: нужно ровно 9 цифр") % {"kato": kato}
                )
        if self.population_field:
            population = self.population(result, row, self.population_field)
            if population is not None:
                values["population"] = population
        number = None
        if self.number_field:
            raw = row.values.get(source.column(self.number_field))
            try:
                number = parse_int(raw)
            except (TypeError, ValueError):
                number = None
            if number is None or number < 1:
                return self.skip(
                    result, _("номер участка «%(value)s»: нужно целое число от 1") % {"value": raw}
                )
            values["number"] = number
            result.label = f"№{number} {result.label}".strip()
        parent, why = self._parent(row, geom, result)
        if self.parent_model is not None and parent is None:
            return self.skip(result, why)
        parent_id = parent.pk if parent is not None else None
        if parent is not None:
            values[self.parent_attr] = parent_id
            result.label = f"{result.label} ({parent.name})"
        # Match: KATO code, else number (precincts), else name within the parent.
        pk = None
        if kato:
            pk = self.by_kato.get(kato)
        if pk is None and number is not None:
            pk = self.by_number.get((parent_id, number))
        if pk is None and name:
            pk = self.by_name.get((parent_id, normalise(name)))
            if pk is not None and kato and self._kato_of(pk) not in (None, kato):
                # Same name, different official code: a different unit, unless the stored code
                # is a provisional one the file now replaces.
                if not self._kato_of(pk).startswith(self.provisional.prefix):
                    pk = None
        if pk is not None and self.duplicate(result, pk, row):
            return result
        obj = self.model.objects.get(pk=pk) if pk is not None else self.model()
        if kato:
            values["kato"] = kato
        elif pk is None and self.provisional is not None:
            values["kato"] = result.provisional_kato = self.provisional.next()
        if pk is None and self.kind:
            values["kind"] = self.kind
        previous_parent = getattr(obj, self.parent_attr) if self.parent_attr else None
        if not assign(obj, values):
            result.action = UNCHANGED
            return result
        service = {
            "region": lambda: services.region_save(region=obj),
            "district": lambda: services.district_save(district=obj),
            "precinct": lambda: services.precinct_save(precinct=obj),
        }[self.level]
        if not self.save(result, obj, service):
            return result
        result.action = UPDATED if pk is not None else CREATED
        if pk is None:
            self.seen[obj.pk] = row.number
        if hasattr(obj, "kato") and obj.kato:
            self.by_kato[obj.kato] = obj.pk
        if obj.name:
            self.by_name.setdefault((parent_id, normalise(obj.name)), obj.pk)
        if self.level == "precinct":
            self.by_number[(parent_id, obj.number)] = obj.pk
            self.touched_districts.update({obj.district_id, previous_parent} - {None})
        elif self.level == "district":
            self.touched_districts.add(obj.pk)
        return result

    def _kato_of(self, pk: int) -> str | None:
        for code, found in self.by_kato.items():
            if found == pk:
                return code
        return None
