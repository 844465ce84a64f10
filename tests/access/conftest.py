"""A territory of three districts and a user of each role, for the scope matrices.

Region A holds the home district D1 and its neighbour D2; region B holds the far district D3.
Every district has one of each record (a `Place`). The district staff user serves D1, the
analyst region A, the inspector is D1's inspector."""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from access.models import Membership
from access.services import roles_sync
from meetings.models import Meeting
from servicepolice.permissions import (
    ROLE_ADMINISTRATOR,
    ROLE_ANALYST,
    ROLE_DISTRICT_STAFF,
    ROLE_INSPECTOR,
    ROLES,
)
from tests.api.conftest import (  # noqa: F401 - the API tests' clients, unthrottled
    _unthrottled,
    api_client,
    make_user,
    staff_client,
    staff_user,
)
from tests.factories import (
    AssistantFactory,
    CategoryFactory,
    DistrictFactory,
    InspectorFactory,
    MeetingFactory,
    ModularPostFactory,
    PrecinctFactory,
    RegionFactory,
    SettlementFactory,
    StationFactory,
    SuggestionFactory,
)

ROLE_USERS = ["administrator", "analyst", "staff", "inspector", "public", "anonymous"]
PLACES = ("home", "neighbour", "far")

_numbers = itertools.count(1)


def next_number() -> int:
    return next(_numbers)


@dataclass
class Place:
    region: object
    district: object
    precinct: object
    settlement: object
    station: object
    post: object
    inspector: object
    assistant: object
    meeting: object  # planned
    held: object  # held, with the suggestion
    suggestion: object
    category: object


def make_place(region, district, category) -> Place:
    precinct = PrecinctFactory(district=district)
    inspector = InspectorFactory(precinct=precinct)
    held = MeetingFactory(inspector=inspector)
    return Place(
        region=region,
        district=district,
        precinct=precinct,
        settlement=SettlementFactory(district=district),
        station=StationFactory(district=district, precinct=precinct),
        post=ModularPostFactory(district=district),
        inspector=inspector,
        assistant=AssistantFactory(inspector=inspector),
        meeting=MeetingFactory(
            inspector=inspector,
            status=Meeting.Status.PLANNED,
            scheduled_at=timezone.now() + datetime.timedelta(days=3),
            held_at=None,
        ),
        held=held,
        suggestion=SuggestionFactory(meeting=held),
        category=category,
    )


@pytest.fixture
def world(db) -> dict[str, Place]:
    region_a = RegionFactory(kato="110000000", name="Область А")
    region_b = RegionFactory(kato="120000000", name="Область Б")
    categories = [
        CategoryFactory(code=f"cat{n}", name=f"Категория {n}", sort_order=n) for n in range(3)
    ]
    return {
        "home": make_place(region_a, DistrictFactory(region=region_a), categories[0]),
        "neighbour": make_place(region_a, DistrictFactory(region=region_a), categories[1]),
        "far": make_place(region_b, DistrictFactory(region=region_b), categories[2]),
    }


@pytest.fixture
def role_user(world, django_user_model):
    """A factory: the user of a role name in ROLE_USERS (None for anonymous)."""

    if Group.objects.filter(name__in=ROLES).count() != len(ROLES):
        roles_sync()  # a transactional test's flush emptied the tables the migration filled

    def make(role: str):
        if role == "anonymous":
            return None
        user = django_user_model.objects.create_user(
            username=f"{role}-user", password="role-password-1", is_staff=True
        )
        group = {
            "administrator": ROLE_ADMINISTRATOR,
            "analyst": ROLE_ANALYST,
            "staff": ROLE_DISTRICT_STAFF,
            "inspector": ROLE_INSPECTOR,
        }.get(role)
        if group is not None:
            user.groups.add(Group.objects.get(name=group))
        if role == "analyst":
            Membership.objects.create(user=user).regions.add(world["home"].region)
        elif role == "staff":
            Membership.objects.create(user=user).districts.add(world["home"].district)
        elif role == "inspector":
            Membership.objects.create(user=user, inspector=world["home"].inspector)
        return user

    return make
