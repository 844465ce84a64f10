"""Round trips: what an export writes, an import reads back into the same records and
geometries (within the 6 decimals of exported GeoJSON; exactly from Shapefile/GeoPackage)."""

from __future__ import annotations

import datetime

import pytest

from exchange.services import (
    assistants_import,
    boundaries_import,
    facilities_import,
    inspectors_import,
    settlements_import,
)
from officers.models import Assignment, Assistant, Inspector
from stations.models import District, ModularPost, Precinct, Region, Settlement, Station
from tests.api.utils import url
from tests.exchange.conftest import body, metric_box, metric_point
from tests.factories import (
    AssistantFactory,
    DistrictFactory,
    InspectorFactory,
    ModularPostFactory,
    PrecinctFactory,
    RegionFactory,
    SettlementFactory,
    StationFactory,
)

pytestmark = pytest.mark.django_db
SUFFIX = {"geojson": "geojson", "shp": "zip", "gpkg": "gpkg", "csv": "csv", "xlsx": "xlsx"}


def download(client, resource, fmt, tmp_path, **params):
    response = client.get(url(resource), {"format": fmt, **params})
    assert response.status_code == 200
    path = tmp_path / f"{resource}.{SUFFIX[fmt]}"
    path.write_bytes(body(response))
    return path


def admin_download(client, model, fmt, tmp_path):
    opts = model._meta
    response = client.get(f"/admin/{opts.app_label}/{opts.model_name}/export/{fmt}/")
    assert response.status_code == 200
    path = tmp_path / f"{opts.model_name}.{SUFFIX[fmt]}"
    path.write_bytes(body(response))
    return path


def snapshot(model, fields):
    return sorted(model.objects.values_list(*fields))


def same_geometries(before: dict, model, tolerance: float) -> None:
    for pk, geom in model.objects.values_list("pk", "geom"):
        assert geom.normalize(clone=True).equals_exact(
            before[pk].normalize(clone=True), tolerance
        ), pk


@pytest.mark.parametrize("fmt", ["geojson", "shp", "gpkg"])
def test_territory_round_trip(admin_client_logged, staff_client, tmp_path, fmt):
    region = RegionFactory(kato="630000000", geom=metric_box(-20_000, -20_000, 20_000, 20_000))
    district = DistrictFactory(region=region, kato="631010000", geom=metric_box(0, 0, 8000, 8000))
    PrecinctFactory(district=district, number=1, population=4100, geom=metric_box(0, 0, 4000, 8000))
    PrecinctFactory(district=district, number=2, name="", geom=metric_box(4000, 0, 8000, 8000))
    fields = {
        Region: ("kato", "name", "name_kk"),
        District: ("kato", "name", "name_kk", "population", "region__kato"),
        Precinct: ("number", "name", "population", "district__kato"),
    }
    before = {m: snapshot(m, f) for m, f in fields.items()}
    geoms = {m: dict(m.objects.values_list("pk", "geom")) for m in fields}
    if fmt == "geojson":  # the admin's export; the API's GeoJSON is paged
        files = {m: admin_download(admin_client_logged, m, fmt, tmp_path) for m in fields}
    else:
        names = {Region: "regions", District: "districts", Precinct: "precincts"}
        files = {m: download(staff_client, names[m], fmt, tmp_path) for m in fields}

    Region.objects.update(name="испорчено", name_kk="")
    District.objects.update(name="испорчено", population=0)
    Precinct.objects.update(name="испорчено", population=0)
    kato = {"shp": "kato"}.get(fmt, "kato")
    boundaries_import(path=files[Region], level="region", kato_field=kato, name_kk_field="name_kk")
    boundaries_import(
        path=files[District],
        level="district",
        kato_field=kato,
        name_kk_field="name_kk",
        population_field="population",
        parent_field="region_kato",
    )
    report = boundaries_import(
        path=files[Precinct],
        level="precinct",
        number_field="number",
        population_field="population",
        parent_field="district_kato",
    )
    assert report.updated == 2 and report.created == 0
    assert {m: snapshot(m, f) for m, f in fields.items()} == before
    for model in fields:
        same_geometries(geoms[model], model, 1e-6 if fmt == "geojson" else 1e-9)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "geojson", "gpkg"])
def test_facilities_and_settlements_round_trip(staff_client, admin_client_logged, tmp_path, fmt):
    district = DistrictFactory(kato="631010000", geom=metric_box(0, 0, 8000, 8000))
    PrecinctFactory(district=district, number=3, geom=metric_box(0, 0, 4000, 8000))
    StationFactory(
        district=district,
        precinct=Precinct.objects.get(number=3),
        number="№19",
        geom=metric_point(1000, 1000),
        combined_with_housing=True,
        on_police_balance_since=datetime.date(2022, 3, 1),
    )
    StationFactory(
        district=district,
        number="№7",
        status="closed",
        closed_on=datetime.date(2024, 5, 2),
        geom=metric_point(5000, 5000),
    )
    ModularPostFactory(
        district=district, name="Пост", geom=metric_point(2000, 2500), placement="market"
    )
    SettlementFactory(district=district, name="Аул", population=321, geom=metric_point(700, 700))
    station_fields = (
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
        "precinct__number",
        "district__kato",
    )
    post_fields = ("name", "address", "status", "placement", "round_the_clock", "opened_on")
    before = (
        snapshot(Station, station_fields),
        snapshot(ModularPost, post_fields),
        snapshot(Settlement, ("name", "population", "district__kato")),
    )
    points = {m: dict(m.objects.values_list("pk", "geom")) for m in (Station, ModularPost)}
    if fmt == "geojson":
        station_file = admin_download(admin_client_logged, Station, fmt, tmp_path)
        post_file = admin_download(admin_client_logged, ModularPost, fmt, tmp_path)
        settlement_file = admin_download(admin_client_logged, Settlement, fmt, tmp_path)
    else:
        station_file = download(staff_client, "stations", fmt, tmp_path)
        post_file = download(staff_client, "posts", fmt, tmp_path)
        settlement_file = download(staff_client, "settlements", fmt, tmp_path)
    Station.objects.update(address="?", reception_hours="", combined_with_housing=False)
    ModularPost.objects.update(address="?", placement="other")
    Settlement.objects.update(population=0)

    stations = facilities_import(path=station_file, kind="station")
    posts = facilities_import(path=post_file, kind="post")
    settlements = settlements_import(path=settlement_file, population_field="population")

    assert (stations.updated, posts.updated, settlements.updated) == (2, 1, 1), (
        stations.lines() + posts.lines() + settlements.lines()
    )
    after = (
        snapshot(Station, station_fields),
        snapshot(ModularPost, post_fields),
        snapshot(Settlement, ("name", "population", "district__kato")),
    )
    assert after == before
    for model, geoms in points.items():
        for pk, geom in model.objects.values_list("pk", "geom"):
            assert geom.distance(geoms[pk]) < 1e-6


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_people_round_trip(staff_client, tmp_path, fmt):
    assistant = AssistantFactory(middle_name="Ерланович")
    inspector = assistant.inspector
    InspectorFactory(precinct=inspector.precinct, personal_phone="", appointed_on=None)
    fields = (
        "personnel_number",
        "last_name",
        "first_name",
        "middle_name",
        "rank",
        "position",
        "status",
        "service_phone",
        "personal_phone",
        "appointed_on",
        "precinct_id",
        "station_id",
        "reception_hours",
    )
    before = snapshot(Inspector, fields)
    assistants_before = snapshot(
        Assistant, ("inspector_id", "last_name", "first_name", "middle_name", "phone")
    )
    people = download(staff_client, "inspectors", fmt, tmp_path)
    helpers = download(staff_client, "assistants", fmt, tmp_path)
    Inspector.objects.update(rank="major", service_phone="", personal_phone="")
    Assistant.objects.update(phone="")

    report = inspectors_import(path=people)
    helpers_report = assistants_import(path=helpers)

    assert report.updated == 2 and helpers_report.updated == 1, report.lines()
    assert snapshot(Inspector, fields) == before
    assert (
        snapshot(Assistant, ("inspector_id", "last_name", "first_name", "middle_name", "phone"))
        == assistants_before
    )
    assert Assignment.objects.count() == 2  # the precinct did not change: no new assignment


def test_inspector_import_moves_precinct_and_writes_the_history(tmp_path):
    from tests.exchange.conftest import write_xlsx

    inspector = InspectorFactory()
    district = inspector.precinct.district
    other = PrecinctFactory(district=district, number=inspector.precinct.number + 1)
    path = write_xlsx(
        tmp_path / "people.xlsx",
        ["Табельный номер", "Фамилия", "Имя", "Звание", "код КАТО района", "номер участка"],
        [
            [
                inspector.personnel_number,
                "Ахметов",
                "Ерлан",
                "майор полиции",
                district.kato,
                other.number,
            ],
            ["TN000777", "Новиков", "Илья", "captain", district.kato, other.number],
            ["TN000778", "Без", "Участка", "генерал", district.kato, 999],
        ],
    )
    report = inspectors_import(path=path, on=datetime.date(2026, 1, 10))

    assert (report.updated, report.created, report.skipped) == (1, 1, 1), report.lines()
    inspector.refresh_from_db()
    assert (inspector.precinct, inspector.rank) == (other, "major")
    closed = inspector.assignments.get(ended_on__isnull=False)
    assert closed.ended_on == datetime.date(2026, 1, 10)
    assert inspector.assignments.get(ended_on__isnull=True).precinct == other
    assert any("генерал" in r for r in report.rows[2].reasons)
    assert any("нет участка №999" in r for r in report.rows[2].reasons)
