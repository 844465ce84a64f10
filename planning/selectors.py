"""Reads for offence statistics, candidate sites and siting plans."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from stations.models import District, Precinct

from .models import CandidateSite, OffenceCategory, OffenceCount, SitingPlan, SitingPlanSite

TOTAL_CODE = "total"


def offence_category_list() -> QuerySet[OffenceCategory]:
    return OffenceCategory.objects.all()


def offence_count_list() -> QuerySet[OffenceCount]:
    return OffenceCount.objects.select_related("district", "precinct", "category")


def candidate_site_list() -> QuerySet[CandidateSite]:
    return CandidateSite.objects.select_related("district")


def siting_plan_list() -> QuerySet[SitingPlan]:
    return SitingPlan.objects.select_related(
        "district", "region", "author", "offence_category"
    ).prefetch_related(
        Prefetch("sites", queryset=SitingPlanSite.objects.select_related("candidate"))
    )


def default_category() -> OffenceCategory | None:
    return OffenceCategory.objects.filter(code=TOTAL_CODE).first()


def _add_months(month: datetime.date, months: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


@dataclass
class OffenceRates:
    """Offences per resident in each precinct over `months` (first and last month), and the
    district's mean over its precincts."""

    per_precinct: dict[int, float]
    counts: dict[int, int]
    mean_rate: float
    months: tuple[datetime.date, datetime.date] | None
    category: OffenceCategory | None


def offence_rates(*, district: District, category: OffenceCategory | None = None) -> OffenceRates:
    """Precinct offence rates over the 12 months up to the latest month with precinct data."""
    category = category or default_category()
    rows = OffenceCount.objects.filter(district=district, category=category, precinct__isnull=False)
    latest = rows.order_by("-month").values_list("month", flat=True).first()
    precincts = dict(Precinct.objects.filter(district=district).values_list("pk", "population"))
    if latest is None:
        return OffenceRates({}, {}, 0.0, None, category)
    first = _add_months(latest, -11)
    counts = dict(
        rows.filter(month__gte=first, month__lte=latest)
        .values("precinct")
        .annotate(total=Sum("count"))
        .values_list("precinct", "total")
    )
    per_precinct = {
        pk: (counts.get(pk, 0) / population if population else 0.0)
        for pk, population in precincts.items()
    }
    population = sum(precincts.values())
    mean = sum(counts.values()) / population if population else 0.0
    return OffenceRates(per_precinct, counts, mean, (first, latest), category)


def _format_int(value: int) -> str:
    return f"{value:,}".replace(",", "\u00a0")


def _change_text(name: str, current: int, previous: int) -> str:
    if previous == 0:
        return _("%(name)s: %(current)s (годом ранее данных нет или 0)") % {
            "name": name,
            "current": _format_int(current),
        }
    pct = round(abs(current - previous) * 100 / previous)
    if current < previous:
        template = _("%(name)s: снижение на %(pct)s %%, с %(previous)s до %(current)s")
    elif current > previous:
        template = _("%(name)s: рост на %(pct)s %%, с %(previous)s до %(current)s")
    else:
        template = _("%(name)s: без изменений, %(current)s")
    return template % {
        "name": name,
        "pct": pct,
        "previous": _format_int(previous),
        "current": _format_int(current),
    }


def offence_summary(*, district: District, category: OffenceCategory | None = None) -> dict:
    """The district page's offence figures: per precinct, offences per 1,000 residents over the
    last 12 months (one category); per category, the year to date against the same months a
    year earlier. Where a month has precinct rows their sum counts, else the district's row."""
    category = category or default_category()
    rates = offence_rates(district=district, category=category)
    population = dict(Precinct.objects.filter(district=district).values_list("pk", "population"))
    precincts = [
        {
            "id": pk,
            "count": rates.counts.get(pk, 0) if rates.months else None,
            "population": pop,
            "per_1000": (
                round(rates.counts.get(pk, 0) * 1000 / pop, 2) if rates.months and pop else None
            ),
        }
        for pk, pop in population.items()
    ]
    # Monthly totals per category: precinct rows summed, district rows where no precinct row.
    monthly: dict[tuple[int, datetime.date], dict[bool, int]] = defaultdict(dict)
    for row in (
        OffenceCount.objects.filter(district=district)
        .annotate(whole_district=Q(precinct__isnull=True))
        .values("category", "month", "whole_district")
        .annotate(total=Sum("count"))
        .order_by()
    ):
        monthly[(row["category"], row["month"])][bool(row["whole_district"])] = row["total"]
    totals = {key: parts.get(False, parts.get(True, 0)) for key, parts in monthly.items()}
    changes = []
    latest = max((month for _c, month in totals), default=None)
    if latest is not None:
        for cat in OffenceCategory.objects.all():
            months = [datetime.date(latest.year, m, 1) for m in range(1, latest.month + 1)]
            current = [totals.get((cat.pk, m)) for m in months]
            previous = [totals.get((cat.pk, m.replace(year=m.year - 1))) for m in months]
            if all(v is None for v in current):
                continue
            cur, prev = sum(v or 0 for v in current), sum(v or 0 for v in previous)
            has_previous = any(v is not None for v in previous)
            changes.append(
                {
                    "category": cat.code,
                    "name": cat.name,
                    "current": cur,
                    "previous": prev if has_previous else None,
                    "change_pct": (
                        round((cur - prev) * 100 / prev, 1) if has_previous and prev else None
                    ),
                    "text": _change_text(cat.name, cur, prev if has_previous else 0),
                }
            )
    return {
        "category": category.code if category else None,
        "months": (
            [rates.months[0].isoformat(), rates.months[1].isoformat()] if rates.months else None
        ),
        "precincts": precincts,
        "period": (
            {
                "current": [datetime.date(latest.year, 1, 1).isoformat(), latest.isoformat()],
                "previous": [
                    datetime.date(latest.year - 1, 1, 1).isoformat(),
                    latest.replace(year=latest.year - 1).isoformat(),
                ],
            }
            if latest
            else None
        ),
        "changes": changes,
    }
