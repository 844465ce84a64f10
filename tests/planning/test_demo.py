"""The demo's offence counts and candidate sites: deterministic, idempotent, plannable."""

import datetime

import pytest

from demo.planning import CANDIDATES_PER_DISTRICT, MONTHS, demo_planning_load
from planning import selectors, services
from planning.models import CandidateSite, FacilityKind, OffenceCount
from tests.factories import PrecinctFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 27)


def test_demo_offences_and_sites_are_deterministic_and_idempotent(district):
    for number in range(1, 7):
        PrecinctFactory(district=district, number=number, population=5000 + 500 * number)
    created = demo_planning_load(districts=[district], today=TODAY)
    # 6 precincts × 3 precinct categories + 3 district categories, per month.
    assert created[OffenceCount] == MONTHS * (6 * 3 + 3)
    assert created[CandidateSite] == CANDIDATES_PER_DISTRICT

    def rows():
        return sorted(
            (number or 0, code, month, count)
            for number, code, month, count in OffenceCount.objects.values_list(
                "precinct__number", "category__code", "month", "count"
            )
        )

    first = rows()
    assert sum(row[3] for row in first) > 0
    again = demo_planning_load(districts=[district], today=TODAY)
    assert again[OffenceCount] == 0 and again[CandidateSite] == 0
    OffenceCount.objects.all().delete()
    demo_planning_load(districts=[district], today=TODAY)
    assert rows() == first
    months = sorted(set(OffenceCount.objects.values_list("month", flat=True)))
    assert months[0] == datetime.date(2024, 11, 1) and months[-1] == datetime.date(2026, 10, 1)

    summary = selectors.offence_summary(district=district)
    total = next(c for c in summary["changes"] if c["category"] == "total")
    assert total["current"] < total["previous"]
    assert "снижение" in total["text"]
    assert all(row["per_1000"] is not None for row in summary["precincts"])

    plan = services.siting_plan_run(
        params=services.PlanInput(
            district=district, facility_kind=FacilityKind.STATION, new_sites=2, radius_m=800
        )
    )
    assert plan.sites.count() == 2
