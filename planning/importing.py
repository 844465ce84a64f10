"""Import of offence counts from CSV or XLSX: every row checked first, then all saved in one
transaction, or nothing when any row is wrong (each error named with its row number)."""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicepolice.history import Door, door
from stations.models import District, Precinct

from .models import OffenceCategory, OffenceCount

# Column names a file may use for each value (lower case; the first that is present counts).
COLUMNS = {
    "district": ("district", "district_kato", "район", "като района", "като"),
    "precinct": ("precinct", "precinct_number", "участок", "номер участка"),
    "category": ("category", "категория"),
    "month": ("month", "месяц", "период"),
    "count": ("count", "количество", "число"),
}
REQUIRED = ("district", "category", "month", "count")

MSG_MISSING_COLUMNS = gettext_lazy("В файле нет столбцов: %(columns)s. Нужны: %(needed)s.")
MSG_FORMAT = gettext_lazy("Поддерживаются файлы CSV и XLSX.")
MSG_EMPTY = gettext_lazy("В файле нет строк с данными.")
MSG_UNREADABLE = gettext_lazy("Не удалось прочитать файл: %(reason)s")


class OffenceImportError(Exception):
    """The file as a whole cannot be read (format, columns)."""


@dataclass
class OffenceImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # (row number, message)
    saved: bool = False

    def summary(self) -> str:
        if not self.saved:
            return _("Ничего не сохранено: ошибок %(errors)s в %(rows)s строках.") % {
                "errors": len(self.errors),
                "rows": self.rows,
            }
        return _(
            "Статистика правонарушений: создано %(created)s, обновлено %(updated)s, "
            "без изменений %(unchanged)s; строк %(rows)s."
        ) % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rows": self.rows,
        }


def _read_rows(name: str, data: bytes) -> list[dict[str, str]]:
    lower = name.lower()
    if lower.endswith(".csv"):
        text = data.decode("utf-8-sig")
        sample = text[:4096]
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t") if sample.strip() else csv.excel
        reader = csv.reader(io.StringIO(text), dialect)
        table = [row for row in reader]
    elif lower.endswith(".xlsx"):
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        table = [
            ["" if v is None else (v if isinstance(v, datetime.date) else str(v)) for v in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    else:
        raise OffenceImportError(str(MSG_FORMAT))
    table = [row for row in table if any(str(v).strip() for v in row)]
    if not table:
        raise OffenceImportError(str(MSG_EMPTY))
    header = [str(h).strip().lower() for h in table[0]]
    mapping = {}
    for key, names in COLUMNS.items():
        for candidate in names:
            if candidate in header:
                mapping[key] = header.index(candidate)
                break
    missing = [key for key in REQUIRED if key not in mapping]
    if missing:
        raise OffenceImportError(
            str(MSG_MISSING_COLUMNS)
            % {"columns": ", ".join(missing), "needed": ", ".join(REQUIRED)}
        )
    rows = []
    for raw in table[1:]:
        rows.append({key: (raw[i] if i < len(raw) else "") for key, i in mapping.items()})
    if not rows:
        raise OffenceImportError(str(MSG_EMPTY))
    return rows


def _month(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        if value.day != 1:
            raise ValueError
        return value
    text = str(value).strip()
    match = re.fullmatch(r"(\d{4})-(\d{1,2})(?:-01)?", text) or re.fullmatch(
        r"(?:01\.)?(\d{1,2})\.(\d{4})", text
    )
    if not match:
        raise ValueError
    a, b = match.groups()
    year, month = (int(a), int(b)) if len(a) == 4 else (int(b), int(a))
    return datetime.date(year, month, 1)


def offence_counts_import(
    *, name: str, file: BinaryIO, dry_run: bool = False
) -> OffenceImportReport:
    """Read offence counts (district KATO, precinct number or empty, category code or name,
    month as YYYY-MM or MM.YYYY, count) and save them all, or nothing if a row is wrong.
    A row for a territory, category and month already stored replaces its count."""
    try:
        rows = _read_rows(name, file.read())
    except (UnicodeDecodeError, csv.Error, OSError, ValueError, KeyError) as exc:
        raise OffenceImportError(str(MSG_UNREADABLE) % {"reason": exc}) from exc
    report = OffenceImportReport(rows=len(rows))
    districts = {d.kato: d for d in District.objects.defer("geom")}
    categories = {}
    for category in OffenceCategory.objects.all():
        categories[category.code.lower()] = category
        categories[category.name.lower()] = category
    precincts = {
        (p.district_id, p.number): p for p in Precinct.objects.defer("geom", "district__geom")
    }
    prepared: list[tuple[int, OffenceCount]] = []
    seen: dict[tuple, int] = {}
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        problems = []
        kato = str(row["district"]).strip().removesuffix(".0")
        district = districts.get(kato)
        if district is None:
            problems.append(_("район с кодом КАТО «%(kato)s» не найден") % {"kato": kato})
        precinct = None
        precinct_text = str(row.get("precinct", "")).strip().removesuffix(".0")
        if precinct_text and district is not None:
            if not precinct_text.isdigit():
                problems.append(_("номер участка «%(value)s» не число") % {"value": precinct_text})
            else:
                precinct = precincts.get((district.pk, int(precinct_text)))
                if precinct is None:
                    problems.append(
                        _("участка №%(number)s в районе «%(district)s» нет")
                        % {"number": precinct_text, "district": district.name}
                    )
        category = categories.get(str(row["category"]).strip().lower())
        if category is None:
            problems.append(
                _("категория «%(value)s» не найдена (коды: %(codes)s)")
                % {
                    "value": row["category"],
                    "codes": ", ".join(sorted(c.code for c in set(categories.values()))),
                }
            )
        try:
            month = _month(row["month"])
        except ValueError:
            month = None
            problems.append(
                _("месяц «%(value)s»: ожидается ГГГГ-ММ или ММ.ГГГГ") % {"value": row["month"]}
            )
        count_text = str(row["count"]).strip().removesuffix(".0")
        if not count_text.isdigit():
            problems.append(
                _("количество «%(value)s»: ожидается целое неотрицательное число")
                % {"value": row["count"]}
            )
        if problems:
            report.errors.append((number, "; ".join(problems)))
            continue
        key = (district.pk, precinct.pk if precinct else None, category.pk, month)
        if key in seen:
            report.errors.append((number, _("повторяет строку %(row)s") % {"row": seen[key]}))
            continue
        seen[key] = number
        prepared.append(
            (
                number,
                OffenceCount(
                    district=district,
                    precinct=precinct,
                    category=category,
                    month=month,
                    count=int(count_text),
                ),
            )
        )
    if report.errors or dry_run:
        return report
    existing = {
        (c.district_id, c.precinct_id, c.category_id, c.month): c
        for c in OffenceCount.objects.filter(district__in={o.district_id for _n, o in prepared})
    }
    # Every row's audit history says it came through an import, whoever started it.
    with transaction.atomic(), door(Door.IMPORT):
        for number, item in prepared:
            current = existing.get(
                (item.district_id, item.precinct_id, item.category_id, item.month)
            )
            if current is not None:
                if current.count == item.count:
                    report.unchanged += 1
                    continue
                current.count = item.count
                item = current
                report.updated += 1
            else:
                report.created += 1
            try:
                item.full_clean()
            except ValidationError as exc:
                report.errors.append((number, "; ".join(exc.messages)))
                continue
            item.save()
        if report.errors:
            transaction.set_rollback(True)
            report.created = report.updated = report.unchanged = 0
            return report
    report.saved = True
    return report
