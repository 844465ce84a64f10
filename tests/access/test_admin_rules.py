"""The admin beyond the matrix: no lost updates on change forms, moving a station across
districts, choices and autocompletes, actions, exports and imports narrowed to the scope."""

from __future__ import annotations

import csv
import io

from django.test import Client

from access.admin import MSG_ACTION_OUT_OF_SCOPE, MSG_CHOICE_OUT_OF_SCOPE
from stations.models import Station
from tests.test_admin import form_data, form_errors, url


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# -- no lost updates -------------------------------------------------------------------------


def test_a_second_save_over_a_newer_version_is_refused_and_keeps_the_input(
    world, role_user, superuser
):
    station = world["home"].station
    staff, boss = _logged_in(role_user("staff")), _logged_in(superuser)
    change = url(Station, "change", station.pk)
    mine, theirs = staff.get(change), boss.get(change)  # both open the form

    saved = boss.post(change, form_data(theirs, name="Имя от администратора"))
    assert saved.status_code == 302, form_errors(saved)

    refused = staff.post(change, form_data(mine, phone="+7 7222 33-44-55"))
    assert refused.status_code == 200
    (message,) = form_errors(refused)["__all__"]
    assert "root" in message and "сохраните ещё раз" in message
    html = refused.content.decode()
    assert 'value="+7 7222 33-44-55"' in html  # the input is kept on the form
    station.refresh_from_db()
    assert station.name == "Имя от администратора"  # nothing of the second form was saved
    assert station.phone != "+7 7222 33-44-55"

    again = staff.post(change, form_data(refused))  # reviewed, saved again: goes through
    assert again.status_code == 302, form_errors(again)
    station.refresh_from_db()
    assert station.phone == "+7 7222 33-44-55"


def test_a_save_without_intervening_changes_goes_through(world, superuser):
    station = world["home"].station
    client = _logged_in(superuser)
    change = url(Station, "change", station.pk)
    first = client.post(change, form_data(client.get(change), name="Раз"))
    assert first.status_code == 302, form_errors(first)
    second = client.post(change, form_data(client.get(change), name="Два"))
    assert second.status_code == 302, form_errors(second)
    station.refresh_from_db()
    assert station.name == "Два"


# -- moving a station across districts -------------------------------------------------------


def test_district_staff_cannot_move_a_station_into_another_district(world, role_user):
    home, neighbour = world["home"], world["neighbour"]
    client = _logged_in(role_user("staff"))
    change = url(Station, "change", home.station.pk)
    response = client.post(
        change,
        form_data(client.get(change), district=neighbour.district.pk, precinct=""),
    )
    assert response.status_code == 200
    assert form_errors(response)["district"] == [str(MSG_CHOICE_OUT_OF_SCOPE)]
    home.station.refresh_from_db()
    assert home.station.district_id == home.district.pk


def test_district_staff_serving_both_districts_may_move_a_station(world, role_user):
    home, neighbour = world["home"], world["neighbour"]
    user = role_user("staff")
    user.membership.districts.add(neighbour.district)
    client = _logged_in(user)
    change = url(Station, "change", home.station.pk)
    response = client.post(
        change, form_data(client.get(change), district=neighbour.district.pk, precinct="")
    )
    assert response.status_code == 302, form_errors(response)
    assert Station.objects.get(pk=home.station.pk).district_id == neighbour.district.pk


def test_choices_and_autocomplete_offer_only_writable_districts(world, role_user):
    client = _logged_in(role_user("staff"))
    page = client.get(url(Station, "add"))
    choices = page.context["adminform"].form.fields["district"].queryset
    assert list(choices) == [world["home"].district]
    answer = client.get(
        "/admin/autocomplete/",
        {"app_label": "stations", "model_name": "station", "field_name": "district", "term": ""},
    )
    assert answer.status_code == 200
    assert [int(r["id"]) for r in answer.json()["results"]] == [world["home"].district.pk]


# -- actions, exports, imports ---------------------------------------------------------------


def test_an_action_on_records_outside_the_write_scope_does_nothing(world, role_user):
    client = _logged_in(role_user("staff"))
    neighbour_station = world["neighbour"].station
    response = client.post(
        url(Station, "changelist"),
        {"action": "delete_selected", "_selected_action": [neighbour_station.pk], "post": "yes"},
        follow=True,
    )
    assert str(MSG_ACTION_OUT_OF_SCOPE) in [str(m) for m in response.context["messages"]]
    assert Station.objects.filter(pk=neighbour_station.pk).exists()

    own = world["home"].station
    client.post(
        url(Station, "changelist"),
        {"action": "delete_selected", "_selected_action": [own.pk], "post": "yes"},
    )
    assert not Station.objects.filter(pk=own.pk).exists()


def test_the_export_holds_only_the_users_region(world, role_user):
    client = _logged_in(role_user("analyst"))
    response = client.get("/admin/stations/station/export/csv/")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    numbers = {row["number"] for row in csv.DictReader(io.StringIO(text))}
    expected = {world["home"].station.number, world["neighbour"].station.number}
    assert numbers == expected


def test_imports_are_for_administrators_only(world, role_user):
    client = _logged_in(role_user("staff"))
    assert client.get("/admin/stations/station/import/").status_code == 403
    admin = _logged_in(role_user("administrator"))
    assert admin.get("/admin/stations/station/import/").status_code == 200


def test_an_inspector_edits_only_the_contacts_of_their_own_card(world, role_user):
    from officers.models import Inspector

    inspector = world["home"].inspector
    client = _logged_in(role_user("inspector"))
    page = client.get(url(Inspector, "change", inspector.pk))
    fields = set(page.context["adminform"].form.fields)
    assert {"service_phone", "reception_hours", "messenger_url"} <= fields
    assert not fields & {"personnel_number", "personal_phone", "precinct", "status"}
    response = client.post(
        url(Inspector, "change", inspector.pk), form_data(page, reception_hours="ср 10:00–12:00")
    )
    assert response.status_code == 302, form_errors(response)
    inspector.refresh_from_db()
    assert inspector.reception_hours == "ср 10:00–12:00"


# -- pages -----------------------------------------------------------------------------------


def test_pages_show_private_fields_and_edit_links_only_in_scope(world, role_user):
    from tests.api.conftest import grant  # noqa: PLC0415

    user = role_user("staff")
    client = _logged_in(user)
    home, far = world["home"], world["far"]
    home_page = client.get(f"/precincts/{home.precinct.pk}/").content.decode()
    far_page = client.get(f"/precincts/{far.precinct.pk}/").content.decode()
    assert home.inspector.personal_phone in home_page
    assert far.inspector.personal_phone not in far_page  # public page: public fields only
    assert far.inspector.last_name in far_page

    grant(user, "meetings.view_meeting")
    client = _logged_in(type(user).objects.get(pk=user.pk))
    assert client.get(f"/districts/{home.district.pk}/meetings/").status_code == 200
    assert client.get(f"/districts/{far.district.pk}/meetings/").status_code == 404
