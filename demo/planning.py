"""Demo offence statistics and candidate sites (deterministic, idempotent).

Offence counts: the last 24 full months before the load day for every demo precinct (total,
grave and especially grave, theft) and for every demo district as a whole (robbery,
hooliganism, administrative offences: "finer data is missing"), about a tenth lower than a
year earlier. Candidate sites: a few per district, at the centres of its precincts that have
no operating station (land plots and new residential complexes the akimat could offer).
"""

from __future__ import annotations

import datetime
import hashlib
import random
from collections import Counter

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from planning.models import CandidateSite, OffenceCategory, OffenceCount
from planning.services import candidate_site_save, offence_categories_ensure
from stations.models import District, Precinct, Station

# Offences per 1,000 residents a month, by category: precinct-level and district-level.
PRECINCT_RATES = {"total": 0.9, "grave": 0.12, "theft": 0.35}
DISTRICT_RATES = {"robbery": 0.05, "hooliganism": 0.06, "administrative": 2.4}
YEARLY_DROP = 0.10  # "total crime down 10 %"
MONTHS = 24
CANDIDATES_PER_DISTRICT = 4
CANDIDATE_NAMES = (
    "Земельный участок акимата №%(n)s",
    "ЖК «Новый квартал-%(n)s», встроенное помещение",
)


def _rng(*parts: object) -> random.Random:
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()
    return random.Random(int(digest[:16], 16))


def _months(today: datetime.date) -> list[datetime.date]:
    first = datetime.date(today.year, today.month, 1)
    found = []
    for _ in range(MONTHS):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
        found.append(first)
    return found[::-1]


def _count(population: int, rate: float, month: datetime.date, latest: datetime.date, *key):
    """A deterministic monthly count: the rate, a precinct's own level, seasonality, the yearly
    drop, noise."""
    level = _rng("level", *key).uniform(0.5, 1.8)
    season = 1.0 + 0.15 * (1 if month.month in (6, 7, 8) else -1 if month.month in (1, 2) else 0)
    years_back = (latest.year - month.year) * 12 + latest.month - month.month
    trend = (1 - YEARLY_DROP) ** (-years_back / 12)
    noise = _rng("noise", month.isoformat(), *key).uniform(0.85, 1.15)
    return max(0, round(population / 1000 * rate * level * season * trend * noise))


@transaction.atomic
def demo_planning_load(*, districts: list[District], today: datetime.date) -> Counter:
    """Create what is missing of the demo offence counts and candidate sites; returns the
    number created per model. Existing rows are left as they are."""
    created: Counter = Counter()
    offence_categories_ensure()
    categories = {c.code: c for c in OffenceCategory.objects.all()}
    months = _months(today)
    latest = months[-1]
    existing = set(
        OffenceCount.objects.filter(district__in=districts).values_list(
            "district_id", "precinct_id", "category_id", "month"
        )
    )
    rows = []
    for district in districts:
        precincts = list(Precinct.objects.filter(district=district).order_by("number"))
        for month in months:
            for precinct in precincts:
                for code, rate in PRECINCT_RATES.items():
                    category = categories.get(code)
                    if (
                        category is None
                        or (district.pk, precinct.pk, category.pk, month) in existing
                    ):
                        continue
                    rows.append(
                        OffenceCount(
                            district=district,
                            precinct=precinct,
                            category=category,
                            month=month,
                            count=_count(
                                precinct.population,
                                rate,
                                month,
                                latest,
                                district.kato,
                                precinct.number,
                                code,
                            ),
                        )
                    )
            population = sum(p.population for p in precincts) or district.population
            for code, rate in DISTRICT_RATES.items():
                category = categories.get(code)
                if category is None or (district.pk, None, category.pk, month) in existing:
                    continue
                rows.append(
                    OffenceCount(
                        district=district,
                        category=category,
                        month=month,
                        count=_count(population, rate, month, latest, district.kato, code),
                    )
                )
    for row in rows:
        # Field and model rules per row; the uniqueness rules hold by construction (only
        # missing keys are added) and the database constraints back them.
        row.full_clean(validate_constraints=False)
    # With a creation entry each in the audit history (door: command), like every demo row.
    bulk_create_with_history(rows, OffenceCount, batch_size=1000)
    created[OffenceCount] = len(rows)

    for district in districts:
        with_station = set(
            Station.objects.operating()
            .filter(district=district, precinct__isnull=False)
            .values_list("precinct_id", flat=True)
        )
        free = [
            p
            for p in Precinct.objects.filter(district=district).order_by("-population", "number")
            if p.pk not in with_station
        ][:CANDIDATES_PER_DISTRICT]
        have = set(CandidateSite.objects.filter(district=district).values_list("name", flat=True))
        for n, precinct in enumerate(free, start=1):
            name = CANDIDATE_NAMES[n % 2] % {"n": n}
            if name in have:
                continue
            candidate_site_save(
                site=CandidateSite(
                    district=district,
                    name=name,
                    geom=precinct.geom.point_on_surface,
                    note="Демонстрационная площадка.",
                )
            )
            created[CandidateSite] += 1
    return created
