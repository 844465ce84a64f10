"""A district's rectangle cut into precinct cells that share their edges exactly (4326)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.gis.geos import MultiPolygon, Point, Polygon

from servicepolice import geo

Coords = tuple[float, float]


@dataclass(frozen=True)
class Grid:
    """A district's rectangle cut into cells that share their edges exactly (degrees, 4326)."""

    lons: tuple[float, ...]  # cell edges, west to east
    lats: tuple[float, ...]  # cell edges, north to south

    @classmethod
    def around(cls, centre: Coords, size_km: Coords, shape: tuple[int, int]) -> Grid:
        lon, lat = centre
        half_w, half_h = size_km[0] * 500, size_km[1] * 500
        west = geo.offset_point(lon, lat, -half_w, 0).x
        east = geo.offset_point(lon, lat, half_w, 0).x
        north = geo.offset_point(lon, lat, 0, half_h).y
        south = geo.offset_point(lon, lat, 0, -half_h).y
        cols, rows = shape
        lons = tuple(round(west + (east - west) * i / cols, 6) for i in range(cols + 1))
        lats = tuple(round(north - (north - south) * j / rows, 6) for j in range(rows + 1))
        return cls(lons, lats)

    @property
    def size(self) -> int:
        return (len(self.lons) - 1) * (len(self.lats) - 1)

    def col_row(self, number: int) -> tuple[int, int]:
        cols = len(self.lons) - 1
        return (number - 1) % cols, (number - 1) // cols

    def cell(self, number: int) -> MultiPolygon:
        """Cell `number` (1 is the north-west corner, counted row by row) as a MultiPolygon."""
        col, row = self.col_row(number)
        w, e = self.lons[col], self.lons[col + 1]
        n, s = self.lats[row], self.lats[row + 1]
        return _multipolygon([(w, n), (e, n), (e, s), (w, s), (w, n)])

    def outline(self) -> MultiPolygon:
        """The whole rectangle, with every cell corner on its edges as a vertex."""
        north = [(x, self.lats[0]) for x in self.lons]
        east = [(self.lons[-1], y) for y in self.lats[1:]]
        south = [(x, self.lats[-1]) for x in reversed(self.lons[:-1])]
        west = [(self.lons[0], y) for y in reversed(self.lats[:-1])]
        return _multipolygon(north + east + south + west)

    def point(self, number: int, spot: Coords) -> Point:
        """A point in cell `number`, `spot` being fractions of its width and height from SW."""
        col, row = self.col_row(number)
        w, e = self.lons[col], self.lons[col + 1]
        n, s = self.lats[row], self.lats[row + 1]
        return Point(round(w + (e - w) * spot[0], 7), round(s + (n - s) * spot[1], 7), srid=4326)

    def locate(self, point: Point) -> int:
        """Number of the cell holding the point (0 when outside the grid)."""
        cols = len(self.lons) - 1
        col = next((i for i in range(cols) if self.lons[i] < point.x < self.lons[i + 1]), None)
        row = next(
            (j for j in range(len(self.lats) - 1) if self.lats[j + 1] < point.y < self.lats[j]),
            None,
        )
        return 0 if col is None or row is None else row * cols + col + 1


def _multipolygon(ring: list[Coords]) -> MultiPolygon:
    return geo.as_multipolygon(Polygon(ring, srid=4326))


def bbox_polygon(bbox: tuple[float, float, float, float]) -> MultiPolygon:
    w, s, e, n = bbox
    return _multipolygon([(w, s), (e, s), (e, n), (w, n), (w, s)])
