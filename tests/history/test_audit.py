"""Audit history: every change to every domain model is recorded with who, when, what and
through which door (admin, API, import, command); the admin shows it and edits nothing; the
API gives it to logged-in users who may read the record, private fields only to those who may
see them."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from exchange.services import facilities_import
from meetings.models import Category, Meeting, ResponsibleBody, RoutingRule, Suggestion
from officers.models import Assignment, Assistant, Inspector
from servicepolice.history import Door, door
from stations.models import District, ModularPost, Precinct, Region, Settlement, Station
from tests.exchange.conftest import metric_box, metric_point, write_csv
from tests.factories import (
    CENTRE_LAT,
    CENTRE_LON,
    DistrictFactory,
    InspectorFactory,
    PrecinctFactory,
    RegionFactory,
    StationFactory,
)
from tests.test_admin import form_data, form_errors, point_geojson, url

pytestmark = pytest.mark.django_db

AUDITED = [
    Region,
    District,
    Precinct,
    Settlement,
    Station,
    ModularPost,
    Inspector,
    Assistant,
    Assignment,
    Meeting,
    Category,
    ResponsibleBody,
    RoutingRule,
    Suggestion,
]


def entries(obj_or_model, pk=None):
    """The history of an object (or of a model's row `pk`), oldest first."""
    model = obj_or_model if pk is not None else type(obj_or_model)
    pk = pk if pk is not None else obj_or_model.pk
    return list(model.history.filter(id=pk).order_by("history_date", "history_id"))


def test_every_domain_model_has_history_and_logs_and_derived_data_do_not():
    from meetings.models import SuggestionEvent
    from reach.models import CoverageSnapshot

    for model in AUDITED:
        assert hasattr(model, "history"), model
        assert "history_door" in {f.name for f in model.history.model._meta.fields}
    assert not hasattr(SuggestionEvent, "history")  # an append-only log already
    assert not hasattr(CoverageSnapshot, "history")  # derived, recomputed at will


def test_history_models_are_not_in_the_admin():
    registered = {model.__name__ for model in admin.site._registry}
    assert not any(name.startswith("Historical") for name in registered)


# -- command door --------------------------------------------------------------------------


def test_a_change_outside_any_request_is_a_command_without_user():
    station = StationFactory(name="Первый")
    station.name = "Второй"
    station.save()
    created, changed = entries(station)
    assert (created.history_type, changed.history_type) == ("+", "~")
    assert {created.history_door, changed.history_door} == {Door.COMMAND}
    assert created.history_user is None
    delta = changed.diff_against(created)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("name", "Первый", "Второй")]


def test_door_context_nests_and_restores():
    with door(Door.IMPORT):
        region = RegionFactory()
        with door(Door.API):
            region.name = "Внутри"
            region.save()
        region.name = "Снаружи"
        region.save()
    pk = region.pk
    region.delete()
    doors = [e.history_door for e in entries(Region, pk)]
    assert doors == [Door.IMPORT, Door.API, Door.IMPORT, Door.COMMAND]


# -- admin door ----------------------------------------------------------------------------


def test_admin_create_change_delete_are_recorded_with_user_and_door(
    admin_client_logged, superuser, precinct
):
    district = precinct.district
    page = admin_client_logged.get(url(Station, "add"))
    data = form_data(
        page,
        district=district.pk,
        precinct=precinct.pk,
        number="№19",
        address="г. Семей, ул. Абая, 19",
        geom=point_geojson(CENTRE_LON + 0.01, CENTRE_LAT + 0.005),
        status=Station.Status.OPERATING,
        opened_on="18.11.2021",
    )
    response = admin_client_logged.post(url(Station, "add"), data)
    assert response.status_code == 302, form_errors(response)
    station = Station.objects.get()

    page = admin_client_logged.get(url(Station, "change", station.pk))
    response = admin_client_logged.post(
        url(Station, "change", station.pk),
        form_data(
            page,
            address="г. Семей, ул. Абая, 21",
            geom=point_geojson(CENTRE_LON + 0.011, CENTRE_LAT + 0.005),
        ),
    )
    assert response.status_code == 302, form_errors(response)

    history_page = admin_client_logged.get(url(Station, "history", station.pk))
    html = history_page.content.decode()
    assert history_page.status_code == 200
    assert "ул. Абая, 19" in html and "ул. Абая, 21" in html  # the diff is visible
    assert "геометрия изменена" in html and "POINT" not in html  # geometry flagged, not dumped
    assert "админка" in html and superuser.username in html
    assert "Revert" not in html and "Восстановить" not in html

    response = admin_client_logged.post(url(Station, "delete", station.pk), {"post": "yes"})
    assert response.status_code == 302
    created, changed, deleted = entries(Station, station.pk)
    assert [e.history_type for e in (created, changed, deleted)] == ["+", "~", "-"]
    assert {e.history_door for e in (created, changed, deleted)} == {Door.ADMIN}
    assert {e.history_user for e in (created, changed, deleted)} == {superuser}


def test_admin_history_cannot_be_edited_or_reverted(admin_client_logged, superuser):
    station = StationFactory(name="Исходное")
    station.name = "Новое"
    station.save()
    first = entries(station)[0]
    version_url = url(Station, "simple_history", station.pk, first.history_id)

    page = admin_client_logged.get(version_url)
    assert page.status_code == 302 and page["Location"] == url(Station, "history", station.pk)
    posted = admin_client_logged.post(version_url, {"name": "Исходное", "address": "x"})
    assert posted.status_code == 403
    station.refresh_from_db()
    assert station.name == "Новое" and len(entries(station)) == 2  # nothing restored or added


def test_admin_history_needs_view_permission_and_keeps_deleted_records_to_superusers(
    make_user, admin_client_logged
):
    client = Client()  # admin_client_logged is the `client` fixture, logged in as root
    station = StationFactory()
    nobody = make_user("officers.view_inspector")
    nobody.is_staff = True
    nobody.save()
    client.force_login(nobody)
    assert client.get(url(Station, "history", station.pk)).status_code == 403

    viewer = make_user("stations.view_station", username="viewer")
    viewer.is_staff = True
    viewer.save()
    client.force_login(viewer)
    assert client.get(url(Station, "history", station.pk)).status_code == 200

    pk = station.pk
    station.delete()
    assert client.get(url(Station, "history", pk)).status_code == 403
    assert admin_client_logged.get(url(Station, "history", pk)).status_code == 200


# -- API door ------------------------------------------------------------------------------


@pytest.fixture
def token_client_of(db):
    from rest_framework.authtoken.models import Token

    def make(user):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
        return client

    return make


def test_api_create_change_delete_are_recorded_with_user_and_door(
    token_client_of, staff_user, district
):
    client = token_client_of(staff_user)
    body = {
        "district": district.pk,
        "name": "Пост у рынка",
        "address": "ул. Абая, 100",
        "geom": {"type": "Point", "coordinates": [CENTRE_LON, CENTRE_LAT]},
        "status": "operating",
        "round_the_clock": True,
        "placement": "market",
    }
    created = client.post("/api/v1/posts/", body, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    changed = client.patch(f"/api/v1/posts/{pk}/", {"name": "Пост у вокзала"}, format="json")
    assert changed.status_code == 200, changed.json()

    history = client.get(f"/api/v1/posts/{pk}/history/")
    assert history.status_code == 200
    data = history.json()
    assert data["count"] == 2
    newest, oldest = data["results"]
    assert (newest["action"], oldest["action"]) == ("changed", "created")
    assert newest["door"] == oldest["door"] == "api"
    assert newest["user"] == staff_user.username
    assert newest["changes"] == [
        {
            "field": "name",
            "label": "название",
            "old": "Пост у рынка",
            "new": "Пост у вокзала",
            "geometry": False,
        }
    ]
    geometry = [c for c in oldest["changes"] if c["field"] == "geom"]
    assert geometry == [
        {"field": "geom", "label": "местоположение", "old": None, "new": None, "geometry": True}
    ]

    assert client.delete(f"/api/v1/posts/{pk}/").status_code == 204
    rows = entries(ModularPost, pk)
    assert [e.history_type for e in rows] == ["+", "~", "-"]
    assert {e.history_door for e in rows} == {Door.API}
    assert {e.history_user for e in rows} == {staff_user}


def test_api_history_needs_a_login_and_hides_private_fields_from_users_without_rights(
    api_client, make_user, staff_user, inspector
):
    before = inspector.personal_phone
    inspector.personal_phone = "+7 701 111 22 33"
    inspector.service_phone = "+7 7222 11 22 33"
    inspector.save()
    path = f"/api/v1/inspectors/{inspector.pk}/history/"

    anonymous = api_client.get(path)
    assert anonymous.status_code == 401
    assert "+7 701" not in anonymous.content.decode()

    reader = APIClient()
    reader.force_authenticate(make_user(username="reader"))
    answer = reader.get(path)
    assert answer.status_code == 200
    text = answer.content.decode()
    assert "+7 701" not in text and inspector.personnel_number not in text
    fields = {c["field"] for e in answer.json()["results"] for c in e["changes"]}
    assert "service_phone" in fields
    assert not fields & {"personal_phone", "personnel_number", "appointed_on"}

    staff = APIClient()
    staff.force_authenticate(staff_user)
    full = staff.get(path).json()["results"]
    phone = [c for c in full[0]["changes"] if c["field"] == "personal_phone"]
    assert phone == [
        {
            "field": "personal_phone",
            "label": phone[0]["label"],
            "old": before,
            "new": "+7 701 111 22 33",
            "geometry": False,
        }
    ]
    assert any(c["field"] == "personnel_number" for c in full[-1]["changes"])


def test_api_history_of_a_record_the_user_may_not_read_is_a_404(make_user, staff_user):
    dismissed = InspectorFactory(status=Inspector.Status.DISMISSED)
    reader = APIClient()
    reader.force_authenticate(make_user(username="reader"))
    assert reader.get(f"/api/v1/inspectors/{dismissed.pk}/history/").status_code == 404
    staff = APIClient()
    staff.force_authenticate(staff_user)
    assert staff.get(f"/api/v1/inspectors/{dismissed.pk}/history/").status_code == 200


def test_api_history_pages_diff_across_page_boundaries_with_constant_queries(
    staff_client, django_assert_max_num_queries
):
    region = RegionFactory(name="0")
    for n in range(1, 12):
        region.name = str(n)
        region.save()
    path = f"/api/v1/regions/{region.pk}/history/"
    with django_assert_max_num_queries(8):
        page = staff_client.get(path, {"limit": 3, "offset": 3}).json()
    assert page["count"] == 12
    assert [e["changes"][0]["old"] for e in page["results"]] == ["7", "6", "5"]
    assert [e["changes"][0]["new"] for e in page["results"]] == ["8", "7", "6"]
    with django_assert_max_num_queries(8):
        last = staff_client.get(path, {"limit": 50}).json()["results"]
    assert len(last) == 12 and last[-1]["action"] == "created"


def test_suggestion_audit_history_sits_beside_its_workflow_history(staff_client):
    from tests.test_admin import recorded_suggestion

    suggestion = recorded_suggestion(text="Фонарь")
    suggestion.text = "Фонари"
    suggestion.save()
    audit = staff_client.get(f"/api/v1/suggestions/{suggestion.pk}/audit/").json()
    assert audit["results"][0]["changes"][0]["new"] == "Фонари"
    workflow = staff_client.get(f"/api/v1/suggestions/{suggestion.pk}/history/")
    assert workflow.status_code == 200 and "kind" in workflow.json()["results"][0]


def test_history_endpoints_are_in_the_schema(staff_client):
    schema = staff_client.get("/api/v1/schema/", {"format": "json"}).json()
    for resource in ("stations", "posts", "inspectors", "regions", "routing-rules"):
        assert f"/api/v1/{resource}/{{id}}/history/" in schema["paths"]
    assert "/api/v1/suggestions/{id}/audit/" in schema["paths"]


# -- import door ---------------------------------------------------------------------------


@pytest.fixture
def import_district():
    region = RegionFactory(geom=metric_box(-30_000, -30_000, 30_000, 30_000))
    return DistrictFactory(region=region, kato="631010000", geom=metric_box(0, 0, 10_000, 10_000))


def stations_csv(path, address: str):
    point = metric_point(1000, 1000)
    return write_csv(
        path,
        ["Номер", "Адрес", "Статус", "Широта", "Долгота", "Код КАТО района"],
        [["№19", address, "planned", point.y, point.x, "631010000"]],
    )


def test_import_service_and_command_record_the_import_door(tmp_path, import_district):
    PrecinctFactory(district=import_district, number=4, geom=metric_box(0, 0, 2000, 2000))
    report = facilities_import(path=stations_csv(tmp_path / "a.csv", "ул. Абая, 1"), kind="station")
    assert report.created == 1, report.lines()
    call_command(
        "import_facilities",
        str(stations_csv(tmp_path / "b.csv", "ул. Абая, 2")),
        "--kind",
        "station",
    )
    station = Station.objects.get()
    created, changed = entries(station)
    assert (created.history_door, changed.history_door) == (Door.IMPORT, Door.IMPORT)
    assert changed.diff_against(created).changes[0].new == "ул. Абая, 2"


def test_admin_import_records_the_import_door_and_the_user(admin_client_logged, superuser):
    from tests.exchange.test_admin_exchange import changelist, regions_geojson, upload

    preview = upload(admin_client_logged, Region, regions_geojson(), "regions.geojson")
    token = preview.context["token"]
    admin_client_logged.post(f"{changelist(Region)}import/", {"token": token, "confirm": 1})
    (record,) = Region.history.all()
    assert (record.history_door, record.history_user) == (Door.IMPORT, superuser)


# -- services that used to write in bulk -----------------------------------------------------


def test_closing_an_assignment_is_recorded(precinct):
    from officers.services import inspector_save

    inspector = InspectorFactory(precinct=precinct)
    first = inspector.assignments.get()
    inspector.precinct = PrecinctFactory(district=precinct.district)
    inspector_save(inspector=inspector)
    closed = entries(first)
    assert [e.history_type for e in closed] == ["+", "~"]
    assert closed[1].ended_on is not None and closed[0].ended_on is None


def test_api_history_is_read_only(staff_client):
    region = RegionFactory(name="Исходное")
    path = f"/api/v1/regions/{region.pk}/history/"
    for method in ("post", "put", "patch", "delete"):
        response = getattr(staff_client, method)(path, {"name": "Другое"}, format="json")
        assert response.status_code == 405, method
    assert Region.objects.get().name == "Исходное"
    assert len(entries(region)) == 1
