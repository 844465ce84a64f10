"""The admin is the product's CRUD: every page renders, lists stay cheap, the rules hold."""

import datetime
import json
from html.parser import HTMLParser

import factory
import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.gis.geos import GEOSGeometry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.models import (
    MSG_CANCELLED_WITHOUT_REASON,
    MSG_HELD_IN_FUTURE,
    MSG_INSPECTOR_NOT_SERVING,
    Category,
    Meeting,
    ResponsibleBody,
    RoutingRule,
    Suggestion,
    SuggestionEvent,
)
from meetings.services import suggestion_save
from officers.models import MSG_STATION_OTHER_DISTRICT, Assignment, Assistant, Inspector
from servicepolice import geo
from stations.models import District, ModularPost, Precinct, Region, Settlement, Station
from stations.validators import (
    MSG_CLOSED_BEFORE_OPENED,
    MSG_CLOSED_WITHOUT_DATE,
    MSG_INVALID_POLYGON,
    MSG_OUTSIDE_KZ,
    MSG_POINT_OUTSIDE_DISTRICT,
    MSG_POLYGON_OUTSIDE_DISTRICT,
    tolerance_m,
)
from tests.factories import (
    CENTRE_LAT,
    CENTRE_LON,
    AssistantFactory,
    CategoryFactory,
    DistrictFactory,
    InspectorFactory,
    MeetingFactory,
    ModularPostFactory,
    PrecinctFactory,
    RegionFactory,
    ResponsibleBodyFactory,
    RoutingRuleFactory,
    SettlementFactory,
    StationFactory,
    SuggestionFactory,
    point_ewkt,
    square_ewkt,
)

ROWS = 200


def url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def point_geojson(lon: float, lat: float) -> str:
    return json.dumps({"type": "Point", "coordinates": [lon, lat]})


class FormFields(HTMLParser):
    """What a browser would submit from the admin's main form: name → value."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, str] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data[name] = attrs.get("value") or "on"
            else:
                self.data[name] = attrs.get("value") or ""
        elif tag == "select" and name:
            self._select = name
            self._first_option = True
            self._chosen = False
            self.data.setdefault(name, "")
        elif tag == "option" and self._select:
            # As a browser does: the selected option, else the first one (even if empty).
            if "selected" in attrs or (self._first_option and not self._chosen):
                self.data[self._select] = attrs.get("value") or ""
                self._chosen = self._chosen or "selected" in attrs
            self._first_option = False
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data


def form_data(response, **changes) -> dict[str, str]:
    """The POST a browser sends from a rendered add/change page, with `changes` applied."""
    parser = FormFields()
    parser.feed(response.content.decode())
    data = {k: v for k, v in parser.data.items() if "__prefix__" not in k}
    data.pop("csrfmiddlewaretoken", None)
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = str(value)
    return data


def form_errors(response) -> dict[str, list[str]]:
    return response.context["adminform"].form.errors


# One saved object of each registered model, built the way production builds it.
BUILDERS = {
    Region: RegionFactory,
    District: DistrictFactory,
    Precinct: PrecinctFactory,
    Settlement: SettlementFactory,
    Station: StationFactory,
    ModularPost: ModularPostFactory,
    Inspector: InspectorFactory,
    Assistant: AssistantFactory,
    Assignment: lambda: InspectorFactory().assignments.get(),
    Meeting: MeetingFactory,
    Suggestion: SuggestionFactory,
    Category: lambda: CategoryFactory(code="test", name="Тестовая категория"),
    ResponsibleBody: ResponsibleBodyFactory,
    RoutingRule: RoutingRuleFactory,
    SuggestionEvent: lambda: recorded_suggestion().events.get(),
}
# Written only by services: no add page.
READ_ONLY = (Assignment, SuggestionEvent)


def recorded_suggestion(**fields) -> Suggestion:
    """A suggestion recorded through the service (routed, with a history)."""
    return suggestion_save(suggestion=SuggestionFactory.build(meeting=MeetingFactory(), **fields))


def test_every_domain_model_is_registered():
    domain = {
        model
        for label in ("stations", "officers", "meetings")
        for model in apps.get_app_config(label).get_models()
        if not model.__name__.startswith("Historical")  # audit history: read on each record
    }
    assert domain == set(BUILDERS)
    assert all(admin.site.is_registered(model) for model in domain)


@pytest.mark.parametrize("model", list(BUILDERS), ids=lambda m: m.__name__)
def test_changelist_and_change_page_render(admin_client_logged, model):
    obj = BUILDERS[model]()
    assert admin_client_logged.get(url(model, "changelist")).status_code == 200
    assert admin_client_logged.get(url(model, "changelist"), {"q": "1"}).status_code == 200
    assert admin_client_logged.get(url(model, "change", obj.pk)).status_code == 200


@pytest.mark.parametrize(
    "model", [m for m in BUILDERS if m not in READ_ONLY], ids=lambda m: m.__name__
)
def test_add_page_renders(admin_client_logged, model):
    response = admin_client_logged.get(url(model, "add"))
    assert response.status_code == 200


@pytest.mark.parametrize(
    "model", [m for m in BUILDERS if m not in READ_ONLY], ids=lambda m: m.__name__
)
def test_add_form_offers_every_editable_field(admin_client_logged, model):
    editable = {
        f.name
        for f in model._meta.concrete_fields
        if f.editable and not f.primary_key and not f.auto_created
    }

    form = admin_client_logged.get(url(model, "add")).context["adminform"].form

    assert editable <= set(form.fields)


@pytest.mark.parametrize(
    "model", [Region, District, Precinct, Settlement, Station, ModularPost, Meeting]
)
def test_geo_models_get_one_leaflet_map_per_geometry_field(admin_client_logged, model):
    obj = BUILDERS[model]()
    html = admin_client_logged.get(url(model, "change", obj.pk)).content.decode()
    assert html.count('id="id_geom-map"') == 1
    assert "leaflet/draw/leaflet.draw.js" in html
    assert 'name="geom"' in html


def test_inspector_change_page_shows_assistants_and_assignment_history(admin_client_logged):
    assistant = AssistantFactory()
    inspector = assistant.inspector
    html = admin_client_logged.get(url(Inspector, "change", inspector.pk)).content.decode()
    assert assistant.last_name in html
    assert str(inspector.precinct) in html
    assert 'name="assignments-0-started_on"' not in html  # shown, not editable


# --- Changelists stay at a fixed number of queries however many rows they show ----------------


def make_regions(n: int) -> None:
    regions = RegionFactory.create_batch(n, kato=factory.Sequence(lambda i: f"9{i:08d}"))
    DistrictFactory(region=regions[0])


def make_districts(n: int) -> None:
    districts = DistrictFactory.create_batch(n)
    PrecinctFactory(district=districts[0])
    StationFactory(district=districts[0])


def make_precincts(n: int) -> None:
    # PrecinctFactory lays precinct n on cell n of an 8 × 8 grid: 1..64 per district.
    made = 0
    while made < n:
        district = DistrictFactory()
        for number in range(1, min(64, n - made) + 1):
            precinct = PrecinctFactory(district=district, number=number)
            made += 1
    InspectorFactory(precinct=precinct)


def make_inspectors(n: int) -> None:
    precinct = PrecinctFactory()
    station = StationFactory(district=precinct.district, precinct=precinct)
    InspectorFactory.create_batch(n, precinct=precinct, station=station)


def make_meetings(n: int) -> None:
    meetings = MeetingFactory.create_batch(n, inspector=InspectorFactory())
    SuggestionFactory(meeting=meetings[0])


LIST_BUILDERS = {
    Region: make_regions,
    District: make_districts,
    Precinct: make_precincts,
    Settlement: lambda n: SettlementFactory.create_batch(n, district=DistrictFactory()),
    Station: lambda n: StationFactory.create_batch(n, district=DistrictFactory()),
    ModularPost: lambda n: ModularPostFactory.create_batch(n, district=DistrictFactory()),
    Inspector: make_inspectors,
    Assistant: lambda n: AssistantFactory.create_batch(n, inspector=InspectorFactory()),
    Assignment: lambda n: InspectorFactory.create_batch(n, precinct=PrecinctFactory()),
    Meeting: make_meetings,
    Suggestion: lambda n: SuggestionFactory.create_batch(n, meeting=MeetingFactory()),
    Category: lambda n: [CategoryFactory(code=f"c{i}", name=f"Категория {i}") for i in range(n)],
    ResponsibleBody: lambda n: ResponsibleBodyFactory.create_batch(n, district=DistrictFactory()),
    RoutingRule: lambda n: [
        RoutingRuleFactory(category=CategoryFactory(code=f"r{i}", name=f"Тема {i}"))
        for i in range(n)
    ],
    SuggestionEvent: lambda n: [
        suggestion_save(suggestion=s)
        for s in SuggestionFactory.build_batch(n, meeting=MeetingFactory())
    ],
}

# Session, user, two counts, the page, one query per related-field filter (at most two) and
# two for the date hierarchy: 9 at most today (meetings), measured on SpatiaLite.
CHANGELIST_MAX_QUERIES = 10


@pytest.mark.parametrize("model", list(LIST_BUILDERS), ids=lambda m: m.__name__)
def test_changelist_queries_do_not_grow_with_rows(
    admin_client_logged, django_assert_max_num_queries, model
):
    LIST_BUILDERS[model](2)
    with CaptureQueriesContext(connection) as few:
        assert admin_client_logged.get(url(model, "changelist")).status_code == 200

    LIST_BUILDERS[model](ROWS)
    assert model.objects.count() >= ROWS
    with django_assert_max_num_queries(CHANGELIST_MAX_QUERIES):
        response = admin_client_logged.get(url(model, "changelist"))
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 100
    with CaptureQueriesContext(connection) as many:
        admin_client_logged.get(url(model, "changelist"))
    assert len(many) == len(few)
    # No list shows a geometry, so none is read (outlines weigh up to hundreds of kilobytes).
    assert not [q["sql"] for q in many.captured_queries if '."geom"' in q["sql"]]


# --- Computed columns and search ------------------------------------------------------------


def test_precinct_changelist_counts_active_inspectors_and_residents_per_inspector(
    admin_client_logged,
):
    staffed = PrecinctFactory(population=6000)
    InspectorFactory.create_batch(2, precinct=staffed)
    InspectorFactory(precinct=staffed, status=Inspector.Status.DISMISSED)
    empty = PrecinctFactory(district=staffed.district, population=4000)

    response = admin_client_logged.get(url(Precinct, "changelist"))

    rows = {p.pk: p for p in response.context["cl"].result_list}
    assert rows[staffed.pk].active_inspectors == 2
    assert rows[staffed.pk].population_per_inspector == pytest.approx(3000)
    assert rows[empty.pk].active_inspectors == 0
    assert rows[empty.pk].population_per_inspector is None
    assert "нет инспектора" in response.content.decode()


def test_district_and_region_changelists_count_what_they_hold(admin_client_logged, district):
    PrecinctFactory.create_batch(3, district=district)
    StationFactory.create_batch(2, district=district)
    DistrictFactory(region=district.region)

    districts = admin_client_logged.get(url(District, "changelist")).context["cl"].result_list
    regions = admin_client_logged.get(url(Region, "changelist")).context["cl"].result_list

    row = next(d for d in districts if d.pk == district.pk)
    assert (row.precinct_count, row.station_count) == (3, 2)
    assert regions[0].district_count == 2


@pytest.mark.parametrize(
    ("model", "build", "term"),
    [
        (Region, lambda: RegionFactory(kato="630000000"), "630000000"),
        (District, lambda: DistrictFactory(kato="631010000"), "631010000"),
        (Precinct, lambda: PrecinctFactory(number=9999), "9999"),
        (Station, lambda: StationFactory(address="ул. Шакарима, 4"), "Шакарима"),
        (Inspector, lambda: InspectorFactory(personnel_number="TN777777"), "TN777777"),
        (Meeting, lambda: MeetingFactory(place="Дом культуры «Спутник»"), "Спутник"),
    ],
    ids=[
        "region-kato",
        "district-kato",
        "precinct-number",
        "station-address",
        "inspector-number",
        "meeting-place",
    ],
)
def test_changelist_search_finds_by_number_address_and_code(
    admin_client_logged, model, build, term
):
    wanted = build()
    BUILDERS[model]()  # one that must not match

    response = admin_client_logged.get(url(model, "changelist"), {"q": term})

    assert [obj.pk for obj in response.context["cl"].result_list] == [wanted.pk]


@pytest.mark.parametrize(
    ("model", "field", "term"),
    [
        (District, "region", "Абай"),
        (Station, "district", "Район"),
        (Station, "precinct", "мкр"),
        (Inspector, "precinct", "мкр"),
        (Inspector, "station", "УПП"),
        (Meeting, "inspector", "TN"),
        (Suggestion, "meeting", "зал"),
        (Assistant, "inspector", "TN"),
    ],
    ids=lambda v: getattr(v, "__name__", v),
)
def test_autocomplete_fields_answer(admin_client_logged, model, field, term):
    SuggestionFactory()
    StationFactory(district=Precinct.objects.get().district, precinct=Precinct.objects.get())
    params = {
        "app_label": model._meta.app_label,
        "model_name": model._meta.model_name,
        "field_name": field,
        "term": term,
    }

    response = admin_client_logged.get(reverse("admin:autocomplete"), params)

    assert response.status_code == 200
    assert len(response.json()["results"]) >= 1


# --- Writes go through the services and the models' rules show as form errors ----------------

SERVICES = {
    Region: "stations.services.region_save",
    District: "stations.services.district_save",
    Precinct: "stations.services.precinct_save",
    Settlement: "stations.services.settlement_save",
    Station: "stations.services.station_save",
    ModularPost: "stations.services.modular_post_save",
    Inspector: "officers.services.inspector_save",
    Assistant: "officers.services.assistant_save",
    Meeting: "meetings.services.meeting_save",
    Suggestion: "meetings.services.suggestion_save",
    Category: "meetings.services.category_save",
    ResponsibleBody: "meetings.services.responsible_body_save",
    RoutingRule: "meetings.services.routing_rule_save",
}


@pytest.mark.parametrize("model", list(SERVICES), ids=lambda m: m.__name__)
def test_saving_an_unchanged_change_form_goes_through_the_service(
    admin_client_logged, monkeypatch, model
):
    obj = BUILDERS[model]()
    module_path, name = SERVICES[model].rsplit(".", 1)
    module = __import__(module_path, fromlist=[name])
    real = getattr(module, name)
    calls = []

    def spy(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(module, name, spy)
    page = admin_client_logged.get(url(model, "change", obj.pk))

    response = admin_client_logged.post(url(model, "change", obj.pk), form_data(page))

    assert response.status_code == 302, form_errors(response)
    assert len(calls) == 1
    (saved,) = [value for value in calls[0].values() if isinstance(value, model)]
    assert saved.pk == obj.pk


def test_good_station_post_creates_the_station(admin_client_logged, precinct):
    district = precinct.district
    page = admin_client_logged.get(url(Station, "add"))
    data = form_data(
        page,
        district=district.pk,
        precinct=precinct.pk,
        number="№19",
        name="мкр. Восточный",
        address="г. Семей, ул. Абая, 19",
        geom=point_geojson(CENTRE_LON + 0.01, CENTRE_LAT + 0.005),
        status=Station.Status.OPERATING,
        opened_on="18.11.2021",
    )

    response = admin_client_logged.post(url(Station, "add"), data)

    assert response.status_code == 302, form_errors(response)
    station = Station.objects.get()
    assert (station.district, station.precinct, station.number) == (district, precinct, "№19")
    assert (station.geom.x, station.geom.y) == pytest.approx(
        (CENTRE_LON + 0.01, CENTRE_LAT + 0.005)
    )
    assert station.geom.srid == 4326


def station_add_data(page, district, **changes) -> dict[str, str]:
    base = {
        "district": district.pk,
        "number": "№7",
        "address": "г. Семей, ул. Абая, 7",
        "geom": point_geojson(CENTRE_LON, CENTRE_LAT),
        "status": Station.Status.OPERATING,
    }
    return form_data(page, **{**base, **changes})


def test_station_outside_its_district_is_refused(admin_client_logged, district):
    lon, lat = CENTRE_LON + 0.2, CENTRE_LAT  # about 14 km east of a 10 km wide district
    page = admin_client_logged.get(url(Station, "add"))

    response = admin_client_logged.post(
        url(Station, "add"), station_add_data(page, district, geom=point_geojson(lon, lat))
    )

    assert response.status_code == 200
    distance = round(geo.distance_m(GEOSGeometry(point_ewkt(lon, lat)), district.geom))
    expected = MSG_POINT_OUTSIDE_DISTRICT % {"district": district.name, "distance": distance}
    assert list(form_errors(response)["geom"]) == [expected]
    assert expected in response.content.decode()
    assert not Station.objects.exists()


@pytest.mark.parametrize(("beyond_m", "accepted"), [(-20, True), (20, False)])
def test_station_near_the_district_border_is_judged_with_the_tolerance(
    admin_client_logged, district, beyond_m, accepted
):
    corner = district.geom.boundary.interpolate(0)  # the south-west corner
    point = geo.offset_point(corner.x, corner.y, -(tolerance_m() + beyond_m), 0)
    assert not district.geom.contains(point)
    page = admin_client_logged.get(url(Station, "add"))

    response = admin_client_logged.post(
        url(Station, "add"), station_add_data(page, district, geom=point_geojson(point.x, point.y))
    )

    assert (response.status_code == 302) is accepted
    assert Station.objects.exists() is accepted


def test_station_with_swapped_coordinates_is_refused(admin_client_logged, district):
    page = admin_client_logged.get(url(Station, "add"))

    response = admin_client_logged.post(
        url(Station, "add"),
        station_add_data(page, district, geom=point_geojson(CENTRE_LAT, CENTRE_LON)),
    )

    assert str(MSG_OUTSIDE_KZ) in list(form_errors(response)["geom"])
    assert str(MSG_OUTSIDE_KZ) in response.content.decode()
    assert not Station.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": Station.Status.CLOSED, "closed_on": ""}, MSG_CLOSED_WITHOUT_DATE),
        ({"status": Station.Status.CLOSED, "closed_on": "01.01.2020"}, MSG_CLOSED_BEFORE_OPENED),
    ],
    ids=["closed-without-date", "closed-before-opened"],
)
def test_station_lifecycle_dates_are_checked(admin_client_logged, changes, message):
    station = StationFactory(opened_on=datetime.date(2021, 11, 18))
    page = admin_client_logged.get(url(Station, "change", station.pk))

    response = admin_client_logged.post(
        url(Station, "change", station.pk), form_data(page, **changes)
    )

    assert response.status_code == 200
    assert list(form_errors(response)["closed_on"]) == [str(message)]
    assert str(message) in response.content.decode()
    station.refresh_from_db()
    assert (station.status, station.closed_on) == (Station.Status.OPERATING, None)


def precinct_add_data(page, district, geom: str) -> dict[str, str]:
    return form_data(page, district=district.pk, number=1, population=5000, geom=geom)


def test_self_intersecting_precinct_polygon_is_refused(admin_client_logged, district):
    dx, dy = 0.01, 0.005
    bow_tie = {
        "type": "MultiPolygon",
        "coordinates": [
            [
                [
                    [CENTRE_LON - dx, CENTRE_LAT - dy],
                    [CENTRE_LON + dx, CENTRE_LAT + dy],
                    [CENTRE_LON + dx, CENTRE_LAT - dy],
                    [CENTRE_LON - dx, CENTRE_LAT + dy],
                    [CENTRE_LON - dx, CENTRE_LAT - dy],
                ]
            ]
        ],
    }
    page = admin_client_logged.get(url(Precinct, "add"))

    response = admin_client_logged.post(
        url(Precinct, "add"), precinct_add_data(page, district, json.dumps(bow_tie))
    )

    assert response.status_code == 200
    reason = geo.invalid_reason(GEOSGeometry(json.dumps(bow_tie)))
    expected = MSG_INVALID_POLYGON % {"reason": reason}
    assert "Self-intersection" in expected
    assert list(form_errors(response)["geom"]) == [expected]
    assert expected in response.content.decode()
    assert not Precinct.objects.exists()


def test_precinct_polygon_outside_its_district_is_refused(admin_client_logged, district):
    far = GEOSGeometry(square_ewkt(CENTRE_LON + 0.3, CENTRE_LAT, 0.5))
    page = admin_client_logged.get(url(Precinct, "add"))

    response = admin_client_logged.post(
        url(Precinct, "add"), precinct_add_data(page, district, far.geojson)
    )

    expected = MSG_POLYGON_OUTSIDE_DISTRICT % {
        "district": district.name,
        "tolerance": int(tolerance_m()),
    }
    assert list(form_errors(response)["geom"]) == [expected]
    assert expected in response.content.decode()
    assert not Precinct.objects.exists()


def meeting_change(client, meeting, **changes):
    page = client.get(url(Meeting, "change", meeting.pk))
    return client.post(url(Meeting, "change", meeting.pk), form_data(page, **changes))


def test_cancelled_meeting_without_reason_is_refused(admin_client_logged):
    meeting = MeetingFactory()

    response = meeting_change(
        admin_client_logged,
        meeting,
        status=Meeting.Status.CANCELLED,
        held_at_0="",
        held_at_1="",
        cancel_reason="",
    )

    assert list(form_errors(response)["cancel_reason"]) == [str(MSG_CANCELLED_WITHOUT_REASON)]
    assert str(MSG_CANCELLED_WITHOUT_REASON) in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD


def test_meeting_held_in_the_future_is_refused(admin_client_logged):
    meeting = MeetingFactory()
    tomorrow = timezone.localtime() + datetime.timedelta(days=1)

    response = meeting_change(
        admin_client_logged,
        meeting,
        held_at_0=tomorrow.strftime("%d.%m.%Y"),
        held_at_1="10:00:00",
    )

    assert list(form_errors(response)["held_at"]) == [str(MSG_HELD_IN_FUTURE)]
    assert str(MSG_HELD_IN_FUTURE) in response.content.decode()


def test_meeting_in_a_precinct_the_inspector_never_served_is_refused(admin_client_logged):
    meeting = MeetingFactory()
    other = PrecinctFactory(district=meeting.precinct.district)

    response = meeting_change(admin_client_logged, meeting, precinct=other.pk)

    day = timezone.localdate(meeting.held_at).strftime("%d.%m.%Y")
    expected = MSG_INSPECTOR_NOT_SERVING % {"inspector": meeting.inspector, "date": day}
    assert list(form_errors(response)["inspector"]) == [expected]
    meeting.refresh_from_db()
    assert meeting.precinct_id != other.pk


def test_meeting_suggestions_are_added_inline(admin_client_logged):
    meeting = MeetingFactory()
    page = admin_client_logged.get(url(Meeting, "change", meeting.pk))
    data = form_data(
        page,
        **{
            "suggestions-TOTAL_FORMS": 1,
            "suggestions-0-text": "Поставить лежачего полицейского у школы.",
            "suggestions-0-status": Suggestion.Status.NEW,
        },
    )

    response = admin_client_logged.post(url(Meeting, "change", meeting.pk), data)

    assert response.status_code == 302, form_errors(response)
    assert meeting.suggestions.get().text == "Поставить лежачего полицейского у школы."


# --- Inspectors and their assignment history -------------------------------------------------


def test_changing_the_precinct_in_the_admin_closes_the_old_assignment_and_opens_one(
    admin_client_logged, inspector
):
    old = inspector.precinct
    new = PrecinctFactory(district=old.district)
    page = admin_client_logged.get(url(Inspector, "change", inspector.pk))

    response = admin_client_logged.post(
        url(Inspector, "change", inspector.pk), form_data(page, precinct=new.pk)
    )

    assert response.status_code == 302, form_errors(response)
    today = timezone.localdate()
    history = list(inspector.assignments.order_by("pk").values_list("precinct", "ended_on"))
    assert history == [(old.pk, today), (new.pk, None)]
    assert inspector.assignments.get(ended_on=None).started_on == today


def test_inspector_assistants_are_added_inline(admin_client_logged, inspector):
    page = admin_client_logged.get(url(Inspector, "change", inspector.pk))
    data = form_data(
        page,
        **{
            "assistants-TOTAL_FORMS": 1,
            "assistants-0-last_name": "Оспанов",
            "assistants-0-first_name": "Арман",
            "assistants-0-phone": "+7 702 111 22 33",
        },
    )

    response = admin_client_logged.post(url(Inspector, "change", inspector.pk), data)

    assert response.status_code == 302, form_errors(response)
    assert str(inspector.assistants.get()) == "Оспанов Арман"
    assert inspector.assignments.count() == 1


def test_station_of_another_district_is_refused_for_an_inspector(admin_client_logged, inspector):
    elsewhere = StationFactory()  # its own new district
    page = admin_client_logged.get(url(Inspector, "change", inspector.pk))

    response = admin_client_logged.post(
        url(Inspector, "change", inspector.pk), form_data(page, station=elsewhere.pk)
    )

    assert list(form_errors(response)["station"]) == [str(MSG_STATION_OTHER_DISTRICT)]


def test_assignments_cannot_be_added_changed_or_deleted(admin_client_logged, inspector):
    assignment = inspector.assignments.get()

    assert admin_client_logged.get(url(Assignment, "add")).status_code == 403
    assert admin_client_logged.post(url(Assignment, "add"), {}).status_code == 403
    change_page = admin_client_logged.get(url(Assignment, "change", assignment.pk))
    assert change_page.status_code == 200  # view only
    assert 'name="_save"' not in change_page.content.decode()
    response = admin_client_logged.post(
        url(Assignment, "change", assignment.pk), {"ended_on": "01.01.2021"}
    )
    assert response.status_code == 403
    assert admin_client_logged.post(url(Assignment, "delete", assignment.pk)).status_code == 403
    assignment.refresh_from_db()
    assert assignment.ended_on is None
