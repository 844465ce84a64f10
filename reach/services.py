"""Coverage: the share of residents and territory within walking distance of operating police.

Everything is computed in GEOS in the Python process, in metres, in the UTM zone of the
district's centroid, so SpatiaLite and PostGIS give the same answers. See README, "Coverage".
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry, MultiPoint, Point
from django.db import close_old_connections, connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from officers.models import Inspector
from servicepolice import geo
from stations.models import District, ModularPost, Precinct, Settlement, Station

from .models import CoverageSnapshot

logger = logging.getLogger(__name__)

# Sample points per precinct when its population is spread evenly over its area.
SAMPLES_PER_PRECINCT = 400
# Circle buffers: 32 segments a quarter keeps the area within 0.05 % of a true circle.
QUAD_SEGS = 32


@dataclass
class Facilities:
    """Operating facilities around a district, in the district's UTM projection."""

    all: list[Point] = field(default_factory=list)
    night: list[Point] = field(default_factory=list)

    @staticmethod
    def union_buffer(points: list[Point], radius_m: float) -> GEOSGeometry | None:
        if not points:
            return None
        return MultiPoint(points, srid=points[0].srid).buffer(radius_m, QUAD_SEGS)


def _weighted_quantile(pairs: list[tuple[float, float]], q: float) -> float | None:
    """The q-quantile of values weighted by population: pairs of (value, weight)."""
    pairs = [(v, w) for v, w in pairs if w > 0 and v is not None]
    if not pairs:
        return None
    pairs.sort()
    total = sum(w for _, w in pairs)
    running = 0.0
    for value, weight in pairs:
        running += weight
        if running >= q * total - 1e-9:
            return value
    return pairs[-1][0]


def _grid_samples(polygon: GEOSGeometry, count: int) -> list[Point]:
    """About `count` points on a regular grid inside a metric polygon (its centroid if tiny)."""
    area = polygon.area
    if area <= 0:
        return []
    step = max(math.sqrt(area / count), 10.0)
    x0, y0, x1, y1 = polygon.extent
    prepared = polygon.prepared
    points = []
    y = y0 + step / 2
    while y < y1:
        x = x0 + step / 2
        while x < x1:
            point = Point(x, y, srid=polygon.srid)
            if prepared.contains(point):
                points.append(point)
            x += step
        y += step
    if not points:
        points = [polygon.point_on_surface]
    return points


def _nearest_m(point: GEOSGeometry, facilities: GEOSGeometry | None) -> float | None:
    return None if facilities is None else point.distance(facilities)


def _facilities_around(district: District, srid: int, radius_m: float) -> Facilities:
    """Operating stations and posts whose walking circle can reach the district."""
    box = geo.expand_bbox(district.geom.extent, radius_m)
    result = Facilities()
    for model in (Station, ModularPost):
        rows = (
            model.objects.operating().filter(geom__bboverlaps=box).only("geom", "round_the_clock")
        )
        for row in rows:
            point = geo.to_metric(row.geom, srid)
            result.all.append(point)
            if row.round_the_clock:
                result.night.append(point)
    return result


def coverage_compute(*, district: District) -> CoverageSnapshot:
    """Compute (without saving) the coverage of a district and of each of its precincts."""
    radius = float(district.effective_radius_m)
    srid = geo.utm_srid_for(district.geom)
    territory = geo.to_metric(district.geom, srid)
    facilities = _facilities_around(district, srid, radius)
    multi_all = MultiPoint(facilities.all, srid=srid) if facilities.all else None
    multi_night = MultiPoint(facilities.night, srid=srid) if facilities.night else None
    reach_all = Facilities.union_buffer(facilities.all, radius)
    reach_night = Facilities.union_buffer(facilities.night, radius)
    covered = territory.intersection(reach_all) if reach_all else None
    covered_night = territory.intersection(reach_night) if reach_night else None

    precincts = list(
        Precinct.objects.filter(district=district)
        .annotate(
            active_inspectors=Count(
                "inspectors", filter=Q(inspectors__status=Inspector.Status.ACTIVE)
            )
        )
        .order_by("number")
    )
    settlements = [
        (s, geo.to_metric(s.geom, srid))
        for s in Settlement.objects.filter(district=district, population__gt=0).order_by("name")
    ]
    method = (
        CoverageSnapshot.PopulationMethod.SETTLEMENTS
        if settlements
        else CoverageSnapshot.PopulationMethod.AREA
    )

    # Population-weighted distance samples: (metres to any facility, to a 24/7 one, weight).
    samples: list[tuple[float | None, float | None, float]] = []
    settlements_beyond: list[dict] = []
    for settlement, point in settlements:
        d_all = _nearest_m(point, multi_all)
        d_night = _nearest_m(point, multi_night)
        samples.append((d_all, d_night, settlement.population))
        if d_all is None or d_all > radius:
            settlements_beyond.append(
                {
                    "id": settlement.pk,
                    "name": settlement.name,
                    "population": settlement.population,
                    "distance_m": None if d_all is None else round(d_all),
                }
            )

    precinct_rows = []
    total_inspectors = 0
    for precinct in precincts:
        shape = geo.to_metric(precinct.geom, srid)
        area = shape.area
        cov = shape.intersection(reach_all).area if reach_all else 0.0
        cov_night = shape.intersection(reach_night).area if reach_night else 0.0
        area_share = cov / area if area else 0.0
        night_share = cov_night / area if area else 0.0
        nearest = _nearest_m(shape, multi_all)
        inside = [(s, p) for s, p in settlements if shape.intersects(p)]
        if inside:
            pop = sum(s.population for s, _ in inside)
            pop_cov = sum(
                s.population
                for s, p in inside
                if (d := _nearest_m(p, multi_all)) is not None and d <= radius
            )
            pop_share = pop_cov / pop if pop else None
        else:
            pop = precinct.population
            pop_share = area_share if pop else None
            if method == CoverageSnapshot.PopulationMethod.AREA and pop:
                points = _grid_samples(shape, SAMPLES_PER_PRECINCT)
                weight = pop / len(points)
                for point in points:
                    samples.append(
                        (_nearest_m(point, multi_all), _nearest_m(point, multi_night), weight)
                    )
        total_inspectors += precinct.active_inspectors
        precinct_rows.append(
            {
                "id": precinct.pk,
                "number": precinct.number,
                "name": precinct.name,
                "population": precinct.population,
                "active_inspectors": precinct.active_inspectors,
                "residents_per_inspector": (
                    round(precinct.population / precinct.active_inspectors, 1)
                    if precinct.active_inspectors
                    else None
                ),
                "vacancy": precinct.active_inspectors == 0,
                "covered_area_share": round(area_share, 6),
                "night_covered_area_share": round(night_share, 6),
                "covered_population_share": None if pop_share is None else round(pop_share, 6),
                "facility_within_radius": nearest is not None and nearest <= radius,
                "nearest_facility_m": None if nearest is None else round(nearest, 1),
            }
        )

    if not precincts and method == CoverageSnapshot.PopulationMethod.AREA and district.population:
        points = _grid_samples(territory, SAMPLES_PER_PRECINCT)
        weight = district.population / len(points)
        samples.extend(
            (_nearest_m(p, multi_all), _nearest_m(p, multi_night), weight) for p in points
        )

    area = territory.area
    covered_area = covered.area if covered else 0.0
    covered_night_area = covered_night.area if covered_night else 0.0
    if method == CoverageSnapshot.PopulationMethod.SETTLEMENTS:
        population = sum(s.population for s, _ in settlements)
        pop_covered = sum(w for d, _, w in samples if d is not None and d <= radius)
        pop_night = sum(w for _, d, w in samples if d is not None and d <= radius)
    else:
        population = sum(p.population for p in precincts) or district.population
        if precincts:
            pop_covered = sum(
                row["population"] * row["covered_area_share"] for row in precinct_rows
            )
            pop_night = sum(
                row["population"] * row["night_covered_area_share"] for row in precinct_rows
            )
        else:
            pop_covered = population * (covered_area / area if area else 0.0)
            pop_night = population * (covered_night_area / area if area else 0.0)

    uncovered = territory.difference(reach_all) if reach_all else territory
    uncovered_4326 = None
    if not uncovered.empty:
        uncovered_4326 = geo.as_multipolygon(
            geo.polygonal_part(uncovered.transform(geo.WGS84, clone=True))
        )

    all_distances = [(d, w) for d, _, w in samples if d is not None]
    night_distances = [(d, w) for _, d, w in samples if d is not None]
    return CoverageSnapshot(
        district=district,
        radius_m=int(radius),
        computed_at=timezone.now(),
        population_method=method,
        area_m2=area,
        covered_area_m2=covered_area,
        covered_area_share=covered_area / area if area else 0.0,
        population=int(population),
        covered_population=pop_covered,
        covered_population_share=pop_covered / population if population else None,
        night_covered_area_share=covered_night_area / area if area else 0.0,
        night_covered_population_share=pop_night / population if population else None,
        active_inspectors=total_inspectors,
        residents_per_inspector=(
            round(population / total_inspectors, 1) if total_inspectors else None
        ),
        distance_median_m=_weighted_quantile(all_distances, 0.5),
        distance_p90_m=_weighted_quantile(all_distances, 0.9),
        night_distance_median_m=_weighted_quantile(night_distances, 0.5),
        night_distance_p90_m=_weighted_quantile(night_distances, 0.9),
        facilities=len(facilities.all),
        night_facilities=len(facilities.night),
        vacancies=[row["id"] for row in precinct_rows if row["vacancy"]],
        precincts_without_facility=[
            row["id"] for row in precinct_rows if not row["facility_within_radius"]
        ],
        settlements_beyond_radius=settlements_beyond,
        precincts=precinct_rows,
        uncovered=uncovered_4326,
    )


@transaction.atomic
def coverage_recompute(*, district: District) -> CoverageSnapshot:
    """Compute a district's coverage and store it as its snapshot (replacing the previous one)."""
    snapshot = coverage_compute(district=district)
    existing = CoverageSnapshot.objects.filter(district=district).values_list("pk", flat=True)
    snapshot.pk = existing.first()
    snapshot.save(force_insert=snapshot.pk is None)
    return snapshot


def coverage_recompute_many(*, districts: Iterable[District], progress=None) -> int:
    """Recompute several districts; `progress(done, total, district)` is called after each."""
    districts = list(districts)
    for done, district in enumerate(districts, start=1):
        coverage_recompute(district=district)
        if progress is not None:
            progress(done, len(districts), district)
    return len(districts)


_executor: ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()
_state = threading.local()


def _pending() -> set[int]:
    if not hasattr(_state, "pending"):
        _state.pending = set()
        _state.suspended = 0
    return _state.pending


def _recompute_ids(ids: set[int]) -> None:
    try:
        for district in District.objects.filter(pk__in=ids).order_by("pk"):
            coverage_recompute(district=district)
    except Exception:  # a failed background recompute must not pass silently
        logger.exception("coverage recompute failed for districts %s", sorted(ids))


def _recompute_in_background(ids: set[int]) -> None:
    close_old_connections()
    try:
        _recompute_ids(ids)
    finally:
        connection.close()


def _flush() -> None:
    pending = _pending()
    if not pending:
        return  # an earlier callback of the same transaction took them
    ids = set(pending)
    pending.clear()
    if settings.COVERAGE_ASYNC:
        global _executor
        with _executor_lock:
            if _executor is None:
                _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="coverage")
        _executor.submit(_recompute_in_background, ids)
    else:
        _recompute_ids(ids)


def coverage_schedule_recompute(*, district_ids: set[int]) -> None:
    """Recompute these districts once the current transaction commits, each once.

    With settings.COVERAGE_ASYNC the work runs in one background thread, so the request that
    saved the change does not wait for it; otherwise it runs right after the commit.
    """
    pending = _pending()
    if _state.suspended:
        return
    pending.update(district_ids)
    transaction.on_commit(_flush)


@contextmanager
def coverage_recompute_suspended():
    """Bulk loads: no recompute per saved row; the caller recomputes what it loaded at the end."""
    _pending()
    _state.suspended += 1
    try:
        yield
    finally:
        _state.suspended -= 1
