"""Quarterly report meetings, gatherings and receptions, and residents' suggestions (no database).

Every quarter of the window, each precinct's inspector on duty that day reports to residents;
some precincts also hold a gathering or a reception. Past meetings were mostly held, a few
cancelled with a reason, a few never updated (still planned); this quarter's later meetings are
planned. Suggestions come from held meetings, and the older they are, the likelier they are
settled (resolved or rejected, with a date and an answer).
"""

from __future__ import annotations

import datetime
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from demo.data import texts
from meetings.quarters import Quarter

from .officers import Stint, serving
from .territory import DistrictShape, PrecinctShape, Territory

# Suggestion statuses by the meeting's age: (days up to, ((status, weight), ...)).
# Statuses the model does not have (an older or newer schema) are left out; "merged" needs an
# earlier suggestion of the same meeting to be merged into, else it becomes "resolved".
SUGGESTION_STATUSES = (
    (30, (("new", 50), ("forwarded", 30), ("in_progress", 20))),
    (
        180,
        (
            ("forwarded", 15),
            ("in_progress", 27),
            ("not_competent", 3),
            ("resolved", 37),
            ("rejected", 15),
            ("merged", 3),
        ),
    ),
    (
        None,
        (
            ("resolved", 70),
            ("rejected", 19),
            ("in_progress", 4),
            ("not_competent", 3),
            ("merged", 4),
        ),
    ),
)


@dataclass
class SuggestionPlan:
    text: str
    status: str
    resolution: str
    resolved_on: datetime.date | None
    merged_into: int | None = None  # index of the meeting's suggestion it was merged into


@dataclass
class MeetingPlan:
    precinct: PrecinctShape
    inspector_pk: int
    kind: str
    scheduled_at: datetime.datetime
    held_at: datetime.datetime | None
    status: str
    place: str
    lonlat: tuple[float, float] | None
    cancel_reason: str = ""
    attendees: int | None = None
    minutes: str = ""
    suggestions: list[SuggestionPlan] = field(default_factory=list)


def poisson(rng: random.Random, mean: float) -> int:
    """A Poisson-distributed count (Knuth's method: fine for small means)."""
    limit, product, count = math.exp(-mean), rng.random(), 0
    while product > limit:
        product *= rng.random()
        count += 1
    return count


def quarter_starts(first: datetime.date, today: datetime.date) -> list[datetime.date]:
    """First days of the quarters from the one holding `first` to the one holding `today`."""
    quarter, last = Quarter.of(first), Quarter.of(today)
    starts = []
    while quarter <= last:
        starts.append(quarter.first_day)
        quarter = quarter.next()
    return starts


def window_start(today: datetime.date, years: int) -> datetime.date:
    """The first day of the quarter `years` years before the current one (exclusive)."""
    return Quarter.of(today).shift(1 - years * 4).first_day


class MeetingMaker:
    def __init__(
        self,
        *,
        territory: Territory,
        stints: dict[int, list[Stint]],
        rng: random.Random,
        today: datetime.date,
        now: datetime.datetime,
        first_day: datetime.date,
        suggestions_per_meeting: float,
        time_zone: str,
        statuses: set[str],
    ) -> None:
        self.territory = territory
        self.stints = stints  # id(precinct) → stints of its posts
        self.rng = rng
        self.today = today
        self.now = now
        self.quarters = quarter_starts(first_day, today)
        self.tz = ZoneInfo(time_zone)
        self.mean_suggestions = suggestions_per_meeting
        self.statuses = statuses  # the suggestion statuses the model knows

    def for_district(self, district: DistrictShape) -> Iterator[MeetingPlan]:
        for precinct in district.precincts:
            for quarter in self.quarters:
                yield from self._quarter(district, precinct, quarter)

    def _quarter(
        self, district: DistrictShape, precinct: PrecinctShape, quarter: datetime.date
    ) -> Iterator[MeetingPlan]:
        rng = self.rng
        kinds = ["quarterly_report"]
        if rng.random() < 0.1:
            kinds.append("gathering")
        if rng.random() < 0.05:
            kinds.append("reception")
        for kind in kinds:
            day = quarter + datetime.timedelta(days=rng.randrange(3, 85))
            if day.weekday() == 6:
                day -= datetime.timedelta(days=1)
            on_duty = serving(self.stints[id(precinct)], min(day, self.today))
            if not on_duty:
                continue  # a vacancy: nobody to hold it
            inspector = rng.choice(on_duty).inspector
            hour = 11 if day.weekday() == 5 else 18
            scheduled = datetime.datetime(day.year, day.month, day.day, hour, 0, tzinfo=self.tz)
            yield self._meeting(district, precinct, inspector.pk, kind, scheduled)

    def _meeting(self, district, precinct, inspector_pk, kind, scheduled) -> MeetingPlan:
        rng = self.rng
        urban = district.kind == "urban"
        if urban:
            place = rng.choice(
                (
                    f"школа №{rng.choice(texts.SCHOOLS)}, актовый зал",
                    f"КСК «{rng.choice(texts.KSK_NAMES)}», двор дома {rng.randrange(1, 90)}",
                    "УПП, зал приёма граждан",
                )
            )
        else:
            village = next(
                (s.name for s in district.settlements if s.precinct is precinct), district.name
            )
            place = f"с. {village}, {rng.choice(('сельский клуб', 'школа', 'аппарат акима'))}"
        lonlat = None
        if rng.random() < 0.7:
            key = precinct.subcells[rng.randrange(len(precinct.subcells))]
            lonlat = self.territory.mesh.inner_point(
                key, rng.uniform(0.15, 0.85), rng.uniform(0.15, 0.85)
            )
        plan = MeetingPlan(
            precinct=precinct,
            inspector_pk=inspector_pk,
            kind=kind,
            scheduled_at=scheduled,
            held_at=None,
            status="planned",
            place=place,
            lonlat=lonlat,
        )
        if scheduled.date() >= self.today:
            return plan
        roll = rng.random()
        if roll < 0.07:
            plan.status = "cancelled"
            plan.cancel_reason = rng.choice(texts.CANCEL_REASONS)
        elif roll < 0.95:
            held = scheduled + datetime.timedelta(minutes=rng.randrange(0, 90))
            plan.status = "held"
            plan.held_at = min(held, self.now - datetime.timedelta(minutes=1))
            plan.attendees = rng.randrange(8, 160)
            topic = rng.choice(texts.TOPICS)
            plan.minutes = (
                f"Отчёт участкового инспектора о работе за квартал. Обсуждались вопросы {topic}."
            )
            plan.suggestions = self._suggestions(urban, scheduled.date())
        return plan

    def _suggestions(self, urban: bool, day: datetime.date) -> list[SuggestionPlan]:
        rng = self.rng
        count = poisson(rng, self.mean_suggestions)
        age = (self.today - day).days
        shares = next(s for limit, s in SUGGESTION_STATUSES if limit is None or age <= limit)
        shares = [(status, weight) for status, weight in shares if status in self.statuses]
        pool = texts.SUGGESTIONS if urban else texts.RURAL_SUGGESTIONS
        found = []
        for _ in range(count):
            spec = rng.choice(pool)
            status = rng.choices([s for s, _ in shares], weights=[w for _, w in shares])[0]
            merged_into = None
            if status == "merged":
                targets = [n for n, other in enumerate(found) if other.status != "merged"]
                if targets:
                    merged_into = targets[0]
                else:
                    status = "resolved"
            house = rng.randrange(1, 120)
            text = spec.text.format(
                street=rng.choice(("ул. Абая", "ул. Жамбыла", "ул. Сатпаева", "ул. Мира")),
                house=house,
                house2=house + rng.randrange(2, 30),
                school=rng.choice(texts.SCHOOLS),
            )
            resolved_on = None
            resolution = ""
            if status in ("resolved", "rejected", "merged"):
                resolved_on = min(day + datetime.timedelta(days=rng.randrange(5, 120)), self.today)
                resolution = spec.resolution if status == "resolved" else spec.rejection
            found.append(SuggestionPlan(text, status, resolution, resolved_on, merged_into))
        return found
