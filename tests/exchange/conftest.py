"""Fixtures for imports, exports and topology: files built in the test (GeoJSON by hand,
Shapefile and GeoPackage with GDAL's ogr2ogr, spreadsheets with openpyxl), and geometry laid out
in metres in the UTM zone of the default district, so areas are known exactly."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Point, Polygon
from openpyxl import Workbook, load_workbook

from servicepolice import geo
from tests.api.conftest import (  # noqa: F401 - the API tests' clients and users, reused
    _unthrottled,
    api_client,
    make_user,
    staff_client,
    staff_user,
)
from tests.factories import CENTRE_LAT, CENTRE_LON

UTM = geo.utm_srid(CENTRE_LON, CENTRE_LAT)
ORIGIN = Point(CENTRE_LON, CENTRE_LAT, srid=geo.WGS84).transform(UTM, clone=True)
SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "kazakhstan"


def metric_box(x0: float, y0: float, x1: float, y1: float) -> MultiPolygon:
    """A rectangle given in metres east/north of Semey's centre, as a 4326 MultiPolygon."""
    ox, oy = ORIGIN.x, ORIGIN.y
    ring = [(ox + x0, oy + y0), (ox + x1, oy + y0), (ox + x1, oy + y1), (ox + x0, oy + y1)]
    polygon = Polygon([*ring, ring[0]], srid=UTM)
    return geo.as_multipolygon(geo.as_wgs84(polygon))


def metric_point(x: float, y: float) -> Point:
    point = Point(ORIGIN.x + x, ORIGIN.y + y, srid=UTM)
    return geo.as_wgs84(point)


def feature(geom: GEOSGeometry | dict | None, **properties) -> dict:
    if isinstance(geom, GEOSGeometry):
        geom = json.loads(geom.json)
    return {"type": "Feature", "geometry": geom, "properties": properties}


def write_geojson(path: Path, features: list[dict], crs: str | None = None) -> Path:
    data: dict = {"type": "FeatureCollection", "features": features}
    if crs:
        data["crs"] = {"type": "name", "properties": {"name": crs}}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def ogr2ogr(*args: str) -> None:
    if shutil.which("ogr2ogr") is None:
        pytest.skip("ogr2ogr (gdal-bin) is not installed")
    subprocess.run(["ogr2ogr", *args], check=True, capture_output=True)


def to_shapefile_zip(source: Path, target: Path, *extra: str, drop: tuple = ()) -> Path:
    """A zipped Shapefile made from a GeoJSON file by ogr2ogr (`extra`: e.g. -t_srs);
    `drop` leaves those sidecar suffixes (".prj") out of the zip."""
    folder = target.parent / (target.stem + "_shp")
    folder.mkdir()
    ogr2ogr("-f", "ESRI Shapefile", "-lco", "ENCODING=UTF-8", *extra, str(folder), str(source))
    with zipfile.ZipFile(target, "w") as archive:
        for part in sorted(folder.iterdir()):
            if part.suffix not in drop:
                archive.write(part, part.name)
    return target


def to_geopackage(source: Path, target: Path, *extra: str) -> Path:
    ogr2ogr("-f", "GPKG", *extra, str(target), str(source))
    return target


def write_csv(path: Path, header: list[str], rows: list[list], delimiter: str = ",") -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8-sig")
    return path


def write_xlsx(path: Path, header: list[str], rows: list[list]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def read_xlsx(content: bytes) -> list[list]:
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def read_csv(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    settings.IMPORT_UPLOAD_DIR = tmp_path / "uploads"


@pytest.fixture
def shared_data() -> Path:
    """../shared/data/kazakhstan, or a skip that says why."""
    if not SHARED.is_dir():
        pytest.skip(f"the shared data files are not here: {SHARED} does not exist")
    return SHARED
