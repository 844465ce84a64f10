"""Quarterly compliance: each inspector owes MEETINGS_PER_QUARTER held quarterly report meetings
in the precinct they served on more than half of the quarter's days (README, "Quarterly
compliance")."""

import datetime

import pytest

from meetings.models import Meeting
from meetings.quarters import Quarter
from meetings.selectors import Level, State, compliance_report
from officers.models import Inspector
from officers.services import inspector_save
from tests.factories import (
    DistrictFactory,
    InspectorFactory,
    MeetingFactory,
    PrecinctFactory,
    RegionFactory,
)
from tests.meetings.conftest import local

pytestmark = pytest.mark.django_db

DAY = datetime.date
Q1 = Quarter(2025, 1)  # 90 days: 1 January to 31 March 2025


def held(inspector, when, precinct=None, **fields):
    return MeetingFactory(
        inspector=inspector,
        precinct=precinct or inspector.precinct,
        scheduled_at=when,
        held_at=when,
        **fields,
    )


def planned(inspector, when, precinct=None):
    return MeetingFactory(
        inspector=inspector,
        precinct=precinct or inspector.precinct,
        scheduled_at=when,
        held_at=None,
        status=Meeting.Status.PLANNED,
    )


def rows_by(report, key=lambda row: row.inspector.pk):
    return {key(row): row for row in report.rows}


@pytest.fixture
def five(district):
    """Five inspectors serving five precincts of one district since 2020."""
    return [
        InspectorFactory(precinct=PrecinctFactory(district=district, number=n)) for n in range(1, 6)
    ]


def test_owed_held_planned_and_missing(five):
    done, booked, idle, gathered, called_off = five
    held(done, local(2025, 2, 12))
    planned(booked, local(2025, 3, 28))
    held(gathered, local(2025, 2, 1), kind=Meeting.Kind.GATHERING)  # not a report meeting
    MeetingFactory(
        inspector=called_off,
        scheduled_at=local(2025, 3, 5),
        held_at=None,
        status=Meeting.Status.CANCELLED,
        cancel_reason="Буран",
    )

    report = compliance_report(quarter=Q1, today=DAY(2025, 3, 20))

    rows = rows_by(report)
    assert [rows[i.pk].state for i in five] == [
        State.HELD,
        State.PLANNED,
        State.MISSING,
        State.MISSING,
        State.MISSING,
    ]
    assert all(row.owed == 1 and row.days_served == 90 for row in report.rows)
    assert (rows[done.pk].held, rows[booked.pk].planned) == (1, 1)
    totals = report.totals
    assert (totals.owed, totals.held, totals.planned, totals.missing) == (5, 1, 1, 3)
    assert (totals.inspectors, totals.inspectors_missing) == (5, 3)
    # 11 days left, fewer than the 14 of MEETINGS_WARNING_DAYS: the three are at risk.
    assert report.days_left == 11
    assert {row.inspector for row in report.at_risk} == {idle, gathered, called_off}


def test_a_closed_quarter_counts_planned_meetings_as_missing(five):
    booked = five[1]
    planned(booked, local(2025, 3, 28))  # never recorded as held

    report = compliance_report(quarter=Q1, today=DAY(2025, 4, 10))

    row = rows_by(report)[booked.pk]
    assert (row.planned, row.state, row.missing) == (1, State.MISSING, 1)
    assert report.is_over and report.at_risk == []


def test_at_risk_only_within_the_warning_window(five, settings):
    early = compliance_report(quarter=Q1, today=DAY(2025, 3, 10))  # 21 days left
    assert early.at_risk == [] and early.totals.missing == 5

    settings.MEETINGS_WARNING_DAYS = 30
    assert len(compliance_report(quarter=Q1, today=DAY(2025, 3, 10)).at_risk) == 5


def test_a_meeting_at_2330_on_31_march_local_time_counts_for_the_first_quarter(inspector):
    held(inspector, local(2025, 3, 31, 23, 30))  # 18:30 UTC
    held(inspector, local(2025, 4, 1, 0, 30))  # 19:30 UTC on 31 March, but 1 April in Almaty

    q1 = rows_by(compliance_report(quarter=Q1, today=DAY(2025, 6, 1)))[inspector.pk]
    q2 = rows_by(compliance_report(quarter=Q1.next(), today=DAY(2025, 6, 1)))[inspector.pk]

    assert (q1.held, q1.state) == (1, State.HELD)
    assert (q2.held, q2.state) == (1, State.HELD)


def test_inspectors_joining_and_leaving_mid_quarter(district):
    p, q, r = (PrecinctFactory(district=district, number=n) for n in (1, 2, 3))
    mover = InspectorFactory(precinct=p)
    # 10 February: the mover leaves p for q (41 days in p, 50 in q); a newcomer takes p.
    mover.precinct = q
    inspector_save(inspector=mover, on=DAY(2025, 2, 10))
    newcomer = InspectorFactory(precinct=p, appointed_on=DAY(2025, 2, 10))
    # Appointed on 1 March: 31 days, less than half the quarter.
    late = InspectorFactory(precinct=r, appointed_on=DAY(2025, 3, 1))
    held(late, local(2025, 3, 20))

    report = compliance_report(quarter=Q1, today=DAY(2025, 4, 2))

    rows = rows_by(report, key=lambda row: (row.inspector.pk, row.precinct.pk))
    assert (rows[mover.pk, p.pk].days_served, rows[mover.pk, p.pk].owed) == (41, 0)
    assert rows[mover.pk, p.pk].state == State.NOT_OWED
    assert (rows[mover.pk, q.pk].days_served, rows[mover.pk, q.pk].owed) == (50, 1)
    assert (rows[newcomer.pk, p.pk].days_served, rows[newcomer.pk, p.pk].owed) == (50, 1)
    # The late joiner owes nothing, and the meeting they held still counts.
    row = rows[late.pk, r.pk]
    assert (row.days_served, row.owed, row.held, row.state) == (31, 0, 1, State.NOT_OWED)
    assert report.totals.held == 1 and report.totals.owed == 2


@pytest.mark.parametrize(
    "appointed, days, owed",
    [(DAY(2025, 2, 14), 46, 1), (DAY(2025, 2, 15), 45, 0)],  # more than half of 90 days
)
def test_more_than_half_of_the_quarter(precinct, appointed, days, owed):
    inspector = InspectorFactory(precinct=precinct, appointed_on=appointed)
    row = rows_by(compliance_report(quarter=Q1, today=DAY(2025, 4, 2)))[inspector.pk]
    assert (row.days_served, row.owed) == (days, owed)


def test_an_open_assignment_counts_to_the_end_of_the_quarter(precinct):
    inspector = InspectorFactory(precinct=precinct, appointed_on=DAY(2025, 2, 1))
    # Early in February only 16 days were served, but the assignment runs on.
    row = rows_by(compliance_report(quarter=Q1, today=DAY(2025, 2, 16)))[inspector.pk]
    assert (row.days_served, row.owed, row.state) == (59, 1, State.MISSING)


def test_dismissed_mid_quarter_after_serving_most_of_it(precinct):
    inspector = InspectorFactory(precinct=precinct)
    inspector.status = Inspector.Status.DISMISSED
    inspector_save(inspector=inspector, on=DAY(2025, 3, 10))
    row = rows_by(compliance_report(quarter=Q1, today=DAY(2025, 4, 2)))[inspector.pk]
    assert (row.days_served, row.owed, row.state) == (69, 1, State.MISSING)


def test_on_leave_is_excused_while_the_quarter_is_open_only(precinct):
    inspector = InspectorFactory(precinct=precinct, status=Inspector.Status.ON_LEAVE)

    open_quarter = rows_by(compliance_report(quarter=Q1, today=DAY(2025, 3, 25)))[inspector.pk]
    closed = rows_by(compliance_report(quarter=Q1, today=DAY(2025, 4, 25)))[inspector.pk]

    assert (open_quarter.on_leave, open_quarter.owed, open_quarter.at_risk) == (True, 0, False)
    assert open_quarter.state == State.NOT_OWED
    assert (closed.on_leave, closed.owed, closed.state) == (False, 1, State.MISSING)


def test_meetings_per_quarter_is_a_setting(five, settings):
    settings.MEETINGS_PER_QUARTER = 2
    one, two = five[:2]
    held(one, local(2025, 1, 20))
    held(two, local(2025, 1, 20))
    planned(two, local(2025, 3, 25))

    rows = rows_by(compliance_report(quarter=Q1, today=DAY(2025, 3, 1)))

    assert (rows[one.pk].owed, rows[one.pk].missing, rows[one.pk].state) == (2, 1, State.MISSING)
    assert (rows[two.pk].missing, rows[two.pk].state) == (0, State.PLANNED)


def test_sums_per_precinct_district_and_region():
    region = RegionFactory()
    north, south = DistrictFactory(region=region), DistrictFactory(region=region)
    shared = PrecinctFactory(district=north, number=1)
    a, b = InspectorFactory.create_batch(2, precinct=shared)  # two inspectors, one precinct
    c = InspectorFactory(precinct=PrecinctFactory(district=south, number=1))
    held(a, local(2025, 2, 5))
    held(c, local(2025, 2, 6))

    report = compliance_report(quarter=Q1, today=DAY(2025, 4, 2))

    (precinct_row, other) = sorted(report.groups(Level.PRECINCT), key=lambda g: g.id)
    assert (precinct_row.id, precinct_row.owed, precinct_row.held) == (shared.pk, 2, 1)
    assert (precinct_row.missing, precinct_row.inspectors_missing) == (1, 1)
    districts = {g.id: g for g in report.groups(Level.DISTRICT)}
    assert (districts[north.pk].owed, districts[north.pk].missing) == (2, 1)
    assert (districts[south.pk].owed, districts[south.pk].missing) == (1, 0)
    (whole,) = report.groups(Level.REGION)
    assert (whole.id, whole.owed, whole.held, whole.missing) == (region.pk, 3, 2, 1)
    only_south = compliance_report(quarter=Q1, district_id=south.pk, today=DAY(2025, 4, 2))
    assert [row.inspector for row in only_south.rows] == [c]
    assert len(compliance_report(quarter=Q1, region_id=region.pk).rows) == 3
    assert b in {row.inspector for row in report.rows}


def test_two_queries_whatever_the_number_of_inspectors(district, django_assert_num_queries):
    for n in range(1, 21):
        inspector = InspectorFactory(precinct=PrecinctFactory(district=district, number=n))
        held(inspector, local(2025, 2, n))
    with django_assert_num_queries(2):
        report = compliance_report(quarter=Q1, district_id=district.pk, today=DAY(2025, 4, 1))
        assert len(report.rows) == 20
        assert [str(row.district) for row in report.rows]  # loaded, not queried again
        assert [row.region.name for row in report.rows]
