"""Inspectors with careers: who served which precinct when, and their assistants (no database).

Each precinct has one post (some city precincts two: a senior inspector's too). Its incumbent
at the start of the window was appointed years before. During the window inspectors leave the
service (dismissed); the post goes to a newcomer, or to an inspector of the same district
whose own post goes to the newcomer; now and then two inspectors swap posts. A few posts are
vacant today. The assignment history
is exactly these stints, so a meeting's inspector can be checked against it.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from demo.data import people

from .facilities import FacilityPlan
from .territory import DistrictShape, PrecinctShape, Territory

RANKS = (  # by years of service
    (15, "lieutenant_colonel"),
    (10, "major"),
    (6, "captain"),
    (3, "senior_lieutenant"),
    (0, "lieutenant"),
)
DAY = datetime.timedelta(days=1)


@dataclass
class Stint:
    post: Post
    start: datetime.date
    end: datetime.date | None = None  # inclusive; None: still serving
    inspector: InspectorPlan | None = None


@dataclass
class Post:
    precinct: PrecinctShape
    senior: bool
    stints: list[Stint] = field(default_factory=list)


@dataclass
class InspectorPlan:
    serial: int
    district: DistrictShape
    name: tuple[str, str, str]
    appointed_on: datetime.date
    stints: list[Stint] = field(default_factory=list)
    status: str = "active"
    station: FacilityPlan | None = None
    phone: str = ""
    personal_phone: str = ""
    assistants: list[tuple[tuple[str, str, str], str]] = field(default_factory=list)
    pk: int | None = None

    @property
    def current(self) -> Stint | None:
        return self.stints[-1] if self.stints and self.stints[-1].end is None else None

    def rank(self, today: datetime.date) -> str:
        years = (today - self.appointed_on).days // 365
        return next(rank for least, rank in RANKS if years >= least)


def mobile(rng: random.Random) -> str:
    prefix = rng.choice(people.MOBILE_PREFIXES)
    return (
        f"+7 {prefix} {rng.randrange(100, 1000)} {rng.randrange(10, 100)} {rng.randrange(10, 100)}"  # noqa: E501
    )


def person(rng: random.Random, *, female: bool) -> tuple[str, str, str]:
    """A full name (last, first, middle): Kazakh three times in four."""
    if rng.random() < 0.75:
        last = rng.choice(people.KAZAKH_SURNAMES)
        first = rng.choice(people.KAZAKH_WOMEN if female else people.KAZAKH_MEN)
        middle = rng.choice(people.KAZAKH_FATHERS) + ("овна" if female else "ович")
    else:
        last = rng.choice(people.RUSSIAN_SURNAMES)
        first = rng.choice(people.RUSSIAN_WOMEN if female else people.RUSSIAN_MEN)
        middle = rng.choice(people.RUSSIAN_PATRONYMICS)[1 if female else 0]
    if female and last.endswith(("ов", "ев", "ёв", "ин")):
        last += "а"
    return last, first, middle


def officers_plan(
    *,
    territory: Territory,
    facilities: list[FacilityPlan],
    inspectors: int,
    rng: random.Random,
    window_start: datetime.date,
    today: datetime.date,
) -> list[InspectorPlan]:
    """About `inspectors` inspectors (dismissed ones included) with their stints."""
    precincts = territory.precincts
    seniors = max(0, min(len(precincts) // 10, inspectors - len(precincts)) // 3)
    urban = [p for d in territory.districts if d.kind == "urban" for p in d.precincts]
    senior_ids = {id(p) for p in rng.sample(urban, min(seniors, len(urban)))}
    # Each departure with a successor brings in one newcomer: posts + departures = inspectors.
    departures = max(0.0, inspectors / (len(precincts) + len(senior_ids)) - 1)
    days = (today - window_start).days
    plans: list[InspectorPlan] = []

    def newcomer(district: DistrictShape, post: Post, start: datetime.date) -> None:
        plan = InspectorPlan(
            serial=len(plans) + 1,
            district=district,
            name=person(rng, female=rng.random() < 0.08),
            appointed_on=start,
        )
        plans.append(plan)
        serve(plan, post, start)

    def serve(plan: InspectorPlan, post: Post, start: datetime.date) -> None:
        stint = Stint(post=post, start=start, inspector=plan)
        post.stints.append(stint)
        plan.stints.append(stint)

    def holder(post: Post, day: datetime.date) -> Stint | None:
        """The open stint that began before `day` (None: vacant, or a newcomer not yet in)."""
        last = post.stints[-1]
        return last if last.end is None and last.start < day else None

    def when() -> datetime.date:
        return window_start + datetime.timedelta(days=rng.randrange(30, max(days - 30, 31)))

    for district in territory.districts:
        posts = [Post(p, senior=False) for p in district.precincts]
        posts += [Post(p, senior=True) for p in district.precincts if id(p) in senior_ids]
        events: list[tuple[datetime.date, str, int, int]] = []
        for n, post in enumerate(posts):
            appointed = window_start - datetime.timedelta(days=rng.randrange(120, 16 * 365))
            newcomer(district, post, appointed)
            for _ in range(int(departures) + (rng.random() < departures % 1)):
                events.append((when(), "leave", n, 0))
            if rng.random() < 0.05 and len(posts) > 1:
                events.append((when(), "swap", n, rng.randrange(len(posts))))
            if rng.random() < 0.04:  # vacant today: the last inspector left this year
                day = today - datetime.timedelta(days=rng.randrange(20, 240))
                events.append((day, "vacate", n, 0))
        events.sort()
        for day, kind, n, m in events:
            post = posts[n]
            current = holder(post, day)
            if current is None:
                continue
            if kind == "swap":
                other = holder(posts[m], day)
                if other is None or other is current:
                    continue
                current.end = other.end = day
                serve(current.inspector, posts[m], day)
                serve(other.inspector, post, day)
                continue
            current.end = day  # leaves the service
            if kind == "vacate":
                continue
            gap = datetime.timedelta(days=rng.randrange(5, 90) if rng.random() < 0.15 else 0)
            movers = [(k, s) for k, p in enumerate(posts) if k != n and (s := holder(p, day))]
            if movers and rng.random() < 0.5:
                # An inspector of the district takes the post over; a newcomer takes theirs.
                k, mover = movers[rng.randrange(len(movers))]
                mover.end = day
                serve(mover.inspector, post, day)
                newcomer(district, posts[k], day + gap)
            else:
                newcomer(district, post, day + gap)
    for plan in plans:
        if plan.stints[-1].start > today:  # appointed after the window: never came
            plan.stints[-1].post.stints.remove(plan.stints[-1])
            plan.stints.pop()
    plans = [plan for plan in plans if plan.stints]
    for serial, plan in enumerate(plans, start=1):
        plan.serial = serial
        if plan.current is None:
            plan.status = "dismissed"
        else:
            plan.status = "on_leave" if rng.random() < 0.07 else "active"
            plan.phone = f"+7 7{rng.randrange(10, 30)} {rng.randrange(20, 80)}-{rng.randrange(10, 99)}-{rng.randrange(10, 99)}"  # noqa: E501
            plan.assistants = [
                (person(rng, female=rng.random() < 0.3), mobile(rng))
                for _ in range(rng.choices((0, 1, 2), weights=(10, 60, 30))[0])
            ]
        plan.personal_phone = mobile(rng)
    _reception_stations(plans, facilities, rng)
    return plans


def _reception_stations(
    plans: list[InspectorPlan], facilities: list[FacilityPlan], rng: random.Random
) -> None:
    """Each serving inspector receives residents at their precinct's station, else at another
    operating station of the district, else nowhere."""
    by_precinct: dict[int, FacilityPlan] = {}
    by_district: dict[int, list[FacilityPlan]] = {}
    for facility in facilities:
        if facility.kind != "station" or facility.status != "operating":
            continue
        by_precinct.setdefault(id(facility.precinct), facility)
        by_district.setdefault(id(facility.district), []).append(facility)
    for plan in plans:
        current = plan.current
        if current is None:
            continue
        plan.station = by_precinct.get(id(current.post.precinct))
        if plan.station is None and by_district.get(id(plan.district)) and rng.random() < 0.7:
            plan.station = rng.choice(by_district[id(plan.district)])


def serving(precinct_stints: list[Stint], day: datetime.date) -> list[Stint]:
    """The stints of a precinct that cover a day (the end day counts: hand-over day)."""
    return [s for s in precinct_stints if s.start <= day and (s.end is None or day <= s.end)]
