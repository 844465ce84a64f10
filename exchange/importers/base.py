"""What every import shares: one transaction, a row at a time through the app's own save
service, a report of what happened to each row, coverage recomputed once at the end."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reach.services import coverage_recompute_many, coverage_recompute_suspended
from servicepolice import geo
from servicepolice.history import Door, door
from stations.models import District

from ..columns import label_for, normalise, shapefile_names
from ..sources import ImportFileError, Source, SourceRow

CREATED, UPDATED, UNCHANGED, SKIPPED = "created", "updated", "unchanged", "skipped"
ACTION_LABELS = {
    CREATED: gettext_lazy("создано"),
    UPDATED: gettext_lazy("обновлено"),
    UNCHANGED: gettext_lazy("без изменений"),
    SKIPPED: gettext_lazy("пропущено"),
}
TRUE_WORDS = {"1", "true", "t", "yes", "y", "да", "д", "+", "истина"}
FALSE_WORDS = {"0", "false", "f", "no", "n", "нет", "н", "-", "ложь"}

Progress = Callable[[int, int, str], None]


@dataclass
class RowResult:
    number: int
    label: str = ""
    action: str = SKIPPED
    reasons: list[str] = field(default_factory=list)  # why the row was not saved
    notes: list[str] = field(default_factory=list)  # repairs and warnings
    repaired: bool = False
    invalid: bool = False  # skipped because its data broke a rule (not merely filtered out)
    provisional_kato: str = ""  # the file gave no KATO code: this one was made up

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS[self.action])


@dataclass
class ImportReport:
    title: str
    source: str = ""
    layer: str = ""
    crs: str = ""
    dry_run: bool = False
    strict: bool = False
    aborted: bool = False
    rows: list[RowResult] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    elapsed_s: float = 0.0
    recomputed_districts: int = 0

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def created(self) -> int:
        return self.count(CREATED)

    @property
    def updated(self) -> int:
        return self.count(UPDATED)

    @property
    def unchanged(self) -> int:
        return self.count(UNCHANGED)

    @property
    def skipped(self) -> int:
        return self.count(SKIPPED)

    @property
    def invalid(self) -> int:
        return sum(1 for row in self.rows if row.invalid)

    @property
    def repaired(self) -> int:
        return sum(1 for row in self.rows if row.repaired)

    @property
    def written(self) -> bool:
        return not (self.dry_run or self.aborted)

    def summary(self) -> str:
        return _(
            "%(title)s: создано %(created)s, обновлено %(updated)s, без изменений %(unchanged)s, "
            "пропущено %(skipped)s (из них с ошибками %(invalid)s), исправлена геометрия "
            "%(repaired)s; строк %(total)s, %(seconds).1f с."
        ) % {
            "title": self.title,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "invalid": self.invalid,
            "repaired": self.repaired,
            "total": len(self.rows),
            "seconds": self.elapsed_s,
        }

    def skip_reasons(self) -> list[tuple[str, int]]:
        """Why rows were skipped, most frequent first (reasons without their row's details)."""
        counts: dict[str, int] = {}
        for row in self.rows:
            if row.action == SKIPPED:
                for reason in row.reasons[:1]:
                    key = re.sub(r"«[^»]*»|\d+([.,]\d+)?", "…", reason)
                    counts[key] = counts.get(key, 0) + 1
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))

    def lines(self, *, verbose: bool = False, limit: int = 50) -> list[str]:
        """The report as text (the summary aside): the file, the repaired rows, the skipped
        rows (the first `limit` of each unless `verbose`) and the reasons for skipping."""
        out = []
        if self.source:
            out.append(
                _("Файл: %(source)s%(layer)s, система координат %(crs)s.")
                % {
                    "source": self.source,
                    "layer": f" (слой {self.layer})" if self.layer else "",
                    "crs": self.crs or "—",
                }
            )
        if self.ignored_columns:
            out.append(_("Не используются столбцы: %s.") % ", ".join(self.ignored_columns))
        codes = [r.provisional_kato for r in self.rows if r.provisional_kato]
        if codes:
            out.append(
                _(
                    "В файле нет кодов КАТО: %(n)s новым записям присвоены временные коды "
                    "%(first)s–%(last)s (замените их официальными)."
                )
                % {"n": len(codes), "first": min(codes), "last": max(codes)}
            )
        for title, rows in (
            (_("Исправлена геометрия"), [r for r in self.rows if r.repaired]),
            (_("С замечаниями"), [r for r in self.rows if r.notes and not r.repaired]),
            (_("Пропущено"), [r for r in self.rows if r.action == SKIPPED]),
        ):
            if not rows:
                continue
            out.append(f"{title} ({len(rows)}):")
            shown = rows if verbose else rows[:limit]
            for row in shown:
                details = "; ".join(row.reasons if row.action == SKIPPED else row.notes)
                out.append(f"  #{row.number} {row.label or '—'}: {details}")
            if len(shown) < len(rows):
                out.append(
                    _("  … и ещё %(n)s (все: --verbosity 2)") % {"n": len(rows) - len(shown)}
                )
        if self.skipped and not verbose:
            out.append(_("Причины пропуска:"))
            for reason, count in self.skip_reasons():
                out.append(f"  {count} × {reason}")
        if self.dry_run:
            out.append(_("Пробный запуск (--dry-run): ничего не записано."))
        elif self.aborted:
            out.append(_("Есть строки с ошибками, а задан --strict: ничего не записано."))
        elif self.recomputed_districts:
            out.append(_("Охват пересчитан для районов: %(n)s.") % {"n": self.recomputed_districts})
        return out


class _Abort(Exception):
    pass


def messages_of(exc: ValidationError, model: type[models.Model]) -> list[str]:
    """A model's validation errors as "field: message" lines, in the words the admin uses."""
    if not hasattr(exc, "error_dict"):
        return [str(m) for m in exc.messages]
    lines = []
    for name, errors in exc.message_dict.items():
        for message in errors:
            if name == NON_FIELD_ERRORS:
                lines.append(message)
            else:
                lines.append(f"{label_for(model, name)}: {message}")
    return lines


def parse_int(value: Any) -> int | None:
    """A whole number from a cell ("12 345", 12345.0, "12345"); None when blank."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(str(value))
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(str(value))
        return int(value)
    text = re.sub(r"[\s\u00a0]", "", str(value)).replace(",", ".")
    number = float(text)
    if not number.is_integer():
        raise ValueError(text)
    return int(number)


def parse_bool(value: Any) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    text = normalise(value)
    if isinstance(value, int | float):
        text = str(int(value))
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ValueError(_("«%(value)s» — не да/нет") % {"value": value})


def parse_code(value: Any) -> str | None:
    """A code (KATO, personnel number) from a cell: 751110000.0 from Excel reads as text."""
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if re.fullmatch(r"\d+\.0+", text):  # a number that went through a spreadsheet
        text = text.split(".")[0]
    return text or None


def parse_choice(value: Any, choices) -> str | None:
    """A TextChoices value given by its code or its (Russian) label."""
    if value is None or value == "":
        return None
    key = normalise(value)
    for code, label in choices:
        if key in (normalise(code), normalise(label)):
            return code
    raise ValueError(
        _("«%(value)s» — нет такого значения (возможны: %(options)s)")
        % {"value": value, "options": ", ".join(str(label) for _code, label in choices)}
    )


def parse_where(items: Iterable[str], source: Source) -> list[tuple[str, str]]:
    """--where FIELD=VALUE filters, checked against the file's fields."""
    result = []
    for item in items or ():
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise ImportFileError(
                _("Фильтр --where записывается как ПОЛЕ=ЗНАЧЕНИЕ, а не «%(item)s».")
                % {"item": item}
            )
        source.require(name.strip(), option="--where")
        result.append((source.column(name.strip()), value.strip()))
    return result


def matches_where(row: SourceRow, where: list[tuple[str, str]]) -> str | None:
    """Why the row does not pass the --where filters, or None when it does."""
    for column, wanted in where:
        value = row.values.get(column)
        text = "" if value is None else str(value)
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))
        if text != wanted:
            return _("не подходит под фильтр: %(column)s=%(value)s (нужно %(wanted)s)") % {
                "column": column,
                "value": text or "—",
                "wanted": wanted,
            }
    return None


class Importer:
    """One import run. Subclasses set `title` and `model`, and implement `prepare` (load what
    the rows are matched against) and `import_row` (one row: match, fill, save through the
    app's service, say what happened)."""

    title: str = ""
    model: type[models.Model]
    # Columns an importer reads by their field name (see column_aliases); set per subclass.
    known_fields: tuple[str, ...] = ()

    def __init__(self, source: Source) -> None:
        self.source = source
        source.model = getattr(self, "model", None)
        self.touched_districts: set[int] = set()
        self.seen: dict[Any, int] = {}  # the key of each object written -> the row that did

    # -- columns -------------------------------------------------------------------------
    def column_aliases(self, name: str) -> set[str]:
        """How a column for field `name` may be headed: the name, the Russian export header,
        the Shapefile name, the model field's verbose name."""
        aliases = {normalise(name), normalise(label_for(self.model, name))}
        aliases.add(normalise(shapefile_names([name])[0]))
        try:
            aliases.add(normalise(self.model._meta.get_field(name).verbose_name))
        except Exception:  # noqa: BLE001 - not a model field
            pass
        return aliases

    def find_columns(self) -> dict[str, str]:
        """field name -> the file's column for it, for every known field the file has."""
        found: dict[str, str] = {}
        for name in self.known_fields:
            aliases = self.column_aliases(name)
            for column in self.source.columns:
                if normalise(column) in aliases and column not in found.values():
                    found[name] = column
                    break
        return found

    # -- the run -------------------------------------------------------------------------
    def prepare(self) -> None:
        """Check the options against the file and load what rows are matched against."""

    def import_row(self, row: SourceRow) -> RowResult:
        raise NotImplementedError

    def run(
        self, *, dry_run: bool = False, strict: bool = False, progress: Progress | None = None
    ) -> ImportReport:
        started = time.monotonic()
        report = ImportReport(
            title=self.title,
            source=self.source.name,
            layer=self.source.layer,
            crs=self.source.crs,
            dry_run=dry_run,
            strict=strict,
        )
        try:
            # Every row's audit history says it came through an import, whoever started it.
            with transaction.atomic(), coverage_recompute_suspended(), door(Door.IMPORT):
                self.prepare()
                report.ignored_columns = self.ignored_columns()
                total = len(self.source)
                for done, row in enumerate(self.source, start=1):
                    result = self.import_row(row)
                    report.rows.append(result)
                    if progress is not None:
                        progress(done, total, result.label)
                if strict and report.invalid:
                    raise _Abort
                if dry_run:
                    transaction.set_rollback(True)
        except _Abort:
            report.aborted = True
        if report.written and self.touched_districts:
            districts = District.objects.filter(pk__in=self.touched_districts).order_by("pk")
            report.recomputed_districts = coverage_recompute_many(districts=districts)
        report.elapsed_s = time.monotonic() - started
        return report

    def ignored_columns(self) -> list[str]:
        used = set(self.used_columns())
        return [c for c in self.source.columns if c and c not in used]

    def used_columns(self) -> Iterable[str]:
        return ()

    # -- helpers for rows ----------------------------------------------------------------
    def save(self, result: RowResult, obj: models.Model, service: Callable[[], Any]) -> bool:
        """Run the save service in a savepoint; a broken rule skips the row with its reasons."""
        try:
            with transaction.atomic():
                service()
        except ValidationError as exc:
            result.action = SKIPPED
            result.invalid = True
            result.reasons.extend(messages_of(exc, type(obj)))
            return False
        except DatabaseError as exc:
            result.action = SKIPPED
            result.invalid = True
            result.reasons.append(_("база данных отклонила запись: %(error)s") % {"error": exc})
            return False
        return True

    def skip(self, result: RowResult, reason: str, *, invalid: bool = True) -> RowResult:
        result.action = SKIPPED
        result.invalid = invalid
        result.reasons.append(reason)
        return result

    def population(self, result: RowResult, row: SourceRow, field: str) -> int | None:
        """The population in the row's `field` column; None when empty, or (with a note that
        it is left unchanged) when it is not a whole number from 0."""
        raw = row.values.get(self.source.column(field))
        try:
            population = parse_int(raw)
            if population is not None and population < 0:
                raise ValueError(raw)
        except (TypeError, ValueError):
            result.notes.append(_("население «%(value)s» не число: не изменено") % {"value": raw})
            return None
        return population

    def duplicate(self, result: RowResult, key: Any, row: SourceRow) -> bool:
        """True (and the row skipped) when an earlier row of this file wrote the same object."""
        earlier = self.seen.get(key)
        if earlier is not None:
            self.skip(result, _("повтор строки №%(row)s (тот же объект)") % {"row": earlier})
            return True
        self.seen[key] = row.number
        return False


def assign(obj: models.Model, values: dict[str, Any]) -> bool:
    """Set the values on the object; True when any of them differs from what it had."""
    changed = obj.pk is None
    for name, value in values.items():
        old = getattr(obj, name)
        if hasattr(old, "equals_exact") and value is not None:
            same = old.geom_type == value.geom_type and old.equals_exact(value, 1e-12)
        else:
            same = old == value
        if not same:
            setattr(obj, name, value)
            changed = True
    return changed


def facility_reach(geom) -> set[int]:
    """Districts a facility at this point can cover: its walking circle reaches their box (the
    rule reach.signals uses to recompute after a single save)."""
    box = geo.expand_bbox(geom.extent, max(settings.COVERAGE_RADIUS_M.values()))
    return set(District.objects.filter(geom__bboverlaps=box).values_list("pk", flat=True))
