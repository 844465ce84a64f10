"""Regions, districts with their precinct grids, settlements, stations and modular posts."""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.contrib.gis.geos import MultiPolygon, Point

from servicepolice import geo

from .. import data
from .grid import Grid


@dataclass
class PrecinctPlan:
    number: int
    name: str
    population: int
    geom: MultiPolygon
    station: str = ""  # number of its operating station, if any
    settlement: str = ""  # its largest settlement (rural districts)


@dataclass
class DistrictPlan:
    spec: data.DistrictSpec
    grid: Grid
    population: int
    precincts: list[PrecinctPlan]

    @property
    def geom(self) -> MultiPolygon:
        return self.grid.outline()


@dataclass
class FacilityPlan:
    district: str
    spec: data.StationSpec | data.PostSpec
    geom: Point
    phone: str


def settlement_point(spec: data.DistrictSpec, s: data.SettlementSpec) -> Point:
    point = geo.offset_point(*spec.centre, s.east_km * 1000, s.north_km * 1000)
    return Point(round(point.x, 6), round(point.y, 6), srid=4326)


def build_district(
    rng: random.Random,
    spec: data.DistrictSpec,
    grid: Grid,
    settlements: list[tuple[data.SettlementSpec, Point]],
) -> DistrictPlan:
    names = spec.precinct_names
    if len(names) != grid.size:
        raise ValueError(f"{spec.key}: {len(names)} precinct names for {grid.size} cells")
    if settlements:
        # Rural: a precinct holds its villages plus scattered farmsteads (3-12 % more).
        populations = []
        largest: dict[int, tuple[int, str]] = {}
        for number in range(1, grid.size + 1):
            inside = [(s, p) for s, p in settlements if grid.locate(p) == number]
            if not inside:
                raise ValueError(f"{spec.key}: precinct {number} has no settlement")
            total = sum(s.population for s, _ in inside)
            populations.append(int(round(total * rng.uniform(1.03, 1.12), -1)))
            largest[number] = max((s.population, s.name) for s, _ in inside)
        total_population = sum(populations)
    else:
        weights = [rng.uniform(0.6, 1.4) for _ in range(grid.size)]
        share = spec.population / sum(weights)
        populations = [int(w * share) // 10 * 10 for w in weights[:-1]]
        populations.append(spec.population - sum(populations))
        total_population = spec.population
        largest = {}
    precincts = [
        PrecinctPlan(
            number=n,
            name=names[n - 1],
            population=populations[n - 1],
            geom=grid.cell(n),
            settlement=largest.get(n, (0, ""))[1],
        )
        for n in range(1, grid.size + 1)
    ]
    return DistrictPlan(spec, grid, total_population, precincts)


def build_station(
    rng: random.Random,
    district: DistrictPlan,
    spec: data.StationSpec,
    settlements: list[tuple[data.SettlementSpec, Point]],
) -> FacilityPlan:
    if spec.settlement:
        village = next(p for s, p in settlements if s.name == spec.settlement)
        point = geo.offset_point(village.x, village.y, 150, 80)
        point = Point(round(point.x, 7), round(point.y, 7), srid=4326)
    else:
        point = district.grid.point(spec.precinct, spec.spot)
    if district.grid.locate(point) != spec.precinct:
        raise ValueError(f"Station {spec.number} of {spec.district} is not in its precinct")
    return FacilityPlan(spec.district, spec, point, landline(rng, district.spec.phone_code))


def build_post(rng: random.Random, district: DistrictPlan, spec: data.PostSpec) -> FacilityPlan:
    if spec.offset_m:
        point = geo.offset_point(*district.spec.centre, *spec.offset_m)
        point = Point(round(point.x, 7), round(point.y, 7), srid=4326)
    else:
        point = district.grid.point(spec.precinct, spec.spot)
    return FacilityPlan(spec.district, spec, point, landline(rng, district.spec.phone_code))


def landline(rng: random.Random, code: str) -> str:
    """A Kazakhstan landline: +7, the trunk code, and the local digits grouped by pairs."""
    local = str(rng.randint(2, 5)) + "".join(str(rng.randint(0, 9)) for _ in range(9 - len(code)))
    head = len(local) - 4  # 7 digits: 3-2-2, 6 digits: 2-2-2, 5 digits: 1-2-2
    pairs = [local[i : i + 2] for i in range(head, len(local), 2)]
    return f"+7 {code} " + "-".join([local[:head], *pairs])


def mobile(rng: random.Random) -> str:
    digits = "".join(str(rng.randint(0, 9)) for _ in range(7))
    return f"+7 {rng.choice(data.MOBILE_PREFIXES)} {digits[:3]} {digits[3:5]} {digits[5:]}"
