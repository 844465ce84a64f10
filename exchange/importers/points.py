"""Settlements and facilities (stations, modular posts): points, from a GIS layer or from a
spreadsheet with lat/lon columns. Each point's district is given (KATO code or name) or found
where the point lies."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.gis.geos import Point
from django.utils.translation import gettext as _

from servicepolice import geo
from stations import services
from stations.models import District, FacilityStatus, ModularPost, Precinct, Region, Settlement
from stations.models import Station as StationModel
from stations.validators import tolerance_m

from ..columns import normalise
from ..sources import ImportFileError, Source, SourceRow, as_date
from .base import (
    CREATED,
    UNCHANGED,
    UPDATED,
    Importer,
    RowResult,
    assign,
    facility_reach,
    matches_where,
    parse_bool,
    parse_choice,
    parse_code,
    parse_int,
    parse_where,
)
from .boundaries import KATO_RE, first_value, split_fields


def _point(row: SourceRow) -> tuple[Point | None, str | None]:
    geom = row.geom
    if geom is None:
        return None, row.geom_error or _("нет координат")
    if geom.geom_type == "MultiPoint" and len(geom) == 1:
        geom = geom[0]
        geom.srid = geo.WGS84
    if geom.geom_type != "Point":
        return None, _("геометрия %(type)s, а нужна точка") % {"type": geom.geom_type}
    return geom, None


class PointImporter(Importer):
    """What settlements and facilities share: the district of each point."""

    def __init__(
        self,
        source: Source,
        *,
        district_field: str | None = None,
        district_kato: str | None = None,
        where: list[str] | None = None,
    ) -> None:
        super().__init__(source)
        if district_field and district_kato:
            raise ImportFileError(_("Укажите либо --district-field, либо --district-kato."))
        self.district_field = district_field
        self.district_kato = district_kato
        self.where_items = where or []

    def prepare(self) -> None:
        self.source.require(self.district_field, option="--district-field")
        self.where = parse_where(self.where_items, self.source)
        self.fixed_district = None
        if self.district_kato:
            self.fixed_district = District.objects.filter(kato=self.district_kato).first()
            if self.fixed_district is None:
                raise ImportFileError(
                    _("Нет района с кодом КАТО %(kato)s.") % {"kato": self.district_kato}
                )
        districts = list(District.objects.all())
        if not districts:
            raise ImportFileError(
                _("Сначала загрузите районы: точки привязываются к району, в котором лежат.")
            )
        self.districts = {d.pk: d for d in districts}
        self.district_by_kato = {d.kato: d for d in districts}
        self.district_index = geo.OverlapIndex((d.pk, d.geom) for d in districts)
        regions = list(Region.objects.all())
        self.regions = {r.pk: r for r in regions}
        self.region_index = geo.OverlapIndex((r.pk, r.geom) for r in regions)
        self.tolerance = tolerance_m()

    def district_for(
        self, row: SourceRow, point: Point, result: RowResult, kato_column: str | None = None
    ) -> tuple[District | None, str | None]:
        """The row's district: given, from a column (KATO code or name), or the one the point
        lies in (or within the tolerance of); else None with the reason."""
        if self.fixed_district is not None:
            return self.fixed_district, None
        column = self.source.column(self.district_field) if self.district_field else kato_column
        if column:
            value = parse_code(row.values.get(column))
            if value is not None:
                if KATO_RE.match(value):
                    district = self.district_by_kato.get(value)
                    if district is None:
                        return None, _("нет района с кодом КАТО %(kato)s") % {"kato": value}
                    return district, None
                found = [
                    d for d in self.districts.values() if normalise(d.name) == normalise(value)
                ]
                if len(found) == 1:
                    return found[0], None
                if found:
                    return None, _("район «%(name)s» не однозначен: укажите код КАТО") % {
                        "name": value
                    }
                return None, _("нет района «%(name)s»") % {"name": value}
        key = self.district_index.covering(point)
        if key is None:
            key, distance = self.district_index.nearest_within(point, self.tolerance)
            if key is not None:
                result.notes.append(
                    _("в %(distance)s м от границы района") % {"distance": round(distance)}
                )
        if key is not None:
            return self.districts[key], None
        if self.regions:
            region_key = self.region_index.covering(point)
            if region_key is None:
                return None, _("вне Казахстана: точка не лежит ни в одной области")
            return None, _("в области «%(region)s» нет района, в котором лежит точка") % {
                "region": self.regions[region_key].name
            }
        return None, _("не лежит ни в одном районе")


class SettlementImporter(PointImporter):
    title = _("Населённые пункты")
    model = Settlement

    def __init__(
        self,
        source: Source,
        *,
        name_field: str = "name",
        name_kk_field: str | None = None,
        kato_field: str | None = None,
        population_field: str | None = None,
        **kwargs,
    ) -> None:
        super().__init__(source, **kwargs)
        self.title = str(Settlement._meta.verbose_name_plural).capitalize()
        self.name_fields = split_fields(name_field) or ["name"]
        self.name_kk_fields = split_fields(name_kk_field)
        self.kato_field = kato_field
        self.population_field = population_field
        self.match_m = settings.IMPORT_POINT_MATCH_M

    def used_columns(self):
        names = [*self.name_fields, *self.name_kk_fields, self.kato_field, self.population_field]
        names.append(self.district_field)
        names += [item.partition("=")[0] for item in self.where_items]
        return [self.source.column(n) for n in names if n]

    def prepare(self) -> None:
        super().prepare()
        self.source.require(
            *self.name_fields, *self.name_kk_fields, self.kato_field, self.population_field
        )
        # Existing settlements by district and name (with their points), and by KATO code.
        self.existing: dict[tuple[int, str], list[tuple[int, Point]]] = {}
        self.by_kato: dict[str, int] = {}
        for pk, district_id, name, kato, point in Settlement.objects.values_list(
            "pk", "district_id", "name", "kato", "geom"
        ):
            self.existing.setdefault((district_id, normalise(name)), []).append((pk, point))
            if kato:
                self.by_kato.setdefault(kato, pk)

    def _nearest_same_name(self, district_id: int, name: str, point: Point) -> int | None:
        """The settlement of that name in the district nearest to the point, if within
        IMPORT_POINT_MATCH_M metres: villages of the same name far apart are different ones."""
        best = None
        for pk, other in self.existing.get((district_id, normalise(name)), []):
            distance = geo.distance_m(point, other)
            if distance <= self.match_m and (best is None or distance < best[1]):
                best = (pk, distance)
        return best[0] if best else None

    def import_row(self, row: SourceRow) -> RowResult:
        source = self.source
        result = RowResult(number=row.number)
        name = first_value(row, source, self.name_fields)
        result.label = str(name or "")
        reason = matches_where(row, self.where)
        if reason:
            return self.skip(result, reason, invalid=False)
        point, why = _point(row)
        if point is None:
            return self.skip(result, why)
        if not name:
            return self.skip(
                result,
                _("нет названия (поле %(field)s)") % {"field": ", ".join(self.name_fields)},
                invalid=False,
            )
        district, why = self.district_for(row, point, result)
        if district is None:
            return self.skip(result, why, invalid=False)
        result.label = f"{name} ({district.name})"
        values: dict[str, Any] = {
            "name": str(name)[:200],
            "geom": point,
            "district_id": district.pk,
        }
        if self.name_kk_fields:
            values["name_kk"] = str(first_value(row, source, self.name_kk_fields) or "")[:200]
        kato = None
        if self.kato_field:
            kato = parse_code(row.values.get(source.column(self.kato_field)))
            if kato is not None and not KATO_RE.match(kato):
                return self.skip(
                    result, _("код КАТО «%(kato)s»: нужно ровно 9 цифр") % {"kato": kato}
                )
            values["kato"] = kato or ""
        if self.population_field:
            population = self.population(result, row, self.population_field)
            if population is not None:
                values["population"] = population
        pk = self.by_kato.get(kato) if kato else None
        if pk is None:
            pk = self._nearest_same_name(district.pk, str(name), point)
        if pk is not None and self.duplicate(result, pk, row):
            return result
        obj = Settlement.objects.get(pk=pk) if pk is not None else Settlement()
        previous_district = obj.district_id
        if not assign(obj, values):
            result.action = UNCHANGED
            return result
        obj.district = district  # the model's check reads the district's geometry
        if not self.save(result, obj, lambda: services.settlement_save(settlement=obj)):
            return result
        result.action = UPDATED if pk is not None else CREATED
        if pk is None:
            self.seen[obj.pk] = row.number
            self.existing.setdefault((district.pk, normalise(obj.name)), []).append((obj.pk, point))
        if kato:
            self.by_kato.setdefault(kato, obj.pk)
        self.touched_districts.update({district.pk, previous_district} - {None})
        return result


STATION_FIELDS = (
    "number",
    "name",
    "address",
    "status",
    "opened_on",
    "closed_on",
    "phone",
    "round_the_clock",
    "combined_with_housing",
    "on_police_balance_since",
    "reception_hours",
    "precinct_number",
    "district_kato",
)
POST_FIELDS = (
    "name",
    "address",
    "status",
    "opened_on",
    "closed_on",
    "phone",
    "round_the_clock",
    "placement",
    "district_kato",
)
DATE_FIELDS = {"opened_on", "closed_on", "on_police_balance_since"}
BOOL_FIELDS = {"round_the_clock", "combined_with_housing"}
TEXT_LIMITS = {"number": 20, "name": 200, "address": 300, "phone": 40, "reception_hours": 200}


class FacilityImporter(PointImporter):
    """Stations (kind "station", matched by number within the district) or modular posts
    (kind "post", matched by name, else address, within the district)."""

    def __init__(self, source: Source, *, kind: str, **kwargs) -> None:
        super().__init__(source, **kwargs)
        if kind not in ("station", "post"):
            raise ImportFileError(_("Вид объектов: station (УПП) или post (модульный пост)."))
        self.kind = kind
        self.model = source.model = StationModel if kind == "station" else ModularPost
        self.known_fields = STATION_FIELDS if kind == "station" else POST_FIELDS
        self.title = str(self.model._meta.verbose_name_plural).capitalize()

    def used_columns(self):
        used = list(self.columns.values()) + [self.source.column(self.district_field)]
        if not self.source.spatial:
            used += [c for c in self.source.columns if normalise(c) in _COORDINATE_NAMES]
        used += [self.source.column(item.partition("=")[0]) for item in self.where_items]
        return [c for c in used if c]

    def prepare(self) -> None:
        super().prepare()
        self.columns = self.find_columns()
        required = ["address"] + (["number"] if self.kind == "station" else [])
        missing = [name for name in required if name not in self.columns]
        if missing:
            raise ImportFileError(
                _("В файле нет столбца %(missing)s. Столбцы файла: %(fields)s.")
                % {
                    "missing": ", ".join(f"«{m}»" for m in missing),
                    "fields": ", ".join(c for c in self.source.columns if c) or "—",
                }
            )
        self.precincts: dict[tuple[int, int], int] = {
            (district_id, number): pk
            for pk, district_id, number in Precinct.objects.values_list(
                "pk", "district_id", "number"
            )
        }

    def _cell(self, row: SourceRow, name: str) -> Any:
        value = row.values.get(self.columns[name])
        return value.strip() if isinstance(value, str) else value

    def _values(self, row: SourceRow, district: District) -> tuple[dict[str, Any], list[str]]:
        values: dict[str, Any] = {}
        errors: list[str] = []
        for name, column in self.columns.items():
            if name in ("district_kato", "precinct_number"):
                continue
            raw = self._cell(row, name)
            label = column
            try:
                if name in DATE_FIELDS:
                    values[name] = as_date(raw)
                elif name in BOOL_FIELDS:
                    value = parse_bool(raw)
                    if value is not None:
                        values[name] = value
                elif name == "status":
                    value = parse_choice(raw, FacilityStatus.choices)
                    if value is not None:
                        values[name] = value
                elif name == "placement":
                    value = parse_choice(raw, ModularPost.Placement.choices)
                    if value is not None:
                        values[name] = value
                else:
                    text = parse_code(raw) if name == "number" else raw
                    values[name] = "" if text is None else str(text)[: TEXT_LIMITS.get(name, 200)]
            except ValueError as exc:
                errors.append(f"{label}: {exc}")
        if self.kind == "station" and "precinct_number" in self.columns:
            raw = self._cell(row, "precinct_number")
            try:
                number = parse_int(raw)
            except (TypeError, ValueError):
                errors.append(_("номер участка «%(value)s» не число") % {"value": raw})
            else:
                if number is None:
                    values["precinct_id"] = None
                else:
                    precinct_id = self.precincts.get((district.pk, number))
                    if precinct_id is None:
                        errors.append(
                            _("в районе «%(district)s» нет участка №%(number)s")
                            % {"district": district.name, "number": number}
                        )
                    values["precinct_id"] = precinct_id
        return values, errors

    def _match(self, district: District, values: dict[str, Any]):
        queryset = self.model.objects.filter(district=district)
        if self.kind == "station":
            return queryset.filter(number=values.get("number", "")).first()
        if values.get("name"):
            found = queryset.filter(name=values["name"]).first()
            if found is not None:
                return found
        return queryset.filter(address=values.get("address", ""), name="").first()

    def import_row(self, row: SourceRow) -> RowResult:
        result = RowResult(number=row.number)
        name = self._cell(row, "name") if "name" in self.columns else None
        number = parse_code(self._cell(row, "number")) if "number" in self.columns else None
        address = self._cell(row, "address")
        result.label = " ".join(str(p) for p in (number, name or address) if p)
        reason = matches_where(row, self.where)
        if reason:
            return self.skip(result, reason, invalid=False)
        point, why = _point(row)
        if point is None:
            return self.skip(result, why)
        district, why = self.district_for(row, point, result, self.columns.get("district_kato"))
        if district is None:
            return self.skip(result, why)
        result.label = f"{result.label} ({district.name})"
        values, errors = self._values(row, district)
        if self.kind == "station" and not values.get("number"):
            errors.append(_("нет номера УПП"))
        if errors:
            result.action = "skipped"
            result.invalid = True
            result.reasons.extend(errors)
            return result
        values["geom"] = point
        values["district_id"] = district.pk
        obj = self._match(district, values)
        pk = obj.pk if obj is not None else None
        if pk is not None and self.duplicate(result, pk, row):
            return result
        if obj is None:
            obj = self.model()
        previous = obj.geom if pk is not None else None
        if not assign(obj, values):
            result.action = UNCHANGED
            return result
        obj.district = district
        if self.kind == "station":
            service = lambda: services.station_save(station=obj)  # noqa: E731
        else:
            service = lambda: services.modular_post_save(post=obj)  # noqa: E731
        if not self.save(result, obj, service):
            return result
        result.action = UPDATED if pk is not None else CREATED
        if pk is None:
            self.seen[obj.pk] = row.number
        self.touched_districts.update(facility_reach(point))
        if previous is not None:
            self.touched_districts.update(facility_reach(previous))
        return result


_COORDINATE_NAMES = {
    normalise(n)
    for n in ("lat", "latitude", "широта", "y", "lon", "lng", "long", "longitude", "долгота", "x")
}
