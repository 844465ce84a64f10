"""Inspectors and their assistants, with the precinct changes their history records."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from .. import data
from .calendar import quarter_of, quarter_start, shift_quarter
from .territory import DistrictPlan, PrecinctPlan, landline, mobile

# Ranks follow years of service counted to this year, so they do not change with the clock.
SERVICE_COUNTED_TO = 2026
PERSONNEL_PREFIX = {
    "semey": "SEM",
    "oskemen": "UKG",
    "glubokoe": "GLB",
    "alatau": "ALT",
    "atyrau": "ATR",
}

# The personnel story told by the assignment history, dated relative to today so that it falls
# inside the meetings' window: in Semey the inspector of precinct 6 leaves the service, the
# inspector of precinct 5 takes precinct 6 over, and a newly appointed inspector takes precinct 5.
STORY_DISTRICT, STORY_FROM, STORY_TO = "semey", 5, 6


@dataclass
class AssistantPlan:
    last_name: str
    first_name: str
    middle_name: str
    phone: str


@dataclass
class InspectorPlan:
    district: str
    personnel_number: str
    last_name: str
    first_name: str
    middle_name: str
    rank: str
    position: str
    appointed_on: datetime.date
    precinct: int  # the first precinct
    moves: list[tuple[datetime.date, int | None]]  # later changes: (date, precinct or None)
    status: str
    station: str  # the final station's number, "" for none
    service_phone: str
    personal_phone: str
    messenger_url: str
    reception_hours: str
    assistants: list[AssistantPlan]

    @property
    def final_precinct(self) -> int | None:
        return self.moves[-1][1] if self.moves else self.precinct


def _feminine(surname: str) -> str:
    return surname + "а" if surname.endswith(("ов", "ев", "ёв", "ин")) else surname


def person(
    rng: random.Random, *, kazakh_share: float, female: bool, taken: set
) -> tuple[str, str, str]:
    """A full name (last, first, middle) not in `taken`, which it joins."""
    while True:
        if rng.random() < kazakh_share:
            last = rng.choice(data.KAZAKH_SURNAMES)
            first = rng.choice(data.KAZAKH_WOMEN if female else data.KAZAKH_MEN)
            middle = rng.choice(data.KAZAKH_FATHERS) + ("овна" if female else "ович")
        else:
            last = rng.choice(data.RUSSIAN_SURNAMES)
            first = rng.choice(data.RUSSIAN_WOMEN if female else data.RUSSIAN_MEN)
            middle = rng.choice(data.RUSSIAN_PATRONYMICS)[1 if female else 0]
        name = (_feminine(last) if female else last, first, middle)
        if name not in taken and not middle.startswith(first):
            taken.add(name)
            return name


def _day_between(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randint(0, (last - first).days))


def _rank(rng: random.Random, appointed: datetime.date) -> tuple[str, str]:
    years = SERVICE_COUNTED_TO - appointed.year
    if years >= 12:
        rank = "lieutenant_colonel" if rng.random() < 0.15 else "major"
    elif years >= 8:
        rank = rng.choice(("captain", "captain", "major"))
    elif years >= 4:
        rank = rng.choice(("senior_lieutenant", "captain"))
    else:
        rank = rng.choice(("lieutenant", "senior_lieutenant"))
    senior = rank in ("major", "lieutenant_colonel")
    return rank, "senior_inspector" if senior else "inspector"


def _officer(
    rng: random.Random,
    taken: set,
    district: DistrictPlan,
    number: str,
    precinct: int,
    appointed: datetime.date,
) -> InspectorPlan:
    spec = district.spec
    female = rng.random() < 0.15
    last, first, middle = person(rng, kazakh_share=spec.kazakh_share, female=female, taken=taken)
    rank, position = _rank(rng, appointed)
    whatsapp = mobile(rng)
    assistants = []
    for _ in range(rng.choice((1, 1, 2))):
        a_last, a_first, a_middle = person(
            rng, kazakh_share=spec.kazakh_share, female=rng.random() < 0.3, taken=taken
        )
        assistants.append(AssistantPlan(a_last, a_first, a_middle, mobile(rng)))
    return InspectorPlan(
        district=spec.key,
        personnel_number=number,
        last_name=last,
        first_name=first,
        middle_name=middle,
        rank=rank,
        position=position,
        appointed_on=appointed,
        precinct=precinct,
        moves=[],
        status="active",
        station="",
        service_phone=landline(rng, spec.phone_code),
        personal_phone=mobile(rng),
        # A service number for the residents' chat, never the personal one.
        messenger_url="https://wa.me/" + "".join(c for c in whatsapp if c.isdigit()),
        reception_hours=rng.choice(data.INSPECTOR_HOURS),
        assistants=assistants,
    )


def _nearest_station(district: DistrictPlan, precinct: int) -> str:
    """Number of the operating station in the precinct or in the nearest cell that has one."""
    col, row = district.grid.col_row(precinct)

    def gap(other: PrecinctPlan) -> tuple[int, int]:
        other_col, other_row = district.grid.col_row(other.number)
        return abs(col - other_col) + abs(row - other_row), other.number

    with_station = [p for p in district.precincts if p.station]
    return min(with_station, key=gap).station if with_station else ""


def build_inspectors(
    rng: random.Random, districts: list[DistrictPlan], today: datetime.date
) -> list[InspectorPlan]:
    taken: set = set()
    plans: list[InspectorPlan] = []
    for district in districts:
        key = district.spec.key
        numbers = iter(f"{PERSONNEL_PREFIX[key]}-{i:04d}" for i in range(1, 1000))
        leads = []
        for precinct in district.precincts:
            appointed = _day_between(rng, datetime.date(2011, 1, 10), datetime.date(2022, 12, 20))
            lead = _officer(rng, taken, district, next(numbers), precinct.number, appointed)
            # Some served another precinct of the district first (a closed assignment).
            if appointed.year < 2019 and rng.random() < 0.25:
                others = [p.number for p in district.precincts if p.number != precinct.number]
                lead.precinct = rng.choice(others)
                moved = _day_between(
                    rng, appointed + datetime.timedelta(days=700), datetime.date(2023, 6, 30)
                )
                lead.moves.append((moved, precinct.number))
            leads.append(lead)
            plans.append(lead)
            if district.spec.kind == "urban" and rng.random() < 0.15:
                second_appointed = _day_between(
                    rng, datetime.date(2021, 1, 11), datetime.date(2024, 12, 20)
                )
                plans.append(
                    _officer(rng, taken, district, next(numbers), precinct.number, second_appointed)
                )
        if key == STORY_DISTRICT:
            plans.append(_story(rng, taken, district, leads, next(numbers), today))
        if key == "oskemen":
            # Served precinct 3 for nine years and left the service long ago.
            veteran = _officer(rng, taken, district, next(numbers), 3, datetime.date(2010, 3, 1))
            veteran.moves.append((datetime.date(2019, 6, 28), None))
            veteran.status = "dismissed"
            plans.append(veteran)
    for plan in plans:
        if plan.final_precinct and plan.status == "active":
            district = next(d for d in districts if d.spec.key == plan.district)
            plan.station = _nearest_station(district, plan.final_precinct)
    on_leave = [p for p in plans if p.status == "active" and not p.moves]
    for plan in rng.sample(on_leave, 4):
        plan.status = "on_leave"
    return plans


def _story(
    rng: random.Random,
    taken: set,
    district: DistrictPlan,
    leads: list[InspectorPlan],
    number: str,
    today: datetime.date,
) -> InspectorPlan:
    """Dismiss the lead of STORY_TO, move STORY_FROM's lead there, appoint a newcomer."""
    year, quarter = quarter_of(today)
    start = quarter_start(*shift_quarter(year, quarter, -2))
    leaving = next(p for p in leads if p.final_precinct == STORY_TO)
    moving = next(p for p in leads if p.final_precinct == STORY_FROM)
    day = max(
        [start + datetime.timedelta(days=20)]
        + [p.appointed_on + datetime.timedelta(days=1) for p in (leaving, moving)]
        + [m[0] + datetime.timedelta(days=1) for p in (leaving, moving) for m in p.moves]
    )
    leaving.moves.append((day, None))
    leaving.status = "dismissed"
    moving.moves.append((day, STORY_TO))
    return _officer(rng, taken, district, number, STORY_FROM, day)
