"""API lists as files: ?format=csv|xlsx on every list, shp|gpkg on geo lists, the filters
applied, private fields only for users who may see them, a fixed number of queries."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.contrib.gis.gdal import DataSource
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import API_MODELS
from tests.api.utils import url
from tests.exchange.conftest import body, read_csv, read_xlsx
from tests.factories import (
    AssistantFactory,
    DistrictFactory,
    InspectorFactory,
    ModularPostFactory,
    PrecinctFactory,
    SettlementFactory,
    StationFactory,
)

pytestmark = pytest.mark.django_db

GEO_LISTS = ["regions", "districts", "precincts", "settlements", "stations", "posts"]
LISTS = [*GEO_LISTS, "inspectors", "assistants", "meetings", "suggestions"]


@pytest.fixture
def registry():
    assistant = AssistantFactory()
    precinct = assistant.inspector.precinct
    StationFactory(district=precinct.district, precinct=precinct, number="№19")
    StationFactory(district=precinct.district, status="planned", number="№20")
    ModularPostFactory(district=precinct.district)
    SettlementFactory(district=precinct.district)
    return assistant


def gis_layer(tmp_path, content: bytes, fmt: str):
    if fmt == "shp":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            archive.extractall(tmp_path)
        path = next(tmp_path.glob("*.shp"))
    else:
        path = tmp_path / "layer.gpkg"
        path.write_bytes(content)
    return DataSource(str(path))[0]


@pytest.mark.parametrize("resource", LISTS)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_list_downloads_as_a_spreadsheet(api_client, registry, resource, fmt):
    response = api_client.get(url(resource), {"format": fmt})
    assert response.status_code == 200, body(response)[:300]
    assert response["Content-Disposition"].startswith("attachment; filename=")
    content = body(response)
    rows = read_csv(content) if fmt == "csv" else read_xlsx(content)[1:]
    json_count = api_client.get(url(resource)).json()["count"]
    assert len(rows) == json_count


@pytest.mark.parametrize("resource", GEO_LISTS)
@pytest.mark.parametrize("fmt", ["shp", "gpkg"])
def test_every_geo_list_downloads_as_a_gis_layer(api_client, registry, resource, fmt, tmp_path):
    response = api_client.get(url(resource), {"format": fmt})
    assert response.status_code == 200
    layer = gis_layer(tmp_path, body(response), fmt)
    assert len(layer) == api_client.get(url(resource)).json()["count"]
    assert layer.srs.srid == 4326
    assert "id" in layer.fields


def test_non_geo_lists_do_not_offer_gis_formats(api_client, registry):
    assert api_client.get(url("inspectors"), {"format": "shp"}).status_code == 404
    assert api_client.get(url("stations", 1), {"format": "csv"}).status_code == 404


def test_filters_apply_and_points_are_lon_lat(api_client, registry):
    response = api_client.get(url("stations"), {"format": "csv", "status": "operating"})
    rows = read_csv(body(response))
    assert [row["number"] for row in rows] == ["№19"]
    station = rows[0]
    assert float(station["lon"]) == pytest.approx(80.227) and float(station["lat"]) == 50.411
    precinct = registry.inspector.precinct
    assert station["district_kato"] == precinct.district.kato
    assert station["precinct_number"] == str(precinct.number)
    assert station["round_the_clock"] == "false"


def test_xlsx_has_russian_headers_and_typed_cells(api_client, registry):
    rows = read_xlsx(body(api_client.get(url("stations"), {"format": "xlsx"})))
    header = rows[0]
    assert {"номер", "адрес", "статус", "долгота", "широта", "код КАТО района"} <= set(header)
    assert "район (ID)" in header
    opened = rows[1][header.index("дата открытия")]
    assert opened.isoformat().startswith("2021-11-18")


def test_shapefile_field_names_are_stable_and_short(api_client, registry, tmp_path):
    layer = gis_layer(tmp_path, body(api_client.get(url("stations"), {"format": "shp"})), "shp")
    assert layer.fields == [
        "id", "district", "precinct", "number", "name", "address", "status", "status_lbl",
        "round_clk", "opened_on", "closed_on", "housing", "balance_on", "reception", "phone",
        "created_at", "updated_at", "dist_kato", "prec_num",
    ]  # fmt: skip


def test_private_fields_only_for_users_who_may_see_them(api_client, staff_client, registry):
    anonymous = read_csv(body(api_client.get(url("inspectors"), {"format": "csv"})))
    assert "personnel_number" not in anonymous[0]
    assert "personal_phone" not in anonymous[0] and "appointed_on" not in anonymous[0]
    staff = read_csv(body(staff_client.get(url("inspectors"), {"format": "csv"})))
    assert staff[0]["personnel_number"] == registry.inspector.personnel_number

    anon_assistants = read_csv(body(api_client.get(url("assistants"), {"format": "csv"})))
    assert "phone" not in anon_assistants[0]
    assert "inspector_personnel_number" not in anon_assistants[0]
    rows = read_xlsx(body(staff_client.get(url("assistants"), {"format": "xlsx"})))
    assert "табельный номер инспектора" in rows[0] and "телефон" in rows[0]


def test_dismissed_inspectors_stay_hidden_from_the_public(api_client, staff_client, registry):
    InspectorFactory(status="dismissed", personnel_number="TN999999")
    public = read_csv(body(api_client.get(url("inspectors"), {"format": "csv"})))
    assert len(public) == 1
    assert len(read_csv(body(staff_client.get(url("inspectors"), {"format": "csv"})))) == 2


def test_limit_and_offset_export_one_page(api_client, registry):
    StationFactory.create_batch(3, district=registry.inspector.precinct.district)
    rows = read_csv(body(api_client.get(url("stations"), {"format": "csv", "limit": 2})))
    assert len(rows) == 2
    response = api_client.get(url("stations"), {"format": "csv", "limit": "0"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "limit" in response.json()["extra"]["fields"]


def test_accept_header_picks_the_format(api_client, registry):
    response = api_client.get(url("posts"), HTTP_ACCEPT="text/csv")
    assert response["Content-Type"].startswith("text/csv")


def _make(resource, n):
    district = DistrictFactory()
    if resource == "stations":
        StationFactory.create_batch(n, district=district)
    elif resource == "settlements":
        SettlementFactory.create_batch(n, district=district)
    elif resource == "precincts":
        for number in range(1, n + 1):
            PrecinctFactory(district=district, number=number)
    else:
        precinct = PrecinctFactory(district=district)
        for inspector in InspectorFactory.create_batch(n, precinct=precinct):
            AssistantFactory(inspector=inspector)


@pytest.mark.parametrize(
    ("resource", "fmt"),
    [(r, f) for r in ("stations", "settlements", "precincts") for f in ("csv", "xlsx", "gpkg")]
    + [(r, f) for r in ("inspectors", "assistants") for f in ("csv", "xlsx")],
)
def test_exports_run_a_fixed_number_of_queries(staff_client, resource, fmt):
    _make(resource, 2)
    with CaptureQueriesContext(connection) as few:
        body(staff_client.get(url(resource), {"format": fmt}))
    _make(resource, 30)
    with CaptureQueriesContext(connection) as many:
        response = staff_client.get(url(resource), {"format": fmt})
        content = body(response)
    assert response.status_code == 200 and content
    # The user's permissions and scope are read once per user object and cached: not the
    # export's cost.
    few_rows, many_rows = (
        [
            q["sql"]
            for q in ctx.captured_queries
            if "auth_permission" not in q["sql"] and "access_membership" not in q["sql"]
        ]
        for ctx in (few, many)
    )
    assert len(many_rows) == len(few_rows) <= 3, many_rows


def test_schema_documents_the_formats(api_client):
    schema = api_client.get("/api/v1/schema/", {"format": "json"}).json()
    stations = schema["paths"]["/api/v1/stations/"]["get"]
    fmt = next(p for p in stations["parameters"] if p["name"] == "format")
    assert set(fmt["schema"]["enum"]) == {"json", "geojson", "csv", "xlsx", "shp", "gpkg"}
    assert "text/csv" in stations["responses"]["200"]["content"]
    assert stations["responses"]["200"]["content"]["application/zip"]["schema"] == {
        "type": "string",
        "format": "binary",
    }
    inspectors = schema["paths"]["/api/v1/inspectors/"]["get"]
    fmt = next(p for p in inspectors["parameters"] if p["name"] == "format")
    assert set(fmt["schema"]["enum"]) == {"json", "csv", "xlsx"}
    assert API_MODELS  # the same resources the API tests cover
