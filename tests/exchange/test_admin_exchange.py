"""The admin: export buttons on every changelist (current filters applied), the import pages
(upload, preview with per-row errors, confirm), and who may use them."""

from __future__ import annotations

import io
import json

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext

from exchange.admin import ExchangeAdminMixin
from officers.models import Inspector
from stations.models import District, Region, Station
from tests.api.conftest import grant
from tests.exchange.conftest import body, feature, metric_box, read_csv, read_xlsx
from tests.factories import (
    DistrictFactory,
    InspectorFactory,
    RegionFactory,
    StationFactory,
)

pytestmark = pytest.mark.django_db


def changelist(model) -> str:
    return f"/admin/{model._meta.app_label}/{model._meta.model_name}/"


def test_every_registry_changelist_has_exports():
    wired = [
        model
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in {"stations", "officers", "meetings"}
    ]
    assert wired
    assert all(isinstance(admin.site._registry[m], ExchangeAdminMixin) for m in wired)


def test_changelist_links_carry_the_current_filters(admin_client_logged):
    StationFactory()
    html = admin_client_logged.get(changelist(Station), {"status__exact": "operating"}).content
    html = html.decode()
    for fmt in ("csv", "xlsx", "geojson", "shp", "gpkg"):
        assert f"/admin/stations/station/export/{fmt}/?status__exact=operating" in html
    assert "/admin/stations/station/import/" in html
    assert "/export/shp/" not in admin_client_logged.get(changelist(Inspector)).content.decode()


def test_export_applies_filters_and_search(admin_client_logged):
    district = DistrictFactory()
    StationFactory(district=district, number="№1", status="operating", address="ул. Абая, 1")
    StationFactory(district=district, number="№2", status="planned", address="ул. Абая, 2")
    StationFactory(district=district, number="№3", status="operating", address="пр. Шакарима")

    rows = read_csv(
        body(
            admin_client_logged.get(
                "/admin/stations/station/export/csv/", {"status__exact": "operating", "q": "Абая"}
            )
        )
    )
    assert [r["number"] for r in rows] == ["№1"]
    assert rows[0]["district_kato"] == district.kato

    sheet = read_xlsx(body(admin_client_logged.get("/admin/stations/station/export/xlsx/")))
    assert "номер" in sheet[0] and len(sheet) == 4

    collection = json.loads(
        body(admin_client_logged.get("/admin/stations/station/export/geojson/", {"o": "-1"}))
    )
    assert collection["type"] == "FeatureCollection"
    assert [f["properties"]["number"] for f in collection["features"]] == ["№3", "№2", "№1"]
    assert collection["features"][0]["geometry"]["type"] == "Point"


def test_export_of_a_model_without_api_list(admin_client_logged):
    InspectorFactory()
    rows = read_csv(body(admin_client_logged.get("/admin/officers/assignment/export/csv/")))
    assert set(rows[0]) >= {"inspector", "precinct", "started_on", "inspector_personnel_number"}


def test_admin_export_reads_no_related_geometry_and_a_fixed_number_of_queries(
    admin_client_logged,
):
    district = DistrictFactory()
    StationFactory.create_batch(2, district=district)
    with CaptureQueriesContext(connection) as few:
        body(admin_client_logged.get("/admin/stations/station/export/gpkg/"))
    StationFactory.create_batch(40, district=district)
    with CaptureQueriesContext(connection) as many:
        body(admin_client_logged.get("/admin/stations/station/export/gpkg/"))
    assert len(many) == len(few)
    station_queries = [q["sql"] for q in many.captured_queries if "stations_station" in q["sql"]]
    assert station_queries and all('"stations_district"."geom"' not in q for q in station_queries)


def test_export_needs_view_permission_and_a_known_format(make_user, admin_client_logged):
    from django.test import Client

    user = make_user()
    user.is_staff = True
    user.save()
    client = Client()
    client.force_login(user)
    assert client.get("/admin/stations/station/export/csv/").status_code == 403
    assert admin_client_logged.get("/admin/officers/inspector/export/shp/").status_code == 404
    bad = admin_client_logged.get("/admin/stations/station/export/csv/", {"nope__in": "x"})
    assert bad.status_code == 400


def upload(client, model, content: bytes, name: str, **fields):
    handle = io.BytesIO(content)
    handle.name = name
    return client.post(f"{changelist(model)}import/", {"file": handle, **fields})


def regions_geojson() -> bytes:
    data = {
        "type": "FeatureCollection",
        "features": [
            feature(metric_box(0, 0, 10_000, 10_000), name="Хорошая"),
            feature(metric_box(200_000, 0, 210_000, 10_000), name=None),
            feature({"type": "Point", "coordinates": [80.2, 50.4]}, name="Точка"),
        ],
    }
    return json.dumps(data).encode()


def test_import_preview_shows_row_errors_and_writes_nothing_until_confirmed(
    admin_client_logged, settings
):
    page = admin_client_logged.get(f"{changelist(Region)}import/")
    assert page.status_code == 200 and 'name="file"' in page.content.decode()

    preview = upload(admin_client_logged, Region, regions_geojson(), "regions.geojson")
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "Предпросмотр" in html and "создано 1" in html
    assert "нет названия" in html and "нужен полигон" in html
    assert Region.objects.count() == 0

    token = preview.context["token"]
    done = admin_client_logged.post(f"{changelist(Region)}import/", {"token": token, "confirm": 1})
    assert done.status_code == 302 and done["Location"] == changelist(Region)
    assert list(Region.objects.values_list("name", flat=True)) == ["Хорошая"]
    assert not any(settings.IMPORT_UPLOAD_DIR.iterdir())  # the upload is gone
    again = admin_client_logged.post(f"{changelist(Region)}import/", {"token": token, "confirm": 1})
    assert again.status_code == 302 and Region.objects.count() == 1  # a token works once


def test_import_can_be_cancelled_and_bad_files_say_why(admin_client_logged):
    preview = upload(admin_client_logged, Region, regions_geojson(), "regions.geojson")
    admin_client_logged.post(
        f"{changelist(Region)}import/", {"token": preview.context["token"], "cancel": 1}
    )
    assert Region.objects.count() == 0

    bad = upload(admin_client_logged, Region, b"name\nx\n", "regions.csv")
    assert "таблица без геометрии" in bad.content.decode()
    shp = upload(admin_client_logged, Region, b"x", "regions.shp")
    assert "ZIP-архивом" in shp.content.decode()
    missing = upload(admin_client_logged, Region, regions_geojson(), "r.geojson", kato_field="kato")
    assert "нет поля «kato»" in missing.content.decode()


def test_district_import_form_offers_the_district_options(admin_client_logged):
    RegionFactory(geom=metric_box(-50_000, -50_000, 50_000, 50_000))
    form = admin_client_logged.get(f"{changelist(District)}import/").context["form"]
    assert {"parent_field", "parent_kato", "kind", "population_field"} <= set(form.fields)
    preview = upload(
        admin_client_logged,
        District,
        regions_geojson(),
        "d.geojson",
        name_field="name",
        kind="rural",
        strict="on",
    )
    assert preview.context["report"].created == 1
    admin_client_logged.post(
        f"{changelist(District)}import/", {"token": preview.context["token"], "confirm": 1}
    )
    assert District.objects.count() == 0  # --strict: rows with errors, nothing written


def test_inspector_import_from_xlsx(admin_client_logged):
    from openpyxl import Workbook

    inspector = InspectorFactory()
    workbook = Workbook()
    workbook.active.append(["табельный номер", "фамилия", "имя", "звание"])
    workbook.active.append([inspector.personnel_number, "Новая", "Фамилия", "майор полиции"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    preview = upload(admin_client_logged, Inspector, buffer.getvalue(), "people.xlsx")
    assert preview.context["report"].updated == 1
    admin_client_logged.post(
        f"{changelist(Inspector)}import/", {"token": preview.context["token"], "confirm": 1}
    )
    inspector.refresh_from_db()
    assert (inspector.last_name, inspector.rank) == ("Новая", "major")


def test_import_needs_add_and_change_permission(client, make_user):
    user = make_user("stations.view_region", "stations.add_region")
    user.is_staff = True
    user.save()
    client.force_login(user)
    assert client.get(f"{changelist(Region)}import/").status_code == 403
    assert "/import/" not in client.get(changelist(Region)).content.decode()
    grant(user, "stations.change_region")
    assert client.get(f"{changelist(Region)}import/").status_code == 200
