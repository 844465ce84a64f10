"""The demo data set (`manage.py load_demo`) and the demo superuser (`manage.py demo_user`).

The data set is loaded twice once for the whole module, inside a transaction rolled back at
the end, and every test reads it; the second load must change nothing.
"""

import datetime
import io
import itertools
from types import SimpleNamespace

import pytest
from django.contrib.gis.geos import Point
from django.core.management import CommandError, call_command
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from demo.plan import TZ, build_plan, quarter_of, quarter_start, shift_quarter
from demo.services import MODELS
from meetings.models import Meeting, ResponsibleBody, RoutingRule, Suggestion, SuggestionEvent
from officers.models import Assignment, Assistant, Inspector
from officers.selectors import inspector_served_precinct
from servicepolice import geo
from stations.models import District, ModularPost, Precinct, Region, Settlement, Station

SEMEY, OSKEMEN, GLUBOKOE, ALATAU, ATYRAU = (
    "102010000",
    "631010000",
    "633200000",
    "751710000",
    "231010000",
)
# Real town centres (lon, lat) the districts are drawn around.
CENTRES = {
    SEMEY: (80.227, 50.411),
    OSKEMEN: (82.628, 49.948),
    GLUBOKOE: (82.31, 50.13),
    ALATAU: (76.83, 43.27),
    ATYRAU: (51.914, 47.107),
}


def _counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in MODELS}


def _history_counts() -> dict[str, tuple[int, set[str]]]:
    """Per audited model: its history rows and the doors they came through."""
    return {
        model._meta.label: (
            model.history.count(),
            set(model.history.values_list("history_door", flat=True).distinct()),
        )
        for model in MODELS
        if hasattr(model, "history")
    }


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Run the command twice; keep both outputs and row counts; roll everything back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        first, second = io.StringIO(), io.StringIO()
        call_command("load_demo", stdout=first)
        counts_first = _counts()
        history_first = _history_counts()
        call_command("load_demo", stdout=second)
        yield SimpleNamespace(
            first=first.getvalue(),
            second=second.getvalue(),
            counts_first=counts_first,
            counts_second=_counts(),
            history_first=history_first,
            history_second=_history_counts(),
        )
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def test_command_prints_counts_per_model(demo):
    assert "Загрузка демонстрационных данных" in demo.first
    assert "участковые пункты полиции: " in demo.first
    assert "встречи с населением: " in demo.first
    assert "Готово за" in demo.first
    assert "Пропущено" not in demo.first


def test_second_run_changes_nothing(demo):
    assert demo.counts_second == demo.counts_first
    result_lines = [line for line in demo.second.splitlines() if "(создано" in line]
    assert len(result_lines) == len(MODELS)
    assert all("(создано 0, обновлено 0)" in line for line in result_lines)


def test_every_object_passes_full_clean(demo):
    for model in MODELS:
        for obj in model.objects.all():
            obj.full_clean()


def test_regions_and_districts_around_real_places(demo):
    assert Region.objects.count() >= 2
    assert District.objects.count() >= 4
    for territory in itertools.chain(Region.objects.all(), District.objects.all()):
        assert territory.name and territory.name_kk
        assert len(territory.kato) == 9 and territory.kato.isdigit()
        assert territory.geom.valid and territory.geom.srid == 4326
        assert geo.in_kazakhstan(territory.geom)
    for kato, (lon, lat) in CENTRES.items():
        district = District.objects.get(kato=kato)
        assert district.geom.contains(Point(lon, lat, srid=4326)), district.name
        assert district.region.geom.contains(district.geom)
        west, _, east, _ = geo.to_metric(district.geom).extent
        assert 5_000 < east - west < 40_000  # metres: a town's size, not a region's
    semey = District.objects.get(kato=SEMEY)
    assert semey.region.name == "Абайская область"
    assert semey.kind == District.Kind.URBAN
    assert semey.population == 350_000
    assert District.objects.get(kato=OSKEMEN).region.name == "Восточно-Казахстанская область"
    assert District.objects.get(kato=ALATAU).region.name == "город Алматы"
    assert District.objects.get(kato=ATYRAU).region.name == "Атырауская область"
    for a, b in itertools.combinations(District.objects.all(), 2):
        assert not a.geom.overlaps(b.geom) and not a.geom.contains(b.geom), (a, b)


def test_precincts_tessellate_their_districts(demo):
    semey = District.objects.get(kato=SEMEY)
    assert semey.precincts.count() >= 12
    for district in District.objects.all():
        precincts = list(district.precincts.all())
        assert precincts
        assert sum(p.population for p in precincts) == district.population
        srid = geo.utm_srid_for(district.geom)
        cells = [geo.to_metric(p.geom, srid) for p in precincts]
        outline = geo.to_metric(district.geom, srid)
        union = cells[0]
        for cell in cells[1:]:
            union = union.union(cell)
        assert union.sym_difference(outline).area < 1.0  # m²: no gaps, nothing outside
        for a, b in itertools.combinations(cells, 2):
            assert a.intersection(b).area < 1.0  # m²: no overlaps
        assert sum(c.area for c in cells) == pytest.approx(outline.area, rel=1e-9)


def test_rural_district_has_settlements_with_population(demo):
    glubokoe = District.objects.get(kato=GLUBOKOE)
    assert glubokoe.kind == District.Kind.RURAL
    settlements = list(glubokoe.settlements.all())
    assert len(settlements) >= 6
    assert all(s.population > 0 for s in settlements)
    assert sum(s.population for s in settlements) <= glubokoe.population
    names = {s.name for s in settlements}
    assert "п. Глубокое" in names
    for settlement in settlements:
        assert glubokoe.precincts.filter(geom__contains=settlement.geom).count() == 1
    assert Settlement.objects.exclude(district=glubokoe).count() == 0


def test_stations_cover_every_status_and_stand_in_their_precinct(demo):
    stations = list(Station.objects.select_related("precinct", "district"))
    assert len(stations) >= 20
    assert {s.status for s in stations} == set(Station.Status.values)
    for station in stations:
        if station.status == Station.Status.CLOSED:
            assert station.opened_on and station.closed_on >= station.opened_on
        else:
            assert station.closed_on is None
        if station.status == Station.Status.OPERATING:
            assert station.opened_on and station.reception_hours and station.phone
        assert station.precinct.district_id == station.district_id
        assert station.precinct.geom.contains(station.geom), station
    assert sum(s.combined_with_housing for s in stations) >= 5
    assert sum(s.on_police_balance_since is not None for s in stations) >= 10


def test_station_19_in_karagaily_semey(demo):
    station = Station.objects.get(district__kato=SEMEY, number="№19")
    assert "Карагайлы" in station.name and "Карагайлы" in station.address
    assert "Карагайлы" in station.precinct.name
    assert station.status == Station.Status.OPERATING
    assert station.opened_on == datetime.date(2021, 11, 18)
    assert station.on_police_balance_since == datetime.date(2021, 11, 18)


def test_modular_posts(demo):
    posts = list(ModularPost.objects.select_related("district"))
    assert len(posts) >= 8
    assert sum(p.round_the_clock for p in posts) >= 4
    assert len({p.placement for p in posts}) >= 4
    for post in posts:
        assert post.district.geom.contains(post.geom), post
        assert (post.closed_on is not None) == (post.status == ModularPost.Status.CLOSED)
    square = ModularPost.objects.get(district__kato=SEMEY, address__contains="площадь Абая")
    assert square.placement == ModularPost.Placement.SQUARE
    assert square.round_the_clock and square.status == ModularPost.Status.OPERATING
    atyrau = ModularPost.objects.filter(district__kato=ATYRAU, status="operating")
    assert atyrau.count() >= 7
    assert all(p.round_the_clock for p in atyrau)


def test_inspectors_have_full_records(demo):
    inspectors = list(Inspector.objects.select_related("precinct", "station"))
    assert len(inspectors) >= 40
    assert len({i.full_name for i in inspectors}) == len(inspectors)
    statuses = {i.status for i in inspectors}
    assert {"active", "on_leave", "dismissed"} <= statuses
    assert len({i.rank for i in inspectors}) >= 4
    assert len({i.position for i in inspectors}) == 2
    for inspector in inspectors:
        assert inspector.last_name and inspector.first_name and inspector.middle_name
        assert inspector.service_phone and inspector.personal_phone and inspector.appointed_on
        assert inspector.reception_hours
        assert inspector.messenger_url.startswith("https://wa.me/7")
        personal = "".join(c for c in inspector.personal_phone if c.isdigit())
        assert personal not in inspector.messenger_url  # the personal number stays private
        if inspector.status == Inspector.Status.DISMISSED:
            assert inspector.precinct is None and inspector.station is None
        else:
            assert inspector.precinct and inspector.station
            assert inspector.station.district_id == inspector.precinct.district_id
    middles = {i.middle_name[-5:] for i in inspectors}
    assert any(m.endswith(("ович", "евич")) for m in middles)
    assert any(m.endswith(("овна", "евна")) for m in middles)
    surnames = {i.last_name for i in inspectors}
    assert surnames & {"Иванов", "Петров", "Кузнецов", "Соколов", "Ким", "Орлов", "Попов"}
    assert surnames & {"Ахметов", "Жумабеков", "Касымов", "Омаров", "Садыков", "Искаков"}
    per_inspector = Inspector.objects.annotate(n=Count("assistants")).values_list("n", flat=True)
    assert set(per_inspector) <= {1, 2}
    assert Assistant.objects.filter(phone="").count() == 0


def test_assignment_history_has_closed_entries(demo):
    assert Assignment.objects.filter(ended_on__isnull=False).count() >= 5
    for inspector in Inspector.objects.prefetch_related("assignments"):
        history = sorted(inspector.assignments.all(), key=lambda a: a.started_on)
        assert history[0].started_on == inspector.appointed_on
        open_ones = [a for a in history if a.ended_on is None]
        if inspector.precinct_id:
            assert [a.precinct_id for a in open_ones] == [inspector.precinct_id]
        else:
            assert open_ones == []
        for earlier, later in itertools.pairwise(history):
            assert earlier.ended_on == later.started_on
    # Within the last year a Semey inspector left, another took over his precinct.
    year_ago = timezone.localdate() - datetime.timedelta(days=366)
    recent = Assignment.objects.filter(ended_on__gte=year_ago, precinct__district__kato=SEMEY)
    assert recent.count() >= 2


def test_meetings_over_the_last_four_quarters(demo):
    today = timezone.localdate(timezone=TZ)
    year, quarter = quarter_of(today)
    window = [shift_quarter(year, quarter, k) for k in (-3, -2, -1, 0)]
    first_day = quarter_start(*window[0])
    last_day = quarter_start(*shift_quarter(year, quarter, 2))
    now = timezone.now()
    meetings = list(Meeting.objects.select_related("precinct"))
    assert {m.kind for m in meetings} == set(Meeting.Kind.values)
    assert {m.status for m in meetings} == set(Meeting.Status.values)
    for meeting in meetings:
        day = timezone.localdate(meeting.scheduled_at, timezone=TZ)
        assert first_day <= day < last_day
        assert inspector_served_precinct(
            inspector_id=meeting.inspector_id, precinct_id=meeting.precinct_id, on=day
        )
        if meeting.status == Meeting.Status.HELD:
            assert meeting.held_at <= now
            assert meeting.attendees and meeting.minutes
        elif meeting.status == Meeting.Status.CANCELLED:
            assert meeting.cancel_reason and meeting.held_at is None
        else:
            assert meeting.held_at is None
    reports = [m for m in meetings if m.kind == Meeting.Kind.QUARTERLY_REPORT]
    held = [m for m in reports if m.status == Meeting.Status.HELD]
    cancelled = [m for m in reports if m.status == Meeting.Status.CANCELLED]
    assert len(held) > 5 * len(cancelled) > 0
    assert any(m.status == "planned" and m.scheduled_at > now for m in reports)
    # Every precinct reported in each of the three closed quarters of the window.
    for precinct in Precinct.objects.all():
        quarters = {
            quarter_of(timezone.localdate(m.scheduled_at, timezone=TZ))
            for m in reports
            if m.precinct_id == precinct.pk
        }
        assert set(window[:3]) <= quarters, precinct
    minutes = " ".join(m.minutes for m in held)
    assert "отчитал" in minutes and "квартал" in minutes


def test_suggestions_in_every_status(demo):
    suggestions = list(Suggestion.objects.select_related("meeting", "category"))
    assert {s.status for s in suggestions} == set(Suggestion.Status.values)
    today = timezone.localdate(timezone=TZ)
    for suggestion in suggestions:
        assert suggestion.category and suggestion.text
        assert suggestion.meeting.status == Meeting.Status.HELD
        if suggestion.status in ("resolved", "rejected"):
            held_on = timezone.localdate(suggestion.meeting.held_at, timezone=TZ)
            assert suggestion.resolution
            assert held_on < suggestion.resolved_on < today
        else:
            assert suggestion.resolved_on is None and not suggestion.resolution
    categories = {s.category.code for s in suggestions}
    assert {"lighting", "video", "patrolling", "road_safety", "utilities", "youth"} <= categories
    assert any("лежачий полицейский" in s.text for s in suggestions)


def test_suggestions_are_routed_with_deadlines_and_history(demo):
    suggestions = list(
        Suggestion.objects.select_related("meeting__precinct__district", "body").prefetch_related(
            "events"
        )
    )
    today = timezone.localdate(timezone=TZ)
    for suggestion in suggestions:
        events = list(suggestion.events.all())
        assert events[0].kind == SuggestionEvent.Kind.CREATED
        assert [e.at for e in events] == sorted(e.at for e in events)
        assert events[-1].to_status == suggestion.status
        assert suggestion.deadline  # every demo category has a route
        if suggestion.status == Suggestion.Status.NOT_COMPETENT:
            assert suggestion.body is None and events[-1].body is not None
        elif suggestion.status != Suggestion.Status.MERGED:
            assert suggestion.body is not None
            district = suggestion.meeting.precinct.district
            assert suggestion.body.district_id in (None, district.pk)
    # Semey routes lighting to its own utility, patrolling to its own police department.
    semey = [s for s in suggestions if s.meeting.precinct.district.kato == SEMEY]
    assert any(s.body and s.body.name == "ГКП «Семей Горсвет»" for s in semey)
    assert ResponsibleBody.objects.filter(district__kato=SEMEY, kind="police").exists()
    assert RoutingRule.objects.filter(district__isnull=True).count() >= 7
    overdue = Suggestion.objects.overdue(today)
    assert overdue.count() >= 5
    assert Suggestion.objects.exclude(external_ref="").count() >= 20
    merged = Suggestion.objects.filter(status=Suggestion.Status.MERGED).select_related(
        "merged_into__meeting"
    )
    assert merged.exists()
    for suggestion in merged:
        target = suggestion.merged_into
        assert target.pk != suggestion.pk and target.text and suggestion.text  # both kept
        assert target.meeting.precinct_id == suggestion.meeting.precinct_id
        assert target.category_id == suggestion.category_id


def test_plan_is_deterministic_and_stable_within_a_quarter():
    day = datetime.date(2026, 11, 27)
    a, b = build_plan(today=day), build_plan(today=day)
    assert [i.last_name for i in a.inspectors] == [i.last_name for i in b.inspectors]
    assert [m.scheduled_at for m in a.meetings] == [m.scheduled_at for m in b.meetings]
    later = build_plan(today=day + datetime.timedelta(days=3))

    def keys(plan):
        return {(m.district, m.precinct, m.kind, m.scheduled_at) for m in plan.meetings}

    assert keys(a) <= keys(later)  # a later day in the quarter adds meetings, never moves them


def test_demo_user_is_idempotent_and_prints_the_login(db, settings, django_user_model):
    settings.DEMO_USERNAME, settings.DEMO_PASSWORD = "demo", "demo-servicepolice"
    outputs = []
    for _ in range(2):
        out, err = io.StringIO(), io.StringIO()
        call_command("demo_user", stdout=out, stderr=err)
        outputs.append(out.getvalue())
        assert err.getvalue() == ""  # the default password passes the password validators
    # One demo superuser (and, where the demo data is loaded, one login per role: below).
    assert django_user_model.objects.exclude(username__startswith="demo-").count() == 1
    user = django_user_model.objects.get(username="demo")
    assert user.is_superuser and user.is_staff and user.is_active
    assert user.check_password("demo-servicepolice")
    validate_email(user.email)
    for output in outputs:
        assert "http://127.0.0.1:8000/admin/" in output
        assert "demo" in output and "demo-servicepolice" in output
    assert "создан" in outputs[0] and "обновлён" in outputs[1]


def test_demo_user_restores_its_password_and_rights(db, settings, django_user_model):
    settings.DEMO_USERNAME, settings.DEMO_PASSWORD = "demo", "demo-servicepolice"
    call_command("demo_user", stdout=io.StringIO())
    user = django_user_model.objects.get(username="demo")
    user.set_password("changed-in-the-admin")
    user.is_superuser = False
    user.save()
    call_command("demo_user", stdout=io.StringIO())
    user.refresh_from_db()
    assert user.is_superuser and user.check_password("demo-servicepolice")


def test_demo_user_never_changes_another_user(db, settings, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.kz", "root-pass-1")
    someone = django_user_model.objects.create_user("demo", "owner@example.kz", "own-password")
    settings.DEMO_USERNAME, settings.DEMO_PASSWORD = "demo", "demo-servicepolice"
    with pytest.raises(CommandError, match="не является демо-пользователем"):
        call_command("demo_user", stdout=io.StringIO())
    someone.refresh_from_db()
    root.refresh_from_db()
    assert someone.check_password("own-password") and not someone.is_superuser
    assert someone.email == "owner@example.kz"
    assert root.check_password("root-pass-1")


def test_the_demo_is_recorded_in_the_audit_history_as_a_command(demo):
    # The default categories, bodies and routes come from a data migration, before any history.
    seeded = {"meetings.Category", "meetings.ResponsibleBody", "meetings.RoutingRule"}
    for label, (rows, doors) in demo.history_first.items():
        assert doors <= {"command"}, label
        if label not in seeded:
            assert rows >= demo.counts_first[label] > 0, label  # every row has its creation
    assert demo.history_second == demo.history_first  # the second run changed nothing


def test_demo_user_adds_one_login_per_role_on_the_demo_district(demo, settings, django_user_model):
    from django.test import Client

    from access.models import Membership
    from servicepolice.permissions import ROLE_ANALYST, ROLE_DISTRICT_STAFF, ROLE_INSPECTOR
    from stations.models import Station

    settings.DEMO_USERNAME, settings.DEMO_PASSWORD = "demo", "demo-servicepolice"
    for _ in range(2):  # idempotent
        out = io.StringIO()
        call_command("demo_user", stdout=out, stderr=io.StringIO())
    printed = out.getvalue()
    semey = District.objects.get(kato="102010000")
    users = {u.username: u for u in django_user_model.objects.filter(username__startswith="demo-")}
    assert set(users) == {"demo-analyst", "demo-staff", "demo-inspector"}
    for name, role in [
        ("demo-analyst", ROLE_ANALYST),
        ("demo-staff", ROLE_DISTRICT_STAFF),
        ("demo-inspector", ROLE_INSPECTOR),
    ]:
        user = users[name]
        assert name in printed and role in printed
        assert [g.name for g in user.groups.all()] == [role]
        assert user.is_staff and not user.is_superuser
        assert user.check_password("demo-servicepolice")
    assert list(Membership.objects.get(user=users["demo-analyst"]).regions.all()) == [semey.region]
    assert list(Membership.objects.get(user=users["demo-staff"]).districts.all()) == [semey]
    assert Membership.objects.get(user=users["demo-inspector"]).inspector.precinct.district == semey

    # The staff login sees its region's stations in the admin and no other region's.
    client = Client()
    client.force_login(users["demo-staff"])
    page = client.get("/admin/stations/station/?all=")
    assert page.status_code == 200
    shown = page.context["cl"].result_list
    assert {s.district.region_id for s in shown} == {semey.region_id}
    assert len(shown) == Station.objects.filter(district__region=semey.region).count()
