"""The sizes of the synthetic dataset: national (the whole country), region, and tiny (tests)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    name: str
    # Area the coarse grid fills (west, south, east, north), clipped to the national outline.
    bbox: tuple[float, float, float, float]
    regions: tuple[str, ...] | None  # KATO prefixes of the regions drawn; None: all 20
    districts: int  # target, urban ones included
    precincts: int
    urban_precincts: int  # average per urban district (cities have small, dense precincts)
    settlements: int  # villages, in rural districts
    stations: int
    posts: int
    inspectors: int
    years: int  # of quarterly meetings, up to the current quarter
    suggestions_per_meeting: float  # per held meeting, on average
    rural_k: int = 4  # sub-cells a side of a rural coarse cell
    urban_k: int = 16
    dlon: float = 0.28  # coarse cell size, degrees (about 21 × 22 km)
    dlat: float = 0.2


SCALES = {
    "national": Scale(
        name="national",
        bbox=(46.45, 40.55, 87.35, 55.45),
        regions=None,
        districts=220,
        precincts=6500,
        urban_precincts=55,
        settlements=15000,
        stations=3000,
        posts=1000,
        inspectors=7500,
        years=5,
        suggestions_per_meeting=2.35,
    ),
    "region": Scale(
        name="region",
        bbox=(77.2, 47.2, 86.6, 51.3),
        regions=("10", "63"),
        districts=16,
        precincts=500,
        urban_precincts=55,
        settlements=1150,
        stations=230,
        posts=77,
        inspectors=575,
        years=5,
        suggestions_per_meeting=2.35,
    ),
    "tiny": Scale(
        name="tiny",
        bbox=(79.6, 49.9, 80.9, 50.75),
        regions=("10",),
        districts=3,
        precincts=12,
        urban_precincts=6,
        settlements=20,
        stations=8,
        posts=4,
        inspectors=14,
        years=1,
        suggestions_per_meeting=1.5,
        rural_k=2,
        urban_k=4,
    ),
}
