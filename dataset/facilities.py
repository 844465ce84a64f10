"""Stations and modular posts for the synthetic territory, in every status (no database)."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from .places import STREETS
from .territory import DistrictShape, PrecinctShape, Territory, _apportion

# Shares of each status (operating, planned, under construction, closed).
STATION_STATUSES = (("operating", 72), ("planned", 10), ("under_construction", 8), ("closed", 10))
POST_STATUSES = (("operating", 80), ("planned", 8), ("under_construction", 5), ("closed", 7))
PLACEMENTS = ("square", "park", "market", "transport_hub", "residential", "other")
STATION_HOURS = (
    "пн–пт 09:00–18:00, сб 10:00–14:00",
    "пн–пт 09:00–20:00",
    "ежедневно 09:00–21:00",
    "вт, чт 18:00–20:00; сб 10:00–13:00",
)


@dataclass
class FacilityPlan:
    kind: str  # "station" or "post"
    district: DistrictShape
    precinct: PrecinctShape | None
    number: str
    name: str
    address: str
    lon: float
    lat: float
    status: str
    opened_on: datetime.date | None
    closed_on: datetime.date | None
    round_the_clock: bool
    phone: str
    placement: str = ""
    combined_with_housing: bool = False
    on_police_balance_since: datetime.date | None = None
    reception_hours: str = ""
    pk: int | None = None


def landline(rng: random.Random) -> str:
    return f"+7 7{rng.randrange(10, 30)} {rng.randrange(20, 80)}-{rng.randrange(10, 99)}-{rng.randrange(10, 99)}"  # noqa: E501


def _status(rng: random.Random, shares) -> str:
    return rng.choices([s for s, _ in shares], weights=[w for _, w in shares])[0]


def _dates(rng: random.Random, status: str, today: datetime.date):
    if status in ("planned", "under_construction"):
        return None, None
    opened = today - datetime.timedelta(days=rng.randrange(60, 15 * 365))
    closed = None
    if status == "closed":
        closed = opened + datetime.timedelta(days=rng.randrange(30, max((today - opened).days, 31)))
        closed = min(closed, today)
    return opened, closed


def facilities_plan(
    *, territory: Territory, stations: int, posts: int, rng: random.Random, today: datetime.date
) -> list[FacilityPlan]:
    """Stations (with precinct, number, hours) and posts spread over the districts: cities get
    more per precinct than the countryside, posts mostly in cities."""
    mesh = territory.mesh
    districts = territory.districts
    station_weights = [len(d.precincts) * (1.5 if d.kind == "urban" else 0.8) for d in districts]
    post_weights = [len(d.precincts) * (3.0 if d.kind == "urban" else 0.3) for d in districts]
    plans: list[FacilityPlan] = []
    # The first facilities of each kind take each status once, so every status is there.
    pending = {"station": [s for s, _ in STATION_STATUSES], "post": [s for s, _ in POST_STATUSES]}
    for district, n_stations, n_posts in zip(
        districts,
        _apportion(stations, station_weights, 0),
        _apportion(posts, post_weights, 0),
        strict=True,
    ):
        order = list(district.precincts)
        rng.shuffle(order)
        for serial in range(1, n_stations + n_posts + 1):
            is_station = serial <= n_stations
            precinct = order[(serial - 1) % len(order)]
            key = precinct.subcells[rng.randrange(len(precinct.subcells))]
            lon, lat = mesh.inner_point(key, rng.uniform(0.15, 0.85), rng.uniform(0.15, 0.85))
            status = _status(rng, STATION_STATUSES if is_station else POST_STATUSES)
            kind = "station" if is_station else "post"
            if pending[kind]:
                status = pending[kind].pop()
            opened, closed = _dates(rng, status, today)
            street = rng.choice(STREETS)
            address = f"{street}, {rng.randrange(1, 180)}"
            if district.kind == "rural" and district.settlements:
                near = [s for s in district.settlements if s.precinct is precinct]
                village = (near or district.settlements)[0].name
                address = f"с. {village}, {address}"
            plan = FacilityPlan(
                kind="station" if is_station else "post",
                district=district,
                precinct=precinct if is_station else None,
                number=f"№{serial}" if is_station else "",
                name="",
                address=address,
                lon=lon,
                lat=lat,
                status=status,
                opened_on=opened,
                closed_on=closed,
                round_the_clock=rng.random() < (0.15 if is_station else 0.7),
                phone=landline(rng),
            )
            if is_station:
                plan.name = f"УПП {street.split(' ', 1)[-1]}" if rng.random() < 0.3 else ""
                plan.combined_with_housing = district.kind == "rural" and rng.random() < 0.3
                if opened and rng.random() < 0.6:
                    plan.on_police_balance_since = opened
                plan.reception_hours = rng.choice(STATION_HOURS)
            else:
                plan.placement = rng.choice(PLACEMENTS)
                plan.name = f"Модульный пост, {street}"
            plans.append(plan)
    return plans
