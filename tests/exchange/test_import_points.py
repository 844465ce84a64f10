"""import_settlements and import_facilities: points from layers and spreadsheets, each in its
district; a point outside its district is reported, not saved."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from exchange.services import ImportFileError, facilities_import, settlements_import
from stations.models import ModularPost, Settlement, Station
from tests.exchange.conftest import (
    feature,
    metric_box,
    metric_point,
    to_geopackage,
    write_csv,
    write_geojson,
    write_xlsx,
)
from tests.factories import DistrictFactory, PrecinctFactory, RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def district():
    region = RegionFactory(geom=metric_box(-30_000, -30_000, 30_000, 30_000))
    return DistrictFactory(region=region, kato="631010000", geom=metric_box(0, 0, 10_000, 10_000))


def lonlat(x, y):
    point = metric_point(x, y)
    return point.x, point.y


def test_settlements_from_geojson_by_district_outside_and_beyond(tmp_path, district):
    path = write_geojson(
        tmp_path / "places.geojson",
        [
            feature(
                metric_point(1000, 1000), **{"name": "Аул", "name:ru": "Аул", "population": "1 200"}
            ),
            feature(metric_point(2000, 2000), **{"name": "Kentau", "population": None}),
            feature(metric_point(10_020, 5000), **{"name": "У границы", "population": "40"}),
            feature(metric_point(-20_000, 0), **{"name": "В области", "population": "5"}),
            feature(metric_point(90_000, 0), **{"name": "За рубежом", "population": "7"}),
            feature(metric_point(3000, 3000), **{"name": None}),
            feature(metric_point(1000, 1100), **{"name": "Аул", "population": "1300"}),
        ],
    )
    report = settlements_import(path=path, name_field="name:ru,name", population_field="population")

    assert report.created == 3
    assert {s.name: s.population for s in Settlement.objects.all()} == {
        "Аул": 1200,
        "Kentau": 0,
        "У границы": 40,
    }
    reasons = {row.label.split(" (")[0]: row.reasons for row in report.rows}
    assert "в 20 м от границы района" in report.rows[2].notes
    assert "нет района" in reasons["В области"][0]
    assert "вне Казахстана" in reasons["За рубежом"][0]
    assert "повтор строки №1" in report.rows[6].reasons[0]  # same name 100 m away
    again = settlements_import(path=path, name_field="name:ru,name", population_field="population")
    assert again.created == 0 and again.unchanged == 3


def test_settlements_from_xlsx_with_lat_lon_and_a_given_district(tmp_path, district):
    lon, lat = lonlat(500, 500)
    path = write_xlsx(
        tmp_path / "places.xlsx",
        ["Название", "Широта", "Долгота", "Население", "КАТО"],
        [["Село", lat, lon, 300, 631010100], ["Без координат", None, None, 1, None]],
    )
    report = settlements_import(
        path=path,
        name_field="Название",
        population_field="Население",
        kato_field="КАТО",
        district_kato="631010000",
    )
    assert report.created == 1 and report.skipped == 1
    assert "нет широты" in report.rows[1].reasons[0]
    village = Settlement.objects.get()
    assert (village.kato, village.population, village.district) == ("631010100", 300, district)


def test_settlements_from_geopackage(tmp_path, district):
    source = write_geojson(
        tmp_path / "p.geojson", [feature(metric_point(100, 100), name="Точка", population=9)]
    )
    package = to_geopackage(source, tmp_path / "p.gpkg", "-t_srs", "EPSG:3857")
    report = settlements_import(path=package, population_field="population")
    assert report.created == 1
    assert Settlement.objects.get().geom.distance(metric_point(100, 100)) < 1e-7


def test_stations_from_csv_with_russian_headers(tmp_path, district):
    PrecinctFactory(district=district, number=4, geom=metric_box(0, 0, 2000, 2000))
    lon, lat = lonlat(1000, 1000)
    far_lon, far_lat = lonlat(12_000, 1000)
    path = write_csv(
        tmp_path / "stations.csv",
        [
            "Номер",
            "Адрес",
            "Статус",
            "Дата открытия",
            "Широта",
            "Долгота",
            "номер участка",
            "круглосуточно",
            "Код КАТО района",
        ],
        [
            ["№19", "ул. Абая, 1", "действует", "18.11.2021", lat, lon, 4, "да", "631010000"],
            ["№20", "ул. Абая, 2", "planned", "", far_lat, far_lon, "", "нет", "631010000"],
            ["№21", "ул. Абая, 3", "сломан", "", lat, lon, "", "", "631010000"],
            ["№22", "ул. Абая, 4", "closed", "2020-01-01", lat, lon, "", "", "631010000"],
            ["№23", "ул. Абая, 5", "", "", lat, lon, 9, "", "631010000"],
        ],
        delimiter=";",
    )
    report = facilities_import(path=path, kind="station")

    assert (report.created, report.skipped) == (1, 4), report.lines()
    station = Station.objects.get()
    assert (station.number, station.status, station.precinct.number) == ("№19", "operating", 4)
    assert station.opened_on.isoformat() == "2021-11-18" and station.round_the_clock
    assert "вне границ района" in report.rows[1].reasons[0]  # reported, not saved
    assert "сломан" in report.rows[2].reasons[0]
    assert "дата закрытия: Для закрытого объекта укажите дату закрытия." in report.rows[3].reasons
    assert "нет участка №9" in report.rows[4].reasons[0]


def test_posts_from_xlsx_found_by_point_and_updated_by_name(tmp_path, district):
    lon, lat = lonlat(3000, 3000)
    header = ["name", "address", "placement", "round_the_clock", "lat", "lon", "status"]
    path = write_xlsx(
        tmp_path / "posts.xlsx",
        header,
        [["Пост на рынке", "рынок", "рынок", True, lat, lon, "operating"]],
    )
    assert facilities_import(path=path, kind="post").created == 1
    path = write_xlsx(
        tmp_path / "posts2.xlsx",
        header,
        [["Пост на рынке", "рынок, вход 2", "market", False, lat, lon, "operating"]],
    )
    report = facilities_import(path=path, kind="post")
    assert report.updated == 1
    post = ModularPost.objects.get()
    assert (post.address, post.placement, post.round_the_clock) == (
        "рынок, вход 2",
        "market",
        False,
    )


def test_facility_files_that_cannot_be_imported(tmp_path, district):
    no_coords = write_csv(tmp_path / "a.csv", ["number", "address"], [["1", "x"]])
    with pytest.raises(ImportFileError, match="Нет столбцов с координатами"):
        facilities_import(path=no_coords, kind="station")
    no_number = write_csv(tmp_path / "b.csv", ["address", "lat", "lon"], [["x", 50.4, 80.2]])
    with pytest.raises(ImportFileError, match="«number»"):
        facilities_import(path=no_number, kind="station")
    header_only = write_csv(tmp_path / "c.csv", ["number", "address", "lat", "lon"], [])
    with pytest.raises(ImportFileError, match="только заголовок"):
        facilities_import(path=header_only, kind="station")
    cp1251 = tmp_path / "d.csv"
    cp1251.write_bytes("number;address;lat;lon\n1;ул. Абая;50.4;80.2\n".encode("cp1251"))
    with pytest.raises(ImportFileError, match="cp1251"):
        facilities_import(path=cp1251, kind="station")
    report = facilities_import(path=cp1251, kind="station", encoding="cp1251", dry_run=True)
    assert report.rows[0].label.startswith("1 ул. Абая")
    polygons = write_geojson(tmp_path / "e.geojson", [feature(metric_box(0, 0, 1, 1), n=1)])
    with pytest.raises(ImportFileError, match="нужны точки"):
        facilities_import(path=polygons, kind="post")
    assert Station.objects.count() == 0


def test_points_need_districts_first(tmp_path):
    path = write_csv(tmp_path / "s.csv", ["name", "lat", "lon"], [["А", 50.4, 80.2]])
    with pytest.raises(ImportFileError, match="Сначала загрузите районы"):
        settlements_import(path=path)


def test_commands(tmp_path, district, capsys):
    lon, lat = lonlat(100, 100)
    path = write_csv(tmp_path / "s.csv", ["name", "lat", "lon"], [["А", lat, lon]])
    call_command("import_settlements", str(path))
    stations = write_csv(
        tmp_path / "st.csv", ["number", "address", "lat", "lon"], [["7", "ул. 1", lat, lon]]
    )
    call_command("import_facilities", str(stations), "--kind", "station")
    out = capsys.readouterr().out
    assert "Населённые пункты: создано 1" in out
    assert "Участковые пункты полиции: создано 1" in out


def test_settlements_carry_their_kazakh_name(tmp_path, district):
    path = write_geojson(
        tmp_path / "villages.geojson",
        [feature(metric_point(1000, 1000), **{"name": "с. Бобровка", "kk": "Бобровка ауылы"})],
    )
    report = settlements_import(path=path, name_kk_field="kk")
    assert report.created == 1
    assert Settlement.objects.values_list("name", "name_kk").get() == (
        "с. Бобровка",
        "Бобровка ауылы",
    )
    assert settlements_import(path=path, name_kk_field="kk").unchanged == 1


def test_an_export_read_in_kazakh_imports_back_unchanged(tmp_path, district):
    # An export made in Kazakh has the Kazakh name in `name`; the stored names travel in
    # `name_ru` and `name_kk`, which the import prefers.
    path = write_geojson(
        tmp_path / "export.geojson",
        [
            feature(
                metric_point(1000, 1000),
                **{"name": "Бобровка ауылы", "name_ru": "с. Бобровка", "name_kk": "Бобровка ауылы"},
            )
        ],
    )
    settlements_import(path=path)
    assert Settlement.objects.values_list("name", "name_kk").get() == (
        "с. Бобровка",
        "Бобровка ауылы",
    )
