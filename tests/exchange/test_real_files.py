"""The real files in ../shared/data/kazakhstan load (PROVENANCE.md there describes them): ADM1
regions without the national outline, the partial ADM2 districts of the north and Almaty's city
districts, and the OSM settlements without the points outside Kazakhstan.

One test loads them in the order an analyst would (about 8 s on SpatiaLite); it is
skipped, with the reason, only when ../shared is not there.
"""

from __future__ import annotations

import time

import pytest
from django.core.management import call_command

from exchange.services import boundaries_import, settlements_import
from exchange.topology import NO_PRECINCTS, territory_check
from servicepolice import geo
from stations.models import District, Region, Settlement

pytestmark = pytest.mark.django_db


def test_the_shared_files_load(shared_data, capsys):
    started = time.monotonic()
    regions = boundaries_import(
        path=shared_data / "OSMB-KZ_adm_4.geojson",
        level="region",
        name_field="name",
        name_kk_field="local_name",
        where=["admin_level=4"],
    )
    assert (regions.created, regions.skipped, regions.invalid) == (20, 1, 0)
    assert [row.label for row in regions.rows if row.action == "skipped"] == ["Kazakhstan"]
    assert Region.objects.get(name="Abay Region").name_kk == "Абай облысы"
    assert all(g.valid for g in Region.objects.values_list("geom", flat=True))

    north = boundaries_import(
        path=shared_data / "OSMB-KZ_adm6_north_partial.geojson",
        level="district",
        name_field="name",
        name_kk_field="name",
        where=["admin_level=6"],
        kind="rural",
    )
    assert (north.created, north.skipped, north.invalid) == (98, 1, 0)
    # Names repeat across regions; each district went to the region it overlaps most.
    assert sorted(
        District.objects.filter(name="Абай ауданы").values_list("region__name", flat=True)
    ) == ["Abay Region", "Karaganda Region"]
    assert sorted(
        District.objects.filter(name="Есіл ауданы").values_list("region__name", flat=True)
    ) == ["Akmola Region", "North Kazakhstan Region"]
    assert District.objects.get(name="Семей қалалық әкімшілігі").region.name == "Abay Region"
    assert District.objects.get(name="Бурабай ауданы").region.name == "Akmola Region"

    almaty = boundaries_import(
        path=shared_data / "almaty_districts.geojson", level="district", kind="urban"
    )
    assert almaty.created == 8
    city = District.objects.filter(region__name="Almaty")
    assert city.count() == 8
    union_km2 = sum(geo.area_m2(d.geom) for d in city) / 1e6
    assert union_km2 == pytest.approx(703, abs=3)  # PROVENANCE.md: 703 km²

    again = boundaries_import(
        path=shared_data / "OSMB-KZ_adm_4.geojson", level="region", where=["admin_level=4"]
    )
    assert (again.created, again.updated, again.unchanged) == (0, 0, 20)

    # Every row of the settlements file is read; cities and towns are loaded (all 9,899 points
    # take about 20 s more: README, "Import and export").
    places = shared_data / "hotosm_kaz_populated_places_points_geojson.geojson"
    towns = {}
    for place in ("city", "town"):
        towns[place] = settlements_import(
            path=places,
            name_field="name:ru,name",
            population_field="population",
            where=[f"place={place}"],
        )
    cities = towns["city"]
    assert len(cities.rows) == 9899
    abroad = [r.label for r in cities.rows if r.reasons and "вне Казахстана" in r.reasons[0]]
    assert "Токмак" in abroad  # Tokmok, Kyrgyzstan: outside every region
    assert Settlement.objects.get(name="Семей").district.name == "Семей қалалық әкімшілігі"
    assert Settlement.objects.get(name="Семей").population > 300_000
    assert Settlement.objects.filter(district__region__name="Almaty").count() == 1
    created = cities.created + towns["town"].created
    assert created == Settlement.objects.count() > 60
    assert all(r.invalid is False for r in cities.rows if r.action == "skipped")

    report = territory_check()
    assert report.districts == 106 and report.count(NO_PRECINCTS) == 106

    call_command("check_territory", "--district", city.first().kato)
    assert "в районе нет участков" in capsys.readouterr().out
    elapsed = time.monotonic() - started
    print(f"\nshared files loaded in {elapsed:.1f} s")  # noqa: T201 - shown with -s
