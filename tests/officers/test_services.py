"""Inspectors: the assignment history is written by the service whenever the precinct changes."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from officers.models import Assignment, Inspector
from officers.selectors import inspector_list, inspector_served_precinct
from officers.services import inspector_create, inspector_save
from tests.factories import (
    AssistantFactory,
    DistrictFactory,
    InspectorFactory,
    PrecinctFactory,
    StationFactory,
)
from tests.helpers import codes

pytestmark = pytest.mark.django_db

DAY = datetime.date


def test_new_inspector_gets_an_assignment_from_appointment(precinct):
    inspector = inspector_create(
        personnel_number="A-1",
        last_name="Мадиев",
        first_name="Сагат",
        rank=Inspector.Rank.MAJOR,
        precinct=precinct,
        appointed_on=DAY(2021, 11, 18),
        on=DAY(2024, 1, 1),
    )
    (assignment,) = inspector.assignments.all()
    assert (assignment.precinct, assignment.started_on, assignment.ended_on) == (
        precinct,
        DAY(2021, 11, 18),
        None,
    )


def test_changing_precinct_closes_the_old_assignment_and_opens_a_new_one(precinct):
    inspector = InspectorFactory(precinct=precinct)
    other = PrecinctFactory(district=precinct.district)
    inspector.precinct = other
    inspector_save(inspector=inspector, on=DAY(2025, 4, 1))
    history = list(inspector.assignments.order_by("started_on"))
    assert [(a.precinct, a.ended_on) for a in history] == [
        (precinct, DAY(2025, 4, 1)),
        (other, None),
    ]
    assert history[1].started_on == DAY(2025, 4, 1)
    assert inspector_served_precinct(
        inspector_id=inspector.pk, precinct_id=precinct.pk, on=DAY(2024, 6, 1)
    )
    assert not inspector_served_precinct(
        inspector_id=inspector.pk, precinct_id=precinct.pk, on=DAY(2025, 5, 1)
    )
    assert inspector_served_precinct(
        inspector_id=inspector.pk, precinct_id=other.pk, on=DAY(2025, 5, 1)
    )


def test_saving_without_a_precinct_change_writes_no_history(inspector):
    inspector.reception_hours = "вт, чт 18:00–20:00"
    inspector_save(inspector=inspector)
    assert inspector.assignments.count() == 1


def test_unassigning_closes_the_open_assignment(inspector):
    inspector.precinct = None
    inspector_save(inspector=inspector, on=DAY(2025, 2, 1))
    assert list(inspector.assignments.values_list("ended_on", flat=True)) == [DAY(2025, 2, 1)]


def test_invalid_inspector_saves_nothing(precinct):
    with pytest.raises(ValidationError) as exc:
        inspector_create(
            personnel_number="A-2",
            last_name="Ким",
            first_name="Виктор",
            rank=Inspector.Rank.CAPTAIN,
            precinct=precinct,
            messenger_url="not a url",
            personal_phone="call me",
        )
    assert codes(exc.value, "messenger_url") == ["invalid"]
    assert codes(exc.value, "personal_phone") == ["phone"]
    assert Inspector.objects.count() == 0
    assert Assignment.objects.count() == 0


def test_reception_station_must_be_in_the_precincts_district(precinct):
    far_station = StationFactory(district=DistrictFactory())
    inspector = InspectorFactory.build(precinct=precinct, station=far_station)
    with pytest.raises(ValidationError) as exc:
        inspector_save(inspector=inspector)
    assert codes(exc.value, "station") == ["station_district"]


def test_personnel_number_is_unique(inspector):
    with pytest.raises(ValidationError) as exc:
        InspectorFactory(personnel_number=inspector.personnel_number)
    assert codes(exc.value, "personnel_number") == ["unique"]


def test_one_open_assignment_per_inspector_in_the_database(inspector):
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(
            inspector=inspector, precinct=inspector.precinct, started_on=DAY(2025, 1, 1)
        )


def test_assignment_dates_checked_in_the_database(inspector):
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(
            inspector=inspector,
            precinct=inspector.precinct,
            started_on=DAY(2025, 1, 1),
            ended_on=DAY(2024, 1, 1),
        )


def test_inspector_list_has_no_query_per_row(django_assert_max_num_queries, precinct):
    for _ in range(30):
        AssistantFactory(inspector=InspectorFactory(precinct=precinct))
    with django_assert_max_num_queries(2):
        rows = [
            (i.full_name, i.precinct.district.region.name, len(i.assistants.all()))
            for i in inspector_list()
        ]
    assert len(rows) == 30


def test_dismissal_closes_the_assignment(inspector):
    inspector.status = Inspector.Status.DISMISSED
    inspector_save(inspector=inspector, on=DAY(2025, 9, 1))
    inspector.refresh_from_db()
    assert inspector.precinct is None
    assert list(inspector.assignments.values_list("ended_on", flat=True)) == [DAY(2025, 9, 1)]


def test_a_change_dated_before_the_open_assignment_is_rejected(inspector):
    inspector.precinct = PrecinctFactory(district=inspector.precinct.district)
    with pytest.raises(ValidationError) as exc:
        inspector_save(inspector=inspector, on=DAY(2019, 1, 1))  # appointed 2020-01-15
    assert exc.value.code == "change_before_assignment"
    assert list(inspector.assignments.values_list("ended_on", flat=True)) == [None]


def test_history_protects_inspectors_and_precincts_from_deletion(inspector):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        inspector.delete()
    with pytest.raises(ProtectedError):
        inspector.precinct.delete()
