"""Regions, districts, precincts and settlements drawn on the lattice mesh (no database).

Regions grow from their real centres over the coarse cells; cities of republican significance
are compact blocks of cells, one cell per city district; each other town is one urban cell, an
enclave in the rural district around it. Rural districts grow from seeds spread over their
region, precincts from seeds spread over their district's sub-cells: every shape is a union of
mesh pieces, so the tessellation has no gaps and no overlaps at any level.
"""

from __future__ import annotations

import heapq
import math
import random
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

from django.contrib.gis.geos import MultiPolygon, Point, Polygon

from .mesh import FINE, Cell, Lattice, Mesh, union_all
from .places import OUTLINE, REGIONS, RURAL_DISTRICT_NAMES, VILLAGE_ENDS, VILLAGE_ROOTS, RegionSpec
from .scales import Scale

SubKey = tuple[int, int, int, int]
Progress = Callable[[str, int, int], None]


@dataclass
class PrecinctShape:
    number: int
    subcells: list[SubKey]
    geom: MultiPolygon | None = None
    population: int = 0
    pk: int | None = None


@dataclass
class SettlementPoint:
    name: str
    kato: str
    population: int
    lon: float
    lat: float
    precinct: PrecinctShape


@dataclass
class DistrictShape:
    name: str
    kato: str
    kind: str  # "urban" or "rural"
    cells: list[Cell]
    precincts: list[PrecinctShape] = field(default_factory=list)
    settlements: list[SettlementPoint] = field(default_factory=list)
    geom: MultiPolygon | None = None
    pk: int | None = None

    @property
    def population(self) -> int:
        return sum(p.population for p in self.precincts)


@dataclass
class RegionShape:
    spec: RegionSpec
    cells: list[Cell]
    districts: list[DistrictShape] = field(default_factory=list)
    geom: MultiPolygon | None = None
    pk: int | None = None


@dataclass
class Territory:
    mesh: Mesh
    regions: list[RegionShape]

    @property
    def districts(self) -> list[DistrictShape]:
        return [d for r in self.regions for d in r.districts]

    @property
    def precincts(self) -> list[PrecinctShape]:
        return [p for d in self.districts for p in d.precincts]


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Rough distance in km between two lon/lat points (equirectangular: for ordering only)."""
    coslat = math.cos(math.radians((a[1] + b[1]) / 2))
    return math.hypot((a[0] - b[0]) * 111.32 * coslat, (a[1] - b[1]) * 110.57)


def _grow(
    seeds: list[Hashable],
    members: set,
    neighbours: Callable[[Hashable], list],
    centre: Callable[[Hashable], tuple[float, float]],
) -> dict:
    """Assign each member to the seed nearest by path (Dijkstra over centre distances).

    Each part is connected; members no seed can reach are left out of the answer.
    """
    owner: dict = {}
    heap = [(0.0, n, seed, n) for n, seed in enumerate(seeds)]
    heapq.heapify(heap)
    while heap:
        dist, n, node, _ = heapq.heappop(heap)
        if node in owner:
            continue
        owner[node] = n
        here = centre(node)
        for other in neighbours(node):
            if other in members and other not in owner:
                heapq.heappush(heap, (dist + _km(here, centre(other)), n, other, 0))
    return owner


def _spread(rng: random.Random, items: list, count: int, centre: Callable) -> list:
    """`count` items spread out (farthest-point sampling from a random start)."""
    count = min(count, len(items))
    coslat = math.cos(math.radians(centre(items[0])[1]))
    xy = [(centre(item)[0] * 111.32 * coslat, centre(item)[1] * 110.57) for item in items]
    first = rng.randrange(len(items))
    chosen = [first]
    fx, fy = xy[first]
    best = [(x - fx) ** 2 + (y - fy) ** 2 for x, y in xy]
    while len(chosen) < count:
        far = max(range(len(items)), key=best.__getitem__)
        chosen.append(far)
        fx, fy = xy[far]
        best = [min(b, (x - fx) ** 2 + (y - fy) ** 2) for b, (x, y) in zip(best, xy, strict=True)]
    return [items[n] for n in chosen]


def _apportion(total: int, weights: list[float], minimum: int) -> list[int]:
    """Split `total` in proportion to weights (largest remainder), each at least `minimum`."""
    counts = [minimum] * len(weights)
    left = total - minimum * len(weights)
    if left <= 0 or not weights:
        return counts
    whole = sum(weights)
    shares = [left * w / whole for w in weights]
    counts = [c + int(s) for c, s in zip(counts, shares, strict=True)]
    order = sorted(range(len(weights)), key=lambda n: (-(shares[n] - int(shares[n])), n))
    for n in order[: total - sum(counts)]:
        counts[n] += 1
    return counts


class _Builder:
    def __init__(self, scale: Scale, seed: int, progress: Progress) -> None:
        self.scale = scale
        self.rng = random.Random(seed)
        self.seed = seed
        self.progress = progress
        self._centres: dict[SubKey, tuple[float, float]] = {}
        west, south, east, north = scale.bbox
        self.lattice = Lattice(
            seed=seed,
            west=west,
            south=south,
            dlon=scale.dlon,
            dlat=scale.dlat,
            cols=int((east - west) / scale.dlon),
            rows=int((north - south) / scale.dlat),
        )

    # ---- coarse cells ----
    def cell_centre(self, cell: Cell) -> tuple[float, float]:
        return self.lattice.point(FINE * cell[0] + FINE / 2, FINE * cell[1] + FINE / 2)

    def cell_neighbours(self, cell: Cell) -> list[Cell]:
        i, j = cell
        return [(i + 1, j), (i - 1, j), (i, j + 1), (i, j - 1)]

    def included_cells(self) -> list[Cell]:
        outline = Polygon(OUTLINE).prepared
        cells = []
        for i in range(self.lattice.cols):
            for j in range(self.lattice.rows):
                if outline.contains(Point(*self.cell_centre((i, j)))):
                    cells.append((i, j))
        return cells

    def nearest(self, cells, lon: float, lat: float) -> Cell:
        return min(cells, key=lambda c: (_km(self.cell_centre(c), (lon, lat)), c))

    def build(self) -> Territory:
        scale = self.scale
        specs = [s for s in REGIONS if scale.regions is None or s.kato in scale.regions]
        free = set(self.included_cells())
        regions: list[RegionShape] = []
        town_cells: dict[int, list[tuple[str, Cell]]] = {}
        # Cities of republican significance: a compact block, one cell per city district.
        for spec in specs:
            if not spec.city:
                continue
            block = sorted(free, key=lambda c: (_km(self.cell_centre(c), (spec.lon, spec.lat)), c))
            block = block[: len(spec.towns)]
            free -= set(block)
            region = RegionShape(spec=spec, cells=block)
            town_cells[id(region)] = []
            left = list(block)
            for town in spec.towns:
                cell = self.nearest(left, town.lon, town.lat)
                left.remove(cell)
                town_cells[id(region)].append((town.name, cell))
            regions.append(region)
        # Regions grow from their centres over the rest.
        oblasts = [s for s in specs if not s.city]
        seeds = [self.nearest(free, s.lon, s.lat) for s in oblasts]
        owner = _grow(seeds, free, self.cell_neighbours, self.cell_centre)
        for n, spec in enumerate(oblasts):
            cells = sorted(c for c, o in owner.items() if o == n)
            region = RegionShape(spec=spec, cells=cells)
            taken: set[Cell] = set()
            town_cells[id(region)] = []
            west, south, east, north = scale.bbox
            for town in spec.towns:
                if not (west <= town.lon <= east and south <= town.lat <= north):
                    continue
                options = [
                    c
                    for c in cells
                    if c not in taken and not any(x in taken for x in self.cell_neighbours(c))
                ]
                if len(options) < 3:
                    continue
                cell = self.nearest(options, town.lon, town.lat)
                taken.add(cell)
                town_cells[id(region)].append((town.name, cell))
            regions.append(region)
        regions.sort(key=lambda r: r.spec.kato)
        self.plan_districts(regions, town_cells)
        k = {}
        for region in regions:
            for district in region.districts:
                for cell in district.cells:
                    k[cell] = scale.urban_k if district.kind == "urban" else scale.rural_k
        self.mesh = Mesh(self.lattice, k)
        self.plan_precincts(regions)
        territory = Territory(mesh=self.mesh, regions=regions)
        self.draw(territory)
        self.place_settlements(territory)
        return territory

    def plan_districts(self, regions: list[RegionShape], towns: dict) -> None:
        urban = sum(len(towns[id(r)]) for r in regions)
        oblasts = [r for r in regions if not r.spec.city]
        rural_cells = [len(r.cells) - len(towns[id(r)]) for r in oblasts]
        rural = _apportion(max(self.scale.districts - urban, len(oblasts)), rural_cells, 1)
        names = list(RURAL_DISTRICT_NAMES)
        self.rng.shuffle(names)
        rural_count = dict(zip((id(r) for r in oblasts), rural, strict=True))
        for region in regions:
            serial = 0
            for name, cell in towns[id(region)]:
                serial += 1
                region.districts.append(
                    DistrictShape(
                        name=name,
                        kato=f"{region.spec.kato}{serial:02d}00000",
                        kind="urban",
                        cells=[cell],
                    )
                )
            if region.spec.city:
                continue
            town_set = {cell for _, cell in towns[id(region)]}
            left = [c for c in region.cells if c not in town_set]
            count = min(rural_count[id(region)], len(left))
            seeds = _spread(self.rng, left, count, self.cell_centre)
            owner = _grow(seeds, set(left), self.cell_neighbours, self.cell_centre)
            for cell in left:  # cut off by towns: joins the nearest seed's district
                if cell not in owner:
                    owner[cell] = min(
                        range(len(seeds)),
                        key=lambda n: _km(self.cell_centre(cell), self.cell_centre(seeds[n])),
                    )
            for n in range(len(seeds)):
                serial += 1
                region.districts.append(
                    DistrictShape(
                        name=f"{names[(serial * 7 + len(region.districts)) % len(names)]} район",
                        kato=f"{region.spec.kato}{serial:02d}00000",
                        kind="rural",
                        cells=sorted(c for c in left if owner[c] == n),
                    )
                )
            names = names[1:] + names[:1]

    # ---- precincts ----
    def subcell_centre(self, key: SubKey) -> tuple[float, float]:
        found = self._centres.get(key)
        if found is None:
            found = self._centres[key] = self.mesh.inner_point(key, 0.5, 0.5)
        return found

    def plan_precincts(self, regions: list[RegionShape]) -> None:
        scale = self.scale
        districts = [d for r in regions for d in r.districts]
        subcells = {
            id(d): [s.key for cell in d.cells for s in self.mesh.by_cell[cell]] for d in districts
        }
        counts: dict[int, int] = {}
        for d in districts:
            if d.kind == "urban":
                wanted = round(scale.urban_precincts * self.rng.uniform(0.8, 1.2))
                counts[id(d)] = max(2, min(wanted, len(subcells[id(d)]) // 3))
        rural = [d for d in districts if d.kind == "rural"]
        left = max(scale.precincts - sum(counts.values()), 2 * len(rural))
        for d, n in zip(
            rural, _apportion(left, [len(subcells[id(d)]) for d in rural], 2), strict=True
        ):
            counts[id(d)] = min(n, len(subcells[id(d)]) // 3)
        for d in districts:
            keys = subcells[id(d)]
            seeds = _spread(self.rng, keys, counts[id(d)], self.subcell_centre)
            owner = _grow(seeds, set(keys), self.mesh.neighbours, self.subcell_centre)
            for key in keys:
                if key not in owner:
                    owner[key] = min(
                        range(len(seeds)),
                        key=lambda n: _km(self.subcell_centre(key), self.subcell_centre(seeds[n])),
                    )
            # Numbered in reading order, north-west first, as a map is read.
            order = sorted(
                range(len(seeds)),
                key=lambda n: (-round(self.subcell_centre(seeds[n])[1], 2), seeds[n]),
            )
            for number, n in enumerate(order, start=1):
                members = sorted(key for key in keys if owner[key] == n)
                d.precincts.append(PrecinctShape(number=number, subcells=members))

    def draw(self, territory: Territory) -> None:
        precincts = territory.precincts
        done = 0
        for region in territory.regions:
            for district in region.districts:
                for precinct in district.precincts:
                    precinct.geom = self.mesh.union(precinct.subcells)
                    done += 1
                    if done % 100 == 0 or done == len(precincts):
                        self.progress("shapes", done, len(precincts))
                district.geom = union_all([p.geom for p in district.precincts])
            region.geom = union_all([d.geom for d in region.districts])

    # ---- settlements and population ----
    def place_settlements(self, territory: Territory) -> None:
        rng = self.rng
        rural = [d for d in territory.districts if d.kind == "rural"]
        weights = [sum(len(p.subcells) for p in d.precincts) for d in rural]
        counts = _apportion(self.scale.settlements, weights, 1) if rural else []
        for district, count in zip(rural, counts, strict=True):
            keys = [(key, p) for p in district.precincts for key in p.subcells]
            for serial in range(1, count + 1):
                key, precinct = keys[rng.randrange(len(keys))]
                lon, lat = self.mesh.inner_point(
                    key, rng.uniform(0.15, 0.85), rng.uniform(0.15, 0.85)
                )
                # Villages: a few hundred people, some thousands; the district centre is a town.
                population = 8000 + rng.randrange(12000) if serial == 1 else None
                population = population or int(min(rng.lognormvariate(6.2, 0.9), 9000)) + 20
                name = rng.choice(VILLAGE_ROOTS) + rng.choice(VILLAGE_ENDS)
                district.settlements.append(
                    SettlementPoint(
                        name=name,
                        kato=f"{district.kato[:4]}{serial:05d}",
                        population=population,
                        lon=lon,
                        lat=lat,
                        precinct=precinct,
                    )
                )
                precinct.population += population
        for district in territory.districts:
            if district.kind == "urban":
                for precinct in district.precincts:
                    precinct.population = 2500 + rng.randrange(7000)


def territory_build(*, scale: Scale, seed: int, progress: Progress | None = None) -> Territory:
    """Draw the territory of a scale for a seed: the same seed gives the same shapes."""
    return _Builder(scale, seed, progress or (lambda stage, done, total: None)).build()
