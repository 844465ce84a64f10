"""Who was given which territory is part of the audit trail: a membership edited on the
user's admin page is recorded with the admin's name, the door and the districts."""

import pytest
from django.test import Client

from access.models import Membership
from servicepolice.history import Door
from tests.factories import DistrictFactory
from tests.test_admin import form_data

pytestmark = pytest.mark.django_db


def test_membership_given_in_the_user_admin_is_recorded(django_user_model):
    root = django_user_model.objects.create_superuser("root", password="x")
    staff = django_user_model.objects.create_user("staff-a", password="x", is_staff=True)
    district = DistrictFactory()
    client = Client()
    client.force_login(root)
    url = f"/admin/auth/user/{staff.pk}/change/"

    page = client.get(url)
    assert page.status_code == 200
    data = form_data(page)
    prefix = next(k[: -len("-TOTAL_FORMS")] for k in data if k.endswith("-TOTAL_FORMS"))
    data.update({f"{prefix}-0-districts": str(district.pk), f"{prefix}-0-user": str(staff.pk)})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]

    membership = Membership.objects.get(user=staff)
    assert list(membership.districts.all()) == [district]
    entries = list(Membership.history.filter(id=membership.pk).order_by("history_id"))
    # The row, then its districts (simple-history records many-to-many saves as changes).
    assert entries[0].history_type == "+"
    assert {(e.history_user, e.history_door) for e in entries} == {(root, Door.ADMIN)}
    assert [d.district_id for d in entries[-1].districts.all()] == [district.pk]

    membership.districts.clear()
    latest = Membership.history.filter(id=membership.pk).latest("history_id")
    assert latest.history_id != entries[-1].history_id
    assert latest.history_door == Door.COMMAND
    assert list(latest.districts.all()) == []
