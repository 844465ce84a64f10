"""Report meetings, gatherings and receptions of the last four quarters and the next one.

Each precinct and quarter draws from its own Random seeded with their names, so a quarter
yields the same meetings whatever day the loader runs in it, and reruns find them.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.contrib.gis.geos import Point

from .. import data
from .calendar import TZ, quarter_of, quarter_start, shift_quarter
from .territory import DistrictPlan, FacilityPlan, PrecinctPlan


@dataclass(eq=False)
class SuggestionPlan:
    text: str
    category: str
    status: str
    resolution: str = ""
    resolved_on: datetime.date | None = None
    external_ref: str = ""  # the resident's e-Otinish appeal, for some
    merge_into: SuggestionPlan | None = None  # status "merged": the earlier one it joins


@dataclass
class MeetingPlan:
    district: str
    precinct: int
    kind: str
    scheduled_at: datetime.datetime
    status: str
    place: str
    geom: Point
    attendees: int | None = None
    cancel_reason: str = ""
    minutes: str = ""  # {inspector}, {reported}, {ending}: filled in once the inspector is known
    suggestions: list[SuggestionPlan] = field(default_factory=list)


def _at(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def build_meetings(
    districts: list[DistrictPlan],
    stations: list[FacilityPlan],
    settlements: list[tuple[data.SettlementSpec, Point]],
    today: datetime.date,
) -> list[MeetingPlan]:
    """Report meetings for the last four quarters and the next one, gatherings, receptions."""
    year, quarter = quarter_of(today)
    quarters = [shift_quarter(year, quarter, k) for k in (-3, -2, -1, 0, 1)]
    station_at = {(s.district, s.spec.number): s for s in stations}
    village_at = {s.name: p for s, p in settlements}
    plans = []
    for district in districts:
        for precinct in district.precincts:
            place = _Place(district, precinct, station_at, village_at)
            start = len(plans)
            upcoming = False
            for y, q in quarters:
                reports = _report(place, y, q, today)
                # The next quarter's report is planned once this quarter's has taken place.
                if (y, q) > (year, quarter) and upcoming:
                    continue
                upcoming = upcoming or any(m.status == "planned" for m in reports)
                plans += reports
                if (y, q) <= (year, quarter):
                    plans += _extra(place, y, q, today)
            _mark_merges(place, plans[start:])
    return plans


# Open statuses a repeated suggestion may be merged from and into.
MERGEABLE = ("new", "forwarded", "in_progress")


def _mark_merges(place: _Place, meetings: list[MeetingPlan]) -> None:
    """Residents raise the same kind of problem again: now and then a later open suggestion of a
    precinct joins the earliest open one of its category."""
    r = random.Random(f"{place.key}|merge")
    first: dict[str, SuggestionPlan] = {}
    for meeting in sorted(meetings, key=lambda m: m.scheduled_at):
        for suggestion in meeting.suggestions:
            if suggestion.status not in MERGEABLE:
                continue
            target = first.setdefault(suggestion.category, suggestion)
            if target is not suggestion and r.random() < 0.5:
                suggestion.status, suggestion.merge_into = "merged", target


@dataclass
class _Place:
    district: DistrictPlan
    precinct: PrecinctPlan
    station_at: dict
    village_at: dict

    @property
    def key(self) -> str:
        return f"{data.SEED}|{self.district.spec.kato}|{self.precinct.number}"

    @property
    def rural(self) -> bool:
        return self.district.spec.kind == "rural"

    def station(self) -> FacilityPlan | None:
        return self.station_at.get((self.district.spec.key, self.precinct.station))

    def pick(self, r: random.Random) -> tuple[str, Point]:
        """Where a meeting is held: the station, a school, a KSK office or the village club."""
        roll, school, ksk = r.random(), r.choice(data.SCHOOLS), r.choice(data.KSK_NAMES)
        spot = (r.uniform(0.2, 0.8), r.uniform(0.2, 0.8))
        town = self.district.spec.town
        if self.rural:
            village = self.precinct.settlement
            return f"Дом культуры, {town}, {village}", self.village_at[village]
        station = self.station()
        if station and roll < 0.4:
            return f"УПП {station.spec.number}, {station.spec.address}", station.geom
        point = self.district.grid.point(self.precinct.number, spot)
        if roll < 0.75:
            return f"Актовый зал школы №{school}, {town}", point
        return f"Помещение КСК «{ksk}», {town}", point


def _report(place: _Place, year: int, quarter: int, today: datetime.date) -> list[MeetingPlan]:
    r = random.Random(f"{place.key}|report|{year}Q{quarter}")
    day = quarter_start(year, quarter) + datetime.timedelta(days=r.randint(25, 80))
    when = _at(day, r.choice((11, 15, 18, 18, 19)), r.choice((0, 0, 30)))
    where, point = place.pick(r)
    attendees = r.randint(12, 60) if place.rural else r.randint(25, 140)
    cancel_roll, reason = r.random(), r.choice(data.CANCEL_REASONS)
    facts = (r.randint(20, 140), r.randint(15, 90), r.randint(3, 40))
    topics = r.sample(data.TOPICS, 2)
    suggestions = r.choice((0, 1, 1, 2, 2, 3))
    base = dict(
        district=place.district.spec.key,
        precinct=place.precinct.number,
        kind="quarterly_report",
        place=where,
        geom=point,
    )
    if day >= today:
        return [MeetingPlan(scheduled_at=when, status="planned", **base)]
    minutes = (
        "{inspector} {reported} о работе на административном участке "
        f"№{place.precinct.number} ({place.precinct.name}) за {quarter} квартал {year} года. "
        f"Зарегистрировано обращений граждан: {facts[0]}; проведено профилактических бесед: "
        f"{facts[1]}; выявлено административных правонарушений: {facts[2]}. "
        f"Жители обсудили вопросы {topics[0]} и {topics[1]}. "
        f"Поступило предложений: {suggestions}."
    )
    held = dict(status="held", attendees=attendees, minutes=minutes)
    if cancel_roll >= 0.07:
        return [
            MeetingPlan(
                scheduled_at=when,
                suggestions=_suggestions(r, place, suggestions, day, today),
                **held,
                **base,
            )
        ]
    cancelled = MeetingPlan(scheduled_at=when, status="cancelled", cancel_reason=reason, **base)
    later = day + datetime.timedelta(days=14)
    if later >= today:
        return [cancelled, MeetingPlan(scheduled_at=when + (later - day), status="planned", **base)]
    rescheduled = MeetingPlan(
        scheduled_at=when + (later - day),
        suggestions=_suggestions(r, place, suggestions, later, today),
        **held,
        **base,
    )
    return [cancelled, rescheduled]


def _extra(place: _Place, year: int, quarter: int, today: datetime.date) -> list[MeetingPlan]:
    """Now and then a gathering (сход) or a reception at the station."""
    r = random.Random(f"{place.key}|extra|{year}Q{quarter}")
    roll = r.random()
    day = quarter_start(year, quarter) + datetime.timedelta(days=r.randint(5, 85))
    when = _at(day, r.choice((10, 16, 18)), 0)
    where, point = place.pick(r)
    topics = r.sample(data.TOPICS, 2)
    station = place.station()
    if (place.rural and roll < 0.5) or (not place.rural and 0.25 <= roll < 0.35):
        kind, count, attendees = "gathering", r.choice((0, 1, 2)), r.randint(15, 90)
        minutes = (
            f"Сход жителей ({place.precinct.name}). Обсуждались вопросы {topics[0]} и "
            f"{topics[1]}. {{inspector}} разъяснил{{ending}} порядок обращения к участковому "
            "и по номеру 102."
        )
    elif not place.rural and station and roll < 0.25:
        kind, count, attendees = "reception", r.choice((0, 0, 1)), r.randint(3, 15)
        where, point = f"УПП {station.spec.number}, {station.spec.address}", station.geom
        minutes = (
            f"Приём граждан в УПП {station.spec.number}. Принято обращений: {attendees}; "
            f"основные темы — вопросы {topics[0]} и {topics[1]}."
        )
    else:
        return []
    base = dict(
        district=place.district.spec.key,
        precinct=place.precinct.number,
        kind=kind,
        scheduled_at=when,
        place=where,
        geom=point,
    )
    if day >= today:
        return [MeetingPlan(status="planned", **base)]
    return [
        MeetingPlan(
            status="held",
            attendees=attendees,
            minutes=minutes,
            suggestions=_suggestions(r, place, count, day, today),
            **base,
        )
    ]


# Suggestion status by the meeting's age in days: cumulative shares.
STATUS_SHARES = (
    (120, ((0.55, "resolved"), (0.7, "rejected"), (0.9, "in_progress"), (1.0, "forwarded"))),
    (
        45,
        (
            (0.3, "resolved"),
            (0.4, "rejected"),
            (0.7, "in_progress"),
            (0.95, "forwarded"),
            (1.0, "new"),
        ),
    ),
    (0, ((0.4, "new"), (0.75, "forwarded"), (0.95, "in_progress"), (1.0, "resolved"))),
)


def _suggestions(
    r: random.Random, place: _Place, count: int, day: datetime.date, today: datetime.date
) -> list[SuggestionPlan]:
    pool = data.RURAL_SUGGESTIONS + data.SUGGESTIONS[:4] if place.rural else data.SUGGESTIONS
    streets = place.district.spec.streets
    age = (today - day).days
    shares = next(s for limit, s in STATUS_SHARES if age >= limit)
    plans = []
    for spec in r.sample(pool, count):
        house = r.randint(1, 120)
        text = spec.text.format(
            street=r.choice(streets),
            house=house,
            house2=house + r.randint(4, 30),
            school=r.choice(data.SCHOOLS),
        )
        roll, delay = r.random(), r.randint(5, 90)
        status = next(name for share, name in shares if roll < share)
        # A draw of its own, so the suggestions and meetings above stay what they were.
        extra = random.Random(f"{place.key}|route|{text}")
        if status in ("forwarded", "in_progress") and extra.random() < 0.15:
            status = "not_competent"
        ref = f"ЖТ-{day.year}-{extra.randint(1, 99_999_999):08d}" if extra.random() < 0.3 else ""
        if status in ("resolved", "rejected"):
            decided = day + datetime.timedelta(days=min(delay, age - 1))
            if decided <= day:
                plans.append(SuggestionPlan(text, spec.category, "new", external_ref=ref))
                continue
            resolution = spec.resolution if status == "resolved" else spec.rejection
            plans.append(SuggestionPlan(text, spec.category, status, resolution, decided, ref))
        else:
            plans.append(SuggestionPlan(text, spec.category, status, external_ref=ref))
    return plans
