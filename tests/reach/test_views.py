"""Coverage pages: public where they should be, 404s, edit links only for editors, no private
fields for the public, no inline scripts, and a query count that does not grow with the rows."""

import datetime
import json
import re

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting
from officers.models import Inspector
from reach.models import CoverageSnapshot
from reach.services import coverage_recompute
from stations.models import FacilityStatus
from tests.factories import (
    AssistantFactory,
    DistrictFactory,
    InspectorFactory,
    MeetingFactory,
    ModularPostFactory,
    PrecinctFactory,
    SettlementFactory,
    StationFactory,
    point_ewkt,
    precinct_cell,
)
from tests.helpers import nationwide

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["reach:overview", "reach:find"]


def build_district(district, *, precincts: int, staffed: int | None = None):
    """`precincts` precincts (the first `staffed` with an inspector and a meeting), a station in
    each, a post, a planned station and a settlement; then the coverage snapshot."""
    staffed = precincts if staffed is None else staffed
    made = []
    for number in range(1, precincts + 1):
        precinct = PrecinctFactory(district=district, number=number)
        lon, lat = precinct_cell(number - 1)
        StationFactory(district=district, precinct=precinct, geom=point_ewkt(lon, lat))
        if number <= staffed:
            inspector = InspectorFactory(precinct=precinct)
            AssistantFactory(inspector=inspector)
            MeetingFactory(inspector=inspector, precinct=precinct)
        made.append(precinct)
    ModularPostFactory(district=district)
    StationFactory(district=district, status=FacilityStatus.PLANNED, opened_on=None)
    SettlementFactory(district=district)
    coverage_recompute(district=district)
    return made


def page_config(html: str, element_id: str) -> dict:
    match = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html)
    assert match, f"no json_script #{element_id}"
    return json.loads(match.group(1))


def user_with(django_user_model, *codenames, staff=True):
    user = django_user_model.objects.create_user(
        username="-".join(codenames) or "plain", password="pw-1234567", is_staff=staff
    )
    for codename in codenames:
        app_label, name = codename.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=name)
        )
    return nationwide(user)


# ---- who sees what -----------------------------------------------------------------------


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_overview_and_find_are_public(client, superuser, name):
    for user in (None, superuser):
        if user:
            client.force_login(user)
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert 'id="leaflet-options"' in response.content.decode()


def test_district_and_precinct_pages_are_public(client, superuser, district):
    precinct = build_district(district, precincts=2)[0]
    for user in (None, superuser):
        if user:
            client.force_login(user)
        assert client.get(reverse("reach:district", args=[district.pk])).status_code == 200
        assert client.get(reverse("reach:precinct", args=[precinct.pk])).status_code == 200


def test_unknown_ids_are_404(client):
    assert client.get(reverse("reach:district", args=[999_999])).status_code == 404
    assert client.get(reverse("reach:precinct", args=[999_999])).status_code == 404


def test_home_is_the_landing_for_the_public_and_the_overview_for_staff(
    client, django_user_model, superuser
):
    public = client.get("/").content.decode()
    assert "districts-table" not in public
    assert reverse("reach:find") in public and reverse("reach:overview") in public

    client.force_login(user_with(django_user_model, staff=False))
    assert "districts-table" not in client.get("/").content.decode()

    client.force_login(superuser)
    staff = client.get("/")
    assert staff.status_code == 200
    assert "districts-table" in staff.content.decode()


def test_navigation_links_every_page(client):
    html = client.get(reverse("reach:find")).content.decode()
    for url in (reverse("reach:overview"), reverse("reach:find"), "/admin/", "/api/v1/docs/"):
        assert f'href="{url}' in html
    assert 'aria-current="page"' in html


# ---- edit links --------------------------------------------------------------------------


def test_district_page_edit_links_only_for_editors(client, district, django_user_model, superuser):
    build_district(district, precincts=2)
    url = reverse("reach:district", args=[district.pk])

    html = client.get(url).content.decode()
    assert "/change/" not in html and "/admin/stations/" not in html
    assert page_config(html, "page-config")["edit"] == {
        "precinct": None,
        "station": None,
        "post": None,
        "settlement": None,
    }

    client.force_login(user_with(django_user_model, "stations.change_station"))
    html = client.get(url).content.decode()
    edit = page_config(html, "page-config")["edit"]
    assert edit["station"] == "/admin/stations/station/{id}/change/"
    assert edit["post"] is None and edit["precinct"] is None
    assert "/admin/stations/station/" in html  # the planned station in the gaps list
    assert "/admin/stations/modularpost/" not in html

    client.force_login(superuser)
    edit = page_config(client.get(url).content.decode(), "page-config")["edit"]
    assert edit == {
        "precinct": "/admin/stations/precinct/{id}/change/",
        "station": "/admin/stations/station/{id}/change/",
        "post": "/admin/stations/modularpost/{id}/change/",
        "settlement": "/admin/stations/settlement/{id}/change/",
    }


def test_precinct_page_edit_links_only_for_editors(client, district, superuser):
    precinct = build_district(district, precincts=1)[0]
    inspector = precinct.inspectors.get()
    url = reverse("reach:precinct", args=[precinct.pk])
    inspector_admin = reverse("admin:officers_inspector_change", args=[inspector.pk])

    assert inspector_admin not in client.get(url).content.decode()
    client.force_login(superuser)
    html = client.get(url).content.decode()
    assert inspector_admin in html
    assert reverse("admin:stations_precinct_change", args=[precinct.pk]) in html


# ---- private fields ----------------------------------------------------------------------


def test_precinct_page_shows_public_contacts_and_hides_private_fields(
    client, district, django_user_model
):
    precinct = build_district(district, precincts=1)[0]
    inspector = precinct.inspectors.get()
    assistant = inspector.assistants.get()
    url = reverse("reach:precinct", args=[precinct.pk])

    def shown(html: str) -> dict:
        return {
            "name": inspector.full_name in html,
            "service_phone": inspector.service_phone in html,
            "reception": inspector.reception_hours in html if inspector.reception_hours else True,
            "personnel_number": inspector.personnel_number in html,
            "personal_phone": inspector.personal_phone in html,
            "assistant_phone": assistant.phone in html,
        }

    public = shown(client.get(url).content.decode())
    assert public == {
        "name": True,
        "service_phone": True,
        "reception": True,
        "personnel_number": False,
        "personal_phone": False,
        "assistant_phone": False,
    }
    # Staff without the permission to view inspectors see no more than the public.
    client.force_login(user_with(django_user_model, "stations.change_station"))
    assert shown(client.get(url).content.decode()) == public

    client.force_login(
        user_with(django_user_model, "officers.view_inspector", "officers.view_assistant")
    )
    private = shown(client.get(url).content.decode())
    assert private["personnel_number"] and private["personal_phone"] and private["assistant_phone"]


def test_district_and_find_pages_carry_no_personal_data(client, district):
    build_district(district, precincts=2)
    inspector = district.precincts.first().inspectors.get()
    for url in (reverse("reach:district", args=[district.pk]), reverse("reach:find")):
        html = client.get(url).content.decode()
        assert inspector.personnel_number not in html
        assert inspector.personal_phone not in html


# ---- what the pages show -----------------------------------------------------------------


def test_district_page_shows_kpis_and_gaps(client, district):
    build_district(district, precincts=3, staffed=2)
    snapshot = district.coverage
    vacant = district.precincts.get(number=3)
    planned = district.stations.get(status=FacilityStatus.PLANNED)

    html = client.get(reverse("reach:district", args=[district.pk])).content.decode()

    assert district.name in html and district.region.name in html
    share = f"{snapshot.covered_population_share * 100:.1f}".replace(".", ",")
    assert share in html
    assert 'data-gap="vacancies"' in html
    assert reverse("reach:precinct", args=[vacant.pk]) in html
    assert 'data-gap="not-built"' in html and planned.address in html
    config = page_config(html, "page-config")
    assert config["radius"] == snapshot.radius_m == 800
    assert config["urls"]["coverage"] == reverse("district-coverage", args=[district.pk])
    assert config["urls"]["precinctPage"] == "/precincts/{id}/"
    labels = page_config(html, "page-labels")
    assert labels["metrics"]["covered"] == "Население в зоне доступности"


def test_district_page_lists_settlements_beyond_the_radius(client, district):
    build_district(district, precincts=1)
    far = SettlementFactory(
        district=district, name="Дальнее", geom=point_ewkt(*precinct_cell(63)), population=700
    )
    coverage_recompute(district=district)
    html = client.get(reverse("reach:district", args=[district.pk])).content.decode()
    assert 'data-gap="settlements"' in html and far.name in html


def test_district_page_computes_a_missing_snapshot(client, district):
    PrecinctFactory(district=district, number=1)
    CoverageSnapshot.objects.filter(district=district).delete()
    response = client.get(reverse("reach:district", args=[district.pk]))
    assert response.status_code == 200
    district.refresh_from_db()
    assert district.coverage.radius_m == 800


def test_precinct_page_shows_team_facilities_coverage_and_meetings(client, district):
    precinct = build_district(district, precincts=2)[0]
    inspector = precinct.inspectors.get()
    station = precinct.stations.get()
    upcoming = Meeting.objects.create(
        precinct=precinct,
        inspector=inspector,
        scheduled_at=timezone.now() + datetime.timedelta(days=5),
        place="Библиотека №3",
    )

    response = client.get(reverse("reach:precinct", args=[precinct.pk]))
    html = response.content.decode()

    assert inspector.full_name in html and inspector.get_rank_display() in html
    assert station.address in html and station.reception_hours in html
    assert 'data-kpi="covered_population_share"' in html
    assert f'data-meeting="{upcoming.pk}"' in html and "Библиотека №3" in html
    assert response.context["next_meeting"] == upcoming
    assert str(district.name) in html


def test_precinct_without_inspector_on_duty_says_so(client, district):
    staffed, vacant = build_district(district, precincts=2, staffed=1)
    assert (
        "data-vacancy"
        not in client.get(reverse("reach:precinct", args=[staffed.pk])).content.decode()
    )
    assert (
        "data-vacancy" in client.get(reverse("reach:precinct", args=[vacant.pk])).content.decode()
    )

    on_leave = InspectorFactory(precinct=vacant, status=Inspector.Status.ON_LEAVE)
    html = client.get(reverse("reach:precinct", args=[vacant.pk])).content.decode()
    assert on_leave.full_name in html and "data-vacancy" in html


def test_user_strings_are_escaped(client, district):
    build_district(district, precincts=1)
    StationFactory(
        district=district,
        status=FacilityStatus.PLANNED,
        opened_on=None,
        address='<img src=x onerror="alert(1)">',
    )
    html = client.get(reverse("reach:district", args=[district.pk])).content.decode()
    assert '<img src=x onerror="alert(1)">' not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html


@pytest.mark.parametrize(
    "name", ["reach:overview", "reach:find", "reach:district", "reach:precinct"]
)
def test_pages_have_no_inline_script_and_serve_leaflet_locally(client, district, name):
    precinct = build_district(district, precincts=1)[0]
    args = {"reach:district": [district.pk], "reach:precinct": [precinct.pk]}.get(name, [])
    html = client.get(reverse(name, args=args)).content.decode()

    for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S):
        assert "src=" in attrs or 'type="application/json"' in attrs, attrs
        assert "src=" not in attrs or body.strip() == ""
    sources = re.findall(r'<script[^>]* src="([^"]+)"', html)
    assert "/static/leaflet/leaflet.js" in sources
    assert all(src.startswith("/static/") for src in sources)
    assert " style=" not in html
    options = page_config(html, "leaflet-options")
    assert options["layers"][0][1] == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    assert options["layers"][0][2]["attribution"]


# ---- queries -----------------------------------------------------------------------------


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# Anonymous: the page's own reads; a superuser adds session and user; an editor without
# superuser status adds their permissions and their groups' permissions, and their scope (roles
# and membership, read once).
VIEWERS = {"anonymous": 0, "superuser": 2, "editor": 5}


def log_in(client, viewer, superuser, django_user_model):
    if viewer == "superuser":
        client.force_login(superuser)
    elif viewer == "editor":
        client.force_login(
            user_with(django_user_model, "stations.change_station", "officers.view_inspector")
        )


@pytest.mark.parametrize("viewer", VIEWERS)
def test_district_page_queries_do_not_grow_with_rows(
    client, district, superuser, django_user_model, django_assert_max_num_queries, viewer
):
    big = DistrictFactory()
    build_district(district, precincts=2)
    build_district(big, precincts=12, staffed=6)
    log_in(client, viewer, superuser, django_user_model)
    small_url = reverse("reach:district", args=[district.pk])
    big_url = reverse("reach:district", args=[big.pk])

    with django_assert_max_num_queries(3 + VIEWERS[viewer]):
        client.get(small_url)
    with django_assert_max_num_queries(3 + VIEWERS[viewer]):
        client.get(big_url)
    assert count_queries(client, small_url) == count_queries(client, big_url)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_precinct_page_queries_do_not_grow_with_rows(
    client, district, superuser, django_user_model, django_assert_max_num_queries, viewer
):
    small = build_district(district, precincts=2)[0]
    big = build_district(DistrictFactory(), precincts=1)[0]
    for _ in range(4):
        inspector = InspectorFactory(precinct=big)
        AssistantFactory(inspector=inspector)
        AssistantFactory(inspector=inspector)
        MeetingFactory(inspector=inspector, precinct=big)
    StationFactory(district=big.district, precinct=big)
    log_in(client, viewer, superuser, django_user_model)
    small_url = reverse("reach:precinct", args=[small.pk])
    big_url = reverse("reach:precinct", args=[big.pk])

    with django_assert_max_num_queries(7 + VIEWERS[viewer]):
        client.get(small_url)
    with django_assert_max_num_queries(7 + VIEWERS[viewer]):
        client.get(big_url)
    assert count_queries(client, small_url) == count_queries(client, big_url)


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_map_pages_need_no_queries_of_their_own(client, superuser, name, district):
    build_district(district, precincts=3)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse(name))
    assert len(queries) == 0  # the scripts fetch everything from the API
    client.force_login(superuser)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse(name))
    assert len(queries) <= 2  # session and user
