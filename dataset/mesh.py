"""A seeded lattice mesh whose shapes share every border exactly (no database, no Django models).

The country is covered by a grid of coarse cells (about 21 km a side) with jittered corners.
Each cell is cut into k×k sub-cells (k=4 in the countryside, 16 in cities). Every vertex is a
point of one integer lattice, (I, J) = (FINE·i + q, FINE·j + r), and its coordinates are a pure
function of (I, J), so two sub-cells that share a side share its vertices bit for bit. Each
sub-cell side (a "fine edge") is drawn as a gentle wiggle whose points depend only on the edge,
so both neighbours draw it identically. Precincts are unions of sub-cells, districts unions of
precincts and regions unions of districts: no gaps and no overlaps at any level.
"""

from __future__ import annotations

import functools
import math
import struct
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.contrib.gis.geos import GEOSGeometry, MultiPolygon

from servicepolice import geo

# Lattice steps per coarse cell side: a multiple of every subdivision k used.
FINE = 16
# Points drawn inside a fine edge, by its length in lattice steps: about 150 vertices a precinct.
WIGGLE_POINTS = {1: 11, 2: 9, 4: 7, 8: 5, 16: 4}
# Decimal places kept (7: about 1 cm); the API rounds to 6.
DECIMALS = 7
_MASK = (1 << 64) - 1

Vertex = tuple[int, int]
Cell = tuple[int, int]


@functools.cache
def _harmonics(count: int) -> tuple[tuple[float, float, float, float], ...]:
    """(t, sin πt, sin 2πt, sin 3πt) at `count` points spread evenly inside an edge."""
    ts = [m / (count + 1) for m in range(1, count + 1)]
    return tuple(
        (t, math.sin(math.pi * t), math.sin(2 * math.pi * t), math.sin(3 * math.pi * t)) for t in ts
    )


def mix(*values: int) -> int:
    """A 64-bit hash of integers (splitmix64 steps): fast, and the same in every process."""
    h = 0x9E3779B97F4A7C15
    for value in values:
        h = (h ^ (value & _MASK)) * 0xBF58476D1CE4E5B9 & _MASK
        h = (h ^ (h >> 31)) * 0x94D049BB133111EB & _MASK
        h ^= h >> 29
    return h


def unit(h: int, shift: int = 0) -> float:
    """A float in [-1, 1) from 16 bits of a hash."""
    return ((h >> shift) & 0xFFFF) / 32768.0 - 1.0


@dataclass
class Lattice:
    """The jittered grid of coarse cells: `cols` × `rows` cells of `dlon` × `dlat` degrees."""

    seed: int
    west: float
    south: float
    dlon: float
    dlat: float
    cols: int
    rows: int
    jitter: float = 0.22
    nodes: list[list[tuple[float, float]]] = field(default_factory=list, repr=False)
    _cache: dict[Vertex, tuple[float, float]] = field(default_factory=dict, repr=False)
    vertex_at: dict[tuple[float, float], Vertex] = field(default_factory=dict, repr=False)
    _wiggles: dict[tuple[Vertex, Vertex], list[tuple[float, float]]] = field(
        default_factory=dict, repr=False
    )

    def __post_init__(self) -> None:
        self.nodes = []
        for i in range(self.cols + 1):
            column = []
            for j in range(self.rows + 1):
                h = mix(self.seed, 1, i, j)
                # Outer nodes stay on the grid lines, so the mesh keeps its outer box.
                jx = 0.0 if i in (0, self.cols) else unit(h) * self.jitter
                jy = 0.0 if j in (0, self.rows) else unit(h, 16) * self.jitter
                column.append((self.west + (i + jx) * self.dlon, self.south + (j + jy) * self.dlat))
            self.nodes.append(column)

    # ---- coordinates ----
    def point(self, big_i: float, big_j: float) -> tuple[float, float]:
        """Lon/lat of a lattice position (fractions allowed: points inside a sub-cell)."""
        i = min(int(big_i // FINE), self.cols - 1)
        j = min(int(big_j // FINE), self.rows - 1)
        u = (big_i - i * FINE) / FINE
        v = (big_j - j * FINE) / FINE
        a, b = self.nodes[i][j], self.nodes[i + 1][j]
        c, d = self.nodes[i][j + 1], self.nodes[i + 1][j + 1]
        if v == 0.0:  # on a bottom edge: from its two nodes only (both cells agree)
            x = (1 - u) * a[0] + u * b[0]
            y = (1 - u) * a[1] + u * b[1]
        elif u == 0.0:  # on a left edge
            x = (1 - v) * a[0] + v * c[0]
            y = (1 - v) * a[1] + v * c[1]
        else:
            x = (1 - v) * ((1 - u) * a[0] + u * b[0]) + v * ((1 - u) * c[0] + u * d[0])
            y = (1 - v) * ((1 - u) * a[1] + u * b[1]) + v * ((1 - u) * c[1] + u * d[1])
        return x, y

    def vertex(self, v: Vertex) -> tuple[float, float]:
        """Lon/lat of a lattice vertex, rounded once so every shape uses the same numbers."""
        found = self._cache.get(v)
        if found is None:
            x, y = self.point(*v)
            found = self._cache[v] = (round(x, DECIMALS), round(y, DECIMALS))
            self.vertex_at[found] = v
        return found

    def wiggle(self, p: Vertex, q: Vertex) -> list[tuple[float, float]]:
        """The points drawn strictly between vertices p and q, in the order from p to q."""
        forward = p < q
        key = (p, q) if forward else (q, p)
        points = self._wiggles.get(key)
        if points is None:
            points = self._wiggles[key] = self._draw(*key)
        return points if forward else points[::-1]

    def _draw(self, p: Vertex, q: Vertex) -> list[tuple[float, float]]:
        steps = abs(q[0] - p[0]) + abs(q[1] - p[1])
        count = WIGGLE_POINTS.get(steps, 4)
        (x0, y0), (x1, y1) = self.vertex(p), self.vertex(q)
        coslat = math.cos(math.radians((y0 + y1) / 2))
        # Perpendicular of the edge in a locally isotropic frame, back in degrees.
        px, py = -(y1 - y0) / coslat, (x1 - x0) * coslat
        h = mix(self.seed, 2, p[0], p[1], q[0], q[1])
        # Three harmonics, vanishing at both ends; their slope stays under 0.33 (18°), so a
        # wiggle never reaches a neighbouring edge, however sharp the corner between them.
        a1, a2, a3 = 0.045 * unit(h), 0.018 * unit(h, 16), 0.008 * unit(h, 32)
        points = []
        for t, s1, s2, s3 in _harmonics(count):
            f = a1 * s1 + a2 * s2 + a3 * s3
            points.append(
                (
                    round(x0 + t * (x1 - x0) + f * px, DECIMALS),
                    round(y0 + t * (y1 - y0) + f * py, DECIMALS),
                )
            )
        return points


@dataclass
class SubCell:
    """One of the k×k pieces of a coarse cell: its lattice corners and its ring of vertices."""

    cell: Cell
    a: int
    b: int
    ring: list[Vertex]

    @property
    def key(self) -> tuple[int, int, int, int]:
        return (*self.cell, self.a, self.b)


class Mesh:
    """Sub-cells of the included coarse cells, their neighbours, and their polygons."""

    def __init__(self, lattice: Lattice, k: dict[Cell, int]) -> None:
        self.lattice = lattice
        self.k = k  # subdivision of each included coarse cell
        self.subcells: dict[tuple[int, int, int, int], SubCell] = {}
        self.by_cell: dict[Cell, list[SubCell]] = {}
        for cell in sorted(k):
            self.by_cell[cell] = [self._subcell(cell, a, b) for a, b in self._pieces(cell)]
            for sub in self.by_cell[cell]:
                self.subcells[sub.key] = sub
        self._neighbours: dict[tuple[int, int, int, int], list[tuple[int, int, int, int]]] = {}

    def _pieces(self, cell: Cell) -> Iterator[tuple[int, int]]:
        k = self.k[cell]
        for b in range(k):
            for a in range(k):
                yield a, b

    def _side_step(self, cell: Cell, other: Cell) -> int:
        """Lattice steps between vertices on the border of `cell` with `other`."""
        own = FINE // self.k[cell]
        if other in self.k:
            return min(own, FINE // self.k[other])
        return own

    def _subcell(self, cell: Cell, a: int, b: int) -> SubCell:
        i, j = cell
        k = self.k[cell]
        s = FINE // k
        x0, y0 = FINE * i + a * s, FINE * j + b * s
        x1, y1 = x0 + s, y0 + s
        bottom = self._side_step(cell, (i, j - 1)) if b == 0 else s
        right = self._side_step(cell, (i + 1, j)) if a == k - 1 else s
        top = self._side_step(cell, (i, j + 1)) if b == k - 1 else s
        left = self._side_step(cell, (i - 1, j)) if a == 0 else s
        ring: list[Vertex] = []
        ring += [(x, y0) for x in range(x0, x1, bottom)]
        ring += [(x1, y) for y in range(y0, y1, right)]
        ring += [(x, y1) for x in range(x1, x0, -top)]
        ring += [(x0, y) for y in range(y1, y0, -left)]
        return SubCell(cell=cell, a=a, b=b, ring=ring)

    def neighbours(self, key: tuple[int, int, int, int]) -> list[tuple[int, int, int, int]]:
        """Sub-cells sharing a side with this one (across coarse cells too)."""
        if not self._neighbours:
            owners: dict[tuple[Vertex, Vertex], list[tuple[int, int, int, int]]] = {}
            for sub in self.subcells.values():
                ring = sub.ring
                for n, p in enumerate(ring):
                    q = ring[(n + 1) % len(ring)]
                    owners.setdefault((p, q) if p < q else (q, p), []).append(sub.key)
            found: dict[tuple[int, int, int, int], set] = {key: set() for key in self.subcells}
            for keys in owners.values():
                if len(keys) == 2:
                    found[keys[0]].add(keys[1])
                    found[keys[1]].add(keys[0])
            self._neighbours = {key: sorted(value) for key, value in found.items()}
        return self._neighbours[key]

    def ring_coords(self, ring: list[Vertex]) -> list[tuple[float, float]]:
        """The drawn ring: each vertex followed by the wiggle to the next, closed."""
        lattice = self.lattice
        coords: list[tuple[float, float]] = []
        for n, p in enumerate(ring):
            coords.append(lattice.vertex(p))
            coords.extend(lattice.wiggle(p, ring[(n + 1) % len(ring)]))
        coords.append(coords[0])
        return coords

    def subcell_wkt(self, sub: SubCell, *, wiggles: bool = True) -> str:
        if wiggles:
            coords = self.ring_coords(sub.ring)
        else:
            coords = [self.lattice.vertex(p) for p in sub.ring]
            coords.append(coords[0])
        return "((" + ", ".join(f"{x!r} {y!r}" for x, y in coords) + "))"

    def union(self, keys: Iterable[tuple[int, int, int, int]]) -> GEOSGeometry:
        """The MultiPolygon (SRID 4326) covered by these sub-cells.

        GEOS merges the plain sub-cells (their lattice vertices only, which is quick); the
        wiggles are then drawn along the border that is left. Should GEOS drop a vertex, the
        wiggled sub-cells are merged instead, which gives the same shape, only slower.
        """
        keys = list(keys)
        subs = [self.subcells[key] for key in keys]
        plain = ", ".join(self.subcell_wkt(sub, wiggles=False) for sub in subs)
        merged = GEOSGeometry(f"SRID={geo.WGS84};MULTIPOLYGON({plain})").unary_union
        edges = set()
        for sub in subs:
            ring = sub.ring
            for n, p in enumerate(ring):
                q = ring[(n + 1) % len(ring)]
                edges.add((p, q) if p < q else (q, p))
        polygons = []
        for polygon in _wkb_polygons(bytes(as_multipolygon(merged).wkb)):
            rings = []
            for ring in polygon:
                drawn = self._redraw(ring, edges)
                if drawn is None:
                    parts = ", ".join(self.subcell_wkt(sub) for sub in subs)
                    merged = GEOSGeometry(f"SRID={geo.WGS84};MULTIPOLYGON({parts})").unary_union
                    return as_multipolygon(merged)
                rings.append("(" + ", ".join(f"{x!r} {y!r}" for x, y in drawn) + ")")
            polygons.append("(" + ", ".join(rings) + ")")
        return GEOSGeometry(f"SRID={geo.WGS84};MULTIPOLYGON({', '.join(polygons)})")

    def _redraw(self, coords, edges) -> list[tuple[float, float]] | None:
        """A merged ring of lattice vertices with its wiggles; None if a vertex went missing."""
        lattice = self.lattice
        found = lattice.vertex_at
        vertices = [found.get(c) for c in coords[:-1]]
        if None in vertices:
            return None
        drawn: list[tuple[float, float]] = []
        for n, p in enumerate(vertices):
            q = vertices[(n + 1) % len(vertices)]
            if ((p, q) if p < q else (q, p)) not in edges:
                return None
            drawn.append(lattice.vertex(p))
            drawn.extend(lattice.wiggle(p, q))
        drawn.append(drawn[0])
        return drawn

    def inner_point(
        self, key: tuple[int, int, int, int], u: float, v: float
    ) -> tuple[float, float]:
        """A point of a sub-cell at fractions (u, v) of its sides; keep them in [0.15, 0.85]:
        wiggles move a side by at most 7 % of its length."""
        sub = self.subcells[key]
        s = FINE // self.k[sub.cell]
        x0 = FINE * sub.cell[0] + sub.a * s
        y0 = FINE * sub.cell[1] + sub.b * s
        x, y = self.lattice.point(x0 + u * s, y0 + v * s)
        return round(x, DECIMALS), round(y, DECIMALS)


def _wkb_polygons(wkb: bytes) -> list[list[list[tuple[float, float]]]]:
    """Rings of the polygons of a 2D MultiPolygon in WKB (read in one go, not point by point)."""
    (order,) = struct.unpack_from("B", wkb, 0)
    end = "<" if order == 1 else ">"
    (count,) = struct.unpack_from(end + "I", wkb, 5)
    offset = 9
    polygons = []
    for _ in range(count):
        (rings,) = struct.unpack_from(end + "I", wkb, offset + 5)
        offset += 9
        polygon = []
        for _ in range(rings):
            (points,) = struct.unpack_from(end + "I", wkb, offset)
            offset += 4
            flat = struct.unpack_from(f"{end}{2 * points}d", wkb, offset)
            offset += 16 * points
            polygon.append(list(zip(flat[0::2], flat[1::2], strict=True)))
        polygons.append(polygon)
    return polygons


def as_multipolygon(geom: GEOSGeometry) -> MultiPolygon:
    """Polygons of a union as one MultiPolygon in SRID 4326."""
    geom = geo.as_multipolygon(geo.polygonal_part(geom))
    geom.srid = geo.WGS84
    return geom


def union_all(shapes: list[GEOSGeometry]) -> MultiPolygon:
    """The union of MultiPolygons that share borders exactly (precincts into a district)."""
    parts = []
    for shape in shapes:
        parts.extend(shape)
    merged = MultiPolygon(parts, srid=geo.WGS84).unary_union
    return as_multipolygon(merged)
