"""Inspectors and assistants: public fields for everyone, private ones only with the `view`
permission; dismissed inspectors hidden from the public; filters, search and ordering."""

from __future__ import annotations

import datetime

import pytest
from rest_framework.test import APIClient

from officers.models import Inspector
from officers.serializers import INSPECTOR_PRIVATE_FIELDS
from tests.api.utils import assert_error, url
from tests.factories import (
    AssistantFactory,
    DistrictFactory,
    InspectorFactory,
    PrecinctFactory,
    RegionFactory,
    StationFactory,
)

pytestmark = pytest.mark.django_db

PRIVATE = set(INSPECTOR_PRIVATE_FIELDS)


def test_private_fields_are_the_ones_the_issue_names():
    assert PRIVATE == {"personnel_number", "personal_phone", "appointed_on"}


@pytest.fixture
def team():
    precinct = PrecinctFactory(number=1)
    other = PrecinctFactory(district=precinct.district, number=2)
    station = StationFactory(district=precinct.district, precinct=precinct)
    active = InspectorFactory(
        precinct=precinct,
        station=station,
        last_name="Ахметов",
        personnel_number="TN000777",
        rank=Inspector.Rank.MAJOR,
        appointed_on=datetime.date(2019, 5, 1),
    )
    on_leave = InspectorFactory(
        precinct=other,
        last_name="Ким",
        status=Inspector.Status.ON_LEAVE,
        rank=Inspector.Rank.LIEUTENANT,
        appointed_on=datetime.date(2023, 2, 1),
    )
    dismissed = InspectorFactory(
        precinct=None, last_name="Уволенный", status=Inspector.Status.DISMISSED
    )
    return {
        "precinct": precinct,
        "other": other,
        "station": station,
        "active": active,
        "on_leave": on_leave,
        "dismissed": dismissed,
        "assistant": AssistantFactory(inspector=active, phone="+7 702 555 44 33"),
        "dismissed_assistant": AssistantFactory(inspector=dismissed, last_name="Бывший"),
    }


def ids(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return sorted(row["id"] for row in response.json()["results"])


def test_anonymous_sees_public_fields_only(api_client, team):
    listed = api_client.get(url("inspectors")).json()["results"]
    one = api_client.get(url("inspectors", team["active"].pk)).json()

    for row in [*listed, one]:
        assert not PRIVATE & set(row), row
        assert "created_at" not in row
    assert one["full_name"] == team["active"].full_name
    assert one["rank_label"] == "майор полиции"
    assert one["service_phone"] == team["active"].service_phone
    assert one["station"] == team["station"].pk
    assert "+7 701" not in str(listed)  # the factories' personal phone


def test_dismissed_inspectors_hidden_from_anonymous(api_client, team):
    assert team["dismissed"].pk not in ids(api_client.get(url("inspectors")))
    assert_error(api_client.get(url("inspectors", team["dismissed"].pk)), 404)
    assert ids(api_client.get(url("inspectors"), {"status": "dismissed"})) == []
    assert team["dismissed_assistant"].pk not in ids(api_client.get(url("assistants")))


def test_staff_with_view_permission_sees_everything(staff_client, team):
    one = staff_client.get(url("inspectors", team["dismissed"].pk))
    assert one.status_code == 200
    body = one.json()
    assert PRIVATE <= set(body)
    assert body["personnel_number"] == team["dismissed"].personnel_number
    assert body["personal_phone"] == team["dismissed"].personal_phone
    assert body["appointed_on"] == team["dismissed"].appointed_on.isoformat()
    everyone = ids(staff_client.get(url("inspectors")))
    assert everyone == sorted(team[k].pk for k in ("active", "on_leave", "dismissed"))


def test_signed_in_without_view_permission_sees_public_fields(reader_client, team):
    body = reader_client.get(url("inspectors", team["active"].pk)).json()
    assert not PRIVATE & set(body)
    assert_error(reader_client.get(url("inspectors", team["dismissed"].pk)), 404)
    assistant = reader_client.get(url("assistants", team["assistant"].pk)).json()
    assert "phone" not in assistant


def test_assistant_phone_only_for_staff(api_client, staff_client, team):
    public = api_client.get(url("assistants", team["assistant"].pk)).json()
    assert "phone" not in public
    assert public["inspector"] == team["active"].pk
    assert "+7 702" not in str(api_client.get(url("assistants")).json())

    private = staff_client.get(url("assistants", team["assistant"].pk)).json()
    assert private["phone"] == "+7 702 555 44 33"


def test_search_by_personnel_number_only_for_staff(api_client, staff_client, team):
    assert ids(api_client.get(url("inspectors"), {"search": "TN000777"})) == []
    assert ids(staff_client.get(url("inspectors"), {"search": "TN000777"})) == [team["active"].pk]
    assert ids(api_client.get(url("inspectors"), {"search": "Ахмет"})) == [team["active"].pk]


def test_ordering_by_appointment_only_for_staff(api_client, staff_client, team):
    # Ordering by a private field would reveal it; for anonymous clients it is ignored.
    staff = staff_client.get(url("inspectors"), {"ordering": "-appointed_on"}).json()["results"]
    # 2023, 2020 (the factories' default), 2019.
    assert [r["id"] for r in staff] == [team[k].pk for k in ("on_leave", "dismissed", "active")]
    anonymous = api_client.get(url("inspectors"), {"ordering": "-appointed_on"})
    assert [r["id"] for r in anonymous.json()["results"]] == [
        team["active"].pk,  # default order: last name (Ахметов, Ким)
        team["on_leave"].pk,
    ]


def test_inspector_filters(api_client, staff_client, team):
    active, on_leave = team["active"], team["on_leave"]
    assert ids(api_client.get(url("inspectors"), {"precinct": team["precinct"].pk})) == [active.pk]
    assert ids(api_client.get(url("inspectors"), {"station": team["station"].pk})) == [active.pk]
    assert ids(api_client.get(url("inspectors"), {"rank": "lieutenant"})) == [on_leave.pk]
    assert ids(api_client.get(url("inspectors"), {"status": "on_leave"})) == [on_leave.pk]
    both = staff_client.get(url("inspectors") + "?status=on_leave&status=dismissed")
    assert ids(both) == sorted([on_leave.pk, team["dismissed"].pk])
    kato = team["precinct"].district.kato
    assert ids(api_client.get(url("inspectors"), {"district_kato": kato})) == sorted(
        [active.pk, on_leave.pk]
    )
    assert ids(api_client.get(url("inspectors"), {"region_kato": "100000000"})) == sorted(
        [active.pk, on_leave.pk]
    )


def test_inspector_territory_filter_excludes_other_regions(api_client, team):
    other_region = RegionFactory(kato="190000000", name="Другая")
    far = InspectorFactory(precinct=PrecinctFactory(district=DistrictFactory(region=other_region)))
    assert ids(api_client.get(url("inspectors"), {"region": other_region.pk})) == [far.pk]


def test_assistant_filters(api_client, team):
    assert ids(api_client.get(url("assistants"), {"inspector": team["active"].pk})) == [
        team["assistant"].pk
    ]
    kato = team["precinct"].district.kato
    assert ids(api_client.get(url("assistants"), {"district_kato": kato})) == [team["assistant"].pk]


@pytest.mark.parametrize(
    "params, field",
    [
        ({"status": "retired"}, "status"),
        ({"rank": "general"}, "rank"),
        ({"precinct": "abc"}, "precinct"),
        ({"position": "chief"}, "position"),
    ],
)
def test_bad_inspector_filters_are_400(api_client, team, params, field):
    assert_error(api_client.get(url("inspectors"), params), 400, field=field)


def test_create_inspector_writes_assignment_history(staff_client):
    precinct = PrecinctFactory()
    response = staff_client.post(
        url("inspectors"),
        {
            "personnel_number": "TN123123",
            "last_name": "Омаров",
            "first_name": "Марат",
            "rank": "captain",
            "precinct": precinct.pk,
            "appointed_on": "2022-09-01",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    inspector = Inspector.objects.get(pk=response.json()["id"])
    assignment = inspector.assignments.get()
    assert assignment.precinct == precinct
    assert assignment.started_on == datetime.date(2022, 9, 1)


def test_duplicate_personnel_number_is_400(staff_client, team):
    response = staff_client.post(
        url("inspectors"),
        {
            "personnel_number": "TN000777",
            "last_name": "Дубль",
            "first_name": "Д",
            "rank": "captain",
        },
        format="json",
    )
    assert_error(response, 400, field="personnel_number")


def test_bad_phone_is_400(staff_client, team):
    response = staff_client.patch(
        url("inspectors", team["active"].pk), {"personal_phone": "call me"}, format="json"
    )
    assert_error(response, 400, field="personal_phone")


def test_inspector_with_history_cannot_be_deleted(staff_client, team):
    response = staff_client.delete(url("inspectors", team["active"].pk))
    body = assert_error(response, 409)
    assert "история закреплений" in body["message"]
    assert Inspector.objects.filter(pk=team["active"].pk).exists()


def test_change_permission_implies_seeing_private_fields(make_user, team):
    """As in Django's admin, whoever may change inspectors may view them, private fields too."""
    client = APIClient()
    client.force_authenticate(make_user("officers.change_inspector"))

    response = client.patch(
        url("inspectors", team["active"].pk), {"personal_phone": "+7 777 000 00 01"}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["personal_phone"] == "+7 777 000 00 01"
    assert client.get(url("inspectors", team["active"].pk)).json()["personnel_number"] == "TN000777"


def test_the_public_inspector_carries_the_photo_url(client, db, tmp_path, settings):
    import base64

    from django.core.files.base import ContentFile

    from tests.factories import InspectorFactory

    settings.MEDIA_ROOT = tmp_path
    png = base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
    )
    inspector = InspectorFactory()
    inspector.photo.save("utepov.png", ContentFile(png))
    body = client.get(f"/api/v1/inspectors/{inspector.pk}/").json()
    assert body["photo"].endswith(".png") and "/media/inspectors/" in body["photo"]
    assert "personal_phone" not in body
    team = client.get(f"/api/v1/precincts/{inspector.precinct_id}/team/").json()
    assert "/media/inspectors/" in team[0]["photo"]


def test_an_oversized_photo_is_refused(db):
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from officers.models import PHOTO_MAX_BYTES
    from tests.factories import InspectorFactory

    inspector = InspectorFactory()
    inspector.photo = SimpleUploadedFile("big.png", b"0" * (PHOTO_MAX_BYTES + 1))
    with pytest.raises(ValidationError) as exc:
        inspector.full_clean()
    assert any(e.code == "photo_too_large" for e in exc.value.error_dict["photo"])
