"""Coverage: the share of residents and territory within walking distance of operating police.

Everything is computed in GEOS in the Python process, in metres, in the UTM zone of the
district's centroid, so SpatiaLite and PostGIS give the same answers. See README, "Coverage".
"""

from __future__ import annotations

import logging
import math
import multiprocessing
import os
import threading
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry, MultiPoint, Point
from django.db import close_old_connections, connection, connections, transaction
from django.db.models import Count, Q
from django.utils import timezone

from officers.models import Inspector
from servicepolice import geo
from stations.models import District, ModularPost, Precinct, Region, Settlement, Station

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
    return _weighted_quantiles(pairs, (q,))[0]


def _weighted_quantiles(
    pairs: list[tuple[float, float]], qs: tuple[float, ...]
) -> list[float | None]:
    """`_weighted_quantile` for each q, sorting the pairs once."""
    pairs = [(v, w) for v, w in pairs if w > 0 and v is not None]
    if not pairs:
        return [None] * len(qs)
    pairs.sort()
    total = sum(w for _, w in pairs)
    found = []
    for q in qs:
        running = 0.0
        for value, weight in pairs:
            running += weight
            if running >= q * total - 1e-9:
                found.append(value)
                break
        else:
            found.append(pairs[-1][0])
    return found


def _grid_samples(
    polygon: GEOSGeometry, count: int, rings: list | None = None
) -> list[tuple[float, float]]:
    """About `count` points (x, y) on a regular grid inside a metric polygon (a point on its
    surface if tiny). Row by row, the grid points strictly between two crossings of the row with
    the polygon's rings are inside: the same points as a point-in-polygon test of each, at a
    fraction of the cost."""
    area = polygon.area
    if area <= 0:
        return []
    step = max(math.sqrt(area / count), 10.0)
    rings = geo.rings(polygon) if rings is None else rings
    x0, y0, x1, y1 = _extent(rings)
    edges = []
    for ring in rings:
        ax, ay = ring[0]
        for bx, by in ring[1:]:
            if ay != by:
                edges.append((ax, ay, bx, by))
            ax, ay = bx, by
    points = []
    y = y0 + step / 2
    while y < y1:
        crossings = sorted(
            ax + (y - ay) * (bx - ax) / (by - ay)
            for ax, ay, bx, by in edges
            if (ay <= y < by) or (by <= y < ay)
        )
        x = x0 + step / 2
        n = 0
        while x < x1 and n + 1 < len(crossings):
            if x >= crossings[n + 1]:
                n += 2
                continue
            if x > crossings[n]:
                points.append((x, y))
            x += step
        y += step
    if not points:
        surface = polygon.point_on_surface
        points = [(surface.x, surface.y)]
    return points


def _extent(rings: list[list[tuple[float, float]]]) -> tuple[float, float, float, float]:
    xs = [x for ring in rings for x, _ in ring]
    ys = [y for ring in rings for _, y in ring]
    return min(xs), min(ys), max(xs), max(ys)


class _Nearest:
    """The distance from a point to the nearest of a fixed set of points (metric coordinates),
    as GEOS's distance to their MultiPoint gives it, without a call into GEOS per point. For
    many points in one area, `around` first keeps only the points that can be nearest there."""

    def __init__(self, points: list[tuple[float, float]]) -> None:
        self.points = points

    @classmethod
    def of(cls, points: list[Point]) -> _Nearest:
        return cls([point.coords for point in points])

    def around(self, extent: tuple[float, float, float, float]) -> _Nearest:
        """Only the points that can be the nearest one for some place in the box: a point whose
        distance to the box exceeds the smallest farthest-corner distance never is."""
        if len(self.points) <= 4:
            return self
        x0, y0, x1, y1 = extent
        points = self.points
        # Squared distance to the farthest corner of the box, and to the box itself.
        farthest = min(max(px - x0, x1 - px) ** 2 + max(py - y0, y1 - py) ** 2 for px, py in points)
        return _Nearest(
            [
                (px, py)
                for px, py in points
                if (x0 - px if px < x0 else px - x1 if px > x1 else 0.0) ** 2
                + (y0 - py if py < y0 else py - y1 if py > y1 else 0.0) ** 2
                <= farthest
            ]
        )

    def distances(self, places: list[tuple[float, float]]) -> list[float | None]:
        """`distance` of each place, in one loop."""
        points = self.points
        if not points:
            return [None] * len(places)
        if len(points) == 1:
            ((px, py),) = points
            return [math.sqrt((px - x) * (px - x) + (py - y) * (py - y)) for x, y in places]
        found = []
        for x, y in places:
            best = math.inf
            for px, py in points:
                dx = px - x
                dy = py - y
                d = dx * dx + dy * dy
                if d < best:
                    best = d
            found.append(math.sqrt(best))
        return found

    def distance(self, x: float, y: float) -> float | None:
        if not self.points:
            return None
        best = math.inf
        for px, py in self.points:
            dx = px - x
            dy = py - y
            d = dx * dx + dy * dy
            if d < best:
                best = d
        return math.sqrt(best)


def _nearest_m(point: GEOSGeometry, facilities: GEOSGeometry | None) -> float | None:
    return None if facilities is None else point.distance(facilities)


def facilities_around(area: District | Region, srid: int, radius_m: float) -> Facilities:
    """Operating stations and posts whose walking circle can reach the area (a district or a
    region)."""
    box = geo.expand_bbox(area.geom.extent, radius_m)
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


def population_points(
    *, district: District, srid: int
) -> tuple[str, list[tuple[float, float, float, int | None]]]:
    """Where a district's residents live, as the coverage counts them: (x, y) in metres in
    `srid`, residents, precinct id. Settlements with population where the district has them,
    else each precinct's population spread evenly over a grid of about SAMPLES_PER_PRECINCT
    points (the whole district's when it has no precincts). Returns the method and the points."""
    precincts = [
        (p, geo.to_metric(p.geom, srid))
        for p in Precinct.objects.filter(district=district).order_by("number")
    ]
    settlements = list(
        Settlement.objects.filter(district=district, population__gt=0).order_by("name", "pk")
    )
    points: list[tuple[float, float, float, int | None]] = []
    if settlements:
        for settlement in settlements:
            point = geo.to_metric(settlement.geom, srid)
            holder = next((p.pk for p, shape in precincts if shape.intersects(point)), None)
            points.append((point.x, point.y, float(settlement.population), holder))
        return CoverageSnapshot.PopulationMethod.SETTLEMENTS, points
    for precinct, shape in precincts:
        if not precinct.population:
            continue
        samples = _grid_samples(shape, SAMPLES_PER_PRECINCT)
        weight = precinct.population / len(samples)
        points.extend((x, y, weight, precinct.pk) for x, y in samples)
    if not precincts and district.population:
        samples = _grid_samples(geo.to_metric(district.geom, srid), SAMPLES_PER_PRECINCT)
        weight = district.population / len(samples)
        points.extend((x, y, weight, None) for x, y in samples)
    return CoverageSnapshot.PopulationMethod.AREA, points


def grid_points(polygon: GEOSGeometry, spacing_m: float) -> list[tuple[float, float]]:
    """Points (x, y) on a square grid of `spacing_m` metres inside a metric polygon."""
    area = polygon.area
    if area <= 0 or spacing_m <= 0:
        return []
    return _grid_samples(polygon, max(1, round(area / (spacing_m * spacing_m))))


def coverage_compute(*, district: District) -> CoverageSnapshot:
    """Compute (without saving) the coverage of a district and of each of its precincts."""
    radius = float(district.effective_radius_m)
    srid = geo.utm_srid_for(district.geom)
    territory = geo.to_metric(district.geom, srid)
    facilities = facilities_around(district, srid, radius)
    multi_all = MultiPoint(facilities.all, srid=srid) if facilities.all else None
    # Distances from many points (settlements, grid samples) to the nearest facility.
    near_all = _Nearest.of(facilities.all)
    near_night = _Nearest.of(facilities.night)
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
    nearest_to = {s.pk: near_all.distance(p.x, p.y) for s, p in settlements}
    method = (
        CoverageSnapshot.PopulationMethod.SETTLEMENTS
        if settlements
        else CoverageSnapshot.PopulationMethod.AREA
    )

    # Population-weighted distance samples: (metres to any facility, to a 24/7 one, weight).
    samples: list[tuple[float | None, float | None, float]] = []
    settlements_beyond: list[dict] = []
    for settlement, point in settlements:
        d_all = nearest_to[settlement.pk]
        d_night = near_night.distance(point.x, point.y)
        samples.append((d_all, d_night, settlement.population))
        if d_all is None or d_all > radius:
            settlements_beyond.append(
                {
                    "id": settlement.pk,
                    "name": settlement.name,
                    "name_kk": settlement.name_kk,
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
        rings = geo.rings(shape)
        extent = _extent(rings)
        inside = []
        if settlements:
            prepared = shape.prepared
            x0, y0, x1, y1 = extent
            inside = [
                (s, p)
                for s, p in settlements
                if x0 <= p.x <= x1 and y0 <= p.y <= y1 and prepared.intersects(p)
            ]
        if inside:
            pop = sum(s.population for s, _ in inside)
            pop_cov = sum(
                s.population
                for s, _ in inside
                if (d := nearest_to[s.pk]) is not None and d <= radius
            )
            pop_share = pop_cov / pop if pop else None
        else:
            pop = precinct.population
            pop_share = area_share if pop else None
            if method == CoverageSnapshot.PopulationMethod.AREA and pop:
                points = _grid_samples(shape, SAMPLES_PER_PRECINCT, rings)
                weight = pop / len(points)
                samples.extend(
                    (d_all, d_night, weight)
                    for d_all, d_night in zip(
                        near_all.around(extent).distances(points),
                        near_night.around(extent).distances(points),
                        strict=True,
                    )
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
        extent = territory.extent
        samples.extend(
            (d_all, d_night, weight)
            for d_all, d_night in zip(
                near_all.around(extent).distances(points),
                near_night.around(extent).distances(points),
                strict=True,
            )
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
    median_all, p90_all = _weighted_quantiles(all_distances, (0.5, 0.9))
    median_night, p90_night = _weighted_quantiles(night_distances, (0.5, 0.9))
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
        distance_median_m=median_all,
        distance_p90_m=p90_all,
        night_distance_median_m=median_night,
        night_distance_p90_m=p90_night,
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


# Districts per task when several processes share a recompute.
_CHUNK = 4


def coverage_recompute_many(*, districts: Iterable[District], progress=None) -> int:
    """Recompute several districts; `progress(done, total, district)` is called after each.

    On PostgreSQL, outside a transaction, many districts are shared out among as many
    processes as there are CPUs (each district is independent and CPU-bound in GEOS): the
    whole country in half the time on 2 cores. Elsewhere one after the other.
    """
    districts = list(districts)
    processes = _processes_for(len(districts))
    if processes > 1:
        return _recompute_in_processes(districts, processes, progress)
    for done, district in enumerate(districts, start=1):
        coverage_recompute(district=district)
        if progress is not None:
            progress(done, len(districts), district)
    return len(districts)


def _processes_for(count: int) -> int:
    # SQLite has one writer; inside a transaction other processes would not see its rows.
    if connection.vendor != "postgresql" or connection.in_atomic_block or count < 2 * _CHUNK:
        return 1
    return min(os.cpu_count() or 1, 4)


def _recompute_chunk(ids: list[int]) -> list[int]:
    close_old_connections()  # in the child: its own connection, never the parent's
    try:
        for district in District.objects.filter(pk__in=ids).order_by("pk"):
            coverage_recompute(district=district)
    finally:
        connection.close()
    return ids


def _recompute_in_processes(districts: list[District], processes: int, progress) -> int:
    by_id = {district.pk: district for district in districts}
    ids = list(by_id)
    chunks = [ids[n : n + _CHUNK] for n in range(0, len(ids), _CHUNK)]
    connections.close_all()  # a forked child must not share the parent's connection
    done = 0
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=processes, mp_context=context) as pool:
        for future in as_completed([pool.submit(_recompute_chunk, chunk) for chunk in chunks]):
            for pk in future.result():
                done += 1
                if progress is not None:
                    progress(done, len(ids), by_id[pk])
    return len(ids)


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
