"""Topology checks on constructed territory whose overlaps, gaps and strays have known areas.

The district is a 10 × 10 km square laid out in metres in its UTM zone; precincts are
rectangles in the same metres, so every expected area is exact arithmetic.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command

from exchange.topology import (
    FACILITY_OUTSIDE,
    GAP,
    NO_PRECINCTS,
    OUTSIDE,
    OVERLAP,
    SETTLEMENT_OUTSIDE,
    territory_check,
)
from stations.models import District
from tests.exchange.conftest import metric_box, metric_point
from tests.factories import (
    DistrictFactory,
    ModularPostFactory,
    PrecinctFactory,
    SettlementFactory,
    StationFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def territory():
    """District [0,10000]² m. P1 [0,4000]×[0,10000]; P2 [3800,10000]×[0,9000] overlaps P1 by
    200 × 9000 = 1.8 km²; P3 [9000,10040]×[8999.5,10000] sticks out 40 m east (40 × 1000.5 m²)
    and overlaps P2 by a 1000 × 0.5 m sliver (500 m²). Left uncovered: [4000,9000]×[9000,10000]
    = 5 km²."""
    district = DistrictFactory(geom=metric_box(0, 0, 10_000, 10_000), kato="631010001")
    PrecinctFactory(district=district, number=1, geom=metric_box(0, 0, 4000, 10_000))
    PrecinctFactory(district=district, number=2, geom=metric_box(3800, 0, 10_000, 9000))
    PrecinctFactory(district=district, number=3, geom=metric_box(9000, 8999.5, 10_040, 10_000))
    return district


def by_kind(report, kind):
    return [f for f in report.findings if f.kind == kind]


def test_overlap_gap_and_stray_with_their_areas(territory):
    report = territory_check(districts=District.objects.all(), min_area_m2=1000)

    overlaps = by_kind(report, OVERLAP)
    assert len(overlaps) == 1  # the 500 m² sliver between P2 and P3 is ignored
    assert overlaps[0].area_m2 == pytest.approx(1_800_000, rel=1e-6)
    assert "№1" in overlaps[0].subject and "№2" in overlaps[0].subject

    gaps = by_kind(report, GAP)
    assert [g.area_m2 for g in gaps] == [pytest.approx(5_000_000, rel=1e-6)]

    outside = by_kind(report, OUTSIDE)
    assert len(outside) == 1 and "№3" in outside[0].subject
    assert outside[0].area_m2 == pytest.approx(40 * 1000.5, rel=1e-4)
    assert not by_kind(report, NO_PRECINCTS)


def test_a_smaller_sliver_size_reports_the_sliver(territory):
    report = territory_check(min_area_m2=100)

    areas = sorted(f.area_m2 for f in by_kind(report, OVERLAP))
    assert areas == [pytest.approx(500, rel=1e-3), pytest.approx(1_800_000, rel=1e-6)]


def test_sliver_size_comes_from_settings(territory, settings):
    settings.TOPOLOGY_MIN_AREA_M2 = 100
    assert len(by_kind(territory_check(), OVERLAP)) == 2
    settings.TOPOLOGY_MIN_AREA_M2 = 10_000_000
    assert territory_check().findings == []


def test_facilities_outside_the_district_with_their_distance(territory):
    inside = StationFactory(district=territory, geom=metric_point(5000, 5000))
    stray = StationFactory(district=territory, geom=metric_point(10_030, 5000))
    post = ModularPostFactory(district=territory, geom=metric_point(-300, 2000))

    found = by_kind(territory_check(), FACILITY_OUTSIDE)

    assert {f.objects[0] for f in found} == {
        ("stations.station", stray.pk),
        ("stations.modularpost", post.pk),
    }
    assert ("stations.station", inside.pk) not in {f.objects[0] for f in found}
    distances = {f.objects[0]: f.distance_m for f in found}
    assert distances[("stations.station", stray.pk)] == pytest.approx(30, abs=0.01)
    assert distances[("stations.modularpost", post.pk)] == pytest.approx(300, abs=0.01)


def test_settlements_outside_every_precinct(territory):
    SettlementFactory(district=territory, name="В участке", geom=metric_point(1000, 1000))
    SettlementFactory(district=territory, name="В разрыве", geom=metric_point(6000, 9400))

    found = by_kind(territory_check(), SETTLEMENT_OUTSIDE)

    assert [f.subject for f in found] == ["В разрыве"]
    assert found[0].distance_m == pytest.approx(400, abs=0.01)  # to P2's top at y = 9000


def test_a_district_without_precincts_is_reported_once():
    district = DistrictFactory(geom=metric_box(0, 0, 2000, 3000))
    SettlementFactory.create_batch(2, district=district, geom=metric_point(500, 500))

    report = territory_check()

    assert [f.kind for f in report.findings] == [NO_PRECINCTS]
    assert report.findings[0].area_m2 == pytest.approx(6_000_000, rel=1e-6)


def test_clean_territory_has_no_findings():
    district = DistrictFactory(geom=metric_box(0, 0, 2000, 1000))
    PrecinctFactory(district=district, number=1, geom=metric_box(0, 0, 1000, 1000))
    PrecinctFactory(district=district, number=2, geom=metric_box(1000, 0, 2000, 1000))
    assert territory_check().findings == []


def test_command_prints_findings_and_filters_by_district(territory, capsys):
    other = DistrictFactory(geom=metric_box(20_000, 0, 21_000, 1000))

    call_command("check_territory", "--district", territory.kato)
    out = capsys.readouterr().out
    assert "участки перекрываются" in out
    assert "1 800 000 m²" in out
    assert "5 000 000 m²" in out
    assert other.name not in out
    assert "1 district(s) checked" in out

    with pytest.raises(Exception, match="No district with KATO 000000000"):
        call_command("check_territory", "--district", "000000000")
    with pytest.raises(Exception, match="finding"):
        call_command("check_territory", "--fail-on-findings")


def test_admin_page_shows_the_findings(territory, admin_client_logged, django_user_model, client):
    page = admin_client_logged.get("/admin/exchange/territorycheck/", {"run": "1"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "участки перекрываются" in html
    assert "1\u00a0800\u00a0000" in html or "1 800 000" in html
    assert f"/admin/stations/precinct/{territory.precincts.get(number=1).pk}/change/" in html

    one = admin_client_logged.get(
        "/admin/exchange/territorycheck/", {"run": "1", "district": territory.pk, "min_area": "x"}
    )
    assert "Неверные параметры" in one.content.decode()

    nobody = django_user_model.objects.create_user("nobody", password="pw-123456789", is_staff=True)
    client.force_login(nobody)
    assert client.get("/admin/exchange/territorycheck/").status_code == 403
