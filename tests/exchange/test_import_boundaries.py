"""import_boundaries: every format, any CRS, repairs, parents by overlap, upserts, bad files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from exchange.services import ImportFileError, boundaries_import
from servicepolice import geo
from stations.models import District, Precinct, Region
from tests.exchange.conftest import (
    feature,
    metric_box,
    to_geopackage,
    to_shapefile_zip,
    write_csv,
    write_geojson,
)
from tests.factories import DistrictFactory, RegionFactory

pytestmark = pytest.mark.django_db


def same_shape(a, b, tolerance: float) -> bool:
    """Equal vertex by vertex within `tolerance` degrees, whatever the rings' start and turn."""
    return a.normalize(clone=True).equals_exact(b.normalize(clone=True), tolerance)


WEST = metric_box(-50_000, -25_000, 0, 25_000)
EAST = metric_box(0, -25_000, 50_000, 25_000)


def regions_file(tmp_path: Path) -> Path:
    return write_geojson(
        tmp_path / "regions.geojson",
        [
            feature(WEST[0], name="Западная область", local_name="Батыс", admin_level=4),
            feature(EAST, name="Восточная область", local_name="Шығыс", admin_level=4),
            feature(metric_box(-60_000, -30_000, 60_000, 30_000), name="Страна", admin_level=2),
        ],
    )


def load_regions(tmp_path):
    return boundaries_import(
        path=regions_file(tmp_path),
        level="region",
        name_kk_field="local_name",
        where=["admin_level=4"],
    )


def test_regions_from_geojson_skip_the_country_and_get_provisional_codes(tmp_path, settings):
    settings.IMPORT_PROVISIONAL_KATO_PREFIX = "99"
    report = load_regions(tmp_path)

    assert (report.created, report.skipped, report.invalid) == (2, 1, 0)
    assert "admin_level=2" in report.rows[2].reasons[0]
    west = Region.objects.get(name="Западная область")
    assert west.name_kk == "Батыс"
    assert west.geom.geom_type == "MultiPolygon"  # the file's Polygon, promoted
    assert west.geom.equals_exact(WEST, 1e-9)
    assert sorted(Region.objects.values_list("kato", flat=True)) == ["990000001", "990000002"]
    assert any("временные коды" in line for line in report.lines())


def test_second_run_changes_nothing_and_a_changed_geometry_updates(tmp_path):
    load_regions(tmp_path)
    again = load_regions(tmp_path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)

    bigger = metric_box(-55_000, -25_000, 0, 25_000)
    path = write_geojson(tmp_path / "w.geojson", [feature(bigger, name="западная ОБЛАСТЬ")])
    report = boundaries_import(path=path, level="region")
    assert (report.created, report.updated) == (0, 1)  # matched by name, case aside
    assert Region.objects.count() == 2
    assert Region.objects.get(kato="990000001").geom.equals_exact(bigger, 1e-9)


def test_districts_find_their_region_by_largest_overlap_and_names_repeat(tmp_path):
    load_regions(tmp_path)
    path = write_geojson(
        tmp_path / "districts.geojson",
        [
            # 10 km in the west, 2 km in the east: the west's.
            feature(metric_box(-10_000, 0, 2000, 5000), name="Абай ауданы", pop="12 500"),
            feature(metric_box(5000, 0, 9000, 5000), name="Абай ауданы", pop=800),
            feature(metric_box(200_000, 0, 201_000, 1000), name="Далеко", pop=1),
        ],
    )
    report = boundaries_import(path=path, level="district", population_field="pop", kind="rural")

    assert (report.created, report.skipped) == (2, 1)
    assert "не пересекается" in report.rows[2].reasons[0]
    rows = District.objects.order_by("population").values_list(
        "region__name", "name", "population", "kind"
    )
    assert list(rows) == [
        ("Восточная область", "Абай ауданы", 800, "rural"),
        ("Западная область", "Абай ауданы", 12_500, "rural"),
    ]
    assert report.recomputed_districts == 2
    again = boundaries_import(path=path, level="district", population_field="pop")
    assert (again.created, again.unchanged) == (0, 2)


def test_low_overlap_share_is_noted(tmp_path):
    load_regions(tmp_path)
    path = write_geojson(
        tmp_path / "d.geojson", [feature(metric_box(-1000, 24_000, 1000, 80_000), name="Край")]
    )
    report = boundaries_import(path=path, level="district")
    assert report.created == 1
    assert "лишь" in report.rows[0].notes[0]


def test_upsert_by_kato_renames_and_parent_by_field_or_code(tmp_path):
    west = RegionFactory(kato="630000000", name="Запад", geom=WEST)
    RegionFactory(kato="640000000", name="Восток", geom=EAST)
    district = DistrictFactory(
        region=west, kato="631010000", name="Старое", geom=metric_box(-10_000, 0, -5000, 5000)
    )
    path = write_geojson(
        tmp_path / "d.geojson",
        [
            feature(
                metric_box(-10_000, 0, -5000, 5000),
                name="Новое",
                kato=631010000.0,
                parent="630000000",
            ),
            feature(
                metric_box(5000, 0, 9000, 5000), name="Восточный", kato="641010000", parent="Восток"
            ),
            feature(
                metric_box(5000, 0, 9000, 5000), name="Плохой код", kato="12345", parent="Восток"
            ),
        ],
    )
    report = boundaries_import(
        path=path, level="district", kato_field="kato", parent_field="parent"
    )

    assert (report.created, report.updated, report.skipped) == (1, 1, 1), report.lines()
    district.refresh_from_db()
    assert district.name == "Новое"
    assert District.objects.get(kato="641010000").region.name == "Восток"
    assert "9 цифр" in report.rows[2].reasons[0]

    fixed = write_geojson(
        tmp_path / "f.geojson", [feature(metric_box(6000, 0, 7000, 1000), name="Ещё")]
    )
    boundaries_import(path=fixed, level="district", parent_kato="640000000")
    assert District.objects.get(name="Ещё").region.kato == "640000000"


def test_invalid_geometry_is_repaired_and_reported(tmp_path):
    RegionFactory(geom=WEST)
    a, b = metric_box(-20_000, 0, -10_000, 10_000), None
    x0, y0, x1, y1 = a.extent
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[x0, y0], [x1, y1], [x1, y0], [x0, y1], [x0, y0]]],
    }
    path = write_geojson(tmp_path / "bad.geojson", [feature(bowtie, name="Бантик")])
    report = boundaries_import(path=path, level="district")

    assert (report.created, report.repaired) == (1, 1)
    assert "Self-intersection" in report.rows[0].notes[0]
    saved = District.objects.get(name="Бантик").geom
    assert saved.valid and saved.geom_type == "MultiPolygon" and len(saved) == 2
    assert b is None


def test_zipped_shapefile_in_utm_is_brought_to_4326(tmp_path):
    source = regions_file(tmp_path)
    archive = to_shapefile_zip(source, tmp_path / "regions.zip", "-t_srs", "EPSG:32644")
    report = boundaries_import(
        path=archive, level="region", name_kk_field="local_name", where=["admin_level=4"]
    )
    assert report.created == 2
    assert report.crs == "EPSG:32644"
    west = Region.objects.get(name="Западная область")
    assert west.geom.srid == 4326
    assert geo.area_m2(west.geom) == pytest.approx(geo.area_m2(WEST), rel=1e-6)
    assert same_shape(west.geom, WEST, 1e-6)


def test_geopackage_with_several_layers_needs_a_layer(tmp_path):
    source = regions_file(tmp_path)
    package = to_geopackage(source, tmp_path / "kz.gpkg", "-nln", "regions")
    to_geopackage(source, package, "-update", "-nln", "other")

    with pytest.raises(ImportFileError, match="несколько слоёв"):
        boundaries_import(path=package, level="region")
    with pytest.raises(ImportFileError, match="нет слоя «nope»"):
        boundaries_import(path=package, level="region", layer="nope")
    report = boundaries_import(
        path=package, level="region", layer="regions", where=["admin_level=4"]
    )
    assert report.created == 2


def test_precincts_by_number_a_stray_is_reported_and_strict_writes_nothing(tmp_path):
    district = DistrictFactory(geom=metric_box(0, 0, 10_000, 10_000))
    path = write_geojson(
        tmp_path / "p.geojson",
        [
            feature(metric_box(0, 0, 5000, 10_000), num=1, name="Север", pop=6000),
            feature(metric_box(5000, 0, 10_000, 10_000), num="2", name="Юг", pop=4000),
            feature(metric_box(9000, 0, 12_000, 1000), num=3, name="Наружу"),
            feature(metric_box(1000, 1000, 2000, 2000), num="x", name="Без номера"),
        ],
    )
    strict = boundaries_import(
        path=path, level="precinct", number_field="num", population_field="pop", strict=True
    )
    assert strict.aborted and Precinct.objects.count() == 0

    report = boundaries_import(
        path=path, level="precinct", number_field="num", population_field="pop"
    )
    assert (report.created, report.skipped, report.invalid) == (2, 2, 2)
    assert "выходит за границы района" in report.rows[2].reasons[0]
    assert "номер участка" in report.rows[3].reasons[0]
    assert sorted(district.precincts.values_list("number", "population")) == [
        (1, 6000),
        (2, 4000),
    ]
    renamed = write_geojson(
        tmp_path / "p2.geojson", [feature(metric_box(0, 0, 5000, 10_000), num=1, name="Новый")]
    )
    again = boundaries_import(path=renamed, level="precinct", number_field="num")
    assert again.updated == 1 and district.precincts.get(number=1).name == "Новый"


def test_dry_run_writes_nothing(tmp_path):
    report = boundaries_import(path=regions_file(tmp_path), level="region", dry_run=True)
    assert report.created == 3 and report.dry_run
    assert Region.objects.count() == 0


def test_a_failure_midway_writes_nothing(tmp_path, monkeypatch):
    from stations import services

    calls = {"n": 0}
    real = services.region_save

    def failing(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(services, "region_save", failing)
    with pytest.raises(RuntimeError):
        boundaries_import(path=regions_file(tmp_path), level="region")
    assert Region.objects.count() == 0


# --- Files that cannot be imported: a clear error, nothing written ---------------------------


def test_missing_field(tmp_path):
    with pytest.raises(ImportFileError, match="нет поля «kato».*Поля файла: name"):
        boundaries_import(path=regions_file(tmp_path), level="region", kato_field="kato")


def test_unknown_crs(tmp_path):
    archive = to_shapefile_zip(
        regions_file(tmp_path), tmp_path / "noprj.zip", "-t_srs", "EPSG:32644", drop=(".prj",)
    )
    with pytest.raises(ImportFileError, match="Неизвестная система координат"):
        boundaries_import(path=archive, level="region")
    report = boundaries_import(path=archive, level="region", srid=32644, where=["admin_level=4"])
    assert report.created == 2


def test_empty_layer(tmp_path):
    path = write_geojson(tmp_path / "empty.geojson", [])
    with pytest.raises(ImportFileError, match="пуст"):
        boundaries_import(path=path, level="region")


def test_non_spatial_files(tmp_path):
    table = write_csv(tmp_path / "regions.csv", ["name"], [["Абай"]])
    with pytest.raises(ImportFileError, match="таблица без геометрии"):
        boundaries_import(path=table, level="region")
    garbage = tmp_path / "broken.geojson"
    garbage.write_text("это не геоданные", encoding="utf-8")
    with pytest.raises(ImportFileError, match="Не удалось прочитать"):
        boundaries_import(path=garbage, level="region")
    not_zip = tmp_path / "layer.zip"
    not_zip.write_bytes(b"nope")
    with pytest.raises(ImportFileError, match="не является ZIP"):
        boundaries_import(path=not_zip, level="region")
    points = write_geojson(
        tmp_path / "points.geojson",
        [feature({"type": "Point", "coordinates": [80.2, 50.4]}, name="Точка")],
    )
    with pytest.raises(ImportFileError, match="нужны полигоны"):
        boundaries_import(path=points, level="region")
    assert Region.objects.count() == 0


def test_options_that_do_not_fit_the_level(tmp_path):
    path = regions_file(tmp_path)
    with pytest.raises(ImportFileError, match="--population-field"):
        boundaries_import(path=path, level="region", population_field="pop")
    with pytest.raises(ImportFileError, match="--number-field"):
        boundaries_import(path=path, level="precinct")
    with pytest.raises(ImportFileError, match="Сначала загрузите"):
        boundaries_import(path=path, level="district")
    RegionFactory()
    with pytest.raises(ImportFileError, match="КАТО 123456789"):
        boundaries_import(path=path, level="district", parent_kato="123456789")
    with pytest.raises(ImportFileError, match="ПОЛЕ=ЗНАЧЕНИЕ"):
        boundaries_import(path=path, level="region", where=["admin_level"])


def test_command_shows_progress_and_report(tmp_path, capsys):
    call_command(
        "import_boundaries",
        str(regions_file(tmp_path)),
        "--level",
        "region",
        "--where",
        "admin_level=4",
        "--name-kk-field",
        "local_name",
    )
    out = capsys.readouterr().out
    assert "[##############################] 3/3" in out
    assert "создано 2" in out and "пропущено 1" in out
    assert Region.objects.count() == 2

    with pytest.raises(CommandError, match="Nothing was written"):
        call_command("import_boundaries", str(tmp_path / "missing.geojson"), "--level", "region")
    call_command(
        "import_boundaries",
        str(regions_file(tmp_path)),
        "--level",
        "region",
        "--dry-run",
        "-v",
        "0",
    )
    assert Region.objects.count() == 2
    assert json  # keep the import used by the helpers' callers
