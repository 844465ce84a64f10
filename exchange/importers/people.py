"""Inspectors (matched by personnel number) and their assistants from a spreadsheet. An
inspector's precinct is the district's KATO code plus the precinct's number."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from officers import services
from officers.models import Assistant, Inspector
from stations.models import District, Precinct, Station

from ..columns import normalise
from ..sources import ImportFileError, Source, SourceRow, as_date
from .base import (
    CREATED,
    UNCHANGED,
    UPDATED,
    Importer,
    RowResult,
    assign,
    parse_choice,
    parse_code,
    parse_int,
)

INSPECTOR_FIELDS = (
    "personnel_number",
    "last_name",
    "first_name",
    "middle_name",
    "rank",
    "position",
    "status",
    "service_phone",
    "personal_phone",
    "messenger_url",
    "social_url",
    "reception_hours",
    "appointed_on",
    "district_kato",
    "precinct_number",
    "station_number",
)
CHOICES = {
    "rank": Inspector.Rank.choices,
    "position": Inspector.Position.choices,
    "status": Inspector.Status.choices,
}
TEXT_LIMITS = {
    "personnel_number": 20,
    "last_name": 100,
    "first_name": 100,
    "middle_name": 100,
    "service_phone": 40,
    "personal_phone": 40,
    "reception_hours": 200,
}


def _required(importer: Importer, names: list[str]) -> None:
    missing = [name for name in names if name not in importer.columns]
    if missing:
        raise ImportFileError(
            _("В файле нет столбца %(missing)s. Столбцы файла: %(fields)s.")
            % {
                "missing": ", ".join(f"«{m}»" for m in missing),
                "fields": ", ".join(c for c in importer.source.columns if c) or "—",
            }
        )


class InspectorImporter(Importer):
    model = Inspector
    known_fields = INSPECTOR_FIELDS

    def __init__(self, source: Source, *, on: datetime.date | None = None) -> None:
        super().__init__(source)
        self.title = str(Inspector._meta.verbose_name_plural).capitalize()
        self.on = on or timezone.localdate()

    def used_columns(self):
        return list(self.columns.values())

    def prepare(self) -> None:
        self.columns = self.find_columns()
        _required(self, ["personnel_number", "last_name", "first_name"])
        if "precinct_number" in self.columns and "district_kato" not in self.columns:
            raise ImportFileError(
                _(
                    "Участок задаётся кодом КАТО района и номером участка: "
                    "нет столбца district_kato."
                )
            )
        self.districts = dict(District.objects.values_list("kato", "pk"))
        self.precincts = {
            (district_id, number): pk
            for pk, district_id, number in Precinct.objects.values_list(
                "pk", "district_id", "number"
            )
        }
        self.stations = {
            (district_id, normalise(number)): pk
            for pk, district_id, number in Station.objects.values_list(
                "pk", "district_id", "number"
            )
        }

    def _cell(self, row: SourceRow, name: str) -> Any:
        value = row.values.get(self.columns[name])
        return value.strip() if isinstance(value, str) else value

    def _values(self, row: SourceRow) -> tuple[dict[str, Any], list[str]]:
        values: dict[str, Any] = {}
        errors: list[str] = []
        for name, column in self.columns.items():
            if name in ("district_kato", "precinct_number", "station_number"):
                continue
            raw = self._cell(row, name)
            try:
                if name in CHOICES:
                    value = parse_choice(raw, CHOICES[name])
                    if value is not None:
                        values[name] = value
                elif name == "appointed_on":
                    values[name] = as_date(raw)
                else:
                    text = parse_code(raw)
                    values[name] = "" if text is None else text[: TEXT_LIMITS.get(name, 200)]
            except ValueError as exc:
                errors.append(f"{column}: {exc}")
        district_id = None
        if "district_kato" in self.columns:
            kato = parse_code(self._cell(row, "district_kato"))
            if kato is not None:
                district_id = self.districts.get(kato)
                if district_id is None:
                    errors.append(_("нет района с кодом КАТО %(kato)s") % {"kato": kato})
        if "precinct_number" in self.columns:
            raw = self._cell(row, "precinct_number")
            try:
                number = parse_int(raw)
            except (TypeError, ValueError):
                errors.append(_("номер участка «%(value)s» не число") % {"value": raw})
            else:
                if number is None:
                    values["precinct_id"] = None
                elif district_id is not None:
                    values["precinct_id"] = self.precincts.get((district_id, number))
                    if values["precinct_id"] is None:
                        errors.append(
                            _("в районе %(kato)s нет участка №%(number)s")
                            % {"kato": self._cell(row, "district_kato"), "number": number}
                        )
                else:
                    errors.append(_("для участка нужен код КАТО района"))
        if "station_number" in self.columns:
            number = parse_code(self._cell(row, "station_number"))
            if number is None:
                values["station_id"] = None
            elif district_id is None:
                errors.append(_("для пункта приёма нужен код КАТО района"))
            else:
                values["station_id"] = self.stations.get((district_id, normalise(number)))
                if values["station_id"] is None:
                    errors.append(_("в районе нет УПП %(number)s") % {"number": number})
        return values, errors

    def import_row(self, row: SourceRow) -> RowResult:
        result = RowResult(number=row.number)
        personnel_number = parse_code(self._cell(row, "personnel_number"))
        name = " ".join(
            str(self._cell(row, n) or "") for n in ("last_name", "first_name") if n in self.columns
        ).strip()
        result.label = f"{personnel_number or '—'} {name}".strip()
        if not personnel_number:
            return self.skip(result, _("нет табельного номера"))
        if self.duplicate(result, personnel_number, row):
            return result
        values, errors = self._values(row)
        if errors:
            result.action = "skipped"
            result.invalid = True
            result.reasons.extend(errors)
            return result
        obj = Inspector.objects.filter(personnel_number=personnel_number).first()
        pk = obj.pk if obj is not None else None
        obj = obj or Inspector()
        previous_precinct = obj.precinct_id
        if not assign(obj, values):
            result.action = UNCHANGED
            return result
        if not self.save(result, obj, lambda: services.inspector_save(inspector=obj, on=self.on)):
            return result
        result.action = UPDATED if pk is not None else CREATED
        for precinct_id in {obj.precinct_id, previous_precinct} - {None}:
            self.touched_districts.add(
                Precinct.objects.values_list("district_id", flat=True).get(pk=precinct_id)
            )
        return result


ASSISTANT_FIELDS = ("inspector_personnel_number", "last_name", "first_name", "middle_name", "phone")


class AssistantImporter(Importer):
    model = Assistant
    known_fields = ASSISTANT_FIELDS

    def __init__(self, source: Source) -> None:
        super().__init__(source)
        self.title = str(Assistant._meta.verbose_name_plural).capitalize()

    def used_columns(self):
        return list(self.columns.values())

    def column_aliases(self, name: str) -> set[str]:
        aliases = super().column_aliases(name)
        if name == "inspector_personnel_number":
            aliases |= {normalise("табельный номер"), normalise("personnel_number")}
        return aliases

    def prepare(self) -> None:
        self.columns = self.find_columns()
        _required(self, ["inspector_personnel_number", "last_name", "first_name"])
        self.inspectors = dict(Inspector.objects.values_list("personnel_number", "pk"))

    def _cell(self, row: SourceRow, name: str) -> Any:
        if name not in self.columns:
            return None
        value = parse_code(row.values.get(self.columns[name]))
        return value

    def import_row(self, row: SourceRow) -> RowResult:
        result = RowResult(number=row.number)
        names = [self._cell(row, n) or "" for n in ("last_name", "first_name", "middle_name")]
        personnel_number = self._cell(row, "inspector_personnel_number")
        result.label = " ".join(n for n in names if n)
        if not personnel_number:
            return self.skip(result, _("нет табельного номера инспектора"))
        inspector_id = self.inspectors.get(personnel_number)
        if inspector_id is None:
            return self.skip(
                result, _("нет инспектора с табельным номером %(n)s") % {"n": personnel_number}
            )
        if not names[0] or not names[1]:
            return self.skip(result, _("нужны фамилия и имя"))
        key = (inspector_id, *(normalise(n) for n in names))
        if self.duplicate(result, key, row):
            return result
        values: dict[str, Any] = {
            "inspector_id": inspector_id,
            "last_name": names[0][:100],
            "first_name": names[1][:100],
            "middle_name": names[2][:100],
        }
        if "phone" in self.columns:
            values["phone"] = (self._cell(row, "phone") or "")[:40]
        obj = next(
            (
                a
                for a in Assistant.objects.filter(inspector_id=inspector_id)
                if (
                    inspector_id,
                    normalise(a.last_name),
                    normalise(a.first_name),
                    normalise(a.middle_name),
                )
                == key
            ),
            None,
        )
        pk = obj.pk if obj is not None else None
        obj = obj or Assistant()
        if not assign(obj, values):
            result.action = UNCHANGED
            return result
        if not self.save(result, obj, lambda: services.assistant_save(assistant=obj)):
            return result
        result.action = UPDATED if pk is not None else CREATED
        return result
