"""Fixtures for the meetings tests: a held meeting, and suggestions recorded through the
service (routed, with a history), as the admin, the API and the demo record them."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

from meetings.services import suggestion_save
from tests.factories import (
    CategoryFactory,
    MeetingFactory,
    ResponsibleBodyFactory,
    RoutingRuleFactory,
    SuggestionFactory,
)

ALMATY = ZoneInfo("Asia/Almaty")


def local(year: int, month: int, day: int, hour: int = 18, minute: int = 0) -> datetime.datetime:
    """An aware datetime in Almaty's local time."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=ALMATY)


@pytest.fixture
def held(inspector):
    """A report meeting held on 10 March 2025 at 18:00 local time."""
    when = local(2025, 3, 10)
    return MeetingFactory(inspector=inspector, scheduled_at=when, held_at=when)


@pytest.fixture
def lighting():
    return CategoryFactory(code="lighting")


@pytest.fixture
def route(held, lighting):
    """The district's own route for lighting: its housing department, 20 days."""
    return RoutingRuleFactory(
        category=lighting,
        district=held.precinct.district,
        body=ResponsibleBodyFactory(name="Отдел ЖКХ акимата города Семей"),
        deadline_days=20,
    )


@pytest.fixture
def record(held, lighting):
    """Record a suggestion at the held meeting (or another) through the service."""

    def make(text: str = "Установить фонари во дворе дома 12.", **fields):
        fields.setdefault("meeting", held)
        fields.setdefault("category", lighting)
        return suggestion_save(suggestion=SuggestionFactory.build(text=text, **fields))

    return make
