"""Helpers for the API tests: GeoJSON builders and error-shape assertions."""

from __future__ import annotations

import math
from typing import Any

from tests.factories import CENTRE_LAT, CENTRE_LON, KM_LAT, KM_LON, precinct_cell

API = "/api/v1"


def url(resource: str, pk: int | None = None, action: str | None = None) -> str:
    """`/api/v1/<resource>/[<pk>/][<action>/]`."""
    parts = [API, resource]
    if pk is not None:
        parts.append(str(pk))
    if action:
        parts.append(action)
    return "/".join(parts) + "/"


def point(lon: float = CENTRE_LON, lat: float = CENTRE_LAT) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [lon, lat]}


def square(lon: float = CENTRE_LON, lat: float = CENTRE_LAT, half_km: float = 5) -> dict[str, Any]:
    """A GeoJSON MultiPolygon square of 2 × half_km kilometres around (lon, lat)."""
    dx, dy = half_km * KM_LON, half_km * KM_LAT
    ring = [
        [lon - dx, lat - dy],
        [lon + dx, lat - dy],
        [lon + dx, lat + dy],
        [lon - dx, lat + dy],
        [lon - dx, lat - dy],
    ]
    return {"type": "MultiPolygon", "coordinates": [[ring]]}


def cell_square(number: int) -> dict[str, Any]:
    """The square of precinct `number` on the factories' 8 × 8 grid (see precinct_cell)."""
    return square(*precinct_cell(number - 1), half_km=0.5)


def jagged_polygon(
    lon: float = CENTRE_LON, lat: float = CENTRE_LAT, radius_km: float = 4, vertices: int = 2000
) -> dict[str, Any]:
    """A wobbly ring with many vertices (star-shaped, so valid): a detailed border to simplify.

    The radius wobbles by ±1 % (about ±40 m for 4 km), so a simplification tolerance of a
    hundred metres removes most vertices while a tolerance of a centimetre keeps them.
    """
    ring = []
    for i in range(vertices):
        angle = 2 * math.pi * i / vertices
        r = radius_km * (1 + 0.01 * math.sin(37 * angle) + 0.005 * math.sin(211 * angle))
        ring.append([lon + r * KM_LON * math.cos(angle), lat + r * KM_LAT * math.sin(angle)])
    ring.append(ring[0])
    return {"type": "Polygon", "coordinates": [ring]}


def vertex_count(geometry: dict[str, Any]) -> int:
    """How many positions a GeoJSON geometry holds."""

    def count(coords) -> int:
        if coords and isinstance(coords[0], (int, float)):
            return 1
        return sum(count(c) for c in coords)

    return count(geometry["coordinates"])


def positions(geometry: dict[str, Any]):
    """Every [x, y] position of a GeoJSON geometry."""

    def walk(coords):
        if coords and isinstance(coords[0], (int, float)):
            yield coords
        else:
            for c in coords:
                yield from walk(c)

    return list(walk(geometry["coordinates"]))


def decimals(value: float) -> int:
    """Digits after the decimal point in the shortest repr of a float."""
    text = repr(float(value))
    if "e" in text:
        return 99
    return len(text.split(".")[1].rstrip("0")) if "." in text else 0


def assert_error(response, status: int, *, field: str | None = None) -> dict[str, Any]:
    """The response is an error of the one shape; when `field` is given, the error names it."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    body = response.json()
    assert set(body) == {"message", "code", "extra"}, body
    assert isinstance(body["message"], str) and body["message"]
    if field is not None:
        fields = body["extra"].get("fields", {})
        assert field in fields, body
        assert all(isinstance(m, str) and m for m in _messages(fields[field])), body
    return body


def _messages(value) -> list[str]:
    if isinstance(value, dict):
        return [m for v in value.values() for m in _messages(v)]
    if isinstance(value, list):
        return [m for v in value for m in _messages(v)]
    return [value]


def field_messages(response, field: str) -> list[str]:
    return _messages(response.json()["extra"]["fields"][field])
