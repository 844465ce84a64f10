"""Quarters are calendar quarters in Almaty's local time: a meeting at 23:30 on 31 March local
time (18:30 UTC) belongs to the first quarter, one at 00:30 on 1 April to the second."""

import datetime

import pytest

from meetings.models import Meeting
from meetings.quarters import Quarter
from tests.factories import MeetingFactory
from tests.meetings.conftest import local

DAY = datetime.date


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2026Q3", Quarter(2026, 3)),
        ("2026q1", Quarter(2026, 1)),
        (" 2025-Q4 ", Quarter(2025, 4)),
    ],
)
def test_parse(text, expected):
    assert Quarter.parse(text) == expected
    assert str(expected) == f"{expected.year}Q{expected.number}"


@pytest.mark.parametrize("text", ["", "2026", "2026Q5", "2026Q0", "Q3 2026", "1999Q1", "2026Q3x"])
def test_parse_refuses(text):
    with pytest.raises(ValueError, match="2026Q3"):
        Quarter.parse(text)


def test_bounds_are_local_midnights():
    q1 = Quarter(2025, 1)
    assert (q1.first_day, q1.last_day, q1.days) == (DAY(2025, 1, 1), DAY(2025, 3, 31), 90)
    assert q1.start == local(2025, 1, 1, 0)
    assert q1.end == local(2025, 4, 1, 0) == Quarter(2025, 2).start
    # Almaty is UTC+5: the first quarter ends at 19:00 UTC on 31 March.
    assert q1.end.astimezone(datetime.UTC) == datetime.datetime(
        2025, 3, 31, 19, tzinfo=datetime.UTC
    )
    assert Quarter(2024, 1).days == 91  # leap year
    assert Quarter(2025, 4).last_day == DAY(2025, 12, 31)


def test_shift_across_years():
    assert Quarter(2025, 1).previous() == Quarter(2024, 4)
    assert Quarter(2025, 4).next() == Quarter(2026, 1)
    assert Quarter(2025, 2).shift(-5) == Quarter(2024, 1)
    assert Quarter(2025, 2).label == "II квартал 2025 г."


def test_a_moment_belongs_to_the_quarter_of_its_local_date():
    late = local(2025, 3, 31, 23, 30)
    assert late.astimezone(datetime.UTC).date() == DAY(2025, 3, 31)
    assert Quarter.of(late) == Quarter(2025, 1)
    assert Quarter.of(local(2025, 4, 1, 0, 30)) == Quarter(2025, 2)
    # 00:30 on 1 April in Almaty is still 31 March in UTC: the local date decides.
    assert local(2025, 4, 1, 0, 30).astimezone(datetime.UTC).date() == DAY(2025, 3, 31)
    assert Quarter(2025, 1).contains(late) and not Quarter(2025, 2).contains(late)


def test_days_left():
    q = Quarter(2025, 4)
    assert q.days_left(DAY(2025, 12, 31)) == 0
    assert q.days_left(DAY(2025, 12, 18)) == 13
    assert q.days_left(DAY(2025, 9, 1)) == q.days
    assert q.days_left(DAY(2026, 1, 5)) == 0


@pytest.mark.django_db
def test_meetings_in_quarter_by_local_time(inspector):
    late = local(2025, 3, 31, 23, 30)
    early = local(2025, 4, 1, 0, 30)
    march = MeetingFactory(inspector=inspector, scheduled_at=late, held_at=late)
    april = MeetingFactory(inspector=inspector, scheduled_at=early, held_at=early)
    # Planned for Q1, held early in Q2: the day it was held counts.
    moved = MeetingFactory(
        inspector=inspector,
        scheduled_at=local(2025, 3, 28),
        held_at=local(2025, 4, 2),
    )
    q1 = set(Meeting.objects.in_quarter(Quarter(2025, 1)))
    q2 = set(Meeting.objects.in_quarter(Quarter(2025, 2)))
    assert q1 == {march}
    assert q2 == {april, moved}
